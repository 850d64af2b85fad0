# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The service_type task against the API server: the switch (``switch.py``) in one GET and at most one PUT,
then, when asked, the wait for a LoadBalancer's address, and the task's result."""

from __future__ import annotations

from typing import Optional

from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.client import KubeClient
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kinds import SERVICE
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.reconcile import Outcome, reconcile
from ansible_collections.meshsmith.istio.plugins.module_utils.services.ingress import (
    load_balancer_addresses,
    wait_for_service_address,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.services.switch import (
    ServiceSwitchError,
    service_diff_view,
    switch_service_type,
)


def apply_switch(client: KubeClient, name: str, namespace: str, target_type: str, check_mode: bool) -> Outcome:
    """Switch the Service ``namespace/name`` to ``target_type`` (a dry run in check mode). Raises
    ``ServiceSwitchError`` when it does not exist or cannot take that type, ``ApiError`` when the server refuses."""

    def build(live: Optional[dict]) -> dict:
        if live is None:
            raise ServiceSwitchError("Service %s/%s not found" % (namespace, name))
        return switch_service_type(live, target_type)

    return reconcile(client, SERVICE, name, namespace, "present", build, check_mode, view=service_diff_view)


def service_addresses(client: KubeClient, service: dict, wait_timeout: Optional[float]) -> tuple:
    """``(service, addresses)``: its external addresses; with ``wait_timeout``, a LoadBalancer that has none yet
    is read again until it has one (``IngressError`` after the timeout)."""
    addresses = load_balancer_addresses(service)
    if wait_timeout is None or addresses or service.get("spec", {}).get("type") != "LoadBalancer":
        return service, addresses
    return wait_for_service_address(client, service, wait_timeout)


def switch_result(outcome: Outcome, service: dict, addresses: list, diff_mode: bool) -> dict:
    """The task's result: changed, method, the Service and its addresses; ``diff`` in diff mode only."""
    result = dict(changed=outcome.changed, method=outcome.method, result=service, addresses=addresses)
    if diff_mode:
        result["diff"] = outcome.diff
    return result
