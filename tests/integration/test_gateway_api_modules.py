# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""k8s_gateway and http_route (and their _info modules) through ansible-playbook on a kubesim with the Gateway API
CRDs: the Gateway API examples corpus (../shared/gateway-api/examples, ``GATEWAY_API_SHARED_DIR``) round-trips.

Every Gateway and HTTPRoute document is created through its module (pasted whole as ``definition``; every fifth
also given as options), the stored spec is the one a plain create of the manifest stores (the CRD's defaulting),
a re-run is one GET and no write, check mode and diff say what the real run does, and each is deleted. One
ansible-playbook run per phase for the whole corpus keeps the test fast.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterator

import pytest
import yaml

from kubesim.testing import KubeSim

pytestmark = pytest.mark.module_logic  # not run on the oldest ansible-core (README, Tests)

REPO_ROOT = Path(__file__).resolve().parents[2]
GATEWAY_API_SHARED_DIR = Path(os.environ.get("GATEWAY_API_SHARED_DIR", REPO_ROOT.parent / "shared" / "gateway-api"))
CORPUS_DIR = GATEWAY_API_SHARED_DIR / "examples"
API = "/apis/gateway.networking.k8s.io/v1"
NAMESPACE, REFERENCE_NAMESPACE = "gw-corpus", "gw-reference"
MODULES = {"Gateway": "meshsmith.istio.k8s_gateway", "HTTPRoute": "meshsmith.istio.http_route"}
AS_OPTIONS_EVERY = 5
FREE_FORM_MAPS = ("options", "labels", "annotations", "matchLabels")  # their keys are data, not field names


def corpus_documents() -> list:
    """Every Gateway and HTTPRoute of the corpus (v1beta1 ones at v1, the same schema), each with a unique name in
    the test's namespace (several examples share names and namespaces)."""
    if not CORPUS_DIR.is_dir():
        message = "Gateway API examples not found at %s (set GATEWAY_API_SHARED_DIR)" % CORPUS_DIR
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    documents = []
    for path in sorted(CORPUS_DIR.rglob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text()):
            if document and document.get("kind") in MODULES:
                name = "%s-%d" % (document["metadata"]["name"], len(documents))
                documents.append(dict(document, apiVersion="gateway.networking.k8s.io/v1",
                                      metadata={"name": name, "namespace": NAMESPACE}))
    return documents


def collection(kind: str, namespace: str) -> str:
    return "%s/namespaces/%s/%ss" % (API, namespace, kind.lower() if kind == "Gateway" else "httproute")


def item_path(document: dict, namespace: str = NAMESPACE) -> str:
    return "%s/%s" % (collection(document["kind"], namespace), document["metadata"]["name"])


def snake_case_options(value):
    """The options of a spec: camelCase field names as snake_case option names (the aliases are not used)."""
    if isinstance(value, list):
        return [snake_case_options(item) for item in value]
    if not isinstance(value, dict):
        return value
    return {re.sub(r"([A-Z])", r"_\1", key).lower(): item if key in FREE_FORM_MAPS else snake_case_options(item)
            for key, item in value.items()}


def as_options(document: dict, **extra) -> dict:
    """The task of a document given as options (snake_case names) rather than ``definition``."""
    return {MODULES[document["kind"]]: dict(snake_case_options(document["spec"]), **document["metadata"], **extra)}


def pasted_documents(documents: list, kind: str) -> list:
    """The documents of ``kind`` pasted as ``definition``."""
    return [document for index, document in enumerate(documents) if document["kind"] == kind and index % AS_OPTIONS_EVERY]


def phase(step: str, documents: list, check: bool = False, **extra) -> list:
    """The tasks of one step for every document: one looped task per kind for the documents pasted as
    ``definition``, one task for each document given as options (every AS_OPTIONS_EVERY-th); ``check``: in check
    mode, options documents only (twins named "<name> (check)")."""
    found = []
    for kind, module in MODULES.items():
        pasted = pasted_documents(documents, kind)
        if pasted and not check:
            found.append({"name": "%s %s" % (step, kind), module: dict(definition="{{ item }}", **extra),
                          "loop": pasted, "loop_control": {"label": "{{ item.metadata.name }}"}})
    for document in documents[::AS_OPTIONS_EVERY]:
        name = "%s %s%s" % (step, document["metadata"]["name"], " (check)" if check else "")
        found.append(dict(as_options(document, **extra), name=name, check_mode=check))
    return found


def outcomes(run, step: str, documents: list, check: bool = False) -> list:
    """(document, its item or task result, the requests it sent) in the order of ``phase``'s tasks; the requests of
    a looped task are split by document (each item's requests start with its GET)."""
    found = []
    for kind in MODULES:
        pasted = pasted_documents(documents, kind)
        if pasted and not check:
            task = run.task("%s %s" % (step, kind))
            assert task.status == "ok", task.result
            calls = task.calls()
            starts = [index for index, call in enumerate(calls) if call[0] == "GET"] + [len(calls)]
            assert len(starts) - 1 == len(pasted), calls
            found += [(document, result, calls[starts[index]:starts[index + 1]])
                      for index, (document, result) in enumerate(zip(pasted, task.result["results"]))]
    for document in documents[::AS_OPTIONS_EVERY]:
        task = run.task("%s %s%s" % (step, document["metadata"]["name"], " (check)" if check else ""))
        assert task.status == "ok", task.result.get("msg")
        found.append((document, task.result, task.calls()))
    return found


@pytest.fixture(scope="module")
def gateway_api(cluster, attach_kubesim, gateway_api_crds_dir, tmp_path_factory) -> Iterator[tuple]:
    """(kubesim, run_playbook) for a kubesim of this module's own with the Gateway API CRDs installed; the
    modules of the tasks run_playbook gets are pointed at it (kubeconfig)."""
    if not cluster.is_kubesim:
        pytest.skip("needs a kubesim with the Gateway API CRDs")
    with KubeSim(tmp_path_factory.mktemp("kubesim-gateway-api"), load=[gateway_api_crds_dir]) as sim:
        other, run = attach_kubesim(sim)
        for namespace in (NAMESPACE, REFERENCE_NAMESPACE):
            other.ensure_namespace(namespace)
        yield sim, lambda tasks, **options: run(
            [{name: dict(args, kubeconfig=str(sim.kubeconfig)) if name.startswith("meshsmith") else args
              for name, args in task.items()} for task in tasks], **options)


def test_the_examples_corpus_round_trips(gateway_api):
    sim, run = gateway_api
    documents = corpus_documents()
    assert len(documents) > 50
    # What a plain create of each manifest stores, CRD defaults included: the spec the module must give.
    reference = {}
    for document in documents:
        status, stored = sim.api("POST", collection(document["kind"], REFERENCE_NAMESPACE),
                                 dict(document, metadata=dict(document["metadata"], namespace=REFERENCE_NAMESPACE)))
        assert status == 201, stored
        reference[document["metadata"]["name"]] = stored["spec"]

    steps = (phase("create", documents, check=True) + phase("create", documents) + phase("re-run", documents)
             + phase("delete", documents, check=True, state="absent") + phase("delete", documents, state="absent"))
    played = run(steps)
    assert played.rc == 0, played.stdout[-3000:]

    checked = {document["metadata"]["name"]: result for document, result, _ in outcomes(played, "create", documents, True)}
    for document, result, calls in outcomes(played, "create", documents):
        name, path = document["metadata"]["name"], item_path(document)
        assert (result["changed"], result["method"]) == (True, "created"), name
        assert calls == [("GET", path), ("POST", path.rsplit("/", 1)[0])], name
        assert result["diff"]["after"]["spec"] == reference[name], name
        if name in checked:
            assert checked[name]["diff"] == result["diff"], name
    for document, _result, calls in outcomes(played, "create", documents, check=True):
        path = item_path(document)
        assert calls == [("GET", path), ("POST", path.rsplit("/", 1)[0] + "?dryRun=All")]

    for document, result, calls in outcomes(played, "re-run", documents):
        assert (result["changed"], result["method"], calls) == (False, "unchanged", [("GET", item_path(document))])

    for document, result, calls in (outcomes(played, "delete", documents, check=True)
                                    + outcomes(played, "delete", documents)):
        assert (result["changed"], result["method"], result["diff"]["after"]) == (True, "deleted", {})
        assert [method for method, _ in calls] == ["GET", "DELETE"]
        assert sim.api("GET", item_path(document))[0] == 404
