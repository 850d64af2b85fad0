"""Discovery documents: /version, /api, /api/v1, /apis, /apis/G, /apis/G/V."""

from __future__ import annotations

from typing import Any

from kubesim.builtin import ALL_VERBS, ResourceType
from kubesim.registry import Registry

SERVER_ADDRESS = [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]
SUBRESOURCE_VERBS = {"status": ["get", "patch", "update"], "scale": ["get", "patch", "update"],
                     "finalize": ["update"]}


def version_info(kube_version: str) -> dict[str, str]:
    major, minor = kube_version.split(".")[:2]
    git = f"v{major}.{minor}.0"
    return {"major": major, "minor": minor, "gitVersion": git, "gitCommit": "kubesim", "gitTreeState": "clean",
            "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.22.0", "compiler": "gc",
            "platform": "linux/amd64"}


def core_versions() -> dict[str, Any]:
    return {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": SERVER_ADDRESS}


def _group(name: str, versions: list[str]) -> dict[str, Any]:
    entries = [{"groupVersion": f"{name}/{v}", "version": v} for v in versions]
    return {"name": name, "versions": entries, "preferredVersion": entries[0]}


def group_list(registry: Registry) -> dict[str, Any]:
    return {"kind": "APIGroupList", "apiVersion": "v1",
            "groups": [_group(g, v) for g, v in registry.group_versions().items()]}


def group(registry: Registry, name: str) -> dict[str, Any] | None:
    versions = registry.group_versions().get(name)
    if not versions:
        return None
    return {"kind": "APIGroup", "apiVersion": "v1", **_group(name, versions)}


def _resource_entries(rtype: ResourceType) -> list[dict[str, Any]]:
    main: dict[str, Any] = {"name": rtype.plural, "singularName": rtype.singular, "namespaced": rtype.namespaced,
                            "kind": rtype.kind, "verbs": ALL_VERBS}
    if rtype.short_names:
        main["shortNames"] = list(rtype.short_names)
    if rtype.categories:
        main["categories"] = list(rtype.categories)
    subs = [{"name": f"{rtype.plural}/{sub}", "singularName": "", "namespaced": rtype.namespaced,
             "kind": "Scale" if sub == "scale" else rtype.kind, "verbs": SUBRESOURCE_VERBS[sub]}
            for sub in rtype.subresources]
    for sub in subs:
        if sub["kind"] == "Scale":
            sub["group"], sub["version"] = "autoscaling", "v1"
    return [main, *subs]


def resource_list(registry: Registry, group_name: str, version: str) -> dict[str, Any] | None:
    types = registry.in_group_version(group_name, version)
    if not types:
        return None
    resources = [entry for rtype in types for entry in _resource_entries(rtype)]
    return {"kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": f"{group_name}/{version}" if group_name else version, "resources": resources}
