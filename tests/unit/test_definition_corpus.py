# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Real Istio manifests work as ``definition`` as they are: every Gateway and VirtualService of the shared corpus,
pasted whole, becomes options that pass the module's argument spec and build the manifest's spec again; the ones
refused on purpose are refused naming ``definition.spec.<field>``."""

from __future__ import annotations

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.definition import definition_params
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.resource import resource_argument_spec
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import InvalidOption
from ansible_collections.meshsmith.istio.tests.unit.test_corpus import (
    REFUSED_ON_PURPOSE,
    RESOURCES,
    corpus_documents,
    shared_path,
)


@pytest.mark.parametrize("source, document", corpus_documents())
def test_corpus_manifest_is_a_definition_as_written(source, document):
    shared_path("corpus")
    resource = RESOURCES[document["kind"]]
    refused_option = REFUSED_ON_PURPOSE.get((source, document["metadata"]["name"]))
    if refused_option:
        with pytest.raises(InvalidOption) as refused:
            definition_params(resource.options, resource.kind, resource.api_versions, dict(definition=document))
        field = refused_option.split(".")[-1]
        assert refused.value.path.startswith("definition.spec.") and refused.value.path.endswith(field)
        return
    params = definition_params(resource.options, resource.kind, resource.api_versions, dict(definition=document))
    result = ArgumentSpecValidator(resource_argument_spec(resource)).validate(params)
    assert result.error_messages == []
    assert resource.build_spec(result.validated_parameters) == document["spec"]
