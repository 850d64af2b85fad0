"""Migration round trip (issue 11 item 5): the seed's Istio Gateway/VirtualService pair and Istio's Bookinfo pair
go through meshsmith.istio.gateway_api_convert, the manifests are applied with k8s_gateway / http_route
(``definition``), and route_check finds the same destinations (Services, ports, weights) through both APIs.

One kubesim with the Istio and Gateway API CRDs and Istio's Gateway API controller: route_check first while only
the Istio objects exist, then again once they are deleted and the converted ones are Programmed and Accepted.
"""

from __future__ import annotations

from typing import Iterator

import pytest
import yaml
from test_gateway_api_convert import BOOKINFO, SEED_GATEWAY, SEED_VIRTUAL_SERVICE, _required
from test_playbooks import SEED_DIR

from kubesim.testing import KubeSim

pytestmark = pytest.mark.module_logic  # not run on the oldest ansible-core (README, Tests)

pytest_plugins = ["kubesim.pytest_plugin"]

PRODUCTPAGE = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "productpage", "namespace": "default"},
               "spec": {"selector": {"app": "productpage"}, "ports": [{"name": "http", "port": 9080}]}}
# (request, as route_check's options) -> the Service the Istio pair routes it to
REQUESTS = {
    "seed": {"request_host": "example.com", "port": 80, "path": "/"},
    "bookinfo": {"request_host": "example.com", "port": 8080, "path": "/productpage"},
    "bookinfo static": {"request_host": "bookinfo.example.com", "port": 8080, "path": "/static/app.css"},
}


def route_checks(kubeconfig: str) -> list:
    """One route_check task per request of REQUESTS, named after it."""
    return [{"name": name, "meshsmith.istio.route_check": dict(request, kubeconfig=kubeconfig, fail_on="never")}
            for name, request in REQUESTS.items()]


def destinations(task) -> list:
    """(Service namespace, name, port, weight) of each destination the request reaches; None when unrouted."""
    route = task.result.get("route")
    assert task.status == "ok", task.result.get("msg")
    if route is None:
        return None
    return [(d["service_namespace"], d["service_name"], d["port"], d["weight"]) for d in route["destinations"]]


def apply_tasks(kubeconfig: str) -> list:
    """The converted manifests applied through the Gateway API modules, Gateways first."""
    return [
        {"name": "apply Gateways", "loop": "{{ converted.manifests | selectattr('kind', 'eq', 'Gateway') }}",
         "meshsmith.istio.k8s_gateway": {"definition": "{{ item }}", "kubeconfig": kubeconfig}},
        {"name": "apply HTTPRoutes", "loop": "{{ converted.manifests | selectattr('kind', 'eq', 'HTTPRoute') }}",
         "meshsmith.istio.http_route": {"definition": "{{ item }}", "kubeconfig": kubeconfig}},
        {"name": "wait until the Gateways are Programmed",
         "loop": "{{ converted.manifests | selectattr('kind', 'eq', 'Gateway') }}",
         "meshsmith.istio.ingress_info": {"k8s_gateway": "{{ item.metadata.name }}",
                                          "gateway_namespace": "{{ item.metadata.namespace }}",
                                          "kubeconfig": kubeconfig},
         "register": "ingress", "until": "ingress.k8s_gateway.programmed | default(false)", "retries": 15, "delay": 1},
    ]


@pytest.fixture(scope="module")
def round_trip(cluster, attach_kubesim, istio_crds_dir, gateway_api_crds_dir, tmp_path_factory) -> Iterator[tuple]:
    """(route_check tasks on the Istio pairs, the convert/apply run, route_check tasks on the converted objects)."""
    if not cluster.is_kubesim:
        pytest.skip("needs a kubesim with the Gateway API CRDs and Istio's Gateway API controller")
    bookinfo = list(yaml.safe_load_all(_required(BOOKINFO, "Istio corpus (set ISTIO_SHARED_DIR)").read_text()))
    with KubeSim(tmp_path_factory.mktemp("kubesim-migration"),
                 load=[SEED_DIR, istio_crds_dir, gateway_api_crds_dir]) as sim:
        other, run = attach_kubesim(sim)
        other.ensure_namespace("istio-system")
        kubeconfig = str(sim.kubeconfig)
        istio_objects = [SEED_GATEWAY, SEED_VIRTUAL_SERVICE,
                         *({**obj, "metadata": {**obj["metadata"], "namespace": "default"}} for obj in bookinfo),
                         PRODUCTPAGE]
        for obj in istio_objects:
            status, body = sim.api("POST", sim.object_path(obj).rsplit("/", 1)[0], obj)
            assert status == 201, body
        through_istio = run(route_checks(kubeconfig) + [
            {"name": "convert", "register": "converted", "meshsmith.istio.gateway_api_convert": {
                "kubeconfig": kubeconfig}}])
        converted = through_istio.task("convert").result["manifests"]
        for obj in istio_objects[:-1]:
            assert sim.api("DELETE", sim.object_path(obj))[0] == 200
        applied = run([{"name": "converted", "ansible.builtin.set_fact": {"converted": {"manifests": converted}}},
                       *apply_tasks(kubeconfig), *route_checks(kubeconfig)])
        yield through_istio, converted, applied


def test_the_pairs_convert_to_one_gateway_and_one_httproute_each(round_trip) -> None:
    _istio, converted, _applied = round_trip
    assert sorted((m["kind"], m["metadata"]["namespace"], m["metadata"]["name"]) for m in converted) == [
        ("Gateway", "default", "bookinfo-gateway"), ("Gateway", "istio-system", "default-gateway"),
        ("HTTPRoute", "default", "bookinfo"), ("HTTPRoute", "default", "proxy")]


def test_the_converted_manifests_apply_through_k8s_gateway_and_http_route(round_trip) -> None:
    _istio, _converted, applied = round_trip
    for name in ("apply Gateways", "apply HTTPRoutes", "wait until the Gateways are Programmed"):
        task = applied.task(name)
        assert task.status == "ok", task.result
    results = applied.task("apply Gateways").result["results"] + applied.task("apply HTTPRoutes").result["results"]
    assert [(result["changed"], result["method"]) for result in results] == [(True, "created")] * 4


@pytest.mark.parametrize("request_name", list(REQUESTS))
def test_route_check_finds_the_same_destinations_through_both_apis(round_trip, request_name: str) -> None:
    through_istio, _converted, applied = round_trip
    istio_task, gateway_api_task = through_istio.task(request_name), applied.task(request_name)
    expected = {"seed": [("default", "proxy", 80, 100)], "bookinfo": [("default", "productpage", 9080, 100)]}
    expected["bookinfo static"] = expected["bookinfo"]
    assert destinations(istio_task) == expected[request_name]
    assert destinations(gateway_api_task) == expected[request_name]
    assert "VirtualService" in istio_task.result["summary"]
    assert "HTTPRoute" in gateway_api_task.result["summary"]
