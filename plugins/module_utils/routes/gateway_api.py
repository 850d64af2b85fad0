# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""route_check on the Kubernetes Gateway API (``gateway.networking.k8s.io``): HTTPRoutes attached to Gateways (no I/O).

An HTTPRoute's parentRef attaches it to the listeners of a Gateway that its ``sectionName``/``port`` pick, whose
hostname intersects the route's hostnames and whose ``allowedRoutes`` admit the route's namespace (Same, All,
Selector) and kind. Its backendRefs reach Services of its namespace, or of another one a ReferenceGrant opens. What
the Gateway API controller wrote is read too: a parent's ``Accepted`` condition in the route's ``status.parents``, the
Gateway's ``Programmed`` condition and ``status.addresses``. A request is routed as the Gateway API specifies: the
listener with the most specific hostname, then among the matching rules of the attached routes, an exact path before
the longest prefix, then method, most headers, most query parameters, the oldest route, rule order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Optional

from ansible_collections.meshsmith.istio.plugins.module_utils.istio.re2_regex import re2_fullmatch
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.model import (
    GATEWAY_API_GROUP,
    Inventory,
    finding,
    full_name,
    labels_of,
    name_of,
    namespace_of,
    qualified,
    spec_of,
)

GATEWAY_KIND = "Gateway." + GATEWAY_API_GROUP  # how findings name a Gateway API Gateway (an Istio one is "Gateway")
ROUTE_KIND = "HTTPRoute"
HTTP_ROUTE_PROTOCOLS = ("HTTP", "HTTPS")
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"
DEFAULT_MATCH = {"path": {"type": "PathPrefix", "value": "/"}}


@dataclass(frozen=True)
class Attachment:
    """An HTTPRoute's parentRef (index ``ref_index``) to an existing Gateway, and the listeners it attaches to."""

    route: dict
    ref_index: int
    gateway: dict
    listeners: tuple
    problem: Optional[tuple] = None  # (code, message) when it attaches to none


# --- small readers ---------------------------------------------------------------------------------------------------


def condition_status(conditions: Optional[list], condition_type: str) -> Optional[str]:
    """``True``/``False``/``Unknown`` of the condition of that type, or None when there is none."""
    return next((str(item.get("status")) for item in conditions or [] if item.get("type") == condition_type), None)


def is_programmed(gateway: dict) -> bool:
    """True when the Gateway's controller reports it ``Programmed`` (its address assigned)."""
    return condition_status((gateway.get("status") or {}).get("conditions"), "Programmed") == "True"


def gateway_addresses(gateway: dict) -> list:
    """The values of a Gateway's ``status.addresses`` (hostnames or IPs), in order."""
    return [entry["value"] for entry in (gateway.get("status") or {}).get("addresses") or [] if entry.get("value")]


def parent_key(ref: dict, route_namespace: str) -> tuple:
    """A parentRef with its defaults filled in, comparable with the ``parentRef`` of a ``status.parents`` entry."""
    return (ref.get("group", GATEWAY_API_GROUP), ref.get("kind", "Gateway"), ref.get("namespace") or route_namespace,
            ref.get("name"), ref.get("sectionName"), ref.get("port"))


def parent_accepted(route: dict, ref: dict) -> Optional[tuple]:
    """(status, reason, message) of the ``Accepted`` condition a controller wrote for ``ref``, None when none did."""
    key = parent_key(ref, namespace_of(route))
    for parent in (route.get("status") or {}).get("parents") or []:
        if parent_key(parent.get("parentRef") or {}, namespace_of(route)) == key:
            for item in parent.get("conditions") or []:
                if item.get("type") == "Accepted":
                    return str(item.get("status")), item.get("reason") or "", item.get("message") or ""
    return None


def gateway_refs(route: dict) -> Iterator[tuple]:
    """(index, parentRef) of each parentRef of ``route`` that names a Gateway (group and kind defaulted)."""
    for index, ref in enumerate(spec_of(route).get("parentRefs") or []):
        if ref.get("group", GATEWAY_API_GROUP) == GATEWAY_API_GROUP and ref.get("kind", "Gateway") == "Gateway":
            yield index, ref


def k8s_gateway(inventory: Inventory, namespace: str, name: str) -> Optional[dict]:
    return next((gw for gw in inventory.k8s_gateways if full_name(gw) == (namespace, name)), None)


# --- hostnames ---------------------------------------------------------------------------------------------------------


def hostnames_intersect(listener_host: str, route_host: str) -> bool:
    """Gateway API hostname intersection: equal, or a wildcard (``*.example.com``, at least one more label) covering
    the other; an empty listener hostname takes any."""
    if not listener_host or listener_host == route_host:
        return True
    return _wildcard_covers(listener_host, route_host) or _wildcard_covers(route_host, listener_host)


def _wildcard_covers(wildcard: str, host: str) -> bool:
    return wildcard.startswith("*.") and host.endswith(wildcard[1:]) and len(host) > len(wildcard) - 1


def hostname_specificity(host: str) -> tuple:
    """Sort key, most specific first: an exact host before a wildcard, a longer one before a shorter, any last."""
    return (not host, host.startswith("*"), -len(host))


# --- attachment --------------------------------------------------------------------------------------------------------


def namespace_admitted(listener: dict, gateway_namespace: str, route_namespace: str, inventory: Inventory) -> bool:
    """True when the listener's ``allowedRoutes.namespaces`` (Same by default, All, Selector) admit the route's."""
    namespaces = (listener.get("allowedRoutes") or {}).get("namespaces") or {}
    origin = namespaces.get("from", "Same")
    if origin == "All":
        return True
    if origin == "Selector":
        labels = next((labels_of(ns) for ns in inventory.namespaces if name_of(ns) == route_namespace), {})
        return selector_matches(namespaces.get("selector") or {}, dict(labels, **{NAMESPACE_NAME_LABEL: route_namespace}))
    return route_namespace == gateway_namespace


def selector_matches(selector: dict, labels: dict) -> bool:
    """A metav1.LabelSelector (matchLabels, matchExpressions In/NotIn/Exists/DoesNotExist) against ``labels``."""
    if any(labels.get(key) != value for key, value in (selector.get("matchLabels") or {}).items()):
        return False
    for expression in selector.get("matchExpressions") or []:
        key, operator, values = expression.get("key"), expression.get("operator"), expression.get("values") or []
        present = key in labels
        held = {"In": present and labels.get(key) in values, "NotIn": not present or labels.get(key) not in values,
                "Exists": present, "DoesNotExist": not present}.get(operator, False)
        if not held:
            return False
    return True


def kind_admitted(listener: dict) -> bool:
    """True when the listener takes HTTPRoutes: HTTP or HTTPS, and HTTPRoute among its ``allowedRoutes.kinds`` if set."""
    kinds = (listener.get("allowedRoutes") or {}).get("kinds") or []
    return listener.get("protocol") in HTTP_ROUTE_PROTOCOLS and (not kinds or any(
        kind.get("group", GATEWAY_API_GROUP) == GATEWAY_API_GROUP and kind.get("kind") == ROUTE_KIND for kind in kinds))


def attach(inventory: Inventory, route: dict, ref_index: int, ref: dict, gateway: dict) -> Attachment:
    """The listeners of ``gateway`` that ``ref`` (of ``route``) attaches to, or why none: IST0101 for a sectionName or
    port the Gateway lacks, IST0132 when no listener hostname meets the route's, ROUTE_NOT_ACCEPTED when the
    listeners' allowedRoutes refuse the route's namespace or kind."""
    listeners = spec_of(gateway).get("listeners") or []
    for key, what in (("sectionName", "name"), ("port", "port")):
        if key in ref:
            listeners = [listener for listener in listeners if listener.get(what) == ref[key]]
            if not listeners:
                return Attachment(route, ref_index, gateway, (), ("IST0101", 'Referenced listener not found: %s %s on '
                                                                  "Gateway %s" % (key, _quoted(ref[key]), qualified(*full_name(gateway)))))
    hostnames = spec_of(route).get("hostnames") or []
    by_host = [listener for listener in listeners
               if not hostnames or any(hostnames_intersect(listener.get("hostname", ""), host) for host in hostnames)]
    if not by_host:
        return Attachment(route, ref_index, gateway, (), ("IST0132", "one or more host [%s] defined in HTTPRoute %s not "
                                                          "found in Gateway %s." % (" ".join(hostnames), qualified(*full_name(route)),
                                                                                    qualified(*full_name(gateway)))))
    admitted = tuple(listener for listener in by_host if kind_admitted(listener) and namespace_admitted(
        listener, namespace_of(gateway), namespace_of(route), inventory))
    if not admitted:
        return Attachment(route, ref_index, gateway, (), ("ROUTE_NOT_ACCEPTED", 'namespace "%s" or kind HTTPRoute is not '
                                                          "allowed by the listeners (allowedRoutes) of Gateway %s"
                                                          % (namespace_of(route), qualified(*full_name(gateway)))))
    return Attachment(route, ref_index, gateway, admitted)


def _quoted(value: Any) -> str:
    return '"%s"' % value if isinstance(value, str) else str(value)


def attachments(inventory: Inventory) -> Iterator[tuple]:
    """(route, index, parentRef, Attachment or None when the Gateway does not exist) of every Gateway parentRef."""
    for route in inventory.http_routes:
        for index, ref in gateway_refs(route):
            gateway = k8s_gateway(inventory, ref.get("namespace") or namespace_of(route), ref.get("name") or "")
            yield route, index, ref, (attach(inventory, route, index, ref, gateway) if gateway is not None else None)


# --- backends ----------------------------------------------------------------------------------------------------------


def service_backends(route: dict) -> Iterator[tuple]:
    """(field path, backendRef) of every backendRef of kind Service (core group) in the route's rules."""
    for rule_index, rule in enumerate(spec_of(route).get("rules") or []):
        for ref_index, ref in enumerate(rule.get("backendRefs") or []):
            if is_service_ref(ref):
                yield "rules[%d].backendRefs[%d]" % (rule_index, ref_index), ref


def is_service_ref(ref: dict) -> bool:
    """True for a backendRef to a Service (core group, the default kind)."""
    return ref.get("group", "") == "" and ref.get("kind", "Service") == "Service"


def grant_permits(inventory: Inventory, route: dict, namespace: str, name: str) -> bool:
    """True when a ReferenceGrant of ``namespace`` lets HTTPRoutes of the route's namespace use Service ``name``."""
    for grant in inventory.reference_grants:
        spec = spec_of(grant)
        if namespace_of(grant) == namespace and any(
            entry.get("group") == GATEWAY_API_GROUP and entry.get("kind") == ROUTE_KIND
            and entry.get("namespace") == namespace_of(route) for entry in spec.get("from") or []
        ) and any(entry.get("group", "") == "" and entry.get("kind") == "Service" and entry.get("name", name) == name
                  for entry in spec.get("to") or []):
            return True
    return False


def backend_problem(inventory: Inventory, route: dict, ref: dict) -> tuple:
    """(Service or None, (code, message) or None): the Service a backendRef reaches, or why it reaches none."""
    namespace, name, port = ref.get("namespace") or namespace_of(route), ref.get("name") or "", ref.get("port")
    if namespace != namespace_of(route) and not grant_permits(inventory, route, namespace, name):
        return None, ("REFERENCE_NOT_PERMITTED", 'backendRef %s/%s not accessible to a HTTPRoute in namespace "%s" '
                      "(missing a ReferenceGrant?)" % (namespace, name, namespace_of(route)))
    service = next((svc for svc in inventory.services if full_name(svc) == (namespace, name)), None)
    if service is None:
        return None, ("IST0101", 'Referenced backend Service not found: "%s"' % qualified(namespace, name))
    if port is None:
        return None, ("IST0101", 'Referenced backend Service "%s" has no port: a Service backendRef needs one'
                      % qualified(namespace, name))
    if port not in [entry.get("port") for entry in spec_of(service).get("ports") or []]:
        return None, ("IST0101", 'Referenced host:port not found: "%s:%d"' % (qualified(namespace, name), port))
    return service, None


# --- analysis ----------------------------------------------------------------------------------------------------------


def analyze_gateway_api(inventory: Inventory) -> list:
    """Findings about HTTPRoutes (parents, listeners, status, backends) and Gateways (not Programmed)."""
    findings = []
    for route, index, ref, attachment in attachments(inventory):
        field_path = "parentRefs[%d]" % index
        if attachment is None:
            findings.append(finding("IST0101", ROUTE_KIND, route, field_path, 'Referenced gateway not found: "%s"'
                                    % qualified(ref.get("namespace") or namespace_of(route), ref.get("name") or "")))
            continue
        if attachment.problem:
            findings.append(finding(attachment.problem[0], ROUTE_KIND, route, field_path, attachment.problem[1]))
            continue
        accepted = parent_accepted(route, ref)
        if accepted is not None and accepted[0] != "True":
            findings.append(finding("ROUTE_NOT_ACCEPTED", ROUTE_KIND, route, field_path, "Gateway %s did not accept the "
                                    "route: %s: %s" % (qualified(*full_name(attachment.gateway)), accepted[1], accepted[2])))
    for route in inventory.http_routes:
        for field_path, ref in service_backends(route):
            problem = backend_problem(inventory, route, ref)[1]
            if problem:
                findings.append(finding(problem[0], ROUTE_KIND, route, field_path, problem[1]))
    for gateway in inventory.k8s_gateways:
        if gateway.get("status") and not is_programmed(gateway):
            findings.append(finding("GATEWAY_NOT_PROGRAMMED", GATEWAY_KIND, gateway, "status.conditions",
                                    "not Programmed: %s" % _condition_text(gateway, "Programmed")))
    return findings


def _condition_text(obj: dict, condition_type: str) -> str:
    found = next((item for item in (obj.get("status") or {}).get("conditions") or []
                  if item.get("type") == condition_type), None)
    return "%s: %s" % (found.get("reason"), found.get("message")) if found else "no %s condition yet" % condition_type


def gateway_api_resources(inventory: Inventory, namespaces: Optional[list]) -> set:
    """Names (as findings give them) of the HTTPRoutes and Gateway API Gateways in ``namespaces`` (all when None)."""
    named = [(ROUTE_KIND, obj) for obj in inventory.http_routes] + [(GATEWAY_KIND, obj) for obj in inventory.k8s_gateways]
    return {"%s %s" % (kind, qualified(*full_name(obj))) for kind, obj in named
            if namespaces is None or namespace_of(obj) in namespaces}


# --- routed Services ---------------------------------------------------------------------------------------------------


def gateway_api_routed(inventory: Inventory) -> set:
    """(namespace, name, port) of each Service an HTTPRoute reaches through a Programmed Gateway that it attaches to
    and that accepted it (``Accepted`` True in its ``status.parents``), its backendRef resolved."""
    reached = set()
    for route, _index, ref, attachment in attachments(inventory):
        if (attachment is None or attachment.problem or not is_programmed(attachment.gateway)
                or (parent_accepted(route, ref) or ("",))[0] != "True"):
            continue
        for _path, backend in service_backends(route):
            service = backend_problem(inventory, route, backend)[0]
            if service is not None:
                reached.add((namespace_of(service), name_of(service), backend["port"]))
    return reached


# --- one request -------------------------------------------------------------------------------------------------------


def resolve_gateway_api(inventory: Inventory, request) -> Optional[dict]:
    """The chain a ``Request`` follows through the Gateway API Gateways (listeners of the request's port and protocol
    whose hostname takes its host, the most specific first; then the rule of the routes attached there that takes it
    first), or None when none does."""
    protocol = "HTTPS" if request.scheme == "https" else "HTTP"
    taking = [(listener, attachment)
              for _route, _index, _ref, attachment in attachments(inventory) if attachment is not None
              for listener in attachment.listeners
              if listener.get("port") == request.port and listener.get("protocol") == protocol
              and _host_takes(listener.get("hostname", ""), request.host)]
    if not taking:
        return None
    best = min(hostname_specificity(listener.get("hostname", "")) for listener, _attachment in taking)
    candidates = []
    for listener, attachment in taking:
        hosts = [host for host in spec_of(attachment.route).get("hostnames") or [""] if _host_takes(host, request.host)]
        if hostname_specificity(listener.get("hostname", "")) != best or not hosts:
            continue
        host_rank = min(hostname_specificity(host) for host in hosts)
        for rule_index, rule in enumerate(spec_of(attachment.route).get("rules") or []):
            for match in rule.get("matches") or [DEFAULT_MATCH]:
                if match_applies(match, request):
                    candidates.append((host_rank, match_precedence(match), _age(attachment.route), rule_index,
                                       (attachment, listener, rule)))
    if not candidates:
        return None
    chosen = min(candidates, key=lambda entry: entry[:4])
    return _route(inventory, chosen[3], *chosen[4])


def _host_takes(pattern: str, request_host: str) -> bool:
    """True when a listener or route hostname (empty: any) takes the request's host."""
    return not pattern or pattern == request_host or _wildcard_covers(pattern, request_host)


def match_applies(match: dict, request) -> bool:
    """True when every condition of an HTTPRouteMatch (path, method, headers, queryParams) holds for the request."""
    path = match.get("path") or DEFAULT_MATCH["path"]
    return (path_matches(path.get("type", "PathPrefix"), path.get("value", "/"), request.uri_path)
            and match.get("method", request.method) == request.method
            and all(_value_matches(entry, request.header(entry.get("name") or "")) for entry in match.get("headers") or [])
            and all(_value_matches(entry, request.query.get(entry.get("name") or ""))
                    for entry in match.get("queryParams") or []))


def path_matches(match_type: str, value: str, path: str) -> bool:
    """Gateway API path matching: Exact, PathPrefix by whole path elements (``/foo`` takes ``/foo/bar``, not
    ``/foobar``; a trailing slash ignored), RegularExpression with RE2 on the whole path."""
    if match_type == "Exact":
        return path == value
    if match_type == "RegularExpression":
        return re2_fullmatch(value, path)
    prefix = value.rstrip("/")
    return not prefix or path == prefix or path.startswith(prefix + "/")


def _value_matches(entry: dict, value: Optional[str]) -> bool:
    if value is None:
        return False
    if entry.get("type") == "RegularExpression":
        return re2_fullmatch(entry.get("value", ""), value)
    return value == entry.get("value")


def match_precedence(match: dict) -> tuple:
    """Sort key of a match, first wins: an exact path, then the longest path, a method, most headers, most query
    parameters (the Gateway API's HTTPRouteRule precedence)."""
    path = match.get("path") or DEFAULT_MATCH["path"]
    return (path.get("type", "PathPrefix") != "Exact", -len(path.get("value", "/")), "method" not in match,
            -len(match.get("headers") or []), -len(match.get("queryParams") or []))


def _age(route: dict) -> tuple:
    """Older routes first, then by namespace and name."""
    return (route.get("metadata", {}).get("creationTimestamp") or "",) + full_name(route)


def _route(inventory: Inventory, rule_index: int, attachment: Attachment, listener: dict, rule: dict) -> dict:
    """route_check's ``route`` for a Gateway API chain: ``gateway`` (with its ``listener``), ``http_route`` (the
    rule's index and name, a ``redirect`` filter) and the ``destinations``."""
    gateway, route = attachment.gateway, attachment.route
    backends = [ref for ref in rule.get("backendRefs") or [] if is_service_ref(ref)]
    result: dict[str, Any] = {
        "gateway": {"namespace": namespace_of(gateway), "name": name_of(gateway), "api_version": GATEWAY_API_GROUP + "/v1",
                    "listener": listener},
        "http_route": {"namespace": namespace_of(route), "name": name_of(route), "rule_index": rule_index,
                       "rule_name": rule.get("name")},
        "destinations": [_destination(inventory, route, ref, len(backends)) for ref in backends],
    }
    redirect = next((item.get("requestRedirect") for item in rule.get("filters") or []
                     if item.get("type") == "RequestRedirect"), None)
    if redirect is not None:
        result["http_route"]["redirect"] = redirect
    return result


def _destination(inventory: Inventory, route: dict, ref: dict, count: int) -> dict:
    service = backend_problem(inventory, route, ref)[0]
    return {
        "host": ref.get("name"),
        "service_namespace": namespace_of(service) if service is not None else None,
        "service_name": name_of(service) if service is not None else None,
        "port": ref.get("port"),
        "subset": None,
        "weight": ref.get("weight", 1) if count > 1 else 100,
    }


def gateway_api_relevant(inventory: Inventory, request) -> set:
    """Names (as findings give them) of the HTTPRoutes whose hostnames take the request's host, and of the Gateway
    API Gateways they name."""
    routes = [route for route in inventory.http_routes
              if any(_host_takes(host, request.host) for host in spec_of(route).get("hostnames") or [""])]
    names = {"%s %s" % (ROUTE_KIND, qualified(*full_name(route))) for route in routes}
    names.update("%s %s" % (GATEWAY_KIND, qualified(ref.get("namespace") or namespace_of(route), ref.get("name") or ""))
                 for route in routes for _index, ref in gateway_refs(route))
    return names
