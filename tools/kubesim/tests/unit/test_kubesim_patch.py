"""kubesim.patch: merge patch, JSON patch, strategic merge patch and the apply merge."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kubesim.patch import (
    PatchError,
    PatchTestFailed,
    apply_merge,
    json_merge_patch,
    json_patch,
    merge_key,
    strategic_merge_patch,
)

# --- RFC 7386 (examples from the RFC's appendix) ------------------------------------------


@pytest.mark.parametrize("target, patch, expected", [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
])
def test_json_merge_patch_rfc_examples(target, patch, expected):
    original = copy.deepcopy(target)
    assert json_merge_patch(target, patch) == expected
    assert target == original


# --- RFC 6902 -------------------------------------------------------------------------------

DOC = {"foo": ["bar", "baz"], "a/b": 1, "m~n": 2, "obj": {"k": "v"}}


@pytest.mark.parametrize("ops, expected", [
    ([{"op": "add", "path": "/foo/1", "value": "qux"}], {**DOC, "foo": ["bar", "qux", "baz"]}),
    ([{"op": "add", "path": "/foo/-", "value": "end"}], {**DOC, "foo": ["bar", "baz", "end"]}),
    ([{"op": "remove", "path": "/a~1b"}], {k: v for k, v in DOC.items() if k != "a/b"}),
    ([{"op": "replace", "path": "/m~0n", "value": 3}], {**DOC, "m~n": 3}),
    ([{"op": "move", "path": "/obj/moved", "from": "/foo/0"}], {**DOC, "foo": ["baz"], "obj": {"k": "v", "moved": "bar"}}),
    ([{"op": "copy", "path": "/copied", "from": "/obj"}], {**DOC, "copied": {"k": "v"}}),
    ([{"op": "test", "path": "/obj", "value": {"k": "v"}}, {"op": "add", "path": "/x", "value": None}],
     {**DOC, "x": None}),
    ([{"op": "replace", "path": "", "value": {"whole": True}}], {"whole": True}),
])
def test_json_patch_operations(ops, expected):
    original = copy.deepcopy(DOC)
    assert json_patch(DOC, ops) == expected
    assert DOC == original


def test_failed_test_operation_reports_like_the_server():
    with pytest.raises(PatchTestFailed, match=r"^testing value /obj/k failed: test failed$"):
        json_patch(DOC, [{"op": "test", "path": "/obj/k", "value": "other"}])


def test_test_operation_distinguishes_booleans_from_numbers():
    with pytest.raises(PatchTestFailed):
        json_patch({"a": 1}, [{"op": "test", "path": "/a", "value": True}])
    assert json_patch({"a": 1}, [{"op": "test", "path": "/a", "value": 1.0}]) == {"a": 1}


def test_test_of_a_missing_path_fails():
    with pytest.raises(PatchTestFailed):
        json_patch(DOC, [{"op": "test", "path": "/nope", "value": 1}])


@pytest.mark.parametrize("ops, message", [
    ([{"op": "remove", "path": "/nope"}], 'remove operation does not apply: doc is missing path: "/nope"'),
    ([{"op": "add", "path": "/no/such", "value": 1}], 'add operation does not apply: doc is missing path'),
    ([{"op": "replace", "path": "/nope", "value": 1}], "replace operation does not apply"),
    ([{"op": "add", "path": "/foo/9", "value": 1}], "Unable to access invalid index: 9"),
    ([{"op": "frobnicate", "path": "/a"}], "Unexpected kind: frobnicate"),
    ([{"op": "add", "path": "/x"}], "add operation missing value field"),
    ([{"op": "move", "path": "/obj/k/x", "from": "/obj"}], "cannot move /obj into its own child"),
])
def test_json_patch_errors(ops, message):
    with pytest.raises(PatchError, match=message) as raised:
        json_patch(DOC, ops)
    assert not isinstance(raised.value, PatchTestFailed)


def test_failed_patch_changes_nothing():
    doc = {"a": [1]}
    with pytest.raises(PatchError):
        json_patch(doc, [{"op": "add", "path": "/a/-", "value": 2}, {"op": "remove", "path": "/zzz"}])
    assert doc == {"a": [1]}


# --- strategic merge patch ------------------------------------------------------------------

SERVICE: dict[str, Any] = {
    "kind": "Service", "metadata": {"name": "proxy", "labels": {"app": "proxy", "tier": "web"}},
    "spec": {"type": "LoadBalancer", "selector": {"app": "proxy"},
             "ports": [{"name": "http", "port": 80, "targetPort": 8080, "nodePort": 31000},
                       {"name": "https", "port": 443, "nodePort": 31001}]}}

DEPLOYMENT: dict[str, Any] = {"kind": "Deployment", "spec": {"template": {"spec": {
    "containers": [{"name": "app", "image": "app:1", "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                    "ports": [{"containerPort": 8080, "name": "http"}],
                    "volumeMounts": [{"mountPath": "/data", "name": "data"}], "args": ["--x"]},
                   {"name": "sidecar", "image": "side:1"}],
    "volumes": [{"name": "data", "emptyDir": {}}]}}}}


def test_service_ports_merge_by_port():
    patched = strategic_merge_patch(SERVICE, {"spec": {"type": "ClusterIP", "ports": [{"port": 80, "nodePort": None}]}},
                                    "Service")
    assert patched["spec"]["type"] == "ClusterIP"
    assert patched["spec"]["ports"] == [{"name": "http", "port": 80, "targetPort": 8080},
                                        {"name": "https", "port": 443, "nodePort": 31001}]
    assert SERVICE["spec"]["ports"][0]["nodePort"] == 31000


def test_new_keyed_element_is_appended_and_delete_directive_removes_one():
    patched = strategic_merge_patch(SERVICE, {"spec": {"ports": [{"port": 8443, "name": "alt"},
                                                                 {"port": 443, "$patch": "delete"}]}}, "Service")
    assert [p["port"] for p in patched["spec"]["ports"]] == [80, 8443]


def test_replace_directive_in_a_list_replaces_it():
    patched = strategic_merge_patch(SERVICE, {"spec": {"ports": [{"$patch": "replace"}, {"port": 9090}]}}, "Service")
    assert patched["spec"]["ports"] == [{"port": 9090}]


def test_replace_and_delete_directives_on_maps():
    patched = strategic_merge_patch(SERVICE, {"metadata": {"labels": {"$patch": "replace", "only": "this"}}},
                                    "Service")
    assert patched["metadata"]["labels"] == {"only": "this"}
    assert "selector" not in strategic_merge_patch(SERVICE, {"spec": {"selector": {"$patch": "delete"}}},
                                                   "Service")["spec"]


def test_containers_env_ports_and_mounts_merge_by_their_keys():
    patch = {"spec": {"template": {"spec": {"containers": [{
        "name": "app", "image": "app:2", "env": [{"name": "B", "value": "3"}, {"name": "C", "value": "4"}],
        "ports": [{"containerPort": 9090}], "volumeMounts": [{"mountPath": "/data", "readOnly": True}],
        "args": ["--y"]}]}}}}
    container = strategic_merge_patch(DEPLOYMENT, patch, "Deployment")["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "app:2"
    assert container["env"] == [{"name": "A", "value": "1"}, {"name": "B", "value": "3"}, {"name": "C", "value": "4"}]
    assert container["ports"] == [{"containerPort": 8080, "name": "http"}, {"containerPort": 9090}]
    assert container["volumeMounts"] == [{"mountPath": "/data", "name": "data", "readOnly": True}]
    assert container["args"] == ["--y"], "lists of scalars are replaced"


def test_set_element_order_and_delete_from_primitive_list():
    patch = {"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "sidecar"}, {"name": "app"}],
        "containers": [{"name": "app", "$deleteFromPrimitiveList/args": ["--x"]}]}}}}
    containers = strategic_merge_patch(DEPLOYMENT, patch, "Deployment")["spec"]["template"]["spec"]["containers"]
    assert [c["name"] for c in containers] == ["sidecar", "app"]
    assert containers[1]["args"] == []
    assert not any(k.startswith("$") for c in containers for k in c)


def test_retain_keys_drops_unlisted_fields():
    patch = {"spec": {"template": {"spec": {"volumes": [
        {"name": "data", "$retainKeys": ["name", "configMap"], "configMap": {"name": "cm"}}]}}}}
    volumes = strategic_merge_patch(DEPLOYMENT, patch, "Deployment")["spec"]["template"]["spec"]["volumes"]
    assert volumes == [{"name": "data", "configMap": {"name": "cm"}}]


def test_finalizers_merge_as_a_set_and_owner_references_by_uid():
    target = {"metadata": {"finalizers": ["a"], "ownerReferences": [{"uid": "1", "name": "x"}]}}
    patched = strategic_merge_patch(target, {"metadata": {"finalizers": ["b", "a"],
                                                          "ownerReferences": [{"uid": "1", "name": "y"}]}}, "Pod")
    assert patched["metadata"] == {"finalizers": ["a", "b"], "ownerReferences": [{"uid": "1", "name": "y"}]}


def test_keyed_list_element_without_its_key_is_refused():
    with pytest.raises(PatchError, match="does not contain declared merge key: port"):
        strategic_merge_patch(SERVICE, {"spec": {"ports": [{"name": "x"}]}}, "Service")


def test_merge_keys_depend_on_the_kind_and_place():
    assert merge_key("Service", ("spec", "ports")) == "port"
    assert merge_key("Deployment", ("spec", "template", "spec", "containers", "ports")) == "containerPort"
    assert merge_key("Gateway", ("spec", "ports")) is None


# --- server-side apply merge ----------------------------------------------------------------


def test_apply_merge_merges_maps_and_keyed_lists_and_replaces_others():
    applied = {"metadata": {"labels": {"tier": "edge"}},
               "spec": {"type": "ClusterIP", "ports": [{"port": 80, "name": "web"}], "externalIPs": ["1.2.3.4"]}}
    live = {**SERVICE, "spec": {**SERVICE["spec"], "externalIPs": ["5.6.7.8", "9.9.9.9"]}}
    merged = apply_merge(live, applied, "Service")
    assert merged["metadata"]["labels"] == {"app": "proxy", "tier": "edge"}
    assert merged["spec"]["ports"][0] == {"name": "web", "port": 80, "targetPort": 8080, "nodePort": 31000}
    assert len(merged["spec"]["ports"]) == 2
    assert merged["spec"]["externalIPs"] == ["1.2.3.4"]


def test_apply_merge_on_custom_resources_replaces_lists():
    live = {"spec": {"servers": [{"port": {"number": 80}}, {"port": {"number": 443}}], "selector": {"a": "b"}}}
    merged = apply_merge(live, {"spec": {"servers": [{"port": {"number": 8080}}]}}, "Gateway")
    assert merged == {"spec": {"servers": [{"port": {"number": 8080}}], "selector": {"a": "b"}}}
