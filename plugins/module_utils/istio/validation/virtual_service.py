# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""istiod's admission rules for a VirtualService (istio's validateVirtualService and virtualservice.go), and
the unreachable-rule analysis (IST0130/IST0131) route_check reports too."""

from __future__ import annotations

import json
import re
from http import HTTPStatus
from typing import Iterator, Optional

from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import InvalidOption
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.hosts import host_covers, hosts_overlap
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.common import (
    HEADER_NAME,
    STRING_MATCH_KINDS,
    Findings,
    check_at_most_one,
    check_duration,
    check_export_to,
    check_header_operations,
    check_labels,
    check_name_and_namespace,
    check_percentage,
    check_port_number,
    check_regex,
    check_string_match,
    fail,
    fqdn_error,
    indexed,
    is_ip_address,
    is_ip_subnet,
    is_istio_label,
    key_path,
    option_name,
    wildcard_domain_error,
)

_MESH_GATEWAY = "mesh"

_RETRY_ON_POLICIES = frozenset((
    "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "retriable-4xx",
    "refused-stream", "retriable-status-codes", "retriable-headers", "envoy-ratelimited",
    "http3-post-connect-failure", "cancelled", "deadline-exceeded", "internal", "resource-exhausted",
    "unavailable",
))

_GRPC_STATUS_NAMES = frozenset((
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
    "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
    "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
))

_CORS_METHODS = frozenset(("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE", "*"))

_DEFAULT_METHOD_MATCH = "exact:GET"

_MAX_DIRECT_RESPONSE_BODY = 1024 * 1024

_LARGE_DIRECT_RESPONSE_BODY = 100 * 1024

_PSEUDO_HEADERS = frozenset((":method", ":scheme", ":authority", ":path", ":status"))

_JWT_CLAIM_PREFIX = "@request.auth.claims"


def validate_virtual_service(name: str, namespace: str | None, spec: dict) -> list[InvalidOption]:
    """Every VirtualService setting istiod (or the API server) would refuse (raised as one InvalidSpec);
    returns istiod's warnings."""
    findings = Findings()
    check_name_and_namespace(findings, "VirtualService", name, namespace)
    hosts = spec.get("hosts") or []
    gateways = spec.get("gateways") or []
    is_delegate = not hosts
    if is_delegate:
        for key in ("gateways", "tls", "tcp"):
            if spec.get(key):
                findings.error(key, "a VirtualService without hosts is a delegate and cannot have %s; set hosts" % key)
    for path, gateway in indexed(gateways, "gateways"):
        if "/" not in gateway and "." in gateway:
            findings.warn(path, "legacy gateway name format %r; prefer <namespace>/<name>: %r"
                          % (gateway, "%s/%s" % tuple(gateway.split(".")[1::-1])))
        findings.check(_check_gateway_reference, path, gateway)
    applies_to_gateway = bool(gateways) and _MESH_GATEWAY not in gateways
    has_sni_hosts = any(match.get("sniHosts") for route in spec.get("tls") or [] for match in route.get("match") or [])
    errors_before = len(findings.errors)
    for path, host in indexed(hosts, "hosts"):
        findings.check(_check_virtual_service_host, path, host, applies_to_gateway, has_sni_hosts)
    if len(findings.errors) == errors_before:
        findings.check(_check_duplicate_hosts, hosts)
    if not (spec.get("http") or spec.get("tcp") or spec.get("tls")):
        findings.error("http", "at least one of http, tcp or tls routes must be given")
    for path, route in indexed(spec.get("http"), "http"):
        _check_http_route(findings, path, route, is_delegate, applies_to_gateway)
    for path, route in indexed(spec.get("tls"), "tls"):
        _check_tls_route(findings, path, route, hosts, applies_to_gateway)
    for path, route in indexed(spec.get("tcp"), "tcp"):
        findings.check(_check_tcp_route, path, route)
    findings.check(check_export_to, "exportTo", spec.get("exportTo"), namespace, "VirtualService")
    for option in ("http", "tcp", "tls"):
        for _code, rule_index, match_index, message in unreachable_rules(option, spec.get(option) or []):
            match_path = "" if match_index is None else ".match[%d]" % match_index
            findings.warn("%s[%d]%s" % (option, rule_index, match_path), message)
    return findings.result()


def unreachable_rules(protocol: str, rules: list) -> Iterator[tuple[str, int, Optional[int], str]]:
    """istio's analyzeUnreachable*Rules: (istioctl code, rule index, match index or None, message) for each
    unreachable rule (IST0130) or ineffective match (IST0131)."""
    seen: dict = {}
    catch_all_seen = False
    prefix_matches = []
    for rule_index, rule in enumerate(rules):
        matches = rule.get("match") or []
        if not matches:
            if catch_all_seen:
                yield "IST0130", rule_index, None, _unused(rule, rule_index, "only the last rule can have no matches")
            catch_all_seen = True
            continue
        duplicates = 0
        for match_index, match in enumerate(matches):
            if catch_all_seen:
                yield "IST0130", rule_index, None, _unused(rule, rule_index, "route without matches defined before")
                continue
            key = _match_key(match, protocol)
            if key in seen:
                duplicates += 1
                yield "IST0131", rule_index, match_index, _ineffective(
                    rule, rule_index, _request_name(match, match_index), _rule_name(rules[seen[key]], seen[key])
                )
                continue
            seen[key] = rule_index
            if protocol == "http" and ((match or {}).get("uri") or {}).get("prefix"):
                prefix_matches.append((rule_index, match_index, _prefix_match(match)))
        if duplicates == len(matches):
            yield "IST0130", rule_index, None, _unused(rule, rule_index, "all matches used by prior rules")
    for position, (rule_index, match_index, earlier) in enumerate(prefix_matches):
        for later_rule, later_match, later in prefix_matches[position + 1:]:
            if later["prefix"] != earlier["prefix"] and _prefix_covers(earlier, later):
                yield "IST0131", later_rule, later_match, _ineffective(
                    rules[later_rule], later_rule,
                    "%s of prefix %s" % (_request_name(rules[later_rule]["match"][later_match], later_match), later["prefix"]),
                    "%s of prefix %s on %s" % (
                        _request_name(rules[rule_index]["match"][match_index], match_index), earlier["prefix"],
                        _rule_name(rules[rule_index], rule_index),
                    ),
                )


def _match_key(match: dict, protocol: str) -> str:
    """What a match routes on, comparable between rules (an HTTP match's name does not count)."""
    if protocol == "http" and match:
        match = {key: value for key, value in match.items() if key != "name"}
    return json.dumps(match, sort_keys=True)


def _string_match_text(string_match: Optional[dict]) -> str:
    string_match = string_match or {}
    if string_match.get("exact"):
        return "exact:" + string_match["exact"]
    if string_match.get("prefix"):
        return "prefix:" + string_match["prefix"]
    return ""


def _prefix_match(match: dict) -> dict:
    """The parts of a URI-prefix match that decide whether an earlier one covers it (istio's
    OverlappingMatchValidationForHTTPRoute); no method means GET."""
    return {
        "prefix": match["uri"]["prefix"],
        "port": match.get("port") or 0,
        "method": _string_match_text(match.get("method")) or _DEFAULT_METHOD_MATCH,
        "authority": _string_match_text(match.get("authority")),
        "maps": [
            {key: _string_match_text(value) for key, value in (match.get(name) or {}).items()}
            for name in ("headers", "queryParams", "withoutHeaders")
        ],
    }


def _prefix_covers(earlier: dict, later: dict) -> bool:
    """istio's coveredValidation: the earlier prefix match takes every request the later one would."""

    def covers(first: str, second: str) -> bool:
        return first == second or first.startswith(second)

    return (
        later["prefix"].startswith(earlier["prefix"])
        and later["port"] == earlier["port"]
        and covers(earlier["method"], later["method"])
        and covers(earlier["authority"], later["authority"])
        and all(
            len(mine) == len(theirs) and all(key in theirs and covers(value, theirs[key]) for key, value in mine.items())
            for mine, theirs in zip(earlier["maps"], later["maps"])
        )
    )


def _rule_name(rule: dict, index: int) -> str:
    return '"%s"' % rule["name"] if rule.get("name") else "#%d" % index


def _request_name(match: Optional[dict], index: int) -> str:
    return '"%s"' % match["name"] if match and match.get("name") else "#%d" % index


def _unused(rule: dict, index: int, reason: str) -> str:
    return "VirtualService rule %s not used (%s)." % (_rule_name(rule, index), reason)


def _ineffective(rule: dict, index: int, match_name: str, other: str) -> str:
    return "VirtualService rule %s match %s is not used (duplicate/overlapping match in rule %s)." % (
        _rule_name(rule, index), match_name, other
    )


def regex_fields(spec: dict) -> Iterator[tuple[str, str]]:
    """(camelCase field path, pattern) of every regex of a VirtualService spec that Envoy compiles with RE2."""
    for route_path, route in indexed(spec.get("http"), "http"):
        for match_path, match in indexed(route.get("match"), route_path + ".match"):
            for key in ("uri", "scheme", "method", "authority"):
                yield from _regex_of("%s.%s" % (match_path, key), ((match or {}).get(key)))
            for key in ("headers", "withoutHeaders", "queryParams"):
                for name, string_match in ((match or {}).get(key) or {}).items():
                    if not (key == "withoutHeaders" and (string_match or {}).get("regex") == "*"):
                        yield from _regex_of(key_path("%s.%s" % (match_path, key), name), string_match)
        regex_rewrite = (route.get("rewrite") or {}).get("uriRegexRewrite") or {}
        if isinstance(regex_rewrite.get("match"), str):
            yield route_path + ".rewrite.uriRegexRewrite.match", regex_rewrite["match"]
        for origin_path, origin in indexed((route.get("corsPolicy") or {}).get("allowOrigins"), route_path + ".corsPolicy.allowOrigins"):
            yield from _regex_of(origin_path, origin)


def _regex_of(path: str, string_match: dict | None) -> Iterator[tuple[str, str]]:
    regex = (string_match or {}).get("regex")
    if isinstance(regex, str):
        yield path + ".regex", regex


def _check_gateway_reference(path: str, gateway: str) -> None:
    """``mesh``, ``<name>`` (the VirtualService's namespace) or ``<namespace>/<name>``."""
    namespace, slash, name = gateway.partition("/")
    if not slash:
        error = fqdn_error(gateway)
        if error:
            fail(path, "invalid gateway reference %r: use mesh, <name> or <namespace>/<name> (%s)" % (gateway, error))
        return
    if not namespace or not name:
        fail(path, "namespace and name in gateway reference %r cannot be empty" % gateway)
    if not is_istio_label(namespace):
        fail(path, "invalid namespace %r in gateway reference %r" % (namespace, gateway))
    if not is_istio_label(name):
        fail(path, "invalid gateway name %r in gateway reference %r" % (name, gateway))


def _check_virtual_service_host(path: str, host: str, applies_to_gateway: bool, has_sni_hosts: bool) -> None:
    if applies_to_gateway and has_sni_hosts and host.startswith("outbound_"):
        error = _auto_sni_host_error(host)
    else:
        error = wildcard_domain_error(host)
    if error:
        if not is_ip_address(host):
            fail(path, error)
    elif host == "*" and not applies_to_gateway:
        fail(path, "wildcard host '*' is not allowed for a VirtualService bound to the mesh gateway "
                   "(gateways empty or containing 'mesh'); name the hosts or bind it to a gateway only")


def _auto_sni_host_error(host: str) -> str | None:
    """Hosts of the form ``outbound_.<port>_._.<hostname>`` (AUTO_PASSTHROUGH SNI)."""
    parts = host.split("_")
    if len(parts) < 4 or parts[0] != "outbound" or not re.search(r"[0-9]", parts[1].strip(".")) \
            or not re.search(r"[a-zA-Z]", parts[3].strip(".")):
        return "domain name %r invalid, expected outbound_.<PORT>_._.<HOSTNAME>" % host
    return None


def _check_duplicate_hosts(hosts: list) -> None:
    for index, host in enumerate(hosts):
        for other_index in range(index + 1, len(hosts)):
            if hosts_overlap(host, hosts[other_index]):
                fail("hosts[%d]" % other_index, "duplicate host: %r overlaps hosts[%d] %r"
                     % (hosts[other_index], index, host))


def _check_http_route(findings: Findings, path: str, route: dict, is_delegate: bool, applies_to_gateway: bool) -> None:
    """Record the errors of one HTTP route, each part checked on its own."""
    findings.check(_check_http_route_actions, path, route, is_delegate)
    for match_path, match in indexed(route.get("match"), path + ".match"):
        if match is not None:  # istiod skips null matches
            _check_http_match(findings, match_path, match, applies_to_gateway)
    findings.check(check_header_operations, path + ".headers", route.get("headers"))
    findings.check(_check_cors_policy, path + ".corsPolicy", route.get("corsPolicy"))
    findings.check(_check_fault, path + ".fault", route.get("fault"))
    for key in ("mirrorPercent", "mirror_percent"):  # Istio's CRD has both spellings
        value = route.get(key)
        if value is not None and not 0 <= value <= 100:
            findings.error("%s.%s" % (path, key), "must be between 0 and 100 (got %r)" % (value,))
        if value is not None:
            findings.warn("%s.%s" % (path, key), "mirror_percent is deprecated, use mirror_percentage instead")
    findings.check(check_percentage, path + ".mirrorPercentage", route.get("mirrorPercentage"))
    if route.get("mirror") is not None:
        findings.check(_check_destination, path + ".mirror", route["mirror"])
    for mirror_path, mirror in indexed(route.get("mirrors"), path + ".mirrors"):
        findings.check(_check_mirror, mirror_path, mirror)
    findings.check(_check_redirect, path + ".redirect", route.get("redirect"))
    _check_direct_response(findings, path + ".directResponse", route.get("directResponse"))
    findings.check(_check_retries, path + ".retries", route.get("retries"))
    findings.check(_check_rewrite, path + ".rewrite", route.get("rewrite"))
    findings.check(_check_authority_set_once, path, route)
    findings.check(_check_route_destinations, path + ".route", route.get("route"), True)
    if route.get("timeout") is not None:
        findings.check(check_duration, path + ".timeout", route["timeout"])


def _check_mirror(path: str, mirror: dict) -> None:
    if not mirror.get("destination"):
        fail(path + ".destination", "destination is required")
    _check_destination(path + ".destination", mirror["destination"])
    check_percentage(path + ".percentage", mirror.get("percentage"))


def _check_http_route_actions(path: str, route: dict, is_delegate: bool) -> None:
    """istio's validateHTTPRouteConflict: what a route does must be unambiguous."""
    has_route = bool(route.get("route"))
    redirect, direct_response = route.get("redirect"), route.get("directResponse")
    if route.get("delegate") is not None:
        if is_delegate:
            fail(path + ".delegate", "a delegate VirtualService (no hosts) cannot delegate again")
        for key in ("redirect", "route"):
            if route.get(key) is not None:
                fail("%s.%s" % (path, key), "a route with delegate must not also set %s" % key)
        return
    if redirect is not None:
        conflicts = [("route", has_route), ("fault", route.get("fault") is not None),
                     ("rewrite", route.get("rewrite") is not None),
                     ("directResponse", direct_response is not None)]
        for key, present in conflicts:
            if present:
                fail("%s.%s" % (path, key), "cannot be combined with redirect")
    elif direct_response is not None:
        conflicts = [("route", has_route), ("fault", route.get("fault") is not None),
                     ("rewrite", route.get("rewrite") is not None)]
        for key, present in conflicts:
            if present:
                fail("%s.%s" % (path, key), "cannot be combined with direct_response")
    elif not has_route:
        fail(path, "one of route, redirect, direct_response or delegate is required")
    if route.get("mirror") is not None and route.get("mirrors"):
        fail(path + ".mirrors", "cannot be combined with mirror; use mirrors only")


def _check_http_match(findings: Findings, path: str, match: dict, applies_to_gateway: bool) -> None:
    for key in ("headers", "withoutHeaders"):
        for header, string_match in (match.get(key) or {}).items():
            findings.check(_check_header_match, key_path("%s.%s" % (path, key), header), header, string_match,
                           applies_to_gateway, key == "withoutHeaders")
    findings.check(check_string_match, path + ".uri", match.get("uri"), False, True)
    for key in ("scheme", "method", "authority"):
        findings.check(check_string_match, "%s.%s" % (path, key), match.get(key))
    for param, string_match in (match.get("queryParams") or {}).items():
        findings.check(check_string_match, key_path(path + ".queryParams", param), string_match, True)
    findings.check(_check_match_source, path, match)


def _check_header_match(path: str, header: str, string_match: dict | None, applies_to_gateway: bool,
                        without: bool) -> None:
    _check_match_header_name(path, header)
    if string_match is None and not without:
        fail(path, "header match cannot be null; use {} to match any value")
    if header.startswith(_JWT_CLAIM_PREFIX) and not applies_to_gateway:
        fail(path, "JWT claim based routing is only supported for VirtualServices bound to a gateway (not mesh)")
    # In without_headers, regex "*" is not RE2 but means "header present" (istiod).
    if not (without and (string_match or {}).get("regex") == "*"):
        check_string_match(path, string_match, allow_empty=True)


def _check_match_source(path: str, match: dict) -> None:
    """The fields HTTP, TLS and TCP matches share: port, source labels, gateways and source namespace."""
    if match.get("port"):
        check_port_number(path + ".port", match["port"])
    check_labels(path + ".sourceLabels", match.get("sourceLabels"))
    for gateway_path, gateway in indexed(match.get("gateways"), path + ".gateways"):
        _check_gateway_reference(gateway_path, gateway)
    if match.get("sourceNamespace") and not is_istio_label(match["sourceNamespace"]):
        fail(path + ".sourceNamespace", "invalid namespace %r" % match["sourceNamespace"])


def _check_match_header_name(path: str, name: str) -> None:
    if not name:
        fail(path, "header name cannot be empty")
    if not (name.startswith(_JWT_CLAIM_PREFIX) or name in _PSEUDO_HEADERS or HEADER_NAME.match(name)):
        fail(path, "%r is not a valid header name" % name)


def _check_authority_set_once(path: str, route: dict) -> None:
    """Authority may be rewritten in one place only: rewrite.authority or one request header set/add."""
    request = (route.get("headers") or {}).get("request") or {}
    sources = [path + ".rewrite.authority"] if (route.get("rewrite") or {}).get("authority") else []
    for operation in ("set", "add"):
        for name in request.get(operation) or {}:
            if name.lower() in (":authority", "host"):
                sources.append(key_path("%s.headers.request.%s" % (path, operation), name))
    if len(sources) > 1:
        fail(sources[1], "authority is already set by %s; set it in one place only" % sources[0])


def _check_cors_policy(path: str, policy: dict | None) -> None:
    if policy is None:
        return
    for origin_path, origin in indexed(policy.get("allowOrigins"), path + ".allowOrigins"):
        present = check_at_most_one(origin_path, origin, STRING_MATCH_KINDS)
        if not present or not origin[present[0]]:
            fail(origin_path, "set one non-empty exact, prefix or regex")
        if present[0] == "regex":
            check_regex(origin_path + ".regex", origin["regex"])
    for method_path, method in indexed(policy.get("allowMethods"), path + ".allowMethods"):
        if method not in _CORS_METHODS:
            fail(method_path, "%r is not a supported HTTP method" % (method,))
    for key in ("allowHeaders", "exposeHeaders"):
        for header_path, header in indexed(policy.get(key), "%s.%s" % (path, key)):
            if header != "*" and not HEADER_NAME.match(header or ""):
                fail(header_path, "%r is not a valid header name" % (header,))
    if policy.get("maxAge") is not None:
        seconds = check_duration(path + ".maxAge", policy["maxAge"])
        if seconds != int(seconds):
            fail(path + ".maxAge", "max_age is accurate only to seconds precision")
    if policy.get("unmatchedPreflights") not in (None, "UNSPECIFIED", "FORWARD", "IGNORE"):
        fail(path + ".unmatchedPreflights", "expected one of UNSPECIFIED, FORWARD, IGNORE")


def _check_fault(path: str, fault: dict | None) -> None:
    if fault is None:
        return
    abort, delay = fault.get("abort"), fault.get("delay")
    if abort is None and delay is None:
        fail(path, "fault injection needs an abort and/or a delay")
    if abort is not None:
        check_percentage(path + ".abort.percentage", abort.get("percentage"))
        present = check_at_most_one(path + ".abort", abort, ("httpStatus", "grpcStatus", "http2Error"))
        if abort.get("httpStatus") is not None:
            _check_http_status(path + ".abort.httpStatus", abort["httpStatus"])
        if abort.get("grpcStatus") is not None and abort["grpcStatus"] not in _GRPC_STATUS_NAMES:
            fail(path + ".abort.grpcStatus", "gRPC status %r is not supported, use a name such as NOT_FOUND or "
                                             "UNAVAILABLE" % (abort["grpcStatus"],))
        if "http2Error" in present:
            fail(path + ".abort.http2Error", "HTTP/2 abort fault injection is not supported yet")
    if delay is not None:
        check_percentage(path + ".delay.percentage", delay.get("percentage"))
        if delay.get("percent") is not None and not 0 <= delay["percent"] <= 100:
            fail(path + ".delay.percent", "percentage %r is not in range 0..100" % (delay["percent"],))
        check_at_most_one(path + ".delay", delay, ("fixedDelay", "exponentialDelay"))
        if delay.get("fixedDelay") is not None:
            check_duration(path + ".delay.fixedDelay", delay["fixedDelay"])
        if delay.get("exponentialDelay") is not None:
            fail(path + ".delay.exponentialDelay", "exponential_delay is not supported yet; use fixed_delay")


def _check_http_status(path: str, status: object) -> None:
    if isinstance(status, bool) or not isinstance(status, int) or not 200 <= status <= 600:
        fail(path, "HTTP status %r is not in range 200-600" % (status,))


def _check_destination(path: str, destination: dict) -> None:
    if not destination or not destination.get("host"):
        fail(path + ".host", "a destination needs a host")
    host = destination["host"]
    if host == "*":
        fail(path + ".host", "invalid destination host '*'")
    error = wildcard_domain_error(host)
    if error:
        fail(path + ".host", error)
    subset = destination.get("subset")
    if subset is not None and not is_istio_label(subset):
        fail(path + ".subset", "invalid subset name %r: must be a DNS-1123 label" % subset)
    if destination.get("port") is not None:
        check_port_number(path + ".port.number", destination["port"].get("number"))


def _check_route_destinations(path: str, routes: list | None, http: bool) -> None:
    total_weight = 0
    for route_path, route in indexed(routes, path):
        if not route.get("destination"):
            fail(route_path + ".destination", "destination is required")
        _check_destination(route_path + ".destination", route["destination"])
        if http:
            check_header_operations(route_path + ".headers", route.get("headers"))
        weight = route.get("weight", 0)
        if isinstance(weight, bool) or not isinstance(weight, int) or weight < 0:
            fail(route_path + ".weight", "weight must be a non-negative integer (got %r)" % (weight,))
        total_weight += weight
    if routes and len(routes) > 1 and total_weight == 0:
        fail(path, "the destination weights add up to 0; give at least one destination a positive weight")


def _check_redirect(path: str, redirect: dict | None) -> None:
    if redirect is None:
        return
    present = check_at_most_one(path, redirect, ("port", "derivePort"))
    if not (redirect.get("uri") or redirect.get("authority") or redirect.get("scheme") or present):
        fail(path, "a redirect must set uri, authority, scheme, port or derive_port")
    code = redirect.get("redirectCode")
    if code and not 300 <= code <= 399:
        fail(path + ".redirectCode", "%r is not a valid redirect code, must be 3xx" % (code,))
    if redirect.get("scheme") and redirect["scheme"] not in ("http", "https"):
        fail(path + ".scheme", "invalid redirect scheme %r, must be http or https" % redirect["scheme"])
    if redirect.get("port"):
        check_port_number(path + ".port", redirect["port"])
    if redirect.get("derivePort") not in (None, "FROM_PROTOCOL_DEFAULT", "FROM_REQUEST_PORT"):
        fail(path + ".derivePort", "expected FROM_PROTOCOL_DEFAULT or FROM_REQUEST_PORT")


def _check_direct_response(findings: Findings, path: str, direct_response: dict | None) -> None:
    if direct_response is None:
        return
    if direct_response.get("status") is None:
        findings.error(path + ".status", "status is required")
    else:
        findings.check(_check_http_status, path + ".status", direct_response["status"])
    body = direct_response.get("body") or {}
    present = findings.check(check_at_most_one, path + ".body", body, ("string", "bytes"))
    if not present:
        return
    value = body[present[0]] or ""
    # bytes are base64 in the spec; istiod measures the decoded body
    size = len(value) * 3 // 4 - value.count("=") if present[0] == "bytes" else len(value.encode("utf-8"))
    if size > _MAX_DIRECT_RESPONSE_BODY:
        findings.error("%s.body.%s" % (path, present[0]), "a direct response body must be less than 1MB")
    elif size > _LARGE_DIRECT_RESPONSE_BODY:
        findings.warn("%s.body.%s" % (path, present[0]), "large direct responses (over 100KB) may impact control plane "
                      "performance")


def _check_retries(path: str, retries: dict | None) -> None:
    if retries is None:
        return
    attempts = retries.get("attempts", 0)
    if attempts < 0:
        fail(path + ".attempts", "attempts cannot be negative")
    if attempts == 0:
        for key in ("perTryTimeout", "retryOn", "retryRemoteLocalities"):
            if retries.get(key) not in (None, ""):
                fail("%s.%s" % (path, key), "retries are disabled (attempts is 0); set attempts or remove %s"
                     % option_name(key))
    for key in ("perTryTimeout", "backoff"):
        if retries.get(key) is not None:
            check_duration("%s.%s" % (path, key), retries[key])
    for policy in (retries.get("retryOn") or "").split(",") if retries.get("retryOn") else []:
        if policy not in _RETRY_ON_POLICIES and not _is_http_status_code(policy):
            fail(path + ".retryOn", "%r is not a valid retry_on policy" % policy)


def _is_http_status_code(text: str) -> bool:
    try:
        HTTPStatus(int(text))
    except ValueError:
        return False
    return True


def _check_rewrite(path: str, rewrite: dict | None) -> None:
    if rewrite is None:
        return
    regex_rewrite = rewrite.get("uriRegexRewrite")
    if rewrite.get("uri") and regex_rewrite is not None:
        fail(path, "set only one of uri or uri_regex_rewrite")
    if not (rewrite.get("uri") or regex_rewrite is not None or rewrite.get("authority")):
        fail(path, "a rewrite must set uri, uri_regex_rewrite or authority")
    if regex_rewrite is not None:
        if not regex_rewrite.get("match") or not regex_rewrite.get("rewrite"):
            fail(path + ".uriRegexRewrite", "both match and rewrite are required")
        check_regex(path + ".uriRegexRewrite.match", regex_rewrite["match"])


def _check_tls_route(findings: Findings, path: str, route: dict, hosts: list, applies_to_gateway: bool) -> None:
    matches = route.get("match") or []
    if not matches:
        findings.error(path + ".match", "a TLS route needs at least one match")
    for match_path, match in indexed(matches, path + ".match"):
        sni_hosts = match.get("sniHosts") or []
        if not sni_hosts:
            findings.error(match_path + ".sniHosts", "a TLS match needs at least one SNI host")
        for sni_path, sni_host in indexed(sni_hosts, match_path + ".sniHosts"):
            _check_sni_host(findings, sni_path, sni_host, hosts, applies_to_gateway)
        findings.check(_check_l4_match, match_path, match)
    if not route.get("route"):
        findings.error(path + ".route", "a TLS route needs at least one destination")
    else:
        findings.check(_check_route_destinations, path + ".route", route["route"], False)


def _check_sni_host(findings: Findings, path: str, sni_host: str, hosts: list, applies_to_gateway: bool) -> None:
    if applies_to_gateway and sni_host.startswith("outbound_"):
        error = _auto_sni_host_error(sni_host)
    else:
        error = wildcard_domain_error(sni_host)
    if error and is_ip_address(sni_host):
        findings.warn(path, "using an IP address (%r) goes against the SNI spec and most clients do not support "
                            "this" % sni_host)
    elif error:
        findings.error(path, error)
    elif not any(host_covers(host, sni_host) for host in hosts):
        findings.error(path, "SNI host %r is not covered by any of the VirtualService hosts %s" % (sni_host, hosts))


def _check_tcp_route(path: str, route: dict) -> None:
    for match_path, match in indexed(route.get("match"), path + ".match"):
        _check_l4_match(match_path, match)
    if not route.get("route"):
        fail(path + ".route", "a TCP route needs at least one destination")
    _check_route_destinations(path + ".route", route["route"], http=False)


def _check_l4_match(path: str, match: dict) -> None:
    for subnet_path, subnet in indexed(match.get("destinationSubnets"), path + ".destinationSubnets"):
        if not is_ip_subnet(subnet):
            fail(subnet_path, "%r is not a valid IP address or CIDR block" % subnet)
    if match.get("sourceSubnet") and not is_ip_subnet(match["sourceSubnet"]):
        fail(path + ".sourceSubnet", "%r is not a valid IP address or CIDR block" % match["sourceSubnet"])
    _check_match_source(path, match)
