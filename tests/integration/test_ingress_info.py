# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""meshsmith.istio.ingress_info through one real ansible-playbook run in check mode: the gateway Service found
by a Gateway or a selector, its address, URLs, unexposed Gateway ports, the requests sent and the errors."""

from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.module_logic  # not run on the oldest ansible-core (README, Tests)

NAMESPACE = "ingress-info"
GATEWAY = "/apis/networking.istio.io/v1/namespaces/%s/gateways" % NAMESPACE
SERVICES = "/api/v1/namespaces/%s/services" % NAMESPACE
ALL_SERVICES = "/api/v1/services"
WORKLOAD = {"app": "e1-ingressgateway", "istio": "ingressgateway"}
ADDRESS = "e1-ingressgateway.%s.lb.kubesim.local" % NAMESPACE
PORTS = [
    {"name": "status-port", "port": 15021, "targetPort": 15021, "protocol": "TCP"},
    {"name": "http2", "port": 80, "targetPort": 8080, "protocol": "TCP"},
    {"name": "https", "port": 443, "targetPort": 8443, "protocol": "TCP"},
]
SERVERS = [
    {"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]},
    {"port": {"number": 443, "name": "https", "protocol": "HTTPS"}, "hosts": ["shop.example.com"],
     "tls": {"mode": "SIMPLE", "credentialName": "shop-cert"}},
    {"port": {"number": 9090, "name": "http-metrics", "protocol": "HTTP"}, "hosts": ["*"]},
]


def service(name, service_type, labels):
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": NAMESPACE, "labels": labels},
            "spec": {"type": service_type, "selector": labels, "ports": PORTS}}


def info(title, **options):
    return {"name": title, "meshsmith.istio.ingress_info": options, "ignore_errors": True}


def wait_for_load_balancer(cluster, name):
    for _attempt in range(100):
        found = cluster.get("%s/%s" % (SERVICES, name))
        if found and found.get("status", {}).get("loadBalancer", {}).get("ingress"):
            return
        time.sleep(0.1)
    pytest.fail("no load balancer address on %s" % name)


@pytest.fixture(scope="module")
def run(cluster, run_playbook):
    if not cluster.is_kubesim:
        pytest.skip("the seed Services and their load balancer addresses are kubesim's")
    cluster.ensure_namespace(NAMESPACE)
    cluster.api("POST", SERVICES, service("e1-ingressgateway", "LoadBalancer", WORKLOAD))
    cluster.api("POST", SERVICES, service("e1-ingressgateway-internal", "ClusterIP", dict(WORKLOAD, tier="internal")))
    cluster.api("POST", GATEWAY, {"apiVersion": "networking.istio.io/v1", "kind": "Gateway",
                                  "metadata": {"name": "e1-gateway", "namespace": NAMESPACE},
                                  "spec": {"selector": {"app": "e1-ingressgateway"}, "servers": SERVERS}})
    wait_for_load_balancer(cluster, "e1-ingressgateway")
    result = run_playbook([
        info("by gateway", gateway_name="e1-gateway", gateway_namespace=NAMESPACE, wait=True),
        info("default selector", service_namespace=NAMESPACE),
        info("missing gateway", gateway_name="nope", gateway_namespace=NAMESPACE),
        info("gateway and selector", gateway_name="e1-gateway", selector={"app": "x"}),
        info("no service", selector={"app": "nothing-like-this"}),
        info("wait on ClusterIP", selector={"tier": "internal"}, wait=True),
    ], check=True)
    assert result.rc == 0, result.stdout + result.stderr
    return result


def test_gateway_gives_address_urls_and_unexposed_servers(run, cluster):
    task = run.task("by gateway")
    assert task.status == "ok", task.result.get("msg")
    result = task.result
    assert result["changed"] is False
    assert result["addresses"] == [ADDRESS]
    assert result["service"] == {"namespace": NAMESPACE, "name": "e1-ingressgateway", "type": "LoadBalancer"}
    assert [port["port"] for port in result["ports"]] == [15021, 80, 443]
    assert result["urls"] == ["http://%s/" % ADDRESS, "https://%s/" % ADDRESS]
    assert result["unexposed_servers"] == [SERVERS[2]]
    assert result["gateway"] == {"namespace": NAMESPACE, "name": "e1-gateway", "selector": {"app": "e1-ingressgateway"}}
    cluster.expect_requests(task, [("GET", GATEWAY + "/e1-gateway"), ("GET", ALL_SERVICES)])


def test_default_selector_prefers_the_load_balancer_and_names_urls_by_port(run, cluster):
    task = run.task("default selector")
    assert task.status == "ok", task.result.get("msg")
    assert task.result["service"]["name"] == "e1-ingressgateway"
    assert task.result["urls"] == ["http://%s/" % ADDRESS, "https://%s/" % ADDRESS]
    assert task.result["unexposed_servers"] == []
    cluster.expect_requests(task, [("GET", SERVICES)])


@pytest.mark.parametrize("title, message, requests", [
    ("missing gateway", "Gateway %s/nope not found" % NAMESPACE, [("GET", GATEWAY + "/nope")]),
    ("gateway and selector", "parameters are mutually exclusive: gateway_name|selector|k8s_gateway", []),
    ("no service", "No Service of the gateway workload selected by app=nothing-like-this found in any namespace",
     [("GET", ALL_SERVICES)]),
    ("wait on ClusterIP", "Service %s/e1-ingressgateway-internal is of type ClusterIP and has no external IPs: "
     "no address will come to wait for" % NAMESPACE, [("GET", ALL_SERVICES)]),
])
def test_errors_are_clear(run, cluster, title, message, requests):
    task = run.task(title)
    assert task.status == "failed"
    assert task.result["msg"] == message
    cluster.expect_requests(task, requests)
