# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""route_check's reads: the objects it reasons about, one LIST per kind in all namespaces."""

from __future__ import annotations

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.info import list_served
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.client import KubeClient
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import ISTIO_RESOURCES
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kinds import DEPLOYMENT, POD, SERVICE
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.model import Inventory

# Istio kinds whose CRD may be left out: without it there are none, which is no finding
OPTIONAL_ISTIO_KINDS = ("ServiceEntry", "DestinationRule")


def read_inventory(client: KubeClient, api_version: str) -> Inventory:
    """Seven LISTs (Gateways, VirtualServices, ServiceEntries, DestinationRules at ``api_version``; Services, Pods,
    Deployments). An Istio type the cluster does not serve holds nothing; Gateways and VirtualServices then
    land in ``unserved``."""
    istio_items, unserved = {}, []
    for kind in ("Gateway", "VirtualService") + OPTIONAL_ISTIO_KINDS:
        items = list_served(client, ISTIO_RESOURCES[kind].at(api_version).path())
        if items is None and kind not in OPTIONAL_ISTIO_KINDS:
            unserved.append((api_version, kind))
        istio_items[kind] = items or []
    return Inventory(
        gateways=istio_items["Gateway"],
        virtual_services=istio_items["VirtualService"],
        services=client.list(SERVICE.path()),
        service_entries=istio_items["ServiceEntry"],
        destination_rules=istio_items["DestinationRule"],
        pods=client.list(POD.path()),
        deployments=client.list(DEPLOYMENT.path()),
        unserved=unserved,
    )
