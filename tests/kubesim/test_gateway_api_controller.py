"""kubesim's stand-in for istiod's Gateway API controller: GatewayClass istio, each Gateway's Deployment and
LoadBalancer Service, the Gateway's and HTTPRoute's status, as a client (kubernetes, kubectl) sees them."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from kubernetes import config, dynamic

from kubesim import gateway_api, schema
from kubesim.testing import KubeSim
from kubesim_helpers import VENV_BIN, wait_for

pytest_plugins = ["kubesim.pytest_plugin"]

GW_API = "gateway.networking.k8s.io/v1"
CONTROLLER = "istio.io/gateway-controller"
MANAGED = {"gateway.networking.k8s.io/gateway-name": "edge", "gateway.istio.io/managed": "istio.io-gateway-controller"}


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory, gateway_api_crds_dir: Path) -> Iterator[KubeSim]:
    """A kubesim with the pinned Gateway API CRDs, as istiod would find them at start-up."""
    with KubeSim(tmp_path_factory.mktemp("kubesim-gwapi"), load=[gateway_api_crds_dir], lb_delay=0.3) as server:
        yield server


@pytest.fixture(scope="module")
def dyn(sim: KubeSim) -> dynamic.DynamicClient:
    return dynamic.DynamicClient(config.new_client_from_config(config_file=str(sim.kubeconfig)))


@pytest.fixture
def namespace(sim: KubeSim) -> Iterator[str]:
    name = f"gw-{uuid.uuid4().hex[:8]}"
    assert sim.api("POST", "/api/v1/namespaces", {"metadata": {"name": name, "labels": {"team": "web"}}})[0] == 201
    yield name
    sim.api("DELETE", f"/api/v1/namespaces/{name}")


def gateway(name: str = "edge", listeners: list[dict[str, Any]] | None = None, **spec: Any) -> dict[str, Any]:
    listeners = listeners or [{"name": "http", "port": 80, "protocol": "HTTP"}]
    return {"apiVersion": GW_API, "kind": "Gateway", "metadata": {"name": name},
            "spec": {"gatewayClassName": "istio", "listeners": listeners, **spec}}


def http_route(name: str, parent_refs: list[dict[str, Any]], backend: str = "web", **spec: Any) -> dict[str, Any]:
    return {"apiVersion": GW_API, "kind": "HTTPRoute", "metadata": {"name": name},
            "spec": {"parentRefs": parent_refs,
                     "rules": [{"backendRefs": [{"name": backend, "port": 8080}]}], **spec}}


def backend_service(sim: KubeSim, namespace: str, name: str = "web") -> None:
    body = {"metadata": {"name": name}, "spec": {"selector": {"app": name}, "ports": [{"port": 8080}]}}
    assert sim.api("POST", f"/api/v1/namespaces/{namespace}/services", body)[0] == 201


def get(sim: KubeSim, path: str) -> dict[str, Any] | None:
    status, body = sim.api("GET", path)
    return body if status == 200 else None


def condition(obj: dict[str, Any] | None, kind: str) -> dict[str, Any]:
    return next((c for c in ((obj or {}).get("status") or {}).get("conditions") or () if c["type"] == kind), {})


def gateway_path(namespace: str, name: str = "edge") -> str:
    return f"/apis/{GW_API}/namespaces/{namespace}/gateways/{name}"


def route_parents(sim: KubeSim, namespace: str, name: str) -> list[dict[str, Any]]:
    """The route's status.parents once the controller has written them."""
    path = f"/apis/{GW_API}/namespaces/{namespace}/httproutes/{name}"
    return wait_for(lambda: ((get(sim, path) or {}).get("status") or {}).get("parents"))


def parent_conditions(parent: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {c["type"]: (c["status"], c["reason"]) for c in parent["conditions"]}


def test_gateway_class_istio_exists_and_is_accepted(sim):
    gateway_class = wait_for(lambda: condition(get(sim, f"/apis/{GW_API}/gatewayclasses/istio"), "Accepted")
                             and get(sim, f"/apis/{GW_API}/gatewayclasses/istio"))
    assert gateway_class["spec"]["controllerName"] == CONTROLLER
    assert condition(gateway_class, "Accepted")["status"] == "True"
    assert condition(gateway_class, "Accepted")["message"] == "Handled by Istio controller"
    assert sim.api("DELETE", f"/apis/{GW_API}/gatewayclasses/istio")[0] == 200
    again = wait_for(lambda: get(sim, f"/apis/{GW_API}/gatewayclasses/istio"))
    assert again["metadata"]["uid"] != gateway_class["metadata"]["uid"]


def test_gateway_gets_deployment_and_load_balancer_service_then_programmed(sim, dyn, namespace):
    backend_service(sim, namespace)
    gateways = dyn.resources.get(api_version=GW_API, kind="Gateway")
    routes = dyn.resources.get(api_version=GW_API, kind="HTTPRoute")
    listeners = [{"name": "http", "port": 80, "protocol": "HTTP"},
                 {"name": "web", "port": 80, "protocol": "HTTP", "hostname": "web.example.com"},
                 {"name": "https", "port": 443, "protocol": "HTTPS",
                  "tls": {"certificateRefs": [{"name": "edge-cert"}]}}]
    gateways.create(body=gateway(listeners=listeners), namespace=namespace)
    routes.create(body=http_route("web", [{"name": "edge", "sectionName": "http"}]), namespace=namespace)

    service = wait_for(lambda: get(sim, f"/api/v1/namespaces/{namespace}/services/edge-istio"))
    assert MANAGED.items() <= service["metadata"]["labels"].items()
    assert [(p["name"], p["port"], p["appProtocol"]) for p in service["spec"]["ports"]] == [
        ("status-port", 15021, "tcp"), ("http", 80, "http"), ("https", 443, "https")]
    assert service["spec"]["type"] == "LoadBalancer"
    gw = get(sim, gateway_path(namespace))
    owner = {"apiVersion": GW_API, "kind": "Gateway", "name": "edge", "uid": gw["metadata"]["uid"]}
    assert service["metadata"]["ownerReferences"] == [owner]
    deployment = get(sim, f"/apis/apps/v1/namespaces/{namespace}/deployments/edge-istio")
    assert MANAGED.items() <= deployment["metadata"]["labels"].items()
    assert deployment["metadata"]["ownerReferences"] == [owner]
    assert deployment["spec"]["selector"]["matchLabels"] == {"gateway.networking.k8s.io/gateway-name": "edge"}

    programmed = wait_for(lambda: condition(get(sim, gateway_path(namespace)), "Programmed").get("status") == "True"
                          and get(sim, gateway_path(namespace)))
    hostname = f"edge-istio.{namespace}.lb.kubesim.local"
    assert programmed["status"]["addresses"] == [{"type": "Hostname", "value": hostname}]
    assert condition(programmed, "Programmed")["message"] == (
        f"Resource programmed, assigned to service(s) edge-istio.{namespace}.svc.cluster.local:443 and "
        f"edge-istio.{namespace}.svc.cluster.local:80")
    assert condition(programmed, "Accepted")["reason"] == "Accepted"
    http = programmed["status"]["listeners"][0]
    assert (http["name"], http["attachedRoutes"]) == ("http", 1)
    assert {c["type"]: c["status"] for c in http["conditions"]} == {
        "Accepted": "True", "Conflicted": "False", "Programmed": "True", "ResolvedRefs": "True"}
    assert http["supportedKinds"] == [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute"},
                                      {"group": "gateway.networking.k8s.io", "kind": "GRPCRoute"}]
    assert [item["attachedRoutes"] for item in programmed["status"]["listeners"]] == [1, 0, 0]

    [parent] = route_parents(sim, namespace, "web")
    assert parent["controllerName"] == CONTROLLER
    assert parent["parentRef"]["name"] == "edge"
    assert parent_conditions(parent) == {"Accepted": ("True", "Accepted"), "ResolvedRefs": ("True", "ResolvedRefs")}


def test_gateway_is_not_programmed_while_the_address_is_pending(sim, namespace):
    body = gateway(infrastructure={"annotations": {"kubesim.meshsmith.io/lb-pending": "true"}})
    assert sim.api("POST", f"/apis/{GW_API}/namespaces/{namespace}/gateways", body)[0] == 201
    pending = wait_for(lambda: condition(get(sim, gateway_path(namespace)), "Programmed")
                       and get(sim, gateway_path(namespace)))
    service = get(sim, f"/api/v1/namespaces/{namespace}/services/edge-istio")
    host = f"edge-istio.{namespace}.svc.cluster.local"
    assert condition(pending, "Programmed")["status"] == "False"
    assert condition(pending, "Programmed")["reason"] == "AddressNotAssigned"
    assert condition(pending, "Programmed")["message"] == (
        f'Assigned to service(s) {host}:80, but failed to assign to all requested addresses: address pending for '
        f'hostname "{host}"')
    assert pending["status"]["addresses"] == [{"type": "IPAddress", "value": service["spec"]["clusterIP"]}]


def test_missing_backend_is_resolved_refs_false_backend_not_found(sim, namespace):
    sim.api("POST", f"/apis/{GW_API}/namespaces/{namespace}/gateways", gateway())
    sim.api("POST", f"/apis/{GW_API}/namespaces/{namespace}/httproutes", http_route("web", [{"name": "edge"}], "nope"))
    [parent] = route_parents(sim, namespace, "web")
    assert parent_conditions(parent) == {"Accepted": ("True", "Accepted"),
                                         "ResolvedRefs": ("False", "BackendNotFound")}
    resolved = next(c for c in parent["conditions"] if c["type"] == "ResolvedRefs")
    assert resolved["message"] == f"backend(nope.{namespace}.svc.cluster.local) not found"
    backend_service(sim, namespace, "nope")
    wait_for(lambda: parent_conditions(route_parents(sim, namespace, "web")[0])["ResolvedRefs"][0] == "True")


def test_route_refused_by_missing_parent_hostnames_and_allowed_namespaces(sim, namespace):
    backend_service(sim, namespace)
    listeners = [{"name": "shop", "port": 80, "protocol": "HTTP", "hostname": "shop.example.com"}]
    sim.api("POST", f"/apis/{GW_API}/namespaces/{namespace}/gateways", gateway(listeners=listeners))
    routes = f"/apis/{GW_API}/namespaces/{namespace}/httproutes"
    sim.api("POST", routes, http_route("ghost", [{"name": "absent"}]))
    sim.api("POST", routes, http_route("blog", [{"name": "edge"}], hostnames=["blog.example.com"]))
    sim.api("POST", routes, http_route("shop", [{"name": "edge"}], hostnames=["shop.example.com"]))
    sim.api("POST", routes, http_route("section", [{"name": "edge", "sectionName": "other"}]))
    [ghost] = route_parents(sim, namespace, "ghost")
    assert parent_conditions(ghost)["Accepted"] == ("False", "NoMatchingParent")
    [blog] = route_parents(sim, namespace, "blog")
    assert parent_conditions(blog)["Accepted"] == ("False", "NoMatchingListenerHostname")
    assert blog["conditions"][0]["message"] == 'no hostnames matched parent hostname "shop.example.com"'
    [section] = route_parents(sim, namespace, "section")
    assert parent_conditions(section)["Accepted"] == ("False", "NoMatchingParent")
    [shop] = route_parents(sim, namespace, "shop")
    assert parent_conditions(shop)["Accepted"] == ("True", "Accepted")
    other = f"gw-{uuid.uuid4().hex[:8]}"
    assert sim.api("POST", "/api/v1/namespaces", {"metadata": {"name": other}})[0] == 201
    try:
        sim.api("POST", f"/apis/{GW_API}/namespaces/{other}/httproutes",
                http_route("away", [{"name": "edge", "namespace": namespace}], hostnames=["shop.example.com"]))
        [away] = route_parents(sim, other, "away")
        assert parent_conditions(away)["Accepted"] == ("False", "NotAllowedByListeners")
        assert away["conditions"][0]["message"] == (
            f'hostnames matched parent hostname "shop.example.com", but namespace "{other}" is not allowed by the '
            f"parent")
    finally:
        sim.api("DELETE", f"/api/v1/namespaces/{other}")
    programmed = wait_for(lambda: (get(sim, gateway_path(namespace)) or {}).get("status", {}).get("listeners"))
    assert programmed[0]["attachedRoutes"] == 1


def test_deleting_the_gateway_removes_its_deployment_and_service(sim, namespace):
    sim.api("POST", f"/apis/{GW_API}/namespaces/{namespace}/gateways", gateway())
    wait_for(lambda: get(sim, f"/apis/apps/v1/namespaces/{namespace}/deployments/edge-istio"))
    wait_for(lambda: get(sim, f"/api/v1/namespaces/{namespace}/services/edge-istio"))
    assert sim.api("DELETE", gateway_path(namespace))[0] == 200
    wait_for(lambda: get(sim, f"/apis/apps/v1/namespaces/{namespace}/deployments/edge-istio") is None
             and get(sim, f"/api/v1/namespaces/{namespace}/services/edge-istio") is None
             and get(sim, f"/api/v1/namespaces/{namespace}/serviceaccounts/edge-istio") is None)


def test_the_controller_keeps_its_service_and_follows_listener_changes(sim, namespace):
    sim.api("POST", f"/apis/{GW_API}/namespaces/{namespace}/gateways", gateway())
    service_path = f"/api/v1/namespaces/{namespace}/services/edge-istio"
    first = wait_for(lambda: get(sim, service_path))
    assert sim.api("DELETE", service_path)[0] == 200
    again = wait_for(lambda: get(sim, service_path))
    assert again["metadata"]["uid"] != first["metadata"]["uid"]
    patch = {"spec": {"listeners": [{"name": "http", "port": 8080, "protocol": "HTTP"}]}}
    sim.api("PATCH", gateway_path(namespace), patch, "application/merge-patch+json")
    wait_for(lambda: [p["port"] for p in get(sim, service_path)["spec"]["ports"]] == [15021, 8080])


def test_spec_writes_keep_the_status_and_a_settled_gateway_is_not_rewritten(sim, namespace):
    sim.api("POST", f"/apis/{GW_API}/namespaces/{namespace}/gateways", gateway())
    wait_for(lambda: condition(get(sim, gateway_path(namespace)), "Programmed").get("status") == "True")
    settled = get(sim, gateway_path(namespace))
    time.sleep(0.3)
    assert get(sim, gateway_path(namespace))["metadata"]["resourceVersion"] == settled["metadata"]["resourceVersion"]
    labelled = sim.api("PATCH", gateway_path(namespace), {"metadata": {"labels": {"a": "b"}}},
                       "application/merge-patch+json")[1]
    assert labelled["status"] == settled["status"]


def test_without_the_controller_gateways_wait_for_one(tmp_path, gateway_api_crds_dir):
    with KubeSim(tmp_path, load=[gateway_api_crds_dir], extra_args=["--no-istio-gateway-controller"]) as server:
        assert server.api("POST", f"/apis/{GW_API}/namespaces/default/gateways", gateway())[0] == 201
        time.sleep(0.3)
        assert server.api("GET", f"/apis/{GW_API}/gatewayclasses/istio")[0] == 404
        assert server.api("GET", "/api/v1/namespaces/default/services/edge-istio")[0] == 404
        waiting = get(server, gateway_path("default"))
        assert (condition(waiting, "Programmed")["status"], condition(waiting, "Programmed")["reason"]) == (
            "Unknown", "Pending")


def test_kubectl_waits_for_programmed(sim, namespace):
    sim.api("POST", f"/apis/{GW_API}/namespaces/{namespace}/gateways", gateway())
    env = {**os.environ, "KUBECONFIG": str(sim.kubeconfig), "KUBECACHEDIR": str(Path(sim.kubeconfig).parent / "cache")}
    result = subprocess.run([str(VENV_BIN / "kubectl"), "wait", "--for=condition=Programmed", "gateway/edge", "-n",
                             namespace, "--timeout=20s"], capture_output=True, text=True, env=env, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert "condition met" in result.stdout


# ---- the pure rules (kubesim.gateway_api), for cases a cluster test would need many objects for ----------------
def _route(namespace: str, backend: dict[str, Any], hostnames: list[str] | None = None) -> dict[str, Any]:
    return {"metadata": {"name": "r", "namespace": namespace, "generation": 1},
            "spec": {"parentRefs": [{"name": "edge"}], "hostnames": hostnames or [],
                     "rules": [{"backendRefs": [backend]}]}}


def test_cross_namespace_backend_needs_a_reference_grant():
    services = {("data", "db"): {}}
    route = _route("web", {"name": "db", "namespace": "data", "port": 5432})
    refused = gateway_api.backend_problem(route, "HTTPRoute", gateway_api.Cluster(services=services))
    assert refused == ("RefNotPermitted", 'backendRef db/data not accessible to a HTTPRoute in namespace "web" '
                                          "(missing a ReferenceGrant?)")
    grant = {"metadata": {"namespace": "data"},
             "spec": {"from": [{"group": gateway_api.GROUP, "kind": "HTTPRoute", "namespace": "web"}],
                      "to": [{"group": "", "kind": "Service"}]}}
    assert gateway_api.backend_problem(route, "HTTPRoute",
                                       gateway_api.Cluster(services=services, grants=[grant])) is None


def test_wildcard_listener_hostnames_and_route_kinds():
    edge = {"metadata": {"name": "edge", "namespace": "web"}, "spec": {"gatewayClassName": "istio", "listeners": [
        {"name": "any", "port": 80, "protocol": "HTTP", "hostname": "*.example.com"},
        {"name": "tcp", "port": 9000, "protocol": "TCP"}]}}
    cluster = gateway_api.Cluster(classes={"istio": gateway_api.default_gateway_class()},
                                  gateways={("web", "edge"): edge})
    _status, attached = gateway_api.route_status(_route("web", {"name": "x"}, ["shop.example.com"]), "HTTPRoute",
                                                 cluster, "now")
    assert attached == {("web", "edge", "any"): 1}
    kinds, valid = gateway_api.supported_kinds({"protocol": "HTTP", "allowedRoutes": {"kinds": [{"kind": "TCPRoute"}]}})
    assert (kinds, valid) == ([], False)
    assert gateway_api.human_join(["a", "b", "c"]) == "a, b, and c"


def test_the_statuses_written_are_valid_under_the_crd_schemas(sim, namespace, gateway_api_crds_dir):
    crds = {doc["spec"]["names"]["kind"]: doc for path in gateway_api_crds_dir.glob("*.yaml")
            for doc in yaml.safe_load_all(path.read_text()) if doc}
    sim.api("POST", f"/apis/{GW_API}/namespaces/{namespace}/gateways", gateway())
    sim.api("POST", f"/apis/{GW_API}/namespaces/{namespace}/httproutes",
            http_route("web", [{"name": "edge"}, {"name": "absent"}], "nope"))
    route_parents(sim, namespace, "web")
    wait_for(lambda: condition(get(sim, gateway_path(namespace)), "Programmed").get("status") == "True")
    for kind, path in (("GatewayClass", f"/apis/{GW_API}/gatewayclasses/istio"), ("Gateway", gateway_path(namespace)),
                       ("HTTPRoute", f"/apis/{GW_API}/namespaces/{namespace}/httproutes/web")):
        obj = get(sim, path)
        version = next(v for v in crds[kind]["spec"]["versions"] if v["name"] == "v1")
        pruned, causes = schema.validate_and_prune(obj, version["schema"]["openAPIV3Schema"])
        assert causes == []
        assert pruned["status"] == obj["status"]
