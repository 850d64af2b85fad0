# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""istiod's own VirtualService validation cases, run through ``validate_virtual_service`` (format: istiod_cases.py).

Ported from validation_test.go: TestValidateVirtualService, TestValidateHTTPRoute, TestValidateRouteDestination,
TestValidateDestination, TestValidateHTTPRetry, TestValidateHTTPRewrite, TestValidateUriRegexRewrite,
TestValidateHTTPRedirect, TestValidateHTTPDirectResponse, TestValidateCORSPolicy, TestValidateHTTPFaultInjection*,
TestValidateHTTPStatus, TestValidateHTTPHeaderName, TestStrictValidateHTTPHeaderName, TestValidatePortName,
Test_validateExportTo, TestValidateHTTPHeaderValue; from virtualservice_test.go: TestValidateChainingVirtualService,
TestValidateRootHTTPRoute, TestValidateDelegateHTTPRoute; from agent/validation_test.go: TestValidateFQDN,
TestValidateWildcardDomain, TestValidateWildcardDomainForVirtualServiceBoundToGateway, TestValidationIPSubnet.
A case that tests one part (a retry policy, a destination...) is validated inside a minimal VirtualService.
"""

from __future__ import annotations

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.common import wildcard_domain_error
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.virtual_service import (
    validate_virtual_service,
)
from ansible_collections.meshsmith.istio.tests.unit.plugins.module_utils.istio.istiod_cases import (
    ERROR,
    ERROR_QUIET,
    VALID,
    VALID_QUIET,
    VALID_WARNED,
    assert_istiod_verdict,
    b64,
    istiod,
    our_verdict,
    skip_unported,
)

ROUTE = [{"destination": {"host": "foo.baz"}}]


def virtual_service(**spec) -> dict:
    return dict({"hosts": ["foo.bar"]}, **spec)


def http_route(**route) -> dict:
    """A VirtualService with one HTTP route to foo.baz plus ``route``'s fields (None values left out)."""
    return virtual_service(http=[dict({"route": ROUTE}, **{key: value for key, value in route.items() if value is not None})])


def action(**route) -> dict:
    """A VirtualService whose one HTTP route does only ``route`` (a redirect, a direct response); else routes to foo.baz."""
    present = {key: value for key, value in route.items() if value is not None}
    return virtual_service(http=[present]) if present else http_route()


def bound_to_gateway(host: str, sni: bool) -> dict:
    """istio's ValidateWildcardDomainForVirtualServiceBoundToGateway(sni, host): ``host`` in a gateway-bound VirtualService."""
    if sni:
        return {"hosts": [host], "gateways": ["ns1/gateway"], "tls": [{"match": [{"sniHosts": [host]}], "route": ROUTE}]}
    return {"hosts": [host], "gateways": ["ns1/gateway"], "http": [{"route": ROUTE}]}


SPEC_BUILDERS = {
    "TestValidateVirtualService": lambda **case: case["in"],
    "TestValidateChainingVirtualService": lambda **case: case["in"],
    "TestValidateHTTPRoute": lambda **case: virtual_service(http=[case["route"]]),
    "TestValidateRootHTTPRoute": lambda **case: virtual_service(http=[case["route"]]),
    "TestValidateDelegateHTTPRoute": lambda **case: {"http": [case["route"]]},
    "TestValidateRouteDestination": lambda **case: virtual_service(tcp=[{"route": case["routes"]}]),
    "TestValidateDestination": lambda **case: virtual_service(http=[{"route": [{"destination": case["destination"]}]}]),
    "TestValidateHTTPRetry": lambda **case: http_route(retries=case["in"]),
    "TestValidateHTTPRewrite": lambda **case: http_route(rewrite=case["in"]),
    "TestValidateUriRegexRewrite": lambda **case: http_route(rewrite=case["in"] and {"uriRegexRewrite": case["in"]}),
    "TestValidateHTTPRedirect": lambda **case: action(redirect=case["redirect"]),
    "TestValidateHTTPDirectResponse": lambda **case: action(directResponse=case["directResponse"]),
    "TestValidateCORSPolicy": lambda **case: http_route(corsPolicy=case["in"]),
    "TestValidateHTTPFaultInjectionAbort": lambda **case: http_route(fault=case["in"] and {"abort": case["in"]}),
    "TestValidateHTTPFaultInjectionDelay": lambda **case: http_route(fault=case["in"] and {"delay": case["in"]}),
    "TestValidateHTTPStatus": lambda **case: action(directResponse={"status": case["in"]}),
    "TestValidateHTTPHeaderName": lambda **case: http_route(match=[{"headers": {case["name"]: {"exact": "value"}}}]),
    "TestValidateHTTPHeaderValue": lambda **case: http_route(headers={"request": {"set": {"x-value": case["input"]}}}),
    "Test_validateExportTo": lambda **case: http_route() if case["exportTo"] is None else dict(http_route(), exportTo=case["exportTo"]),
    "TestValidateFQDN": lambda **case: virtual_service(gateways=[case["fqdn"]], http=[{"route": ROUTE}]),
    "TestValidateWildcardDomainForVirtualServiceBoundToGateway": lambda **case: bound_to_gateway(case["in"], case["sni"]),
    "TestValidationIPSubnet": lambda **case: virtual_service(tcp=[{"match": [{"destinationSubnets": [case["subnet"]]}], "route": ROUTE}]),
}

SERVICE_ENTRY_OR_DESTINATION_RULE = "exportTo rule of ServiceEntry / DestinationRule with a workload selector, not of VirtualService"
SKIPPED = {
    "TestStrictValidateHTTPHeaderName": "used by RequestAuthentication (JWT output headers), which the collection does not manage",
    "TestValidatePortName": "used by ServiceEntry and Sidecar ports; Gateway port names are free text in istiod",
    "Test_validateExportTo/~ is allowed for service entry configs": SERVICE_ENTRY_OR_DESTINATION_RULE,
    "Test_validateExportTo/duplicate none in service entry exportTo is not okay": SERVICE_ENTRY_OR_DESTINATION_RULE,
    "Test_validateExportTo/none and other namespaces cannot be combined in service entry exportTo": SERVICE_ENTRY_OR_DESTINATION_RULE,
    "Test_validateExportTo/destination rule with workloadselector cannot have exportTo (*)": SERVICE_ENTRY_OR_DESTINATION_RULE,
    "Test_validateExportTo/destination rule with workloadselector can have only exportTo (.)": SERVICE_ENTRY_OR_DESTINATION_RULE,
    "Test_validateExportTo/destination rule with workloadselector cannot have another ns in exportTo (.)":
        SERVICE_ENTRY_OR_DESTINATION_RULE,
    "Test_validateExportTo/destination rule with workloadselector cannot have another ns in addition to own ns in exportTo (.)":
        SERVICE_ENTRY_OR_DESTINATION_RULE,
    **dict.fromkeys((
        "TestValidateHTTPRoute/prefix_rewrite redirect with prefix URI match",
        "TestValidateHTTPRoute/prefix_rewrite redirect with exact URI match is invalid",
        "TestValidateHTTPRoute/prefix_rewrite redirect with regex URI match is invalid",
        "TestValidateHTTPRoute/prefix_rewrite redirect with no URI match (wildcard) is valid",
        "TestValidateHTTPRedirect/prefix_rewrite alone",
        "TestValidateHTTPRedirect/prefix_rewrite with authority",
        "TestValidateHTTPRedirect/uri and prefix_rewrite mutually exclusive",
    ), "redirect.prefixRewrite is newer than the Istio CRDs the collection targets (not in their schema: the API server "
       "prunes it) and not a module option"),
    "TestValidateWildcardDomainForVirtualServiceBoundToGateway/IP address":
        "the helper refuses an IP, but ValidateVirtualService then accepts an IP host (IsValidIPAddress fallback)",
}

DEVIATIONS: dict[str, tuple[tuple, str]] = {}

HEADER_VALUE_CASES = [
    # TestValidateHTTPHeaderValue: its Go table compares error values, so its rows are written out by hand.
    istiod("TestValidateHTTPHeaderValue/foo", {"input": "foo"}, VALID),
    istiod("TestValidateHTTPHeaderValue/%HOSTNAME%", {"input": "%HOSTNAME%"}, VALID),
    istiod("TestValidateHTTPHeaderValue/100%%", {"input": "100%%"}, VALID),
    istiod("TestValidateHTTPHeaderValue/prefix %HOSTNAME% suffix", {"input": "prefix %HOSTNAME% suffix"}, VALID),
    istiod(
        "TestValidateHTTPHeaderValue/%DOWNSTREAM_PEER_CERT_V_END(%b %d %H:%M:%S %Y %Z)%",
        {"input": "%DOWNSTREAM_PEER_CERT_V_END(%b %d %H:%M:%S %Y %Z)%"},
        VALID,
    ),
    istiod("TestValidateHTTPHeaderValue/%DYNAMIC_METADATA(com.test.my_filter)%", {"input": "%DYNAMIC_METADATA(com.test.my_filter)%"}, VALID),
    istiod("TestValidateHTTPHeaderValue/%START_TIME%%", {"input": "%START_TIME%%"}, ERROR),
    istiod("TestValidateHTTPHeaderValue/abc%123", {"input": "abc%123"}, ERROR),
]

CASES = [
    # TestValidateHTTPHeaderValue: its Go table compares error values, so it is written out by hand.
    istiod("TestValidateHTTPHeaderValue/foo", {"input": "foo"}, VALID),
    istiod("TestValidateHTTPHeaderValue/%REQ(foo)%", {"input": "%REQ(foo)%"}, VALID),
    istiod("TestValidateHTTPHeaderValue/new line", {"input": "foo\nbar"}, ERROR),
    istiod("TestValidateHTTPHeaderValue/null byte", {"input": "foo\x00bar"}, ERROR),
]

CASES = [
    istiod(
        "TestValidateVirtualService/simple",
        {"in": {"hosts": ["foo.bar"], "http": [{"route": [{"destination": {"host": "foo.baz"}}]}]}},
        VALID_QUIET,
    ),
    istiod(
        "TestValidateVirtualService/allow sni based domains",
        {
            "in": {
                "hosts": ["outbound_.15010_._.istiod.istio-system.svc.cluster.local"],
                "gateways": ["ns1/gateway"],
                "tls": [
                    {
                        "match": [{"sniHosts": ["outbound_.15010_._.istiod.istio-system.svc.cluster.local"]}],
                        "route": [{"destination": {"host": "istio.istio-system.svc.cluster.local"}}],
                    },
                ],
            },
        },
        VALID_QUIET,
    ),
    istiod(
        "TestValidateVirtualService/duplicate hosts",
        {"in": {"hosts": ["*.foo.bar", "*.bar"], "http": [{"route": [{"destination": {"host": "foo.baz"}}]}]}},
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateVirtualService/with no destination",
        {"in": {"hosts": ["*.foo.bar", "*.bar"], "http": [{"route": [{}]}]}},
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateVirtualService/destination with out hosts",
        {"in": {"hosts": ["*.foo.bar", "*.bar"], "http": [{"route": [{"destination": {}}]}]}},
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateVirtualService/delegate with no hosts",
        {"in": {"http": [{"route": [{"destination": {"host": "foo.baz"}}]}]}},
        VALID_QUIET,
    ),
    istiod(
        "TestValidateVirtualService/bad host",
        {"in": {"hosts": ["foo.ba!r"], "http": [{"route": [{"destination": {"host": "foo.baz"}}]}]}},
        ERROR_QUIET,
    ),
    istiod("TestValidateVirtualService/no tcp or http routing", {"in": {"hosts": ["foo.bar"]}}, ERROR_QUIET),
    istiod(
        "TestValidateVirtualService/bad gateway",
        {
            "in": {
                "hosts": ["foo.bar"],
                "gateways": ["b@dgateway"],
                "http": [{"route": [{"destination": {"host": "foo.baz"}}]}],
            },
        },
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateVirtualService/FQDN for gateway",
        {
            "in": {
                "hosts": ["foo.bar"],
                "gateways": ["gateway.example.com"],
                "http": [{"route": [{"destination": {"host": "foo.baz"}}]}],
            },
        },
        VALID_WARNED,
    ),
    istiod(
        "TestValidateVirtualService/namespace/name for gateway",
        {
            "in": {
                "hosts": ["foo.bar"],
                "gateways": ["ns1/gateway"],
                "http": [{"route": [{"destination": {"host": "foo.baz"}}]}],
            },
        },
        VALID_QUIET,
    ),
    istiod(
        "TestValidateVirtualService/namespace/* for gateway",
        {
            "in": {"hosts": ["foo.bar"], "gateways": ["ns1/*"], "http": [{"route": [{"destination": {"host": "foo.baz"}}]}]},
        },
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateVirtualService/*/name for gateway",
        {
            "in": {
                "hosts": ["foo.bar"],
                "gateways": ["*/gateway"],
                "http": [{"route": [{"destination": {"host": "foo.baz"}}]}],
            },
        },
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateVirtualService/wildcard for mesh gateway",
        {"in": {"hosts": ["*"], "http": [{"route": [{"destination": {"host": "foo.baz"}}]}]}},
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateVirtualService/wildcard for non-mesh gateway",
        {
            "in": {"hosts": ["*"], "gateways": ["somegateway"], "http": [{"route": [{"destination": {"host": "foo.baz"}}]}]},
        },
        VALID_QUIET,
    ),
    istiod(
        "TestValidateVirtualService/missing tcp route",
        {"in": {"hosts": ["foo.bar"], "tcp": [{"match": [{"port": 999}]}]}},
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateVirtualService/missing tls route",
        {"in": {"hosts": ["foo.bar"], "tls": [{"match": [{"port": 999, "sniHosts": ["foo.bar"]}]}]}},
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateVirtualService/deprecated mirror",
        {
            "in": {
                "hosts": ["foo.bar"],
                "gateways": ["ns1/gateway"],
                "http": [{"mirrorPercent": 5, "route": [{"destination": {"host": "foo.baz"}}]}],
            },
        },
        VALID_WARNED,
    ),
    istiod(
        "TestValidateVirtualService/set authority",
        {
            "in": {
                "hosts": ["foo.bar"],
                "http": [
                    {
                        "headers": {"request": {"set": {":authority": "foo"}}},
                        "route": [{"destination": {"host": "foo.baz"}}],
                    },
                ],
            },
        },
        VALID_QUIET,
    ),
    istiod(
        "TestValidateVirtualService/set authority in destination",
        {
            "in": {
                "hosts": ["foo.bar"],
                "http": [
                    {
                        "route": [{"destination": {"host": "foo.baz"}, "headers": {"request": {"set": {":authority": "foo"}}}}],
                    },
                ],
            },
        },
        VALID_QUIET,
    ),
    istiod(
        "TestValidateVirtualService/set authority in rewrite and header",
        {
            "in": {
                "hosts": ["foo.bar"],
                "http": [
                    {
                        "headers": {"request": {"set": {":authority": "foo"}}},
                        "rewrite": {"authority": "bar"},
                        "route": [{"destination": {"host": "foo.baz"}}],
                    },
                ],
            },
        },
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateVirtualService/non-method-get",
        {
            "in": {
                "hosts": ["foo.bar"],
                "http": [
                    {
                        "route": [{"destination": {"host": "foo.baz"}}],
                        "match": [
                            {"uri": {"prefix": "/api/v1/product"}},
                            {"uri": {"prefix": "/api/v1/products"}, "method": {"exact": "GET"}},
                        ],
                    },
                ],
            },
        },
        VALID_WARNED,
    ),
    istiod(
        "TestValidateVirtualService/uri-with-prefix-exact",
        {
            "in": {
                "hosts": ["foo.bar"],
                "http": [
                    {
                        "route": [{"destination": {"host": "foo.baz"}}],
                        "match": [{"uri": {"prefix": "/"}}, {"uri": {"exact": "/"}, "method": {"exact": "GET"}}],
                    },
                ],
            },
        },
        VALID_QUIET,
    ),
    istiod(
        "TestValidateVirtualService/jwt claim route without gateway",
        {
            "in": {
                "hosts": ["foo.bar"],
                "gateways": ["mesh"],
                "http": [
                    {
                        "route": [{"destination": {"host": "foo.baz"}}],
                        "match": [{"uri": {"prefix": "/"}, "headers": {"@request.auth.claims.foo": {"exact": "bar"}}}],
                    },
                ],
            },
        },
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateVirtualService/ip address as sni host",
        {
            "in": {
                "hosts": ["foo.bar"],
                "tls": [{"route": [{"destination": {"host": "foo.baz"}}], "match": [{"port": 999, "sniHosts": ["1.1.1.1"]}]}],
            },
        },
        VALID_WARNED,
    ),
    istiod(
        "TestValidateVirtualService/invalid wildcard as sni host",
        {
            "in": {
                "hosts": ["foo.bar"],
                "tls": [
                    {
                        "route": [{"destination": {"host": "foo.baz"}}],
                        "match": [{"port": 999, "sniHosts": ["foo.*.com"]}],
                    },
                ],
            },
        },
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateChainingVirtualService/root simple",
        {
            "in": {
                "hosts": ["foo.bar"],
                "gateways": ["test-gateway"],
                "http": [{"delegate": {"name": "test", "namespace": "test"}}],
            },
        },
        VALID,
    ),
    istiod(
        "TestValidateChainingVirtualService/root applies to sidecar with delegate",
        {"in": {"hosts": ["foo.bar"], "http": [{"delegate": {"name": "test", "namespace": "test"}}]}},
        VALID,
    ),
    istiod(
        "TestValidateChainingVirtualService/root with delegate and destination in one route",
        {
            "in": {
                "hosts": ["foo.bar"],
                "http": [{"delegate": {"name": "test", "namespace": "test"}, "route": [{"destination": {"host": "foo.baz"}}]}],
            },
        },
        ERROR,
    ),
    istiod("TestValidateChainingVirtualService/delegate with no destination", {"in": {"hosts": [], "http": [{}]}}, ERROR),
    istiod(
        "TestValidateChainingVirtualService/delegate with delegate",
        {"in": {"hosts": [], "http": [{"delegate": {"name": "test", "namespace": "test"}}]}},
        ERROR,
    ),
    istiod(
        "TestValidateChainingVirtualService/delegate with TCP route",
        {"in": {"hosts": [], "tcp": [{"route": [{"destination": {"host": "foo.baz"}}]}]}},
        ERROR,
    ),
    istiod(
        "TestValidateChainingVirtualService/delegate with gateway",
        {"in": {"hosts": [], "gateways": ["test"], "http": [{"route": [{"destination": {"host": "foo.baz"}}]}]}},
        ERROR,
    ),
    istiod(
        "TestValidateChainingVirtualService/delegate with sourceNamespace",
        {
            "in": {
                "hosts": [],
                "http": [{"match": [{"sourceNamespace": "test"}], "route": [{"destination": {"host": "foo.baz"}}]}],
            },
        },
        VALID,
    ),
    istiod("TestValidateHTTPRoute/empty", {"route": {}}, ERROR),
    istiod("TestValidateHTTPRoute/simple", {"route": {"route": [{"destination": {"host": "foo.baz"}}]}}, VALID),
    istiod("TestValidateHTTPRoute/no destination", {"route": {"route": [{}]}}, ERROR),
    istiod(
        "TestValidateHTTPRoute/weighted",
        {
            "route": {
                "route": [
                    {"destination": {"host": "foo.baz.south"}, "weight": 25},
                    {"destination": {"host": "foo.baz.east"}, "weight": 75},
                ],
            },
        },
        VALID,
    ),
    istiod(
        "TestValidateHTTPRoute/total weight > 100",
        {
            "route": {
                "route": [
                    {"destination": {"host": "foo.baz.south"}, "weight": 550},
                    {"destination": {"host": "foo.baz.east"}, "weight": 500},
                ],
            },
        },
        VALID,
    ),
    istiod(
        "TestValidateHTTPRoute/total weight < 100",
        {
            "route": {
                "route": [
                    {"destination": {"host": "foo.baz.south"}, "weight": 49},
                    {"destination": {"host": "foo.baz.east"}, "weight": 50},
                ],
            },
        },
        VALID,
    ),
    istiod(
        "TestValidateHTTPRoute/simple redirect",
        {"route": {"redirect": {"uri": "/lerp", "authority": "foo.biz"}}},
        VALID,
    ),
    istiod(
        "TestValidateHTTPRoute/prefix_rewrite redirect with prefix URI match",
        {"route": {"match": [{"uri": {"prefix": "/foo"}}], "redirect": {"prefixRewrite": "/bar"}}},
        VALID,
    ),
    istiod(
        "TestValidateHTTPRoute/prefix_rewrite redirect with exact URI match is invalid",
        {"route": {"match": [{"uri": {"exact": "/foo"}}], "redirect": {"prefixRewrite": "/bar"}}},
        ERROR,
    ),
    istiod(
        "TestValidateHTTPRoute/prefix_rewrite redirect with regex URI match is invalid",
        {"route": {"match": [{"uri": {"regex": "/foo.*"}}], "redirect": {"prefixRewrite": "/bar"}}},
        ERROR,
    ),
    istiod(
        "TestValidateHTTPRoute/prefix_rewrite redirect with no URI match (wildcard) is valid",
        {"route": {"match": [{"headers": {"x-foo": {"exact": "bar"}}}], "redirect": {"prefixRewrite": "/bar"}}},
        VALID,
    ),
    istiod(
        "TestValidateHTTPRoute/conflicting redirect and route",
        {
            "route": {"route": [{"destination": {"host": "foo.baz"}}], "redirect": {"uri": "/lerp", "authority": "foo.biz"}},
        },
        ERROR,
    ),
    istiod(
        "TestValidateHTTPRoute/request response headers",
        {"route": {"route": [{"destination": {"host": "foo.baz"}}]}},
        VALID,
    ),
    istiod(
        "TestValidateHTTPRoute/valid headers",
        {
            "route": {
                "route": [
                    {
                        "destination": {"host": "foo.baz"},
                        "headers": {
                            "request": {"add": {"name": ""}, "set": {"name": ""}, "remove": ["name"]},
                            "response": {"add": {"name": ""}, "set": {"name": ""}, "remove": ["name"]},
                        },
                    },
                ],
            },
        },
        VALID,
    ),
    istiod(
        "TestValidateHTTPRoute/empty header name - request add",
        {"route": {"route": [{"destination": {"host": "foo.baz"}, "headers": {"request": {"add": {"": "value"}}}}]}},
        ERROR,
    ),
    istiod(
        "TestValidateHTTPRoute/empty header name - request set",
        {"route": {"route": [{"destination": {"host": "foo.baz"}, "headers": {"request": {"set": {"": "value"}}}}]}},
        ERROR,
    ),
    istiod(
        "TestValidateHTTPRoute/empty header name - request remove",
        {"route": {"route": [{"destination": {"host": "foo.baz"}, "headers": {"request": {"remove": [""]}}}]}},
        ERROR,
    ),
    istiod(
        "TestValidateHTTPRoute/empty header name - response add",
        {"route": {"route": [{"destination": {"host": "foo.baz"}, "headers": {"response": {"add": {"": "value"}}}}]}},
        ERROR,
    ),
    istiod(
        "TestValidateHTTPRoute/empty header name - response set",
        {"route": {"route": [{"destination": {"host": "foo.baz"}, "headers": {"response": {"set": {"": "value"}}}}]}},
        ERROR,
    ),
    istiod(
        "TestValidateHTTPRoute/empty header name - response remove",
        {"route": {"route": [{"destination": {"host": "foo.baz"}, "headers": {"response": {"remove": [""]}}}]}},
        ERROR,
    ),
    istiod(
        "TestValidateHTTPRoute/envoy escaped % set",
        {
            "route": {
                "route": [{"destination": {"host": "foo.baz"}, "headers": {"response": {"set": {"i-love-istio": "100%%"}}}}],
            },
        },
        VALID,
    ),
    istiod(
        "TestValidateHTTPRoute/envoy variable set",
        {
            "route": {
                "route": [{"destination": {"host": "foo.baz"}, "headers": {"response": {"set": {"name": "%HOSTNAME%"}}}}],
            },
        },
        VALID,
    ),
    istiod(
        "TestValidateHTTPRoute/envoy unescaped % set",
        {
            "route": {
                "route": [{"destination": {"host": "foo.baz"}, "headers": {"response": {"set": {"name": "abcd%oijasodifj"}}}}],
            },
        },
        ERROR,
    ),
    istiod(
        "TestValidateHTTPRoute/envoy escaped % add",
        {
            "route": {
                "route": [
                    {
                        "destination": {"host": "foo.baz"},
                        "headers": {"response": {"add": {"i-love-istio": "100%% and more"}}},
                    },
                ],
            },
        },
        VALID,
    ),
    istiod(
        "TestValidateHTTPRoute/envoy variable add",
        {
            "route": {
                "route": [{"destination": {"host": "foo.baz"}, "headers": {"response": {"add": {"name": "hello %HOSTNAME%"}}}}],
            },
        },
        VALID,
    ),
    istiod(
        "TestValidateHTTPRoute/envoy unescaped % add",
        {
            "route": {
                "route": [{"destination": {"host": "foo.baz"}, "headers": {"response": {"add": {"name": "abcd%oijasodifj"}}}}],
            },
        },
        ERROR,
    ),
    istiod(
        "TestValidateHTTPRoute/null header match",
        {"route": {"route": [{"destination": {"host": "foo.bar"}}], "match": [{"headers": {"header": None}}]}},
        ERROR,
    ),
    istiod(
        "TestValidateHTTPRoute/empty prefix header match",
        {
            "route": {"route": [{"destination": {"host": "foo.bar"}}], "match": [{"headers": {"emptyprefix": {"prefix": ""}}}]},
        },
        ERROR,
    ),
    istiod("TestValidateHTTPRoute/nil match", {"route": {"route": [{"destination": {"host": "foo.bar"}}]}}, VALID),
    istiod(
        "TestValidateHTTPRoute/match with nil element",
        {"route": {"route": [{"destination": {"host": "foo.bar"}}], "match": [None]}},
        VALID,
    ),
    istiod(
        "TestValidateHTTPRoute/invalid mirror percent",
        {"route": {"mirrorPercent": 101, "route": [{"destination": {"host": "foo.bar"}}], "match": [None]}},
        ERROR,
    ),
    istiod(
        "TestValidateHTTPRoute/invalid mirror percentage",
        {
            "route": {"mirrorPercentage": {"value": 101}, "route": [{"destination": {"host": "foo.bar"}}], "match": [None]},
        },
        ERROR,
    ),
    istiod(
        "TestValidateHTTPRoute/valid mirror percentage",
        {
            "route": {"mirrorPercentage": {"value": 1}, "route": [{"destination": {"host": "foo.bar"}}], "match": [None]},
        },
        VALID,
    ),
    istiod(
        "TestValidateHTTPRoute/negative mirror percentage",
        {
            "route": {"mirrorPercentage": {"value": -1}, "route": [{"destination": {"host": "foo.bar"}}], "match": [None]},
        },
        ERROR,
    ),
    istiod(
        "TestValidateHTTPRoute/mirrors without destination",
        {"route": {"mirrors": [{}], "route": [{"destination": {"host": "foo.bar"}}], "match": [None]}},
        ERROR,
    ),
    istiod(
        "TestValidateHTTPRoute/mirrors invalid mirror percentage",
        {
            "route": {
                "mirrors": [
                    {"destination": {"host": "foo.baz"}},
                    {"destination": {"host": "foo.baz"}, "percentage": {"value": 101}},
                ],
                "route": [{"destination": {"host": "foo.bar"}}],
                "match": [None],
            },
        },
        ERROR,
    ),
    istiod(
        "TestValidateHTTPRoute/mirrors valid mirror percentage",
        {
            "route": {
                "mirrors": [
                    {"destination": {"host": "foo.baz"}, "percentage": {"value": 1}},
                    {"destination": {"host": "foo.baz"}, "percentage": {"value": 50}},
                ],
                "route": [{"destination": {"host": "foo.bar"}}],
                "match": [None],
            },
        },
        VALID,
    ),
    istiod(
        "TestValidateHTTPRoute/mirrors negative mirror percentage",
        {
            "route": {
                "mirrors": [{"destination": {"host": "foo.baz"}, "percentage": {"value": -1}}],
                "route": [{"destination": {"host": "foo.bar"}}],
                "match": [None],
            },
        },
        ERROR,
    ),
    istiod(
        "TestValidateHTTPRoute/conflicting mirror and mirrors",
        {
            "route": {
                "mirror": {"host": "foo.baz"},
                "mirrors": [{"destination": {"host": "foo.bar"}}],
                "route": [{"destination": {"host": "foo.baz"}}],
            },
        },
        ERROR,
    ),
    istiod("TestValidateRootHTTPRoute/simple", {"route": {"delegate": {"name": "test", "namespace": "test"}}}, VALID),
    istiod(
        "TestValidateRootHTTPRoute/route and delegate conflict",
        {
            "route": {"route": [{"destination": {"host": "foo.baz"}}], "delegate": {"name": "test", "namespace": "test"}},
        },
        ERROR,
    ),
    istiod(
        "TestValidateRootHTTPRoute/redirect and delegate conflict",
        {
            "route": {"redirect": {"uri": "/lerp", "authority": "foo.biz"}, "delegate": {"name": "test", "namespace": "test"}},
        },
        ERROR,
    ),
    istiod(
        "TestValidateRootHTTPRoute/null header match",
        {"route": {"delegate": {"name": "test", "namespace": "test"}, "match": [{"headers": {"header": None}}]}},
        ERROR,
    ),
    istiod(
        "TestValidateRootHTTPRoute/prefix header match",
        {
            "route": {
                "delegate": {"name": "test", "namespace": "test"},
                "match": [{"headers": {"header": {"prefix": "test"}}}],
            },
        },
        VALID,
    ),
    istiod(
        "TestValidateRootHTTPRoute/empty prefix header match (delegate)",
        {
            "route": {"delegate": {"name": "test", "namespace": "test"}, "match": [{"headers": {"header": {"prefix": ""}}}]},
        },
        ERROR,
    ),
    istiod(
        "TestValidateRootHTTPRoute/exact header match",
        {
            "route": {"delegate": {"name": "test", "namespace": "test"}, "match": [{"headers": {"header": {"exact": "test"}}}]},
        },
        VALID,
    ),
    istiod(
        "TestValidateRootHTTPRoute/regex header match",
        {
            "route": {"delegate": {"name": "test", "namespace": "test"}, "match": [{"headers": {"header": {"regex": "test"}}}]},
        },
        VALID,
    ),
    istiod(
        "TestValidateRootHTTPRoute/exact without headers match",
        {
            "route": {
                "redirect": {"uri": "/", "authority": "foo.biz"},
                "match": [{"withoutHeaders": {"header": {"exact": "test"}}}],
            },
        },
        VALID,
    ),
    istiod(
        "TestValidateRootHTTPRoute/regex without headers match",
        {
            "route": {
                "redirect": {"uri": "/", "authority": "foo.biz"},
                "match": [{"withoutHeaders": {"header": {"regex": "test"}}}],
            },
        },
        VALID,
    ),
    istiod(
        "TestValidateRootHTTPRoute/regex without headers match ?",
        {
            "route": {
                "redirect": {"uri": "/", "authority": "foo.biz"},
                "match": [{"withoutHeaders": {"header": {"regex": "?"}}}],
            },
        },
        ERROR,
    ),
    istiod(
        "TestValidateRootHTTPRoute/regex without headers match *",
        {
            "route": {
                "redirect": {"uri": "/", "authority": "foo.biz"},
                "match": [{"withoutHeaders": {"header": {"regex": "*"}}}],
            },
        },
        VALID,
    ),
    istiod(
        "TestValidateRootHTTPRoute/regex uri match",
        {"route": {"delegate": {"name": "test", "namespace": "test"}, "match": [{"uri": {"regex": "test"}}]}},
        VALID,
    ),
    istiod(
        "TestValidateRootHTTPRoute/prefix uri match",
        {"route": {"delegate": {"name": "test", "namespace": "test"}, "match": [{"uri": {"prefix": "test"}}]}},
        VALID,
    ),
    istiod(
        "TestValidateRootHTTPRoute/exact uri match",
        {"route": {"delegate": {"name": "test", "namespace": "test"}, "match": [{"uri": {"exact": "test"}}]}},
        VALID,
    ),
    istiod(
        "TestValidateRootHTTPRoute/prefix queryParams match",
        {
            "route": {"delegate": {"name": "test", "namespace": "test"}, "match": [{"queryParams": {"q": {"prefix": "test"}}}]},
        },
        VALID,
    ),
    istiod(
        "TestValidateRootHTTPRoute/exact queryParams match",
        {
            "route": {"delegate": {"name": "test", "namespace": "test"}, "match": [{"queryParams": {"q": {"exact": "test"}}}]},
        },
        VALID,
    ),
    istiod(
        "TestValidateRootHTTPRoute/regex queryParams match",
        {
            "route": {"delegate": {"name": "test", "namespace": "test"}, "match": [{"headers": {"q": {"regex": "test"}}}]},
        },
        VALID,
    ),
    istiod(
        "TestValidateRootHTTPRoute/empty prefix match in method",
        {"route": {"match": [{"method": {"prefix": ""}}], "redirect": {"uri": "/", "authority": "foo.biz"}}},
        ERROR,
    ),
    istiod(
        "TestValidateRootHTTPRoute/empty regex match in method",
        {"route": {"match": [{"method": {"regex": ""}}], "redirect": {"uri": "/", "authority": "foo.biz"}}},
        ERROR,
    ),
    istiod(
        "TestValidateRootHTTPRoute/empty prefix match in uri",
        {"route": {"match": [{"uri": {"prefix": ""}}], "redirect": {"uri": "/", "authority": "foo.biz"}}},
        VALID,
    ),
    istiod(
        "TestValidateRootHTTPRoute/empty regex match in uri",
        {"route": {"match": [{"uri": {"regex": ""}}], "redirect": {"uri": "/", "authority": "foo.biz"}}},
        ERROR,
    ),
    istiod(
        "TestValidateRootHTTPRoute/empty regex match in query",
        {
            "route": {"match": [{"queryParams": {"q": {"regex": ""}}}], "redirect": {"uri": "/", "authority": "foo.biz"}},
        },
        ERROR,
    ),
    istiod(
        "TestValidateRootHTTPRoute/empty regex match in scheme",
        {"route": {"match": [{"scheme": {"regex": ""}}], "redirect": {"uri": "/", "authority": "foo.biz"}}},
        ERROR,
    ),
    istiod(
        "TestValidateRootHTTPRoute/empty prefix match in scheme",
        {"route": {"match": [{"scheme": {"prefix": ""}}], "redirect": {"uri": "/", "authority": "foo.biz"}}},
        ERROR,
    ),
    istiod(
        "TestValidateRootHTTPRoute/empty prefix header match",
        {"route": {"match": [{"headers": {"header": {"prefix": ""}}}]}},
        ERROR,
    ),
    istiod("TestValidateDelegateHTTPRoute/empty", {"route": {}}, ERROR),
    istiod("TestValidateDelegateHTTPRoute/simple", {"route": {"route": [{"destination": {"host": "foo.baz"}}]}}, VALID),
    istiod("TestValidateDelegateHTTPRoute/no destination", {"route": {"route": [{}]}}, ERROR),
    istiod(
        "TestValidateDelegateHTTPRoute/weighted",
        {
            "route": {
                "route": [
                    {"destination": {"host": "foo.baz.south"}, "weight": 25},
                    {"destination": {"host": "foo.baz.east"}, "weight": 75},
                ],
            },
        },
        VALID,
    ),
    istiod(
        "TestValidateDelegateHTTPRoute/total weight > 100",
        {
            "route": {
                "route": [
                    {"destination": {"host": "foo.baz.south"}, "weight": 55},
                    {"destination": {"host": "foo.baz.east"}, "weight": 50},
                ],
            },
        },
        VALID,
    ),
    istiod(
        "TestValidateDelegateHTTPRoute/total weight < 100",
        {
            "route": {
                "route": [
                    {"destination": {"host": "foo.baz.south"}, "weight": 49},
                    {"destination": {"host": "foo.baz.east"}, "weight": 50},
                ],
            },
        },
        VALID,
    ),
    istiod(
        "TestValidateDelegateHTTPRoute/simple redirect",
        {"route": {"redirect": {"uri": "/lerp", "authority": "foo.biz"}}},
        VALID,
    ),
    istiod(
        "TestValidateDelegateHTTPRoute/conflicting redirect and route",
        {
            "route": {"route": [{"destination": {"host": "foo.baz"}}], "redirect": {"uri": "/lerp", "authority": "foo.biz"}},
        },
        ERROR,
    ),
    istiod(
        "TestValidateDelegateHTTPRoute/request response headers",
        {"route": {"route": [{"destination": {"host": "foo.baz"}}]}},
        VALID,
    ),
    istiod(
        "TestValidateDelegateHTTPRoute/valid headers",
        {
            "route": {
                "route": [
                    {
                        "destination": {"host": "foo.baz"},
                        "headers": {
                            "request": {"add": {"name": ""}, "set": {"name": ""}, "remove": ["name"]},
                            "response": {"add": {"name": ""}, "set": {"name": ""}, "remove": ["name"]},
                        },
                    },
                ],
            },
        },
        VALID,
    ),
    istiod(
        "TestValidateDelegateHTTPRoute/empty header name - request add",
        {"route": {"route": [{"destination": {"host": "foo.baz"}, "headers": {"request": {"add": {"": "value"}}}}]}},
        ERROR,
    ),
    istiod(
        "TestValidateDelegateHTTPRoute/empty header name - request set",
        {"route": {"route": [{"destination": {"host": "foo.baz"}, "headers": {"request": {"set": {"": "value"}}}}]}},
        ERROR,
    ),
    istiod(
        "TestValidateDelegateHTTPRoute/empty header name - request remove",
        {"route": {"route": [{"destination": {"host": "foo.baz"}, "headers": {"request": {"remove": [""]}}}]}},
        ERROR,
    ),
    istiod(
        "TestValidateDelegateHTTPRoute/empty header name - response add",
        {"route": {"route": [{"destination": {"host": "foo.baz"}, "headers": {"response": {"add": {"": "value"}}}}]}},
        ERROR,
    ),
    istiod(
        "TestValidateDelegateHTTPRoute/empty header name - response set",
        {"route": {"route": [{"destination": {"host": "foo.baz"}, "headers": {"response": {"set": {"": "value"}}}}]}},
        ERROR,
    ),
    istiod(
        "TestValidateDelegateHTTPRoute/empty header name - response remove",
        {"route": {"route": [{"destination": {"host": "foo.baz"}, "headers": {"response": {"remove": [""]}}}]}},
        ERROR,
    ),
    istiod(
        "TestValidateDelegateHTTPRoute/null header match",
        {"route": {"route": [{"destination": {"host": "foo.bar"}}], "match": [{"headers": {"header": None}}]}},
        ERROR,
    ),
    istiod(
        "TestValidateDelegateHTTPRoute/nil match",
        {"route": {"route": [{"destination": {"host": "foo.bar"}}]}},
        VALID,
    ),
    istiod(
        "TestValidateDelegateHTTPRoute/match with nil element",
        {"route": {"route": [{"destination": {"host": "foo.bar"}}], "match": [None]}},
        VALID,
    ),
    istiod(
        "TestValidateDelegateHTTPRoute/invalid mirror percent",
        {"route": {"mirrorPercent": 101, "route": [{"destination": {"host": "foo.bar"}}], "match": [None]}},
        ERROR,
    ),
    istiod(
        "TestValidateDelegateHTTPRoute/invalid mirror percentage",
        {
            "route": {"mirrorPercentage": {"value": 101}, "route": [{"destination": {"host": "foo.bar"}}], "match": [None]},
        },
        ERROR,
    ),
    istiod(
        "TestValidateDelegateHTTPRoute/valid mirror percentage",
        {
            "route": {"mirrorPercentage": {"value": 1}, "route": [{"destination": {"host": "foo.bar"}}], "match": [None]},
        },
        VALID,
    ),
    istiod(
        "TestValidateDelegateHTTPRoute/negative mirror percentage",
        {
            "route": {"mirrorPercentage": {"value": -1}, "route": [{"destination": {"host": "foo.bar"}}], "match": [None]},
        },
        ERROR,
    ),
    istiod(
        "TestValidateDelegateHTTPRoute/delegate route with delegate",
        {"route": {"delegate": {"name": "test", "namespace": "test"}}},
        ERROR,
    ),
    istiod("TestValidateRouteDestination/simple", {"routes": [{"destination": {"host": "foo.baz"}}]}, VALID),
    istiod("TestValidateRouteDestination/wildcard dash", {"routes": [{"destination": {"host": "*-foo.baz"}}]}, VALID),
    istiod("TestValidateRouteDestination/wildcard prefix", {"routes": [{"destination": {"host": "*foo.baz"}}]}, VALID),
    istiod("TestValidateRouteDestination/wildcard", {"routes": [{"destination": {"host": "*"}}]}, ERROR),
    istiod("TestValidateRouteDestination/bad wildcard", {"routes": [{"destination": {"host": "foo.*"}}]}, ERROR),
    istiod("TestValidateRouteDestination/bad fqdn", {"routes": [{"destination": {"host": "default/baz"}}]}, ERROR),
    istiod("TestValidateRouteDestination/no destination", {"routes": [{}]}, ERROR),
    istiod(
        "TestValidateRouteDestination/weighted",
        {
            "routes": [
                {"destination": {"host": "foo.baz.south"}, "weight": 25},
                {"destination": {"host": "foo.baz.east"}, "weight": 75},
            ],
        },
        VALID,
    ),
    istiod(
        "TestValidateRouteDestination/weight < 0",
        {
            "routes": [
                {"destination": {"host": "foo.baz.south"}, "weight": 5},
                {"destination": {"host": "foo.baz.east"}, "weight": -1},
            ],
        },
        ERROR,
    ),
    istiod(
        "TestValidateRouteDestination/total weight > 100",
        {
            "routes": [
                {"destination": {"host": "foo.baz.south"}, "weight": 550},
                {"destination": {"host": "foo.baz.east"}, "weight": 500},
            ],
        },
        VALID,
    ),
    istiod(
        "TestValidateRouteDestination/total weight < 100",
        {
            "routes": [
                {"destination": {"host": "foo.baz.south"}, "weight": 49},
                {"destination": {"host": "foo.baz.east"}, "weight": 50},
            ],
        },
        VALID,
    ),
    istiod(
        "TestValidateRouteDestination/total weight = 100",
        {
            "routes": [
                {"destination": {"host": "foo.baz.south"}, "weight": 100},
                {"destination": {"host": "foo.baz.east"}, "weight": 0},
            ],
        },
        VALID,
    ),
    istiod(
        "TestValidateRouteDestination/weight = 0",
        {"routes": [{"destination": {"host": "foo.baz.south"}, "weight": 0}]},
        VALID,
    ),
    istiod(
        "TestValidateRouteDestination/total weight = 0 with multi RouteDestination",
        {
            "routes": [
                {"destination": {"host": "foo.baz.south"}, "weight": 0},
                {"destination": {"host": "foo.baz.east"}, "weight": 0},
            ],
        },
        ERROR,
    ),
    istiod("TestValidateDestination/empty", {"destination": {}}, ERROR),
    istiod("TestValidateDestination/simple", {"destination": {"host": "foo.bar"}}, VALID),
    istiod(
        "TestValidateDestination/full",
        {"destination": {"host": "foo.bar", "subset": "shiny", "port": {"number": 5000}}},
        VALID,
    ),
    istiod(
        "TestValidateDestination/unnumbered-selector",
        {"destination": {"host": "foo.bar", "subset": "shiny", "port": {}}},
        ERROR,
    ),
    istiod(
        "TestValidateHTTPRetry/valid",
        {"in": {"attempts": 10, "perTryTimeout": "2s", "retryOn": "5xx,gateway-error"}},
        VALID,
    ),
    istiod("TestValidateHTTPRetry/disable retries", {"in": {"attempts": 0}}, VALID),
    istiod(
        "TestValidateHTTPRetry/invalid, retry policy configured but attempts set to zero",
        {"in": {"attempts": 0, "perTryTimeout": "2s", "retryOn": "5xx,gateway-error"}},
        ERROR,
    ),
    istiod("TestValidateHTTPRetry/valid default", {"in": {"attempts": 10}}, VALID),
    istiod(
        "TestValidateHTTPRetry/valid http status retryOn",
        {"in": {"attempts": 10, "perTryTimeout": "2s", "retryOn": "503,connect-failure"}},
        VALID,
    ),
    istiod("TestValidateHTTPRetry/invalid attempts", {"in": {"attempts": -1, "perTryTimeout": "2s"}}, ERROR),
    istiod("TestValidateHTTPRetry/invalid timeout", {"in": {"attempts": 10, "perTryTimeout": "2.000000001s"}}, ERROR),
    istiod("TestValidateHTTPRetry/timeout too small", {"in": {"attempts": 10, "perTryTimeout": "0.000000999s"}}, ERROR),
    istiod("TestValidateHTTPRetry/invalid backoff", {"in": {"attempts": 10, "backoff": "0.000000999s"}}, ERROR),
    istiod(
        "TestValidateHTTPRetry/invalid policy retryOn",
        {"in": {"attempts": 10, "perTryTimeout": "2s", "retryOn": "5xx,invalid policy"}},
        ERROR,
    ),
    istiod(
        "TestValidateHTTPRetry/invalid http status retryOn",
        {"in": {"attempts": 10, "perTryTimeout": "2s", "retryOn": "600,connect-failure"}},
        ERROR,
    ),
    istiod(
        "TestValidateHTTPRetry/invalid, retryRemoteLocalities configured but attempts set to zero",
        {"in": {"attempts": 0, "retryRemoteLocalities": False}},
        ERROR,
    ),
    istiod("TestValidateHTTPRewrite/nil in", {"in": None}, VALID),
    istiod(
        "TestValidateHTTPRewrite/uri and authority",
        {"in": {"uri": "/path/to/resource", "authority": "foobar.org"}},
        VALID,
    ),
    istiod("TestValidateHTTPRewrite/uri", {"in": {"uri": "/path/to/resource"}}, VALID),
    istiod("TestValidateHTTPRewrite/authority", {"in": {"authority": "foobar.org"}}, VALID),
    istiod(
        "TestValidateHTTPRewrite/uriRegexRewrite",
        {"in": {"uriRegexRewrite": {"match": "^/service/([^/]+)(/.*)$", "rewrite": "\\2/instance/\\1"}}},
        VALID,
    ),
    istiod(
        "TestValidateHTTPRewrite/uriRegexRewrite and authority",
        {
            "in": {
                "authority": "foobar.org",
                "uriRegexRewrite": {"match": "^/service/([^/]+)(/.*)$", "rewrite": "\\2/instance/\\1"},
            },
        },
        VALID,
    ),
    istiod(
        "TestValidateHTTPRewrite/uriRegexRewrite and uri",
        {
            "in": {
                "uri": "/path/to/resource",
                "uriRegexRewrite": {"match": "^/service/([^/]+)(/.*)$", "rewrite": "\\2/instance/\\1"},
            },
        },
        ERROR,
    ),
    istiod("TestValidateHTTPRewrite/no uri, uriRegexRewrite, or authority", {"in": {}}, ERROR),
    istiod("TestValidateUriRegexRewrite/uriRegexRewrite nil", {"in": None}, VALID),
    istiod(
        "TestValidateUriRegexRewrite/uriRegexRewrite happy path",
        {"in": {"match": "^/service/([^/]+)(/.*)$", "rewrite": "\\2/instance/\\1"}},
        VALID,
    ),
    istiod("TestValidateUriRegexRewrite/uriRegexRewrite missing match", {"in": {"rewrite": "\\2/instance/\\1"}}, ERROR),
    istiod(
        "TestValidateUriRegexRewrite/uriRegexRewrite missing rewrite",
        {"in": {"match": "^/service/([^/]+)(/.*)$"}},
        ERROR,
    ),
    istiod(
        "TestValidateUriRegexRewrite/uriRegexRewrite invalid regex patterns",
        {"in": {"match": "[", "rewrite": "["}},
        ERROR,
    ),
    istiod("TestValidateHTTPRedirect/nil redirect", {"redirect": None}, VALID),
    istiod("TestValidateHTTPRedirect/empty uri and authority", {"redirect": {"uri": "", "authority": ""}}, ERROR),
    istiod(
        "TestValidateHTTPRedirect/too small redirect code",
        {"redirect": {"uri": "t", "authority": "", "redirectCode": 299}},
        ERROR,
    ),
    istiod(
        "TestValidateHTTPRedirect/too large redirect code",
        {"redirect": {"uri": "t", "authority": "", "redirectCode": 400}},
        ERROR,
    ),
    istiod("TestValidateHTTPRedirect/empty authority", {"redirect": {"uri": "t", "authority": ""}}, VALID),
    istiod("TestValidateHTTPRedirect/empty uri", {"redirect": {"uri": "", "authority": "t"}}, VALID),
    istiod(
        "TestValidateHTTPRedirect/empty redirect code",
        {"redirect": {"uri": "t", "authority": "t", "redirectCode": 0}},
        VALID,
    ),
    istiod(
        "TestValidateHTTPRedirect/normal redirect",
        {"redirect": {"uri": "t", "authority": "t", "redirectCode": 308}},
        VALID,
    ),
    istiod("TestValidateHTTPRedirect/prefix_rewrite alone", {"redirect": {"prefixRewrite": "/bar"}}, VALID),
    istiod(
        "TestValidateHTTPRedirect/prefix_rewrite with authority",
        {"redirect": {"authority": "foo.example.com", "prefixRewrite": "/"}},
        VALID,
    ),
    istiod(
        "TestValidateHTTPRedirect/uri and prefix_rewrite mutually exclusive",
        {"redirect": {"uri": "/old", "prefixRewrite": "/new"}},
        ERROR,
    ),
    istiod("TestValidateHTTPDirectResponse/nil redirect", {"directResponse": None}, VALID_QUIET),
    istiod("TestValidateHTTPDirectResponse/status 200", {"directResponse": {"status": 200}}, VALID_QUIET),
    istiod("TestValidateHTTPDirectResponse/status 100", {"directResponse": {"status": 199}}, ERROR_QUIET),
    istiod("TestValidateHTTPDirectResponse/status 600", {"directResponse": {"status": 601}}, ERROR_QUIET),
    istiod(
        "TestValidateHTTPDirectResponse/with string body",
        {"directResponse": {"status": 200, "body": {"string": "hello"}}},
        VALID_QUIET,
    ),
    istiod(
        "TestValidateHTTPDirectResponse/with string body over 100kb",
        {"directResponse": {"status": 200, "body": {"string": 'a' * 103424}}},
        VALID_WARNED,
    ),
    istiod(
        "TestValidateHTTPDirectResponse/with string body over 1mb",
        {"directResponse": {"status": 200, "body": {"string": 'a' * 2097152}}},
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateHTTPDirectResponse/with bytes body",
        {"directResponse": {"status": 200, "body": {"bytes": "aGVsbG8="}}},
        VALID_QUIET,
    ),
    istiod(
        "TestValidateHTTPDirectResponse/with bytes body over 100kb",
        {"directResponse": {"status": 200, "body": {"bytes": b64('a' * 102401)}}},
        VALID_WARNED,
    ),
    istiod(
        "TestValidateHTTPDirectResponse/with bytes body over 1mb",
        {"directResponse": {"status": 200, "body": {"bytes": b64('a' * 1048577)}}},
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateCORSPolicy/valid",
        {
            "in": {
                "allowMethods": ["GET", "POST"],
                "allowHeaders": ["header1", "header2"],
                "exposeHeaders": ["header3"],
                "maxAge": "2s",
            },
        },
        VALID,
    ),
    istiod(
        "TestValidateCORSPolicy/bad method",
        {
            "in": {
                "allowMethods": ["GET", "PUTT"],
                "allowHeaders": ["header1", "header2"],
                "exposeHeaders": ["header3"],
                "maxAge": "2s",
            },
        },
        ERROR,
    ),
    istiod(
        "TestValidateCORSPolicy/bad header",
        {
            "in": {
                "allowMethods": ["GET", "POST"],
                "allowHeaders": ["header1", "header2"],
                "exposeHeaders": [""],
                "maxAge": "2s",
            },
        },
        ERROR,
    ),
    istiod(
        "TestValidateCORSPolicy/bad max age",
        {
            "in": {
                "allowMethods": ["GET", "POST"],
                "allowHeaders": ["header1", "header2"],
                "exposeHeaders": ["header3"],
                "maxAge": "2.000000042s",
            },
        },
        ERROR,
    ),
    istiod(
        "TestValidateCORSPolicy/empty matchType AllowOrigins",
        {
            "in": {
                "allowOrigins": [{"exact": ""}, {"prefix": ""}, {"regex": ""}],
                "allowMethods": ["GET", "POST"],
                "allowHeaders": ["header1", "header2"],
                "exposeHeaders": ["header3"],
                "maxAge": "2s",
            },
        },
        ERROR,
    ),
    istiod(
        "TestValidateCORSPolicy/non empty matchType AllowOrigins",
        {
            "in": {
                "allowOrigins": [{"exact": "exact"}, {"prefix": "prefix"}, {"regex": "regex"}],
                "allowMethods": ["GET", "POST"],
                "allowHeaders": ["header1", "header2"],
                "exposeHeaders": ["header3"],
                "maxAge": "2s",
            },
        },
        VALID,
    ),
    istiod("TestValidateHTTPFaultInjectionAbort/nil", {"in": None}, VALID),
    istiod("TestValidateHTTPFaultInjectionAbort/valid", {"in": {"percentage": {"value": 20}, "httpStatus": 200}}, VALID),
    istiod("TestValidateHTTPFaultInjectionAbort/valid default", {"in": {"httpStatus": 200}}, VALID),
    istiod(
        "TestValidateHTTPFaultInjectionAbort/invalid http status",
        {"in": {"percentage": {"value": 20}, "httpStatus": 9000}},
        ERROR,
    ),
    istiod(
        "TestValidateHTTPFaultInjectionAbort/invalid low http status",
        {"in": {"percentage": {"value": 20}, "httpStatus": 100}},
        ERROR,
    ),
    istiod(
        "TestValidateHTTPFaultInjectionAbort/valid percentage",
        {"in": {"percentage": {"value": 0.001}, "httpStatus": 200}},
        VALID,
    ),
    istiod(
        "TestValidateHTTPFaultInjectionAbort/invalid fractional percent",
        {"in": {"percentage": {"value": -10.0}, "httpStatus": 200}},
        ERROR,
    ),
    istiod("TestValidateHTTPFaultInjectionAbort/grpc: nil", {"in": None}, VALID),
    istiod(
        "TestValidateHTTPFaultInjectionAbort/grpc: valid",
        {"in": {"percentage": {"value": 20}, "grpcStatus": "DEADLINE_EXCEEDED"}},
        VALID,
    ),
    istiod(
        "TestValidateHTTPFaultInjectionAbort/grpc: valid default percentage",
        {"in": {"grpcStatus": "DEADLINE_EXCEEDED"}},
        VALID,
    ),
    istiod(
        "TestValidateHTTPFaultInjectionAbort/grpc: invalid status",
        {"in": {"percentage": {"value": 20}, "grpcStatus": "BAD_STATUS"}},
        ERROR,
    ),
    istiod(
        "TestValidateHTTPFaultInjectionAbort/grpc: valid percentage",
        {"in": {"percentage": {"value": 0.001}, "grpcStatus": "INTERNAL"}},
        VALID,
    ),
    istiod(
        "TestValidateHTTPFaultInjectionAbort/grpc: invalid fractional percent",
        {"in": {"percentage": {"value": -10.0}, "grpcStatus": "DEADLINE_EXCEEDED"}},
        ERROR,
    ),
    istiod("TestValidateHTTPFaultInjectionDelay/nil", {"in": None}, VALID),
    istiod(
        "TestValidateHTTPFaultInjectionDelay/valid fixed",
        {"in": {"percentage": {"value": 20}, "fixedDelay": "3s"}},
        VALID,
    ),
    istiod("TestValidateHTTPFaultInjectionDelay/valid default", {"in": {"fixedDelay": "3s"}}, VALID),
    istiod(
        "TestValidateHTTPFaultInjectionDelay/invalid percent",
        {"in": {"percentage": {"value": 101}, "fixedDelay": "3s"}},
        ERROR,
    ),
    istiod(
        "TestValidateHTTPFaultInjectionDelay/invalid delay",
        {"in": {"percentage": {"value": 20}, "fixedDelay": "3.000000042s"}},
        ERROR,
    ),
    istiod(
        "TestValidateHTTPFaultInjectionDelay/valid fractional percentage",
        {"in": {"percentage": {"value": 0.001}, "fixedDelay": "3s"}},
        VALID,
    ),
    istiod(
        "TestValidateHTTPFaultInjectionDelay/invalid fractional percentage",
        {"in": {"percentage": {"value": -10.0}, "fixedDelay": "3s"}},
        ERROR,
    ),
    istiod("TestValidateHTTPStatus/-100", {"in": -100}, ERROR),
    istiod("TestValidateHTTPStatus/0", {"in": 0}, ERROR),
    istiod("TestValidateHTTPStatus/200", {"in": 200}, VALID),
    istiod("TestValidateHTTPStatus/600", {"in": 600}, VALID),
    istiod("TestValidateHTTPStatus/601", {"in": 601}, ERROR),
    istiod("TestValidateHTTPHeaderName/header1", {"name": "header1"}, VALID),
    istiod("TestValidateHTTPHeaderName/X-Requested-With", {"name": "X-Requested-With"}, VALID),
    istiod("TestValidateHTTPHeaderName/:authority", {"name": ":authority"}, VALID),
    istiod("TestValidateHTTPHeaderName/funky!$#_", {"name": "funky!$#_"}, VALID),
    istiod("TestValidateHTTPHeaderName/", {"name": ""}, ERROR),
    istiod("TestValidateHTTPHeaderName/::", {"name": "::"}, ERROR),
    istiod("TestValidateHTTPHeaderName/illegal\"char", {"name": "illegal\"char"}, ERROR),
    istiod("TestStrictValidateHTTPHeaderName/header1", {"name": "header1"}, VALID),
    istiod("TestStrictValidateHTTPHeaderName/X-Requested-With", {"name": "X-Requested-With"}, VALID),
    istiod("TestStrictValidateHTTPHeaderName/:authority", {"name": ":authority"}, ERROR),
    istiod("TestStrictValidateHTTPHeaderName/", {"name": ""}, ERROR),
    istiod("TestStrictValidateHTTPHeaderName/foo_bar", {"name": "foo_bar"}, VALID),
    istiod("TestValidatePortName/", {"name": ""}, ERROR),
    istiod("TestValidatePortName/simple", {"name": "simple"}, VALID),
    istiod("TestValidatePortName/full", {"name": "full"}, VALID),
    istiod(
        "TestValidatePortName/toolongtoolongtoolongtoolongtoolongtoolongtoolongtoolongtoolongtoolongtoolongtoolongtoolongtoolong",
        {"name": "toolongtoolongtoolongtoolongtoolongtoolongtoolongtoolongtoolongtoolongtoolongtoolongtoolongtoolong"},
        ERROR,
    ),
    istiod(
        "Test_validateExportTo/empty exportTo is okay",
        {"namespace": "ns5", "exportTo": None, "isDestinationRuleWithSelector": None, "isServiceEntry": None},
        VALID,
    ),
    istiod(
        "Test_validateExportTo/* is allowed",
        {"namespace": "ns5", "exportTo": ["*"], "isDestinationRuleWithSelector": None, "isServiceEntry": None},
        VALID,
    ),
    istiod(
        "Test_validateExportTo/. and ns1 are allowed",
        {"namespace": "ns5", "exportTo": [".", "ns1"], "isDestinationRuleWithSelector": None, "isServiceEntry": None},
        VALID,
    ),
    istiod(
        "Test_validateExportTo/bunch of namespaces in exportTo is okay",
        {
            "namespace": "ns5",
            "exportTo": ["ns1", "ns2", "ns5"],
            "isDestinationRuleWithSelector": None,
            "isServiceEntry": None,
        },
        VALID,
    ),
    istiod(
        "Test_validateExportTo/~ is allowed for service entry configs",
        {"namespace": "ns5", "exportTo": ["~"], "isDestinationRuleWithSelector": None, "isServiceEntry": True},
        VALID,
    ),
    istiod(
        "Test_validateExportTo/~ not allowed for non service entry configs",
        {"namespace": "ns5", "exportTo": ["~", "ns1"], "isDestinationRuleWithSelector": None, "isServiceEntry": None},
        ERROR,
    ),
    istiod(
        "Test_validateExportTo/. and * together are not allowed",
        {"namespace": "ns5", "exportTo": [".", "*"], "isDestinationRuleWithSelector": None, "isServiceEntry": None},
        ERROR,
    ),
    istiod(
        "Test_validateExportTo/* and ns1 together are not allowed",
        {"namespace": "ns5", "exportTo": ["*", "ns1"], "isDestinationRuleWithSelector": None, "isServiceEntry": None},
        ERROR,
    ),
    istiod(
        "Test_validateExportTo/. and same namespace in exportTo is not okay",
        {"namespace": "ns5", "exportTo": [".", "ns5"], "isDestinationRuleWithSelector": None, "isServiceEntry": None},
        ERROR,
    ),
    istiod(
        "Test_validateExportTo/duplicate namespaces in exportTo is not okay",
        {
            "namespace": "ns5",
            "exportTo": ["ns1", "ns2", "ns1"],
            "isDestinationRuleWithSelector": None,
            "isServiceEntry": None,
        },
        ERROR,
    ),
    istiod(
        "Test_validateExportTo/duplicate none in service entry exportTo is not okay",
        {
            "namespace": "ns5",
            "exportTo": ["~", "~", "ns1"],
            "isDestinationRuleWithSelector": None,
            "isServiceEntry": True,
        },
        ERROR,
    ),
    istiod(
        "Test_validateExportTo/invalid namespace names are not okay",
        {"namespace": "ns5", "exportTo": ["ns1_"], "isDestinationRuleWithSelector": None, "isServiceEntry": None},
        ERROR,
    ),
    istiod(
        "Test_validateExportTo/none and other namespaces cannot be combined in service entry exportTo",
        {"namespace": "ns5", "exportTo": ["~", "ns1"], "isDestinationRuleWithSelector": None, "isServiceEntry": True},
        ERROR,
    ),
    istiod(
        "Test_validateExportTo/destination rule with workloadselector cannot have exportTo (*)",
        {"namespace": "ns5", "exportTo": ["*"], "isDestinationRuleWithSelector": True, "isServiceEntry": False},
        ERROR,
    ),
    istiod(
        "Test_validateExportTo/destination rule with workloadselector can have only exportTo (.)",
        {"namespace": "ns5", "exportTo": ["."], "isDestinationRuleWithSelector": True, "isServiceEntry": False},
        VALID,
    ),
    istiod(
        "Test_validateExportTo/destination rule with workloadselector cannot have another ns in exportTo (.)",
        {"namespace": "ns5", "exportTo": ["somens"], "isDestinationRuleWithSelector": True, "isServiceEntry": False},
        ERROR,
    ),
    istiod(
        "Test_validateExportTo/destination rule with workloadselector cannot have another ns in addition to own ns in exportTo (.)",
        {
            "namespace": "ns5",
            "exportTo": [".", "somens"],
            "isDestinationRuleWithSelector": True,
            "isServiceEntry": False,
        },
        ERROR,
    ),
    istiod("TestValidateFQDN/long FQDN", {"fqdn": 'x' * 256}, ERROR),
    istiod("TestValidateFQDN/empty FQDN", {"fqdn": ""}, ERROR),
    istiod("TestValidateFQDN/standard FQDN", {"fqdn": "istio.io"}, VALID),
    istiod("TestValidateFQDN/unambiguous FQDN", {"fqdn": "istio.io."}, VALID),
    istiod("TestValidateFQDN/standard kubernetes FQDN", {"fqdn": "istio-pilot.istio-system.svc.cluster.local"}, VALID),
    istiod(
        "TestValidateFQDN/unambiguous kubernetes FQDN",
        {"fqdn": "istio-pilot.istio-system.svc.cluster.local."},
        VALID,
    ),
    istiod("TestValidateWildcardDomain/empty", {"in": ""}, ERROR, "empty"),
    istiod("TestValidateWildcardDomain/too long", {"in": 'x' * 256}, ERROR, "too long"),
    istiod(
        "TestValidateWildcardDomain/happy",
        {"in": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
        VALID,
    ),
    istiod("TestValidateWildcardDomain/wildcard", {"in": "*"}, VALID),
    istiod("TestValidateWildcardDomain/wildcard multi-segment", {"in": "*.bar.com"}, VALID),
    istiod("TestValidateWildcardDomain/wildcard single segment", {"in": "*foo"}, VALID),
    istiod("TestValidateWildcardDomain/wildcard prefix", {"in": "*foo.bar.com"}, VALID),
    istiod("TestValidateWildcardDomain/wildcard prefix dash", {"in": "*-foo.bar.com"}, VALID),
    istiod("TestValidateWildcardDomain/bad wildcard", {"in": "foo.*.com"}, ERROR, "invalid"),
    istiod("TestValidateWildcardDomain/bad wildcard#2", {"in": "foo*.bar.com"}, ERROR, "invalid"),
    istiod("TestValidateWildcardDomain/IP address", {"in": "1.1.1.1"}, ERROR, "invalid"),
    istiod("TestValidateWildcardDomainForVirtualServiceBoundToGateway/empty", {"in": "", "sni": False}, ERROR, "empty"),
    istiod(
        "TestValidateWildcardDomainForVirtualServiceBoundToGateway/too long",
        {"in": 'x' * 256, "sni": False},
        ERROR,
        "too long",
    ),
    istiod(
        "TestValidateWildcardDomainForVirtualServiceBoundToGateway/happy",
        {"in": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "sni": False},
        VALID,
    ),
    istiod("TestValidateWildcardDomainForVirtualServiceBoundToGateway/wildcard", {"in": "*", "sni": False}, VALID),
    istiod(
        "TestValidateWildcardDomainForVirtualServiceBoundToGateway/wildcard multi-segment",
        {"in": "*.bar.com", "sni": False},
        VALID,
    ),
    istiod(
        "TestValidateWildcardDomainForVirtualServiceBoundToGateway/wildcard single segment",
        {"in": "*foo", "sni": False},
        VALID,
    ),
    istiod(
        "TestValidateWildcardDomainForVirtualServiceBoundToGateway/wildcard prefix",
        {"in": "*foo.bar.com", "sni": False},
        VALID,
    ),
    istiod(
        "TestValidateWildcardDomainForVirtualServiceBoundToGateway/wildcard prefix dash",
        {"in": "*-foo.bar.com", "sni": False},
        VALID,
    ),
    istiod(
        "TestValidateWildcardDomainForVirtualServiceBoundToGateway/bad wildcard",
        {"in": "foo.*.com", "sni": False},
        ERROR,
        "invalid",
    ),
    istiod(
        "TestValidateWildcardDomainForVirtualServiceBoundToGateway/bad wildcard#2",
        {"in": "foo*.bar.com", "sni": False},
        ERROR,
        "invalid",
    ),
    istiod(
        "TestValidateWildcardDomainForVirtualServiceBoundToGateway/IP address",
        {"in": "1.1.1.1", "sni": False},
        ERROR,
        "invalid",
    ),
    istiod(
        "TestValidateWildcardDomainForVirtualServiceBoundToGateway/SNI domain",
        {"in": "outbound_.80_._.e2e.foobar.mesh", "sni": True},
        VALID,
    ),
    istiod(
        "TestValidateWildcardDomainForVirtualServiceBoundToGateway/happy#2",
        {"in": "outbound.com", "sni": True},
        VALID,
    ),
    istiod(
        "TestValidateWildcardDomainForVirtualServiceBoundToGateway/invalid SNI domain",
        {"in": "neverbound_.80_._.e2e.foobar.mesh", "sni": True},
        ERROR,
        "invalid",
    ),
    istiod(
        "TestValidateWildcardDomainForVirtualServiceBoundToGateway/invalid SNI domain#2",
        {"in": "outbound_.thisIsNotAPort_._.e2e.foobar.mesh", "sni": True},
        ERROR,
        "invalid",
    ),
    istiod(
        "TestValidateWildcardDomainForVirtualServiceBoundToGateway/invalid SNI domain#3",
        {"in": "outbound_.80_._", "sni": True},
        ERROR,
        "invalid",
    ),
    istiod("TestValidationIPSubnet/valid ipv4 subnet", {"subnet": "1.1.1.1/24"}, VALID),
    istiod("TestValidationIPSubnet/invalid ipv4 subnet", {"subnet": "1.1.1.1/48"}, ERROR),
    istiod("TestValidationIPSubnet/valid ipv6 subnet", {"subnet": "2001:1::1/64"}, VALID),
    istiod("TestValidationIPSubnet/invalid ipv6 subnet", {"subnet": "2001:1::1/132"}, ERROR),
]


@pytest.mark.parametrize("fields, expect", CASES + HEADER_VALUE_CASES)
def test_istiod_virtual_service_case(request, fields, expect):
    case_id = request.node.callspec.id
    skip_unported(case_id, SKIPPED)
    test = case_id.split("/", 1)[0]
    if test == "TestValidateWildcardDomain":
        assert (wildcard_domain_error(fields["in"]) is not None) == expect[0]
        return
    spec = SPEC_BUILDERS[test](**fields)
    namespace = fields.get("namespace", "bar")
    assert_istiod_verdict(lambda: validate_virtual_service("foo", namespace, spec), our_verdict(case_id, expect, DEVIATIONS))
