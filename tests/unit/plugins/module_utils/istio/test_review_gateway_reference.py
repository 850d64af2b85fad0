# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A VirtualService bound to a Gateway by the legacy ``name.namespace.svc.cluster.local`` reference (which istiod
accepts with a warning) counts as bound: a teardown never deletes the Gateway or the hosts it still serves."""

from __future__ import annotations

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.routes.model import gateway_reference
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.shared_gateway import (
    OWNER_LABEL,
    OWNER_VALUE,
    reduced_gateway,
)

HTTP = {"number": 80, "name": "http", "protocol": "HTTP"}


@pytest.mark.parametrize("reference, expected", [
    ("istio-system/shared", ("istio-system", "shared")),
    ("shared", ("apps", "shared")),
    ("./shared", ("apps", "shared")),
    ("shared.istio-system", ("istio-system", "shared")),
    ("shared.istio-system.svc.cluster.local", ("istio-system", "shared")),
])
def test_gateway_reference_resolves_as_istiod(reference, expected):
    assert gateway_reference(reference, "apps") == expected


def test_owned_gateway_bound_by_a_legacy_reference_keeps_the_host_it_serves():
    live = {"apiVersion": "networking.istio.io/v1", "kind": "Gateway",
            "metadata": {"name": "shared", "namespace": "istio-system", "labels": {OWNER_LABEL: OWNER_VALUE}},
            "spec": {"selector": {"istio": "ingressgateway"},
                     "servers": [{"port": HTTP, "hosts": ["a.example.com", "b.example.com"]}]}}
    app_b = {"metadata": {"name": "b", "namespace": "apps"},
             "spec": {"hosts": ["b.example.com"], "gateways": ["shared.istio-system.svc.cluster.local"]}}
    reduced = reduced_gateway(live, [{"port": HTTP, "hosts": ["a.example.com", "b.example.com"]}], [app_b])
    assert reduced is not None
    assert reduced["spec"]["servers"] == [{"port": HTTP, "hosts": ["b.example.com"]}]
