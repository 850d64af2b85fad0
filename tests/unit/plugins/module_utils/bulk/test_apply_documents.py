# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""apply's pure parts: manifests split into documents, every document's errors named, the object a document makes."""

from __future__ import annotations

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.bulk.converge import (
    APPLY_SET_LABEL,
    Change,
    desired_object,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.bulk.documents import (
    ManifestError,
    parse_documents,
    prepare_set,
    split_documents,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.bulk.prepared import PreparedSet
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import GATEWAY, VIRTUAL_SERVICE
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.common import InvalidSpec

V1 = "networking.istio.io/v1"


def route(name: str, **metadata) -> dict:
    return {"apiVersion": V1, "kind": "VirtualService", "metadata": dict(metadata, name=name),
            "spec": {"hosts": ["a.example.com"], "http": [{"route": [{"destination": {"host": "a"}}]}]}}


def test_yaml_text_lists_and_list_kinds_become_documents():
    text = "---\nkind: Gateway\n---\n# empty\n---\nkind: List\nitems:\n  - kind: Sidecar\n  - kind: ServiceEntry\n"
    assert [document["kind"] for document in split_documents(text)] == ["Gateway", "Sidecar", "ServiceEntry"]
    assert split_documents({"kind": "Gateway"}) == [{"kind": "Gateway"}]
    with pytest.raises(ManifestError, match="definition: document 2 is a int, not a mapping"):
        split_documents([{"kind": "Gateway"}, 3])
    with pytest.raises(ManifestError, match="^src x.yaml: not valid YAML"):
        split_documents("a: [", "src x.yaml")


def test_every_error_of_every_document_is_named_and_good_documents_are_not():
    bad_gateway = {"apiVersion": V1, "kind": "Gateway", "metadata": {"name": "gw", "labels": {"bad key!": "x"}},
                   "spec": {"servers": [{"port": {"number": 80, "name": "http", "protocol": "SMTP"}, "hosts": ["*"]}]}}
    with pytest.raises(InvalidSpec) as raised:
        parse_documents([route("fine"), bad_gateway, route("fine"), {"kind": "Sidecar", "status": {}, "extra": 1}],
                        "shop", V1)
    paths = [error.path for error in raised.value.errors]
    assert "document 2 (Gateway shop/gw) metadata.labels" in paths
    assert "document 3 (VirtualService shop/fine)" in paths  # declares the same object as document 1
    assert "document 4 (Sidecar shop/without name) extra" in paths
    assert "document 4 (Sidecar shop/without name) metadata" in paths
    assert not any(path.startswith("document 1 ") for path in paths)


def test_istiod_rules_apply_with_manifest_paths_only_when_present():
    bad = route("vs", namespace="web")
    bad["spec"]["http"][0]["redirect"] = {"uri": "/x"}
    with pytest.raises(InvalidSpec) as raised:
        parse_documents([bad], "default", V1)
    assert [error.path for error in raised.value.errors] == ["document 1 (VirtualService web/vs) spec.http[0].route"]
    documents = parse_documents([bad], "default", V1, check_specs=False)[0]
    assert documents[0].key == ("VirtualService", "web", "vs")


def test_the_document_owns_spec_while_metadata_and_other_fields_are_merged():
    (document,) = parse_documents([route("vs", labels={"tier": "web"})], "shop", V1)[0]
    change = Change(VIRTUAL_SERVICE.at(V1), "shop", "vs", None, document)
    live = {"apiVersion": V1, "kind": "VirtualService", "status": {"observed": 1},
            "metadata": {"name": "vs", "namespace": "shop", "resourceVersion": "7", "labels": {"team": "core"},
                         "annotations": {"note": "kept"}},
            "spec": {"hosts": ["old.example.com"], "exportTo": ["."]}}
    wanted = desired_object(change, live, "shop-set")
    assert wanted["spec"] == document.spec, "fields the document leaves out are removed from spec"
    assert wanted["status"] == {"observed": 1}
    assert wanted["metadata"] == {"name": "vs", "namespace": "shop", "resourceVersion": "7",
                                  "labels": {"team": "core", "tier": "web", APPLY_SET_LABEL: "shop-set"},
                                  "annotations": {"note": "kept"}}
    assert desired_object(change, wanted, "shop-set") == wanted, "applying twice changes nothing"


def test_the_prepared_set_crosses_to_the_module_as_it_was_checked():
    gateway = {"apiVersion": V1, "kind": "Gateway", "metadata": {"name": "gw", "labels": {"tier": 1}},
               "spec": {"servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}]}}
    prepared, warnings = prepare_set([gateway, route("vs")], "shop", V1)
    assert warnings == []
    assert prepared.documents[0].labels == {"tier": "1"}, "labels are stored as they will be sent"
    assert prepared.unordered_lists == {"Gateway": GATEWAY.unordered_lists,
                                        "VirtualService": VIRTUAL_SERVICE.unordered_lists}
    assert PreparedSet.from_json(prepared.to_json()) == prepared
    with pytest.raises(ValueError, match="not a set prepared by the meshsmith.istio.apply action plugin"):
        PreparedSet.from_json('{"documents": [[1]]}')
