# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How Istio matches host names and Kubernetes matches label selectors, in one place (no I/O).

Host rules follow istio's ``pkg/config/host`` (``Name.Matches``, ``Name.SubsetOf``): a wildcard host
``*.example.com`` stands for every name ending in ``.example.com``, ``*`` for every name; short names are
in a namespace (``to_fqdn``). Selectors are Kubernetes equality selectors. Used by validation, route_check
(routes/*), the shared Gateway and the gateway Service lookup.
"""

from __future__ import annotations

from typing import Optional

CLUSTER_DOMAIN = "svc.cluster.local"


def host_covers(wide: str, narrow: str) -> bool:
    """istio's host.Name.SubsetOf(narrow, wide): every name ``narrow`` stands for is covered by ``wide``."""
    if wide.startswith("*"):
        return narrow[1:].endswith(wide[1:]) if narrow.startswith("*") else narrow.endswith(wide[1:])
    return not narrow.startswith("*") and narrow == wide


def hosts_overlap(first: str, second: str) -> bool:
    """istio's host.Name.Matches: equal, or one wildcard covers the other."""
    if first.startswith("*") and second.startswith("*"):
        shorter, longer = sorted((first[1:], second[1:]), key=len)
        return longer.endswith(shorter)
    if first.startswith("*"):
        return second.endswith(first[1:])
    if second.startswith("*"):
        return first.endswith(second[1:])
    return first == second


def to_fqdn(host: str, namespace: str) -> str:
    """A short name (no dot, no wildcard) as ``name.namespace.svc.cluster.local``; any other host unchanged."""
    if host.startswith("*") or "." in host:
        return host
    return "%s.%s.%s" % (host, namespace, CLUSTER_DOMAIN)


def server_hosts_for_namespace(server: dict, gateway_namespace: str, namespace: str) -> list:
    """The hosts of a Gateway server that VirtualServices of ``namespace`` may use (``ns/host`` forms:
    ``.`` is the Gateway's namespace, ``*`` any; a bare host is for every namespace)."""
    usable = []
    for host in server.get("hosts") or []:
        host_namespace, slash, name = host.partition("/")
        if not slash:
            usable.append(host)
        elif host_namespace == "*" or host_namespace == namespace or (host_namespace == "." and namespace == gateway_namespace):
            usable.append(name)
    return usable


def labels_match(selector: Optional[dict], labels: Optional[dict]) -> bool:
    """A Kubernetes equality selector: every key/value of ``selector`` is among ``labels`` (empty selects all)."""
    labels = labels or {}
    return all(labels.get(key) == value for key, value in (selector or {}).items())


def selector_text(selector: Optional[dict]) -> str:
    """``app=x,istio=ingressgateway``: a selector as Kubernetes prints it (keys sorted)."""
    return ",".join("%s=%s" % (key, value) for key, value in sorted((selector or {}).items()))
