"""Minimal OpenAPI documents: enough for kubectl/helm to see that the server validates fields itself.

``/openapi/v3`` lists one document per group-version; each declares, for every resource, the item path with a
``patch`` operation tagged with its group/version/kind and the ``fieldValidation``/``dryRun``/``fieldManager`` query
parameters (clients then leave validation to the server), and a component schema per kind (a CRD's own
``openAPIV3Schema``; built-ins are open objects). ``/openapi/v2`` is not served (404): clients that find v3 never
ask, and protobuf-encoded v2 is out of scope.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from kubesim.builtin import ResourceType
from kubesim.registry import Registry

QUERY_PARAMETERS = ("dryRun", "fieldManager", "fieldValidation", "force")


def _gv_path(group: str, version: str) -> str:
    return f"apis/{group}/{version}" if group else f"api/{version}"


def v3_index(registry: Registry) -> dict[str, Any]:
    paths = {}
    for gv in sorted({(t.group, v) for t in registry.types() for v in t.versions}):
        document = v3_document(registry, _gv_path(*gv)) or {}
        digest = hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()[:16].upper()
        paths[_gv_path(*gv)] = {"serverRelativeURL": f"/openapi/v3/{_gv_path(*gv)}?hash={digest}"}
    return {"paths": paths}


def _schema_name(rtype: ResourceType, version: str) -> str:
    reversed_group = ".".join(reversed(rtype.group.split("."))) if rtype.group else "io.k8s.api.core"
    return f"{reversed_group}.{version}.{rtype.kind}"


def _operations(rtype: ResourceType, version: str) -> dict[str, Any]:
    gvk = {"group": rtype.group, "version": version, "kind": rtype.kind}
    parameters = [{"name": name, "in": "query", "schema": {"type": "string"}} for name in QUERY_PARAMETERS]
    reference = f"#/components/schemas/{_schema_name(rtype, version)}"
    body = {"content": {"application/json": {"schema": {"$ref": reference}}}}
    operation = {"x-kubernetes-group-version-kind": gvk, "parameters": parameters, "requestBody": body,
                 "responses": {"200": body}}
    return {"get": {**operation, "x-kubernetes-action": "get"},
            "put": {**operation, "x-kubernetes-action": "put"},
            "patch": {**operation, "x-kubernetes-action": "patch"},
            "delete": {**operation, "x-kubernetes-action": "delete"}}


def _component(rtype: ResourceType, version: str) -> dict[str, Any]:
    schema = dict(rtype.schemas.get(version) or {"type": "object", "x-kubernetes-preserve-unknown-fields": True})
    schema["x-kubernetes-group-version-kind"] = [{"group": rtype.group, "version": version, "kind": rtype.kind}]
    return schema


def v3_document(registry: Registry, gv_path: str) -> dict[str, Any] | None:
    parts = gv_path.strip("/").split("/")
    if parts[0] == "api" and len(parts) == 2:
        group, version = "", parts[1]
    elif parts[0] == "apis" and len(parts) == 3:
        group, version = parts[1], parts[2]
    else:
        return None
    types = registry.in_group_version(group, version)
    if not types:
        return None
    paths = {}
    for rtype in types:
        scope = "/namespaces/{namespace}" if rtype.namespaced else ""
        paths[f"/{gv_path}{scope}/{rtype.plural}/{{name}}"] = _operations(rtype, version)
    return {"openapi": "3.0.0", "info": {"title": "Kubernetes (kubesim)", "version": "unversioned"},
            "paths": paths,
            "components": {"schemas": {_schema_name(t, version): _component(t, version) for t in types}}}
