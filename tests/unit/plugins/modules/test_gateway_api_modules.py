# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""k8s_gateway, http_route and their _info modules: kinds of another API group driven by the engine (api_version
choices, paths, option paths in messages), the CRD's defaults sent, set lists compared as sets, and what a
controller writes (status, annotations) never rewritten."""

from __future__ import annotations

import copy

from ansible_collections.meshsmith.istio.plugins.modules import http_route, http_route_info, k8s_gateway, k8s_gateway_info

ROUTE_PATH = "/apis/gateway.networking.k8s.io/v1/namespaces/web/httproutes/shop"
GATEWAY_PATH = "/apis/gateway.networking.k8s.io/v1/namespaces/web/gateways/web"
ROUTE = {"name": "shop", "namespace": "web", "parentRefs": [{"name": "web", "section_name": "http"}],
         "hostnames": ["shop.example.com"],
         "rules": [{"matches": [{"headers": [{"name": "x-a", "value": "1"}, {"name": "x-b", "value": "2"}]}],
                    "filters": [{"type": "RequestHeaderModifier",
                                 "request_header_modifier": {"remove": ["x-c", "x-d"]}}],
                    "backend_refs": [{"name": "shop", "port": 8080}]}]}
GATEWAY = {"name": "web", "namespace": "web", "gateway_class_name": "istio",
           "listeners": [{"name": "http", "port": 80, "protocol": "HTTP"},
                         {"name": "https", "port": 443, "protocol": "HTTPS", "hostname": "shop.example.com",
                          "tls": {"certificate_refs": [{"name": "shop-cert"}]}}]}


def test_the_crd_defaults_are_sent_so_a_rerun_compares_equal(run_main, cluster_with):
    cluster = cluster_with()
    created = run_main(http_route, ROUTE)
    assert (created["changed"], created["method"]) == (True, "created")
    assert cluster.requests == [("GET", ROUTE_PATH, False), ("POST", ROUTE_PATH.rsplit("/", 1)[0], False)]
    assert created["result"]["spec"] == {
        "parentRefs": [{"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "web", "sectionName": "http"}],
        "hostnames": ["shop.example.com"],
        "rules": [{"matches": [{"headers": [{"name": "x-a", "type": "Exact", "value": "1"},
                                            {"name": "x-b", "type": "Exact", "value": "2"}],
                                "path": {"type": "PathPrefix", "value": "/"}}],
                   "filters": [{"type": "RequestHeaderModifier", "requestHeaderModifier": {"remove": ["x-c", "x-d"]}}],
                   "backendRefs": [{"group": "", "kind": "Service", "name": "shop", "port": 8080, "weight": 1}]}]}
    assert run_main(http_route, {"name": "empty", "namespace": "web"})["result"]["spec"] == {
        "rules": [{"matches": [{"path": {"type": "PathPrefix", "value": "/"}}]}]}
    two_rules = run_main(http_route, {"name": "two", "namespace": "web", "rules": [
        {"backend_refs": [{"name": "a", "port": 80}]}, {"backend_refs": [{"name": "b", "port": 80}]}]})
    default_match = {"path": {"type": "PathPrefix", "value": "/"}}
    assert [rule["matches"] for rule in two_rules["result"]["spec"]["rules"]] == [[default_match]] * 2


def test_set_lists_reordered_are_no_change_ordered_lists_are(run_main, cluster_with):
    cluster = cluster_with()
    run_main(http_route, ROUTE)
    reordered = copy.deepcopy(ROUTE)
    rule = reordered["rules"][0]
    rule["matches"][0]["headers"].reverse()
    rule["filters"][0]["request_header_modifier"]["remove"].reverse()
    assert run_main(http_route, reordered)["changed"] is False
    assert cluster.requests[2:] == [("GET", ROUTE_PATH, False)]
    hostnames = dict(ROUTE, hostnames=["shop.example.com", "www.example.com"])
    run_main(http_route, hostnames)
    assert run_main(http_route, dict(hostnames, hostnames=hostnames["hostnames"][::-1]))["method"] == "updated"


def test_listeners_are_a_map_and_controller_writes_are_kept(run_main, cluster_with):
    cluster = cluster_with()
    run_main(k8s_gateway, GATEWAY)
    stored = cluster.objects[GATEWAY_PATH]
    stored["metadata"]["annotations"] = {"gateway.istio.io/controller-version": "5"}
    stored["status"] = {"conditions": [{"type": "Programmed", "status": "True"}]}
    again = run_main(k8s_gateway, dict(GATEWAY, listeners=GATEWAY["listeners"][::-1]), diff=True)
    assert (again["changed"], cluster.requests[2:]) == (False, [("GET", GATEWAY_PATH, False)])
    assert again["result"]["status"] == stored["status"]


def test_errors_name_the_options_before_any_request(run_main, no_requests):
    bad = dict(ROUTE, rules=[{"matches": [{"path": {"type": "Exact", "value": "shop"}}],
                              "backend_refs": [{"name": "shop", "port": 8080, "weight": 2000000}]}])
    failed = run_main(http_route, bad)
    assert failed["failed"] and [error["option"] for error in failed["errors"]] == [
        "rules[0].matches[0].path.value", "rules[0].backend_refs[0].weight"]
    listeners = [{"name": "http", "port": 80, "protocol": "HTTP"}] * 2
    failed = run_main(k8s_gateway, {"definition": {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
                                                   "metadata": {"name": "web"},
                                                   "spec": {"gatewayClassName": "istio", "listeners": listeners}}})
    assert failed["option"] == "definition.spec.listeners"
    assert "Listener name 'http' is given more than once" in failed["msg"]


def test_info_modules_read_with_one_request(run_main, cluster_with):
    cluster = cluster_with()
    assert run_main(http_route_info, {"namespace": "web"})["resources"] == []
    assert run_main(k8s_gateway_info, {"name": "web", "namespace": "web"})["resources"] == []
    assert cluster.requests == [("LIST", ROUTE_PATH.rsplit("/", 1)[0], False), ("GET", GATEWAY_PATH, False)]
    refused = run_main(k8s_gateway_info, {"api_version": "networking.istio.io/v1"})
    assert refused["failed"] and "api_version" in refused["msg"]
