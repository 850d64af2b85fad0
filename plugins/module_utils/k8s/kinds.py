# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""API kinds (group, version, plural), with their REST paths known up front (no discovery).

``Kind.path`` is the one place an API path is built; it refuses any name or namespace that is not valid
(defence in depth: the modules check their options first, see ``names.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import (
    NAME_RULES,
    NameErrors,
    OptionRule,
    dns1123_label_errors,
    object_name,
)


class InvalidPath(ValueError):
    """No path for an invalid name or namespace: the request is not sent (modules fail with the message)."""


@dataclass(frozen=True)
class Kind:
    """One served version of a resource type; ``group`` is empty for the core API.

    ``name_format`` is the Kubernetes rule its object names follow, a key of ``names.NAME_RULES``.
    """

    group: str
    version: str
    plural: str
    kind: str
    namespaced: bool = True
    name_format: str = "subdomain"

    @property
    def api_version(self) -> str:
        return "%s/%s" % (self.group, self.version) if self.group else self.version

    @property
    def name_rule(self) -> OptionRule:
        """The rule (see ``names.check_options``) for an option holding the name of an object of this kind."""
        return object_name(self.kind, self.name_format)

    def path(self, namespace: Optional[str] = None, name: Optional[str] = None) -> str:
        """The collection path (``name`` None) or item path; ``namespace`` None means all namespaces.

        Raises ``InvalidPath`` for an invalid name or namespace, or an item path of a namespaced kind
        without a namespace.
        """
        base = "/apis/%s/%s" % (self.group, self.version) if self.group else "/api/%s" % self.version
        if self.namespaced and namespace is not None:
            _check_segment("namespace", namespace, dns1123_label_errors)
            base += "/namespaces/%s" % namespace
        elif self.namespaced and name is not None:
            raise InvalidPath("No API path for %s %r: a namespace is required" % (self.kind, name))
        path = "%s/%s" % (base, self.plural)
        if name is None:
            return path
        _check_segment("%s name" % self.kind, name, NAME_RULES[self.name_format])
        return "%s/%s" % (path, name)

    def describe(self, namespace: Optional[str], name: str) -> str:
        """``Gateway istio-system/default-gateway``, as used in messages."""
        return "%s %s/%s" % (self.kind, namespace, name) if self.namespaced else "%s %s" % (self.kind, name)


def _check_segment(what: str, value: str, errors: NameErrors) -> None:
    found = errors(value)
    if found:
        raise InvalidPath("No API path for %r: not a valid %s: %s" % (value, what, "; ".join(found)))


# Kubernetes kinds the collection reads or changes; the kinds of other API groups are described where they are
# managed (Istio's in istio/descriptors.py).
SERVICE = Kind("", "v1", "services", "Service", name_format="dns1035")
POD = Kind("", "v1", "pods", "Pod")
NAMESPACE = Kind("", "v1", "namespaces", "Namespace", namespaced=False, name_format="label")
DEPLOYMENT = Kind("apps", "v1", "deployments", "Deployment")
