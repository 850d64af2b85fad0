# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Real Istio YAML works as written: every corpus document passes the module's argument spec, round-trips
through ``build_spec`` unchanged and passes istiod's rules (the declarations against the CRDs:
test_option_declarations.py).

Reads the shared Istio corpus (env ``ISTIO_SHARED_DIR``, default ``<repo>/../shared/istio``) and the Istio CRDs
(fixture ``istio_crds_dir``: the shared data or the copy make venv downloaded); skipped when they are absent,
except with ``CI=true``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.resource import resource_argument_spec
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import GATEWAY, VIRTUAL_SERVICE

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_DIR = Path(os.environ.get("ISTIO_SHARED_DIR", REPO_ROOT.parent / "shared" / "istio"))
RESOURCES = {"Gateway": GATEWAY, "VirtualService": VIRTUAL_SERVICE}
# Corpus documents the modules refuse on purpose, with the option the error must name.
# ``websocketUpgrade`` left the API in Istio 1.0 (websockets are upgraded automatically); the API server prunes it.
REFUSED_ON_PURPOSE = {
    ("rule-websocket-route", "websocket-route"): "http.websocketUpgrade",
    ("rule-websocket-route", "websocket-route2"): "http.websocketUpgrade",
}


def shared_path(*parts: str) -> Path:
    """A path in the shared Istio data; skip (or fail under CI) when the data is not there."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        message = "Istio test data not found at %s (set ISTIO_SHARED_DIR)" % path
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def corpus_documents() -> list:
    corpus = SHARED_DIR / "corpus"
    if not corpus.is_dir():
        return [pytest.param(None, None, id="corpus-missing")]
    documents = []
    for path in sorted(corpus.glob("*.yaml")):
        for index, document in enumerate(yaml.safe_load_all(path.read_text())):
            if document and document.get("kind") in RESOURCES:
                label = "%s#%d-%s-%s" % (path.stem, index, document["kind"], document["metadata"]["name"])
                documents.append(pytest.param(path.stem.rpartition("__")[2], document, id=label))
    return documents


@pytest.mark.parametrize("source, document", corpus_documents())
def test_corpus_document_is_accepted_as_written(source, document):
    shared_path("corpus")
    resource = RESOURCES[document["kind"]]
    metadata = document["metadata"]
    name, namespace = metadata["name"], metadata.get("namespace", "default")
    spec = document["spec"]

    validator = ArgumentSpecValidator(resource_argument_spec(resource))
    result = validator.validate(dict(spec, name=name, namespace=namespace))

    refused_option = REFUSED_ON_PURPOSE.get((source, name))
    if refused_option:
        assert [message for message in result.error_messages if refused_option in message]
        return
    assert result.error_messages == []
    assert resource.build_spec(result.validated_parameters) == spec
    resource.validate(name, namespace, spec)


def test_corpus_holds_both_kinds():
    shared_path("corpus")
    kinds = {param.values[1]["kind"] for param in corpus_documents()}
    assert kinds == set(RESOURCES)
