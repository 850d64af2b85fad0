# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure functions that change a Service's type in one write.

Kubernetes 1.20+ drops some type-dependent fields on a type change, older servers drop none, and
``loadBalancerSourceRanges`` is never dropped but refused outside LoadBalancer. So the object we store
must already carry no field the target type forbids (see upstream ``ValidateService`` and
``dropTypeDependentFields``); then the same PUT is accepted by every server version.

What a switch removes is kept in the ``meshsmith.istio/restore-load-balancer`` annotation (JSON) and put back
by the switch to a type that allows it, so ClusterIP and back to LoadBalancer gives the Service its source
ranges, traffic policy and load balancer class again. Node ports and the health check node port are not
kept: they come from a range shared by the cluster and may be taken by then, so the server allocates new ones.
"""

from __future__ import annotations

import copy
import json

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

RESTORE_ANNOTATION = "meshsmith.istio/restore-load-balancer"

# spec fields a switch keeps in RESTORE_ANNOTATION when the target type forbids them, and restores later
RESTORED_SPEC_FIELDS = (
    "allocateLoadBalancerNodePorts",
    "externalTrafficPolicy",
    "loadBalancerClass",
    "loadBalancerIP",
    "loadBalancerSourceRanges",
)

# what the API server defaults them to on a LoadBalancer: not worth keeping, a restored Service gets them anyway
LOAD_BALANCER_DEFAULTS = {"allocateLoadBalancerNodePorts": True, "externalTrafficPolicy": "Cluster"}

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
    load-balancer-source-ranges annotation); those of ``RESTORED_SPEC_FIELDS`` and the legacy annotation
    are kept in ``RESTORE_ANNOTATION`` (unless they hold the server's default), and what that annotation holds is restored when the target type allows
    it, unless the Service already has a value of its own. clusterIP(s), ports, selector, labels, annotations
    and everything else are kept. A Service already of ``target_type`` is returned unchanged.
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
    # a LoadBalancer's own fields are the whole truth: an older annotation (from before a kubectl edit) is dropped
    kept = _empty_settings() if spec.get("type") == "LoadBalancer" else saved_settings(service)
    annotations = service.setdefault("metadata", {}).get("annotations") or {}
    spec["type"] = target_type
    spec.pop("externalName", None)
    for field in forbidden_spec_fields(target_type):
        if field in spec and field in RESTORED_SPEC_FIELDS and spec[field] != LOAD_BALANCER_DEFAULTS.get(field):
            kept["spec"][field] = spec[field]
        spec.pop(field, None)
    if target_type == "ClusterIP":
        for port in spec.get("ports") or []:
            port.pop("nodePort", None)
    if target_type != "LoadBalancer" and LOAD_BALANCER_SOURCE_RANGES_ANNOTATION in annotations:
        kept["annotations"][LOAD_BALANCER_SOURCE_RANGES_ANNOTATION] = annotations.pop(
            LOAD_BALANCER_SOURCE_RANGES_ANNOTATION)
    _restore_allowed(spec, annotations, kept, target_type)
    if kept["spec"] or kept["annotations"]:
        annotations[RESTORE_ANNOTATION] = json.dumps({key: value for key, value in kept.items() if value},
                                                     sort_keys=True, separators=(",", ":"))
    else:
        annotations.pop(RESTORE_ANNOTATION, None)
    if annotations:
        service["metadata"]["annotations"] = annotations
    else:
        service["metadata"].pop("annotations", None)
    return service


def _empty_settings() -> dict:
    return {"spec": {}, "annotations": {}}


def saved_settings(service: dict) -> dict:
    """What ``RESTORE_ANNOTATION`` of ``service`` holds: ``{"spec": {...}, "annotations": {...}}`` (empty
    without the annotation). Raises ``ServiceSwitchError`` when it is not what this module writes."""
    raw = ((service.get("metadata") or {}).get("annotations") or {}).get(RESTORE_ANNOTATION)
    if raw is None:
        return _empty_settings()
    try:
        saved = json.loads(raw)
    except ValueError:
        saved = None
    if not (isinstance(saved, dict) and set(saved) <= {"spec", "annotations"}
            and isinstance(saved.get("spec", {}), dict) and set(saved.get("spec", {})) <= set(RESTORED_SPEC_FIELDS)
            and isinstance(saved.get("annotations", {}), dict)
            and set(saved.get("annotations", {})) <= {LOAD_BALANCER_SOURCE_RANGES_ANNOTATION}
            and all(isinstance(value, str) for value in saved.get("annotations", {}).values())):
        raise ServiceSwitchError(
            "type: annotation %s of Service %s is not what this module writes (a JSON object with the keys spec "
            "and annotations holding %s and %s); correct or remove it"
            % (RESTORE_ANNOTATION, _full_name(service), ", ".join(RESTORED_SPEC_FIELDS),
               LOAD_BALANCER_SOURCE_RANGES_ANNOTATION))
    return {"spec": dict(saved.get("spec", {})), "annotations": dict(saved.get("annotations", {}))}


def _restore_allowed(spec: dict, annotations: dict, kept: dict, target_type: str) -> None:
    """Move from ``kept`` into the Service what ``target_type`` allows; a value the Service has wins."""
    for field in [field for field in kept["spec"] if field not in forbidden_spec_fields(target_type)]:
        spec.setdefault(field, kept["spec"].pop(field))
    if target_type == "LoadBalancer":
        for key, value in kept["annotations"].items():
            annotations.setdefault(key, value)
        kept["annotations"] = {}


def service_diff_view(service: dict | None) -> dict:
    """The part of a Service a type switch is about: name, type, type-dependent fields, ports and the
    annotations a switch removes or writes (legacy source ranges, ``RESTORE_ANNOTATION``)."""
    if not service:
        return {}
    metadata = service.get("metadata", {})
    spec = service.get("spec", {})
    view_spec = {field: spec[field] for field in TYPE_DEPENDENT_FIELDS if field in spec}
    view_spec.setdefault("type", "ClusterIP")
    view_spec["ports"] = spec.get("ports", [])
    view = {"metadata": {"name": metadata.get("name"), "namespace": metadata.get("namespace")}, "spec": view_spec}
    annotations = metadata.get("annotations") or {}
    shown = {key: annotations[key] for key in (LOAD_BALANCER_SOURCE_RANGES_ANNOTATION, RESTORE_ANNOTATION)
             if key in annotations}
    if shown:
        view["metadata"]["annotations"] = shown
    return view


def _full_name(service: dict) -> str:
    metadata = service.get("metadata", {})
    return "%s/%s" % (metadata.get("namespace"), metadata.get("name"))
