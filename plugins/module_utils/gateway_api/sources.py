# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Istio Gateways and VirtualServices ``gateway_api_convert`` converts: given as ``definitions`` (checked
before anything else, as istiod would) or read from the cluster with one LIST per kind."""

from __future__ import annotations

from typing import Optional

from ansible.module_utils.common.yaml import HAS_YAML, yaml_load_all

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.info import read_resources
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.common import InvalidSpec
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import ISTIO_RESOURCES
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.client import KubeClient
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import (
    InvalidOption,
    namespace_name,
    object_name,
)

SOURCE_KINDS = ("Gateway", "VirtualService")
ISTIO_API_VERSIONS = tuple(ISTIO_RESOURCES["Gateway"].api_versions)


class InvalidDefinitions(InvalidOption):
    """Every error found in ``definitions``, each naming its document and field."""

    def __init__(self, errors: list) -> None:
        super().__init__(errors[0].path, "; ".join(str(error) for error in errors))
        self.errors = errors

    def __str__(self) -> str:
        return str(self.errors[0]) if len(self.errors) == 1 else "%d invalid definitions: %s" % (
            len(self.errors), self.message)


def parse_definitions(definitions: object) -> tuple:
    """(Istio objects, warnings) of ``definitions``: a list of manifests or a (multi-document) YAML string.

    Documents of other kinds are skipped with a warning; Istio ones must pass istiod's rules. Raises
    ``InvalidDefinitions`` naming each bad document as ``definitions[index]...``.
    """
    if isinstance(definitions, str):
        if not HAS_YAML:
            raise InvalidOption("definitions", "a YAML string needs PyYAML; give a list of manifests instead")
        try:
            documents = [document for document in yaml_load_all(definitions) if document is not None]
        except Exception as err:  # yaml.YAMLError; the library may be absent, so no narrower name
            raise InvalidOption("definitions", "not valid YAML: %s" % err) from None
    elif isinstance(definitions, list):
        documents = definitions
    else:
        raise InvalidOption("definitions", "must be a list of manifests or a YAML string, got %s"
                            % type(definitions).__name__)
    sources, warnings, errors = [], [], []
    for index, document in enumerate(documents):
        path = "definitions[%d]" % index
        try:
            source = _istio_source(path, document)
        except InvalidSpec as err:
            errors += [InvalidOption("%s.spec.%s" % (path, error.path), error.message) for error in err.errors]
            continue
        except InvalidOption as err:
            errors.append(err)
            continue
        if source is None:
            warnings.append("%s: %s %s is not an Istio Gateway or VirtualService: skipped"
                            % (path, document.get("apiVersion"), document.get("kind")))
        else:
            sources.append(source)
    if errors:
        raise InvalidDefinitions(errors)
    return sources, warnings


def _istio_source(path: str, document: object) -> Optional[dict]:
    """``document`` when it is a valid Istio Gateway or VirtualService, None for another kind."""
    if not isinstance(document, dict):
        raise InvalidOption(path, "must be a manifest (a mapping), got %s" % type(document).__name__)
    if document.get("kind") not in SOURCE_KINDS or document.get("apiVersion") not in ISTIO_API_VERSIONS:
        return None
    metadata = document.get("metadata")
    if not isinstance(metadata, dict):
        raise InvalidOption(path + ".metadata", "must be a mapping with name (and namespace)")
    for key in ("name", "namespace"):
        if metadata.get(key) is not None and not isinstance(metadata[key], str):
            raise InvalidOption("%s.metadata.%s" % (path, key), "must be a string")
    name = object_name(document["kind"])(path + ".metadata.name", metadata.get("name") or "")
    namespace = namespace_name(path + ".metadata.namespace", metadata.get("namespace") or "default")
    spec = document.get("spec")
    if not isinstance(spec, dict):
        raise InvalidOption(path + ".spec", "must be a mapping")
    ISTIO_RESOURCES[document["kind"]].validate(name, namespace, spec)
    return document


def read_sources(client: KubeClient, api_version: str, namespace: Optional[str], label_selectors: list,
                 names: Optional[list]) -> list:
    """The Gateways, then the VirtualServices, of ``namespace`` (all when None) matching the selectors and, when
    given, ``names``: one LIST per kind."""
    sources = []
    for kind_name in SOURCE_KINDS:
        kind = ISTIO_RESOURCES[kind_name].at(api_version)
        sources += [obj for obj in read_resources(client, kind, None, namespace, label_selectors, [])
                    if not names or obj["metadata"]["name"] in names]
    return sources
