"""PATCH by content type: merge, JSON patch, strategic merge (built-ins only), server-side apply."""

from __future__ import annotations

import yaml

from kubesim_helpers import gateway, gateways_path

pytest_plugins = ["kubesim.pytest_plugin"]

MERGE = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"
APPLY = "application/apply-patch+yaml"


def test_merge_patch_changes_and_removes_keys(kubesim, ns):
    body = gateway("gw", ns)
    body["metadata"]["labels"] = {"keep": "1", "drop": "1"}
    kubesim.api("POST", gateways_path(ns), body)
    status, patched = kubesim.api("PATCH", gateways_path(ns, "gw"), {"metadata": {"labels": {"drop": None}}}, MERGE)
    assert status == 200 and patched["metadata"]["labels"] == {"keep": "1"}


def test_noop_merge_patch_keeps_resource_version(kubesim, ns):
    obj = kubesim.api("POST", gateways_path(ns), gateway("gw", ns))[1]
    patched = kubesim.api("PATCH", gateways_path(ns, "gw"), {"spec": obj["spec"]}, MERGE)[1]
    assert patched["metadata"]["resourceVersion"] == obj["metadata"]["resourceVersion"]


def test_patch_with_stale_resource_version_conflicts(kubesim, ns):
    kubesim.api("POST", gateways_path(ns), gateway("gw", ns))
    status, body = kubesim.api("PATCH", gateways_path(ns, "gw"),
                               {"metadata": {"resourceVersion": "1", "labels": {"a": "b"}}}, MERGE)
    assert status == 409 and body["reason"] == "Conflict"


def test_json_patch_and_failed_test_is_422(kubesim, ns):
    kubesim.api("POST", gateways_path(ns), gateway("gw", ns))
    ops = [{"op": "test", "path": "/spec/servers/0/port/number", "value": 80},
           {"op": "replace", "path": "/spec/servers/0/port/number", "value": 8080}]
    status, body = kubesim.api("PATCH", gateways_path(ns, "gw"), ops, JSON_PATCH)
    assert status == 200 and body["spec"]["servers"][0]["port"]["number"] == 8080
    status, body = kubesim.api("PATCH", gateways_path(ns, "gw"), ops, JSON_PATCH)
    assert status == 422 and body["reason"] == "Invalid"
    assert kubesim.api("GET", gateways_path(ns, "gw"))[1]["spec"]["servers"][0]["port"]["number"] == 8080


def test_strategic_merge_refused_for_custom_resources(kubesim, ns):
    kubesim.api("POST", gateways_path(ns), gateway("gw", ns))
    status, body = kubesim.api("PATCH", gateways_path(ns, "gw"), {"metadata": {"labels": {"a": "b"}}}, STRATEGIC)
    assert status == 415 and body["reason"] == "UnsupportedMediaType"
    assert body["message"] == ("the body of the request was in an unknown format - accepted media types include: "
                               "application/json-patch+json, application/merge-patch+json, "
                               "application/apply-patch+yaml")


def test_strategic_merge_on_builtin_merges_lists_by_key(kubesim, ns):
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                  "spec": {"selector": {"matchLabels": {"app": "web"}},
                           "template": {"metadata": {"labels": {"app": "web"}},
                                        "spec": {"containers": [{"name": "a", "image": "nginx:1"},
                                                                {"name": "b", "image": "busybox"}]}}}}
    assert kubesim.api("POST", f"/apis/apps/v1/namespaces/{ns}/deployments", deployment)[0] == 201
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "a", "image": "nginx:2"}]}}}}
    status, body = kubesim.api("PATCH", f"/apis/apps/v1/namespaces/{ns}/deployments/web", patch, STRATEGIC)
    assert status == 200
    assert [(c["name"], c["image"]) for c in body["spec"]["template"]["spec"]["containers"]] == [
        ("a", "nginx:2"), ("b", "busybox")]
    assert body["metadata"]["generation"] == 2


def test_unknown_patch_type_is_415(kubesim, ns):
    kubesim.api("POST", gateways_path(ns), gateway("gw", ns))
    assert kubesim.api("PATCH", gateways_path(ns, "gw"), {"a": 1}, "application/json")[0] == 415


def test_patch_of_missing_object_is_404(kubesim, ns):
    assert kubesim.api("PATCH", gateways_path(ns, "gw"), {"metadata": {}}, MERGE)[0] == 404


def test_server_side_apply_creates_then_merges(kubesim, ns):
    path = gateways_path(ns, "gw") + "?fieldManager=test"
    status, created = kubesim.api("PATCH", path, yaml.safe_dump(gateway("gw", ns)), APPLY)
    assert status == 201 and created["metadata"]["generation"] == 1
    status, again = kubesim.api("PATCH", path, yaml.safe_dump(gateway("gw", ns)), APPLY)
    assert status == 200 and again["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]
    labelled = gateway("gw", ns)
    labelled["metadata"]["labels"] = {"a": "b"}
    merged = kubesim.api("PATCH", path, yaml.safe_dump(labelled), APPLY)[1]
    assert merged["metadata"]["labels"] == {"a": "b"} and merged["spec"] == created["spec"]


def test_server_side_apply_requires_field_manager(kubesim, ns):
    status, body = kubesim.api("PATCH", gateways_path(ns, "gw"), yaml.safe_dump(gateway("gw", ns)), APPLY)
    assert status == 422
    assert body["details"]["causes"][0]["field"] == "fieldManager"


def test_server_side_apply_validates(kubesim, ns):
    status, body = kubesim.api("PATCH", gateways_path(ns, "gw") + "?fieldManager=t",
                               yaml.safe_dump(gateway("gw", ns, port={"name": "http"})), APPLY)
    assert status == 422 and kubesim.api("GET", gateways_path(ns, "gw"))[0] == 404


def test_force_only_for_apply(kubesim, ns):
    kubesim.api("POST", gateways_path(ns), gateway("gw", ns))
    status, body = kubesim.api("PATCH", gateways_path(ns, "gw") + "?force=true", {"metadata": {}}, MERGE)
    assert status == 422 and body["details"]["causes"][0]["field"] == "force"
