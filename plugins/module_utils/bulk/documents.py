# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Manifests of Istio networking objects: split into documents and checked before any request.

Pure functions. A document is named in messages by its 1-based position in the set, its kind and
``namespace/name`` (``document 3 (Gateway istio-system/public)``); field paths follow the manifest
(``spec.servers[0].port.protocol``, ``metadata.labels``).
"""

from __future__ import annotations

from typing import Any, Callable, Optional

try:
    import yaml

    # libyaml's loader when PyYAML was built with it: ten times faster on hundreds of documents
    SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    HAS_YAML = True
except ImportError:
    HAS_YAML = False

from ansible_collections.meshsmith.istio.plugins.module_utils.bulk.prepared import Document, PreparedSet
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.api import ISTIO_NETWORKING_GROUP
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import ISTIO_RESOURCES
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.common import InvalidSpec
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import (
    InvalidOption,
    annotation_map,
    dns1123_label_errors,
    dns1123_subdomain_errors,
    label_map,
)

# istiod's semantic validation: each descriptor's ``validate`` (istio/descriptors.py), the one the gateway and
# virtual_service modules run; it reports API field paths (``servers[0].port.protocol``), as manifests write them.
SEMANTIC_VALIDATORS: dict[str, Callable[[str, Optional[str], dict], list]] = {
    kind: resource.validate for kind, resource in ISTIO_RESOURCES.items()
}
# The fields a document may hold at its top level; ``status`` belongs to the cluster and is ignored.
TOP_LEVEL_FIELDS = frozenset(("apiVersion", "kind", "metadata", "spec", "status"))


class ManifestError(ValueError):
    """Text that is not YAML, or a value that is not a mapping or a list of mappings."""

    failure_fields = {"option": "definition"}  # in the failed task (see KubeModule.failures)


def text_origin(origin: str, position: int) -> str:
    """How messages name the YAML text at ``position`` of a list (the action plugin hands one text per file)."""
    return "%s[%d]" % (origin, position)


def split_documents(value: Any, origin: str = "definition") -> list:
    """The documents in ``value``: a mapping, a list of them, or YAML text with any number of documents
    (empty documents skipped); a ``kind: ...List`` document contributes its ``items``."""
    if isinstance(value, str):
        if not HAS_YAML:
            raise ManifestError("%s: reading YAML text needs the PyYAML library" % origin)
        try:
            # str(): the C loader takes exact strings only (ansible-core 2.19 hands the task's strings as subclasses)
            value = list(yaml.load_all(str(value), Loader=SAFE_LOADER))
        except yaml.YAMLError as err:
            raise ManifestError("%s: not valid YAML: %s" % (origin, err)) from None
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise ManifestError("%s: expected a mapping, a list of mappings or YAML text, got %s"
                            % (origin, type(value).__name__))
    documents: list = []
    for position, item in enumerate(value):
        if item is None:
            continue
        if isinstance(item, dict) and str(item.get("kind", "")).endswith("List") and "items" in item:
            documents.extend(split_documents(item["items"] or [], origin))
        elif isinstance(item, dict):
            documents.append(item)
        elif isinstance(item, str):
            documents.extend(split_documents(item, text_origin(origin, position)))
        elif isinstance(item, list):
            documents.extend(split_documents(item, origin))
        else:
            raise ManifestError("%s: document %d is a %s, not a mapping"
                                % (origin, len(documents) + 1, type(item).__name__))
    return documents


def prepare_set(value: Any, default_namespace: str, default_api_version: str,
                check_specs: bool = True) -> tuple[PreparedSet, list]:
    """``(set, warnings)``: the documents of ``value`` (see ``split_documents``) checked by ``parse_documents``,
    with how each kind compares its lists."""
    documents, warnings = parse_documents(split_documents(value), default_namespace, default_api_version, check_specs)
    kinds = {document.kind for document in documents}
    return PreparedSet(documents, {kind: resource.unordered_lists for kind, resource in ISTIO_RESOURCES.items()
                                   if kind in kinds}), warnings


def parse_documents(raw: list, default_namespace: str, default_api_version: str,
                    check_specs: bool = True) -> tuple[list, list]:
    """``(documents, warnings)`` for the raw mappings; raises ``InvalidSpec`` holding every error of every
    document (each path starting with the document's label), so one bad document stops the whole set.
    ``check_specs`` False (deleting) checks only what names the objects, not their specs."""
    documents: list[Document] = []
    errors: list[InvalidOption] = []
    warnings: list[InvalidOption] = []
    seen: dict[tuple, Document] = {}
    for index, body in enumerate(raw, start=1):
        try:
            document, found = _parse_document(index, body, default_namespace, default_api_version, check_specs)
        except InvalidSpec as err:
            errors.extend(err.errors)
            continue
        warnings.extend(found)
        if document.key in seen:
            errors.append(InvalidOption(document.label, "declares the same object as %s" % seen[document.key].label))
            continue
        seen[document.key] = document
        documents.append(document)
    if errors:
        raise InvalidSpec(errors, warnings)
    return documents, warnings


def _parse_document(index: int, body: dict, default_namespace: str, default_api_version: str,
                    check_specs: bool) -> tuple[Document, list]:
    metadata = body.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    kind, name = body.get("kind"), metadata.get("name")
    namespace = metadata.get("namespace") or default_namespace
    label = "document %d (%s %s/%s)" % (index, kind or "without kind", namespace, name or "without name")
    errors: list[InvalidOption] = []

    def error(path: str, message: str) -> None:
        errors.append(InvalidOption("%s %s" % (label, path), message))

    api_version = body.get("apiVersion") or default_api_version
    if not isinstance(api_version, str) or api_version.split("/")[0] != ISTIO_NETWORKING_GROUP or \
            api_version.count("/") != 1:
        error("apiVersion", "%r is not a version of %s; only Istio networking objects are applied"
              % (api_version, ISTIO_NETWORKING_GROUP))
    if not isinstance(kind, str) or not kind:
        error("kind", "required")
    for key in sorted(set(body) - TOP_LEVEL_FIELDS, key=str):
        error(str(key), "unknown field; an Istio object has apiVersion, kind, metadata and spec")
    if not isinstance(body.get("metadata"), dict):
        error("metadata", "required, a mapping with at least name")
    if not isinstance(name, str) or not name:
        error("metadata.name", "required")
    else:
        _record(error, "metadata.name", dns1123_subdomain_errors(name))
    if not isinstance(namespace, str):
        error("metadata.namespace", "must be a string")
    else:
        _record(error, "metadata.namespace", dns1123_label_errors(namespace))
    spec = body.get("spec")
    if spec is not None and not isinstance(spec, dict):
        error("spec", "must be a mapping")
    labels, annotations = _string_map(error, label_map, metadata, "labels"), \
        _string_map(error, annotation_map, metadata, "annotations")
    warnings: list = []
    if not errors and check_specs and kind in SEMANTIC_VALIDATORS:
        try:
            found_warnings = SEMANTIC_VALIDATORS[kind](str(name), namespace, spec or {})
            warnings = [_in_document(label, found) for found in found_warnings]
        except InvalidSpec as err:
            errors.extend(_in_document(label, found) for found in err.errors)
    if errors:
        raise InvalidSpec(errors, [])
    return Document(index, str(api_version), str(kind), str(namespace), str(name), spec, labels, annotations), warnings


def _record(error: Callable[[str, str], None], path: str, found: list) -> None:
    if found:
        error(path, "; ".join(found))


def _string_map(error: Callable[[str, str], None], rule: Callable, metadata: dict, key: str) -> dict:
    """Labels or annotations checked as the API server checks them; {} when absent or invalid."""
    value = metadata.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        error("metadata." + key, "must be a mapping")
        return {}
    try:
        return rule("metadata." + key, value)
    except InvalidOption as err:
        error(err.path, err.message)
        return {}


def _in_document(label: str, found: InvalidOption) -> InvalidOption:
    """istiod's finding about a spec, its path made a manifest path inside the document."""
    path = "metadata." + found.path if found.path in ("name", "namespace") else "spec." + found.path
    return InvalidOption("%s %s" % (label, path), found.message)
