# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure functions that change a Service's type in one write.

Kubernetes 1.20+ drops some type-dependent fields on a type change, older servers drop none, and
``loadBalancerSourceRanges`` is never dropped but refused outside LoadBalancer. So the object we store
must already carry no field the target type forbids (see upstream ``ValidateService`` and
``dropTypeDependentFields``); then the same PUT is accepted by every server version.
"""

from __future__ import annotations

import copy

SERVICE_TYPES = ("ClusterIP", "NodePort", "LoadBalancer")

LOAD_BALANCER_SOURCE_RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges"

# spec fields valid only on a LoadBalancer Service
LOAD_BALANCER_ONLY_FIELDS = (
    "allocateLoadBalancerNodePorts",
    "healthCheckNodePort",
    "loadBalancerClass",
    "loadBalancerIP",
    "loadBalancerSourceRanges",
)

# spec fields valid only when the Service has node ports (NodePort or LoadBalancer)
NODE_PORT_ONLY_FIELDS = ("externalTrafficPolicy",)

# fields shown in the diff: the type and everything whose validity depends on it
TYPE_DEPENDENT_FIELDS = ("type",) + NODE_PORT_ONLY_FIELDS + LOAD_BALANCER_ONLY_FIELDS + ("externalName",)


class ServiceSwitchError(ValueError):
    """The Service cannot take the requested type (a user error, reported before any write)."""


def forbidden_spec_fields(target_type: str) -> tuple:
    """Top-level spec fields the API server refuses on a Service of ``target_type``."""
    if target_type == "LoadBalancer":
        return ()
    if target_type == "NodePort":
        return LOAD_BALANCER_ONLY_FIELDS
    return LOAD_BALANCER_ONLY_FIELDS + NODE_PORT_ONLY_FIELDS


def switch_service_type(live_service: dict, target_type: str) -> dict:
    """Return the complete Service to store: ``live_service`` with type ``target_type``.

    Every field the target type forbids is removed (node ports for ClusterIP, the load balancer
    fields outside LoadBalancer, externalTrafficPolicy for ClusterIP, and the legacy
    load-balancer-source-ranges annotation); clusterIP(s), ports, selector, labels, annotations and
    everything else are kept. A Service already of ``target_type`` is returned unchanged.
    The input is never mutated.
    """
    if target_type not in SERVICE_TYPES:
        raise ServiceSwitchError(
            "type: must be one of %s, got %r" % (", ".join(SERVICE_TYPES), target_type)
        )
    service = copy.deepcopy(live_service)
    spec = service.setdefault("spec", {})
    if spec.get("type", "ClusterIP") == target_type:
        return service
    if target_type != "ClusterIP" and spec.get("clusterIP") == "None":
        raise ServiceSwitchError(
            "type: Service %s is headless (clusterIP None) and cannot become %s"
            % (_full_name(service), target_type)
        )
    spec["type"] = target_type
    spec.pop("externalName", None)
    for field in forbidden_spec_fields(target_type):
        spec.pop(field, None)
    if target_type == "ClusterIP":
        for port in spec.get("ports") or []:
            port.pop("nodePort", None)
    if target_type != "LoadBalancer":
        annotations = service.get("metadata", {}).get("annotations") or {}
        annotations.pop(LOAD_BALANCER_SOURCE_RANGES_ANNOTATION, None)
    return service


def service_diff_view(service: dict | None) -> dict:
    """The part of a Service a type switch is about: name, type, type-dependent fields and ports."""
    if not service:
        return {}
    metadata = service.get("metadata", {})
    spec = service.get("spec", {})
    view_spec = {field: spec[field] for field in TYPE_DEPENDENT_FIELDS if field in spec}
    view_spec.setdefault("type", "ClusterIP")
    view_spec["ports"] = spec.get("ports", [])
    view = {"metadata": {"name": metadata.get("name"), "namespace": metadata.get("namespace")}, "spec": view_spec}
    annotation = (metadata.get("annotations") or {}).get(LOAD_BALANCER_SOURCE_RANGES_ANNOTATION)
    if annotation is not None:
        view["metadata"]["annotations"] = {LOAD_BALANCER_SOURCE_RANGES_ANNOTATION: annotation}
    return view


def _full_name(service: dict) -> str:
    metadata = service.get("metadata", {})
    return "%s/%s" % (metadata.get("namespace"), metadata.get("name"))
