"""Discovery and OpenAPI documents, CRD registration."""

from __future__ import annotations

from typing import Any

pytest_plugins = ["kubesim.pytest_plugin"]


def test_version(kubesim):
    status, body = kubesim.api("GET", "/version")
    assert status == 200 and body["major"] == "1" and body["minor"] == "30" and body["gitVersion"] == "v1.30.0"


def test_core_and_group_lists(kubesim):
    assert kubesim.api("GET", "/api")[1]["versions"] == ["v1"]
    groups = {g["name"]: g for g in kubesim.api("GET", "/apis")[1]["groups"]}
    assert {"apps", "rbac.authorization.k8s.io", "apiextensions.k8s.io", "policy", "autoscaling",
            "admissionregistration.k8s.io", "networking.istio.io"} <= set(groups)
    istio = kubesim.api("GET", "/apis/networking.istio.io")[1]
    assert istio["kind"] == "APIGroup"
    assert [v["version"] for v in istio["versions"]] == ["v1", "v1beta1", "v1alpha3"]
    assert istio["preferredVersion"]["version"] == "v1"


def test_resource_lists(kubesim):
    core = {r["name"]: r for r in kubesim.api("GET", "/api/v1")[1]["resources"]}
    assert core["services"]["shortNames"] == ["svc"] and core["services"]["namespaced"]
    assert not core["namespaces"]["namespaced"] and "patch" in core["namespaces"]["verbs"]
    assert core["services/status"]["verbs"] == ["get", "patch", "update"]
    for version in ("v1", "v1beta1", "v1alpha3"):
        listing = kubesim.api("GET", f"/apis/networking.istio.io/{version}")[1]
        gateways = next(r for r in listing["resources"] if r["name"] == "gateways")
        assert gateways["kind"] == "Gateway" and gateways["shortNames"] == ["gw"]
    assert kubesim.api("GET", "/apis/networking.istio.io/v2")[0] == 404


def test_crd_is_established(kubesim):
    status, crd = kubesim.api("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/"
                                     "gateways.networking.istio.io")
    assert status == 200
    conditions = {c["type"]: c["status"] for c in crd["status"]["conditions"]}
    assert conditions == {"NamesAccepted": "True", "Established": "True"}
    assert crd["status"]["acceptedNames"]["kind"] == "Gateway" and crd["status"]["storedVersions"] == ["v1"]


def test_creating_and_deleting_a_crd_serves_and_unserves_it(kubesim):
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "widgets.example.com"},
           "spec": {"group": "example.com", "scope": "Cluster",
                    "names": {"plural": "widgets", "kind": "Widget"},
                    "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {
                        "type": "object", "properties": {"spec": {"type": "object", "properties": {
                            "size": {"type": "integer", "maximum": 10}}}}}}}]}}
    assert kubesim.api("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd)[0] == 201
    widget: dict[str, Any] = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"},
                              "spec": {"size": 11}}
    status, error = kubesim.api("POST", "/apis/example.com/v1/widgets", widget)
    assert status == 422 and error["details"]["causes"][0]["field"] == "spec.size"
    widget["spec"]["size"] = 3
    assert kubesim.api("POST", "/apis/example.com/v1/widgets", widget)[0] == 201
    kubesim.api("DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com")
    assert kubesim.api("GET", "/apis/example.com/v1/widgets/w")[0] == 404
    assert "example.com" not in {g["name"] for g in kubesim.api("GET", "/apis")[1]["groups"]}


def test_openapi_v3_declares_field_validation(kubesim):
    index = kubesim.api("GET", "/openapi/v3")[1]["paths"]
    url = index["apis/networking.istio.io/v1"]["serverRelativeURL"]
    document = kubesim.api("GET", url)[1]
    item = document["paths"]["/apis/networking.istio.io/v1/namespaces/{namespace}/gateways/{name}"]
    assert "fieldValidation" in {p["name"] for p in item["patch"]["parameters"]}
    assert item["patch"]["x-kubernetes-group-version-kind"]["kind"] == "Gateway"
