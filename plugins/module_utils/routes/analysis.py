# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""istioctl analyze's ingress checks, on plain API objects (no I/O).

Each ``check_*`` function mirrors one analyzer of istio's ``pkg/config/analysis/analyzers`` (or, for
IST0130/IST0131, the VirtualService validation in ``pkg/config/validation``) and returns findings with
istioctl's code: {code, severity, resource, field, message}. ``analyze`` runs them all.
"""

from __future__ import annotations

from typing import Optional

from ansible_collections.meshsmith.istio.plugins.module_utils.istio.hosts import (
    hosts_overlap,
    labels_match,
    selector_text,
    server_hosts_for_namespace,
    to_fqdn,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.services.ingress import exposing_port
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.virtual_service import (
    regex_fields,
    unreachable_rules,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.re2_regex import re2_error
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.model import (
    MESH_GATEWAY,
    Inventory,
    export_namespaces,
    finding,
    full_name,
    gateway_reference,
    namespace_of,
    qualified,
    service_export_to,
    service_fqdn,
    spec_of,
    visible_in,
)

EXPORT_TO_ALL = "*"


def analyze(inventory: Inventory) -> list:
    """Every finding of every check, each reported once."""
    findings = []
    for check in ALL_CHECKS:
        findings += [found for found in check(inventory) if found not in findings]
    return findings


# --- Gateways ------------------------------------------------------------------------------------------


def check_gateway_workloads(inventory: Inventory) -> list:
    """IST0101 when a Gateway's selector matches no gateway pod (or Deployment pod template); IST0162 for
    each server port that no Service of those pods exposes (by ``port`` or numeric ``targetPort``)."""
    findings = []
    for gateway in inventory.gateways:
        selector = spec_of(gateway).get("selector") or {}
        workloads = inventory.workloads_selected_by(selector)
        if not workloads:
            findings.append(finding(
                "IST0101", "Gateway", gateway, "selector", 'Referenced selector not found: "%s"' % selector_text(selector)
            ))
            continue
        services = inventory.services_of(workloads)
        for index, server in enumerate(spec_of(gateway).get("servers") or []):
            number = (server.get("port") or {}).get("number")
            if number is not None and not any(exposing_port(service, number) for service in services):
                findings.append(finding(
                    "IST0162", "Gateway", gateway, "servers[%d].port.number" % index,
                    "The gateway refers to a port that is not exposed on the workload (pod selector %s; port %d)"
                    % (selector_text(selector), number),
                ))
    return findings


def check_conflicting_gateways(inventory: Inventory) -> list:
    """IST0145 for each Gateway server whose port and host (with the same bind) another Gateway on the same
    workload also claims: same selector, or selectors of which one contains the other and that select a
    common pod."""
    servers_by_gateway = {
        full_name(gateway): list(enumerate(spec_of(gateway).get("servers") or []))
        for gateway in inventory.gateways
    }
    findings = []
    for gateway in inventory.gateways:
        selector = spec_of(gateway).get("selector") or {}
        for index, server in servers_by_gateway[full_name(gateway)]:
            rivals = sorted(
                qualified(*full_name(other))
                for other in inventory.gateways
                if full_name(other) != full_name(gateway)
                and _same_workload(selector, spec_of(other).get("selector") or {}, inventory)
                and any(_servers_conflict(server, other_server) for _index, other_server in servers_by_gateway[full_name(other)])
            )
            if rivals:
                findings.append(finding(
                    "IST0145", "Gateway", gateway, "servers[%d]" % index,
                    "Conflict with gateways %s (workload selector %s, port %d, hosts %s)."
                    % (",".join(rivals), selector_text(selector), _port_number(server), ",".join(server.get("hosts") or [])),
                ))
    return findings


def _same_workload(selector: dict, other: dict, inventory: Inventory) -> bool:
    text, other_text = selector_text(selector), selector_text(other)
    if text == other_text:
        return True
    if text not in other_text and other_text not in text:
        return False
    return any(labels_match(selector, labels) and labels_match(other, labels) for _namespace, labels in inventory.workload_labels())


def _servers_conflict(server: dict, other: dict) -> bool:
    """Same port number and a host both list with the same bind address (istio's CheckDuplicates)."""
    return (
        _port_number(server) == _port_number(other)
        and server.get("bind", "") == other.get("bind", "")
        and bool(set(server.get("hosts") or []) & set(other.get("hosts") or []))
    )


def _port_number(server: dict) -> int:
    return (server.get("port") or {}).get("number") or 0


# --- VirtualServices and their Gateways ------------------------------------------------------------------


def check_virtual_service_gateways(inventory: Inventory) -> list:
    """For each gateway a VirtualService names (``mesh`` aside): IST0101 when it does not exist (a bare name
    means the VirtualService's own namespace), IST0132 when none of the VirtualService's hosts is among
    the hosts that Gateway offers to the VirtualService's namespace."""
    findings = []
    for virtual_service in inventory.virtual_services:
        namespace = namespace_of(virtual_service)
        hosts = spec_of(virtual_service).get("hosts") or []
        for index, reference in enumerate(spec_of(virtual_service).get("gateways") or []):
            if reference == MESH_GATEWAY:
                continue
            gateway = inventory.gateway(*gateway_reference(reference, namespace))
            if gateway is None:
                findings.append(finding(
                    "IST0101", "VirtualService", virtual_service, "gateways[%d]" % index,
                    'Referenced gateway not found: "%s"' % reference,
                ))
            if not _gateway_offers_any(gateway, hosts, namespace):
                findings.append(finding(
                    "IST0132", "VirtualService", virtual_service, "gateways[%d]" % index,
                    "one or more host [%s] defined in VirtualService %s not found in Gateway %s."
                    % (" ".join(hosts), qualified(*full_name(virtual_service)),
                       qualified(*gateway_reference(reference, namespace))),
                ))
    return findings


def _gateway_offers_any(gateway: Optional[dict], hosts: list, namespace: str) -> bool:
    if gateway is None:
        return False
    offered = [
        host
        for server in spec_of(gateway).get("servers") or []
        for host in server_hosts_for_namespace(server, namespace_of(gateway), namespace)
    ]
    return any(hosts_overlap(gateway_host, host) for gateway_host in offered for host in hosts)


def check_mesh_gateway_hosts(inventory: Inventory) -> list:
    """IST0109 for VirtualServices bound to the ``mesh`` gateway (explicitly, or by naming no gateway) that
    define the same host for the same namespaces."""
    by_scoped_host: dict = {}
    for virtual_service in inventory.virtual_services:
        spec = spec_of(virtual_service)
        gateways = spec.get("gateways") or [MESH_GATEWAY]
        if MESH_GATEWAY not in gateways:
            continue
        namespace = namespace_of(virtual_service)
        scopes = export_namespaces(spec.get("exportTo"), namespace)
        for scope in sorted(scopes) if scopes is not None else [EXPORT_TO_ALL]:
            for host in spec.get("hosts") or []:
                by_scoped_host.setdefault((scope, to_fqdn(host, namespace)), []).append(virtual_service)
    findings, reported = [], set()
    for (scope, host), virtual_services in by_scoped_host.items():
        if scope != EXPORT_TO_ALL:
            virtual_services = virtual_services + [
                other
                for (other_scope, other_host), others in by_scoped_host.items()
                if other_scope == EXPORT_TO_ALL and hosts_overlap(host, other_host)
                for other in others
            ]
        if len(virtual_services) < 2:
            continue
        names = ",".join(qualified(*full_name(virtual_service)) for virtual_service in virtual_services)
        for virtual_service in virtual_services:
            if full_name(virtual_service) not in reported:
                reported.add(full_name(virtual_service))
                findings.append(finding(
                    "IST0109", "VirtualService", virtual_service, "hosts",
                    "The VirtualServices %s associated with mesh gateway define the same host %s/%s which can lead "
                    "to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a "
                    "single resource." % (names, scope, host),
                ))
    return findings


# --- Destinations --------------------------------------------------------------------------------------


def check_destination_hosts(inventory: Inventory) -> list:
    """IST0101 for each route or mirror destination whose host is no Service or ServiceEntry visible where
    the VirtualService applies, or whose port that Service does not have; IST0112 when the destination
    names no port and the Service has several."""
    findings = []
    for virtual_service in inventory.virtual_services:
        for field_path, destination, what in _destinations(spec_of(virtual_service)):
            target = find_destination(inventory, virtual_service, destination.get("host") or "")
            problem = destination_port_problem(destination, target) if target else (
                "IST0101", 'Referenced %s not found: "%s"' % (what, destination.get("host") or "")
            )
            if problem:
                findings.append(finding(problem[0], "VirtualService", virtual_service, field_path, problem[1]))
    return findings


def _destinations(spec: dict):
    """(field path, destination, what it is called in messages) of every tcp/tls/http route and http mirror."""
    for protocol in ("tcp", "tls", "http"):
        for rule_index, rule in enumerate(spec.get(protocol) or []):
            for route_index, route in enumerate(rule.get("route") or []):
                yield ("%s[%d].route[%d].destination" % (protocol, rule_index, route_index),
                       route.get("destination") or {}, "host")
    for rule_index, rule in enumerate(spec.get("http") or []):
        if rule.get("mirror"):
            yield "http[%d].mirror" % rule_index, rule["mirror"], "mirror host"


def find_destination(inventory: Inventory, virtual_service: dict, host: str) -> Optional[dict]:
    """The Service or ServiceEntry a destination ``host`` of ``virtual_service`` reaches, visible in every
    namespace the VirtualService is exported to (its own when exported everywhere); None when none is."""
    if not host:
        return None
    namespace = namespace_of(virtual_service)
    exported = export_namespaces(spec_of(virtual_service).get("exportTo"), namespace)
    viewers = sorted(exported) if exported else [namespace]
    fqdn = to_fqdn(host, namespace)
    for service in inventory.services:
        if service_fqdn(service) == fqdn and all(
            visible_in(service_export_to(service), namespace_of(service), viewer) for viewer in viewers
        ):
            return service
    for entry in inventory.service_entries:
        entry_spec = spec_of(entry)
        if all(visible_in(entry_spec.get("exportTo"), namespace_of(entry), viewer) for viewer in viewers) and any(
            hosts_overlap(to_fqdn(entry_host, namespace_of(entry)), fqdn) for entry_host in entry_spec.get("hosts") or []
        ):
            return entry
    return None


def target_ports(target: dict) -> list:
    """Port numbers of a Service (``spec.ports[].port``) or ServiceEntry (``spec.ports[].number``)."""
    return [port.get("port", port.get("number")) for port in spec_of(target).get("ports") or []]


def destination_port_problem(destination: dict, target: dict) -> Optional[tuple]:
    """(code, message) when the destination's port does not fit its Service or ServiceEntry, else None."""
    ports = target_ports(target)
    number = (destination.get("port") or {}).get("number")
    if number is None:
        if len(ports) > 1:
            return ("IST0112", 'This VirtualService routes to a service "%s" that exposes multiple ports [%s]. '
                    "Specifying a port in the destination is required to disambiguate."
                    % (destination.get("host"), " ".join(str(port) for port in ports)))
        return None
    if number not in ports:
        return "IST0101", 'Referenced host:port not found: "%s:%d"' % (destination.get("host"), number)
    return None


# --- Unreachable rules and ineffective matches --------------------------------------------------------------


def check_route_rules(inventory: Inventory) -> list:
    """IST0130 for rules no request can reach (after a rule without matches, or every match used before);
    IST0131 for matches a previous rule already takes (same match, or an HTTP prefix covering it)."""
    findings = []
    for virtual_service in inventory.virtual_services:
        for protocol in ("http", "tcp", "tls"):
            rules = spec_of(virtual_service).get(protocol) or []
            for code, rule_index, match_index, message in unreachable_rules(protocol, rules):
                field_path = "%s[%d]" % (protocol, rule_index)
                if match_index is not None:
                    field_path += ".match[%d]" % match_index
                findings.append(finding(code, "VirtualService", virtual_service, field_path, message))
    return findings


# --- Regexes ------------------------------------------------------------------------------------------------


def check_regexes(inventory: Inventory) -> list:
    """IST0106 (schema validation error) for each regex that RE2, Envoy's regex engine, refuses: Envoy rejects
    the route configuration that holds it and the gateway answers 404 for its hosts."""
    findings = []
    for virtual_service in inventory.virtual_services:
        for field_path, pattern in regex_fields(spec_of(virtual_service)):
            error = re2_error(pattern)
            if error:
                findings.append(finding("IST0106", "VirtualService", virtual_service, field_path,
                                        "%s. Envoy rejects the route: its hosts answer 404." % error))
    return findings


ALL_CHECKS = (
    check_gateway_workloads,
    check_conflicting_gateways,
    check_virtual_service_gateways,
    check_mesh_gateway_hosts,
    check_destination_hosts,
    check_route_rules,
    check_regexes,
)
