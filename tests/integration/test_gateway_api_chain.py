"""playbooks/expose.yml and teardown.yml with ``gateway_api=kubernetes`` on a fresh kubesim that serves the Gateway
API CRDs and emulates Istio's Gateway API controller (Gateway of class istio -> Service ``<gateway>-istio``).

The chain: expose (Gateway API Gateway + HTTPRoute, no Istio Gateway/VirtualService, Service to ClusterIP, URL of
the Gateway's address), expose again (no write), the switch guard without an HTTPRoute (refused, no write), teardown
while another HTTPRoute shares the Gateway (kept), teardown once it is the last (deleted, Service restored).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
from test_playbooks import SEED_DIR, Chain, ChainCluster, Run, playbook_env, stage_charts

from kubesim.testing import KubeSim

pytest_plugins = ["kubesim.pytest_plugin"]

GATEWAY_API = "/apis/gateway.networking.k8s.io/v1"
K8S_GATEWAY = f"{GATEWAY_API}/namespaces/istio-system/gateways/default-gateway"
HTTP_ROUTE = f"{GATEWAY_API}/namespaces/default/httproutes/proxy"
GATEWAY_SERVICE = "/api/v1/namespaces/istio-system/services/default-gateway-istio"
APP_SERVICE = "/api/v1/namespaces/default/services/proxy"
WEB_SERVICE = "/api/v1/namespaces/default/services/web"
KUBERNETES_MODE = "gateway_api=kubernetes"
WATCHED = (K8S_GATEWAY, HTTP_ROUTE, GATEWAY_SERVICE, APP_SERVICE, WEB_SERVICE,
           "/apis/networking.istio.io/v1/namespaces/istio-system/gateways/default-gateway",
           "/apis/networking.istio.io/v1/namespaces/default/virtualservices/proxy")


@dataclass
class Step:
    """A playbook run of the chain and the watched objects (by path, None when absent) right after it."""

    run: Run
    objects: dict


@pytest.fixture(scope="module")
def gw_cluster(tmp_path_factory: pytest.TempPathFactory, istio_crds_dir: Path,
               gateway_api_crds_dir: Path) -> Iterator[ChainCluster]:
    """A kubesim with the seed application and the Gateway API CRDs (Istio's come through the stand-in charts)."""
    tmp = tmp_path_factory.mktemp("gwchain")
    charts = stage_charts(tmp / "charts", istio_crds_dir)
    with KubeSim(tmp / "kubesim", load=[SEED_DIR, gateway_api_crds_dir]) as sim:
        yield ChainCluster(sim, playbook_env(sim, tmp), charts)


def other_route(name: str) -> dict:
    """Another application's HTTPRoute on the shared Gateway."""
    return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"parentRefs": [{"name": "default-gateway", "namespace": "istio-system"}],
                     "hostnames": ["other.example.com"], "rules": [{"backendRefs": [{"name": "proxy", "port": 80}]}]}}


def switch_playbook(tmp: Path) -> Path:
    """The service_type_switch role alone, for Service default/web."""
    playbook = tmp / "switch.yml"
    playbook.write_text(json.dumps([{
        "hosts": "localhost", "connection": "local", "gather_facts": False,
        "roles": [{"role": "meshsmith.istio.service_type_switch",
                   "service_type_switch_services": [{"name": "web", "namespace": "default"}]}]}]))
    return playbook


@pytest.fixture(scope="module")
def chain(gw_cluster: ChainCluster, tmp_path_factory: pytest.TempPathFactory) -> Chain:
    """Every step of the chain, in order, each only while the ones before went as expected."""
    sim, charts, chain = gw_cluster.sim, f"istio_charts_dir={gw_cluster.charts}", Chain()

    def add(name: str, run: Run, as_expected: bool) -> None:
        chain.add(name, Step(run, {path: gw_cluster.get(path) for path in WATCHED}), as_expected)

    for step in ("expose", "expose again"):
        if chain.runs():
            run = gw_cluster.run("playbooks/expose.yml", charts, KUBERNETES_MODE)
            add(step, run, run.rc == 0)
    if chain.runs():
        sim.api("POST", "/api/v1/namespaces/default/services", {
            "apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"},
            "spec": {"type": "LoadBalancer", "selector": {"app": "web"}, "ports": [{"port": 80}]}})
        run = gw_cluster.run(str(switch_playbook(tmp_path_factory.mktemp("switch"))))
        add("switch without an HTTPRoute", run, run.rc != 0)
    if chain.runs():
        status, _ = sim.api("POST", f"{GATEWAY_API}/namespaces/default/httproutes", other_route("other"))
        run = gw_cluster.run("playbooks/teardown.yml", KUBERNETES_MODE)
        add("teardown, Gateway shared", run, status == 201 and run.rc == 0)
    if chain.runs():
        sim.api("DELETE", f"{GATEWAY_API}/namespaces/default/httproutes/other")
        run = gw_cluster.run("playbooks/teardown.yml", KUBERNETES_MODE)
        add("teardown, last route", run, run.rc == 0)
    return chain


def test_expose_creates_the_gateway_api_gateway_and_httproute_and_prints_its_url(chain: Chain) -> None:
    step: Step = chain.step("expose")
    first, objects = step.run, step.objects
    assert first.changed > 0
    gateway = objects[K8S_GATEWAY]
    assert gateway["spec"]["gatewayClassName"] == "istio"
    assert gateway["spec"]["listeners"] == [{"name": "http", "port": 80, "protocol": "HTTP",
                                             "allowedRoutes": {"namespaces": {"from": "All"}}}]
    assert gateway["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "meshsmith.istio"
    assert {c["type"]: c["status"] for c in gateway["status"]["conditions"]}["Programmed"] == "True"
    route = objects[HTTP_ROUTE]
    assert route["spec"]["parentRefs"][0] | {"name": "default-gateway", "namespace": "istio-system"} == (
        route["spec"]["parentRefs"][0])
    assert "hostnames" not in route["spec"]  # ingress_hosts ["*"]: every host the listener takes
    assert route["spec"]["rules"][0]["backendRefs"][0] | {"name": "proxy", "port": 80} == (
        route["spec"]["rules"][0]["backendRefs"][0])
    # no Istio routing objects in this mode
    assert objects[WATCHED[-2]] is None and objects[WATCHED[-1]] is None

    app = objects[APP_SERVICE]
    assert app["spec"]["type"] == "ClusterIP"
    assert all("nodePort" not in port for port in app["spec"]["ports"])
    address = objects[GATEWAY_SERVICE]["status"]["loadBalancer"]["ingress"][0]["hostname"]
    assert first.last_message == f"default/proxy is now served at http://{address}/"
    assert (f"http://{address}/ → Gateway istio-system/default-gateway (gateway.networking.k8s.io/v1) listener http → "
            f"HTTPRoute default/proxy rules[0] → Service default/proxy:80") in first.stdout


def test_expose_again_changes_and_writes_nothing(chain: Chain) -> None:
    second: Run = chain.step("expose again").run
    assert (second.changed, second.writes) == (0, [])


def test_the_switch_is_refused_without_an_httproute_and_nothing_is_written(chain: Chain) -> None:
    step: Step = chain.step("switch without an HTTPRoute")
    assert "Refusing to switch Service default/web to ClusterIP" in step.run.stdout
    assert [write for write in step.run.writes if not write.endswith("?dryRun=All")] == []  # the guard's dry run only
    assert step.objects[WEB_SERVICE]["spec"]["type"] == "LoadBalancer"


def test_teardown_keeps_a_gateway_another_httproute_still_uses(chain: Chain) -> None:
    step: Step = chain.step("teardown, Gateway shared")
    assert f"DELETE {HTTP_ROUTE}" in step.run.writes
    assert not any(write.startswith(f"DELETE {K8S_GATEWAY}") for write in step.run.writes)
    assert step.objects[HTTP_ROUTE] is None and step.objects[K8S_GATEWAY] is not None
    app = step.objects[APP_SERVICE]
    assert app["spec"]["type"] == "LoadBalancer"
    # what the switch to ClusterIP cleared comes back from the restore annotation
    assert app["spec"]["externalTrafficPolicy"] == "Local"
    assert app["spec"]["loadBalancerSourceRanges"] == ["203.0.113.0/24"]


def test_teardown_of_the_last_route_removes_the_gateway_and_its_deployment(chain: Chain) -> None:
    step: Step = chain.step("teardown, last route")
    assert step.run.writes == [f"DELETE {K8S_GATEWAY}"]
    assert step.objects[K8S_GATEWAY] is None and step.objects[HTTP_ROUTE] is None
    assert step.objects[GATEWAY_SERVICE] is None  # garbage-collected with its owner, the Gateway


def test_the_role_fails_clearly_when_the_cluster_does_not_serve_the_gateway_api(tmp_path: Path) -> None:
    with KubeSim(tmp_path / "kubesim", load=[SEED_DIR]) as sim:
        cluster = ChainCluster(sim, playbook_env(sim, tmp_path), tmp_path)
        playbook = tmp_path / "role.yml"
        playbook.write_text(json.dumps([{"hosts": "localhost", "connection": "local", "gather_facts": False,
                                         "roles": [{"role": "meshsmith.istio.ingress_gateway",
                                                    "ingress_gateway_gateway_api": "kubernetes"}]}]))
        run = cluster.run(str(playbook))
    assert run.rc != 0
    assert "ingress_gateway_gateway_api=kubernetes: the cluster does not serve gateway.networking.k8s.io/v1" in (
        " ".join(run.stdout.split()))
    assert run.writes == []


@pytest.mark.parametrize("playbook", ["playbooks/expose.yml", "playbooks/teardown.yml"])
def test_a_wrong_gateway_api_fails_naming_it_before_any_request(gw_cluster: ChainCluster, playbook: str) -> None:
    run = gw_cluster.run(playbook, "gateway_api=gateway")
    assert run.rc != 0
    assert 'gateway_api: \\"gateway\\" is not one of istio, kubernetes' in run.stdout
    assert gw_cluster.sim.requests() == []
