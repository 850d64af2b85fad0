"""kubesim as strict as kube-apiserver: unconditional updates, whole numbers, Terminating namespaces, pending
load balancers."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from typing import Iterator

import pytest

from kubesim.testing import KubeSim
from kubesim_helpers import gateway, gateways_path

pytest_plugins = ["kubesim.pytest_plugin"]
MERGE = "application/merge-patch+json"


def test_put_without_resource_version_is_refused_for_custom_resources(kubesim, ns):
    kubesim.api("POST", gateways_path(ns), gateway("gw", ns))
    replacement = gateway("gw", ns, port={"number": 8080, "name": "h", "protocol": "HTTP"})
    status, body = kubesim.api("PUT", gateways_path(ns, "gw"), replacement)
    assert status == 422
    assert body == {
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "reason": "Invalid", "code": 422,
        "message": 'gateways.networking.istio.io "gw" is invalid: metadata.resourceVersion: Invalid value: 0x0: '
                   "must be specified for an update",
        "details": {"name": "gw", "group": "networking.istio.io", "kind": "gateways", "causes": [
            {"reason": "FieldValueInvalid", "message": "Invalid value: 0x0: must be specified for an update",
             "field": "metadata.resourceVersion"}]}}
    assert kubesim.api("GET", gateways_path(ns, "gw"))[1]["spec"]["servers"][0]["port"]["number"] == 80
    replacement["metadata"]["resourceVersion"] = kubesim.api("GET", gateways_path(ns, "gw"))[1]["metadata"][
        "resourceVersion"]
    assert kubesim.api("PUT", gateways_path(ns, "gw"), replacement)[0] == 200


def test_put_without_resource_version_stays_unconditional_for_built_ins(kubesim, ns):
    path = f"/api/v1/namespaces/{ns}/configmaps"
    kubesim.api("POST", path, {"metadata": {"name": "cm"}, "data": {"a": "1"}})
    status, body = kubesim.api("PUT", f"{path}/cm", {"metadata": {"name": "cm"}, "data": {"a": "2"}})
    assert status == 200 and body["data"] == {"a": "2"}


def test_whole_numbers_come_back_as_integers(kubesim, ns):
    body = gateway("gw", ns, port={"number": 80.0, "name": "http", "protocol": "HTTP"})
    status, created = kubesim.api("POST", gateways_path(ns), body)
    assert status == 201
    number = created["spec"]["servers"][0]["port"]["number"]
    assert number == 80 and isinstance(number, int)
    raw = kubesim.api("GET", gateways_path(ns, "gw"), headers={"Accept": "application/json"})[1]
    assert isinstance(raw["spec"]["servers"][0]["port"]["number"], int)
    patch = '{"spec": {"servers": [{"port": {"number": 8080.0, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}]}}'
    status, patched = kubesim.api("PATCH", gateways_path(ns, "gw"), patch, MERGE)
    assert status == 200 and repr(patched["spec"]["servers"][0]["port"]["number"]) == "8080"
    yaml_body = (f"apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {{name: gw2, namespace: {ns}}}\n"
                 "spec:\n  servers:\n  - port: {number: 443.0, name: tls, protocol: TLS}\n    hosts: ['*']\n"
                 "    tls: {mode: PASSTHROUGH}\n")
    status, created = kubesim.api("POST", gateways_path(ns), yaml_body, "application/yaml")
    assert status == 201 and repr(created["spec"]["servers"][0]["port"]["number"]) == "443"
    service = {"metadata": {"name": "svc"}, "spec": {"ports": [{"port": 80.0}], "selector": {"app": "x"}}}
    status, created = kubesim.api("POST", f"/api/v1/namespaces/{ns}/services", service)
    assert status == 201 and repr(created["spec"]["ports"][0]["targetPort"]) == "80"
    fraction = gateway("gw3", ns, port={"number": 80.5, "name": "http", "protocol": "HTTP"})
    status, error = kubesim.api("POST", gateways_path(ns), fraction)
    assert status == 422 and "must be of type integer" in error["message"]


@pytest.fixture(scope="module")
def slow_sim(tmp_path_factory: pytest.TempPathFactory, istio_crds_dir) -> Iterator[KubeSim]:
    """A kubesim whose deleted namespaces stay Terminating for 1.5 s; LoadBalancers pending unless annotated, their
    hostnames in the domain strict.lb.test."""
    with KubeSim(tmp_path_factory.mktemp("kubesim-strict"), load=[istio_crds_dir], lb_delay=0.1,
                 extra_args=["--namespace-termination", "1.5", "--lb-pending", "--lb-domain", "strict.lb.test"]) as sim:
        yield sim


def _wait_for(check, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def test_deleted_namespace_is_terminating_then_gone(slow_sim):
    name = f"t-{uuid.uuid4().hex[:8]}"
    slow_sim.api("POST", "/api/v1/namespaces", {"metadata": {"name": name}})
    slow_sim.api("POST", f"/api/v1/namespaces/{name}/configmaps", {"metadata": {"name": "old"}})
    status, body = slow_sim.api("DELETE", f"/api/v1/namespaces/{name}")
    assert status == 200 and body["status"] == {"phase": "Terminating"} and body["metadata"]["deletionTimestamp"]
    status, body = slow_sim.api("GET", f"/api/v1/namespaces/{name}")
    assert status == 200 and body["status"]["phase"] == "Terminating"
    assert slow_sim.api("GET", f"/api/v1/namespaces/{name}/configmaps/old")[0] == 200
    status, error = slow_sim.api("POST", f"/api/v1/namespaces/{name}/configmaps", {"metadata": {"name": "new"}})
    assert status == 403
    assert error == {
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "reason": "Forbidden", "code": 403,
        "message": f'configmaps "new" is forbidden: unable to create new content in namespace {name} because it is '
                   "being terminated",
        "details": {"name": "new", "kind": "configmaps", "causes": [
            {"reason": "NamespaceTerminating", "message": f"namespace {name} is being terminated",
             "field": "metadata.namespace"}]}}
    status, error = slow_sim.api("POST", gateways_path(name), gateway("gw", name))
    assert status == 403 and error["message"].startswith('gateways.networking.istio.io "gw" is forbidden: ')
    assert slow_sim.api("POST", "/api/v1/namespaces", {"metadata": {"name": name}})[0] == 409
    assert slow_sim.api("DELETE", f"/api/v1/namespaces/{name}")[0] == 200
    _wait_for(lambda: slow_sim.api("GET", f"/api/v1/namespaces/{name}")[0] == 404)
    assert slow_sim.api("GET", f"/api/v1/namespaces/{name}/configmaps/old")[0] == 404
    assert slow_sim.api("POST", "/api/v1/namespaces", {"metadata": {"name": name}})[0] == 201
    assert slow_sim.api("GET", f"/api/v1/namespaces/{name}/configmaps")[1]["items"] == []


def _lb_service(name: str, annotations: dict[str, str] | None = None) -> dict:
    return {"metadata": {"name": name, "annotations": annotations or {}},
            "spec": {"type": "LoadBalancer", "ports": [{"port": 80}], "selector": {"app": name}}}


def test_lb_pending_flag_and_annotation(slow_sim):
    path = "/api/v1/namespaces/default/services"
    slow_sim.api("POST", path, _lb_service("pending"))
    slow_sim.api("POST", path, _lb_service("assigned", {"kubesim.meshsmith.io/lb-pending": "false"}))
    assigned = _wait_for(lambda: slow_sim.api("GET", f"{path}/assigned")[1]["status"]["loadBalancer"].get("ingress"))
    assert assigned == [{"hostname": "assigned.default.strict.lb.test"}]
    time.sleep(0.3)
    assert slow_sim.api("GET", f"{path}/pending")[1]["status"] == {"loadBalancer": {}}
    slow_sim.api("PATCH", f"{path}/pending",
                 {"metadata": {"annotations": {"kubesim.meshsmith.io/lb-pending": "false"}}}, MERGE)
    _wait_for(lambda: slow_sim.api("GET", f"{path}/pending")[1]["status"]["loadBalancer"].get("ingress"))


def test_lb_pending_annotation_without_the_flag(kubesim, ns):
    path = f"/api/v1/namespaces/{ns}/services"
    kubesim.api("POST", path, _lb_service("held", {"kubesim.meshsmith.io/lb-pending": "true"}))
    kubesim.api("POST", path, _lb_service("free"))
    _wait_for(lambda: kubesim.api("GET", f"{path}/free")[1]["status"]["loadBalancer"].get("ingress"))
    time.sleep(0.3)
    assert kubesim.api("GET", f"{path}/held")[1]["status"] == {"loadBalancer": {}}


@pytest.mark.parametrize("domain", ["Upper.case", "under_score.example", "a" * 201])
def test_bad_lb_domain_is_refused(tmp_path, domain):
    result = subprocess.run([sys.executable, "-m", "kubesim", "serve", "--kubeconfig", str(tmp_path / "k"),
                             "--lb-domain", domain], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2 and "is not a lowercase DNS subdomain" in result.stderr
