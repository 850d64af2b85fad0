"""What Istio's Gateway API controller writes: its GatewayClass, a Gateway's Deployment and Service, statuses.

Pure functions over JSON-shaped objects, after istio/istio ``pilot/pkg/config/kube/gateway`` (deploymentcontroller.go
and its templates for the objects; conditions.go, conversion.go and status.go for the status texts). Only what a
client can see is emulated: no Envoy configuration is generated.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

from kubesim.selectors import SelectorError, label_selector_from_spec

GROUP = "gateway.networking.k8s.io"
VERSION = "v1"
CONTROLLER_NAME = "istio.io/gateway-controller"
DEFAULT_CLASS = "istio"
DOMAIN = "cluster.local"
GATEWAY_NAME_LABEL = f"{GROUP}/gateway-name"
GATEWAY_CLASS_LABEL = f"{GROUP}/gateway-class-name"
MANAGED_LABEL = "gateway.istio.io/managed"
MANAGED_VALUE = "istio.io-gateway-controller"
SERVICE_TYPE_ANNOTATION = "networking.istio.io/service-type"
CONTROLLER_VERSION_ANNOTATION = "gateway.istio.io/controller-version"
CONTROLLER_VERSION = "5"
STATUS_PORT = 15021
PROXY_IMAGE = "docker.io/istio/proxyv2:1.30.3"
NO_ERRORS = "No errors found"
Problem = tuple[str, str]  # (reason, message) of a condition that is not in its positive state


def default_gateway_class() -> dict[str, Any]:
    """The GatewayClass istiod creates at start-up when the Gateway API CRDs are installed."""
    return {"apiVersion": f"{GROUP}/{VERSION}", "kind": "GatewayClass", "metadata": {"name": DEFAULT_CLASS},
            "spec": {"controllerName": CONTROLLER_NAME, "description": "The default Istio GatewayClass"}}


def is_ours(gateway_class: dict[str, Any] | None) -> bool:
    """Whether Istio's controller handles this GatewayClass (and so the Gateways of it)."""
    return (gateway_class or {}).get("spec", {}).get("controllerName") == CONTROLLER_NAME


# ---- conditions -------------------------------------------------------------------------------------------------
def conditions(wanted: dict[str, tuple[str, str, str]], generation: int, previous: list[dict[str, Any]] | None,
               stamp: str) -> list[dict[str, Any]]:
    """``metav1.Condition``s by type (sorted, as Istio's setConditions) from ``{type: (status, reason, message)}``;
    a condition keeps its lastTransitionTime while its status stays the same."""
    before = {c.get("type"): c for c in previous or ()}
    result = []
    for kind in sorted(wanted):
        status, reason, message = wanted[kind]
        old = before.get(kind) or {}
        since = old.get("lastTransitionTime", stamp) if old.get("status") == status else stamp
        result.append({"type": kind, "status": status, "observedGeneration": generation,
                       "lastTransitionTime": since, "reason": reason, "message": message})
    return result


def positive(success_reason: str, success_message: str, problem: Problem | None) -> tuple[str, str, str]:
    """A condition in its success state (True), or False with the problem's reason and message."""
    return ("True", success_reason, success_message) if problem is None else ("False", *problem)


def human_join(items: list[str]) -> str:
    """Istio's humanReadableJoin: ``a``, ``a and b``, ``a, b, and c``."""
    if len(items) < 3:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


# ---- the deployment controller ------------------------------------------------------------------------------------
def managed_name(gateway: dict[str, Any]) -> str:
    """``<gateway>-<class>``: the name of the Deployment, Service and ServiceAccount Istio creates."""
    return f'{gateway["metadata"]["name"]}-{gateway["spec"]["gatewayClassName"]}'


def service_hostname(gateway: dict[str, Any]) -> str:
    return f'{managed_name(gateway)}.{gateway["metadata"]["namespace"]}.svc.{DOMAIN}'


def _managed_metadata(gateway: dict[str, Any]) -> dict[str, Any]:
    meta, spec = gateway["metadata"], gateway["spec"]
    infrastructure = spec.get("infrastructure") or {}
    labels = {**(infrastructure.get("labels") or {}), GATEWAY_NAME_LABEL: meta["name"],
              GATEWAY_CLASS_LABEL: spec["gatewayClassName"], MANAGED_LABEL: MANAGED_VALUE}
    metadata: dict[str, Any] = {
        "name": managed_name(gateway), "namespace": meta["namespace"], "labels": labels,
        "ownerReferences": [{"apiVersion": f"{GROUP}/{VERSION}", "kind": "Gateway", "name": meta["name"],
                             "uid": meta["uid"]}]}
    if infrastructure.get("annotations"):
        metadata["annotations"] = dict(infrastructure["annotations"])
    return metadata


def service_ports(gateway: dict[str, Any]) -> list[dict[str, Any]]:
    """The status port, then one port per distinct listener port (extractServicePorts)."""
    ports = [{"name": "status-port", "port": STATUS_PORT, "protocol": "TCP", "appProtocol": "tcp"}]
    seen = set()
    for listener in gateway["spec"].get("listeners") or ():
        if listener["port"] not in seen:
            seen.add(listener["port"])
            ports.append({"name": listener["name"], "port": listener["port"], "protocol": "TCP",
                          "appProtocol": str(listener.get("protocol", "")).lower()})
    return ports


def managed_service(gateway: dict[str, Any], existing: dict[str, Any] | None = None) -> dict[str, Any]:
    """The gateway's Service; node ports of ports the existing Service already has are kept."""
    node_ports = {p["port"]: p["nodePort"] for p in ((existing or {}).get("spec") or {}).get("ports") or ()
                  if "nodePort" in p}
    ports = [{**p, "nodePort": node_ports[p["port"]]} if p["port"] in node_ports else p
             for p in service_ports(gateway)]
    service_type = (gateway["metadata"].get("annotations") or {}).get(SERVICE_TYPE_ANNOTATION, "LoadBalancer")
    return {"apiVersion": "v1", "kind": "Service", "metadata": _managed_metadata(gateway),
            "spec": {"ports": ports, "selector": {GATEWAY_NAME_LABEL: gateway["metadata"]["name"]},
                     "type": service_type}}


def managed_service_account(gateway: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": _managed_metadata(gateway)}


def managed_deployment(gateway: dict[str, Any]) -> dict[str, Any]:
    """The gateway's Deployment: one istio-proxy container in router mode (the visible parts of Istio's template)."""
    metadata = _managed_metadata(gateway)
    name = metadata["name"]
    pod_labels = {**metadata["labels"], "service.istio.io/canonical-name": name,
                  "service.istio.io/canonical-revision": "latest", "sidecar.istio.io/inject": "false"}
    probe = {"httpGet": {"path": "/healthz/ready", "port": STATUS_PORT, "scheme": "HTTP"}}
    container = {
        "name": "istio-proxy", "image": PROXY_IMAGE, "args": ["proxy", "router", "--domain", f"$(POD_NAMESPACE).svc.{DOMAIN}"],
        "env": [{"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}}],
        "ports": [{"name": "metrics", "containerPort": 15020, "protocol": "TCP"},
                  {"name": "status-port", "containerPort": STATUS_PORT, "protocol": "TCP"},
                  {"name": "http-envoy-prom", "containerPort": 15090, "protocol": "TCP"}],
        "readinessProbe": {**probe, "periodSeconds": 15, "failureThreshold": 4},
        "startupProbe": {**probe, "periodSeconds": 1, "failureThreshold": 30}}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": metadata,
            "spec": {"selector": {"matchLabels": {GATEWAY_NAME_LABEL: gateway["metadata"]["name"]}},
                     "template": {"metadata": {"labels": pod_labels,
                                               "annotations": {"istio.io/rev": "default",
                                                               "prometheus.io/path": "/stats/prometheus",
                                                               "prometheus.io/port": "15020",
                                                               "prometheus.io/scrape": "true"}},
                                  "spec": {"serviceAccountName": name, "containers": [container]}}}}


def merged(existing: dict[str, Any], desired: dict[str, Any]) -> dict[str, Any]:
    """``existing`` with every field of ``desired`` set (maps merged, lists replaced), as a server-side apply by
    the controller's field manager would leave it."""
    result = dict(existing)
    for key, value in desired.items():
        old = result.get(key)
        result[key] = merged(old, value) if isinstance(old, dict) and isinstance(value, dict) else value
    return result


# ---- statuses ---------------------------------------------------------------------------------------------------
@dataclass
class Cluster:
    """What the status computation reads: the Gateway API objects and the Services and Namespaces they refer to."""

    classes: dict[str, dict[str, Any]] = field(default_factory=dict)
    gateways: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    services: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    namespace_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    grants: list[dict[str, Any]] = field(default_factory=list)

    def handles(self, gateway: dict[str, Any]) -> bool:
        return is_ours(self.classes.get(gateway["spec"].get("gatewayClassName", "")))


def gateway_class_status(gateway_class: dict[str, Any], stamp: str) -> dict[str, Any]:
    previous = (gateway_class.get("status") or {}).get("conditions")
    wanted = {"Accepted": ("True", "Accepted", "Handled by Istio controller")}
    return {**(gateway_class.get("status") or {}),
            "conditions": conditions(wanted, gateway_class["metadata"].get("generation", 1), previous, stamp)}


def supported_kinds(listener: dict[str, Any]) -> tuple[list[dict[str, str]], bool]:
    """Route kinds a listener accepts (generateSupportedKinds), and whether every allowedRoutes kind is supported."""
    protocol = listener.get("protocol")
    if protocol in ("HTTP", "HTTPS"):
        kinds = ["HTTPRoute", "GRPCRoute"]
    elif protocol == "TLS" and ((listener.get("tls") or {}).get("mode") == "Passthrough"):
        kinds = ["TLSRoute"]
    elif protocol in ("TCP", "TLS"):
        kinds = ["TCPRoute"]
    else:
        kinds = []
    supported = [{"group": GROUP, "kind": kind} for kind in kinds]
    allowed = (listener.get("allowedRoutes") or {}).get("kinds") or []
    if not allowed:
        return supported, True
    wanted = {(k.get("group", GROUP), k.get("kind")) for k in allowed}
    kept = [k for k in supported if (k["group"], k["kind"]) in wanted]
    return kept, len(kept) == len(allowed)


def _listener_status(listener: dict[str, Any], attached: int, generation: int, previous: dict[str, Any],
                     stamp: str) -> dict[str, Any]:
    kinds, valid = supported_kinds(listener)
    refs: Problem | None = None if valid else ("InvalidRouteKinds", "Invalid route kinds")
    wanted = {"Accepted": ("True", "Accepted", NO_ERRORS), "Conflicted": ("False", "NoConflicts", NO_ERRORS),
              "Programmed": ("True", "Programmed", NO_ERRORS),
              "ResolvedRefs": positive("ResolvedRefs", NO_ERRORS, refs)}
    return {"name": listener["name"], "supportedKinds": kinds, "attachedRoutes": attached,
            "conditions": conditions(wanted, generation, previous.get("conditions"), stamp)}


def _address(value: str) -> dict[str, str]:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return {"type": "Hostname", "value": value}
    return {"type": "IPAddress", "value": value}


def gateway_status(gateway: dict[str, Any], service: dict[str, Any] | None, attached: dict[str, int],
                   stamp: str) -> dict[str, Any]:
    """Accepted, Programmed (only once the Service has its address), addresses and listeners (reportGatewayStatus)."""
    listeners = gateway["spec"].get("listeners") or []
    generation = gateway["metadata"].get("generation", 1)
    previous = gateway.get("status") or {}
    hostname = service_hostname(gateway)
    service = service or {}
    spec = service.get("spec") or {}
    service_ports = {p.get("port") for p in spec.get("ports") or ()}
    internal = sorted({f"{hostname}:{listener['port']}" for listener in listeners
                       if listener["port"] in service_ports})
    external = [i.get("ip") or i.get("hostname") for i in
                (service.get("status") or {}).get("loadBalancer", {}).get("ingress") or ()]
    if not service:
        programmed: Problem | None = ("AddressNotUsable", f'Failed to assign to any requested addresses: hostname '
                                                          f'"{hostname}" not found')
    elif spec.get("type") == "LoadBalancer" and not external:
        pending = f'address pending for hostname "{hostname}"'
        message = (f"Assigned to service(s) {human_join(internal)}, but failed to assign to all requested "
                   f"addresses: {pending}" if internal else f"Failed to assign to any requested addresses: {pending}")
        programmed = ("AddressNotAssigned", message)
    else:
        programmed = None
    success = f"Resource programmed, assigned to service(s) {human_join(internal)}" if internal \
        else "Resource programmed"
    status: dict[str, Any] = {}
    addresses = external or [ip for ip in spec.get("clusterIPs") or [spec.get("clusterIP")] if ip and ip != "None"]
    if addresses:
        status["addresses"] = [_address(a) for a in addresses]
    elif previous.get("addresses"):
        status["addresses"] = previous["addresses"]  # once reported, an address is never removed
    wanted = {"Accepted": ("True", "Accepted", "Resource accepted"),
              "Programmed": positive("Programmed", success, programmed)}
    status["conditions"] = conditions(wanted, generation, previous.get("conditions"), stamp)
    before = {item.get("name"): item for item in previous.get("listeners") or ()}
    status["listeners"] = [_listener_status(listener, attached.get(listener["name"], 0), generation,
                                            before.get(listener["name"], {}), stamp) for listener in listeners]
    return status


# ---- routes -----------------------------------------------------------------------------------------------------
def _hostnames_match(listener_host: str, route_host: str) -> bool:
    """Istio's host.Name.Matches: equal, or one a wildcard (``*.example.com``) covering the other."""
    if listener_host == route_host or "*" in (listener_host, route_host):
        return True
    if listener_host.startswith("*.") and route_host.endswith(listener_host[1:]):
        return True
    return route_host.startswith("*.") and listener_host.endswith(route_host[1:])


def _namespace_allowed(listener: dict[str, Any], gateway_namespace: str, route_namespace: str,
                       cluster: Cluster) -> bool:
    namespaces = (listener.get("allowedRoutes") or {}).get("namespaces") or {}
    origin = namespaces.get("from", "Same")
    if origin == "All":
        return True
    if origin == "Selector":
        try:
            selector = label_selector_from_spec(namespaces.get("selector"))
        except SelectorError:
            return False
        return selector.matches(cluster.namespace_labels.get(route_namespace, {}))
    return route_namespace == gateway_namespace


def _listener_refusal(listener: dict[str, Any], gateway: dict[str, Any], route: dict[str, Any],
                      route_kind: str, cluster: Cluster) -> Problem | None:
    """Why ``listener`` does not take ``route`` (referenceAllowed), or None when it does."""
    route_namespace = route["metadata"]["namespace"]
    hostnames = route["spec"].get("hostnames") or ["*"]
    listener_host = listener.get("hostname", "")
    host_matched = not listener_host or any(_hostnames_match(listener_host, h) for h in hostnames)
    if not host_matched:
        return "NoMatchingListenerHostname", f'no hostnames matched parent hostname "{listener_host}"'
    if not _namespace_allowed(listener, gateway["metadata"]["namespace"], route_namespace, cluster):
        return ("NotAllowedByListeners", f'hostnames matched parent hostname "{listener_host}", but namespace '
                                         f'"{route_namespace}" is not allowed by the parent')
    if route_kind not in {k["kind"] for k in supported_kinds(listener)[0]}:
        return "NotAllowedByListeners", f"kind {GROUP}/{VERSION}, Kind={route_kind} is not allowed"
    return None


# Istio reports the least severe refusal of a parentRef's listeners (createRouteStatus' ranks).
_RANK = {"NotAllowedByListeners": 1, "NoMatchingListenerHostname": 2, "NoMatchingParent": 4}


def _parent_result(ref: dict[str, Any], gateway: dict[str, Any] | None, route: dict[str, Any], route_kind: str,
                   cluster: Cluster) -> tuple[list[str], Problem | None]:
    """The listeners of the parent that take the route, or why none does."""
    if gateway is None:
        namespace = ref.get("namespace", route["metadata"]["namespace"])
        return [], ("NoMatchingParent", f'gateway "{namespace}/{ref["name"]}" not found')
    listeners = gateway["spec"].get("listeners") or []
    if "port" in ref:
        listeners = [item for item in listeners if item["port"] == ref["port"]]
        if not listeners:
            return [], ("NoMatchingParent", f'port {ref["port"]} not found')
    if "sectionName" in ref:
        listeners = [item for item in listeners if item["name"] == ref["sectionName"]]
        if not listeners:
            return [], ("NoMatchingParent", f'sectionName "{ref["sectionName"]}" not found')
    refusals = [(item["name"], _listener_refusal(item, gateway, route, route_kind, cluster)) for item in listeners]
    taken = [name for name, refusal in refusals if refusal is None]
    if taken or not refusals:
        return taken, None
    problems = [problem for _name, problem in refusals if problem is not None]
    best = min(_RANK.get(reason, 0) for reason, _message in problems)
    chosen = [problem for problem in problems if _RANK.get(problem[0], 0) == best]
    return [], (chosen[0][0], "; ".join(message for _reason, message in chosen))


def _grant_allows(cluster: Cluster, route_kind: str, route_namespace: str, namespace: str, name: str) -> bool:
    """Whether a ReferenceGrant in ``namespace`` lets routes of ``route_namespace`` refer to Service ``name``."""
    for grant in cluster.grants:
        if grant["metadata"].get("namespace") != namespace:
            continue
        spec = grant.get("spec") or {}
        froms = any(f.get("group") == GROUP and f.get("kind") == route_kind and f.get("namespace") == route_namespace
                    for f in spec.get("from") or ())
        tos = any(t.get("group", "") == "" and t.get("kind") == "Service" and t.get("name", name) == name
                  for t in spec.get("to") or ())
        if froms and tos:
            return True
    return False


def backend_problem(route: dict[str, Any], route_kind: str, cluster: Cluster) -> Problem | None:
    """The route's backendRef error Istio reports in ResolvedRefs (the last one found), or None."""
    namespace = route["metadata"]["namespace"]
    problem: Problem | None = None
    for rule in route["spec"].get("rules") or ():
        for ref in rule.get("backendRefs") or ():
            group, kind, name = ref.get("group", ""), ref.get("kind", "Service"), ref.get("name", "")
            target = ref.get("namespace", namespace)
            if (group, kind) != ("", "Service"):
                problem = ("InvalidKind", f'referencing unsupported backendRef: group "{group}" kind "{kind}"')
            elif target != namespace and not _grant_allows(cluster, route_kind, namespace, target, name):
                problem = ("RefNotPermitted", f"backendRef {name}/{target} not accessible to a {route_kind} in "
                                              f'namespace "{namespace}" (missing a ReferenceGrant?)')
            elif "." in name:
                problem = ("InvalidDestination",
                           "service name invalid; the name of the Service must be used, not the hostname.")
            elif (target, name) not in cluster.services:
                problem = ("BackendNotFound", f"backend({name}.{target}.svc.{DOMAIN}) not found")
    return problem


def _ref_key(ref: dict[str, Any]) -> str:
    return repr(sorted(ref.items()))


def route_status(route: dict[str, Any], route_kind: str, cluster: Cluster,
                 stamp: str) -> tuple[dict[str, Any], dict[tuple[str, str, str], int]]:
    """The route's ``status.parents`` (other controllers' entries kept) and the listeners it attached to, as
    ``{(gateway namespace, gateway name, listener name): 1}``."""
    namespace = route["metadata"]["namespace"]
    generation = route["metadata"].get("generation", 1)
    previous = (route.get("status") or {}).get("parents") or []
    parents = [p for p in previous if p.get("controllerName") != CONTROLLER_NAME]
    ours = {_ref_key(p.get("parentRef", {})): p for p in previous
            if p.get("controllerName") == CONTROLLER_NAME}
    backends = backend_problem(route, route_kind, cluster)
    attached: dict[tuple[str, str, str], int] = {}
    seen: set[str] = set()
    for ref in route["spec"].get("parentRefs") or ():
        key = _ref_key(ref)
        if ref.get("group", GROUP) != GROUP or ref.get("kind", "Gateway") != "Gateway" or key in seen:
            continue
        seen.add(key)
        gateway_key = (ref.get("namespace", namespace), ref["name"])
        gateway = cluster.gateways.get(gateway_key)
        if gateway is not None and not cluster.handles(gateway):
            continue  # another controller's Gateway
        taken, refusal = _parent_result(ref, gateway, route, route_kind, cluster)
        for listener in taken:
            attached[(*gateway_key, listener)] = 1
        valid = "Route was valid" if len(taken) < 2 else f"Route was valid, bound to {len(taken)} parents"
        wanted = {"Accepted": positive("Accepted", valid, refusal),
                  "ResolvedRefs": positive("ResolvedRefs", "All references resolved", backends)}
        old = (ours.get(key) or {}).get("conditions")
        parents.append({"parentRef": ref, "controllerName": CONTROLLER_NAME,
                        "conditions": conditions(wanted, generation, old, stamp)})
    return {**(route.get("status") or {}), "parents": parents}, attached
