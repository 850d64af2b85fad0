# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where a Kubernetes Gateway API Gateway answers (ingress_info's ``k8s_gateway``).

Istio's Gateway API controller deploys each Gateway as a Deployment and a Service ``<gateway>-<class>`` labelled
``gateway.networking.k8s.io/gateway-name: <gateway>``, and reports the address in the Gateway's ``status.addresses``
once ``Programmed``. Before that, the Service's own load balancer address is the answer. One GET of the Gateway and
one LIST of Services in its namespace.
"""

from __future__ import annotations

from ansible_collections.meshsmith.istio.plugins.module_utils.gateway_api.descriptors import K8S_GATEWAY
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.gateway_api import gateway_addresses, is_programmed
from ansible_collections.meshsmith.istio.plugins.module_utils.services.ingress import (
    IngressError,
    find_gateway_service,
    load_balancer_addresses,
)

GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name"


def listener_servers(gateway: dict) -> list:
    """The Gateway's listeners in the shape of Istio Gateway servers (port number, name, protocol; hosts), so that
    exposed ports and URLs are found as for an Istio Gateway."""
    return [{"port": {"number": listener.get("port"), "name": listener.get("name"), "protocol": listener.get("protocol")},
             "hosts": [listener.get("hostname") or "*"]}
            for listener in (gateway.get("spec") or {}).get("listeners") or []]


def k8s_gateway_addresses(gateway: dict, service: dict) -> list:
    """``status.addresses`` of a Programmed Gateway, else the external addresses of its Service."""
    return gateway_addresses(gateway) if is_programmed(gateway) else load_balancer_addresses(service)


def read_k8s_gateway(client, namespace: str, name: str) -> tuple:
    """``(gateway, service)``: the Gateway API Gateway ``namespace/name`` (one GET) and the Service its controller
    made for it (one LIST); ``IngressError`` when either is missing."""
    gateway = client.get(K8S_GATEWAY.at().path(namespace, name))
    if gateway is None:
        raise IngressError("Gateway %s/%s (%s) not found (or the cluster does not serve the Gateway API: are its CRDs "
                           "installed?)" % (namespace, name, K8S_GATEWAY.at().api_version))
    return gateway, find_gateway_service(client, {GATEWAY_NAME_LABEL: name}, namespace)


def describe_k8s_gateway(gateway: dict) -> dict:
    """ingress_info's ``k8s_gateway`` result: namespace, name, gatewayClassName, and whether it is Programmed."""
    metadata = gateway.get("metadata") or {}
    return {"namespace": metadata.get("namespace"), "name": metadata.get("name"),
            "gateway_class": (gateway.get("spec") or {}).get("gatewayClassName"), "programmed": is_programmed(gateway)}
