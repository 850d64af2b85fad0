# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Find an Istio gateway workload's Service, its external addresses and the URLs it answers on.

Pure functions on plain API objects, plus three readers that take the API client (``read_gateway``,
``find_gateway_service``, ``wait_for_service_address``) and raise ``IngressError`` with the task's message.
Which Gateway ports count as exposed follows istioctl analyze's IST0162 check
(GatewayPortNotDefinedOnService): a TCP Service port whose ``port`` or numeric ``targetPort``
equals the Gateway server's port number.
"""

from __future__ import annotations

import time
from typing import Callable, Optional

from ansible_collections.meshsmith.istio.plugins.module_utils.istio.hosts import labels_match, selector_text
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kinds import SERVICE, Kind

DEFAULT_GATEWAY_SELECTOR = {"istio": "ingressgateway"}

# preferred first: the Service most likely to carry the public address
SERVICE_TYPE_PREFERENCE = ("LoadBalancer", "NodePort", "ClusterIP")

URL_SCHEME_BY_PROTOCOL = {
    "HTTP": "http",
    "HTTP2": "http",
    "GRPC": "http",
    "GRPC-WEB": "http",
    "HTTPS": "https",
    "TLS": "https",
}

DEFAULT_PORT_BY_SCHEME = {"http": 80, "https": 443}


class IngressError(Exception):
    """The Gateway, its Service or the Service's address is not there; ``str()`` is the message for the user.
    ``service`` is the Service as last read, when there is one."""

    def __init__(self, message: str, service: Optional[dict] = None) -> None:
        super().__init__(message)
        self.service = service

    @property
    def failure_fields(self) -> dict:
        """What a task failing for this error returns besides ``msg``: the Service as last read."""
        return dict(result=self.service)


def is_gateway_service(service: dict, selector: dict) -> bool:
    """True when the Service belongs to the gateway workload ``selector`` picks.

    Either the Service is labelled like the workload, or its own pod selector includes the
    gateway selector (so every pod it sends traffic to is a pod the Gateway selects).
    """
    return bool(selector) and (
        labels_match(selector, service.get("metadata", {}).get("labels"))
        or labels_match(selector, service.get("spec", {}).get("selector"))
    )


def choose_gateway_service(services: list, selector: dict) -> Optional[dict]:
    """The best Service of the gateway workload: LoadBalancer first, then NodePort, then ClusterIP;
    among equals one in ``istio-system`` first, then by namespace and name. None when none matches."""
    candidates = [service for service in services if is_gateway_service(service, selector)]
    if not candidates:
        return None
    return min(candidates, key=_service_rank)


def _service_rank(service: dict) -> tuple:
    service_type = service.get("spec", {}).get("type", "ClusterIP")
    metadata = service.get("metadata", {})
    type_rank = (
        SERVICE_TYPE_PREFERENCE.index(service_type)
        if service_type in SERVICE_TYPE_PREFERENCE
        else len(SERVICE_TYPE_PREFERENCE)
    )
    namespace = metadata.get("namespace", "")
    return (type_rank, namespace != "istio-system", namespace, metadata.get("name", ""))


def load_balancer_addresses(service: dict) -> list:
    """External addresses of a Service: load balancer ingress hostnames/IPs, then spec.externalIPs.

    Load balancer status counts only while the type is LoadBalancer (after a switch away, the stale status
    stays until the cloud controller clears it).
    """
    spec = service.get("spec", {})
    ingress = service.get("status", {}).get("loadBalancer", {}).get("ingress") or []
    found = [entry.get("hostname") or entry.get("ip") for entry in ingress] if spec.get("type") == "LoadBalancer" else []
    found += spec.get("externalIPs") or []
    return _unique(address for address in found if address)


def exposing_port(service: dict, number: int) -> Optional[dict]:
    """The TCP Service port carrying a Gateway server port ``number`` (by ``port``, else by numeric
    ``targetPort``), or None when the Service does not expose it."""
    tcp_ports = [port for port in service.get("spec", {}).get("ports") or [] if port.get("protocol", "TCP") == "TCP"]
    for port in tcp_ports:
        if port.get("port") == number:
            return port
    for port in tcp_ports:
        if port.get("targetPort") == number:
            return port
    return None


def unexposed_servers(servers: list, service: dict) -> list:
    """Gateway servers whose port the Service does not expose (istioctl analyze IST0162)."""
    return [server for server in servers if exposing_port(service, server.get("port", {}).get("number")) is None]


def format_url(scheme: str, address: str, port: int) -> str:
    """``scheme://address[:port]/``, the port left out when it is the scheme's default, IPv6 bracketed."""
    host = "[%s]" % address if ":" in address else address
    suffix = "" if DEFAULT_PORT_BY_SCHEME.get(scheme) == port else ":%d" % port
    return "%s://%s%s/" % (scheme, host, suffix)


def server_urls(servers: list, service: dict, addresses: list) -> list:
    """One URL per exposed HTTP(S) Gateway server and address, on the Service port that carries it."""
    urls = []
    for server in servers:
        server_port = server.get("port", {})
        scheme = URL_SCHEME_BY_PROTOCOL.get(str(server_port.get("protocol", "")).upper())
        service_port = exposing_port(service, server_port.get("number"))
        if scheme and service_port:
            urls += [format_url(scheme, address, service_port["port"]) for address in addresses]
    return _unique(urls)


def port_name_scheme(port: dict) -> Optional[str]:
    """URL scheme of a Service port by Istio's protocol selection (appProtocol, else the name's prefix)."""
    protocol = port.get("appProtocol") or port.get("name", "").split("-", 1)[0]
    return URL_SCHEME_BY_PROTOCOL.get(protocol.upper())


def service_port_urls(service: dict, addresses: list) -> list:
    """URLs from the Service's HTTP(S) ports alone, for when no Gateway is given."""
    urls = []
    for port in service.get("spec", {}).get("ports") or []:
        scheme = port_name_scheme(port)
        if scheme:
            urls += [format_url(scheme, address, port["port"]) for address in addresses]
    return _unique(urls)


def describe_ingress(service: dict, servers: Optional[list], addresses: list) -> dict:
    """The ingress_info result for a gateway Service, its addresses and the Gateway's servers
    (``servers`` None when no Gateway was given: URLs then come from the Service's port names)."""
    metadata = service.get("metadata", {})
    spec = service.get("spec", {})
    return {
        "addresses": addresses,
        "service": {
            "namespace": metadata.get("namespace"),
            "name": metadata.get("name"),
            "type": spec.get("type", "ClusterIP"),
        },
        "ports": spec.get("ports") or [],
        "unexposed_servers": unexposed_servers(servers, service) if servers is not None else [],
        "urls": service_port_urls(service, addresses) if servers is None else server_urls(servers, service, addresses),
    }


def wait_for_addresses(
    service: Optional[dict],
    fetch: Callable[[], Optional[dict]],
    timeout: float,
    interval: float = 0.5,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple:
    """Wait until a Service has an external address, calling ``fetch`` (returns the Service, None
    when gone) every ``interval`` seconds; ``service`` (already read) is checked first, without a call.

    Returns ``(service, addresses)``; ``addresses`` is empty when ``timeout`` seconds passed first
    or the Service vanished (then ``service`` is None).
    """
    deadline = clock() + timeout
    while True:
        addresses = load_balancer_addresses(service) if service else []
        if addresses or service is None or clock() >= deadline:
            return service, addresses
        sleep(max(0.0, min(interval, deadline - clock())))
        service = fetch()


def _unique(values) -> list:
    return list(dict.fromkeys(values))


def read_gateway(client, kind: Kind, namespace: str, name: str) -> dict:
    """The Gateway ``namespace/name`` (one GET); it must exist and have a selector."""
    gateway = client.get(kind.path(namespace, name))
    if gateway is None:
        raise IngressError("Gateway %s/%s not found" % (namespace, name))
    if not gateway.get("spec", {}).get("selector"):
        raise IngressError("Gateway %s/%s has no selector" % (namespace, name))
    return gateway


def find_gateway_service(client, selector: dict, namespace: Optional[str]) -> dict:
    """The gateway workload's Service (see ``choose_gateway_service``) in ``namespace`` or all (one LIST)."""
    service = choose_gateway_service(client.list(SERVICE.path(namespace)), selector)
    if service is None:
        raise IngressError("No Service of the gateway workload selected by %s found in %s"
                           % (selector_text(selector), namespace or "any namespace"))
    return service


def wait_for_service_address(client, service: dict, timeout: float) -> tuple:
    """``(service, addresses)`` once the LoadBalancer ``service`` has an external address (a GET per poll)."""
    namespace, name = service["metadata"]["namespace"], service["metadata"]["name"]
    addresses = load_balancer_addresses(service)
    service_type = service.get("spec", {}).get("type", "ClusterIP")
    if not addresses and service_type != "LoadBalancer":
        raise IngressError("Service %s/%s is of type %s and has no external IPs: no address will come to wait for"
                           % (namespace, name, service_type), service)
    current, addresses = wait_for_addresses(service, lambda: client.get(SERVICE.path(namespace, name)), timeout)
    if current is None:
        raise IngressError("Service %s/%s was deleted while waiting for its address" % (namespace, name))
    if not addresses:
        raise IngressError("Timed out after %ss waiting for a load balancer address on Service %s/%s"
                           % (timeout, namespace, name), current)
    return current, addresses
