"""``--load``: apply manifests from files or directories before serving (CRDs first)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from kubesim import decoding
from kubesim.engine import Engine, Target, WriteOptions
from kubesim.status import ApiError

DEFAULT_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")


def manifest_files(paths: Iterable[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml", ".json"))
        else:
            files.append(path)
    return files


def documents(files: Iterable[Path]) -> list[dict[str, Any]]:
    docs = [doc for file in files for doc in decoding.load_yaml_all(file.read_text(encoding="utf-8"))]
    return [doc for doc in docs if isinstance(doc, dict) and doc.get("kind")]


def _load_order(doc: dict[str, Any]) -> int:
    return {"CustomResourceDefinition": 0, "Namespace": 1}.get(doc["kind"], 2)


def apply_document(engine: Engine, doc: dict[str, Any]) -> dict[str, Any]:
    """Create the object, or replace it when it exists (``kubectl apply`` without the bookkeeping)."""
    rtype = engine.registry.by_kind(doc.get("apiVersion", ""), doc["kind"])
    if rtype is None:
        raise ApiError(404, f'no matches for kind "{doc["kind"]}" in version "{doc.get("apiVersion")}"', "NotFound")
    version = doc["apiVersion"].rpartition("/")[2]
    meta = doc.get("metadata") or {}
    namespace = (meta.get("namespace") or "default") if rtype.namespaced else ""
    try:
        return engine.create(Target(rtype, version, namespace), doc, WriteOptions())
    except ApiError as error:
        if error.body.get("reason") != "AlreadyExists":
            raise
        return engine.update(Target(rtype, version, namespace, meta["name"]), doc, WriteOptions())


def bootstrap(engine: Engine, paths: Iterable[str]) -> None:
    """Create the default namespaces, then apply every manifest found under ``paths``."""
    for name in DEFAULT_NAMESPACES:
        apply_document(engine, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    for doc in sorted(documents(manifest_files(paths)), key=_load_order):
        apply_document(engine, doc)
