"""The Service registry as kube-apiserver runs it: v1 defaulting, the update strategy (including the
type-dependent field dropping of Kubernetes 1.20+), ``ValidateService`` and cluster-IP / node-port
allocation. Functions return new objects; only the ``Allocator`` holds state.
"""

from __future__ import annotations

import copy
import ipaddress
import re
from functools import partial
from typing import Any, Callable

from kubesim.schema import (
    Cause,
    duplicate,
    forbidden,
    invalid,
    not_supported,
    required,
)

KubeVersion = tuple[int, int]
Service = dict[str, Any]

SERVICE_TYPES = ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort")
PROTOCOLS = ("SCTP", "TCP", "UDP")
SESSION_AFFINITIES = ("ClientIP", "None")
TRAFFIC_POLICIES = ("Cluster", "Local")
HEADLESS = "None"
DEFAULT_SERVICE_CIDR = "10.96.0.0/12"
DEFAULT_NODE_PORTS = range(30000, 32768)
CLIENT_IP_TIMEOUT_SECONDS = 10800
TYPE_DEPENDENT_FIELDS_DROPPED_SINCE = (1, 20)
LOAD_BALANCER_NODE_PORTS_OPTIONAL_SINCE = (1, 20)
EXTERNALLY_ACCESSIBLE_POLICY_SINCE = (1, 22)

_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_DNS1123_LABEL_MESSAGE = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
    "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
_IANA_SVC_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$")
_PORT_RANGE_MESSAGE = "must be between 1 and 65535, inclusive"
_ONLY_FOR_LOAD_BALANCER = "may only be used when `type` is 'LoadBalancer'"


class Invalid(Exception):
    """The Service is invalid; ``causes`` are the status causes of the 422 answer."""

    def __init__(self, causes: list[Cause]):
        super().__init__("; ".join(f"{c['field']}: {c['message']}" for c in causes))
        self.causes = causes


class Allocator:
    """Cluster IPs from a service CIDR (network, first and broadcast addresses reserved) and node ports."""

    def __init__(self, service_cidr: str = DEFAULT_SERVICE_CIDR, node_ports: range = DEFAULT_NODE_PORTS):
        self.network = ipaddress.ip_network(service_cidr)
        self.node_ports = node_ports
        self.cluster_ips: set[str] = set()
        self.used_node_ports: set[int] = set()

    def allocate_cluster_ip(self, requested: str | None = None) -> str:
        """Reserve ``requested`` or the next free address; raise ``ValueError`` with the server's text."""
        if requested:
            address = ipaddress.ip_address(requested)
            if address not in self.network or address in self._reserved():
                raise ValueError(f"failed to allocate IP {requested}: the provided IP ({requested}) is not in the "
                                 f"valid range. The range of valid IPs is {self.network}")
            if requested in self.cluster_ips:
                raise ValueError(f"failed to allocate IP {requested}: provided IP is already allocated")
            self.cluster_ips.add(requested)
            return requested
        for address in self.network.hosts():
            if address not in self._reserved() and str(address) not in self.cluster_ips:
                self.cluster_ips.add(str(address))
                return str(address)
        raise ValueError("failed to allocate a serviceIP: range is full")

    def _reserved(self) -> tuple[ipaddress.IPv4Address | ipaddress.IPv6Address, ...]:
        return (self.network.network_address, self.network.network_address + 1)

    def allocate_node_port(self, requested: int | None = None) -> int:
        """Reserve ``requested`` or the next free node port; raise ``ValueError`` with the server's text."""
        if requested:
            if requested not in self.node_ports:
                raise ValueError("provided port is not in the valid range. The range of valid ports is "
                                 f"{self.node_ports.start}-{self.node_ports.stop - 1}")
            if requested in self.used_node_ports:
                raise ValueError("provided port is already allocated")
            self.used_node_ports.add(requested)
            return requested
        for port in self.node_ports:
            if port not in self.used_node_ports:
                self.used_node_ports.add(port)
                return port
        raise ValueError("range is full")

    def release_cluster_ip(self, address: str) -> None:
        self.cluster_ips.discard(address)

    def release_node_port(self, port: int) -> None:
        self.used_node_ports.discard(port)


# --- helpers on plain dicts -----------------------------------------------------------------


def _spec(svc: Service) -> dict[str, Any]:
    return svc.setdefault("spec", {})


def _type(svc: Service) -> str:
    return svc.get("spec", {}).get("type") or "ClusterIP"


def _ports(svc: Service) -> list[dict[str, Any]]:
    return svc.get("spec", {}).get("ports") or []


def is_headless(svc: Service) -> bool:
    spec = svc.get("spec", {})
    return _type(svc) == "ClusterIP" and (spec.get("clusterIP") == HEADLESS or spec.get("clusterIPs") == [HEADLESS])


def needs_cluster_ip(svc: Service) -> bool:
    return _type(svc) != "ExternalName"


def needs_node_port(svc: Service) -> bool:
    return _type(svc) in ("NodePort", "LoadBalancer")


def needs_health_check(svc: Service) -> bool:
    return _type(svc) == "LoadBalancer" and svc.get("spec", {}).get("externalTrafficPolicy") == "Local"


def externally_accessible(svc: Service) -> bool:
    spec = svc.get("spec", {})
    return needs_node_port(svc) or (_type(svc) == "ClusterIP" and bool(spec.get("externalIPs")))


def _node_ports(svc: Service) -> set[int]:
    return {port["nodePort"] for port in _ports(svc) if port.get("nodePort")}


def _has_ip(spec: dict[str, Any]) -> bool:
    return bool(spec.get("clusterIP")) and spec.get("clusterIP") != HEADLESS


# --- defaulting (pkg/apis/core/v1/defaults.go SetDefaults_Service) ----------------------------


def apply_defaults(svc: Service, kube_version: KubeVersion) -> Service:
    """Return ``svc`` with the v1 defaults a server applies when decoding any Service write."""
    svc = copy.deepcopy(svc)
    spec = _spec(svc)
    spec.setdefault("type", "ClusterIP")
    spec.setdefault("sessionAffinity", "None")
    if spec["sessionAffinity"] == "ClientIP" and not spec.get("sessionAffinityConfig"):
        spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": CLIENT_IP_TIMEOUT_SECONDS}}
    for port in spec.get("ports") or []:
        port.setdefault("protocol", "TCP")
        if port.get("targetPort") in (None, 0, ""):
            port["targetPort"] = port.get("port")
    if spec["type"] != "ExternalName":
        spec.setdefault("internalTrafficPolicy", "Cluster")
    if externally_accessible(svc) and not spec.get("externalTrafficPolicy"):
        spec["externalTrafficPolicy"] = "Cluster"
    if spec["type"] == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None \
            and kube_version >= LOAD_BALANCER_NODE_PORTS_OPTIONAL_SINCE:
        spec["allocateLoadBalancerNodePorts"] = True
    return svc


def _normalize_cluster_ips(old: Service | None, new: Service) -> None:
    """Keep the singular ``clusterIP`` and the plural ``clusterIPs`` in step (svcutil.NormalizeClusterIPs)."""
    spec = _spec(new)
    if not spec.get("clusterIP"):
        spec.pop("clusterIPs", None)
    elif not spec.get("clusterIPs"):
        spec["clusterIPs"] = [spec["clusterIP"]]
    elif old is not None:
        old_spec = old.get("spec", {})
        old_ips = old_spec.get("clusterIPs") or []
        if (old_spec.get("clusterIP") != spec["clusterIP"] and old_ips and old_ips[0] == spec["clusterIPs"][0]):
            spec["clusterIPs"] = [spec["clusterIP"]] + spec["clusterIPs"][1:]


def _patch_allocated_values(old: Service, new: Service) -> None:
    """Fill values the client left empty from the stored object (REST storage patchAllocatedValues)."""
    spec, old_spec = _spec(new), old.get("spec", {})
    if needs_cluster_ip(old) and needs_cluster_ip(new):
        if not spec.get("clusterIP") and old_spec.get("clusterIP"):
            spec["clusterIP"] = old_spec["clusterIP"]
        if not spec.get("clusterIPs") and old_spec.get("clusterIPs"):
            spec["clusterIPs"] = list(old_spec["clusterIPs"])
    if needs_node_port(old) and needs_node_port(new):
        kept = _node_ports(old) & _node_ports(new)
        by_name = {port.get("name", ""): port.get("nodePort") for port in _ports(old)}
        for port in _ports(new):
            previous = by_name.get(port.get("name", ""))
            if not port.get("nodePort") and previous and previous not in kept:
                port["nodePort"] = previous
    if needs_health_check(old) and needs_health_check(new) and not spec.get("healthCheckNodePort"):
        if old_spec.get("healthCheckNodePort"):
            spec["healthCheckNodePort"] = old_spec["healthCheckNodePort"]


def _drop_type_dependent_fields(old: Service, new: Service) -> None:
    """Clear what no longer applies after a type change, unless the client changed it (strategy.go)."""
    spec, old_spec = _spec(new), old.get("spec", {})

    def same(field: str) -> bool:
        return old_spec.get(field) == spec.get(field)

    if needs_cluster_ip(old) and not needs_cluster_ip(new):
        if same("clusterIP") and same("clusterIPs"):
            spec.pop("clusterIP", None)
            spec.pop("clusterIPs", None)
        if same("ipFamilies"):
            spec.pop("ipFamilies", None)
        if same("ipFamilyPolicy"):
            spec.pop("ipFamilyPolicy", None)
    if needs_node_port(old) and not needs_node_port(new) and _node_ports(new) <= _node_ports(old):
        for port in _ports(new):
            port.pop("nodePort", None)
    if needs_health_check(old) and not needs_health_check(new) and same("healthCheckNodePort"):
        spec.pop("healthCheckNodePort", None)
    if _type(old) == "LoadBalancer" and _type(new) != "LoadBalancer":
        if spec.get("allocateLoadBalancerNodePorts") is not None and old_spec.get("allocateLoadBalancerNodePorts") \
                is not None and same("allocateLoadBalancerNodePorts"):
            spec.pop("allocateLoadBalancerNodePorts")
        if same("loadBalancerClass"):
            spec.pop("loadBalancerClass", None)
    if externally_accessible(old) and not externally_accessible(new) and same("externalTrafficPolicy"):
        spec.pop("externalTrafficPolicy", None)
    if _type(new) != "LoadBalancer":
        new.setdefault("status", {})["loadBalancer"] = {}


# --- validation (pkg/apis/core/validation ValidateService) ----------------------------------


def _go_service_port(protocol: str, port: int, node_port: int = 0) -> str:
    return (f'core.ServicePort{{Name:"", Protocol:"{protocol}", AppProtocol:(*string)(nil), Port:{port}, '
            f'TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:""}}, NodePort:{node_port}}}')


def _validate_port(port: dict[str, Any], path: str, require_name: bool, names: set[str]) -> list[Cause]:
    causes: list[Cause] = []
    name = port.get("name") or ""
    if require_name and not name:
        causes.append(required(f"{path}.name"))
    elif name:
        if len(name) > 63 or not _DNS1123_LABEL.match(name):
            detail = _DNS1123_LABEL_MESSAGE if len(name) <= 63 else "must be no more than 63 characters"
            causes.append(invalid(f"{path}.name", name, detail))
        if name in names:
            causes.append(duplicate(f"{path}.name", name))
        names.add(name)
    number = port.get("port", 0)
    if not isinstance(number, int) or not 1 <= number <= 65535:
        causes.append(invalid(f"{path}.port", number, _PORT_RANGE_MESSAGE))
    protocol = port.get("protocol")
    if not protocol:
        causes.append(required(f"{path}.protocol"))
    elif protocol not in PROTOCOLS:
        causes.append(not_supported(f"{path}.protocol", protocol, PROTOCOLS))
    target = port.get("targetPort")
    if isinstance(target, int) and not 1 <= target <= 65535:
        causes.append(invalid(f"{path}.targetPort", target, _PORT_RANGE_MESSAGE))
    elif isinstance(target, str) and not (_IANA_SVC_NAME.match(target) and re.search("[a-z]", target)
                                          and "--" not in target):
        causes.append(invalid(f"{path}.targetPort", target, "must contain only alpha-numeric characters (a-z, "
                                                            "0-9), and hyphens (-)"))
    return causes


def _validate_ports(svc: Service) -> list[Cause]:
    ports = _ports(svc)
    causes: list[Cause] = []
    if not ports and not is_headless(svc) and _type(svc) != "ExternalName":
        causes.append(required("spec.ports"))
    names: set[str] = set()
    for index, port in enumerate(ports):
        causes += _validate_port(port, f"spec.ports[{index}]", len(ports) > 1, names)
    if _type(svc) == "ClusterIP":
        causes += [forbidden(f"spec.ports[{index}].nodePort", "may not be used when `type` is 'ClusterIP'")
                   for index, port in enumerate(ports) if port.get("nodePort")]
    seen_ports: set[tuple[str, int]] = set()
    seen_node_ports: set[tuple[str, int]] = set()
    for index, port in enumerate(ports):
        key = (port.get("protocol", ""), port.get("port", 0))
        if key in seen_ports:
            causes.append(duplicate(f"spec.ports[{index}]", None, _go_service_port(*key)))
        seen_ports.add(key)
        if port.get("nodePort"):
            node_key = (port.get("protocol", ""), port["nodePort"])
            if node_key in seen_node_ports:
                causes.append(duplicate(f"spec.ports[{index}].nodePort", port["nodePort"]))
            seen_node_ports.add(node_key)
    return causes


def _validate_cluster_ip(svc: Service) -> list[Cause]:
    spec = svc.get("spec", {})
    cluster_ip = spec.get("clusterIP")
    if _type(svc) == "ExternalName":
        causes = [] if spec.get("externalName") else [required("spec.externalName")]
        if cluster_ip:
            causes.append(forbidden("spec.clusterIP", "may not be set for ExternalName services"))
        return causes
    if cluster_ip == HEADLESS and _type(svc) in ("NodePort", "LoadBalancer"):
        return [invalid("spec.clusterIPs[0]", HEADLESS, f"may not be set to 'None' for {_type(svc)} services")]
    if cluster_ip and cluster_ip != HEADLESS:
        try:
            ipaddress.ip_address(cluster_ip)
        except ValueError:
            return [invalid("spec.clusterIPs[0]", cluster_ip,
                            "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")]
    return []


def _validate_traffic_policies(svc: Service, kube_version: KubeVersion) -> list[Cause]:
    spec = svc.get("spec", {})
    causes: list[Cause] = []
    policy = spec.get("externalTrafficPolicy")
    if kube_version < EXTERNALLY_ACCESSIBLE_POLICY_SINCE:
        if policy and _type(svc) not in ("NodePort", "LoadBalancer"):
            causes.append(invalid("spec.externalTrafficPolicy", policy,
                                  "ExternalTrafficPolicy can only be set on NodePort and LoadBalancer service"))
    elif not externally_accessible(svc):
        if policy:
            causes.append(invalid("spec.externalTrafficPolicy", policy,
                                  "may only be set for externally-accessible services"))
    elif not policy:
        causes.append(required("spec.externalTrafficPolicy"))
    elif policy not in TRAFFIC_POLICIES:
        causes.append(not_supported("spec.externalTrafficPolicy", policy, TRAFFIC_POLICIES))
    health_port = spec.get("healthCheckNodePort")
    if not needs_health_check(svc):
        if health_port:
            causes.append(invalid("spec.healthCheckNodePort", health_port,
                                  "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is "
                                  "'Local'"))
    elif health_port and not 1 <= health_port <= 65535:
        causes.append(invalid("spec.healthCheckNodePort", health_port, _PORT_RANGE_MESSAGE))
    internal = spec.get("internalTrafficPolicy")
    if _type(svc) != "ExternalName" and internal is not None and internal not in TRAFFIC_POLICIES:
        causes.append(not_supported("spec.internalTrafficPolicy", internal, TRAFFIC_POLICIES))
    return causes


def _validate_load_balancer_fields(svc: Service, old: Service | None, kube_version: KubeVersion) -> list[Cause]:
    spec = svc.get("spec", {})
    is_load_balancer = _type(svc) == "LoadBalancer"
    causes: list[Cause] = []
    ranges = spec.get("loadBalancerSourceRanges") or []
    if ranges and not is_load_balancer:
        causes.append(forbidden("spec.LoadBalancerSourceRanges", _ONLY_FOR_LOAD_BALANCER))
    for index, cidr in enumerate(ranges):
        try:
            ipaddress.ip_network(str(cidr).strip(), strict=False)
        except ValueError:
            causes.append(invalid(f"spec.LoadBalancerSourceRanges[{index}]", cidr,
                                  "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"))
    if spec.get("allocateLoadBalancerNodePorts") is not None and not is_load_balancer \
            and kube_version >= LOAD_BALANCER_NODE_PORTS_OPTIONAL_SINCE:
        causes.append(forbidden("spec.allocateLoadBalancerNodePorts", _ONLY_FOR_LOAD_BALANCER))
    lb_class = spec.get("loadBalancerClass")
    if old is not None and _type(old) == "LoadBalancer" and is_load_balancer \
            and old.get("spec", {}).get("loadBalancerClass") != lb_class:
        causes.append(invalid("spec.loadBalancerClass", lb_class, "may not change once set"))
    if lb_class is not None and not is_load_balancer:
        causes.append(forbidden("spec.loadBalancerClass", _ONLY_FOR_LOAD_BALANCER))
    return causes


def validate(svc: Service, kube_version: KubeVersion, old: Service | None = None) -> list[Cause]:
    """Causes ``ValidateService`` (or ``ValidateServiceUpdate`` when ``old`` is given) reports."""
    spec = svc.get("spec", {})
    causes: list[Cause] = []
    if old is not None and needs_cluster_ip(old) and needs_cluster_ip(svc):
        causes += _validate_cluster_ip_unchanged(old, svc, kube_version)
    if _type(svc) not in SERVICE_TYPES:
        causes.append(not_supported("spec.type", _type(svc), SERVICE_TYPES))
    causes += _validate_cluster_ip(svc)
    causes += _validate_ports(svc)
    affinity = spec.get("sessionAffinity")
    if affinity not in SESSION_AFFINITIES:
        causes.append(not_supported("spec.sessionAffinity", affinity, SESSION_AFFINITIES))
    causes += _validate_load_balancer_fields(svc, old, kube_version)
    causes += _validate_traffic_policies(svc, kube_version)
    return causes


def _validate_cluster_ip_unchanged(old: Service, new: Service, kube_version: KubeVersion) -> list[Cause]:
    old_spec, spec = old.get("spec", {}), new.get("spec", {})
    if kube_version < TYPE_DEPENDENT_FIELDS_DROPPED_SINCE:
        if old_spec.get("clusterIP", "") != spec.get("clusterIP", ""):
            return [invalid("spec.clusterIP", spec.get("clusterIP", ""), "field is immutable")]
        return []
    old_ips, new_ips = old_spec.get("clusterIPs") or [], spec.get("clusterIPs") or []
    if old_ips and new_ips and old_ips[0] != new_ips[0]:
        return [invalid("spec.clusterIPs[0]", new_ips, "may not change once set")]
    return []


# --- allocation -----------------------------------------------------------------------------


def _allocate(svc: Service, old: Service | None, allocator: Allocator) -> Callable[[], None]:
    """Allocate what ``svc`` needs and ``old`` did not hold; return an undo function; raise ``Invalid``."""
    undo: list[Callable[[], None]] = []
    spec, old_spec = _spec(svc), (old or {}).get("spec", {})
    held_ip = old_spec.get("clusterIP") if old is not None and _has_ip(old_spec) else None
    held_ports = _node_ports(old) if old is not None else set()
    try:
        requested_ip = spec.get("clusterIP")
        if needs_cluster_ip(svc) and requested_ip != HEADLESS and (not requested_ip or requested_ip != held_ip):
            try:
                address = allocator.allocate_cluster_ip(requested_ip)
            except ValueError as error:
                raise Invalid([invalid("spec.clusterIPs", [requested_ip] if requested_ip else [],
                                       str(error))]) from None
            undo.append(partial(allocator.release_cluster_ip, address))
            spec["clusterIP"], spec["clusterIPs"] = address, [address]
        if needs_cluster_ip(svc):
            spec.setdefault("clusterIPs", [spec["clusterIP"]])
            spec.setdefault("ipFamilies", ["IPv4"])
            spec.setdefault("ipFamilyPolicy", "SingleStack")
        wants_node_ports = _type(svc) == "NodePort" or (
            _type(svc) == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts", True))
        for index, port in enumerate(_ports(svc)):
            requested = port.get("nodePort")
            if (requested and requested in held_ports) or not (requested or wants_node_ports):
                continue
            try:
                port["nodePort"] = allocator.allocate_node_port(requested)
            except ValueError as error:
                raise Invalid([invalid(f"spec.ports[{index}].nodePort", requested, str(error))]) from None
            undo.append(partial(allocator.release_node_port, port["nodePort"]))
        health_port = spec.get("healthCheckNodePort")
        if needs_health_check(svc) and (not health_port or health_port != old_spec.get("healthCheckNodePort")):
            try:
                spec["healthCheckNodePort"] = allocator.allocate_node_port(health_port)
            except ValueError as error:
                detail = f"failed to allocate requested HealthCheck NodePort {health_port}: {error}"
                raise Invalid([invalid("spec.healthCheckNodePort", health_port, detail)]) from None
            undo.append(partial(allocator.release_node_port, spec["healthCheckNodePort"]))
    except Invalid:
        for step in reversed(undo):
            step()
        raise

    def rollback() -> None:
        for step in reversed(undo):
            step()

    return rollback


def _held(svc: Service) -> tuple[set[str], set[int]]:
    spec = svc.get("spec", {})
    addresses = {ip for ip in spec.get("clusterIPs") or [spec.get("clusterIP")] if ip and ip != HEADLESS}
    ports = _node_ports(svc) | ({spec["healthCheckNodePort"]} if spec.get("healthCheckNodePort") else set())
    return addresses, ports


def release(svc: Service, allocator: Allocator) -> None:
    """Give back the cluster IPs and node ports ``svc`` holds (on delete)."""
    addresses, ports = _held(svc)
    for address in addresses:
        allocator.release_cluster_ip(address)
    for port in ports:
        allocator.release_node_port(port)


def _finish(svc: Service, old: Service | None, allocator: Allocator, dry_run: bool) -> Service:
    rollback = _allocate(svc, old, allocator)
    if dry_run:
        rollback()
    elif old is not None:
        old_addresses, old_ports = _held(old)
        new_addresses, new_ports = _held(svc)
        for address in old_addresses - new_addresses:
            allocator.release_cluster_ip(address)
        for port in old_ports - new_ports:
            allocator.release_node_port(port)
    return svc


# --- entry points ---------------------------------------------------------------------------


def prepare_create(svc: Service, allocator: Allocator, kube_version: KubeVersion,
                   dry_run: bool = False) -> Service:
    """Default, validate and allocate a new Service; raise ``Invalid`` with the server's causes."""
    new = apply_defaults(svc, kube_version)
    new["status"] = {"loadBalancer": {}}
    _normalize_cluster_ips(None, new)
    causes = validate(new, kube_version)
    if causes:
        raise Invalid(causes)
    return _finish(new, None, allocator, dry_run)


def prepare_update(old: Service, new: Service, allocator: Allocator, kube_version: KubeVersion,
                   dry_run: bool = False) -> Service:
    """Apply the update strategy to ``new`` against the stored ``old``, validate and (re)allocate."""
    updated = apply_defaults(new, kube_version)
    updated["status"] = copy.deepcopy(old.get("status", {"loadBalancer": {}}))
    _normalize_cluster_ips(old, updated)
    if kube_version >= TYPE_DEPENDENT_FIELDS_DROPPED_SINCE:
        _patch_allocated_values(old, updated)
        _drop_type_dependent_fields(old, updated)
    causes = validate(updated, kube_version, old)
    if causes:
        raise Invalid(causes)
    return _finish(updated, old, allocator, dry_run)
