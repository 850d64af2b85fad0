"""get/list/create/replace/delete, metadata and resourceVersion semantics, dryRun, Status bodies."""

from __future__ import annotations

import json
import ssl
import urllib.request

from kubesim_helpers import gateway, gateways_path

pytest_plugins = ["kubesim.pytest_plugin"]


def test_create_sets_server_metadata(kubesim, ns):
    status, body = kubesim.api("POST", gateways_path(ns), gateway("gw", ns))
    assert status == 201
    meta = body["metadata"]
    assert meta["uid"] and meta["creationTimestamp"].endswith("Z")
    assert meta["generation"] == 1 and meta["resourceVersion"].isdigit()


def test_create_existing_is_409_already_exists(kubesim, ns):
    kubesim.api("POST", gateways_path(ns), gateway("gw", ns))
    status, body = kubesim.api("POST", gateways_path(ns), gateway("gw", ns))
    assert status == 409
    assert body == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                    "message": 'gateways.networking.istio.io "gw" already exists', "reason": "AlreadyExists",
                    "details": {"name": "gw", "group": "networking.istio.io", "kind": "gateways"}, "code": 409}


def test_get_missing_is_404_status(kubesim, ns):
    status, body = kubesim.api("GET", gateways_path(ns, "nope"))
    assert status == 404
    assert body["reason"] == "NotFound" and body["message"] == 'gateways.networking.istio.io "nope" not found'
    assert body["details"] == {"name": "nope", "group": "networking.istio.io", "kind": "gateways"}


def test_write_into_missing_namespace_is_404(kubesim):
    status, body = kubesim.api("POST", gateways_path("no-such-ns"), gateway("gw", "no-such-ns"))
    assert status == 404
    assert body["message"] == 'namespaces "no-such-ns" not found'


def test_namespace_defaulted_from_url_and_mismatch_rejected(kubesim, ns):
    body = gateway("gw", ns)
    del body["metadata"]["namespace"]
    status, created = kubesim.api("POST", gateways_path(ns), body)
    assert status == 201 and created["metadata"]["namespace"] == ns
    status, error = kubesim.api("POST", gateways_path(ns), gateway("other", "default"))
    assert status == 400 and error["reason"] == "BadRequest"


def test_name_mismatch_on_put_is_400(kubesim, ns):
    kubesim.api("POST", gateways_path(ns), gateway("gw", ns))
    status, body = kubesim.api("PUT", gateways_path(ns, "gw"), gateway("other", ns))
    assert status == 400
    assert body["message"] == "the name of the object (other) does not match the name on the URL (gw)"


def test_generate_name(kubesim, ns):
    body = gateway("", ns)
    body["metadata"] = {"generateName": "gw-", "namespace": ns}
    status, created = kubesim.api("POST", gateways_path(ns), body)
    assert status == 201 and created["metadata"]["name"].startswith("gw-") and len(created["metadata"]["name"]) > 3


def test_invalid_name_is_422(kubesim, ns):
    status, body = kubesim.api("POST", gateways_path(ns), gateway("Bad_Name", ns))
    assert status == 422
    assert body["details"]["causes"][0]["field"] == "metadata.name"


def test_noop_replace_keeps_resource_version(kubesim, ns):
    created = kubesim.api("POST", gateways_path(ns), gateway("gw", ns))[1]
    status, replaced = kubesim.api("PUT", gateways_path(ns, "gw"), created)
    assert status == 200
    assert replaced["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]
    assert replaced["metadata"]["generation"] == 1


def test_spec_change_bumps_generation_label_change_does_not(kubesim, ns):
    obj = kubesim.api("POST", gateways_path(ns), gateway("gw", ns))[1]
    obj["metadata"]["labels"] = {"a": "b"}
    labelled = kubesim.api("PUT", gateways_path(ns, "gw"), obj)[1]
    assert labelled["metadata"]["generation"] == 1
    assert int(labelled["metadata"]["resourceVersion"]) > int(obj["metadata"]["resourceVersion"])
    labelled["spec"]["servers"][0]["hosts"] = ["example.com"]
    changed = kubesim.api("PUT", gateways_path(ns, "gw"), labelled)[1]
    assert changed["metadata"]["generation"] == 2


def test_stale_resource_version_is_409_conflict(kubesim, ns):
    obj = kubesim.api("POST", gateways_path(ns), gateway("gw", ns))[1]
    stale = dict(obj, metadata=dict(obj["metadata"]))
    obj["spec"]["servers"][0]["hosts"] = ["a.example.com"]
    assert kubesim.api("PUT", gateways_path(ns, "gw"), obj)[0] == 200
    stale["spec"] = {"servers": [{"port": {"number": 81, "name": "h", "protocol": "HTTP"}, "hosts": ["*"]}]}
    status, body = kubesim.api("PUT", gateways_path(ns, "gw"), stale)
    assert status == 409 and body["reason"] == "Conflict"
    assert body["message"] == ('Operation cannot be fulfilled on gateways.networking.istio.io "gw": the object has '
                               "been modified; please apply your changes to the latest version and try again")


def test_versions_share_storage(kubesim, ns):
    kubesim.api("POST", gateways_path(ns), gateway("gw", ns))
    for version in ("v1beta1", "v1alpha3"):
        status, body = kubesim.api("GET", gateways_path(ns, "gw", version))
        assert status == 200 and body["apiVersion"] == f"networking.istio.io/{version}"


def test_list_kind_version_and_selectors(kubesim, ns):
    for name, tier in (("a", "web"), ("b", "db"), ("c", "web")):
        body = gateway(name, ns)
        body["metadata"]["labels"] = {"tier": tier}
        kubesim.api("POST", gateways_path(ns), body)
    listing = kubesim.api("GET", gateways_path(ns))[1]
    assert listing["kind"] == "GatewayList" and listing["apiVersion"] == "networking.istio.io/v1"
    assert listing["metadata"]["resourceVersion"].isdigit()
    assert [i["metadata"]["name"] for i in listing["items"]] == ["a", "b", "c"]
    web = kubesim.api("GET", gateways_path(ns) + "?labelSelector=tier%3Dweb")[1]
    assert [i["metadata"]["name"] for i in web["items"]] == ["a", "c"]
    by_name = kubesim.api("GET", gateways_path(ns) + "?fieldSelector=metadata.name%3Db")[1]
    assert [i["metadata"]["name"] for i in by_name["items"]] == ["b"]


def test_list_across_namespaces(kubesim, ns):
    kubesim.api("POST", f"/api/v1/namespaces/{ns}/configmaps", {"metadata": {"name": "cm"}, "data": {"k": "v"}})
    listing = kubesim.api("GET", "/api/v1/configmaps")[1]
    assert listing["kind"] == "ConfigMapList"
    assert (ns, "cm") in {(i["metadata"]["namespace"], i["metadata"]["name"]) for i in listing["items"]}


def test_bad_label_selector_is_400(kubesim, ns):
    status, body = kubesim.api("GET", gateways_path(ns) + "?labelSelector=a%20in%20(")
    assert status == 400 and body["reason"] == "BadRequest"


def test_delete_returns_object_then_404(kubesim, ns):
    kubesim.api("POST", gateways_path(ns), gateway("gw", ns))
    status, body = kubesim.api("DELETE", gateways_path(ns, "gw"))
    assert status == 200 and body["metadata"]["name"] == "gw"
    status, body = kubesim.api("DELETE", gateways_path(ns, "gw"))
    assert status == 404 and body["reason"] == "NotFound"


def test_delete_builtin_returns_success_status(kubesim, ns):
    kubesim.api("POST", f"/api/v1/namespaces/{ns}/configmaps", {"metadata": {"name": "cm"}})
    status, body = kubesim.api("DELETE", f"/api/v1/namespaces/{ns}/configmaps/cm")
    assert status == 200 and body["kind"] == "Status" and body["status"] == "Success"


def test_delete_preconditions(kubesim, ns):
    obj = kubesim.api("POST", gateways_path(ns), gateway("gw", ns))[1]
    status, body = kubesim.api("DELETE", gateways_path(ns, "gw"), {"preconditions": {"uid": "not-it"}})
    assert status == 409 and body["reason"] == "Conflict" and "UID in precondition: not-it" in body["message"]
    status, body = kubesim.api("DELETE", gateways_path(ns, "gw"), {"preconditions": {"resourceVersion": "1"}})
    assert status == 409 and "ResourceVersion in precondition: 1" in body["message"]
    status = kubesim.api("DELETE", gateways_path(ns, "gw"),
                         {"preconditions": {"uid": obj["metadata"]["uid"],
                                            "resourceVersion": obj["metadata"]["resourceVersion"]}})[0]
    assert status == 200


def test_dry_run_stores_nothing(kubesim, ns):
    status, body = kubesim.api("POST", gateways_path(ns) + "?dryRun=All", gateway("gw", ns))
    assert status == 201 and body["metadata"]["uid"] and "resourceVersion" not in body["metadata"]
    assert kubesim.api("GET", gateways_path(ns, "gw"))[0] == 404
    obj = kubesim.api("POST", gateways_path(ns), gateway("gw", ns))[1]
    changed = dict(obj, spec=gateway("gw", ns, port={"number": 9, "name": "x", "protocol": "TCP"})["spec"])
    status, body = kubesim.api("PUT", gateways_path(ns, "gw") + "?dryRun=All", changed)
    assert status == 200 and body["spec"]["servers"][0]["port"]["number"] == 9 and body["metadata"]["generation"] == 2
    status = kubesim.api("PATCH", gateways_path(ns, "gw") + "?dryRun=All", {"metadata": {"labels": {"x": "y"}}},
                         "application/merge-patch+json")[0]
    assert status == 200
    assert kubesim.api("DELETE", gateways_path(ns, "gw") + "?dryRun=All")[0] == 200
    assert kubesim.api("GET", gateways_path(ns, "gw"))[1] == obj


def test_dry_run_still_validates(kubesim, ns):
    status, body = kubesim.api("POST", gateways_path(ns) + "?dryRun=All", gateway("gw", ns, port={"name": "http"}))
    assert status == 422 and body["reason"] == "Invalid"


def test_unknown_resource_is_404(kubesim):
    status, body = kubesim.api("GET", "/apis/networking.istio.io/v1/namespaces/default/nothings")
    assert status == 404 and body["message"] == "the server could not find the requested resource"


def test_watch_streams_existing_then_changes(kubesim, ns):
    kubesim.api("POST", gateways_path(ns), gateway("a", ns))
    url = kubesim.url + gateways_path(ns) + "?watch=true&timeoutSeconds=2"
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {kubesim.token}"})
    context = ssl.create_default_context(cafile=str(kubesim.ca_file))
    with urllib.request.urlopen(request, context=context) as stream:
        first = json.loads(stream.readline())
        kubesim.api("POST", gateways_path(ns), gateway("b", ns))
        kubesim.api("DELETE", gateways_path(ns, "a"))
        events = [first, json.loads(stream.readline()), json.loads(stream.readline())]
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in events] == [
        ("ADDED", "a"), ("ADDED", "b"), ("DELETED", "a")]


def test_namespace_gets_name_label_and_active_phase(kubesim, ns):
    body = kubesim.api("GET", f"/api/v1/namespaces/{ns}")[1]
    assert body["metadata"]["labels"]["kubernetes.io/metadata.name"] == ns
    assert body["status"] == {"phase": "Active"}


def test_status_subresource_is_separate(kubesim, ns):
    obj = kubesim.api("POST", gateways_path(ns), dict(gateway("gw", ns), status={"observedGeneration": 7}))[1]
    assert "status" not in obj
    status, body = kubesim.api("PATCH", gateways_path(ns, "gw") + "/status", {"status": {"observedGeneration": 1}},
                               "application/merge-patch+json")
    assert status == 200 and body["status"] == {"observedGeneration": 1} and body["metadata"]["generation"] == 1
    main = kubesim.api("PATCH", gateways_path(ns, "gw"), {"status": {"observedGeneration": 5}},
                       "application/merge-patch+json")[1]
    assert main["status"] == {"observedGeneration": 1}


def test_finalizers_hold_deletion_until_removed(kubesim, ns):
    body = gateway("gw", ns)
    body["metadata"]["finalizers"] = ["example.com/hold"]
    kubesim.api("POST", gateways_path(ns), body)
    status, held = kubesim.api("DELETE", gateways_path(ns, "gw"))
    assert status == 200 and held["metadata"]["deletionTimestamp"]
    assert kubesim.api("GET", gateways_path(ns, "gw"))[0] == 200
    kubesim.api("PATCH", gateways_path(ns, "gw"), {"metadata": {"finalizers": None}}, "application/merge-patch+json")
    assert kubesim.api("GET", gateways_path(ns, "gw"))[0] == 404


def test_delete_collection_by_label(kubesim, ns):
    for name, tier in (("a", "web"), ("b", "db")):
        body = gateway(name, ns)
        body["metadata"]["labels"] = {"tier": tier}
        kubesim.api("POST", gateways_path(ns), body)
    status = kubesim.api("DELETE", gateways_path(ns) + "?labelSelector=tier%3Dweb")[0]
    assert status == 200
    assert [i["metadata"]["name"] for i in kubesim.api("GET", gateways_path(ns))[1]["items"]] == ["b"]


def test_secret_string_data_folded_into_data(kubesim, ns):
    status, secret = kubesim.api("POST", f"/api/v1/namespaces/{ns}/secrets",
                                 {"metadata": {"name": "s"}, "stringData": {"password": "hunter2"}})
    assert status == 201 and secret["data"] == {"password": "aHVudGVyMg=="} and "stringData" not in secret
    assert secret["type"] == "Opaque"


def test_unsupported_dry_run_value_is_422(kubesim, ns):
    status, body = kubesim.api("POST", gateways_path(ns) + "?dryRun=Some", gateway("gw", ns))
    assert status == 422 and body["details"]["causes"][0]["field"] == "dryRun"
    assert kubesim.api("GET", gateways_path(ns, "gw"))[0] == 404
