# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""route_check on the Gateway API: which HTTPRoutes attach to which listeners, what is reported about them, the
Services they lead to (the switch guard) and the rule a request takes; each case is one thing that changes it."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.routes.gateway_api import (
    analyze_gateway_api,
    hostnames_intersect,
    path_matches,
    resolve_gateway_api,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.model import Inventory
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.read import read_gateway_api
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.report import check_routes
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.resolution import Request
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.routed import routed_services
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.client import ApiError

API = "gateway.networking.k8s.io/v1"
WEB = {"namespace": "shop", "name": "web", "port": 80}


def condition(kind: str, status: bool = True, reason: str = "") -> dict:
    return {"type": kind, "status": str(status), "reason": reason or kind, "message": "m"}


def k8s_gateway(name="edge", namespace="shop", listeners=None, programmed=True) -> dict:
    listeners = listeners if listeners is not None else [{"name": "http", "port": 80, "protocol": "HTTP"}]
    return {"apiVersion": API, "kind": "Gateway", "metadata": {"name": name, "namespace": namespace},
            "spec": {"gatewayClassName": "istio", "listeners": listeners},
            "status": {"conditions": [condition("Accepted"), condition("Programmed", programmed)],
                       "addresses": [{"type": "Hostname", "value": "edge.lb.example"}]}}


def http_route(name="web", namespace="shop", parent=None, hostnames=None, rules=None, accepted=True) -> dict:
    parent = parent if parent is not None else {"name": "edge"}
    route = {"apiVersion": API, "kind": "HTTPRoute", "metadata": {"name": name, "namespace": namespace},
             "spec": {"parentRefs": [parent],
                      "rules": rules if rules is not None else [{"backendRefs": [{"name": "web", "port": 80}]}]}}
    if hostnames is not None:
        route["spec"]["hostnames"] = hostnames
    if accepted is not None:
        route["status"] = {"parents": [{"parentRef": parent, "controllerName": "istio.io/gateway-controller",
                                        "conditions": [condition("Accepted", accepted, "" if accepted else "NotAllowedByListeners")]}]}
    return route


def service(name="web", namespace="shop", ports=(80,)) -> dict:
    return {"kind": "Service", "metadata": {"name": name, "namespace": namespace},
            "spec": {"ports": [{"port": port} for port in ports]}}


def grant(namespace="backend", from_namespace="shop", to_name=None) -> dict:
    to = {"group": "", "kind": "Service"}
    if to_name:
        to["name"] = to_name
    return {"apiVersion": "gateway.networking.k8s.io/v1beta1", "kind": "ReferenceGrant",
            "metadata": {"name": "routes", "namespace": namespace},
            "spec": {"from": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "namespace": from_namespace}],
                     "to": [to]}}


def namespace(name: str, labels: dict) -> dict:
    return {"kind": "Namespace", "metadata": {"name": name, "labels": labels}}


def listener(**fields) -> dict:
    return dict({"name": "http", "port": 80, "protocol": "HTTP"}, **fields)


def inventory(*objects) -> Inventory:
    return Inventory.from_objects(copy.deepcopy(list(objects)))


BASE = (k8s_gateway(), http_route(), service())
FROM_ALL = {"namespaces": {"from": "All"}}


@pytest.mark.parametrize("objects", [
    BASE,
    # the route's hostname within the listener's wildcard
    (k8s_gateway(listeners=[listener(hostname="*.example.com")]), http_route(hostnames=["shop.example.com"]), service()),
    # sectionName and port pick the listener
    (k8s_gateway(listeners=[listener(name="other", port=8080), listener()]),
     http_route(parent={"name": "edge", "sectionName": "http", "port": 80}), service()),
    # another namespace's route, admitted by All or by a namespace label selector
    (k8s_gateway(namespace="infra", listeners=[listener(allowedRoutes=FROM_ALL)]),
     http_route(parent={"name": "edge", "namespace": "infra"}), service()),
    (k8s_gateway(namespace="infra", listeners=[listener(allowedRoutes={"namespaces": {
        "from": "Selector", "selector": {"matchExpressions": [{"key": "team", "operator": "In", "values": ["a"]}]}}})]),
     http_route(parent={"name": "edge", "namespace": "infra"}), service(), namespace("shop", {"team": "a"})),
    (k8s_gateway(namespace="infra", listeners=[listener(allowedRoutes={"namespaces": {
        "from": "Selector", "selector": {"matchLabels": {"kubernetes.io/metadata.name": "shop"}}}})]),
     http_route(parent={"name": "edge", "namespace": "infra"}), service()),
    # a Service of another namespace that a ReferenceGrant opens
    (k8s_gateway(), http_route(rules=[{"backendRefs": [{"name": "web", "namespace": "backend", "port": 80}]}]),
     service(namespace="backend"), grant()),
    (k8s_gateway(), http_route(rules=[{"backendRefs": [{"name": "web", "namespace": "backend", "port": 80}]}]),
     service(namespace="backend"), grant(to_name="web")),
])
def test_an_accepted_route_on_a_programmed_gateway_leads_to_its_service(objects):
    expected = dict(WEB, namespace="backend") if any(obj["kind"] == "ReferenceGrant" for obj in objects) else WEB
    assert routed_services(inventory(*objects)) == [expected]


@pytest.mark.parametrize("objects", [
    (k8s_gateway(programmed=False), http_route(), service()),
    (k8s_gateway(), http_route(accepted=False), service()),
    (k8s_gateway(), http_route(accepted=None), service()),  # no controller has accepted it yet
    (http_route(), service()),  # no such Gateway
    (k8s_gateway(), http_route(parent={"name": "edge", "sectionName": "https"}), service()),
    (k8s_gateway(), http_route(parent={"name": "edge", "port": 443}), service()),
    (k8s_gateway(), http_route(parent={"name": "edge", "kind": "Service", "group": ""}), service()),
    (k8s_gateway(listeners=[listener(hostname="*.example.com")]), http_route(hostnames=["example.com"]), service()),
    (k8s_gateway(namespace="infra"), http_route(parent={"name": "edge", "namespace": "infra"}), service()),
    (k8s_gateway(namespace="infra", listeners=[listener(allowedRoutes={"namespaces": {
        "from": "Selector", "selector": {"matchLabels": {"team": "a"}}}})]),
     http_route(parent={"name": "edge", "namespace": "infra"}), service(), namespace("shop", {"team": "b"})),
    (k8s_gateway(listeners=[listener(allowedRoutes={"kinds": [{"kind": "GRPCRoute"}]})]), http_route(), service()),
    (k8s_gateway(listeners=[listener(protocol="TCP")]), http_route(), service()),
    (k8s_gateway(), http_route(), service(name="other")),
    (k8s_gateway(), http_route(), service(ports=(8080,))),
    (k8s_gateway(), http_route(rules=[{"backendRefs": [{"name": "web"}]}]), service()),
    (k8s_gateway(), http_route(rules=[{"backendRefs": [{"name": "web", "namespace": "backend", "port": 80}]}]),
     service(namespace="backend")),
    (k8s_gateway(), http_route(rules=[{"backendRefs": [{"name": "web", "namespace": "backend", "port": 80}]}]),
     service(namespace="backend"), grant(from_namespace="elsewhere")),
    (k8s_gateway(), http_route(rules=[{"backendRefs": [{"name": "web", "namespace": "backend", "port": 80}]}]),
     service(namespace="backend"), grant(to_name="api")),
])
def test_no_service_is_routed_when_a_link_of_the_chain_is_missing(objects):
    assert routed_services(inventory(*objects)) == []


def brief(findings: list) -> list:
    return [(found["code"], found["resource"], found["field"], found["message"]) for found in findings]


@pytest.mark.parametrize("objects, expected", [
    (BASE, []),
    ((http_route(), service()),
     [("IST0101", "HTTPRoute shop/web", "parentRefs[0]", 'Referenced gateway not found: "shop/edge"')]),
    ((k8s_gateway(), http_route(parent={"name": "edge", "sectionName": "https"}), service()),
     [("IST0101", "HTTPRoute shop/web", "parentRefs[0]",
       'Referenced listener not found: sectionName "https" on Gateway shop/edge')]),
    ((k8s_gateway(listeners=[listener(hostname="api.example.com")]), http_route(hostnames=["shop.example.com"]), service()),
     [("IST0132", "HTTPRoute shop/web", "parentRefs[0]",
       "one or more host [shop.example.com] defined in HTTPRoute shop/web not found in Gateway shop/edge.")]),
    ((k8s_gateway(namespace="infra"), http_route(parent={"name": "edge", "namespace": "infra"}), service()),
     [("ROUTE_NOT_ACCEPTED", "HTTPRoute shop/web", "parentRefs[0]", 'namespace "shop" or kind HTTPRoute is not allowed '
       "by the listeners (allowedRoutes) of Gateway infra/edge")]),
    ((k8s_gateway(), http_route(accepted=False), service()),
     [("ROUTE_NOT_ACCEPTED", "HTTPRoute shop/web", "parentRefs[0]",
       "Gateway shop/edge did not accept the route: NotAllowedByListeners: m")]),
    ((k8s_gateway(), http_route()),
     [("IST0101", "HTTPRoute shop/web", "rules[0].backendRefs[0]", 'Referenced backend Service not found: "shop/web"')]),
    ((k8s_gateway(), http_route(), service(ports=(8080,))),
     [("IST0101", "HTTPRoute shop/web", "rules[0].backendRefs[0]", 'Referenced host:port not found: "shop/web:80"')]),
    ((k8s_gateway(), http_route(rules=[{"backendRefs": [{"name": "web"}]}]), service()),
     [("IST0101", "HTTPRoute shop/web", "rules[0].backendRefs[0]",
       'Referenced backend Service "shop/web" has no port: a Service backendRef needs one')]),
    ((k8s_gateway(), http_route(rules=[{"backendRefs": [{"name": "web", "namespace": "backend", "port": 80}]}]),
      service(namespace="backend")),
     [("REFERENCE_NOT_PERMITTED", "HTTPRoute shop/web", "rules[0].backendRefs[0]", 'backendRef backend/web not '
       'accessible to a HTTPRoute in namespace "shop" (missing a ReferenceGrant?)')]),
    ((k8s_gateway(programmed=False), http_route(), service()),
     [("GATEWAY_NOT_PROGRAMMED", "Gateway.gateway.networking.k8s.io shop/edge", "status.conditions",
       "not Programmed: Programmed: m")]),
])
def test_each_break_of_the_chain_is_one_finding(objects, expected):
    assert brief(analyze_gateway_api(inventory(*objects))) == expected


@pytest.mark.parametrize("listener_host, route_host, expected", [
    ("", "shop.example.com", True),
    ("shop.example.com", "shop.example.com", True),
    ("*.example.com", "shop.example.com", True),
    ("shop.example.com", "*.example.com", True),
    ("*.example.com", "example.com", False),
    ("api.example.com", "shop.example.com", False),
    ("*.a.example.com", "*.example.com", True),
])
def test_hostnames_intersect(listener_host, route_host, expected):
    assert hostnames_intersect(listener_host, route_host) is expected


@pytest.mark.parametrize("match_type, value, path, expected", [
    ("PathPrefix", "/", "/anything", True),
    ("PathPrefix", "/foo", "/foo", True),
    ("PathPrefix", "/foo", "/foo/bar", True),
    ("PathPrefix", "/foo/", "/foo", True),
    ("PathPrefix", "/foo", "/foobar", False),
    ("Exact", "/foo", "/foo/", False),
    ("Exact", "/foo", "/foo", True),
])
def test_path_matches_by_whole_elements(match_type, value, path, expected):
    assert path_matches(match_type, value, path) is expected


REDIRECT_PATH = {"type": "ReplaceFullPath", "replaceFullPath": "/new"}
RULES = [
    {"matches": [{"path": {"type": "PathPrefix", "value": "/"}}], "backendRefs": [{"name": "web", "port": 80}]},
    {"matches": [{"path": {"type": "PathPrefix", "value": "/api"}}],
     "backendRefs": [{"name": "api", "port": 80, "weight": 90}, {"name": "api-next", "port": 80, "weight": 10}]},
    {"matches": [{"path": {"type": "Exact", "value": "/api/login"}}, {"headers": [{"name": "x-canary", "value": "1"}]}],
     "backendRefs": [{"name": "login", "port": 80}]},
    {"matches": [{"path": {"type": "PathPrefix", "value": "/old"}}],
     "filters": [{"type": "RequestRedirect", "requestRedirect": {"path": REDIRECT_PATH}}]},
    {"matches": [{"path": {"type": "Exact", "value": "/api"}}], "backendRefs": [{"name": "exact-api", "port": 80}]},
]


@pytest.mark.parametrize("path, headers, rule_index, hosts", [
    ("/", {}, 0, [("web", 100)]),
    ("/api/cart", {}, 1, [("api", 90), ("api-next", 10)]),  # the longest prefix before "/"
    ("/api/login", {}, 2, [("login", 100)]),  # an exact path before any prefix
    ("/", {"x-canary": "1"}, 2, [("login", 100)]),  # a header match before the same path without one
    ("/old/page", {}, 3, []),
    ("/api", {}, 4, [("exact-api", 100)]),  # an exact path before a prefix as long, whatever the rule order
])
def test_a_request_takes_the_most_precise_rule(path, headers, rule_index, hosts):
    objects = [k8s_gateway(), http_route(hostnames=["shop.example.com"], rules=RULES)]
    objects += [service(name) for name in ("web", "api", "api-next", "login", "exact-api")]
    route = resolve_gateway_api(inventory(*objects), Request("shop.example.com", 80, path, "GET", headers))
    assert route["http_route"]["rule_index"] == rule_index
    assert [(dest["service_name"], dest["weight"]) for dest in route["destinations"]] == hosts
    assert (route["gateway"]["name"], route["gateway"]["listener"]["name"]) == ("edge", "http")
    assert route["http_route"].get("redirect") == ({"path": REDIRECT_PATH} if rule_index == 3 else None)


@pytest.mark.parametrize("request_", [
    Request("other.example.com", 80, "/"),  # no hostname of the route takes it
    Request("shop.example.com", 8080, "/"),  # no listener on that port
    Request("shop.example.com", 443, "/", scheme="https"),  # no HTTPS listener
])
def test_no_gateway_api_route_for_requests_nothing_takes(request_):
    objects = [k8s_gateway(), http_route(hostnames=["shop.example.com"]), service()]
    assert resolve_gateway_api(inventory(*objects), request_) is None


def test_route_check_reports_the_httproute_chain_when_no_istio_gateway_routes_the_request():
    objects = [k8s_gateway(), http_route(hostnames=["shop.example.com"]), service()]
    result = check_routes(inventory(*objects), Request("shop.example.com", 80, "/"), {"istio": "ingressgateway"})
    assert result["findings"] == []
    assert result["summary"] == ("http://shop.example.com/ → Gateway shop/edge (gateway.networking.k8s.io/v1) listener "
                                 "http → HTTPRoute shop/web rules[0] → Service shop/web:80")
    assert result["routed_services"] == [WEB]


def test_route_check_reports_httproute_findings_in_the_namespaces_asked_only():
    objects = [k8s_gateway(), http_route()]
    assert [found["code"] for found in check_routes(inventory(*objects), None, {}, ["shop"])["findings"]] == ["IST0101"]
    assert check_routes(inventory(*objects), None, {}, ["other"])["findings"] == []


class Lister:
    """A client whose LISTs answer from ``items`` by path, 404 for the paths of types it does not serve."""

    def __init__(self, items: dict, unserved: tuple = ()) -> None:
        self.items, self.unserved, self.paths = items, unserved, []

    def list(self, path: str, label_selector=None, field_selector=None) -> list:
        self.paths.append(path)
        if path in self.unserved:
            raise ApiError(404, "NotFound", "the server could not find the requested resource", method="GET")
        return copy.deepcopy(self.items.get(path, []))


GATEWAYS, ROUTES = "/apis/gateway.networking.k8s.io/v1/gateways", "/apis/gateway.networking.k8s.io/v1/httproutes"
GRANTS, NAMESPACES = "/apis/gateway.networking.k8s.io/v1beta1/referencegrants", "/api/v1/namespaces"


@pytest.mark.parametrize("items, unserved, paths", [
    ({}, (GATEWAYS,), [GATEWAYS]),  # no Gateway API CRDs: one LIST, no error
    ({GATEWAYS: [k8s_gateway()]}, (), [GATEWAYS, ROUTES, GRANTS]),
    ({GATEWAYS: [k8s_gateway()]}, (GRANTS,), [GATEWAYS, ROUTES, GRANTS]),  # no ReferenceGrant CRD: none
    ({GATEWAYS: [k8s_gateway(listeners=[listener(allowedRoutes={"namespaces": {"from": "Selector"}})])]}, (),
     [GATEWAYS, ROUTES, GRANTS, NAMESPACES]),  # namespace labels only when a listener selects by them
])
def test_the_gateway_api_is_read_in_one_list_per_kind_where_served(items, unserved, paths):
    client = Lister(items, unserved)
    found = Inventory()
    read_gateway_api(client, found)
    assert client.paths == paths
    assert len(found.k8s_gateways) == len(items.get(GATEWAYS, []))
