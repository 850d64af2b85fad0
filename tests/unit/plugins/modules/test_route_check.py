# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""route_check options become the request it follows, bad input fails naming the option before any request,
it reads the cluster in ten LISTs and writes nothing, and ``fail_on`` decides which findings fail the task."""

from __future__ import annotations

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.args import AUTH_ARG_SPEC
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.resolution import Request, request_from_options
from ansible_collections.meshsmith.istio.plugins.modules import route_check
from ansible_collections.meshsmith.istio.tests.unit.plugins.module_utils.routes.test_route_analysis import (
    gateway,
    seed,
    virtual_service,
)

SEED_URL = "http://203.0.113.10/"
SEED_SUMMARY = ("http://203.0.113.10/ → Gateway istio-system/default-gateway → VirtualService default/proxy http[0] → "
                "Service default/proxy:80")
LISTED = ["/apis/networking.istio.io/v1/gateways", "/apis/networking.istio.io/v1/virtualservices",
          "/apis/networking.istio.io/v1/serviceentries", "/apis/networking.istio.io/v1/destinationrules",
          "/api/v1/services", "/api/v1/pods", "/apis/apps/v1/deployments",
          "/apis/gateway.networking.k8s.io/v1/gateways", "/apis/gateway.networking.k8s.io/v1/httproutes",
          "/apis/gateway.networking.k8s.io/v1beta1/referencegrants"]


def request_from(options: dict):
    """The request the module follows for ``options``, after Ansible's own option parsing."""
    result = ArgumentSpecValidator(dict(AUTH_ARG_SPEC, **route_check.ARGUMENT_SPEC)).validate(options)
    assert result.error_messages == []
    return request_from_options(result.validated_parameters)


@pytest.mark.parametrize("options, request_", [
    ({"url": "https://Shop.Example.com:8443/api?v=2", "method": "post", "headers": {"x-canary": "true"}},
     Request("shop.example.com", 8443, "/api?v=2", "POST", {"x-canary": "true"}, "https")),
    ({"request_host": "Shop.Example.com"}, Request("shop.example.com", 80, "/", "GET", {}, "http")),
    ({"request_host": "shop.example.com", "scheme": "https", "path": "/cart", "method": "delete"},
     Request("shop.example.com", 443, "/cart", "DELETE", {}, "https")),
    ({"request_host": "shop.example.com", "port": 8080}, Request("shop.example.com", 8080, "/", "GET", {}, "http")),
    ({}, None),  # no request: analysis only
])
def test_options_become_the_request(options, request_):
    assert request_from(options) == request_


@pytest.mark.parametrize("options, message", [
    ({"request_host": "shop.example.com", "port": 65536}, "port: must be between 1 and 65535, got 65536"),
    ({"request_host": "shop.example.com", "port": 0}, "port: must be between 1 and 65535, got 0"),
    ({"request_host": "shop.example.com", "path": "cart"}, "path: must start with /, got 'cart'"),
    ({"url": "ftp://shop.example.com/"}, "url: expected http://host[:port]/path or https://..."),
    ({"url": SEED_URL, "request_host": "shop.example.com"}, "parameters are mutually exclusive: url|request_host"),
    ({"gateway_selector": {}}, "gateway_selector: must not be empty"),
    ({"gateway_selector": {"istio": ["ingressgateway"]}},
     'gateway_selector: the value of label "istio" must be a string, got a list'),
    ({"namespaces": ["default", "Prod"]}, 'namespaces[1]: "Prod" is not a valid namespace name'),
    ({"fail_on": "info"}, "value of fail_on must be one of: error, warning, never"),
])
def test_bad_input_fails_naming_the_option_before_any_request(run_main, no_requests, options, message):
    result = run_main(route_check, options)
    assert result["failed"] is True
    assert result["msg"].startswith(message)


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_working_route_is_reported_from_ten_lists_without_a_write(run_main, cluster_with, check_mode):
    cluster = cluster_with(seed())
    result = run_main(route_check, {"url": SEED_URL}, check_mode=check_mode)
    assert (result["changed"], result["findings"], result["summary"]) == (False, [], SEED_SUMMARY)
    assert result["route"]["destinations"][0]["service_name"] == "proxy"
    assert sorted(request[1] for request in cluster.requests) == sorted(LISTED)
    assert {request[0] for request in cluster.requests} == {"LIST"}


def test_a_broken_route_fails_with_the_findings_in_the_message_and_the_result(run_main, cluster_with):
    cluster_with(seed(virtual_service(gateways=["default-gateway"])))
    result = run_main(route_check, {"url": SEED_URL})
    assert result["failed"] is True and result["route"] is None
    assert [finding["code"] for finding in result["findings"]][:2] == ["ROUTE_NOT_FOUND", "IST0101"]
    assert result["msg"].startswith(result["summary"] + "; 2 finding(s) at or above fail_on: ")
    assert '[IST0101] VirtualService default/proxy gateways[0]: Referenced gateway not found: "default-gateway"' \
        in result["msg"]


@pytest.mark.parametrize("fail_on, fails", [("error", False), ("warning", True), ("never", False)])
def test_fail_on_decides_whether_a_warning_fails_the_task(run_main, cluster_with, fail_on, fails):
    # IST0132: the VirtualService's host is not among the hosts of the Gateway it binds to
    cluster_with(seed(gateway(hosts=["shop.example.com"]), virtual_service(hosts=["other.example.com"])))
    result = run_main(route_check, {"fail_on": fail_on})
    assert [(finding["code"], finding["severity"]) for finding in result["findings"]] == [("IST0132", "warning")]
    assert result.get("failed", False) is fails


def test_namespaces_limit_the_findings_reported(run_main, cluster_with):
    cluster_with(seed(virtual_service(gateways=["default-gateway"])))
    assert run_main(route_check, {"namespaces": ["istio-system"]})["findings"] == []
    assert [finding["code"] for finding in run_main(route_check, {"namespaces": ["default"], "fail_on": "never"})[
        "findings"]] == ["IST0101", "IST0132"]


def test_istio_types_the_cluster_does_not_serve_are_findings_but_service_entries_are_optional(run_main, cluster_with):
    cluster_with(seed(), unserved=["virtualservices", "serviceentries"])
    result = run_main(route_check, {"fail_on": "never"})
    assert [(finding["code"], finding["resource"]) for finding in result["findings"]] == [
        ("API_NOT_SERVED", "CustomResourceDefinition virtualservices.networking.istio.io")]


def test_api_version_is_the_one_read(run_main, cluster_with):
    cluster = cluster_with(seed())
    run_main(route_check, {"url": SEED_URL, "api_version": "networking.istio.io/v1beta1"})
    assert "/apis/networking.istio.io/v1beta1/gateways" in [request[1] for request in cluster.requests]
