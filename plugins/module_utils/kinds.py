# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The API kinds the collection manages, with their REST paths known up front (no discovery)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

ISTIO_NETWORKING_GROUP = "networking.istio.io"
ISTIO_API_VERSIONS = tuple("%s/%s" % (ISTIO_NETWORKING_GROUP, version) for version in ("v1", "v1beta1", "v1alpha3"))
DEFAULT_ISTIO_API_VERSION = ISTIO_API_VERSIONS[0]
ISTIO_PLURALS = {"Gateway": "gateways", "VirtualService": "virtualservices", "ServiceEntry": "serviceentries"}


@dataclass(frozen=True)
class Kind:
    """One served version of a resource type; ``group`` is empty for the core API."""

    group: str
    version: str
    plural: str
    kind: str
    namespaced: bool = True

    @property
    def api_version(self) -> str:
        return "%s/%s" % (self.group, self.version) if self.group else self.version

    def path(self, namespace: Optional[str] = None, name: Optional[str] = None) -> str:
        """The collection path (``name`` None) or item path; ``namespace`` None means all namespaces."""
        base = "/apis/%s/%s" % (self.group, self.version) if self.group else "/api/%s" % self.version
        if self.namespaced and namespace:
            base += "/namespaces/%s" % namespace
        path = "%s/%s" % (base, self.plural)
        return "%s/%s" % (path, name) if name else path

    def describe(self, namespace: Optional[str], name: str) -> str:
        """``Gateway istio-system/default-gateway``, as used in messages."""
        return "%s %s/%s" % (self.kind, namespace, name) if self.namespaced else "%s %s" % (self.kind, name)


def istio_kind(kind: str, api_version: str = DEFAULT_ISTIO_API_VERSION) -> Kind:
    """The Istio networking ``kind`` (``Gateway``, ``VirtualService``, ``ServiceEntry``) served at ``api_version``."""
    if api_version not in ISTIO_API_VERSIONS:
        raise ValueError("api_version must be one of %s, got %r" % (", ".join(ISTIO_API_VERSIONS), api_version))
    group, version = api_version.split("/")
    return Kind(group, version, ISTIO_PLURALS[kind], kind)


GATEWAY = istio_kind("Gateway")
VIRTUAL_SERVICE = istio_kind("VirtualService")
SERVICE = Kind("", "v1", "services", "Service")
POD = Kind("", "v1", "pods", "Pod")
NAMESPACE = Kind("", "v1", "namespaces", "Namespace", namespaced=False)
DEPLOYMENT = Kind("apps", "v1", "deployments", "Deployment")
