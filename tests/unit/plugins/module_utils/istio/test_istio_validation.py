# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""istiod's admission rules: each rule has a twin that passes and one that fails naming the option."""

from __future__ import annotations

import copy
from typing import Optional

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import GATEWAY, VIRTUAL_SERVICE
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.common import (
    InvalidSpec,
    parse_duration,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.gateway import validate_gateway
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.virtual_service import (
    validate_virtual_service,
)

HTTP_SERVER = {"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}
HTTPS_SERVER = {
    "port": {"number": 443, "name": "https", "protocol": "HTTPS"},
    "hosts": ["*"],
    "tls": {"mode": "SIMPLE", "credentialName": "proxy-cert"},
}
ROUTE_TO_PROXY = {"route": [{"destination": {"host": "proxy", "port": {"number": 80}}}]}


def gateway(*servers: dict) -> dict:
    """A Gateway spec for the ingress gateway with the given servers (the seed HTTP server by default)."""
    return {"selector": {"istio": "ingressgateway"}, "servers": [copy.deepcopy(s) for s in servers or [HTTP_SERVER]]}


def server(base: Optional[dict] = None, **changes) -> dict:
    """A copy of ``base`` (the seed HTTP server by default) with top-level keys replaced (None removes the key)."""
    result = copy.deepcopy(HTTP_SERVER if base is None else base)
    for key, value in changes.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def port(number=80, name="http", protocol="HTTP", **extra) -> dict:
    return dict({"number": number, "name": name, "protocol": protocol}, **extra)


def virtual_service(*http: dict, **spec) -> dict:
    """A VirtualService spec bound to the seed gateway with the given HTTP routes."""
    result = {"hosts": ["*"], "gateways": ["istio-system/default-gateway"]}
    result.update(spec)
    if http:
        result["http"] = [copy.deepcopy(route) for route in http]
    elif "tcp" not in spec and "tls" not in spec:
        result["http"] = [copy.deepcopy(ROUTE_TO_PROXY)]
    return result


def http_route(**fields) -> dict:
    """The seed route with extra fields (route=None drops the destination list)."""
    return server(ROUTE_TO_PROXY, **fields)


def match(**fields) -> dict:
    return http_route(match=[fields])


def destination(host="proxy", **extra) -> dict:
    return dict({"destination": dict({"host": host}, **extra.pop("dest", {}))}, **extra)


def assert_invalid(validate, spec, path, fragment, name="example", namespace="default"):
    """``validate`` refuses ``spec`` with an error at the option ``path`` (the module's spelling of the API field
    path the validator names) whose message holds ``fragment``."""
    option_path = {validate_gateway: GATEWAY, validate_virtual_service: VIRTUAL_SERVICE}[validate].option_path
    with pytest.raises(InvalidSpec) as caught:
        validate(name, namespace, spec)
    assert any(option_path(error.path) == path and fragment in error.message for error in caught.value.errors), \
        caught.value
    assert all(str(error) == "%s: %s" % (error.path, error.message) for error in caught.value.errors)


GOOD_GATEWAYS = {
    "seed": gateway(),
    "protocol any case": gateway(server(port=port(protocol="http"))),
    "every protocol": gateway(*[
        server(port=port(number=1000 + i, name="p%d" % i, protocol=protocol))
        for i, protocol in enumerate(("HTTP", "HTTP2", "GRPC", "GRPC-WEB", "TCP", "MONGO", "REDIS", "MYSQL"))
    ]),
    "https with credential": gateway(HTTPS_SERVER),
    "https with files": gateway(server(HTTPS_SERVER, tls={"mode": "SIMPLE", "serverCertificate": "/c.pem",
                                                          "privateKey": "/k.pem"})),
    "mutual with credential": gateway(server(HTTPS_SERVER, tls={"mode": "MUTUAL", "credentialName": "c"})),
    "mutual with files": gateway(server(HTTPS_SERVER, tls={"mode": "MUTUAL", "serverCertificate": "/c.pem",
                                                           "privateKey": "/k.pem", "caCertificates": "/ca.pem"})),
    "tls passthrough": gateway(server(port=port(443, "tls", "TLS"), tls={"mode": "PASSTHROUGH"})),
    "istio mutual": gateway(server(port=port(15443, "tls", "TLS"), tls={"mode": "ISTIO_MUTUAL"})),
    "http with https redirect": gateway(server(tls={"httpsRedirect": True})),
    "namespaced hosts": gateway(server(hosts=["prod/*.example.com", "./www.example.com", "*/api.example.com"])),
    "ip host": gateway(server(hosts=["10.0.0.1"])),
    "two servers, distinct port names": gateway(HTTP_SERVER, HTTPS_SERVER),
    "bind ip": gateway(server(bind="10.0.0.1")),
    "bind unix socket, port 0": gateway(server(port=port(number=0), bind="unix:///var/run/gw.sock")),
    "target_port 0 is no target port": gateway(server(port=port(targetPort=0))),
}

BAD_GATEWAYS = [
    ("no servers", gateway() | {"servers": []}, "servers", "at least one server"),
    ("servers missing", {"selector": {"istio": "ingressgateway"}}, "servers", "at least one server"),
    ("no hosts", gateway(server(hosts=[])), "servers[0].hosts", "at least one host"),
    ("port missing", gateway(server(port=None)), "servers[0].port", "port is required"),
    ("port 0", gateway(server(port=port(number=0))), "servers[0].port.number", "1..65535"),
    ("port 65536", gateway(server(port=port(number=65536))), "servers[0].port.number", "1..65535"),
    ("unknown protocol", gateway(HTTP_SERVER, server(port=port(81, "udp", "UDP"))),
     "servers[1].port.protocol", "invalid protocol 'UDP'"),
    ("empty protocol", gateway(server(port=port(protocol=""))), "servers[0].port.protocol", "invalid protocol"),
    ("target_port", gateway(server(port=port(targetPort=8080))), "servers[0].port.target_port", "no effect"),
    ("port name missing", gateway(server(port={"number": 80, "protocol": "HTTP"})),
     "servers[0].port.name", "must be set"),
    ("duplicate port names", gateway(HTTP_SERVER, server(port=port(number=8080))),
     "servers[1].port.name", "unique"),
    ("https without tls", gateway(server(HTTPS_SERVER, tls=None)), "servers[0].tls", "needs tls"),
    ("tls without tls", gateway(server(port=port(443, "tls", "TLS"))), "servers[0].tls", "needs tls"),
    ("simple without credential", gateway(server(HTTPS_SERVER, tls={"mode": "SIMPLE"})),
     "servers[0].tls.server_certificate", "credential_name"),
    ("simple without key", gateway(server(HTTPS_SERVER, tls={"mode": "SIMPLE", "serverCertificate": "/c.pem"})),
     "servers[0].tls.private_key", "credential_name"),
    ("mutual without ca", gateway(server(HTTPS_SERVER, tls={"mode": "MUTUAL", "serverCertificate": "/c.pem",
                                                            "privateKey": "/k.pem"})),
     "servers[0].tls.ca_certificates", "CA bundle"),
    ("two certificate sources", gateway(server(HTTPS_SERVER, tls={"mode": "SIMPLE", "credentialName": "c",
                                                                  "credentialNames": ["d"]})),
     "servers[0].tls", "only one certificate source"),
    ("istio mutual with credential", gateway(server(port=port(443, "tls", "TLS"),
                                                    tls={"mode": "ISTIO_MUTUAL", "credentialName": "c"})),
     "servers[0].tls.credential_name", "ISTIO_MUTUAL"),
    ("unknown tls mode", gateway(server(HTTPS_SERVER, tls={"mode": "simple", "credentialName": "c"})),
     "servers[0].tls.mode", "invalid mode"),
    ("unknown tls version", gateway(server(HTTPS_SERVER, tls=dict(HTTPS_SERVER["tls"], minProtocolVersion="TLS1.2"))),
     "servers[0].tls.min_protocol_version", "invalid version"),
    ("crl with simple", gateway(server(HTTPS_SERVER, tls={"mode": "SIMPLE", "serverCertificate": "/c.pem",
                                                          "privateKey": "/k.pem", "caCrl": "/crl.pem"})),
     "servers[0].tls.ca_crl", "SIMPLE"),
    ("http server terminating tls", gateway(server(tls={"mode": "SIMPLE", "credentialName": "c"})),
     "servers[0].tls", "https_redirect"),
    ("tcp server with tls", gateway(server(port=port(31400, "tcp", "TCP"), tls={"httpsRedirect": True})),
     "servers[0].tls", "only allowed on HTTPS/TLS"),
    ("short host name", gateway(server(hosts=["proxy"])), "servers[0].hosts[0]", "short name"),
    ("partial wildcard", gateway(server(hosts=["foo*.example.com"])), "servers[0].hosts[0]", "invalid"),
    ("wildcard not first", gateway(server(hosts=["www.*.example.com"])), "servers[0].hosts[0]", "invalid"),
    ("bad host namespace", gateway(server(hosts=["~/www.example.com"])), "servers[0].hosts[0]", "invalid namespace"),
    ("empty host namespace", gateway(server(hosts=["/www.example.com"])), "servers[0].hosts[0]", "cannot be empty"),
    ("numeric tld", gateway(server(hosts=["www.example.123"])), "servers[0].hosts[0]", "all-numeric"),
    ("bind not ip", gateway(server(bind="localhost")), "servers[0].bind", "not a valid IP"),
    ("unix bind relative", gateway(server(port=port(number=0), bind="unix://gw.sock")), "servers[0].bind", "absolute"),
    ("unix bind with port", gateway(server(bind="unix:///gw.sock")), "servers[0].port.number", "must be 0"),
]


@pytest.mark.parametrize("spec", GOOD_GATEWAYS.values(), ids=list(GOOD_GATEWAYS))
def test_gateway_accepted(spec):
    validate_gateway("default-gateway", "istio-system", spec)


@pytest.mark.parametrize("spec, path, fragment", [case[1:] for case in BAD_GATEWAYS], ids=[c[0] for c in BAD_GATEWAYS])
def test_gateway_refused(spec, path, fragment):
    assert_invalid(validate_gateway, spec, path, fragment)


@pytest.mark.parametrize("name, valid", [
    ("default-gateway", True), ("gw1", True), ("a" * 63, True),
    ("Default-Gateway", False), ("default.gateway", False), ("-gw", False), ("a" * 64, False), ("", False),
])
def test_gateway_name_is_a_dns_label(name, valid):
    if valid:
        validate_gateway(name, "istio-system", gateway())
    else:
        assert_invalid(validate_gateway, gateway(), "name", "DNS-1123 label", name=name)


@pytest.mark.parametrize("namespace, valid", [("istio-system", True), (None, True), ("Istio", False), ("a.b", False)])
def test_namespace_is_a_dns_label(namespace, valid):
    for validate, spec in ((validate_gateway, gateway()), (validate_virtual_service, virtual_service())):
        if valid:
            validate("example", namespace, spec)
        else:
            assert_invalid(validate, spec, "namespace", "DNS-1123 label", namespace=namespace)


GOOD_VIRTUAL_SERVICES = {
    "seed": virtual_service(),
    "gateway in own namespace": virtual_service(gateways=["bookinfo-gateway"]),
    "legacy name.namespace gateway": virtual_service(gateways=["bookinfo-gateway.default"]),
    "mesh with named hosts": virtual_service(hosts=["reviews"], gateways=["mesh"]),
    "no gateways means mesh": virtual_service(hosts=["reviews.prod.svc.cluster.local"], gateways=None),
    "wildcard with gateway and mesh hosts": virtual_service(hosts=["*.example.com", "api.other.com"]),
    "ip host on mesh": virtual_service(hosts=["10.1.2.3"], gateways=["mesh"]),
    "weights": virtual_service(http_route(route=[destination(weight=90), destination("v2", weight=10)])),
    "zero weight alongside positive": virtual_service(http_route(route=[destination(weight=0),
                                                                        destination("v2", weight=100)])),
    "single destination weight 0": virtual_service(http_route(route=[destination(weight=0)])),
    "weights need not sum to 100": virtual_service(http_route(route=[destination(weight=1), destination("b", weight=1)])),
    "redirect only": virtual_service({"redirect": {"uri": "/new", "redirectCode": 301}}),
    "redirect derive port": virtual_service({"redirect": {"derivePort": "FROM_REQUEST_PORT"}}),
    "direct response only": virtual_service({"directResponse": {"status": 503, "body": {"string": "down"}}}),
    "delegate only": virtual_service({"delegate": {"name": "reviews", "namespace": "prod"}}),
    "delegate target without hosts": {"http": [ROUTE_TO_PROXY]},
    "string matches": virtual_service(match(uri={"prefix": "/"}, method={"exact": "GET"},
                                            scheme={"regex": "https?"}, authority={"prefix": "api."})),
    "empty uri prefix": virtual_service(match(uri={"prefix": ""})),
    "header presence": virtual_service(match(headers={"x-canary": {}}, queryParams={"debug": {}})),
    "without header regex star": virtual_service(match(withoutHeaders={"x-skip": {"regex": "*"}})),
    "pseudo header match": virtual_service(match(headers={":path": {"prefix": "/"}})),
    "jwt claim on gateway": virtual_service(match(headers={"@request.auth.claims.group": {"exact": "admin"}})),
    "match port, labels, namespace": virtual_service(match(port=8080, sourceLabels={"app": "web"},
                                                           sourceNamespace="prod", gateways=["mesh"])),
    "durations": virtual_service(http_route(timeout="1m30s", retries={"attempts": 3, "perTryTimeout": "0.5s",
                                                                      "retryOn": "5xx,connect-failure,503"})),
    "fault": virtual_service(http_route(fault={"delay": {"fixedDelay": "100ms", "percentage": {"value": 0.1}},
                                               "abort": {"httpStatus": 500, "percentage": {"value": 100}}})),
    "grpc abort": virtual_service(http_route(fault={"abort": {"grpcStatus": "UNAVAILABLE"}})),
    "cors": virtual_service(http_route(corsPolicy={"allowOrigins": [{"exact": "https://a.example"}],
                                                   "allowMethods": ["GET", "POST"], "allowHeaders": ["*"],
                                                   "maxAge": "24h"})),
    "rewrite": virtual_service(http_route(rewrite={"uri": "/", "authority": "api"})),
    "regex rewrite": virtual_service(http_route(rewrite={"uriRegexRewrite": {"match": "^/v1(/.*)", "rewrite": r"\1"}})),
    "mirror": virtual_service(http_route(mirror={"host": "shadow"}, mirrorPercentage={"value": 50})),
    "mirrors": virtual_service(http_route(mirrors=[{"destination": {"host": "shadow"}, "percentage": {"value": 5}}])),
    "header operations": virtual_service(http_route(headers={"request": {"set": {"x-a": "1", "host": "api"}},
                                                             "response": {"remove": ["server"]}})),
    "export to namespaces": virtual_service(exportTo=[".", "prod"]),
    "export to all": virtual_service(exportTo=["*"]),
    "tcp": virtual_service(tcp=[{"match": [{"port": 31400, "destinationSubnets": ["10.0.0.0/8"]}],
                                 "route": [destination(dest={"port": {"number": 9000}})]}]),
    "tls sni": virtual_service(hosts=["*.example.com"],
                               tls=[{"match": [{"sniHosts": ["api.example.com"], "port": 443}],
                                     "route": [destination("api")]}]),
}


def tls_route(sni_hosts: list) -> list:
    return [{"match": [{"sniHosts": sni_hosts}], "route": [destination("api")]}]


BAD_VIRTUAL_SERVICES = [
    ("no routes", virtual_service() | {"http": []}, "http", "at least one of http, tcp or tls"),
    ("route and redirect", virtual_service(http_route(redirect={"uri": "/"})), "http[0].route", "redirect"),
    ("redirect and direct response", virtual_service({"redirect": {"uri": "/"}, "directResponse": {"status": 200}}),
     "http[0].direct_response", "redirect"),
    ("route and direct response", virtual_service(http_route(directResponse={"status": 200})),
     "http[0].route", "direct_response"),
    ("redirect and rewrite", virtual_service({"redirect": {"uri": "/"}, "rewrite": {"uri": "/"}}),
     "http[0].rewrite", "redirect"),
    ("nothing to do", virtual_service({"name": "empty"}), "http[0]", "one of route, redirect, direct_response"),
    ("empty route list", virtual_service(http_route(route=[])), "http[0]", "one of route"),
    ("delegate and route", virtual_service(http_route(delegate={"name": "x"})), "http[0].route", "delegate"),
    ("delegate inside delegate", {"http": [{"delegate": {"name": "x"}}]}, "http[0].delegate", "cannot delegate"),
    ("delegate target with gateways", {"gateways": ["gw"], "http": [ROUTE_TO_PROXY]}, "gateways", "delegate"),
    ("mirror and mirrors", virtual_service(http_route(mirror={"host": "a"}, mirrors=[{"destination": {"host": "b"}}])),
     "http[0].mirrors", "mirror"),
    ("two string match kinds", virtual_service(match(uri={"exact": "/a", "prefix": "/"})),
     "http[0].match[0].uri", "only one of exact/prefix/regex"),
    ("empty uri match", virtual_service(match(uri={})), "http[0].match[0].uri", "exactly one"),
    ("empty method prefix", virtual_service(match(method={"prefix": ""})),
     "http[0].match[0].method.prefix", "should not be empty"),
    ("empty regex", virtual_service(match(authority={"regex": ""})),
     "http[0].match[0].authority.regex", "should not be empty"),
    ("header value two kinds", virtual_service(match(headers={"x-user": {"exact": "a", "regex": "b"}})),
     "http[0].match[0].headers['x-user']", "only one of"),
    ("bad header name", virtual_service(match(headers={"x user": {"exact": "a"}})),
     "http[0].match[0].headers['x user']", "not a valid header name"),
    ("query param two kinds", virtual_service(match(queryParams={"v": {"exact": "1", "prefix": "1"}})),
     "http[0].match[0].query_params['v']", "only one of"),
    ("jwt claim on mesh", virtual_service(match(headers={"@request.auth.claims.g": {"exact": "a"}}),
                                          hosts=["reviews"], gateways=["mesh"]),
     "http[0].match[0].headers['@request.auth.claims.g']", "gateway"),
    ("match port", virtual_service(match(port=70000)), "http[0].match[0].port", "1..65535"),
    ("match source labels", virtual_service(match(sourceLabels={"app": "a b"})),
     "http[0].match[0].source_labels['app']", "invalid label value"),
    ("match source namespace", virtual_service(match(sourceNamespace="Prod_1")),
     "http[0].match[0].source_namespace", "invalid namespace"),
    ("destination without host", virtual_service(http_route(route=[{"destination": {"host": ""}}])),
     "http[0].route[0].destination.host", "needs a host"),
    ("destination missing", virtual_service(http_route(route=[{"weight": 1}])),
     "http[0].route[0].destination", "required"),
    ("destination host star", virtual_service(http_route(route=[destination("*")])),
     "http[0].route[0].destination.host", "'*'"),
    ("destination host invalid", virtual_service(http_route(route=[destination("bad_host")])),
     "http[0].route[0].destination.host", "invalid"),
    ("destination subset", virtual_service(http_route(route=[destination(dest={"subset": "v1.0"})])),
     "http[0].route[0].destination.subset", "subset"),
    ("destination port", virtual_service(http_route(route=[destination(dest={"port": {"number": 0}})])),
     "http[0].route[0].destination.port.number", "1..65535"),
    ("negative weight", virtual_service(http_route(route=[destination(weight=100), destination("b", weight=-1)])),
     "http[0].route[1].weight", "non-negative"),
    ("all weights zero", virtual_service(http_route(route=[destination(weight=0), destination("b", weight=0)])),
     "http[0].route", "add up to 0"),
    ("tcp all weights zero", virtual_service(tcp=[{"route": [destination(weight=0), destination("b", weight=0)]}]),
     "tcp[0].route", "add up to 0"),
    ("export to star and namespace", virtual_service(exportTo=["*", "prod"]), "export_to", "cannot be combined"),
    ("export to tilde", virtual_service(exportTo=["~"]), "export_to[0]", "not allowed"),
    ("export to duplicate", virtual_service(exportTo=[".", "default"]), "export_to[1]", "duplicate"),
    ("export to bad namespace", virtual_service(exportTo=["prod/x"]), "export_to[0]", "invalid entry"),
    ("star host with mesh gateway", virtual_service(gateways=["mesh"]), "hosts[0]", "mesh"),
    ("star host with mesh among gateways", virtual_service(gateways=["mesh", "istio-system/default-gateway"]),
     "hosts[0]", "mesh"),
    ("star host with implied mesh", virtual_service(gateways=None), "hosts[0]", "mesh"),
    ("invalid host", virtual_service(hosts=["foo bar"]), "hosts[0]", "invalid"),
    ("overlapping hosts", virtual_service(hosts=["*.example.com", "api.example.com"]), "hosts[1]", "duplicate host"),
    ("gateway reference three parts", virtual_service(gateways=["istio-system/default/gw"]),
     "gateways[0]", "invalid gateway name"),
    ("gateway reference empty namespace", virtual_service(gateways=["/default-gateway"]),
     "gateways[0]", "cannot be empty"),
    ("gateway reference bad name", virtual_service(gateways=["istio-system/default_gateway"]),
     "gateways[0]", "invalid gateway name"),
    ("gateway reference bare invalid", virtual_service(gateways=["default_gateway"]),
     "gateways[0]", "invalid gateway reference"),
    ("timeout unparsable", virtual_service(http_route(timeout="10 seconds")), "http[0].timeout", "invalid duration"),
    ("timeout no unit", virtual_service(http_route(timeout="10")), "http[0].timeout", "invalid duration"),
    ("timeout below 1ms", virtual_service(http_route(timeout="500us")), "http[0].timeout", "at least 1ms"),
    ("timeout sub-ms precision", virtual_service(http_route(timeout="1.0005s")), "http[0].timeout", "ms precision"),
    ("per try timeout", virtual_service(http_route(retries={"attempts": 2, "perTryTimeout": "2x"})),
     "http[0].retries.per_try_timeout", "invalid duration"),
    ("retry settings without attempts", virtual_service(http_route(retries={"perTryTimeout": "2s"})),
     "http[0].retries.per_try_timeout", "attempts is 0"),
    ("negative attempts", virtual_service(http_route(retries={"attempts": -1})),
     "http[0].retries.attempts", "negative"),
    ("unknown retry on", virtual_service(http_route(retries={"attempts": 2, "retryOn": "5xx,sometimes"})),
     "http[0].retries.retry_on", "'sometimes'"),
    ("fixed delay", virtual_service(http_route(fault={"delay": {"fixedDelay": "soon"}})),
     "http[0].fault.delay.fixed_delay", "invalid duration"),
    ("fault without abort or delay", virtual_service(http_route(fault={})), "http[0].fault", "abort and/or a delay"),
    ("fault percentage above 100", virtual_service(http_route(fault={"abort": {"httpStatus": 500,
                                                                               "percentage": {"value": 101}}})),
     "http[0].fault.abort.percentage.value", "100"),
    ("fault percentage negative", virtual_service(http_route(fault={"delay": {"fixedDelay": "1s",
                                                                              "percentage": {"value": -1}}})),
     "http[0].fault.delay.percentage.value", "100"),
    ("fault legacy percent", virtual_service(http_route(fault={"delay": {"fixedDelay": "1s", "percent": 150}})),
     "http[0].fault.delay.percent", "0..100"),
    ("abort status", virtual_service(http_route(fault={"abort": {"httpStatus": 99}})),
     "http[0].fault.abort.http_status", "200-600"),
    ("abort grpc status", virtual_service(http_route(fault={"abort": {"grpcStatus": "BROKEN"}})),
     "http[0].fault.abort.grpc_status", "not supported"),
    ("abort http2 error", virtual_service(http_route(fault={"abort": {"http2Error": "X"}})),
     "http[0].fault.abort.http2_error", "not supported"),
    ("exponential delay", virtual_service(http_route(fault={"delay": {"exponentialDelay": "1s"}})),
     "http[0].fault.delay.exponential_delay", "not supported"),
    ("mirror percentage", virtual_service(http_route(mirror={"host": "s"}, mirrorPercentage={"value": 120})),
     "http[0].mirror_percentage.value", "100"),
    ("mirror percent", virtual_service(http_route(mirror={"host": "s"}, mirrorPercent=101)),
     "http[0].mirror_percent", "between 0 and 100"),
    ("mirror without host", virtual_service(http_route(mirror={"port": {"number": 80}})),
     "http[0].mirror.host", "needs a host"),
    ("mirrors percentage", virtual_service(http_route(mirrors=[{"destination": {"host": "s"},
                                                                "percentage": {"value": 200}}])),
     "http[0].mirrors[0].percentage.value", "100"),
    ("redirect code", virtual_service({"redirect": {"uri": "/", "redirectCode": 200}}),
     "http[0].redirect.redirect_code", "3xx"),
    ("redirect empty", virtual_service({"redirect": {"redirectCode": 301}}), "http[0].redirect", "must set"),
    ("redirect scheme", virtual_service({"redirect": {"scheme": "ftp"}}), "http[0].redirect.scheme", "http or https"),
    ("redirect port and derive port", virtual_service({"redirect": {"port": 8443, "derivePort": "FROM_REQUEST_PORT"}}),
     "http[0].redirect", "only one of"),
    ("direct response status low", virtual_service({"directResponse": {"status": 199}}),
     "http[0].direct_response.status", "200-600"),
    ("direct response status high", virtual_service({"directResponse": {"status": 601}}),
     "http[0].direct_response.status", "200-600"),
    ("direct response body too large",
     virtual_service({"directResponse": {"status": 200, "body": {"string": "x" * (1 << 20 | 1)}}}),
     "http[0].direct_response.body.string", "1MB"),
    ("rewrite empty", virtual_service(http_route(rewrite={})), "http[0].rewrite", "must set"),
    ("rewrite uri and regex", virtual_service(http_route(rewrite={"uri": "/", "uriRegexRewrite": {
        "match": "a", "rewrite": "b"}})), "http[0].rewrite", "only one of"),
    ("regex rewrite half", virtual_service(http_route(rewrite={"uriRegexRewrite": {"match": "^/a"}})),
     "http[0].rewrite.uri_regex_rewrite", "both match and rewrite"),
    ("authority twice", virtual_service(http_route(rewrite={"authority": "a"},
                                                   headers={"request": {"set": {":authority": "b"}}})),
     "http[0].headers.request.set[':authority']", "one place"),
    ("set pseudo header", virtual_service(http_route(headers={"request": {"add": {":path": "/x"}}})),
     "http[0].headers.request.add[':path']", "':' prefix"),
    ("remove host header", virtual_service(http_route(headers={"request": {"remove": ["Host"]}})),
     "http[0].headers.request.remove[0]", "Host"),
    ("response host header", virtual_service(http_route(headers={"response": {"set": {"host": "x"}}})),
     "http[0].headers.response.set['host']", "Host"),
    ("header value control char", virtual_service(http_route(headers={"response": {"set": {"x-a": "a\nb"}}})),
     "http[0].headers.response.set['x-a']", "control characters"),
    ("destination header op", virtual_service(http_route(route=[destination(headers={"request": {"set": {":x": "1"}}})])),
     "http[0].route[0].headers.request.set[':x']", "':' prefix"),
    ("cors method", virtual_service(http_route(corsPolicy={"allowMethods": ["get"]})),
     "http[0].cors_policy.allow_methods[0]", "not a supported HTTP method"),
    ("cors origin empty", virtual_service(http_route(corsPolicy={"allowOrigins": [{"exact": ""}]})),
     "http[0].cors_policy.allow_origins[0]", "non-empty"),
    ("cors header", virtual_service(http_route(corsPolicy={"exposeHeaders": ["bad header"]})),
     "http[0].cors_policy.expose_headers[0]", "not a valid header name"),
    ("cors max age sub-second", virtual_service(http_route(corsPolicy={"maxAge": "1500ms"})),
     "http[0].cors_policy.max_age", "seconds precision"),
    ("tcp without route", virtual_service(tcp=[{"match": [{"port": 31400}]}]), "tcp[0].route", "at least one"),
    ("tcp subnet", virtual_service(tcp=[{"match": [{"destinationSubnets": ["10.0.0.0/33"]}],
                                         "route": [destination()]}]),
     "tcp[0].match[0].destination_subnets[0]", "CIDR"),
    ("tcp source subnet", virtual_service(tcp=[{"match": [{"sourceSubnet": "nowhere"}], "route": [destination()]}]),
     "tcp[0].match[0].source_subnet", "CIDR"),
    ("tcp match gateway", virtual_service(tcp=[{"match": [{"gateways": ["a/b/c"]}], "route": [destination()]}]),
     "tcp[0].match[0].gateways[0]", "invalid gateway name"),
    ("tls without match", virtual_service(tls=[{"route": [destination()]}]), "tls[0].match", "at least one match"),
    ("tls without sni", virtual_service(tls=[{"match": [{"port": 443}], "route": [destination()]}]),
     "tls[0].match[0].sni_hosts", "at least one SNI host"),
    ("tls sni outside hosts", virtual_service(hosts=["api.example.com"], tls=tls_route(["www.example.com"])),
     "tls[0].match[0].sni_hosts[0]", "not covered"),
    ("tls without route", virtual_service(tls=[{"match": [{"sniHosts": ["a.example.com"]}]}]),
     "tls[0].route", "at least one destination"),
]


@pytest.mark.parametrize("spec", GOOD_VIRTUAL_SERVICES.values(), ids=list(GOOD_VIRTUAL_SERVICES))
def test_virtual_service_accepted(spec):
    validate_virtual_service("proxy", "default", spec)


@pytest.mark.parametrize("spec, path, fragment", [case[1:] for case in BAD_VIRTUAL_SERVICES],
                         ids=[case[0] for case in BAD_VIRTUAL_SERVICES])
def test_virtual_service_refused(spec, path, fragment):
    assert_invalid(validate_virtual_service, spec, path, fragment)


def test_route_errors_name_the_failing_route():
    spec = virtual_service(ROUTE_TO_PROXY, ROUTE_TO_PROXY, match(uri={"exact": "/a", "regex": "/b"}))
    assert_invalid(validate_virtual_service, spec, "http[2].match[0].uri", "only one of")


@pytest.mark.parametrize("name, valid", [
    ("proxy", True), ("proxy.v1", True), ("a" * 253, True), ("a" * 254, False), ("Proxy", False), ("proxy_v1", False), ("", False),
])
def test_virtual_service_name_is_a_dns_subdomain(name, valid):
    if valid:
        validate_virtual_service(name, "default", virtual_service())
    else:
        assert_invalid(validate_virtual_service, virtual_service(), "name", "DNS-1123 subdomain", name=name)


@pytest.mark.parametrize("text, seconds", [
    ("1s", 1), ("0.5s", 0.5), ("100ms", 0.1), ("1m30s", 90), ("1h", 3600), ("2.5h", 9000), ("1500us", 0.0015),
    (".5s", 0.5), ("0", 0),
])
def test_parse_duration(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "s", "1", "1 s", "1d", "1.s.", "one second", "1s2"])
def test_parse_duration_refuses(text):
    with pytest.raises(ValueError):
        parse_duration(text)
