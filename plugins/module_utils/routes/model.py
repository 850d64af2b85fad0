# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The objects route_check reasons about, and the naming rules Istio applies to them.

Pure helpers shared by ``route_analysis`` (istioctl analyze's checks) and ``route_resolution`` (how the
ingress Envoy routes one request): gateway references, exportTo visibility and the shape of a finding
(host and selector rules are in istio/hosts.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional

from ansible_collections.meshsmith.istio.plugins.module_utils.istio.hosts import CLUSTER_DOMAIN, labels_match

MESH_GATEWAY = "mesh"
GATEWAY_API_GROUP = "gateway.networking.k8s.io"
EXPORT_TO_ANNOTATION = "networking.istio.io/exportTo"

# istioctl's severity of each code (pkg/config/analysis/msg/messages.gen.go); ROUTE_NOT_FOUND and API_NOT_SERVED
# are ours
SEVERITY_BY_CODE = {
    "IST0101": "error",
    "IST0106": "error",
    "IST0109": "error",
    "IST0112": "error",
    "IST0130": "warning",
    "IST0131": "info",
    "IST0132": "warning",
    "IST0145": "error",
    "IST0162": "warning",
    "ROUTE_NOT_FOUND": "error",
    "API_NOT_SERVED": "error",
    # Gateway API (routes/gateway_api.py): what Istio's controller writes in the routes' and Gateways' status
    "ROUTE_NOT_ACCEPTED": "error",
    "REFERENCE_NOT_PERMITTED": "error",
    "GATEWAY_NOT_PROGRAMMED": "warning",
}
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Inventory:
    """The live objects route_check looks at, as the API returns them (list items carry no ``kind``), and the
    Istio types the cluster does not serve (``unserved``: (apiVersion, kind) pairs), which therefore hold none.
    ``k8s_gateways`` are the Gateway API's Gateways (``gateways`` Istio's); ``namespaces`` are read only when a
    listener selects route namespaces by label."""

    gateways: list = field(default_factory=list)
    virtual_services: list = field(default_factory=list)
    services: list = field(default_factory=list)
    service_entries: list = field(default_factory=list)
    destination_rules: list = field(default_factory=list)
    pods: list = field(default_factory=list)
    deployments: list = field(default_factory=list)
    unserved: list = field(default_factory=list)
    k8s_gateways: list = field(default_factory=list)
    http_routes: list = field(default_factory=list)
    reference_grants: list = field(default_factory=list)
    namespaces: list = field(default_factory=list)

    @classmethod
    def from_objects(cls, objects: Iterable[dict]) -> Inventory:
        """Sort manifests (each with its ``kind``) into an inventory (a Gateway of the Gateway API by its
        apiVersion); other kinds are ignored."""
        attribute_by_kind = {
            "Gateway": "gateways",
            "VirtualService": "virtual_services",
            "Service": "services",
            "ServiceEntry": "service_entries",
            "DestinationRule": "destination_rules",
            "Pod": "pods",
            "Deployment": "deployments",
            "HTTPRoute": "http_routes",
            "ReferenceGrant": "reference_grants",
            "Namespace": "namespaces",
            "K8sGateway": "k8s_gateways",
        }
        inventory = cls()
        for obj in objects:
            kind = (obj or {}).get("kind") or ""
            if kind == "Gateway" and str(obj.get("apiVersion", "")).startswith(GATEWAY_API_GROUP + "/"):
                kind = "K8sGateway"
            attribute = attribute_by_kind.get(kind)
            if attribute:
                getattr(inventory, attribute).append(obj)
        return inventory

    def workload_labels(self) -> list:
        """(namespace, labels) of every pod, and of every Deployment's pod template (pods may not exist yet)."""
        found = [(namespace_of(pod), labels_of(pod)) for pod in self.pods]
        found += [
            (namespace_of(deployment), deployment.get("spec", {}).get("template", {}).get("metadata", {}).get("labels") or {})
            for deployment in self.deployments
        ]
        return found

    def workloads_selected_by(self, selector: Optional[dict]) -> list:
        """(namespace, labels) of the workloads a Gateway-style ``selector`` picks (any namespace)."""
        return [(namespace, labels) for namespace, labels in self.workload_labels() if labels_match(selector, labels)]

    def services_of(self, workloads: list) -> list:
        """Services whose own (non-empty) pod selector picks one of the (namespace, labels) ``workloads``."""
        return [
            service
            for service in self.services
            if spec_of(service).get("selector")
            and any(
                namespace == namespace_of(service) and labels_match(spec_of(service)["selector"], labels)
                for namespace, labels in workloads
            )
        ]

    def gateway(self, namespace: str, name: str) -> Optional[dict]:
        """The Gateway ``namespace/name``, or None."""
        return next((gw for gw in self.gateways if full_name(gw) == (namespace, name)), None)


def namespace_of(obj: dict) -> str:
    return obj.get("metadata", {}).get("namespace") or ""


def name_of(obj: dict) -> str:
    return obj.get("metadata", {}).get("name") or ""


def full_name(obj: dict) -> tuple:
    return namespace_of(obj), name_of(obj)


def labels_of(obj: dict) -> dict:
    return obj.get("metadata", {}).get("labels") or {}


def spec_of(obj: dict) -> dict:
    return obj.get("spec") or {}


def qualified(namespace: str, name: str) -> str:
    """``namespace/name``, or ``name`` alone when there is no namespace (istioctl's resource names)."""
    return "%s/%s" % (namespace, name) if namespace else name


def describe(kind: str, obj: dict) -> str:
    """``VirtualService default/proxy``: how istioctl names a resource in its messages."""
    return "%s %s" % (kind, qualified(*full_name(obj)))


def finding(code: str, kind: str, obj: dict, field_path: str, message: str) -> dict:
    """One finding about ``obj`` (of ``kind``) at ``field_path`` of its spec."""
    return {
        "code": code,
        "severity": SEVERITY_BY_CODE[code],
        "resource": describe(kind, obj),
        "field": field_path,
        "message": message,
    }


def gateway_reference(reference: str, virtual_service_namespace: str) -> tuple:
    """(namespace, name) a VirtualService's gateway reference points to, as istiod's resolveGatewayName: a bare
    name (or ``./name``) is in its own namespace, the legacy ``name.namespace[.svc.cluster.local]`` in ``namespace``."""
    namespace, slash, name = reference.rpartition("/")
    if not slash and "." in reference:
        name, _dot, domain = reference.partition(".")
        namespace = domain.split(".")[0]
    return (virtual_service_namespace if namespace in ("", ".") else namespace), name


def service_fqdn(service: dict) -> str:
    return "%s.%s.%s" % (name_of(service), namespace_of(service), CLUSTER_DOMAIN)


def export_namespaces(export_to: Optional[Iterable[str]], own_namespace: str) -> Optional[set]:
    """The namespaces an exportTo list makes an object visible in; None for every namespace."""
    export_to = [entry.strip() for entry in export_to or [] if entry.strip()]
    if not export_to or "*" in export_to:
        return None
    return {own_namespace if entry == "." else entry for entry in export_to if entry != "~"}


def visible_in(export_to: Optional[Iterable[str]], own_namespace: str, namespace: str) -> bool:
    """True when an object of ``own_namespace`` with ``export_to`` is visible from ``namespace``."""
    namespaces = export_namespaces(export_to, own_namespace)
    return namespaces is None or namespace in namespaces


def service_export_to(service: dict) -> list:
    """A Service's exportTo, from its ``networking.istio.io/exportTo`` annotation (comma separated)."""
    annotation = service.get("metadata", {}).get("annotations", {}).get(EXPORT_TO_ANNOTATION) or ""
    return [entry for entry in annotation.split(",") if entry.strip()]
