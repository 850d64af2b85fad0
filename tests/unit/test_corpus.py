# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Real Istio YAML works as written: every corpus document passes the module's argument spec, round-trips
through ``build_spec`` unchanged and passes istiod's rules; every CRD field has an option.

Reads the shared Istio corpus (env ``ISTIO_SHARED_DIR``, default ``<repo>/../shared/istio``) and the Istio CRDs
(fixture ``istio_crds_dir``: the shared data or the copy make venv downloaded); skipped when they are absent,
except with ``CI=true``.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.args import RESOURCE_ARG_SPEC
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.gateway import validate_gateway
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.virtual_service import (
    validate_virtual_service,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_DIR = Path(os.environ.get("ISTIO_SHARED_DIR", REPO_ROOT.parent / "shared" / "istio"))
MODULES = {"Gateway": "gateway", "VirtualService": "virtual_service"}
VALIDATORS = {"Gateway": validate_gateway, "VirtualService": validate_virtual_service}
# Corpus documents the modules refuse on purpose, with the option the error must name.
# ``websocketUpgrade`` left the API in Istio 1.0 (websockets are upgraded automatically); the API server prunes it.
REFUSED_ON_PURPOSE = {
    ("rule-websocket-route", "websocket-route"): "http.websocketUpgrade",
    ("rule-websocket-route", "websocket-route2"): "http.websocketUpgrade",
}
CRD_FILES = {"Gateway": "gateways.networking.istio.io.yaml", "VirtualService": "virtualservices.networking.istio.io.yaml"}


def shared_path(*parts: str) -> Path:
    """A path in the shared Istio data; skip (or fail under CI) when the data is not there."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        message = "Istio test data not found at %s (set ISTIO_SHARED_DIR)" % path
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def module_for(kind: str):
    """The module file of ``kind`` (skipped while the module does not exist yet)."""
    name = "ansible_collections.meshsmith.istio.plugins.modules.%s" % MODULES[kind]
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as err:
        if err.name != name:
            raise
        pytest.skip("module %s not written yet" % MODULES[kind])


def corpus_documents() -> list:
    corpus = SHARED_DIR / "corpus"
    if not corpus.is_dir():
        return [pytest.param(None, None, id="corpus-missing")]
    documents = []
    for path in sorted(corpus.glob("*.yaml")):
        for index, document in enumerate(yaml.safe_load_all(path.read_text())):
            if document and document.get("kind") in MODULES:
                label = "%s#%d-%s-%s" % (path.stem, index, document["kind"], document["metadata"]["name"])
                documents.append(pytest.param(path.stem.rpartition("__")[2], document, id=label))
    return documents


@pytest.mark.parametrize("source, document", corpus_documents())
def test_corpus_document_is_accepted_as_written(source, document):
    shared_path("corpus")
    module = module_for(document["kind"])
    metadata = document["metadata"]
    name, namespace = metadata["name"], metadata.get("namespace", "default")
    spec = document["spec"]

    validator = ArgumentSpecValidator(dict(RESOURCE_ARG_SPEC, **module.ARGUMENT_SPEC))
    result = validator.validate(dict(spec, name=name, namespace=namespace))

    refused_option = REFUSED_ON_PURPOSE.get((source, name))
    if refused_option:
        assert [message for message in result.error_messages if refused_option in message]
        return
    assert result.error_messages == []
    assert module.build_spec(result.validated_parameters) == spec
    VALIDATORS[document["kind"]](name, namespace, spec)


def test_corpus_holds_both_kinds():
    shared_path("corpus")
    kinds = {param.values[1]["kind"] for param in corpus_documents()}
    assert kinds == set(MODULES)


def option_named(options: dict, name: str):
    """The option called ``name`` or having it as alias, else None."""
    for option_name, option in options.items():
        if name == option_name or name in option.get("aliases", ()):
            return option
    return None


def missing_options(schema: dict, options: dict, path: str = "spec") -> list:
    """CRD properties under ``schema`` without an option (or alias) at the same place in ``options``."""
    missing = []
    for name, child in (schema.get("properties") or {}).items():
        option = option_named(options, name)
        child_path = "%s.%s" % (path, name)
        if option is None:
            missing.append(child_path)
            continue
        if child.get("type") == "array":
            child = child.get("items") or {}
        if child.get("properties"):
            missing.extend(missing_options(child, option.get("options") or {}, child_path))
        elif child.get("additionalProperties") and option.get("options"):
            missing.append(child_path + " (a map: must be a free-form dict)")
    return missing


@pytest.mark.parametrize("kind", sorted(MODULES))
def test_every_crd_field_has_an_option(kind, istio_crds_dir):
    crd = yaml.safe_load((istio_crds_dir / CRD_FILES[kind]).read_text())
    module = module_for(kind)
    for version in crd["spec"]["versions"]:
        spec_schema = version["schema"]["openAPIV3Schema"]["properties"]["spec"]
        assert missing_options(spec_schema, module.ARGUMENT_SPEC) == [], version["name"]


def test_coverage_check_sees_a_missing_option():
    schema = {"properties": {"http": {"type": "array", "items": {"properties": {"corsPolicy": {"type": "object"}}}}}}
    assert missing_options(schema, {"http": {"options": {}}}) == ["spec.http.corsPolicy"]
