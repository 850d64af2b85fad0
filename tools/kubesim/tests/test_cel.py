"""CRD x-kubernetes-validations (CEL) rules: every shared Istio and Gateway API rule compiles; rules fire with the
API server's 422 wording; messageExpression, fieldPath, reason and oldSelf transition rules."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from kubesim import cel
from kubesim.testing import KubeSim
from kubesim_helpers import REPO_ROOT, gateway, gateways_path

pytest_plugins = ["kubesim.pytest_plugin"]

GATEWAY_API_CRDS = Path(os.environ.get("GATEWAY_API_CRDS_DIR") or REPO_ROOT.parent / "shared" / "gateway-api" / "crds")
K8S_GW = "/apis/gateway.networking.k8s.io/v1"
ISTIO = "/apis/networking.istio.io/v1"


def _shared_crds(directory: Path) -> list[dict[str, Any]]:
    if not directory.is_dir():
        reason = f"CRDs not found at {directory}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return [doc for path in sorted(directory.glob("*.yaml")) for doc in yaml.safe_load_all(path.read_text())
            if doc and doc.get("kind") == "CustomResourceDefinition"]


def _count_rules(schema: Any) -> int:
    if isinstance(schema, dict):
        return len(schema.get("x-kubernetes-validations") or ()) + sum(_count_rules(v) for v in schema.values())
    if isinstance(schema, list):
        return sum(_count_rules(v) for v in schema)
    return 0


@pytest.mark.parametrize("family", ["istio", "gateway-api"])
def test_every_shared_crd_rule_compiles(family, istio_crds_dir):
    directory = istio_crds_dir if family == "istio" else GATEWAY_API_CRDS
    not_compiled, rules = [], 0
    for crd in _shared_crds(directory):
        for version in crd["spec"]["versions"]:
            schema = version["schema"]["openAPIV3Schema"]
            rules += _count_rules(schema)
            not_compiled += [(crd["metadata"]["name"], version["name"], path, error)
                             for path, error in cel.compile_errors(cel.rule_tree(schema))]
    assert rules > 200
    assert not_compiled == []


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory, istio_crds_dir: Path) -> Iterator[KubeSim]:
    """A kubesim with the Istio and Gateway API CRDs and a CRD of its own exercising every rule field."""
    _shared_crds(GATEWAY_API_CRDS)
    with KubeSim(tmp_path_factory.mktemp("kubesim-cel"), load=[istio_crds_dir, GATEWAY_API_CRDS]) as server:
        status, body = server.api("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", WIDGET_CRD)
        assert status == 201, body
        yield server


WIDGET_CRD = {
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.test.kubesim.io"},
    "spec": {"group": "test.kubesim.io", "scope": "Namespaced",
             "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
             "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {
                 "type": "object", "properties": {"spec": {
                     "type": "object",
                     "x-kubernetes-validations": [
                         {"rule": "self.low <= self.high", "fieldPath": ".low", "reason": "FieldValueForbidden",
                          "messageExpression": "'low ' + string(self.low) + ' exceeds high ' + string(self.high)"},
                         {"rule": "self.low != 7"},
                         {"rule": "self.label == oldSelf.label", "message": "label is immutable"},
                         {"rule": "self.label.lowerAscii() == self.label && self.label.indexOf('-') != 0 && "
                                  "self.label.split('.').size() < 3", "message": "bad label"}],
                     "properties": {"low": {"type": "integer"}, "high": {"type": "integer"},
                                    "label": {"type": "string"},
                                    "namespace": {"type": "string",
                                                  "x-kubernetes-validations": [{"rule": "self != 'kube-system'",
                                                                                "reason": "FieldValueRequired",
                                                                                "message": "pick another"}]}},
                     "required": ["low", "high", "label"]}}}}}]}}


def _widget(name: str, **spec: Any) -> dict[str, Any]:
    return {"apiVersion": "test.kubesim.io/v1", "kind": "Widget", "metadata": {"name": name},
            "spec": {"low": 1, "high": 2, "label": "a", **spec}}


def _causes(body: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c["field"], c["message"]) for c in body["details"]["causes"]]


def _post(sim: KubeSim, path: str, body: dict[str, Any]) -> tuple[int, Any]:
    body["metadata"].setdefault("name", f"x-{uuid.uuid4().hex[:6]}")
    return sim.api("POST", path, body)


WIDGETS = "/apis/test.kubesim.io/v1/namespaces/default/widgets"


def test_message_expression_field_path_and_reason(sim):
    status, body = _post(sim, WIDGETS, _widget("w1", low=5, high=1))
    assert status == 422
    assert body["message"] == 'Widget.test.kubesim.io "w1" is invalid: spec.low: Forbidden: low 5 exceeds high 1'
    assert body["details"]["causes"] == [{"reason": "FieldValueForbidden", "field": "spec.low",
                                          "message": "Forbidden: low 5 exceeds high 1"}]


def test_rule_without_message_and_reason_required_on_an_escaped_property(sim):
    status, body = _post(sim, WIDGETS, _widget("w2", low=7, high=8, namespace="kube-system"))
    assert status == 422
    assert _causes(body) == [("spec", 'Invalid value: "object": failed rule: self.low != 7'),
                             ("spec.namespace", "Required value: pick another")]


def test_strings_extension(sim):
    assert _post(sim, WIDGETS, _widget("w3", label="a.b"))[0] == 201
    for bad in ("A", "-a", "a.b.c"):
        status, body = _post(sim, WIDGETS, _widget(f"w-{bad.lower().strip('-.')}x", label=bad))
        assert (status, _causes(body)) == (422, [("spec", 'Invalid value: "object": bad label')]), bad


def test_transition_rule_runs_on_update_only(sim):
    assert _post(sim, WIDGETS, _widget("w4", label="first"))[0] == 201
    current = sim.api("GET", f"{WIDGETS}/w4")[1]
    current["spec"]["label"] = "second"
    status, body = sim.api("PUT", f"{WIDGETS}/w4", current)
    assert (status, _causes(body)) == (422, [("spec", 'Invalid value: "object": label is immutable')])
    status, _ = sim.api("PATCH", f"{WIDGETS}/w4", {"spec": {"high": 3}}, "application/merge-patch+json")
    assert status == 200


def _virtual_service(**http: Any) -> dict[str, Any]:
    route = {"route": [{"destination": {"host": "web"}}], **http}
    return {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": {},
            "spec": {"hosts": ["web"], "http": [route]}}


def test_istio_durations_of_at_least_one_millisecond(sim):
    status, body = _post(sim, f"{ISTIO}/namespaces/default/virtualservices", _virtual_service(timeout="500us"))
    assert status == 422
    assert _causes(body) == [("spec.http[0].timeout",
                              'Invalid value: "string": must be a valid duration greater than 1ms')]
    assert body["message"].endswith('spec.http[0].timeout: Invalid value: "string": must be a valid duration '
                                    "greater than 1ms")
    assert _post(sim, f"{ISTIO}/namespaces/default/virtualservices", _virtual_service(timeout="1ms"))[0] == 201
    status, body = _post(sim, f"{ISTIO}/namespaces/default/virtualservices", _virtual_service(timeout="soon"))
    assert status == 422 and "evaluating rule: must be a valid duration greater than 1ms" in body["message"]


def _service_entry(**spec: Any) -> dict[str, Any]:
    return {"apiVersion": "networking.istio.io/v1", "kind": "ServiceEntry", "metadata": {},
            "spec": {"hosts": ["api.example.com"], "resolution": "DNS", **spec}}


def test_istio_port_ranges_and_unique_port_numbers(sim):
    path = f"{ISTIO}/namespaces/default/serviceentries"
    port = {"number": 443, "name": "https", "protocol": "TLS"}
    status, body = _post(sim, path, _service_entry(ports=[port, {**port, "name": "tls"}]))
    assert (status, _causes(body)) == (422, [("spec.ports", 'Invalid value: "array": port number cannot be '
                                                            "duplicated")])
    status, body = _post(sim, path, _service_entry(ports=[{**port, "number": 70000}]))
    assert (status, _causes(body)) == (422, [("spec.ports[0].number",
                                              'Invalid value: "integer": port must be between 1-65535')])
    assert _post(sim, path, _service_entry(ports=[port]))[0] == 201


def test_istio_mutually_exclusive_fields(sim):
    body = gateway("tls", "default")
    body["spec"]["servers"][0]["port"] = {"number": 443, "name": "https", "protocol": "HTTPS"}
    body["spec"]["servers"][0]["tls"] = {"mode": "SIMPLE", "credentialName": "a", "credentialNames": ["b"]}
    status, error = _post(sim, gateways_path("default"), body)
    assert (status, _causes(error)) == (422, [("spec.servers[0].tls", 'Invalid value: "object": only one of '
                                                                      "credentialName or credentialNames can be set")])
    status, error = _post(sim, f"{ISTIO}/namespaces/default/serviceentries",
                          _service_entry(hosts=["*"], resolution="NONE"))
    assert (status, _causes(error)) == (422, [("spec.hosts[0]", 'Invalid value: "string": hostname cannot be '
                                                                "wildcard")])


def test_istio_url_library(sim):
    path = "/apis/extensions.istio.io/v1alpha1/namespaces/default/wasmplugins"
    plugin = {"apiVersion": "extensions.istio.io/v1alpha1", "kind": "WasmPlugin", "metadata": {},
              "spec": {"url": "oci://registry.example.com/filter:1"}}
    assert _post(sim, path, plugin)[0] == 201
    plugin = {**plugin, "metadata": {}, "spec": {"url": "ftp://example.com/filter.wasm"}}
    status, body = _post(sim, path, plugin)
    assert (status, _causes(body)) == (422, [("spec.url", 'Invalid value: "string": url must have schema one of '
                                                          "[http, https, file, oci]")])


def _k8s_gateway(*listeners: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway", "metadata": {},
            "spec": {"gatewayClassName": "istio", "listeners": list(listeners)}}


def test_gateway_api_listener_rules(sim):
    path = f"{K8S_GW}/namespaces/default/gateways"
    http = {"name": "web", "port": 80, "protocol": "HTTP"}
    assert _post(sim, path, _k8s_gateway(http))[0] == 201
    status, body = _post(sim, path, _k8s_gateway(http, {**http, "port": 8080}))
    assert status == 422
    assert ("spec.listeners", 'Invalid value: "array": Listener name must be unique within the Gateway') in \
        _causes(body)
    status, body = _post(sim, path, _k8s_gateway({**http, "tls": {"mode": "Terminate",
                                                                   "certificateRefs": [{"name": "c"}]}}))
    assert status == 422
    assert ("spec.listeners", "Invalid value: \"array\": tls must not be specified for protocols ['HTTP', 'TCP', "
                              "'UDP']") in _causes(body)


def test_gateway_api_route_rules(sim):
    path = f"{K8S_GW}/namespaces/default/httproutes"
    parent = {"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "gw"}
    route = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": {},
             "spec": {"parentRefs": [parent, parent], "hostnames": ["web.example.com"]}}
    status, body = _post(sim, path, route)
    assert status == 422
    assert ("spec.parentRefs", 'Invalid value: "array": sectionName must be unique when parentRefs includes 2 or '
                               "more references to the same parent") in _causes(body)
    route["metadata"] = {}
    route["spec"] = {"parentRefs": [{"name": "gw"}],
                     "rules": [{"matches": [{"path": {"type": "PathPrefix", "value": "api"}}]}]}
    status, body = _post(sim, path, route)
    assert status == 422
    assert ("spec.rules[0].matches[0].path", "Invalid value: \"object\": value must be an absolute path and start "
                                             "with '/' when type one of ['Exact', 'PathPrefix']") in _causes(body)


def test_gateway_api_immutable_field_transition(sim):
    path = f"{K8S_GW}/gatewayclasses"
    body = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass", "metadata": {"name": "c1"},
            "spec": {"controllerName": "example.com/one"}}
    assert sim.api("POST", path, body)[0] == 201
    status, error = sim.api("PATCH", f"{path}/c1", {"spec": {"controllerName": "example.com/two"}},
                            "application/merge-patch+json")
    assert (status, _causes(error)) == (422, [("spec.controllerName", 'Invalid value: "string": Value is immutable')])
