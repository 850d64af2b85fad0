# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""route_analysis reports what istioctl analyze reports, on istioctl's own test inputs and on broken/fixed twins."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest
import yaml

from ansible_collections.meshsmith.istio.plugins.module_utils.routes import analysis as checks
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.model import Inventory

REPO_ROOT = Path(__file__).resolve().parents[5]

# What istioctl's test harness adds to every case (local.AddDefaultResources): an ingress gateway pod and Service.
ISTIOCTL_DEFAULT_INGRESS = [
    {"kind": "Pod", "metadata": {"name": "istio-ingressgateway-dummypod", "namespace": "istio-system",
                                 "labels": {"istio": "ingressgateway"}}},
    {"kind": "Service", "metadata": {"name": "istio-ingressgateway", "namespace": "istio-system"},
     "spec": {"selector": {"istio": "ingressgateway"},
              "ports": [{"name": name, "port": port, "targetPort": port, "protocol": "TCP"}
                        for name, port in (("http2", 80), ("https", 443), ("tcp", 31400), ("tls", 15443))]}},
]


@pytest.fixture(scope="module")
def testdata() -> Path:
    shared = Path(os.environ.get("ISTIO_SHARED_DIR", REPO_ROOT.parent / "shared" / "istio")) / "analyzer-testdata"
    if not shared.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("istioctl analyzer test data missing at %s (set ISTIO_SHARED_DIR)" % shared)
        pytest.skip("istioctl analyzer test data not found at %s (set ISTIO_SHARED_DIR)" % shared)
    return shared


def load(testdata: Path, *names: str) -> Inventory:
    objects = [obj for name in names for obj in yaml.safe_load_all((testdata / name).read_text()) if obj]
    return Inventory.from_objects(objects + copy.deepcopy(ISTIOCTL_DEFAULT_INGRESS))


# (check, input files, istioctl's expected (code, resource) list) from istio's analyzers_test.go
ISTIOCTL_CASES = [
    (checks.check_gateway_workloads, ["gateway-no-workload.yaml"], [("IST0101", "Gateway httpbin-gateway")]),
    (checks.check_gateway_workloads, ["gateway-no-port.yaml"], [("IST0162", "Gateway httpbin-gateway")]),
    (checks.check_gateway_workloads, ["gateway-correct-port.yaml"], []),
    (checks.check_gateway_workloads, ["gateway-custom-ingressgateway.yaml"], []),
    (checks.check_gateway_workloads, ["gateway-custom-ingressgateway-badport.yaml"], [("IST0162", "Gateway httpbin-gateway")]),
    (checks.check_gateway_workloads, ["gateway-custom-ingressgateway-badport-notarget.yaml"],
     [("IST0162", "Gateway httpbin-gateway")]),
    (checks.check_gateway_workloads, ["gateway-custom-ingressgateway-translation.yaml"], []),
    (checks.check_gateway_workloads, ["gateway-custom-ingressgateway-svcselector.yaml"],
     [("IST0162", "Gateway httpbin8002-gateway")]),
    (checks.check_conflicting_gateways, ["conflicting-gateways.yaml"],
     [("IST0145", "Gateway alpha"), ("IST0145", "Gateway beta")]),
    (checks.check_conflicting_gateways, ["gateway-different-port.yaml"], []),
    (checks.check_conflicting_gateways, ["conflicting-gateways-multiple-ports.yaml"],
     [("IST0145", "Gateway alpha"), ("IST0145", "Gateway beta")]),
    (checks.check_conflicting_gateways, ["conflicting-gateways-subSelector.yaml"],
     [("IST0145", "Gateway alpha"), ("IST0145", "Gateway beta")]),
    (checks.check_conflicting_gateways, ["conflicting-gateways-invalid-port.yaml"], []),
    (checks.check_mesh_gateway_hosts, ["virtualservice_conflictingmeshgatewayhosts.yaml"], [
        ("IST0109", "VirtualService team3/ratings"), ("IST0109", "VirtualService team4/ratings"),
        ("IST0109", "VirtualService foo/ratings"), ("IST0109", "VirtualService bar/ratings"),
        ("IST0109", "VirtualService foo/productpage"), ("IST0109", "VirtualService foo/bogus-productpage"),
        ("IST0109", "VirtualService team2/ratings"),
    ]),
    (checks.check_mesh_gateway_hosts, ["virtualservice_conflictingmeshgatewayhosts_with_exportto.yaml"], [
        ("IST0109", "VirtualService foo/productpage"), ("IST0109", "VirtualService bar/productpage"),
        ("IST0109", "VirtualService foo/productpage-c"), ("IST0109", "VirtualService bar/productpage-c"),
        ("IST0109", "VirtualService foo/productpage-d"), ("IST0109", "VirtualService bar/productpage-d"),
    ]),
    (checks.check_destination_hosts, ["virtualservice_destinationhosts.yaml"], [
        ("IST0101", "VirtualService default/reviews-bogushost"), ("IST0101", "VirtualService default/reviews-bogushost"),
        ("IST0101", "VirtualService default/reviews-bookinfo-other"),
        ("IST0101", "VirtualService default/reviews-mirror-bogushost"),
        ("IST0101", "VirtualService default/reviews-bogusport"),
        ("IST0112", "VirtualService default/reviews-2port-missing"),
        ("IST0101", "VirtualService istio-system/cross-namespace-details"),
        ("IST0101", "VirtualService hello/hello-export-to-bogus"),
    ]),
    (checks.check_virtual_service_gateways, ["virtualservice_gateways.yaml"], [
        ("IST0101", "VirtualService httpbin-bogus"), ("IST0132", "VirtualService default/cross-test"),
        ("IST0132", "VirtualService httpbin-bogus"), ("IST0132", "VirtualService httpbin"),
    ]),
    (checks.check_route_rules, ["virtualservice_dupmatches.yaml", "virtualservice_overlappingmatches.yaml"], [
        ("IST0130", "VirtualService duplicate-match"), ("IST0130", "VirtualService foo/sample-foo-cluster01"),
        ("IST0131", "VirtualService almost-duplicate-match"), ("IST0131", "VirtualService duplicate-match"),
        ("IST0130", "VirtualService duplicate-tcp-match"), ("IST0130", "VirtualService duplicate-empty-tcp"),
        ("IST0131", "VirtualService almost-duplicate-tcp-match"), ("IST0131", "VirtualService duplicate-tcp-match"),
        ("IST0130", "VirtualService none/tls-routing"), ("IST0131", "VirtualService none/tls-routing-almostmatch"),
        ("IST0131", "VirtualService none/tls-routing"),
        ("IST0131", "VirtualService non-method-get"), ("IST0131", "VirtualService overlapping-in-single-match"),
        ("IST0131", "VirtualService overlapping-in-two-matches"),
        ("IST0131", "VirtualService overlapping-mathes-with-different-methods"),
    ]),
] + [
    (checks.check_virtual_service_gateways, [name], [
        ("IST0132", "VirtualService default/testing-service-02-test-01"),
        ("IST0132", "VirtualService default/testing-service-02-test-02"),
        ("IST0132", "VirtualService default/testing-service-02-test-03"),
        ("IST0132", "VirtualService default/testing-service-03-test-04"),
    ]) for name in ("virtualservice_host_not_found_gateway.yaml", "virtualservice_host_not_found_gateway_beta.yaml")
] + [
    (checks.check_virtual_service_gateways, [name], [("IST0132", "VirtualService default/testing-service-01-test-01")])
    for name in ("virtualservice_host_not_found_gateway_with_ns_prefix.yaml",
                 "virtualservice_host_not_found_gateway_with_ns_prefix_beta.yaml")
]


@pytest.mark.parametrize("check, files, expected", ISTIOCTL_CASES,
                         ids=["%s-%s" % (case[0].__name__, case[1][0]) for case in ISTIOCTL_CASES])
def test_reports_what_istioctl_reports_on_its_own_inputs(testdata, check, files, expected):
    found = [(finding["code"], finding["resource"]) for finding in check(load(testdata, *files))]
    assert sorted(found) == sorted(expected)


def test_analyze_reports_each_finding_once_with_severity_field_and_message(testdata):
    findings = checks.analyze(load(testdata, "virtualservice_gateways.yaml"))
    assert len(findings) == len({tuple(sorted(f.items())) for f in findings})
    bogus = [f for f in findings if f["resource"] == "VirtualService httpbin-bogus" and f["code"] == "IST0101"]
    assert bogus == [{"code": "IST0101", "severity": "error", "resource": "VirtualService httpbin-bogus",
                      "field": "gateways[0]", "message": 'Referenced gateway not found: "httpbin-gateway-bogus"'}]


# --- broken configurations and their fixed twins, one per code -------------------------------------------

INGRESS_POD = {"kind": "Pod", "metadata": {"name": "gw-1", "namespace": "istio-system",
                                           "labels": {"istio": "ingressgateway", "app": "istio-ingressgateway"}}}
INGRESS_SERVICE = {"kind": "Service", "metadata": {"name": "istio-ingressgateway", "namespace": "istio-system"},
                   "spec": {"selector": {"istio": "ingressgateway"},
                            "ports": [{"name": "http2", "port": 80, "targetPort": 8080, "protocol": "TCP"}]}}
PROXY_SERVICE = {"kind": "Service", "metadata": {"name": "proxy", "namespace": "default"},
                 "spec": {"selector": {"app": "proxy"}, "ports": [{"name": "http", "port": 80}]}}


def gateway(name="default-gateway", namespace="istio-system", selector=None, port=80, hosts=("*",)):
    return {"kind": "Gateway", "metadata": {"name": name, "namespace": namespace},
            "spec": {"selector": selector or {"istio": "ingressgateway"},
                     "servers": [{"port": {"number": port, "name": "http", "protocol": "HTTP"}, "hosts": list(hosts)}]}}


def virtual_service(name="proxy", namespace="default", hosts=("*",), gateways=("istio-system/default-gateway",),
                    http=None):
    return {"kind": "VirtualService", "metadata": {"name": name, "namespace": namespace},
            "spec": {"hosts": list(hosts), "gateways": list(gateways),
                     "http": http or [{"route": [{"destination": {"host": "proxy", "port": {"number": 80}}}]}]}}


def seed(*replacements) -> list:
    """The seed scenario's objects, with any object of the same kind/namespace/name replaced."""
    objects = [INGRESS_POD, INGRESS_SERVICE, PROXY_SERVICE, gateway(), virtual_service()]
    keys = {(o["kind"], o["metadata"]["namespace"], o["metadata"]["name"]) for o in replacements}
    kept = [o for o in objects if (o["kind"], o["metadata"]["namespace"], o["metadata"]["name"]) not in keys]
    return kept + list(replacements)


def codes(objects: list) -> list:
    return sorted({(f["code"], f["resource"], f["field"]) for f in checks.analyze(Inventory.from_objects(objects))})


def test_seed_scenario_has_no_findings():
    assert codes(seed()) == []


TWO_PORT_SERVICE = dict(PROXY_SERVICE, spec={"selector": {"app": "proxy"}, "ports": [{"port": 80}, {"port": 443}]})
BROKEN_AND_FIXED = {
    "IST0101 gateway named without its namespace": (
        seed(virtual_service(gateways=["default-gateway"])),
        ("IST0101", "VirtualService default/proxy", "gateways[0]"),
        seed(virtual_service(gateways=["istio-system/default-gateway"])),
    ),
    "IST0101 destination host": (
        seed(virtual_service(http=[{"route": [{"destination": {"host": "proxi"}}]}])),
        ("IST0101", "VirtualService default/proxy", "http[0].route[0].destination"),
        seed(virtual_service(http=[{"route": [{"destination": {"host": "proxy.default.svc.cluster.local"}}]}])),
    ),
    "IST0101 destination port": (
        seed(virtual_service(http=[{"route": [{"destination": {"host": "proxy", "port": {"number": 8080}}}]}])),
        ("IST0101", "VirtualService default/proxy", "http[0].route[0].destination"),
        seed(),
    ),
    "IST0101 gateway selector": (
        seed(gateway(selector={"istio": "ingress"})),
        ("IST0101", "Gateway istio-system/default-gateway", "selector"),
        seed(gateway(selector={"istio": "ingressgateway"})),
    ),
    "IST0132 host not in gateway": (
        seed(gateway(hosts=["shop.example.com"]), virtual_service(hosts=["blog.example.com"])),
        ("IST0132", "VirtualService default/proxy", "gateways[0]"),
        seed(gateway(hosts=["*.example.com"]), virtual_service(hosts=["blog.example.com"])),
    ),
    "IST0132 gateway host reserved to its own namespace": (
        seed(gateway(hosts=["./shop.example.com"]), virtual_service(hosts=["shop.example.com"])),
        ("IST0132", "VirtualService default/proxy", "gateways[0]"),
        seed(gateway(hosts=["default/shop.example.com"]), virtual_service(hosts=["shop.example.com"])),
    ),
    "IST0145 conflicting gateways": (
        seed(gateway(name="other-gateway")),
        ("IST0145", "Gateway istio-system/other-gateway", "servers[0]"),
        seed(gateway(name="other-gateway", hosts=["other.example.com"])),
    ),
    "IST0162 port not on the gateway service": (
        seed(gateway(port=8081)),
        ("IST0162", "Gateway istio-system/default-gateway", "servers[0].port.number"),
        seed(gateway(port=8080)),  # the Service's targetPort counts too
    ),
    "IST0109 mesh hosts": (
        seed(virtual_service(name="a", hosts=["proxy"], gateways=["mesh"]),
             virtual_service(name="b", hosts=["proxy.default.svc.cluster.local"], gateways=["mesh"])),
        ("IST0109", "VirtualService default/b", "hosts"),
        seed(virtual_service(name="a", hosts=["proxy"], gateways=["mesh"])),
    ),
    "IST0112 port needed": (
        seed(TWO_PORT_SERVICE, virtual_service(http=[{"route": [{"destination": {"host": "proxy"}}]}])),
        ("IST0112", "VirtualService default/proxy", "http[0].route[0].destination"),
        seed(TWO_PORT_SERVICE),
    ),
    "IST0130 rule after a catch-all": (
        seed(virtual_service(http=[{"route": [{"destination": {"host": "proxy"}}]},
                                   {"match": [{"uri": {"prefix": "/api"}}], "route": [{"destination": {"host": "proxy"}}]}])),
        ("IST0130", "VirtualService default/proxy", "http[1]"),
        seed(virtual_service(http=[{"match": [{"uri": {"prefix": "/api"}}], "route": [{"destination": {"host": "proxy"}}]},
                                   {"route": [{"destination": {"host": "proxy"}}]}])),
    ),
    "IST0131 prefix covering a later one": (
        seed(virtual_service(http=[{"match": [{"uri": {"prefix": "/api"}}], "route": [{"destination": {"host": "proxy"}}]},
                                   {"match": [{"uri": {"prefix": "/api/v2"}}], "route": [{"destination": {"host": "proxy"}}]}])),
        ("IST0131", "VirtualService default/proxy", "http[1].match[0]"),
        seed(virtual_service(http=[{"match": [{"uri": {"prefix": "/api/v2"}}], "route": [{"destination": {"host": "proxy"}}]},
                                   {"match": [{"uri": {"prefix": "/api"}}], "route": [{"destination": {"host": "proxy"}}]}])),
    ),
}


@pytest.mark.parametrize("broken, expected, fixed", BROKEN_AND_FIXED.values(), ids=BROKEN_AND_FIXED.keys())
def test_broken_configuration_is_reported_and_its_fixed_twin_is_not(broken, expected, fixed):
    assert expected in codes(broken)
    assert [found for found in codes(fixed) if found[0] == expected[0]] == []
