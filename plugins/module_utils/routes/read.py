# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""route_check's reads: the objects it reasons about, one LIST per kind in all namespaces."""

from __future__ import annotations

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.info import list_served
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.client import KubeClient
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import ISTIO_RESOURCES
from ansible_collections.meshsmith.istio.plugins.module_utils.gateway_api.descriptors import (
    HTTP_ROUTE,
    K8S_GATEWAY,
    REFERENCE_GRANT,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kinds import DEPLOYMENT, NAMESPACE, POD, SERVICE
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.model import Inventory

# Istio kinds whose CRD may be left out: without it there are none, which is no finding
OPTIONAL_ISTIO_KINDS = ("ServiceEntry", "DestinationRule")


def read_inventory(client: KubeClient, api_version: str) -> Inventory:
    """Seven LISTs (Gateways, VirtualServices, ServiceEntries, DestinationRules at ``api_version``; Services, Pods,
    Deployments). An Istio type the cluster does not serve holds nothing; Gateways and VirtualServices then
    land in ``unserved``. Then the Gateway API's (``read_gateway_api``)."""
    istio_items, unserved = {}, []
    for kind in ("Gateway", "VirtualService") + OPTIONAL_ISTIO_KINDS:
        items = list_served(client, ISTIO_RESOURCES[kind].at(api_version).path())
        if items is None and kind not in OPTIONAL_ISTIO_KINDS:
            unserved.append((api_version, kind))
        istio_items[kind] = items or []
    inventory = Inventory(
        gateways=istio_items["Gateway"],
        virtual_services=istio_items["VirtualService"],
        services=client.list(SERVICE.path()),
        service_entries=istio_items["ServiceEntry"],
        destination_rules=istio_items["DestinationRule"],
        pods=client.list(POD.path()),
        deployments=client.list(DEPLOYMENT.path()),
        unserved=unserved,
    )
    read_gateway_api(client, inventory)
    return inventory


def read_gateway_api(client: KubeClient, inventory: Inventory) -> None:
    """One LIST of Gateway API Gateways; where the cluster serves them, one of HTTPRoutes and one of ReferenceGrants,
    plus one of Namespaces when a listener admits routes by namespace labels (a type not served holds nothing)."""
    gateways = list_served(client, K8S_GATEWAY.at().path())
    if gateways is None:
        return
    inventory.k8s_gateways = gateways
    inventory.http_routes = list_served(client, HTTP_ROUTE.at().path()) or []
    inventory.reference_grants = list_served(client, REFERENCE_GRANT.path()) or []
    if any(((listener.get("allowedRoutes") or {}).get("namespaces") or {}).get("from") == "Selector"
           for gateway in inventory.k8s_gateways for listener in (gateway.get("spec") or {}).get("listeners") or []):
        inventory.namespaces = client.list(NAMESPACE.path())
