# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Follow one HTTP request through an Istio ingress gateway the way its Envoy would (no I/O).

Gateway server by port (the gateway Service port or its targetPort) and protocol; the VirtualServices
bound to those Gateways (``name``, ``namespace/name``; a bare name is the VirtualService's namespace),
visible to the Gateway's namespace and allowed by the server's ``namespace/host`` forms; the most
specific virtual host domain (exact, then longest wildcard suffix, then ``*``); the first HTTP rule that
matches (uri exact/prefix/regex with ignoreUriCase, method, headers, withoutHeaders, queryParams,
authority, scheme, port, gateways); then its destinations (short names in the VirtualService's namespace).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional
from urllib.parse import parse_qs, urlsplit

from ansible_collections.meshsmith.istio.plugins.module_utils.istio.hosts import (
    host_covers,
    hosts_overlap,
    labels_match,
    selector_text,
    server_hosts_for_namespace,
    to_fqdn,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.re2_regex import re2_fullmatch
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.analysis import find_destination, target_ports
from ansible_collections.meshsmith.istio.plugins.module_utils.services.ingress import DEFAULT_PORT_BY_SCHEME
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.model import (
    Inventory,
    describe,
    SEVERITY_BY_CODE,
    full_name,
    gateway_reference,
    name_of,
    namespace_of,
    qualified,
    spec_of,
    visible_in,
)

HTTP_PROTOCOLS = ("HTTP", "HTTP2", "GRPC", "GRPC-WEB", "HTTPS")
PASSTHROUGH_TLS_MODES = ("PASSTHROUGH", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL")
CATCH_ALL_URI_MATCHES = ({"prefix": "/"}, {"regex": "*"}, {"regex": ".*"})


class InvalidRequest(ValueError):
    """A request that cannot be sent: ``option`` names what is wrong."""

    def __init__(self, option: str, message: str):
        super().__init__("%s: %s" % (option, message))


@dataclass(frozen=True)
class Request:
    """The request to follow; ``host`` without port, ``path`` may carry a query string."""

    host: str
    port: int
    path: str = "/"
    method: str = "GET"
    headers: dict = field(default_factory=dict)
    scheme: str = "http"

    @classmethod
    def from_url(cls, url: str, method: str = "GET", headers: Optional[dict] = None) -> Request:
        """A request for ``http(s)://host[:port][/path][?query]``; InvalidRequest naming ``url`` otherwise."""
        parts = urlsplit(url)
        if parts.scheme not in DEFAULT_PORT_BY_SCHEME or not parts.hostname:
            raise InvalidRequest("url", "expected http://host[:port]/path or https://..., got %r" % url)
        try:
            port = parts.port or DEFAULT_PORT_BY_SCHEME[parts.scheme]
        except ValueError as err:
            raise InvalidRequest("url", "invalid port in %r (%s)" % (url, err)) from err
        path = (parts.path or "/") + ("?" + parts.query if parts.query else "")
        return cls(parts.hostname.lower(), port, path, method.upper(), dict(headers or {}), parts.scheme)

    @property
    def url(self) -> str:
        host = "[%s]" % self.host if ":" in self.host else self.host
        port = "" if DEFAULT_PORT_BY_SCHEME.get(self.scheme) == self.port else ":%d" % self.port
        return "%s://%s%s%s" % (self.scheme, host, port, self.path)

    @property
    def uri_path(self) -> str:
        return self.path.split("?", 1)[0]

    @property
    def query(self) -> dict:
        return {key: values[0] for key, values in parse_qs(self.path.partition("?")[2]).items()}

    def header(self, name: str) -> Optional[str]:
        """A request header by case-insensitive name; ``:authority``/``host`` is the request host."""
        if name.lower() in (":authority", "host"):
            return self.host
        return next((str(value) for key, value in self.headers.items() if key.lower() == name.lower()), None)


@dataclass(frozen=True)
class Candidate:
    """A VirtualService offered for the request host on one Gateway server, under a virtual host domain."""

    domain: str
    gateway: dict
    server_index: int
    virtual_service: dict


def resolve(inventory: Inventory, request: Request, gateway_selector: dict) -> tuple:
    """Follow ``request`` through the ingress workload ``gateway_selector`` picks.

    Returns ``(route, findings)``: ``route`` is the chain found (None when the request finds no route) and
    ``findings`` a ROUTE_NOT_FOUND finding telling where the chain breaks (empty when a route is found).
    """
    gateways = ingress_gateways(inventory, gateway_selector)
    servers = _servers_on_port(inventory, gateways, request, gateway_selector)
    if not servers:
        return None, [_not_found(
            "ingress workload %s" % selector_text(gateway_selector), "servers",
            "no Gateway of the ingress workload (%s) has an HTTP server on port %d; Gateways found: %s"
            % (selector_text(gateway_selector), request.port, _names(gateways) or "none"),
        )]
    candidates = _most_specific(_candidates(inventory, servers, request.host))
    if not candidates:
        return None, [_not_found(
            describe("Gateway", servers[0][0]), "servers",
            "no VirtualService bound to %s serves host %s on port %d (check the VirtualService's gateways and "
            "hosts)" % (_names([server[0] for server in servers]), request.host, request.port),
        )]
    for candidate, rule_index, rule in _rules(candidates):
        if _rule_matches(rule, request, candidate):
            return _route(inventory, candidate, rule_index, rule), []
    return None, [_not_found(
        describe("VirtualService", candidates[0].virtual_service), "http",
        "no HTTP rule of %s matches %s %s" % (
            _names([c.virtual_service for c in candidates], "VirtualService"), request.method, request.path),
    )]


def ingress_gateways(inventory: Inventory, gateway_selector: dict) -> list:
    """The Gateways whose selector applies to the ingress workload ``gateway_selector`` picks (its labels
    taken from its pods or Deployments, else the selector itself)."""
    workloads = inventory.workloads_selected_by(gateway_selector) or [("", gateway_selector)]
    return [
        gateway for gateway in inventory.gateways
        if any(labels_match(spec_of(gateway).get("selector"), labels) for _namespace, labels in workloads)
    ]


def relevant_resources(inventory: Inventory, request: Request, gateway_selector: dict) -> set:
    """Names (as findings give them) of the ingress's Gateways and of the VirtualServices claiming the host."""
    names = {describe("Gateway", gateway) for gateway in ingress_gateways(inventory, gateway_selector)}
    names.update(
        describe("VirtualService", virtual_service)
        for virtual_service in inventory.virtual_services
        if any(hosts_overlap(to_fqdn(host, namespace_of(virtual_service)), request.host)
               for host in spec_of(virtual_service).get("hosts") or [])
    )
    return names


def _servers_on_port(inventory: Inventory, gateways: list, request: Request, gateway_selector: dict) -> list:
    """(gateway, index, server) of HTTP servers listening where the request arrives: the Gateway port is
    the gateway Service port, or the targetPort that Service port forwards to."""
    numbers = {request.port}
    for service in inventory.services_of(inventory.workloads_selected_by(gateway_selector)):
        numbers.update(
            port["targetPort"] for port in spec_of(service).get("ports") or []
            if port.get("port") == request.port and isinstance(port.get("targetPort"), int)
        )
    return [
        (gateway, index, server)
        for gateway in gateways
        for index, server in enumerate(spec_of(gateway).get("servers") or [])
        if (server.get("port") or {}).get("number") in numbers and _serves_http(server, request.scheme)
    ]


def _serves_http(server: dict, scheme: str) -> bool:
    protocol = str((server.get("port") or {}).get("protocol", "")).upper()
    if protocol == "HTTPS":
        return scheme == "https" and (server.get("tls") or {}).get("mode", "SIMPLE") not in PASSTHROUGH_TLS_MODES
    return protocol in HTTP_PROTOCOLS and scheme == "http"


def _candidates(inventory: Inventory, servers: list, request_host: str) -> list:
    found = []
    for gateway, index, server in servers:
        gateway_name = full_name(gateway)
        for virtual_service in inventory.virtual_services:
            namespace = namespace_of(virtual_service)
            references = [gateway_reference(ref, namespace) for ref in spec_of(virtual_service).get("gateways") or []]
            if gateway_name not in references or not visible_in(
                spec_of(virtual_service).get("exportTo"), namespace, gateway_name[0]
            ):
                continue
            for server_host in server_hosts_for_namespace(server, gateway_name[0], namespace):
                for host in spec_of(virtual_service).get("hosts") or []:
                    host = to_fqdn(host, namespace)
                    if hosts_overlap(host, server_host):
                        domain = host if host_covers(server_host, host) else server_host
                        if domain_matches(domain, request_host):
                            found.append(Candidate(domain, gateway, index, virtual_service))
    return found


def domain_matches(domain: str, host: str) -> bool:
    """Envoy virtual host domain matching: exact, ``*``, or a ``*.suffix`` covering at least one character."""
    if domain == "*" or domain == host:
        return True
    return domain.startswith("*") and host.endswith(domain[1:]) and len(host) > len(domain) - 1


def _most_specific(candidates: list) -> list:
    """The candidates of the domain Envoy picks (exact first, then the longest wildcard suffix), VirtualServices
    in Istio's order (oldest first, then namespace and name), each once."""
    if not candidates:
        return []

    def specificity(domain: str) -> tuple:
        return (not domain.startswith("*"), len(domain))

    best = max(specificity(candidate.domain) for candidate in candidates)
    chosen, seen = [], set()
    for candidate in sorted(candidates, key=lambda c: _creation_order(c.virtual_service)):
        key = full_name(candidate.virtual_service)
        if specificity(candidate.domain) == best and key not in seen:
            seen.add(key)
            chosen.append(candidate)
    return chosen


def _creation_order(obj: dict) -> tuple:
    return (obj.get("metadata", {}).get("creationTimestamp") or "",) + full_name(obj)


def _rules(candidates: list):
    """(candidate, index, rule) in Envoy's order: the VirtualServices' rules one after the other, catch-all
    rules of every VirtualService after all others (istio's CombineVHostRoutes)."""
    rules = [
        (candidate, index, rule)
        for candidate in candidates
        for index, rule in enumerate(spec_of(candidate.virtual_service).get("http") or [])
    ]
    return [entry for entry in rules if not _is_catch_all(entry[2])] + [entry for entry in rules if _is_catch_all(entry[2])]


def _is_catch_all(rule: dict) -> bool:
    matches = rule.get("match") or []
    return not matches or any(
        set(match) - {"name"} <= {"uri"} and match.get("uri") in CATCH_ALL_URI_MATCHES for match in matches
    )


def _rule_matches(rule: dict, request: Request, candidate: Candidate) -> bool:
    matches = rule.get("match") or []
    return not matches or any(_match_applies(match, request, candidate) for match in matches)


def _match_applies(match: dict, request: Request, candidate: Candidate) -> bool:
    """True when every condition of one HTTPMatchRequest holds for the request."""
    server_port = (spec_of(candidate.gateway)["servers"][candidate.server_index].get("port") or {}).get("number")
    gateway_refs = [gateway_reference(ref, namespace_of(candidate.virtual_service)) for ref in match.get("gateways") or []]
    checks = [
        not match.get("port") or match["port"] == server_port,
        not gateway_refs or full_name(candidate.gateway) in gateway_refs,
        string_matches(match.get("uri"), request.uri_path, match.get("ignoreUriCase", False)),
        string_matches(match.get("scheme"), request.scheme),
        string_matches(match.get("method"), request.method),
        string_matches(match.get("authority"), request.host),
        all(string_matches(condition, request.header(name)) for name, condition in (match.get("headers") or {}).items()),
        not any(_header_matches(condition, request.header(name)) for name, condition in (match.get("withoutHeaders") or {}).items()),
        all(string_matches(condition, request.query.get(name)) for name, condition in (match.get("queryParams") or {}).items()),
    ]
    return all(checks)


def _header_matches(condition: Optional[dict], value: Optional[str]) -> bool:
    return value is not None and string_matches(condition, value)


def string_matches(condition: Optional[dict], value: Optional[str], ignore_case: bool = False) -> bool:
    """Istio StringMatch: exact, prefix or (RE2, whole value, as Envoy) regex; no condition matches anything, an
    empty one any present value."""
    if condition is None:
        return True
    if value is None:
        return False
    if ignore_case:
        condition = {kind: text.lower() if kind != "regex" else text for kind, text in condition.items()}
        value = value.lower()
    if "exact" in condition:
        return value == condition["exact"]
    if "prefix" in condition:
        return value.startswith(condition["prefix"])
    if "regex" in condition:
        return re2_fullmatch(condition["regex"], value, ignore_case)
    return True


def _route(inventory: Inventory, candidate: Candidate, rule_index: int, rule: dict) -> dict:
    gateway, virtual_service = candidate.gateway, candidate.virtual_service
    entries = rule.get("route") or []
    route: dict[str, Any] = {
        "gateway": {
            "namespace": namespace_of(gateway),
            "name": name_of(gateway),
            "server": spec_of(gateway)["servers"][candidate.server_index],
        },
        "virtual_service": {
            "namespace": namespace_of(virtual_service),
            "name": name_of(virtual_service),
            "http_index": rule_index,
            "route_name": rule.get("name"),
        },
        "destinations": [
            _destination(inventory, virtual_service, entry.get("destination") or {}, entry.get("weight"), len(entries))
            for entry in entries
        ],
    }
    for action in ("redirect", "directResponse"):
        if rule.get(action):
            route["virtual_service"][action] = rule[action]
    return route


def _destination(inventory: Inventory, virtual_service: dict, destination: dict, weight: Optional[int], count: int) -> dict:
    """One destination of the route, with the Service it reaches (None fields when it reaches none)."""
    target = find_destination(inventory, virtual_service, destination.get("host") or "")
    service = target if target is not None and target in inventory.services else None
    ports = target_ports(target) if target is not None else []
    port = (destination.get("port") or {}).get("number")
    if port is None and len(ports) == 1:
        port = ports[0]
    return {
        "host": destination.get("host"),
        "service_namespace": namespace_of(service) if service is not None else None,
        "service_name": name_of(service) if service is not None else None,
        "port": port,
        "subset": destination.get("subset"),
        "weight": weight if weight is not None else (100 if count == 1 else 0),
    }


def _not_found(resource: str, field_path: str, message: str) -> dict:
    return {"code": "ROUTE_NOT_FOUND", "severity": SEVERITY_BY_CODE["ROUTE_NOT_FOUND"], "resource": resource,
            "field": field_path, "message": message}


def _names(objects: list, kind: str = "Gateway") -> str:
    return ", ".join("%s %s" % (kind, qualified(*full_name(obj))) for obj in objects)
