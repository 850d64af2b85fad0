# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""route_resolution follows a request like the ingress Envoy; route_report summarises it and decides failure."""

from __future__ import annotations

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.routes.model import Inventory
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.report import (
    check_routes,
    failing_findings,
    failure_message,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.resolution import (
    InvalidRequest,
    Request,
    resolve,
)

from ansible_collections.meshsmith.istio.tests.unit.plugins.module_utils.routes.test_route_analysis import (
    PROXY_SERVICE,
    gateway,
    seed,
    virtual_service,
)

SELECTOR = {"istio": "ingressgateway"}


def service(name, namespace="default", ports=(80,)):
    return {"kind": "Service", "metadata": {"name": name, "namespace": namespace},
            "spec": {"selector": {"app": name}, "ports": [{"port": port} for port in ports]}}


def route_to(host, **extra):
    return dict({"route": [{"destination": {"host": host}}]}, **extra)


def follow(objects, url, **request):
    return resolve(Inventory.from_objects(objects), Request.from_url(url, **request), SELECTOR)


def chain(route) -> tuple:
    if route is None:
        return None
    return (route["gateway"]["name"], route["virtual_service"]["name"], route["virtual_service"]["http_index"],
            [(d["service_namespace"], d["service_name"], d["port"]) for d in route["destinations"]])


def test_seed_request_reaches_the_proxy_service():
    result = check_routes(Inventory.from_objects(seed()), Request.from_url("http://203.0.113.10/"), SELECTOR)
    assert chain(result["route"]) == ("default-gateway", "proxy", 0, [("default", "proxy", 80)])
    assert result["findings"] == []
    assert result["summary"] == ("http://203.0.113.10/ → Gateway istio-system/default-gateway → "
                                 "VirtualService default/proxy http[0] → Service default/proxy:80")


def test_gateway_named_without_namespace_gives_no_route_and_ist0101_on_gateways_0():
    objects = seed(virtual_service(gateways=["default-gateway"]))
    result = check_routes(Inventory.from_objects(objects), Request.from_url("http://203.0.113.10/"), SELECTOR)
    assert result["route"] is None
    assert [(f["code"], f["field"]) for f in result["findings"]][:2] == [
        ("ROUTE_NOT_FOUND", "servers"), ("IST0101", "gateways[0]")]
    assert result["summary"].startswith("http://203.0.113.10/ → no route: no VirtualService bound to Gateway "
                                        "istio-system/default-gateway serves host 203.0.113.10")
    failing = failing_findings(result["findings"], "error")
    assert 'Referenced gateway not found: "default-gateway"' in failure_message(result["summary"], failing)
    assert failing_findings(result["findings"], "never") == []


def test_exact_match_after_a_prefix_is_shadowed_in_rule_order():
    rules = [route_to("a", match=[{"uri": {"prefix": "/api"}}]), route_to("b", match=[{"uri": {"exact": "/api/v1"}}])]
    objects = seed(service("a"), service("b"), virtual_service(http=rules))
    assert chain(follow(objects, "http://x/api/v1")[0])[3] == [("default", "a", 80)]
    rules.reverse()
    objects = seed(service("a"), service("b"), virtual_service(http=rules))
    assert chain(follow(objects, "http://x/api/v1")[0])[3] == [("default", "b", 80)]
    assert chain(follow(objects, "http://x/api/v2")[0])[3] == [("default", "a", 80)]


def test_no_rule_matching_the_path_is_reported():
    objects = seed(virtual_service(http=[route_to("proxy", match=[{"uri": {"prefix": "/api"}}])]))
    route, findings = follow(objects, "http://x/web")
    assert route is None and findings[0]["code"] == "ROUTE_NOT_FOUND" and findings[0]["field"] == "http"


@pytest.mark.parametrize("url, method, headers, expected", [
    ("http://x/API/v1", "GET", {}, "ci"),
    ("http://x/other", "POST", {}, "post"),
    ("http://x/other", "GET", {"X-Canary": "yes"}, "canary"),
    ("http://x/other?version=2", "GET", {}, "query"),
    ("http://x/other", "GET", {}, "proxy"),
])
def test_uri_case_method_header_and_query_matches(url, method, headers, expected):
    rules = [
        route_to("ci", match=[{"uri": {"prefix": "/api"}, "ignoreUriCase": True}]),
        route_to("post", match=[{"method": {"exact": "POST"}}]),
        route_to("canary", match=[{"headers": {"x-canary": {"exact": "yes"}}}]),
        route_to("query", match=[{"queryParams": {"version": {"regex": "[0-9]+"}}}]),
        route_to("proxy"),
    ]
    objects = seed(*[service(name) for name in ("ci", "post", "canary", "query")], virtual_service(http=rules))
    route = follow(objects, url, method=method, headers=headers)[0]
    assert route["destinations"][0]["service_name"] == expected


def test_most_specific_host_wins_over_wildcards():
    objects = seed(service("shop"), service("wild"),
                   virtual_service(name="wild", hosts=["*.example.com"], http=[route_to("wild")]),
                   virtual_service(name="shop", hosts=["shop.example.com"], http=[route_to("shop")]))
    assert chain(follow(objects, "http://shop.example.com/")[0])[1] == "shop"
    assert chain(follow(objects, "http://blog.example.com/")[0])[1] == "wild"
    assert chain(follow(objects, "http://example.org/")[0])[1] == "proxy"  # the seed VirtualService's "*"


def test_gateway_host_namespace_forms_limit_which_virtual_services_bind():
    objects = seed(gateway(hosts=["istio-system/*"]))
    route, findings = follow(objects, "http://x/")
    assert route is None and findings[0]["code"] == "ROUTE_NOT_FOUND"
    assert chain(follow(seed(gateway(hosts=["default/*"])), "http://x/")[0])[1] == "proxy"


def test_port_is_the_gateway_service_port_or_its_target_port():
    # the gateway Service maps 80 -> 8080: a Gateway server on either number takes port 80
    assert chain(follow(seed(gateway(port=8080)), "http://x/")[0])[0] == "default-gateway"
    route, findings = follow(seed(), "http://x:8081/")
    assert route is None and "port 8081" in findings[0]["message"]


def test_destination_ports_and_weights():
    two_ports = service("two", ports=(80, 443))
    rules = [{"route": [{"destination": {"host": "two", "port": {"number": 443}}, "weight": 90},
                        {"destination": {"host": "proxy"}, "weight": 10}]}]
    route = follow(seed(two_ports, virtual_service(http=rules)), "http://x/")[0]
    assert [(d["service_name"], d["port"], d["weight"]) for d in route["destinations"]] == [
        ("two", 443, 90), ("proxy", 80, 10)]
    result = check_routes(Inventory.from_objects(seed(two_ports, virtual_service(http=rules))),
                          Request.from_url("http://x/"), SELECTOR)
    assert result["summary"].endswith("Service default/two:443 (weight 90) + Service default/proxy:80 (weight 10)")


def test_without_request_the_analysis_covers_the_namespaces_asked():
    objects = seed(virtual_service(gateways=["default-gateway"]), PROXY_SERVICE)
    everything = check_routes(Inventory.from_objects(objects), None, SELECTOR)
    assert everything["route"] is None and {f["code"] for f in everything["findings"]} == {"IST0101", "IST0132"}
    assert check_routes(Inventory.from_objects(objects), None, SELECTOR, ["istio-system"])["findings"] == []


@pytest.mark.parametrize("url", ["ftp://x/", "http:///path", "http://x:99999/"])
def test_bad_url_is_refused_naming_the_option(url):
    with pytest.raises(InvalidRequest, match="^url: "):
        Request.from_url(url)
