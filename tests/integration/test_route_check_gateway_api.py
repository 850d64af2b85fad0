"""route_check, ingress_info and the service_type_switch guard on the Kubernetes Gateway API, against a kubesim of the
module's own with the Istio and Gateway API CRDs (its stand-in for Istio's Gateway API controller deploys each
Gateway as ``<gateway>-istio`` and writes the Gateways' and HTTPRoutes' status). The Gateway API CRDs come from
``../shared/gateway-api`` ($GATEWAY_API_CRDS_DIR...): skipped when absent, a failure under CI=true."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from kubesim.testing import KubeSim

API = "gateway.networking.k8s.io/v1"
HOST = "shop.example.com"


@pytest.fixture(scope="module")
def gateway_api_sim(attach_kubesim, tmp_path_factory, istio_crds_dir: Path, gateway_api_crds_dir: Path) -> Iterator[tuple]:
    """``(Cluster, run_playbook, kubeconfig)`` of a kubesim with the Istio and the Gateway API CRDs."""
    with KubeSim(tmp_path_factory.mktemp("kubesim-gwread"), load=[istio_crds_dir, gateway_api_crds_dir]) as sim:
        yield (*attach_kubesim(sim), str(sim.kubeconfig))


def wait_for(check: Callable[[], Any], timeout: float = 10.0) -> Any:
    """The first truthy value of ``check()`` (kubesim's controllers act after the write)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("condition not met in %ss" % timeout)


def create(cluster, namespace: str, plural: str, body: dict, api: str = API) -> dict:
    prefix = "/api/v1" if api == "v1" else "/apis/" + api
    status, answer = cluster.api("POST", "%s/namespaces/%s/%s" % (prefix, namespace, plural),
                                 dict(body, apiVersion=api, metadata=dict(body["metadata"], namespace=namespace)))
    assert status == 201, answer
    return answer


def condition(obj: dict, kind: str) -> str:
    return next((c["status"] for c in (obj.get("status") or {}).get("conditions") or [] if c["type"] == kind), "")


def setup_shop(cluster, namespace: str) -> None:
    """A LoadBalancer Service ``web`` and a Gateway API Gateway ``edge`` (class istio) on port 80 for HOST, Programmed."""
    cluster.ensure_namespace(namespace)
    create(cluster, namespace, "services", {"kind": "Service", "metadata": {"name": "web"}, "spec": {
        "type": "LoadBalancer", "selector": {"app": "web"}, "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}},
        api="v1")
    create(cluster, namespace, "gateways", {"kind": "Gateway", "metadata": {"name": "edge"}, "spec": {
        "gatewayClassName": "istio", "listeners": [{"name": "http", "port": 80, "protocol": "HTTP", "hostname": HOST}]}})
    wait_for(lambda: condition(cluster.get("/apis/%s/namespaces/%s/gateways/edge" % (API, namespace)) or {},
                               "Programmed") == "True")


def http_route(name: str, backend_refs: list) -> dict:
    return {"kind": "HTTPRoute", "metadata": {"name": name}, "spec": {
        "parentRefs": [{"name": "edge"}], "hostnames": [HOST], "rules": [{"backendRefs": backend_refs}]}}


def accepted(cluster, namespace: str, name: str) -> bool:
    route = cluster.get("/apis/%s/namespaces/%s/httproutes/%s" % (API, namespace, name)) or {}
    return any(condition({"status": parent}, "Accepted") == "True"
               for parent in (route.get("status") or {}).get("parents") or [])


def switch_tasks(kubeconfig: str, namespace: str) -> list:
    return [
        {"name": "Check", "register": "checked", "meshsmith.istio.route_check": {
            "request_host": HOST, "namespaces": [namespace], "fail_on": "never", "kubeconfig": kubeconfig}},
        {"name": "Ingress", "meshsmith.istio.ingress_info": {
            "k8s_gateway": "edge", "gateway_namespace": namespace, "kubeconfig": kubeconfig}},
        {"name": "Switch", "block": [
            {"name": "Run the role", "ansible.builtin.include_role": {"name": "meshsmith.istio.service_type_switch"},
             "vars": {"service_type_switch_services": [{"name": "web", "namespace": namespace}],
                      "service_type_switch_kubeconfig": kubeconfig}},
            {"name": "Record", "ansible.builtin.set_fact": {"outcome": "switched"}},
        ], "rescue": [{"name": "Record the refusal", "ansible.builtin.set_fact": {"outcome": "{{ ansible_failed_result.msg }}"}}]},
        {"name": "Report", "ansible.builtin.debug": {"var": "outcome"}},
    ]


def test_the_switch_waits_for_an_httproute_and_route_check_follows_it(gateway_api_sim) -> None:
    cluster, run_playbook, kubeconfig = gateway_api_sim
    namespace = "gwread-switch"
    service_path = "/api/v1/namespaces/%s/services/web" % namespace
    setup_shop(cluster, namespace)

    without = run_playbook(switch_tasks(kubeconfig, namespace), diff=False)

    assert without.rc == 0, without.stdout[-4000:] + without.stderr
    checked = without.task("Check").result
    assert checked["route"] is None and checked["routed_services"] == []
    assert without.task("Report").result["outcome"].startswith(
        "Refusing to switch Service %s/web to ClusterIP: no VirtualService bound to an existing Gateway" % namespace)
    assert cluster.get(service_path)["spec"]["type"] == "LoadBalancer"
    # Istio's 7 LISTs, then Gateways, HTTPRoutes and ReferenceGrants of the Gateway API: one LIST each
    assert [call[1].split("?")[0] for call in without.task("Check").calls()][7:] == [
        "/apis/gateway.networking.k8s.io/v1/gateways", "/apis/gateway.networking.k8s.io/v1/httproutes",
        "/apis/gateway.networking.k8s.io/v1beta1/referencegrants"]

    create(cluster, namespace, "httproutes", http_route("web", [{"name": "web", "port": 80}]))
    wait_for(lambda: accepted(cluster, namespace, "web"))
    with_route = run_playbook(switch_tasks(kubeconfig, namespace), diff=False)

    assert with_route.rc == 0, with_route.stdout[-4000:] + with_route.stderr
    checked = with_route.task("Check").result
    assert checked["findings"] == []
    assert checked["summary"] == (
        "http://%s/ → Gateway %s/edge (gateway.networking.k8s.io/v1) listener http → HTTPRoute %s/web rules[0] → "
        "Service %s/web:80" % (HOST, namespace, namespace, namespace))
    assert {"namespace": namespace, "name": "web", "port": 80} in checked["routed_services"]
    gateway = cluster.get("/apis/%s/namespaces/%s/gateways/edge" % (API, namespace))
    ingress = with_route.task("Ingress").result
    assert ingress["addresses"] == [entry["value"] for entry in gateway["status"]["addresses"]] != []
    assert ingress["service"] == {"namespace": namespace, "name": "edge-istio", "type": "LoadBalancer"}
    assert ingress["urls"] == ["http://%s/" % ingress["addresses"][0]]
    assert ingress["k8s_gateway"] == {"namespace": namespace, "name": "edge", "gateway_class": "istio", "programmed": True}
    assert len(with_route.task("Ingress").calls()) == 2  # GET of the Gateway, LIST of its namespace's Services
    assert with_route.task("Report").result["outcome"] == "switched"
    assert cluster.get(service_path)["spec"]["type"] == "ClusterIP"


def test_route_check_reports_a_missing_backend_and_a_missing_reference_grant(gateway_api_sim) -> None:
    cluster, run_playbook, kubeconfig = gateway_api_sim
    namespace, backend_namespace = "gwread-broken", "gwread-backend"
    setup_shop(cluster, namespace)
    cluster.ensure_namespace(backend_namespace)
    create(cluster, backend_namespace, "services", {"kind": "Service", "metadata": {"name": "api"}, "spec": {
        "selector": {"app": "api"}, "ports": [{"port": 8080}]}}, api="v1")
    create(cluster, namespace, "httproutes", http_route("broken", [
        {"name": "ghost", "port": 80}, {"name": "api", "namespace": backend_namespace, "port": 8080}]))
    wait_for(lambda: accepted(cluster, namespace, "broken"))
    task = {"name": "Analyse", "meshsmith.istio.route_check": {
        "namespaces": [namespace], "fail_on": "never", "kubeconfig": kubeconfig}}

    before = run_playbook([task], diff=False).task("Analyse").result

    assert [(f["code"], f["resource"], f["field"], f["message"]) for f in before["findings"]] == [
        ("IST0101", "HTTPRoute %s/broken" % namespace, "rules[0].backendRefs[0]",
         'Referenced backend Service not found: "%s/ghost"' % namespace),
        ("REFERENCE_NOT_PERMITTED", "HTTPRoute %s/broken" % namespace, "rules[0].backendRefs[1]",
         'backendRef %s/api not accessible to a HTTPRoute in namespace "%s" (missing a ReferenceGrant?)'
         % (backend_namespace, namespace)),
    ]
    assert {"namespace": backend_namespace, "name": "api", "port": 8080} not in before["routed_services"]

    create(cluster, backend_namespace, "referencegrants", {"kind": "ReferenceGrant", "metadata": {"name": "shop"}, "spec": {
        "from": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "namespace": namespace}],
        "to": [{"group": "", "kind": "Service"}]}}, api="gateway.networking.k8s.io/v1beta1")
    after = run_playbook([task], diff=False).task("Analyse").result

    assert [f["code"] for f in after["findings"]] == ["IST0101"]
    assert {"namespace": backend_namespace, "name": "api", "port": 8080} in after["routed_services"]


def test_ingress_info_names_a_gateway_api_gateway_that_does_not_exist(gateway_api_sim) -> None:
    _cluster, run_playbook, kubeconfig = gateway_api_sim
    run = run_playbook([{"name": "Ingress", "ignore_errors": True, "meshsmith.istio.ingress_info": {
        "k8s_gateway": "nowhere", "gateway_namespace": "gwread-none", "kubeconfig": kubeconfig}}], diff=False)
    assert run.task("Ingress").result["msg"].startswith(
        "Gateway gwread-none/nowhere (gateway.networking.k8s.io/v1) not found")
