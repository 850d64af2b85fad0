# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the Gateway API v1.5.1 CRDs (schema limits, patterns and CEL ``x-kubernetes-validations``) and the Gateway
API specification refuse, checked before any request: one validator per kind.

Pure functions on camelCase specs as sent (the CRD's defaults already filled in by the options); errors name the
API field path (``rules[0].matches[1].path.value``), which the engine shows as the option path; messages are the
CRD rules' own. Every error of a task is collected (``InvalidSpec``), as for the Istio kinds. Regular expressions
are compiled with RE2, the engine Istio's Envoy matches them with.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Callable, Iterable, Optional

from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.common import (
    Findings,
    check_regex,
    indexed,
    key_path,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import InvalidOption

# The CRDs' patterns; \Z, not $: Go's $ does not match before a trailing newline, Python's does.
HOSTNAME = re.compile(r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")
PRECISE_HOSTNAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")
SECTION_NAME = PRECISE_HOSTNAME  # listener names, sectionName, rule names: DNS subdomains
NAMESPACE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")
GROUP = re.compile(r"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")
KIND = re.compile(r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?\Z")
PROTOCOL = re.compile(r"^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?\Z|[a-z0-9]([-a-z0-9]*[a-z0-9])?"
                      r"(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/[A-Za-z0-9]+\Z")
ADDRESS_TYPE = re.compile(r"^Hostname|IPAddress|NamedAddress|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*"
                          r"[a-z0-9])?)*/[A-Za-z0-9/\-._~%!$&'()*+,;=:]+\Z")
HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+\-.^_`|~]+\Z")
LABEL_KEY = re.compile(r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
                       r"([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]\Z")
LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\Z")
PATH_CHARACTERS = re.compile(r"^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+\Z")
ORIGIN = re.compile(r"(^\*\Z)|(^(http(s)?)://(((\*\.)?([a-zA-Z0-9\-]+\.)*[a-zA-Z0-9-]+|\*)(:([0-9]{1,5}))?)\Z)")
TIMEOUT = re.compile(r"^([0-9]{1,5}(h|m|s|ms)){1,4}\Z")
_TIMEOUT_PART = re.compile(r"([0-9]{1,5})(h|ms|m|s)")
_UNIT_MILLISECONDS = {"h": 3600000, "m": 60000, "s": 1000, "ms": 1}

# Limits of the CRDs (maxItems): listeners 64, addresses 16, route kinds 8, certificate refs 64, parentRefs 32,
# hostnames 16, rules 16, matches 64 per rule and 128 per route, filters 16, backendRefs 16, header changes 16.
MAX_LISTENERS, MAX_ADDRESSES, MAX_ROUTE_KINDS, MAX_CERTIFICATE_REFS = 64, 16, 8, 64
MAX_PARENT_REFS, MAX_HOSTNAMES, MAX_RULES, MAX_RULE_MATCHES, MAX_ROUTE_MATCHES = 32, 16, 16, 64, 128
MAX_FILTERS, MAX_BACKEND_REFS, MAX_HEADER_CHANGES, MAX_WEIGHT = 16, 16, 16, 1000000
NO_TLS_PROTOCOLS, NO_HOSTNAME_PROTOCOLS = ("HTTP", "TCP", "UDP"), ("TCP", "UDP")
UNIQUE_FILTER_TYPES = ("CORS", "RequestHeaderModifier", "ResponseHeaderModifier", "RequestRedirect", "URLRewrite")
# filter type -> the field holding its configuration
FILTER_FIELDS = {"RequestHeaderModifier": "requestHeaderModifier", "ResponseHeaderModifier": "responseHeaderModifier",
                 "RequestMirror": "requestMirror", "RequestRedirect": "requestRedirect", "URLRewrite": "urlRewrite",
                 "ExtensionRef": "extensionRef", "CORS": "cors"}
HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH")
PATH_MODIFIER_FIELDS = {"ReplaceFullPath": "replaceFullPath", "ReplacePrefixMatch": "replacePrefixMatch"}


# --- shared checks ------------------------------------------------------------------------------------------------

def check_pattern(findings: Findings, path: str, value: object, pattern: re.Pattern, what: str,
                  max_length: int = 253) -> None:
    """A string field with the CRD's ``pattern`` (which refuses an empty string unless the CRD allows it) and
    ``maxLength``."""
    if value is None:
        return
    if not isinstance(value, str):
        findings.error(path, "must be a string, got %r" % (value,))
    elif len(value) > max_length:
        findings.error(path, "must be at most %d characters, got %d" % (max_length, len(value)))
    elif not pattern.match(value):
        findings.error(path, "%r is not a valid %s" % (value, what))


def check_max_items(findings: Findings, path: str, values: Optional[list], limit: int) -> None:
    if values and len(values) > limit:
        findings.error(path, "must have at most %d items, got %d" % (limit, len(values)))


def check_port(findings: Findings, path: str, port: object) -> None:
    if port is not None and not (isinstance(port, int) and 1 <= port <= 65535):
        findings.error(path, "port must be between 1 and 65535, got %r" % (port,))


def check_object_ref(findings: Findings, path: str, ref: dict) -> None:
    """group, kind, name and namespace of a reference (certificateRefs, backendRefs, parentRefs...)."""
    check_pattern(findings, path + ".group", ref.get("group"), GROUP, "API group (a DNS subdomain or empty)")
    check_pattern(findings, path + ".kind", ref.get("kind"), KIND, "kind", 63)
    check_pattern(findings, path + ".name", ref.get("name"), re.compile(r".+", re.S), "name")
    check_pattern(findings, path + ".namespace", ref.get("namespace"), NAMESPACE, "namespace (a DNS label)", 63)


def duplicates(values: Iterable) -> list:
    """The values that occur more than once, in order of their second occurrence."""
    seen, found = [], []
    for value in values:
        if value in seen and value not in found:
            found.append(value)
        seen.append(value)
    return found


def check_unique_keys(findings: Findings, path: str, items: Optional[list], key: str, what: str) -> None:
    """A ``x-kubernetes-list-type: map`` list: its ``key`` is unique."""
    for value in duplicates(item.get(key) for item in items or []):
        findings.error(path, "%s %r is given more than once; %s must be unique" % (what, value, what))


def check_string_map(findings: Findings, path: str, values: Optional[dict], what: str,
                     value_error: Callable[[str], Optional[str]]) -> None:
    """Gateway infrastructure labels or annotations: at most 8, qualified-name keys."""
    if not values:
        return
    if len(values) > 8:
        findings.error(path, "must have at most 8 %s, got %d" % (what, len(values)))
    for key, value in values.items():
        if not LABEL_KEY.match(str(key)) or len(str(key).split("/", maxsplit=1)[0]) >= 253:
            findings.error(key_path(path, key), "%s keys must be in the form of an optional DNS subdomain prefix "
                                                "followed by a required name segment of up to 63 characters" % what)
        error = value_error(value)
        if error:
            findings.error(key_path(path, key), error)


def _label_value_error(value: object) -> Optional[str]:
    if not isinstance(value, str) or len(value) > 63 or not LABEL_VALUE.match(value):
        return "%r is not a valid label value (at most 63 alphanumerics, '-', '_' or '.')" % (value,)
    return None


def _annotation_value_error(value: object) -> Optional[str]:
    if not isinstance(value, str) or len(value) > 4096:
        return "annotation values are strings of at most 4096 characters"
    return None


def check_label_selector(findings: Findings, path: str, selector: Optional[dict]) -> None:
    for expression_path, expression in indexed((selector or {}).get("matchExpressions"), path + ".matchExpressions"):
        operator, values = expression.get("operator"), expression.get("values") or []
        if operator not in ("In", "NotIn", "Exists", "DoesNotExist"):
            findings.error(expression_path + ".operator", "%r is not a valid selector operator, use In, NotIn, "
                                                          "Exists or DoesNotExist" % (operator,))
        elif (operator in ("In", "NotIn")) != bool(values):
            findings.error(expression_path + ".values", "must be non-empty for In and NotIn and empty for Exists "
                                                        "and DoesNotExist")


# --- Gateway ------------------------------------------------------------------------------------------------------

def validate_gateway(name: str, namespace: Optional[str], spec: dict) -> list[InvalidOption]:
    """Every Gateway setting the API server would refuse (raised as one InvalidSpec); no warnings."""
    findings = Findings()
    check_pattern(findings, "gatewayClassName", spec.get("gatewayClassName") or "", re.compile(r".+", re.S),
                  "GatewayClass name")
    listeners = spec.get("listeners") or []
    if not listeners:
        findings.error("listeners", "a Gateway must have at least one listener")
    check_max_items(findings, "listeners", listeners, MAX_LISTENERS)
    for path, listener in indexed(listeners, "listeners"):
        check_listener(findings, path, listener)
    check_unique_keys(findings, "listeners", listeners, "name", "Listener name")
    check_listener_combinations(findings, listeners)
    check_addresses(findings, spec.get("addresses"))
    infrastructure = spec.get("infrastructure") or {}
    check_string_map(findings, "infrastructure.labels", infrastructure.get("labels"), "label", _label_value_error)
    check_string_map(findings, "infrastructure.annotations", infrastructure.get("annotations"), "annotation",
                     _annotation_value_error)
    allowed = (spec.get("allowedListeners") or {}).get("namespaces") or {}
    check_namespaces_from(findings, "allowedListeners.namespaces", allowed)
    per_port = ((spec.get("tls") or {}).get("frontend") or {}).get("perPort")
    check_unique_keys(findings, "tls.frontend.perPort", per_port, "port", "Port for TLS configuration")
    for path, setting in indexed(per_port, "tls.frontend.perPort"):
        check_port(findings, path + ".port", setting.get("port"))
    return findings.result()


def check_listener(findings: Findings, path: str, listener: dict) -> None:
    """One listener's fields and the CRD's per-protocol rules."""
    check_pattern(findings, path + ".name", listener.get("name"), SECTION_NAME, "listener name (a DNS subdomain)")
    check_pattern(findings, path + ".hostname", listener.get("hostname"), HOSTNAME,
                  "hostname (an RFC 1123 DNS name, optionally with a leading '*.')")
    check_port(findings, path + ".port", listener.get("port"))
    protocol = listener.get("protocol")
    check_pattern(findings, path + ".protocol", protocol, PROTOCOL, "protocol", 255)
    tls = listener.get("tls")
    if protocol in NO_TLS_PROTOCOLS and tls is not None:
        findings.error(path + ".tls", "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']")
    mode = None if tls is None else tls.get("mode", "Terminate")  # the CRD's default
    if protocol == "HTTPS" and mode not in (None, "", "Terminate"):
        findings.error(path + ".tls.mode", "tls mode must be Terminate for protocol HTTPS")
    if protocol == "TLS" and not mode:
        findings.error(path + ".tls", "tls mode must be set for protocol TLS")
    if protocol in NO_HOSTNAME_PROTOCOLS and listener.get("hostname"):
        findings.error(path + ".hostname", "hostname must not be specified for protocols ['TCP', 'UDP']")
    if tls is not None:
        check_listener_tls(findings, path + ".tls", tls)
    routes = listener.get("allowedRoutes") or {}
    check_max_items(findings, path + ".allowedRoutes.kinds", routes.get("kinds"), MAX_ROUTE_KINDS)
    for kind_path, kind in indexed(routes.get("kinds"), path + ".allowedRoutes.kinds"):
        check_object_ref(findings, kind_path, kind)
    check_namespaces_from(findings, path + ".allowedRoutes.namespaces", routes.get("namespaces") or {})


def check_listener_tls(findings: Findings, path: str, tls: dict) -> None:
    refs = tls.get("certificateRefs") or []
    if tls.get("mode", "Terminate") == "Terminate" and not refs and not tls.get("options"):
        findings.error(path, "certificateRefs or options must be specified when mode is Terminate")
    check_max_items(findings, path + ".certificateRefs", refs, MAX_CERTIFICATE_REFS)
    for ref_path, ref in indexed(refs, path + ".certificateRefs"):
        check_object_ref(findings, ref_path, ref)
    options = tls.get("options") or {}
    if len(options) > 16:
        findings.error(path + ".options", "must have at most 16 options, got %d" % len(options))


def check_namespaces_from(findings: Findings, path: str, namespaces: dict) -> None:
    """The Gateway API spec: a selector is what ``from: Selector`` selects with, and only it."""
    if namespaces.get("from") == "Selector" and not namespaces.get("selector"):
        findings.error(path + ".selector", "must be specified when from is Selector")
    check_label_selector(findings, path + ".selector", namespaces.get("selector"))


def check_listener_combinations(findings: Findings, listeners: list) -> None:
    """Combination of port, protocol and hostname must be unique for each listener."""
    for value in duplicates((item.get("port"), item.get("protocol"), item.get("hostname") or None) for item in listeners):
        findings.error("listeners", "Combination of port, protocol and hostname must be unique for each listener: "
                                    "port %s, protocol %s, hostname %s is used twice" % value)


def check_addresses(findings: Findings, addresses: Optional[list]) -> None:
    check_max_items(findings, "addresses", addresses, MAX_ADDRESSES)
    for path, address in indexed(addresses, "addresses"):
        kind, value = address.get("type", "IPAddress"), address.get("value")
        check_pattern(findings, path + ".type", kind, ADDRESS_TYPE, "address type")
        if kind == "Hostname" and value and not HOSTNAME.match(value):
            findings.error(path + ".value", "Hostname value must be empty or contain only valid characters "
                                            "(matching ^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]"
                                            "([-a-z0-9]*[a-z0-9])?)*$)")
        if kind == "IPAddress" and value and not _is_ip_address(value):
            findings.error(path + ".value", "%r is not an IPv4 or IPv6 address" % (value,))
    for kind in ("IPAddress", "Hostname"):
        values = [address.get("value") for address in addresses or [] if address.get("type") == kind and address.get("value")]
        for value in duplicates(values):
            findings.error("addresses", "%s values must be unique: %r is given twice" % (kind, value))


def _is_ip_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


# --- HTTPRoute ----------------------------------------------------------------------------------------------------

def validate_http_route(name: str, namespace: Optional[str], spec: dict) -> list[InvalidOption]:
    """Every HTTPRoute setting the API server would refuse (raised as one InvalidSpec); no warnings."""
    findings = Findings()
    parent_refs = spec.get("parentRefs") or []
    check_max_items(findings, "parentRefs", parent_refs, MAX_PARENT_REFS)
    for path, ref in indexed(parent_refs, "parentRefs"):
        check_object_ref(findings, path, ref)
        check_port(findings, path + ".port", ref.get("port"))
        check_pattern(findings, path + ".sectionName", ref.get("sectionName"), SECTION_NAME, "section name")
    check_parent_refs(findings, parent_refs)
    check_max_items(findings, "hostnames", spec.get("hostnames"), MAX_HOSTNAMES)
    for path, hostname in indexed(spec.get("hostnames"), "hostnames"):
        check_pattern(findings, path, hostname, HOSTNAME, "hostname (an RFC 1123 DNS name, optionally with a "
                                                          "leading '*.')")
    rules = spec.get("rules") or []
    check_max_items(findings, "rules", rules, MAX_RULES)
    if sum(len(rule.get("matches") or []) for rule in rules) > MAX_ROUTE_MATCHES:
        findings.error("rules", "While 16 rules and 64 matches per rule are allowed, the total number of matches "
                                "across all rules in a route must be less than 128")
    for path, rule in indexed(rules, "rules"):
        check_rule(findings, path, rule)
    return findings.result()


def _parent(ref: dict) -> tuple:
    return ref.get("group"), ref.get("kind"), ref.get("name"), ref.get("namespace") or ""


def check_parent_refs(findings: Findings, refs: list) -> None:
    """Two references to the same parent need a sectionName each, and different ones."""
    for index, ref in enumerate(refs):
        for earlier in refs[:index]:
            if _parent(ref) != _parent(earlier):
                continue
            if bool(ref.get("sectionName")) != bool(earlier.get("sectionName")):
                findings.error("parentRefs[%d].sectionName" % index, "sectionName must be specified when parentRefs "
                                                                     "includes 2 or more references to the same parent")
            elif (ref.get("sectionName") or "") == (earlier.get("sectionName") or ""):
                findings.error("parentRefs[%d].sectionName" % index, "sectionName must be unique when parentRefs "
                                                                     "includes 2 or more references to the same parent")


def check_rule(findings: Findings, path: str, rule: dict) -> None:
    check_pattern(findings, path + ".name", rule.get("name"), SECTION_NAME, "rule name (a DNS subdomain)")
    matches, filters, backend_refs = rule.get("matches") or [], rule.get("filters") or [], rule.get("backendRefs") or []
    check_max_items(findings, path + ".matches", matches, MAX_RULE_MATCHES)
    for match_path, match in indexed(matches, path + ".matches"):
        check_match(findings, match_path, match)
    check_filters(findings, path + ".filters", filters)
    if backend_refs and any(item.get("requestRedirect") is not None for item in filters):
        findings.error(path + ".filters", "RequestRedirect filter must not be used together with backendRefs")
    check_max_items(findings, path + ".backendRefs", backend_refs, MAX_BACKEND_REFS)
    for ref_path, ref in indexed(backend_refs, path + ".backendRefs"):
        check_backend_ref(findings, ref_path, ref)
        weight = ref.get("weight")
        if weight is not None and not (isinstance(weight, int) and 0 <= weight <= MAX_WEIGHT):
            findings.error(ref_path + ".weight", "weight must be between 0 and %d, got %r" % (MAX_WEIGHT, weight))
        check_filters(findings, ref_path + ".filters", ref.get("filters") or [])
    filter_lists = (("When", [filters]), ("Within backendRefs, when", [ref.get("filters") or [] for ref in backend_refs]))
    for where, lists in filter_lists:
        for field, name in (("requestRedirect", "RequestRedirect"), ("urlRewrite", "URLRewrite")):
            replaces = any(_replaces_prefix(item, field) for items in lists for item in items)
            if replaces and not _one_prefix_match(matches):
                findings.error(path + ".matches", "%s using %s filter with path.replacePrefixMatch, exactly one "
                                                  "PathPrefix match must be specified" % (where, name))
    check_timeouts(findings, path + ".timeouts", rule.get("timeouts") or {})


def _replaces_prefix(item: dict, field: str) -> bool:
    modifier = (item.get(field) or {}).get("path") or {}
    return modifier.get("type") == "ReplacePrefixMatch" and modifier.get("replacePrefixMatch") is not None


def _one_prefix_match(matches: list) -> bool:
    return len(matches) == 1 and (matches[0].get("path") or {}).get("type") == "PathPrefix"


def check_match(findings: Findings, path: str, match: dict) -> None:
    if match.get("method") is not None and match["method"] not in HTTP_METHODS:
        findings.error(path + ".method", "method must be one of %s, got %r" % (", ".join(HTTP_METHODS), match["method"]))
    path_match = match.get("path")
    if path_match is not None:
        check_path_match(findings, path + ".path", path_match.get("type"), path_match.get("value"))
    for field, max_length in (("headers", 4096), ("queryParams", 1024)):
        items = match.get(field) or []
        check_max_items(findings, path + "." + field, items, MAX_HEADER_CHANGES)
        check_unique_keys(findings, path + "." + field, items, "name", "name")
        for item_path, item in indexed(items, path + "." + field):
            check_pattern(findings, item_path + ".name", item.get("name"), HEADER_NAME, "header name", 256)
            check_pattern(findings, item_path + ".value", item.get("value"), re.compile(r".+", re.S), "value",
                          max_length)
            if item.get("type") == "RegularExpression" and item.get("value"):
                findings.check(check_regex, item_path + ".value", item["value"])


def check_path_match(findings: Findings, path: str, kind: Optional[str], value: Optional[str]) -> None:
    """The CRD's rules of a path match (``value`` absolute and normalized for Exact and PathPrefix)."""
    value = value or ""
    if len(value) > 1024:
        findings.error(path + ".value", "must be at most 1024 characters, got %d" % len(value))
    if kind == "RegularExpression":
        findings.check(check_regex, path + ".value", value)
        return
    for refused, message in path_value_errors(value):
        if refused:
            findings.error(path + ".value", "%s when type one of ['Exact', 'PathPrefix']" % message)


def path_value_errors(value: str) -> list:
    """(refused, message) of each CEL rule on an Exact or PathPrefix path value."""
    return [
        (not value.startswith("/"), "value must be an absolute path and start with '/'"),
        ("//" in value, "must not contain '//'"),
        ("/./" in value, "must not contain '/./'"),
        ("/../" in value, "must not contain '/../'"),
        ("%2f" in value, "must not contain '%2f'"),
        ("%2F" in value, "must not contain '%2F'"),
        ("#" in value, "must not contain '#'"),
        (value.endswith("/.."), "must not end with '/..'"),
        (value.endswith("/."), "must not end with '/.'"),
        (not PATH_CHARACTERS.match(value),
         "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$)"),
    ]


def check_backend_ref(findings: Findings, path: str, ref: dict) -> None:
    check_object_ref(findings, path, ref)
    check_port(findings, path + ".port", ref.get("port"))
    if not ref.get("group") and ref.get("kind") == "Service" and ref.get("port") is None:
        findings.error(path + ".port", "Must have port for Service reference")


def check_filters(findings: Findings, path: str, filters: list) -> None:
    """A filter list: limits, combinations, and each filter's type and configuration."""
    check_max_items(findings, path, filters, MAX_FILTERS)
    types = [item.get("type") for item in filters]
    if "RequestRedirect" in types and "URLRewrite" in types:
        findings.error(path, "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, "
                             "but not both")
    for kind in UNIQUE_FILTER_TYPES:
        if types.count(kind) > 1:
            findings.error(path, "%s filter cannot be repeated" % kind)
    for item_path, item in indexed(filters, path):
        check_filter(findings, item_path, item)


def check_filter(findings: Findings, path: str, item: dict) -> None:
    kind = item.get("type")
    for other, field in FILTER_FIELDS.items():
        if item.get(field) is not None and kind != other:
            findings.error("%s.%s" % (path, field), "filter.%s must be nil if the filter.type is not %s" % (field, other))
        elif item.get(field) is None and kind == other:
            findings.error(path + ".type", "filter.%s must be specified for %s filter.type" % (field, other))
    for field in ("requestHeaderModifier", "responseHeaderModifier"):
        if item.get(field) is not None:
            check_header_modifier(findings, "%s.%s" % (path, field), item[field])
    for field in ("requestRedirect", "urlRewrite"):
        config = item.get(field) or {}
        check_pattern(findings, "%s.%s.hostname" % (path, field), config.get("hostname"), PRECISE_HOSTNAME,
                      "hostname (an RFC 1123 DNS name)")
        if config.get("path") is not None:
            check_path_modifier(findings, "%s.%s.path" % (path, field), config["path"])
    check_port(findings, path + ".requestRedirect.port", (item.get("requestRedirect") or {}).get("port"))
    if item.get("requestMirror") is not None:
        check_request_mirror(findings, path + ".requestMirror", item["requestMirror"])
    if item.get("cors") is not None:
        check_cors(findings, path + ".cors", item["cors"])
    if item.get("extensionRef") is not None:
        check_object_ref(findings, path + ".extensionRef", item["extensionRef"])


def check_header_modifier(findings: Findings, path: str, modifier: dict) -> None:
    for field in ("set", "add", "remove"):
        items = modifier.get(field) or []
        check_max_items(findings, "%s.%s" % (path, field), items, MAX_HEADER_CHANGES)
        names = items if field == "remove" else [item.get("name") for item in items]
        for value in duplicates(names):
            findings.error("%s.%s" % (path, field), "header %r is given more than once" % (value,))
        for name_path, name in indexed(names, "%s.%s" % (path, field)):
            check_pattern(findings, name_path if field == "remove" else name_path + ".name", name, HEADER_NAME,
                          "header name", 256)


def check_path_modifier(findings: Findings, path: str, modifier: dict) -> None:
    """type ReplaceFullPath goes with replaceFullPath, ReplacePrefixMatch with replacePrefixMatch."""
    kind = modifier.get("type")
    for other, field in PATH_MODIFIER_FIELDS.items():
        if kind == other and modifier.get(field) is None:
            findings.error("%s.%s" % (path, field), "%s must be specified when type is set to '%s'" % (field, other))
        elif kind != other and modifier.get(field) is not None:
            findings.error(path + ".type", "type must be '%s' when %s is set" % (other, field))
        elif len(modifier.get(field) or "") > 1024:
            findings.error("%s.%s" % (path, field), "must be at most 1024 characters")


def check_request_mirror(findings: Findings, path: str, mirror: dict) -> None:
    check_backend_ref(findings, path + ".backendRef", mirror.get("backendRef") or {})
    if mirror.get("percent") is not None and mirror.get("fraction") is not None:
        findings.error(path, "Only one of percent or fraction may be specified in HTTPRequestMirrorFilter")
    percent = mirror.get("percent")
    if percent is not None and not 0 <= percent <= 100:
        findings.error(path + ".percent", "must be between 0 and 100, got %r" % (percent,))
    fraction = mirror.get("fraction")
    if fraction is not None:
        numerator, denominator = fraction.get("numerator"), fraction.get("denominator", 100)
        if numerator is None or numerator < 0:
            findings.error(path + ".fraction.numerator", "is required, at least 0")
        elif denominator < 1:
            findings.error(path + ".fraction.denominator", "must be at least 1")
        elif numerator > denominator:
            findings.error(path + ".fraction", "numerator must be less than or equal to denominator")


def check_cors(findings: Findings, path: str, cors: dict) -> None:
    for field, limit, what in (("allowOrigins", 64, "origins"), ("allowMethods", 9, "methods"),
                               ("allowHeaders", 64, "methods")):
        values = cors.get(field) or []
        check_max_items(findings, "%s.%s" % (path, field), values, limit)
        if "*" in values and len(values) > 1:
            findings.error("%s.%s" % (path, field), "%s cannot contain '*' alongside other %s"
                           % (field[0].upper() + field[1:], what))
    for value_path, origin in indexed(cors.get("allowOrigins"), path + ".allowOrigins"):
        check_pattern(findings, value_path, origin, ORIGIN, "origin (scheme://host[:port] or '*')")
    for field in ("allowHeaders", "exposeHeaders"):
        for value_path, header in indexed(cors.get(field), "%s.%s" % (path, field)):
            check_pattern(findings, value_path, header, HEADER_NAME, "header name", 256)
    if cors.get("maxAge") is not None and cors["maxAge"] < 1:
        findings.error(path + ".maxAge", "must be at least 1 (seconds)")


def timeout_milliseconds(text: str) -> int:
    """Milliseconds of a Gateway API duration (``1h30m``, ``500ms``), a subset of Go's durations."""
    return sum(int(number) * _UNIT_MILLISECONDS[unit] for number, unit in _TIMEOUT_PART.findall(text))


def check_timeouts(findings: Findings, path: str, timeouts: dict) -> None:
    """Formats, and backendRequest timeout cannot be longer than request timeout (unless that is 0s: none)."""
    valid = {}
    for field in ("request", "backendRequest"):
        value = timeouts.get(field)
        if value is None:
            continue
        if isinstance(value, str) and TIMEOUT.match(value):
            valid[field] = timeout_milliseconds(value)
        else:
            findings.error("%s.%s" % (path, field), "%r is not a Gateway API duration (1 to 4 parts of at most 5 "
                                                    "digits and h, m, s or ms, such as 10s or 1m30s)" % (value,))
    if len(valid) == 2 and valid["request"] != 0 and valid["backendRequest"] > valid["request"]:
        findings.error(path + ".backendRequest", "backendRequest timeout cannot be longer than request timeout")
