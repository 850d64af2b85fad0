# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Regexes are Envoy's (RE2) in the validation and in route_check; validation reports every error and istiod's warnings,
each at its API field path."""

from __future__ import annotations

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.istio import re2_regex
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.common import InvalidSpec
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.gateway import validate_gateway
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.virtual_service import (
    validate_virtual_service,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.analysis import check_regexes
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.model import Inventory
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.resolution import string_matches

LOOKAHEAD = "^/(?!admin).*"  # istio/istio#56807: Python's re takes it, Envoy's RE2 refuses it
ROUTE = [{"destination": {"host": "proxy"}}]


def with_route(**route) -> dict:
    return {"hosts": ["example.com"], "gateways": ["istio-system/gw"], "http": [dict({"route": ROUTE}, **route)]}


def matching(**match) -> dict:
    return with_route(match=[match])


# (spec, the option path the error must name) for every field Envoy compiles as a regex
REGEX_FIELDS = [
    (matching(uri={"regex": LOOKAHEAD}), "http[0].match[0].uri.regex"),
    (matching(scheme={"regex": "(?=https)"}), "http[0].match[0].scheme.regex"),
    (matching(method={"regex": "(?<!GET)"}), "http[0].match[0].method.regex"),
    (matching(authority={"regex": "(a)\\1"}), "http[0].match[0].authority.regex"),
    (matching(headers={"x-user": {"regex": "(?i:bob)(?#comment)"}}), "http[0].match[0].headers['x-user'].regex"),
    (matching(headers={"x-user": {"regex": "*"}}), "http[0].match[0].headers['x-user'].regex"),
    (matching(withoutHeaders={"x-debug": {"regex": "a++"}}), "http[0].match[0].withoutHeaders['x-debug'].regex"),
    (matching(queryParams={"id": {"regex": "\\d{1001}"}}), "http[0].match[0].queryParams['id'].regex"),
    (with_route(rewrite={"uriRegexRewrite": {"match": "^/(?!v1)", "rewrite": "/"}}), "http[0].rewrite.uriRegexRewrite.match"),
    (with_route(corsPolicy={"allowOrigins": [{"regex": "https://(?!evil).*"}]}), "http[0].corsPolicy.allowOrigins[0].regex"),
    (matching(uri={"regex": "a" * 1025}), "http[0].match[0].uri.regex"),
]


@pytest.mark.parametrize("spec, path", REGEX_FIELDS, ids=["%d %s" % (index, case[1]) for index, case in enumerate(REGEX_FIELDS)])
def test_regex_refused_as_envoy_refuses_it(spec, path):
    with pytest.raises(InvalidSpec) as caught:
        validate_virtual_service("web", "default", spec)
    assert [error.path for error in caught.value.errors] == [path]
    assert "RE2" in caught.value.message or "too large" in caught.value.message


@pytest.mark.parametrize("regex", ["\\p{Greek}+", "[[:alpha:]]+", "(?P<id>[0-9]+)", "(?i)/API/.*", "\\Q*\\E", "^/v[12]/.*$"])
def test_re2_syntax_accepted(regex):
    """RE2-only syntax (Unicode classes, POSIX classes, \\Q...\\E) that Python's re refuses or reads otherwise."""
    assert validate_virtual_service("web", "default", matching(uri={"regex": regex})) == []


def test_without_headers_star_means_present():
    assert validate_virtual_service("web", "default", matching(withoutHeaders={"x-debug": {"regex": "*"}})) == []


def test_every_error_is_reported_with_its_option():
    spec = {"hosts": ["example.com", "Bad_Host"], "http": [
        {"match": [{"uri": {"regex": LOOKAHEAD}}], "route": [{"destination": {"host": "proxy"}, "weight": -1}]},
        {"route": ROUTE, "timeout": "1x", "retries": {"attempts": -2}},
    ]}
    with pytest.raises(InvalidSpec) as caught:
        validate_virtual_service("web", "default", spec)
    paths = [error.path for error in caught.value.errors]
    assert paths == ["hosts[1]", "http[0].match[0].uri.regex", "http[0].route[0].weight", "http[1].retries.attempts",
                     "http[1].timeout"]
    assert str(caught.value).startswith("5 invalid options: hosts[1]: ")
    assert all(str(error) in str(caught.value) for error in caught.value.errors)


def test_gateway_errors_of_every_server():
    spec = {"servers": [
        {"hosts": ["foo"], "port": {"number": 0, "name": "http", "protocol": "HTTP"}},
        {"hosts": ["ok.example.com"], "port": {"number": 443, "name": "http", "protocol": "KAFKA"}},
    ]}
    with pytest.raises(InvalidSpec) as caught:
        validate_gateway("gw", "istio-system", spec)
    assert [error.path for error in caught.value.errors] == [
        "servers[0].hosts[0]", "servers[0].port.number", "servers[1].port.protocol", "servers[1].port.name",
    ]


@pytest.mark.parametrize("spec, path, fragment", [
    (with_route(mirror={"host": "shadow"}, mirrorPercent=5), "http[0].mirrorPercent", "deprecated"),
    ({"hosts": ["example.com"], "http": [{"route": ROUTE}, {"route": ROUTE}]}, "http[1]", "only the last rule"),
    (dict(with_route(), gateways=["gw.istio-system"]), "gateways[0]", "istio-system/gw"),
    ({"hosts": ["example.com"], "tls": [{"match": [{"sniHosts": ["10.0.0.1"]}], "route": ROUTE}]}, "tls[0].match[0].sniHosts[0]",
     "SNI"),
    ({"hosts": ["example.com"], "http": [{"directResponse": {"status": 200, "body": {"string": "a" * 200000}}}]},
     "http[0].directResponse.body.string", "large"),
])
def test_istiod_warnings_are_returned(spec, path, fragment):
    warnings = validate_virtual_service("web", "default", spec)
    assert [warning.path for warning in warnings] == [path]
    assert fragment in warnings[0].message


def test_gateway_warnings_are_returned():
    https = {"number": 443, "name": "https", "protocol": "HTTPS"}
    spec = {"servers": [
        {"hosts": ["a.example.com"], "port": https,
         "tls": {"mode": "SIMPLE", "credentialName": "a", "httpsRedirect": True, "cipherSuites": ["NOT-A-CIPHER"]}},
        {"hosts": ["b.example.com"], "port": dict(https, number=8443, name="old"),
         "tls": {"mode": "SIMPLE", "credentialName": "b", "minProtocolVersion": "TLSV1_0"}},
        {"hosts": ["c.example.com"], "port": dict(https, number=9443, name="pass"),
         "tls": {"mode": "PASSTHROUGH", "credentialName": "c"}},
    ]}
    warnings = validate_gateway("gw", "istio-system", spec)
    assert [warning.path for warning in warnings] == [
        "servers[0].tls.cipherSuites", "servers[0].tls.httpsRedirect", "servers[1].tls.minProtocolVersion",
        "servers[2].tls",
    ]


def test_missing_google_re2_names_the_library(monkeypatch):
    monkeypatch.setattr(re2_regex, "HAS_RE2", False)
    with pytest.raises(InvalidSpec) as caught:
        validate_virtual_service("web", "default", matching(uri={"regex": "^/api"}))
    assert caught.value.path == "http[0].match[0].uri.regex"
    assert "google-re2" in caught.value.message
    assert validate_virtual_service("web", "default", matching(uri={"prefix": "/api"})) == []


def test_refused_regex_prints_nothing(capfd):
    with pytest.raises(InvalidSpec):
        validate_virtual_service("web", "default", matching(uri={"regex": LOOKAHEAD}))
    assert capfd.readouterr().err == ""


# --- route_check ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("regex, value, expected", [
    (LOOKAHEAD, "/shop", False),  # Envoy rejects the route: nothing matches (Python's re would match)
    ("\\p{Greek}+", "αβγ", True),  # Python's re cannot compile it
    ("/api/.*", "/api/v1", True),
    ("/api", "/api/v1", False),  # the whole value, like Envoy's safe_regex
])
def test_route_check_matches_with_re2(regex, value, expected):
    assert string_matches({"regex": regex}, value) is expected


def test_route_check_matches_ignoring_case_with_re2():
    assert string_matches({"regex": "/API/[a-z]+"}, "/api/Users", ignore_case=True)


def test_route_check_reports_refused_regexes():
    virtual_service = {"kind": "VirtualService", "metadata": {"name": "web", "namespace": "shop"}, "spec": {
        "hosts": ["example.com"],
        "http": [{"match": [{"uri": {"regex": LOOKAHEAD}}, {"headers": {"x-id": {"regex": "[0-9]+"}}}], "route": ROUTE},
                 {"route": ROUTE, "corsPolicy": {"allowOrigins": [{"regex": "(?=x)"}]}}],
    }}
    findings = check_regexes(Inventory.from_objects([virtual_service]))
    assert [(found["code"], found["severity"], found["resource"], found["field"]) for found in findings] == [
        ("IST0106", "error", "VirtualService shop/web", "http[0].match[0].uri.regex"),
        ("IST0106", "error", "VirtualService shop/web", "http[1].corsPolicy.allowOrigins[0].regex"),
    ]
    assert "404" in findings[0]["message"]
