# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Known API paths: no discovery needed."""

from __future__ import annotations

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import (
    GATEWAY as GATEWAY_RESOURCE,
    SERVICE_ENTRY,
    VIRTUAL_SERVICE,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kinds import DEPLOYMENT, NAMESPACE, SERVICE

GATEWAY = GATEWAY_RESOURCE.at()


def test_istio_paths_per_version():
    assert GATEWAY.path("istio-system", "default-gateway") == \
        "/apis/networking.istio.io/v1/namespaces/istio-system/gateways/default-gateway"
    assert VIRTUAL_SERVICE.at("networking.istio.io/v1alpha3").path("default") == \
        "/apis/networking.istio.io/v1alpha3/namespaces/default/virtualservices"
    assert GATEWAY.path() == "/apis/networking.istio.io/v1/gateways"
    assert GATEWAY.api_version == "networking.istio.io/v1"
    assert SERVICE_ENTRY.at("networking.istio.io/v1beta1").path() == \
        "/apis/networking.istio.io/v1beta1/serviceentries"


def test_core_and_cluster_scoped_paths():
    assert SERVICE.path("default", "proxy") == "/api/v1/namespaces/default/services/proxy"
    assert SERVICE.api_version == "v1"
    assert DEPLOYMENT.path("default") == "/apis/apps/v1/namespaces/default/deployments"
    assert NAMESPACE.path("ignored", "istio-system") == "/api/v1/namespaces/istio-system"
    assert GATEWAY.describe("istio-system", "gw") == "Gateway istio-system/gw"


def test_unknown_istio_version_is_refused():
    with pytest.raises(ValueError, match="api_version must be one of"):
        GATEWAY_RESOURCE.at("networking.istio.io/v2")
