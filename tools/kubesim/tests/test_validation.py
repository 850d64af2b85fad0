"""Custom resources validated against their CRD version's openAPIV3Schema; unknown fields pruned."""

from __future__ import annotations

import json
import ssl
import urllib.request

from kubesim_helpers import gateway, gateways_path

pytest_plugins = ["kubesim.pytest_plugin"]


def test_missing_port_number_is_422_with_cause(kubesim, ns):
    status, body = kubesim.api("POST", gateways_path(ns), gateway("x", ns, port={"name": "http", "protocol": "HTTP"}))
    assert status == 422
    assert body["reason"] == "Invalid" and body["code"] == 422 and body["status"] == "Failure"
    assert body["message"] == ('Gateway.networking.istio.io "x" is invalid: '
                               "spec.servers[0].port.number: Required value")
    assert body["details"] == {"name": "x", "group": "networking.istio.io", "kind": "Gateway", "causes": [
        {"reason": "FieldValueRequired", "message": "Required value", "field": "spec.servers[0].port.number"}]}


def test_several_causes_are_listed(kubesim, ns):
    body = gateway("x", ns, port={"number": "eighty", "protocol": "HTTP"})
    status, error = kubesim.api("POST", gateways_path(ns), body)
    assert status == 422
    fields = {c["field"] for c in error["details"]["causes"]}
    assert "spec.servers[0].port.number" in fields and "spec.servers[0].port.name" in fields
    assert error["message"].startswith('Gateway.networking.istio.io "x" is invalid: [')


def test_validated_at_every_served_version(kubesim, ns):
    body = gateway("x", ns, port={"name": "http"})
    body["apiVersion"] = "networking.istio.io/v1beta1"
    assert kubesim.api("POST", gateways_path(ns, version="v1beta1"), body)[0] == 422


def test_unknown_fields_are_pruned_with_a_warning(kubesim, ns):
    body = gateway("x", ns)
    body["spec"]["bogus"] = True
    request = urllib.request.Request(kubesim.url + gateways_path(ns), data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {kubesim.token}",
                                              "Content-Type": "application/json"})
    context = ssl.create_default_context(cafile=str(kubesim.ca_file))
    with urllib.request.urlopen(request, context=context) as response:
        created = json.loads(response.read())
        assert response.headers["Warning"] == '299 - "unknown field \\"spec.bogus\\""'
    assert "bogus" not in created["spec"]
    assert "bogus" not in kubesim.api("GET", gateways_path(ns, "x"))[1]["spec"]


def test_strict_field_validation_refuses_unknown_fields(kubesim, ns):
    body = gateway("x", ns)
    body["spec"]["bogus"] = True
    status, error = kubesim.api("POST", gateways_path(ns) + "?fieldValidation=Strict", body)
    assert status == 400
    assert error["message"] == ('Gateway in version "v1" cannot be handled as a Gateway: strict decoding error: '
                                'unknown field "spec.bogus"')


def test_mismatched_kind_is_400(kubesim, ns):
    body = gateway("x", ns)
    body["kind"] = "VirtualService"
    assert kubesim.api("POST", gateways_path(ns), body)[0] == 400
