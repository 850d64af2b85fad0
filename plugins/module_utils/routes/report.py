# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What route_check reports: the analysis in scope, the request's route, a one-line summary, and
whether the findings fail the task (no I/O)."""

from __future__ import annotations

from typing import Optional

from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import ISTIO_RESOURCES
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.analysis import analyze
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.gateway_api import (
    analyze_gateway_api,
    gateway_api_relevant,
    gateway_api_resources,
    resolve_gateway_api,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.model import (
    SEVERITY_BY_CODE,
    SEVERITY_RANK,
    Inventory,
    describe,
    namespace_of,
    qualified,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.routed import routed_services
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.resolution import (
    Request,
    relevant_resources,
    resolve,
)

FAIL_ON_CHOICES = ("error", "warning", "never")


def check_routes(inventory: Inventory, request: Optional[Request], gateway_selector: dict,
                 namespaces: Optional[list] = None) -> dict:
    """``{route, findings, summary, routed_services}``.

    Without a request: every finding about the Gateways and VirtualServices in ``namespaces`` (all when
    None). With one: where its chain breaks, then the findings about the ingress's Gateways and the
    VirtualServices claiming its host (in ``namespaces``). Findings are sorted by severity. The Gateway API's
    HTTPRoutes and Gateways count alongside; a request the Istio Gateways do not route may follow an HTTPRoute.
    ``routed_services`` (see ``routed.py``) does not depend on the request or ``namespaces``.
    """
    in_scope = _resources_in(inventory, namespaces) | gateway_api_resources(inventory, namespaces)
    findings = [found for found in analyze(inventory) + analyze_gateway_api(inventory) if found["resource"] in in_scope]
    route, route_findings = None, []
    if request is not None:
        relevant = relevant_resources(inventory, request, gateway_selector) | gateway_api_relevant(inventory, request)
        findings = [found for found in findings if found["resource"] in relevant]
        route, route_findings = resolve(inventory, request, gateway_selector)
        gateway_api_route = resolve_gateway_api(inventory, request) if route is None else None
        if gateway_api_route is not None:
            route, route_findings = gateway_api_route, []
    findings = sorted(unserved_findings(inventory) + route_findings + findings,
                      key=lambda found: SEVERITY_RANK[found["severity"]])
    return {"route": route, "findings": findings, "summary": summarize(request, route, findings),
            "routed_services": routed_services(inventory)}


def unserved_findings(inventory: Inventory) -> list:
    """An API_NOT_SERVED error for each Istio type the cluster does not serve (its CRD is not installed, or does not
    serve that version): where it stands, no Gateway or VirtualService can exist."""
    return [{
        "code": "API_NOT_SERVED",
        "severity": SEVERITY_BY_CODE["API_NOT_SERVED"],
        "resource": "CustomResourceDefinition %s.%s" % (ISTIO_RESOURCES[kind].plural, api_version.split("/")[0]),
        "field": "spec.versions",
        "message": "the cluster does not serve %s %s: the Istio CRDs are not installed (role "
                   "meshsmith.istio.istio_install), or this Istio serves another version (option api_version)"
                   % (api_version, kind),
    } for api_version, kind in inventory.unserved]


def _resources_in(inventory: Inventory, namespaces: Optional[list]) -> set:
    named = [("Gateway", obj) for obj in inventory.gateways] + [("VirtualService", obj) for obj in inventory.virtual_services]
    return {describe(kind, obj) for kind, obj in named if namespaces is None or namespace_of(obj) in namespaces}


def summarize(request: Optional[Request], route: Optional[dict], findings: list) -> str:
    """``http://host/ → Gateway ns/gw → VirtualService ns/vs http[0] → Service ns/svc:80``, or why not."""
    counts = _count_by_severity(findings)
    if request is None:
        return "%d Gateway/VirtualService finding(s)%s" % (len(findings), counts)
    if route is None:
        return "%s → no route: %s" % (request.url, findings[0]["message"])
    gateway = route["gateway"]
    if "http_route" in route:
        rule = route["http_route"]
        hops = ["Gateway %s (%s) listener %s" % (qualified(gateway["namespace"], gateway["name"]), gateway["api_version"],
                                                 gateway["listener"].get("name")),
                "HTTPRoute %s rules[%d]" % (qualified(rule["namespace"], rule["name"]), rule["rule_index"])]
    else:
        rule = route["virtual_service"]
        hops = ["Gateway %s" % qualified(gateway["namespace"], gateway["name"]),
                "VirtualService %s http[%d]" % (qualified(rule["namespace"], rule["name"]), rule["http_index"])]
    steps = [request.url] + hops + [_destinations_text(rule, route["destinations"])]
    return " → ".join(steps) + (" (%d finding(s)%s)" % (len(findings), counts) if findings else "")


def _destinations_text(rule: dict, destinations: list) -> str:
    """Where the matching rule (``virtual_service`` or ``http_route`` of the route) sends the request."""
    if "redirect" in rule:
        return "redirect %s" % rule["redirect"]
    if "directResponse" in rule:
        return "direct response %s" % rule["directResponse"].get("status")
    several = len(destinations) > 1
    return " + ".join(_destination_text(destination, several) for destination in destinations) or "nowhere"


def _destination_text(destination: dict, with_weight: bool) -> str:
    if destination["service_name"]:
        text = "Service %s" % qualified(destination["service_namespace"], destination["service_name"])
    else:
        text = "host %s" % destination["host"]
    if destination["port"] is not None:
        text += ":%d" % destination["port"]
    if destination["subset"]:
        text += " subset %s" % destination["subset"]
    return text + (" (weight %d)" % destination["weight"] if with_weight else "")


def _count_by_severity(findings: list) -> str:
    counts = [(severity, sum(1 for found in findings if found["severity"] == severity)) for severity in SEVERITY_RANK]
    text = ", ".join("%d %s" % (count, severity) for severity, count in counts if count)
    return ": " + text if text else ""


def failing_findings(findings: list, fail_on: str) -> list:
    """The findings at or above the ``fail_on`` severity (none for ``never``)."""
    if fail_on == "never":
        return []
    return [found for found in findings if SEVERITY_RANK[found["severity"]] <= SEVERITY_RANK[fail_on]]


def failure_message(summary: str, failing: list) -> str:
    """The task's failure text: the summary, then one ``[code] resource field: message`` per finding."""
    lines = ["[%s] %s %s: %s" % (f["code"], f["resource"], f["field"], f["message"]) for f in failing]
    return "%s; %d finding(s) at or above fail_on: %s" % (summary, len(failing), "; ".join(lines))
