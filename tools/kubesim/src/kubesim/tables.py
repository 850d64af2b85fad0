"""Server-side printing: the meta.k8s.io/v1 Table kubectl asks for (Name and Age columns)."""

from __future__ import annotations

import datetime
from typing import Any

COLUMNS = [
    {"name": "Name", "type": "string", "format": "name", "priority": 0,
     "description": "Name must be unique within a namespace."},
    {"name": "Age", "type": "string", "format": "", "priority": 0,
     "description": "CreationTimestamp is a timestamp representing the server time when this object was created."},
]


def wants_table(accept: str) -> bool:
    return "as=Table" in accept


def age(timestamp: str) -> str:
    """Age like kubectl prints it: ``42s``, ``5m``, ``3h``, ``2d``."""
    if not timestamp:
        return "<unknown>"
    created = datetime.datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    seconds = max(0, int((datetime.datetime.now(datetime.timezone.utc) - created).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _row(obj: dict[str, Any]) -> dict[str, Any]:
    meta = obj.get("metadata", {})
    return {"cells": [meta.get("name", ""), age(meta.get("creationTimestamp", ""))],
            "object": {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": meta}}


def maybe_table(result: dict[str, Any], accept: str) -> dict[str, Any]:
    """The object or list unchanged, or as a Table when the client asked for one."""
    if not wants_table(accept):
        return result
    items = result["items"] if "items" in result else [result]
    return {"kind": "Table", "apiVersion": "meta.k8s.io/v1",
            "metadata": {"resourceVersion": result.get("metadata", {}).get("resourceVersion", "")},
            "columnDefinitions": COLUMNS, "rows": [_row(item) for item in items]}
