# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Gateway API validators: one case per CRD rule (schema limit, pattern or CEL rule) or spec rule, each with a
valid and an invalid spec; the invalid one names the API field path and says what the CRD says."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.gateway_api.validation import (
    validate_gateway,
    validate_http_route,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.common import InvalidSpec

LISTENER = {"name": "http", "port": 80, "protocol": "HTTP", "allowedRoutes": {"namespaces": {"from": "Same"}}}
GATEWAY = {"gatewayClassName": "istio", "listeners": [LISTENER]}
HTTPS = {"name": "https", "port": 443, "protocol": "HTTPS", "hostname": "shop.example.com",
         "tls": {"mode": "Terminate", "certificateRefs": [{"group": "", "kind": "Secret", "name": "cert"}]}}
BACKEND = {"group": "", "kind": "Service", "name": "shop", "port": 8080, "weight": 1}
PREFIX = {"path": {"type": "PathPrefix", "value": "/"}}
ROUTE = {"parentRefs": [{"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "web"}],
         "hostnames": ["shop.example.com"], "rules": [{"matches": [PREFIX], "backendRefs": [BACKEND]}]}
REDIRECT = {"type": "RequestRedirect", "requestRedirect": {"scheme": "https", "statusCode": 301}}
REWRITE = {"type": "URLRewrite", "urlRewrite": {"hostname": "shop.internal"}}
HEADERS = {"type": "RequestHeaderModifier", "requestHeaderModifier": {"set": [{"name": "x-a", "value": "1"}]}}


def gateway(**fields):
    return dict(copy.deepcopy(GATEWAY), **fields)


def listeners(*items):
    return gateway(listeners=[dict(LISTENER, **item) for item in items])


def route(**rule):
    return dict(copy.deepcopy(ROUTE), rules=[dict({"matches": [PREFIX]}, **rule)])


def filtered(*filters, backend_refs=None):
    return route(filters=list(filters), **({"backendRefs": backend_refs} if backend_refs is not None else {}))


def path_match(kind, value):
    return route(matches=[{"path": {"type": kind, "value": value}}], backendRefs=[BACKEND])


# (id, validator, valid spec, invalid spec, the error's path, a part of its message)
CASES = [
    ("gateway class name required", validate_gateway, GATEWAY, gateway(gatewayClassName=""), "gatewayClassName",
     "not a valid GatewayClass name"),
    ("at least one listener", validate_gateway, GATEWAY, gateway(listeners=[]), "listeners", "at least one"),
    ("at most 64 listeners", validate_gateway, listeners(*[{"name": "l%d" % i, "port": i + 1} for i in range(64)]),
     listeners(*[{"name": "l%d" % i, "port": i + 1} for i in range(65)]), "listeners", "at most 64"),
    ("listener names unique", validate_gateway, listeners({}, {"name": "other", "port": 81}),
     listeners({}, {"port": 81}), "listeners", "Listener name 'http' is given more than once"),
    ("listener name a DNS subdomain", validate_gateway, listeners({"name": "web.http"}),
     listeners({"name": "Web_HTTP"}), "listeners[0].name", "not a valid listener name"),
    ("hostname RFC 1123 with a leading *.", validate_gateway, listeners({"hostname": "*.example.com"}),
     listeners({"hostname": "shop.*.example.com"}), "listeners[0].hostname", "not a valid hostname"),
    ("hostname not an IP-like upper case", validate_gateway, listeners({"hostname": "shop.example.com"}),
     listeners({"hostname": "Shop.example.com"}), "listeners[0].hostname", "not a valid hostname"),
    ("port in 1..65535", validate_gateway, listeners({"port": 65535}), listeners({"port": 0}), "listeners[0].port",
     "between 1 and 65535"),
    ("protocol format", validate_gateway, listeners({"protocol": "example.com/custom"}),
     listeners({"protocol": "HTTP 2"}), "listeners[0].protocol", "not a valid protocol"),
    ("no tls for HTTP, TCP, UDP", validate_gateway, gateway(listeners=[HTTPS]),
     listeners({"tls": HTTPS["tls"]}), "listeners[0].tls", "tls must not be specified for protocols"),
    ("tls mode Terminate for HTTPS", validate_gateway, gateway(listeners=[HTTPS]),
     gateway(listeners=[dict(HTTPS, tls=dict(HTTPS["tls"], mode="Passthrough"))]), "listeners[0].tls.mode",
     "tls mode must be Terminate for protocol HTTPS"),
    ("tls mode set for TLS", validate_gateway, listeners({"protocol": "TLS", "tls": {"mode": "Passthrough"}}),
     listeners({"protocol": "TLS"}), "listeners[0].tls", "tls mode must be set for protocol TLS"),
    ("no hostname for TCP, UDP", validate_gateway, listeners({"protocol": "TCP"}),
     listeners({"protocol": "UDP", "hostname": "dns.example.com"}), "listeners[0].hostname",
     "hostname must not be specified for protocols ['TCP', 'UDP']"),
    ("Terminate needs certificateRefs or options", validate_gateway,
     gateway(listeners=[dict(HTTPS, tls={"mode": "Terminate", "options": {"example.com/cert": "x"}})]),
     gateway(listeners=[dict(HTTPS, tls={"mode": "Terminate"})]), "listeners[0].tls",
     "certificateRefs or options must be specified when mode is Terminate"),
    ("certificateRef namespace a DNS label", validate_gateway, gateway(listeners=[HTTPS]),
     gateway(listeners=[dict(HTTPS, tls={"mode": "Terminate", "certificateRefs": [{"name": "c", "namespace": "A.b"}]})]),
     "listeners[0].tls.certificateRefs[0].namespace", "not a valid namespace"),
    ("port, protocol and hostname unique", validate_gateway,
     listeners({}, {"name": "other", "hostname": "a.example.com"}), listeners({}, {"name": "other"}), "listeners",
     "Combination of port, protocol and hostname must be unique"),
    ("at most 8 allowed route kinds", validate_gateway,
     listeners({"allowedRoutes": {"kinds": [{"kind": "HTTPRoute"}] * 8}}),
     listeners({"allowedRoutes": {"kinds": [{"kind": "HTTPRoute"}] * 9}}), "listeners[0].allowedRoutes.kinds",
     "at most 8"),
    ("allowed route kind format", validate_gateway, listeners({"allowedRoutes": {"kinds": [{"kind": "GRPCRoute"}]}}),
     listeners({"allowedRoutes": {"kinds": [{"kind": "HTTP Route"}]}}), "listeners[0].allowedRoutes.kinds[0].kind",
     "not a valid kind"),
    ("from Selector needs a selector", validate_gateway,
     listeners({"allowedRoutes": {"namespaces": {"from": "Selector", "selector": {"matchLabels": {"a": "b"}}}}}),
     listeners({"allowedRoutes": {"namespaces": {"from": "Selector"}}}),
     "listeners[0].allowedRoutes.namespaces.selector", "must be specified when from is Selector"),
    ("selector operator", validate_gateway,
     listeners({"allowedRoutes": {"namespaces": {"from": "Selector", "selector": {"matchExpressions": [
         {"key": "a", "operator": "Exists"}]}}}}),
     listeners({"allowedRoutes": {"namespaces": {"from": "Selector", "selector": {"matchExpressions": [
         {"key": "a", "operator": "In"}]}}}}),
     "listeners[0].allowedRoutes.namespaces.selector.matchExpressions[0].values", "non-empty for In"),
    ("at most 16 addresses", validate_gateway, gateway(addresses=[{"type": "IPAddress", "value": "10.0.0.%d" % i}
                                                                  for i in range(16)]),
     gateway(addresses=[{"type": "IPAddress", "value": "10.0.0.%d" % i} for i in range(17)]), "addresses",
     "at most 16"),
    ("IPAddress values unique", validate_gateway,
     gateway(addresses=[{"type": "IPAddress", "value": "1.2.3.4"}, {"type": "Hostname", "value": "a.example.com"}]),
     gateway(addresses=[{"type": "IPAddress", "value": "1.2.3.4"}] * 2), "addresses", "IPAddress values must be unique"),
    ("Hostname values unique", validate_gateway, gateway(addresses=[{"type": "Hostname", "value": "a.example.com"}]),
     gateway(addresses=[{"type": "Hostname", "value": "a.example.com"}] * 2), "addresses",
     "Hostname values must be unique"),
    ("Hostname address format", validate_gateway, gateway(addresses=[{"type": "Hostname", "value": "*.example.com"}]),
     gateway(addresses=[{"type": "Hostname", "value": "Example.com"}]), "addresses[0].value",
     "Hostname value must be empty or contain only valid characters"),
    ("IPAddress an IP", validate_gateway, gateway(addresses=[{"type": "IPAddress", "value": "2001:db8::1"}]),
     gateway(addresses=[{"type": "IPAddress", "value": "1.2.3"}]), "addresses[0].value", "not an IPv4 or IPv6"),
    ("address type format", validate_gateway, gateway(addresses=[{"type": "example.com/vip", "value": "x"}]),
     gateway(addresses=[{"type": "vip", "value": "x"}]), "addresses[0].type", "not a valid address type"),
    ("infrastructure label keys", validate_gateway, gateway(infrastructure={"labels": {"example.com/team": "web"}}),
     gateway(infrastructure={"labels": {"-team": "web"}}), "infrastructure.labels['-team']", "label keys must be"),
    ("infrastructure label values", validate_gateway, gateway(infrastructure={"labels": {"team": "web-1"}}),
     gateway(infrastructure={"labels": {"team": "web 1"}}), "infrastructure.labels['team']",
     "not a valid label value"),
    ("at most 8 infrastructure annotations", validate_gateway,
     gateway(infrastructure={"annotations": {"a%d" % i: "x" for i in range(8)}}),
     gateway(infrastructure={"annotations": {"a%d" % i: "x" for i in range(9)}}), "infrastructure.annotations",
     "at most 8 annotation"),
    ("per-port TLS ports unique", validate_gateway, gateway(tls={"frontend": {"perPort": [{"port": 443, "tls": {}}]}}),
     gateway(tls={"frontend": {"perPort": [{"port": 443, "tls": {}}] * 2}}), "tls.frontend.perPort",
     "Port for TLS configuration 443 is given more than once"),
    # --- HTTPRoute
    ("at most 32 parentRefs", validate_http_route,
     dict(ROUTE, parentRefs=[{"name": "gw", "sectionName": "s%d" % i} for i in range(32)]),
     dict(ROUTE, parentRefs=[{"name": "gw", "sectionName": "s%d" % i} for i in range(33)]), "parentRefs",
     "at most 32"),
    ("sectionName needed for a repeated parent", validate_http_route,
     dict(ROUTE, parentRefs=[{"name": "gw"}, {"name": "gw", "namespace": "other"}]),
     dict(ROUTE, parentRefs=[{"name": "gw"}, {"name": "gw", "sectionName": "http"}]), "parentRefs[1].sectionName",
     "sectionName must be specified when parentRefs includes 2 or more references to the same parent"),
    ("sectionName unique for a repeated parent", validate_http_route,
     dict(ROUTE, parentRefs=[{"name": "gw", "sectionName": "http"}, {"name": "gw", "sectionName": "https"}]),
     dict(ROUTE, parentRefs=[{"name": "gw", "sectionName": "http"}, {"name": "gw", "sectionName": "http"}]),
     "parentRefs[1].sectionName", "sectionName must be unique"),
    ("parentRef port range", validate_http_route, dict(ROUTE, parentRefs=[{"name": "gw", "port": 443}]),
     dict(ROUTE, parentRefs=[{"name": "gw", "port": 70000}]), "parentRefs[0].port", "between 1 and 65535"),
    ("at most 16 hostnames", validate_http_route, dict(ROUTE, hostnames=["h%d.example.com" % i for i in range(16)]),
     dict(ROUTE, hostnames=["h%d.example.com" % i for i in range(17)]), "hostnames", "at most 16"),
    ("route hostname format", validate_http_route, dict(ROUTE, hostnames=["*.example.com"]),
     dict(ROUTE, hostnames=["*"]), "hostnames[0]", "not a valid hostname"),
    ("at most 16 rules", validate_http_route, dict(ROUTE, rules=[{"backendRefs": [BACKEND]}] * 16),
     dict(ROUTE, rules=[{"backendRefs": [BACKEND]}] * 17), "rules", "at most 16"),
    ("at most 64 matches per rule", validate_http_route, route(matches=[PREFIX] * 64),
     route(matches=[PREFIX] * 65), "rules[0].matches", "at most 64"),
    ("fewer than 128 matches per route", validate_http_route, dict(ROUTE, rules=[{"matches": [PREFIX] * 64}] * 2),
     dict(ROUTE, rules=[{"matches": [PREFIX] * 64}] * 2 + [{"matches": [PREFIX]}]), "rules",
     "the total number of matches across all rules in a route must be less than 128"),
    ("rule name format", validate_http_route, route(name="canary"), route(name="Canary"), "rules[0].name",
     "not a valid rule name"),
    ("method one of the CRD's", validate_http_route, route(matches=[{"method": "PATCH"}]),
     route(matches=[{"method": "patch"}]), "rules[0].matches[0].method", "method must be one of GET, HEAD"),
    ("path starts with /", validate_http_route, path_match("Exact", "/shop"), path_match("PathPrefix", "shop"),
     "rules[0].matches[0].path.value", "value must be an absolute path and start with '/'"),
    ("path without //", validate_http_route, path_match("PathPrefix", "/a/b"), path_match("PathPrefix", "/a//b"),
     "rules[0].matches[0].path.value", "must not contain '//'"),
    ("path without /./", validate_http_route, path_match("Exact", "/a.b/"), path_match("Exact", "/a/./b"),
     "rules[0].matches[0].path.value", "must not contain '/./'"),
    ("path without /../", validate_http_route, path_match("Exact", "/a../b"), path_match("Exact", "/a/../b"),
     "rules[0].matches[0].path.value", "must not contain '/../'"),
    ("path without %2f", validate_http_route, path_match("Exact", "/a%20b"), path_match("Exact", "/a%2fb"),
     "rules[0].matches[0].path.value", "must not contain '%2f'"),
    ("path without %2F", validate_http_route, path_match("Exact", "/a%3Fb"), path_match("Exact", "/a%2Fb"),
     "rules[0].matches[0].path.value", "must not contain '%2F'"),
    ("path without #", validate_http_route, path_match("Exact", "/a"), path_match("Exact", "/a#b"),
     "rules[0].matches[0].path.value", "must not contain '#'"),
    ("path not ending with /..", validate_http_route, path_match("Exact", "/a.."), path_match("Exact", "/a/.."),
     "rules[0].matches[0].path.value", "must not end with '/..'"),
    ("path not ending with /.", validate_http_route, path_match("Exact", "/a."), path_match("Exact", "/a/."),
     "rules[0].matches[0].path.value", "must not end with '/.'"),
    ("path characters", validate_http_route, path_match("Exact", "/a@b:c"), path_match("Exact", "/a b"),
     "rules[0].matches[0].path.value", "must only contain valid characters"),
    ("path regex is RE2", validate_http_route, path_match("RegularExpression", "/v[0-9]+/.*"),
     path_match("RegularExpression", "/(?!admin).*"), "rules[0].matches[0].path.value", "invalid RE2 regex"),
    ("header match names format", validate_http_route,
     route(matches=[{"headers": [{"name": "x-user", "type": "Exact", "value": "a"}]}]),
     route(matches=[{"headers": [{"name": "x user", "type": "Exact", "value": "a"}]}]),
     "rules[0].matches[0].headers[0].name", "not a valid header name"),
    ("header match names unique", validate_http_route,
     route(matches=[{"headers": [{"name": "a", "value": "1"}, {"name": "b", "value": "1"}]}]),
     route(matches=[{"headers": [{"name": "a", "value": "1"}, {"name": "a", "value": "2"}]}]),
     "rules[0].matches[0].headers", "name 'a' is given more than once"),
    ("header regex is RE2", validate_http_route,
     route(matches=[{"headers": [{"name": "a", "type": "RegularExpression", "value": "v[0-9]+"}]}]),
     route(matches=[{"headers": [{"name": "a", "type": "RegularExpression", "value": "(a)\\1"}]}]),
     "rules[0].matches[0].headers[0].value", "invalid RE2 regex"),
    ("query param regex is RE2", validate_http_route,
     route(matches=[{"queryParams": [{"name": "q", "type": "RegularExpression", "value": "x.*"}]}]),
     route(matches=[{"queryParams": [{"name": "q", "type": "RegularExpression", "value": "(?=x)"}]}]),
     "rules[0].matches[0].queryParams[0].value", "invalid RE2 regex"),
    ("RequestRedirect without backendRefs", validate_http_route, filtered(REDIRECT),
     filtered(REDIRECT, backend_refs=[BACKEND]), "rules[0].filters",
     "RequestRedirect filter must not be used together with backendRefs"),
    ("not RequestRedirect with URLRewrite", validate_http_route, filtered(REWRITE, HEADERS),
     filtered(REDIRECT, REWRITE), "rules[0].filters", "May specify either httpRouteFilterRequestRedirect"),
    ("core filters not repeated", validate_http_route, filtered(HEADERS), filtered(HEADERS, HEADERS),
     "rules[0].filters", "RequestHeaderModifier filter cannot be repeated"),
    ("filter config given for its type", validate_http_route, filtered(HEADERS),
     filtered({"type": "RequestHeaderModifier"}), "rules[0].filters[0].type",
     "filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type"),
    ("no filter config of another type", validate_http_route, filtered(REWRITE),
     filtered(dict(REWRITE, requestRedirect={"scheme": "https"})), "rules[0].filters[0].requestRedirect",
     "filter.requestRedirect must be nil if the filter.type is not RequestRedirect"),
    ("at most 16 filters", validate_http_route,
     filtered(*[{"type": "ExtensionRef", "extensionRef": {"group": "x.io", "kind": "F", "name": "f"}}] * 16),
     filtered(*[{"type": "ExtensionRef", "extensionRef": {"group": "x.io", "kind": "F", "name": "f"}}] * 17),
     "rules[0].filters", "at most 16"),
    ("header modifier names format", validate_http_route, filtered(HEADERS),
     filtered({"type": "RequestHeaderModifier", "requestHeaderModifier": {"remove": ["x:a"]}}),
     "rules[0].filters[0].requestHeaderModifier.remove[0]", "not a valid header name"),
    ("header modifier set keyed by name", validate_http_route, filtered(HEADERS),
     filtered({"type": "ResponseHeaderModifier", "responseHeaderModifier": {
         "add": [{"name": "x-a", "value": "1"}, {"name": "x-a", "value": "2"}]}}),
     "rules[0].filters[0].responseHeaderModifier.add", "header 'x-a' is given more than once"),
    ("ReplacePrefixMatch needs one PathPrefix match", validate_http_route,
     filtered({"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/"}}}),
     route(matches=[PREFIX, PREFIX], filters=[{"type": "URLRewrite", "urlRewrite": {
         "path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/"}}}]), "rules[0].matches",
     "When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified"),
    ("in backendRefs too", validate_http_route,
     route(backendRefs=[dict(BACKEND, filters=[{"type": "RequestRedirect", "requestRedirect": {
         "path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/"}}}])]),
     route(matches=[{"path": {"type": "Exact", "value": "/a"}}], backendRefs=[dict(BACKEND, filters=[
         {"type": "RequestRedirect", "requestRedirect": {"path": {"type": "ReplacePrefixMatch",
                                                                  "replacePrefixMatch": "/"}}}])]),
     "rules[0].matches", "Within backendRefs, when using RequestRedirect filter"),
    ("path modifier value for its type", validate_http_route,
     filtered({"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplaceFullPath", "replaceFullPath": "/x"}}}),
     filtered({"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplaceFullPath"}}}),
     "rules[0].filters[0].urlRewrite.path.replaceFullPath", "replaceFullPath must be specified when type is set"),
    ("path modifier type for its value", validate_http_route,
     filtered({"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplaceFullPath", "replaceFullPath": "/x"}}}),
     filtered({"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplaceFullPath", "replaceFullPath": "/x",
                                                             "replacePrefixMatch": "/y"}}}),
     "rules[0].filters[0].urlRewrite.path.type", "type must be 'ReplacePrefixMatch' when replacePrefixMatch is set"),
    ("redirect hostname without wildcard", validate_http_route,
     filtered({"type": "RequestRedirect", "requestRedirect": {"hostname": "a.example.com"}}),
     filtered({"type": "RequestRedirect", "requestRedirect": {"hostname": "*.example.com"}}),
     "rules[0].filters[0].requestRedirect.hostname", "not a valid hostname"),
    ("redirect port range", validate_http_route,
     filtered({"type": "RequestRedirect", "requestRedirect": {"port": 8443}}),
     filtered({"type": "RequestRedirect", "requestRedirect": {"port": 0}}),
     "rules[0].filters[0].requestRedirect.port", "between 1 and 65535"),
    ("mirror percent or fraction", validate_http_route,
     filtered({"type": "RequestMirror", "requestMirror": {"backendRef": BACKEND, "percent": 10}}),
     filtered({"type": "RequestMirror", "requestMirror": {"backendRef": BACKEND, "percent": 10,
                                                          "fraction": {"numerator": 1, "denominator": 10}}}),
     "rules[0].filters[0].requestMirror", "Only one of percent or fraction"),
    ("mirror fraction at most 1", validate_http_route,
     filtered({"type": "RequestMirror", "requestMirror": {"backendRef": BACKEND, "fraction": {"numerator": 100}}}),
     filtered({"type": "RequestMirror", "requestMirror": {"backendRef": BACKEND,
                                                          "fraction": {"numerator": 2, "denominator": 1}}}),
     "rules[0].filters[0].requestMirror.fraction", "numerator must be less than or equal to denominator"),
    ("mirror Service needs a port", validate_http_route,
     filtered({"type": "RequestMirror", "requestMirror": {"backendRef": BACKEND}}),
     filtered({"type": "RequestMirror", "requestMirror": {"backendRef": {"group": "", "kind": "Service",
                                                                         "name": "m"}}}),
     "rules[0].filters[0].requestMirror.backendRef.port", "Must have port for Service reference"),
    ("CORS wildcard alone", validate_http_route,
     filtered({"type": "CORS", "cors": {"allowOrigins": ["*"], "allowMethods": ["GET", "POST"]}}),
     filtered({"type": "CORS", "cors": {"allowOrigins": ["*", "https://a.example.com"]}}),
     "rules[0].filters[0].cors.allowOrigins", "AllowOrigins cannot contain '*' alongside other origins"),
    ("CORS origin format", validate_http_route,
     filtered({"type": "CORS", "cors": {"allowOrigins": ["https://*.example.com:8443"]}}),
     filtered({"type": "CORS", "cors": {"allowOrigins": ["example.com"]}}),
     "rules[0].filters[0].cors.allowOrigins[0]", "not a valid origin"),
    ("backendRef weight in 0..1000000", validate_http_route, route(backendRefs=[dict(BACKEND, weight=1000000)]),
     route(backendRefs=[dict(BACKEND, weight=1000001)]), "rules[0].backendRefs[0].weight",
     "weight must be between 0 and 1000000"),
    ("Service backendRef needs a port", validate_http_route,
     route(backendRefs=[dict(BACKEND, group="example.com", kind="Bucket", port=None)]),
     route(backendRefs=[dict(BACKEND, port=None)]), "rules[0].backendRefs[0].port", "Must have port for Service"),
    ("at most 16 backendRefs", validate_http_route, route(backendRefs=[BACKEND] * 16),
     route(backendRefs=[BACKEND] * 17), "rules[0].backendRefs", "at most 16"),
    ("backendRef filters checked", validate_http_route, route(backendRefs=[dict(BACKEND, filters=[HEADERS])]),
     route(backendRefs=[dict(BACKEND, filters=[HEADERS, HEADERS])]), "rules[0].backendRefs[0].filters",
     "RequestHeaderModifier filter cannot be repeated"),
    ("timeout format", validate_http_route, route(timeouts={"request": "1m30s"}), route(timeouts={"request": "1.5s"}),
     "rules[0].timeouts.request", "not a Gateway API duration"),
    ("backendRequest at most request", validate_http_route,
     route(timeouts={"request": "10s", "backendRequest": "10000ms"}),
     route(timeouts={"request": "10s", "backendRequest": "11s"}), "rules[0].timeouts.backendRequest",
     "backendRequest timeout cannot be longer than request timeout"),
    ("request 0s is no limit", validate_http_route, route(timeouts={"request": "0s", "backendRequest": "1h"}),
     route(timeouts={"request": "1s", "backendRequest": "1h"}), "rules[0].timeouts.backendRequest",
     "cannot be longer"),
]


@pytest.mark.parametrize("validator, valid, invalid, path, message", [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_each_rule_accepts_the_valid_and_refuses_the_invalid(validator, valid, invalid, path, message):
    assert validator("web", "default", valid) == []
    with pytest.raises(InvalidSpec) as refused:
        validator("web", "default", invalid)
    errors = refused.value.errors
    assert {error.path for error in errors} == {path}, errors  # '#' also breaks the path characters rule
    assert any(message in error.message for error in errors), errors


def test_every_error_of_a_spec_is_reported_at_once():
    spec = listeners({"port": 0, "hostname": "A"}, {"name": "http", "protocol": "TCP", "tls": HTTPS["tls"]})
    with pytest.raises(InvalidSpec) as refused:
        validate_gateway("web", "default", spec)
    assert [error.path for error in refused.value.errors] == [
        "listeners[0].hostname", "listeners[0].port", "listeners[1].tls", "listeners"]
