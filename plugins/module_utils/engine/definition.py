# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``definition``: a pasted manifest turned into the resource module's own options, before Ansible validates them.

Pure functions: ``definition_params`` checks the manifest's apiVersion and kind against the descriptor, maps its
metadata to name/namespace/labels/annotations and its spec's camelCase fields to the declared options (an unknown
field names ``definition.spec.<path>``), and refuses options that the manifest also sets. Everything after that
(types, choices, istiod's rules, requests, check mode, diff) is what the options would have given.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Optional

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.options import Option
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import InvalidOption

DEFINITION = "definition"
# The metadata a manifest may set, and the module option each becomes.
METADATA_OPTIONS = ("name", "namespace", "labels", "annotations")
_TOP_LEVEL_FIELDS = ("apiVersion", "kind", "metadata", "spec")


def load_definition(value: Any) -> dict:
    """The manifest of the ``definition`` option: a dict, or a YAML string holding one document."""
    if isinstance(value, str):
        try:
            import yaml  # imported only for a YAML string, as kubeconfig files are read
        except ImportError:
            raise InvalidOption(DEFINITION, "a YAML string needs the PyYAML Python package; give a dict") from None
        try:
            documents = [document for document in yaml.safe_load_all(value) if document is not None]
        except yaml.YAMLError as err:
            raise InvalidOption(DEFINITION, "is not valid YAML: %s" % err) from None
        if len(documents) != 1:
            raise InvalidOption(DEFINITION, "must hold exactly one YAML document, found %d (use "
                                            "meshsmith.istio.apply for several)" % len(documents))
        value = documents[0]
    if not isinstance(value, Mapping):
        raise InvalidOption(DEFINITION, "must be a dict or a YAML string of one manifest, got %s"
                            % type(value).__name__)
    return dict(value)


def _field(path: str, key: str) -> str:
    return "%s.%s" % (path, key)


def _mapping(path: str, value: Any) -> Mapping:
    if not isinstance(value, Mapping):
        raise InvalidOption(path, "must be a dict, got %s" % type(value).__name__)
    return value


def options_from_spec(options: tuple[Option, ...], spec: Mapping, path: str = "definition.spec") -> dict:
    """The module options for a manifest's ``spec`` (API field names), through the declaration.

    Declared fields get their option names, recursively; free-form maps (a dict option without suboptions) and
    scalars pass unchanged, for Ansible to check their types as for the options. A field the declaration does not
    know (or a module-only option's name) raises InvalidOption naming ``path.<field>``.
    """
    declared = {item.key: item for item in options if item.in_spec}
    params = {}
    for key, value in _mapping(path, spec).items():
        item = declared.get(key)
        if item is None:
            raise InvalidOption(_field(path, key), "unknown field; the spec of this kind has %s"
                                % (", ".join(sorted(declared)) or "no fields"))
        params[item.name] = _option_value(item, value, _field(path, key))
    return params


def _option_value(item: Option, value: Any, path: str) -> Any:
    if not item.suboptions or value is None:
        return value
    if item.type == "list":
        if not isinstance(value, list):
            raise InvalidOption(path, "must be a list, got %s" % type(value).__name__)
        return [options_from_spec(item.suboptions, element, "%s[%d]" % (path, index))
                for index, element in enumerate(value)]
    return options_from_spec(item.suboptions, value, path)


def _given(params: Mapping, name: str, aliases: tuple = ()) -> Optional[str]:
    """The spelling (option name or alias) under which ``params`` sets ``name``, if any."""
    return next((spelling for spelling in (name,) + aliases if params.get(spelling) is not None), None)


def definition_params(options: tuple[Option, ...], kind: str, api_versions: list, params: Mapping) -> dict:
    """The task's parameters with ``definition`` turned into options (``params`` as given, before validation).

    apiVersion must be one of ``api_versions`` and kind ``kind``; metadata name, namespace, labels and
    annotations become those options, the spec the declared ``options``. An option the manifest also sets is
    refused (name and namespace only when they disagree), naming both.
    """
    manifest = load_definition(params[DEFINITION])
    for key in manifest:
        if key not in _TOP_LEVEL_FIELDS and key != "status":
            raise InvalidOption(_field(DEFINITION, key), "unknown field; a manifest has %s"
                                % ", ".join(_TOP_LEVEL_FIELDS))
    if manifest.get("apiVersion") not in api_versions:
        raise InvalidOption("definition.apiVersion", "must be one of %s, got %r"
                            % (", ".join(api_versions), manifest.get("apiVersion")))
    if manifest.get("kind") != kind:
        raise InvalidOption("definition.kind", "must be %s, got %r" % (kind, manifest.get("kind")))
    merged = dict(params, api_version=_agreeing(params, "api_version", manifest["apiVersion"], "definition.apiVersion"))
    metadata = _mapping("definition.metadata", manifest.get("metadata") or {})
    for key, value in metadata.items():
        path = _field("definition.metadata", key)
        if key not in METADATA_OPTIONS:
            if key in ("resourceVersion", "uid", "creationTimestamp", "generation", "managedFields"):
                continue  # written by the server: a manifest copied from `kubectl get -o yaml` works as it is
            raise InvalidOption(path, "unsupported; a definition may set %s" % ", ".join(METADATA_OPTIONS))
        if key in ("labels", "annotations") and params.get(key) is not None:
            raise InvalidOption(key, "cannot be given together with %s; set them in one place" % path)
        merged[key] = _agreeing(params, key, value, path) if key in ("name", "namespace") else value
    if merged.get("name") is None:
        raise InvalidOption("definition.metadata.name", "is required when the name option is not given")
    mixed = sorted(spelling for spelling in (_given(params, item.name, (item.key,)) for item in options
                                             if item.in_spec) if spelling)
    if mixed:
        raise InvalidOption(DEFINITION, "cannot be combined with the option%s %s; put %s in definition.spec"
                            % ("s" if len(mixed) > 1 else "", ", ".join(mixed), "them" if len(mixed) > 1 else "it"))
    merged.update(options_from_spec(options, manifest.get("spec") or {}))
    return merged


def _agreeing(params: Mapping, option: str, value: Any, path: str) -> Any:
    """``value`` from the manifest at ``path``, refused when the option ``option`` is given otherwise."""
    if params.get(option) is not None and params[option] != value:
        raise InvalidOption(option, "%r disagrees with %s %r; give one or make them equal"
                            % (params[option], path, value))
    return value


def definition_path(options: tuple[Option, ...], path: str) -> str:
    """Where a task given by ``definition`` wrote the field at ``path`` (an API field path of the spec, or a
    metadata option such as ``labels["x"]``); other paths (module options) are returned as they are."""
    head = path.split(".", 1)[0].split("[", 1)[0]
    if head in METADATA_OPTIONS:
        return "definition.metadata." + path
    if any(item.in_spec and item.key == head for item in options):
        return "definition.spec." + path
    return path


class DefinitionOption:
    """The ``definition`` option of one resource module: ``prepare`` (for ``KubeModule(prepare_params=...)``)
    turns a given manifest into options, and ``option_path`` then names the manifest's fields in messages."""

    def __init__(self, options: tuple[Option, ...], kind: str, api_versions: list,
                 option_path: Callable[[str], str]) -> None:
        self.options, self.kind, self.api_versions = options, kind, api_versions
        self._option_path = option_path
        self.given = False

    def prepare(self, params: dict) -> dict:
        if params.get(DEFINITION) is None:
            return params
        prepared = definition_params(self.options, self.kind, self.api_versions, params)
        self.given = True  # from now on paths name the manifest's fields (its own errors name them already)
        return prepared

    def option_path(self, path: str) -> str:
        return definition_path(self.options, path) if self.given else self._option_path(path)
