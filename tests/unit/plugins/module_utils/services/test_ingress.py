# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Gateway Service lookup, addresses, IST0162 ports and URLs for ingress_info."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from ansible_collections.meshsmith.istio.plugins.module_utils.services.ingress import (
    DEFAULT_GATEWAY_SELECTOR,
    IngressError,
    choose_gateway_service,
    describe_ingress,
    exposing_port,
    find_gateway_service,
    format_url,
    load_balancer_addresses,
    read_gateway,
    server_urls,
    service_port_urls,
    unexposed_servers,
    wait_for_addresses,
    wait_for_service_address,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import GATEWAY as GATEWAY_RESOURCE

GATEWAY = GATEWAY_RESOURCE.at()
REPO_ROOT = Path(__file__).resolve().parents[5]


def service(name, namespace="istio-system", service_type="LoadBalancer", labels=None, selector=None, ports=None, status=None):
    return {
        "metadata": {"name": name, "namespace": namespace, "labels": labels or {}},
        "spec": {"type": service_type, "selector": selector or {}, "ports": ports or []},
        "status": status or {},
    }


ISTIO_PORTS = [
    {"name": "status-port", "port": 15021, "targetPort": 15021, "protocol": "TCP"},
    {"name": "http2", "port": 80, "targetPort": 8080, "protocol": "TCP"},
    {"name": "https", "port": 443, "targetPort": 8443, "protocol": "TCP"},
]
INGRESS_GATEWAY = service(
    "istio-ingressgateway",
    labels={"app": "istio-ingressgateway", "istio": "ingressgateway"},
    selector={"app": "istio-ingressgateway", "istio": "ingressgateway"},
    ports=ISTIO_PORTS,
    status={"loadBalancer": {"ingress": [{"hostname": "gw.example.com"}]}},
)


def server(number, protocol="HTTP", name=None):
    return {"port": {"number": number, "protocol": protocol, "name": name or protocol.lower()}, "hosts": ["*"]}


# --- choosing the Service ---------------------------------------------------------------------------


def test_default_selector_finds_the_istio_ingress_gateway_service():
    unrelated = service("proxy", namespace="default", labels={"app": "proxy"}, selector={"app": "proxy"})
    assert choose_gateway_service([unrelated, INGRESS_GATEWAY], DEFAULT_GATEWAY_SELECTOR) is INGRESS_GATEWAY


def test_service_matches_by_pod_selector_when_unlabelled():
    by_selector = service("gw", selector={"istio": "ingressgateway", "app": "x"})
    assert choose_gateway_service([by_selector], {"istio": "ingressgateway"}) is by_selector


def test_service_selecting_only_part_of_the_gateway_selector_does_not_match():
    broader = service("broad", selector={"app": "x"})
    assert choose_gateway_service([broader], {"app": "x", "istio": "ingressgateway"}) is None


def test_load_balancer_preferred_then_istio_system():
    labels = {"istio": "ingressgateway"}
    cluster_ip = service("a-internal", service_type="ClusterIP", labels=labels)
    node_port = service("b-nodeport", service_type="NodePort", labels=labels)
    lb_elsewhere = service("c-lb", namespace="edge", labels=labels)
    lb_istio = service("d-lb", labels=labels)
    services = [cluster_ip, node_port, lb_elsewhere, lb_istio]
    assert choose_gateway_service(services, labels) is lb_istio
    assert choose_gateway_service(services[:3], labels) is lb_elsewhere
    assert choose_gateway_service(services[:2], labels) is node_port


def test_empty_selector_matches_nothing():
    assert choose_gateway_service([INGRESS_GATEWAY], {}) is None


# --- addresses and ports ----------------------------------------------------------------------------


def test_addresses_hostnames_ips_and_external_ips_in_order_without_duplicates():
    svc = service(
        "gw",
        status={"loadBalancer": {"ingress": [{"hostname": "lb.example.com", "ip": "198.51.100.1"}, {"ip": "198.51.100.2"}, {}]}},
    )
    svc["spec"]["externalIPs"] = ["192.0.2.5", "198.51.100.2"]
    assert load_balancer_addresses(svc) == ["lb.example.com", "198.51.100.2", "192.0.2.5"]


def test_stale_load_balancer_status_of_a_switched_service_is_ignored():
    svc = service("gw", service_type="ClusterIP", status={"loadBalancer": {"ingress": [{"ip": "198.51.100.1"}]}})
    assert load_balancer_addresses(svc) == []
    svc["spec"]["externalIPs"] = ["192.0.2.5"]
    assert load_balancer_addresses(svc) == ["192.0.2.5"]


def test_no_status_means_no_address():
    assert load_balancer_addresses(service("gw")) == []


def test_exposing_port_by_port_then_target_port_tcp_only():
    svc = service("gw", ports=[
        {"name": "http", "port": 80, "targetPort": 8080},
        {"name": "dns", "port": 53, "targetPort": 53, "protocol": "UDP"},
    ])
    assert exposing_port(svc, 80)["name"] == "http"
    assert exposing_port(svc, 8080)["name"] == "http"
    assert exposing_port(svc, 53) is None
    assert unexposed_servers([server(80), server(8080), server(53, "TCP"), server(9000)], svc) == [
        server(53, "TCP"), server(9000)
    ]


def analyzer_cases():
    shared = Path(os.environ.get("ISTIO_SHARED_DIR", REPO_ROOT.parent / "shared" / "istio")) / "analyzer-testdata"
    # file -> Gateways istioctl analyze reports with IST0162 (from Istio's analyzer_test.go)
    expected = {
        "gateway-custom-ingressgateway.yaml": set(),
        "gateway-custom-ingressgateway-translation.yaml": set(),
        "gateway-custom-ingressgateway-badport.yaml": {"httpbin-gateway"},
        "gateway-custom-ingressgateway-badport-notarget.yaml": {"httpbin-gateway"},
        "gateway-custom-ingressgateway-svcselector.yaml": {"httpbin8002-gateway"},
    }
    if not shared.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("Istio analyzer test data missing at %s (set ISTIO_SHARED_DIR)" % shared)
        pytest.skip("Istio analyzer test data not found at %s (set ISTIO_SHARED_DIR)" % shared)
    return shared, expected


def test_unexposed_servers_agree_with_istioctl_analyze_ist0162():
    shared, expected = analyzer_cases()
    for file_name, reported in expected.items():
        documents = list(yaml.safe_load_all((shared / file_name).read_text()))
        services = [doc for doc in documents if doc and doc["kind"] == "Service"]
        flagged = set()
        for gateway in (doc for doc in documents if doc and doc["kind"] == "Gateway"):
            svc = choose_gateway_service(services, gateway["spec"]["selector"])
            if svc is None or unexposed_servers(gateway["spec"]["servers"], svc):
                flagged.add(gateway["metadata"]["name"])
        assert flagged == reported, file_name


# --- URLs ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "scheme, address, port, url",
    [
        ("http", "gw.example.com", 80, "http://gw.example.com/"),
        ("https", "198.51.100.1", 443, "https://198.51.100.1/"),
        ("http", "198.51.100.1", 8080, "http://198.51.100.1:8080/"),
        ("https", "gw.example.com", 80, "https://gw.example.com:80/"),
        ("http", "2001:db8::1", 80, "http://[2001:db8::1]/"),
    ],
)
def test_format_url(scheme, address, port, url):
    assert format_url(scheme, address, port) == url


def test_server_urls_per_exposed_http_server_on_the_service_port():
    svc = service("gw", ports=[
        {"name": "http2", "port": 80, "targetPort": 8080},
        {"name": "https", "port": 443, "targetPort": 8443},
        {"name": "tcp", "port": 31400},
    ])
    servers = [server(80), server(8443, "HTTPS"), server(31400, "TCP"), server(9090), server(80, "HTTP2", "again")]
    assert server_urls(servers, svc, ["a.example.com", "198.51.100.1"]) == [
        "http://a.example.com/",
        "http://198.51.100.1/",
        "https://a.example.com/",
        "https://198.51.100.1/",
    ]


def test_no_address_no_url():
    assert server_urls([server(80)], INGRESS_GATEWAY, []) == []


def test_service_port_urls_follow_istio_port_naming():
    svc = service("gw", ports=ISTIO_PORTS + [
        {"name": "tcp-db", "port": 5432},
        {"name": "web", "port": 8000, "appProtocol": "http"},
    ])
    assert service_port_urls(svc, ["gw.example.com"]) == [
        "http://gw.example.com/",
        "https://gw.example.com/",
        "http://gw.example.com:8000/",
    ]


def test_describe_ingress_for_the_seed_gateway():
    result = describe_ingress(INGRESS_GATEWAY, [server(80), server(8088)], ["gw.example.com"])
    assert result == {
        "addresses": ["gw.example.com"],
        "service": {"namespace": "istio-system", "name": "istio-ingressgateway", "type": "LoadBalancer"},
        "ports": ISTIO_PORTS,
        "unexposed_servers": [server(8088)],
        "urls": ["http://gw.example.com/"],
    }


def test_describe_ingress_without_gateway_uses_port_names():
    result = describe_ingress(INGRESS_GATEWAY, None, ["gw.example.com"])
    assert result["urls"] == ["http://gw.example.com/", "https://gw.example.com/"]
    assert result["unexposed_servers"] == []


# --- waiting ---------------------------------------------------------------------------------------


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_wait_returns_at_once_when_the_address_is_there():
    clock = FakeClock()
    calls = []
    result = wait_for_addresses(INGRESS_GATEWAY, lambda: calls.append(1), 10, clock=clock, sleep=clock.sleep)
    assert result == (INGRESS_GATEWAY, ["gw.example.com"])
    assert calls == [] and clock.sleeps == []


def test_wait_polls_until_the_address_appears():
    clock = FakeClock()
    pending = service("gw")
    answers = iter([pending, pending, INGRESS_GATEWAY])
    result = wait_for_addresses(pending, lambda: next(answers), 10, interval=0.5, clock=clock, sleep=clock.sleep)
    assert result == (INGRESS_GATEWAY, ["gw.example.com"])
    assert clock.sleeps == [0.5, 0.5, 0.5]


def test_wait_gives_up_at_the_timeout():
    clock = FakeClock()
    pending = service("gw")
    result = wait_for_addresses(pending, lambda: pending, 2, interval=0.75, clock=clock, sleep=clock.sleep)
    assert result == (pending, [])
    assert clock.sleeps == [0.75, 0.75, 0.5]


def test_wait_stops_when_the_service_disappears():
    clock = FakeClock()
    assert wait_for_addresses(service("gw"), lambda: None, 10, clock=clock, sleep=clock.sleep) == (None, [])


# --- readers (fake client: the requests they send and their errors) --------------------------------


class FakeClient:
    def __init__(self, objects=None, services=()):
        self.objects = objects or {}
        self.services = list(services)
        self.calls = []

    def get(self, path):
        self.calls.append(("GET", path))
        return self.objects.get(path)

    def list(self, path):
        self.calls.append(("LIST", path))
        return self.services


GATEWAY_PATH = "/apis/networking.istio.io/v1/namespaces/istio-system/gateways/default-gateway"


def test_read_gateway_is_one_get():
    gateway = {"spec": {"selector": {"istio": "ingressgateway"}, "servers": [server(80)]}}
    client = FakeClient({GATEWAY_PATH: gateway})
    assert read_gateway(client, GATEWAY, "istio-system", "default-gateway") is gateway
    assert client.calls == [("GET", GATEWAY_PATH)]


@pytest.mark.parametrize("stored, message", [
    (None, "Gateway istio-system/default-gateway not found"),
    ({"spec": {"servers": [server(80)]}}, "Gateway istio-system/default-gateway has no selector"),
])
def test_read_gateway_errors(stored, message):
    client = FakeClient({GATEWAY_PATH: stored} if stored else {})
    with pytest.raises(IngressError, match="^%s$" % message):
        read_gateway(client, GATEWAY, "istio-system", "default-gateway")


def test_find_gateway_service_is_one_list_in_all_or_one_namespace():
    client = FakeClient(services=[INGRESS_GATEWAY])
    assert find_gateway_service(client, DEFAULT_GATEWAY_SELECTOR, None) is INGRESS_GATEWAY
    assert find_gateway_service(client, DEFAULT_GATEWAY_SELECTOR, "istio-system") is INGRESS_GATEWAY
    assert client.calls == [("LIST", "/api/v1/services"), ("LIST", "/api/v1/namespaces/istio-system/services")]


def test_find_gateway_service_names_the_selector_and_scope_when_nothing_matches():
    with pytest.raises(IngressError, match="^No Service of the gateway workload selected by app=gw,istio=x found in edge$"):
        find_gateway_service(FakeClient(services=[INGRESS_GATEWAY]), {"istio": "x", "app": "gw"}, "edge")


def test_wait_for_service_address_refuses_a_service_no_load_balancer_serves():
    client = FakeClient()
    with pytest.raises(IngressError, match="^Service istio-system/gw is of type NodePort and has no external IPs"):
        wait_for_service_address(client, service("gw", service_type="NodePort"), 10)
    assert client.calls == []


def test_wait_for_service_address_timeout_and_deletion():
    pending = service("gw")
    path = "/api/v1/namespaces/istio-system/services/gw"
    with pytest.raises(IngressError, match="^Timed out after 0s waiting for a load balancer address on Service istio-system/gw$") as caught:
        wait_for_service_address(FakeClient({path: pending}), pending, 0)
    assert caught.value.service is pending
    with pytest.raises(IngressError, match="^Service istio-system/gw was deleted while waiting for its address$"):
        wait_for_service_address(FakeClient(), pending, 0.01)
