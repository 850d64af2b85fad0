# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The object a resource module stores: owned spec, merged metadata, set-like lists in live order."""

from __future__ import annotations

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.info import read_resources
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import GATEWAY as GATEWAY_RESOURCE
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.resource import build_object

GATEWAY = GATEWAY_RESOURCE.at()

PARAMS = {"name": "gw", "namespace": "istio-system", "labels": {"team": "web"}, "annotations": None,
          "purge_labels": False, "purge_annotations": False}


def test_new_object():
    assert build_object(GATEWAY, PARAMS, {"selector": {"istio": "ingressgateway"}}, None) == {
        "apiVersion": "networking.istio.io/v1", "kind": "Gateway",
        "metadata": {"name": "gw", "namespace": "istio-system", "labels": {"team": "web"}},
        "spec": {"selector": {"istio": "ingressgateway"}},
    }


def test_existing_object_keeps_foreign_metadata_and_replaces_the_spec():
    live = {"apiVersion": "networking.istio.io/v1", "kind": "Gateway", "status": {"x": 1},
            "metadata": {"name": "gw", "namespace": "istio-system", "resourceVersion": "5",
                         "labels": {"owner": "someone"}, "annotations": {"note": "kept"}},
            "spec": {"selector": {"istio": "old"}, "servers": [{"hosts": ["b", "a"], "port": {"number": 80}}]}}
    spec = {"servers": [{"hosts": ["a", "b"], "port": {"number": 8080}}]}
    built = build_object(GATEWAY, PARAMS, spec, live, ("servers[].hosts",))
    assert built["metadata"] == {"name": "gw", "namespace": "istio-system", "resourceVersion": "5",
                                 "labels": {"owner": "someone", "team": "web"}, "annotations": {"note": "kept"}}
    assert built["spec"] == {"servers": [{"hosts": ["b", "a"], "port": {"number": 8080}}]}  # selector removed
    assert built["status"] == {"x": 1}


class RecordingClient:
    def __init__(self, found=None, items=()):
        self.found, self.items, self.calls = found, list(items), []

    def get(self, path):
        self.calls.append(("get", path))
        return self.found

    def list(self, path, label_selector=None, field_selector=None):
        self.calls.append(("list", path, label_selector, field_selector))
        return self.items


def test_info_reads_one_item_by_name_and_namespace():
    client = RecordingClient(found={"kind": "Gateway"})
    assert read_resources(client, GATEWAY, "gw", "istio-system", [], []) == [{"kind": "Gateway"}]
    assert client.calls == [("get", "/apis/networking.istio.io/v1/namespaces/istio-system/gateways/gw")]
    assert read_resources(RecordingClient(), GATEWAY, "gw", "istio-system", [], []) == []


def test_info_lists_with_selectors_in_one_request_and_fills_kind():
    client = RecordingClient(items=[{"metadata": {"name": "gw"}}])
    found = read_resources(client, GATEWAY, "gw", None, ["app=a", "tier!=db"], ["metadata.namespace!=kube-system"])
    assert found == [{"apiVersion": "networking.istio.io/v1", "kind": "Gateway", "metadata": {"name": "gw"}}]
    assert client.calls == [("list", "/apis/networking.istio.io/v1/gateways", "app=a,tier!=db",
                             "metadata.namespace!=kube-system,metadata.name=gw")]
