# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which Services the Gateways' routes lead to (no I/O): route_check's ``routed_services``, the question the
service_type_switch role asks before a Service gives up its public address.

A VirtualService counts for a Gateway when it names it (``mesh`` aside), the Gateway exists, the VirtualService is
exported to the Gateway's namespace and one of its hosts is among those the Gateway offers to its namespace. Its
tcp, tls and http rules that apply at that Gateway (``match[].gateways``) count, and an http rule's ``delegate``
brings in the delegate VirtualService's http rules (when it exists, has no hosts and is exported to the root's
namespace; its hosts are resolved in its own namespace). A destination reaches a Service when its host is that
Service as the analysis finds it (short names, exportTo; a ServiceEntry host reaches none), its port fits
(no IST0101/IST0112) and its subset, if any, is defined by a DestinationRule (no IST0101).
"""

from __future__ import annotations

from typing import Iterator, Optional

from ansible_collections.meshsmith.istio.plugins.module_utils.routes.analysis import (
    destination_port_problem,
    find_destination,
    gateway_offers_any,
    subset_defined,
    target_ports,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.gateway_api import gateway_api_routed
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.model import (
    MESH_GATEWAY,
    Inventory,
    full_name,
    gateway_reference,
    name_of,
    namespace_of,
    spec_of,
    visible_in,
)


def routed_services(inventory: Inventory) -> list:
    """``{namespace, name, port}`` of each Service a route of an existing Gateway reaches, sorted, each once (an
    accepted HTTPRoute on a Programmed Gateway API Gateway too, see ``gateway_api.py``)."""
    reached = gateway_api_routed(inventory)
    for virtual_service in inventory.virtual_services:
        gateways = _serving_gateways(inventory, virtual_service)
        for owner, rule in _rules_at(inventory, virtual_service, gateways) if gateways else ():
            for route in rule.get("route") or []:
                service_port = _reached_service(inventory, owner, route.get("destination") or {})
                if service_port is not None:
                    reached.add(service_port)
    ordered = sorted(reached, key=lambda found: (found[0], found[1], found[2] or 0))
    return [{"namespace": namespace, "name": name, "port": port} for namespace, name, port in ordered]


def _serving_gateways(inventory: Inventory, virtual_service: dict) -> set:
    """(namespace, name) of the existing Gateways ``virtual_service`` is bound to and served on."""
    namespace, spec = namespace_of(virtual_service), spec_of(virtual_service)
    serving = set()
    for reference in spec.get("gateways") or []:
        gateway = None if reference == MESH_GATEWAY else inventory.gateway(*gateway_reference(reference, namespace))
        if (gateway is not None and visible_in(spec.get("exportTo"), namespace, namespace_of(gateway))
                and gateway_offers_any(gateway, spec.get("hosts") or [], namespace)):
            serving.add(full_name(gateway))
    return serving


def _rules_at(inventory: Inventory, virtual_service: dict, gateways: set) -> Iterator[tuple]:
    """(VirtualService holding the rule, rule) of each rule that applies at one of ``gateways``; a delegating
    http rule stands for the delegate's http rules."""
    namespace = namespace_of(virtual_service)
    for protocol in ("tcp", "tls", "http"):
        for rule in spec_of(virtual_service).get(protocol) or []:
            if not _applies_at(rule, namespace, gateways):
                continue
            delegate = _delegate(inventory, virtual_service, rule["delegate"]) if rule.get("delegate") else None
            if delegate is not None:
                yield from ((delegate, delegated) for delegated in spec_of(delegate).get("http") or [])
            else:
                yield virtual_service, rule


def _applies_at(rule: dict, namespace: str, gateways: set) -> bool:
    """True when a match of ``rule`` names no gateways or one of ``gateways`` (a rule without matches applies)."""
    matches = rule.get("match") or []
    return not matches or any(
        not match.get("gateways") or any(gateway_reference(ref, namespace) in gateways for ref in match["gateways"])
        for match in matches
    )


def _delegate(inventory: Inventory, root: dict, reference: dict) -> Optional[dict]:
    """The delegate VirtualService ``reference`` ({name, namespace}) names, as istiod finds it, or None."""
    wanted = (reference.get("namespace") or namespace_of(root), reference.get("name") or "")
    for candidate in inventory.virtual_services:
        spec = spec_of(candidate)
        if (full_name(candidate) == wanted and not spec.get("hosts")
                and visible_in(spec.get("exportTo"), wanted[0], namespace_of(root))):
            return candidate
    return None


def _reached_service(inventory: Inventory, virtual_service: dict, destination: dict) -> Optional[tuple]:
    """(namespace, name, port) of the Service ``destination`` reaches with nothing missing, or None."""
    target = find_destination(inventory, virtual_service, destination.get("host") or "")
    if (target is None or target not in inventory.services or destination_port_problem(destination, target)
            or not subset_defined(inventory, virtual_service, destination)):
        return None
    ports = target_ports(target)
    port = (destination.get("port") or {}).get("number", ports[0] if ports else None)
    return namespace_of(target), name_of(target), port
