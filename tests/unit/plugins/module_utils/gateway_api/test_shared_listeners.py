# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""listeners_mode=merge: adding and removing one application's listeners on a shared Gateway API Gateway."""

from __future__ import annotations

from typing import Optional

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.gateway_api.shared_gateway import (
    attached_routes,
    merge_listeners,
    merged_gateway,
    reduced_gateway,
    remove_listeners,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.shared_gateway import OWNER_LABEL, OWNER_VALUE
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import InvalidOption

SAME = {"namespaces": {"from": "Same"}}
THEIRS = {"name": "team-b", "port": 443, "protocol": "HTTPS", "hostname": "b.example.com", "allowedRoutes": SAME,
          "tls": {"mode": "Terminate", "certificateRefs": [{"group": "", "kind": "Secret", "name": "b-cert"}]}}
OURS = {"name": "app-a", "port": 80, "protocol": "HTTP", "hostname": "a.example.com", "allowedRoutes": SAME}
OWNER = {OWNER_LABEL: OWNER_VALUE}


def gateway(listeners: list, labels: Optional[dict] = None, **spec) -> dict:
    metadata = {"name": "shared", "namespace": "ingress", **({"labels": labels} if labels else {})}
    return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway", "metadata": metadata,
            "spec": {"gatewayClassName": "istio", "listeners": listeners, **spec}}


def route(route_name: str, **ref) -> dict:
    return {"metadata": {"name": route_name, "namespace": "apps"},
            "spec": {"parentRefs": [{"name": "shared", "namespace": "ingress", **ref}]}}


def test_merge_appends_a_new_listener_and_keeps_the_live_ones_untouched():
    assert merge_listeners([THEIRS], [OURS], "ingress/shared") == [THEIRS, OURS]


def test_merge_of_an_equal_listener_is_no_change():
    assert merge_listeners([THEIRS, OURS], [dict(OURS)], "ingress/shared") == [THEIRS, OURS]


def test_merge_refuses_a_same_name_listener_with_other_settings_naming_the_option_and_field():
    with pytest.raises(InvalidOption) as raised:
        merge_listeners([THEIRS], [OURS, dict(THEIRS, port=8443)], "ingress/shared")
    assert raised.value.path == "listeners[1]"
    assert "differs in port" in raised.value.message


def test_merged_gateway_keeps_unset_fields_and_refuses_another_gateway_class():
    live = gateway([THEIRS], addresses=[{"type": "IPAddress", "value": "10.0.0.1"}])
    merged = merged_gateway(live, gateway([OURS]), str)
    assert merged["spec"] == dict(live["spec"], listeners=[THEIRS, OURS])
    with pytest.raises(InvalidOption) as raised:
        merged_gateway(live, dict(gateway([OURS]), spec={"gatewayClassName": "other", "listeners": [OURS]}),
                       {"gatewayClassName": "gateway_class_name"}.get)
    assert raised.value.path == "gateway_class_name"


def test_merged_gateway_labels_only_a_gateway_it_creates_as_the_collections():
    assert merged_gateway(None, gateway([OURS]), str)["metadata"]["labels"] == OWNER
    foreign = merged_gateway(gateway([THEIRS]), gateway([OURS], labels=OWNER), str)
    assert "labels" not in foreign["metadata"]
    assert merged_gateway(gateway([THEIRS], OWNER), gateway([OURS]), str)["metadata"]["labels"] == OWNER


def test_routes_attach_by_section_name_port_or_to_every_listener():
    live = gateway([THEIRS, OURS])
    attached = attached_routes(live, [route("by-name", sectionName="team-b"), route("by-port", port=80),
                                      route("elsewhere", name="other"), route("missing", sectionName="gone")])
    assert attached == {None: {"apps/by-name", "apps/by-port", "apps/missing"}, "team-b": {"apps/by-name"},
                        "app-a": {"apps/by-port"}}
    assert attached_routes(live, [route("all")]) == {None: {"apps/all"}, "team-b": {"apps/all"}, "app-a": {"apps/all"}}


def test_remove_takes_only_the_named_listeners_not_in_use():
    assert remove_listeners([THEIRS, OURS], [OURS], (), "g") == [THEIRS]
    assert remove_listeners([THEIRS, OURS], [OURS], ("app-a",), "g") == [THEIRS, OURS]
    with pytest.raises(InvalidOption) as raised:
        remove_listeners([THEIRS, OURS], [dict(OURS, hostname="x.example.com")], (), "g")
    assert raised.value.path == "listeners[0]" and "differs in hostname" in raised.value.message


def test_reduced_gateway_keeps_a_foreign_gateway_and_a_listener_a_route_attaches_to():
    reduced, warnings = reduced_gateway(gateway([THEIRS, OURS]), [OURS], [])
    assert reduced is not None and reduced["spec"]["listeners"] == [THEIRS] and warnings == []
    kept, warnings = reduced_gateway(gateway([THEIRS, OURS]), [OURS], [route("shop", sectionName="app-a")])
    assert kept == gateway([THEIRS, OURS])
    assert warnings == ["listener 'app-a' of Gateway ingress/shared is kept: HTTPRoute apps/shop still attaches to it"]
    last, warnings = reduced_gateway(gateway([OURS]), [OURS], [])
    assert last == gateway([OURS]) and "the collection did not create it" in warnings[0]


def test_reduced_gateway_deletes_an_owned_gateway_only_when_nothing_is_left_on_it():
    assert reduced_gateway(gateway([OURS], OWNER), [OURS], []) == (None, [])
    kept, warnings = reduced_gateway(gateway([OURS], OWNER), [OURS], [route("stale", sectionName="gone")])
    assert kept == gateway([OURS], OWNER) and "HTTPRoute apps/stale still refers to it" in warnings[0]
