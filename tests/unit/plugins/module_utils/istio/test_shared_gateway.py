# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""servers_mode=merge: adding and removing one application's servers and hosts on a shared Gateway."""

from __future__ import annotations

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import InvalidOption
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.shared_gateway import (
    OWNER_LABEL,
    OWNER_VALUE,
    check_servers_to_remove,
    hosts_in_use,
    merge_servers,
    merged_gateway,
    reduced_gateway,
    referencing_virtual_services,
    remove_servers,
)

HTTP = {"number": 80, "name": "http", "protocol": "HTTP"}
HTTPS_SERVER = {"port": {"number": 443, "name": "https", "protocol": "HTTPS"}, "hosts": ["secure.example.com"],
                "tls": {"mode": "SIMPLE", "credentialName": "secure-cert"}}


def http(*hosts: str) -> dict:
    return {"port": dict(HTTP), "hosts": list(hosts)}


def gateway(servers: list, owned: bool = False, selector=None) -> dict:
    metadata = {"name": "shared", "namespace": "istio-system", "resourceVersion": "7"}
    if owned:
        metadata["labels"] = {OWNER_LABEL: OWNER_VALUE}
    return {"apiVersion": "networking.istio.io/v1", "kind": "Gateway", "metadata": metadata,
            "spec": {"selector": selector or {"istio": "ingressgateway"}, "servers": servers}}


def virtual_service(name: str, namespace: str, hosts: list, gateways: list) -> dict:
    return {"metadata": {"name": name, "namespace": namespace}, "spec": {"hosts": hosts, "gateways": gateways}}


def test_merge_adds_hosts_to_the_server_of_the_same_port_and_keeps_the_others():
    merged = merge_servers([http("a.example.com"), HTTPS_SERVER], [http("b.example.com", "a.example.com")], "ns/gw")
    assert merged == [http("a.example.com", "b.example.com"), HTTPS_SERVER]


def test_merge_appends_a_server_of_a_new_port():
    merged = merge_servers([HTTPS_SERVER], [http("a.example.com")], "ns/gw")
    assert merged == [HTTPS_SERVER, http("a.example.com")]


def test_merge_of_hosts_already_there_is_no_change():
    live = [http("a.example.com", "b.example.com")]
    assert merge_servers(live, [http("b.example.com")], "ns/gw") == live


@pytest.mark.parametrize("wanted, path, text", [
    (dict(http("a"), tls={"httpsRedirect": True}), "servers[0]", "differs in tls"),
    ({"port": {"number": 80, "name": "http", "protocol": "HTTP2"}, "hosts": ["a"]}, "servers[0]", "differs in port"),
    ({"port": {"number": 8080, "name": "http", "protocol": "HTTP"}, "hosts": ["a"]}, "servers[0].port",
     "port name 'http' is used on Gateway ns/gw by port 80"),
])
def test_merge_never_changes_another_applications_server(wanted, path, text):
    with pytest.raises(InvalidOption) as raised:
        merge_servers([http("b")], [wanted], "ns/gw")
    assert raised.value.path == path
    assert text in raised.value.message


def test_remove_takes_only_the_tasks_hosts_and_drops_an_empty_server():
    live = [http("a.example.com", "b.example.com"), HTTPS_SERVER]
    assert remove_servers(live, [http("a.example.com")], ()) == [http("b.example.com"), HTTPS_SERVER]
    assert remove_servers([http("a.example.com"), HTTPS_SERVER], [http("a.example.com")], ()) == [HTTPS_SERVER]


def test_remove_keeps_hosts_still_needed_and_servers_of_other_ports():
    live = [http("*"), HTTPS_SERVER]
    assert remove_servers(live, [http("*")], {"*"}) == live
    other_port = {"port": {"number": 8080, "name": "http-alt", "protocol": "HTTP"}, "hosts": ["secure.example.com"]}
    assert remove_servers(live, [other_port], ()) == live


def test_references_resolve_bare_names_in_the_virtual_services_namespace():
    services = [
        virtual_service("a", "default", ["a.example.com"], ["istio-system/shared"]),
        virtual_service("b", "istio-system", ["b.example.com"], ["shared"]),
        virtual_service("c", "default", ["c.example.com"], ["shared"]),  # default/shared: another Gateway
        virtual_service("d", "default", ["d.example.com"], ["mesh"]),
    ]
    assert [vs["metadata"]["name"] for vs in referencing_virtual_services(services, "istio-system", "shared")] == ["a", "b"]


def test_hosts_in_use_follow_wildcards_and_namespace_forms():
    servers = [http("*", "a.example.com", "prod/p.example.com", "*.shop.example.com")]
    bound = [virtual_service("x", "default", ["www.shop.example.com"], ["istio-system/shared"])]
    assert hosts_in_use(servers, "istio-system", bound) == {"*", "*.shop.example.com"}
    bound = [virtual_service("y", "dev", ["p.example.com"], ["istio-system/shared"])]
    assert hosts_in_use(servers, "istio-system", bound) == {"*"}  # prod/p.example.com is not dev's to use


def test_merged_gateway_creates_with_the_ownership_label():
    wanted = gateway([http("a")])
    created = merged_gateway(None, wanted)
    assert created["metadata"]["labels"] == {OWNER_LABEL: OWNER_VALUE}
    assert created["spec"] == wanted["spec"]
    assert "labels" not in wanted["metadata"]


def test_merged_gateway_refuses_another_selector():
    with pytest.raises(InvalidOption) as raised:
        merged_gateway(gateway([http("a")]), gateway([http("b")], selector={"istio": "other"}))
    assert raised.value.path == "selector"


def test_merged_gateway_keeps_the_live_selector_when_the_task_sets_none():
    live = gateway([HTTPS_SERVER], selector={"app": "edge"})
    wanted = gateway([http("a")])
    del wanted["spec"]["selector"]
    assert merged_gateway(live, wanted)["spec"] == {"selector": {"app": "edge"}, "servers": [HTTPS_SERVER, http("a")]}


def test_reduced_gateway_deletes_an_owned_gateway_no_virtual_service_references():
    other = [virtual_service("x", "default", ["x"], ["istio-system/other-gateway"])]
    assert reduced_gateway(gateway([http("a", "b")], owned=True), [http("a")], other) is None


def test_reduced_gateway_keeps_an_owned_gateway_still_referenced():
    bound = [virtual_service("b", "default", ["b"], ["istio-system/shared"])]
    reduced = reduced_gateway(gateway([http("a", "b")], owned=True), [http("a")], bound)
    assert reduced["spec"]["servers"] == [http("b")]


def test_reduced_gateway_never_deletes_a_foreign_gateway():
    live = gateway([http("a"), HTTPS_SERVER])
    assert reduced_gateway(live, [http("a")], [])["spec"]["servers"] == [HTTPS_SERVER]
    only_ours = gateway([http("a")])
    assert reduced_gateway(only_ours, [http("a")], []) == only_ours  # never left without servers


def test_reduced_gateway_keeps_a_host_another_app_still_serves():
    bound = [virtual_service("b", "default", ["*"], ["istio-system/shared"])]
    live = gateway([http("*")], owned=True)
    assert reduced_gateway(live, [http("*")], bound) == live


def test_reduced_gateway_of_an_absent_gateway_is_none():
    assert reduced_gateway(None, [http("a")], []) is None


@pytest.mark.parametrize("servers, path", [
    (None, "servers"),
    ([], "servers"),
    ([{"port": {"number": 80}, "hosts": ["a"]}], "servers[0].port"),
    ([{"port": {"name": "http"}, "hosts": ["a"]}], "servers[0].port"),
    ([{"port": {"number": 80, "name": "http"}}], "servers[0].hosts"),
])
def test_servers_to_remove_name_port_and_hosts(servers, path):
    with pytest.raises(InvalidOption) as raised:
        check_servers_to_remove(servers)
    assert raised.value.path == path


def test_servers_to_remove_accept_port_number_name_and_hosts():
    check_servers_to_remove([{"port": {"number": 80, "name": "http"}, "hosts": ["a"]}])
