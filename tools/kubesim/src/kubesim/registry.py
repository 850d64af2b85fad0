"""Which resource types are served: the built-ins plus one type per established CRD."""

from __future__ import annotations

import re
from typing import Any, Iterable

from kubesim.builtin import BUILTIN_TYPES, ResourceType

_KUBE_VERSION = re.compile(r"^v(\d+)(?:(alpha|beta)(\d+))?$")


def version_priority(version: str) -> tuple:
    """Sort key giving Kubernetes' version priority (v2 > v1 > v1beta2 > v1beta1 > v1alpha1 > others)."""
    match = _KUBE_VERSION.match(version)
    if not match:
        return (3, version)
    major, stage, minor = match.groups()
    rank = {None: 0, "beta": 1, "alpha": 2}[stage]
    return (rank, -int(major), -int(minor or 0))


def type_from_crd(crd: dict[str, Any]) -> ResourceType:
    """The served type described by a CustomResourceDefinition (only its served versions)."""
    spec = crd["spec"]
    names = spec["names"]
    served = [v for v in spec.get("versions", []) if v.get("served", True)]
    versions = tuple(sorted((v["name"] for v in served), key=version_priority))
    schemas = {v["name"]: (v.get("schema") or {}).get("openAPIV3Schema") or {} for v in served}
    storage = next((v["name"] for v in spec.get("versions", []) if v.get("storage")), versions[0] if versions else "")
    subresources: tuple[str, ...] = ("status",) if any("status" in (v.get("subresources") or {}) for v in served) else ()
    if any("scale" in (v.get("subresources") or {}) for v in served):
        subresources += ("scale",)
    return ResourceType(
        group=spec["group"], versions=versions, plural=names["plural"], kind=names["kind"],
        namespaced=spec.get("scope", "Namespaced") == "Namespaced",
        short_names=tuple(names.get("shortNames") or ()), singular=names.get("singular") or names["kind"].lower(),
        categories=tuple(names.get("categories") or ()), subresources=subresources, schemas=schemas,
        custom=True, storage=storage)


class Registry:
    """Served resource types by (group, plural)."""

    def __init__(self) -> None:
        self._types: dict[tuple[str, str], ResourceType] = {t.key: t for t in BUILTIN_TYPES}

    def find(self, group: str, version: str, plural: str) -> ResourceType | None:
        rtype = self._types.get((group, plural))
        return rtype if rtype is not None and version in rtype.versions else None

    def get(self, group: str, plural: str) -> ResourceType | None:
        return self._types.get((group, plural))

    def by_kind(self, api_version: str, kind: str) -> ResourceType | None:
        group, _slash, version = api_version.rpartition("/")
        for rtype in self._types.values():
            if rtype.group == group and rtype.kind == kind and version in rtype.versions:
                return rtype
        return None

    def add(self, rtype: ResourceType) -> None:
        self._types[rtype.key] = rtype

    def remove(self, group: str, plural: str) -> None:
        self._types.pop((group, plural), None)

    def types(self) -> Iterable[ResourceType]:
        return self._types.values()

    def group_versions(self) -> dict[str, list[str]]:
        """Every named group (core excluded) with its versions, preferred first; groups in first-seen order."""
        groups: dict[str, set[str]] = {}
        for rtype in self._types.values():
            if rtype.group:
                groups.setdefault(rtype.group, set()).update(rtype.versions)
        return {g: sorted(v, key=version_priority) for g, v in groups.items()}

    def in_group_version(self, group: str, version: str) -> list[ResourceType]:
        return [t for t in self._types.values() if t.group == group and version in t.versions]
