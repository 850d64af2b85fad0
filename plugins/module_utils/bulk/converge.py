# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge a set of Istio networking objects: one LIST per kind, then only the writes that differ, concurrently.

Each write goes through ``reconcile`` with the listed object as its first read, so it carries the listed
``resourceVersion`` and a 409 (or the object vanishing) re-reads that one object and retries, as the single-object
modules do. The document owns ``spec``; labels and annotations are merged over the live ones; everything else
(status, other metadata) stays as the cluster has it.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional, cast

from ansible_collections.meshsmith.istio.plugins.module_utils.bulk.prepared import Document, PreparedSet
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.module import api_error_message
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.client import ApiError, KubeClient
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kinds import Kind
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.reconcile import (
    NamespaceNotFound,
    Outcome,
    diff_view,
    object_as_declared,
    reconcile,
)

APPLY_SET_LABEL = "meshsmith.istio/apply-set"
ACTIONS = ("created", "updated", "unchanged", "deleted")


class UnservedKind(ValueError):
    """A document's kind is not served by the cluster at the document's apiVersion (nothing was written)."""

    def __str__(self) -> str:
        return "Nothing was written: %s" % super().__str__()


@dataclass(frozen=True)
class Change:
    """One object to bring to its state: the listed ``live`` object (None when absent), the document declaring it
    (None for a prune) and the spec paths of the lists its kind compares as sets."""

    kind: Kind
    namespace: str
    name: str
    live: Optional[dict]
    document: Optional[Document] = None
    unordered_lists: tuple = ()


def served_kinds(client: KubeClient, api_version: str) -> dict:
    """``{kind: Kind}`` of every namespaced resource the cluster serves at ``api_version`` (one discovery GET)."""
    group, version = api_version.split("/")
    resources = client.request("GET", "/apis/%s" % api_version).get("resources") or []
    return {resource["kind"]: Kind(group, version, resource["name"], resource["kind"])
            for resource in resources if "/" not in resource["name"] and resource.get("namespaced", True)}


def kinds_to_list(client: KubeClient, documents: Iterable[Document], prune_api_version: Optional[str]) -> list:
    """The kinds to LIST, each once: every documents' kind at its apiVersion (the first one met), plus with prune
    every kind served at ``prune_api_version``. Raises ``UnservedKind`` naming the documents the cluster cannot
    store; one discovery GET per apiVersion involved."""
    discovered: dict = {}

    def served(api_version: str) -> dict:
        if api_version not in discovered:
            try:
                discovered[api_version] = served_kinds(client, api_version)
            except ApiError as err:
                if err.status != 404:
                    raise
                discovered[api_version] = {}
        return discovered[api_version]

    kinds: dict = {}
    unserved = []
    for document in documents:
        kind = served(document.api_version).get(document.kind)
        if kind is None:
            unserved.append("%s: the cluster serves no %s at %s" % (document.label, document.kind, document.api_version))
        else:
            kinds.setdefault(kind.kind, kind)
    if unserved:
        raise UnservedKind("; ".join(unserved))
    if prune_api_version:
        for name, kind in served(prune_api_version).items():
            kinds.setdefault(name, kind)
    return list(kinds.values())


def list_live(client: KubeClient, kind: Kind, namespaces: set) -> dict:
    """``{(kind, namespace, name): object}`` from one LIST: of the namespace when ``namespaces`` holds exactly one,
    else cluster-wide (``namespaces`` empty: the whole cluster, as prune needs)."""
    scope = next(iter(namespaces)) if len(namespaces) == 1 else None
    items = client.list(kind.path(scope))
    return {(kind.kind, item["metadata"]["namespace"], item["metadata"]["name"]):
            dict(item, apiVersion=item.get("apiVersion", kind.api_version), kind=kind.kind) for item in items}


def plan(client: KubeClient, prepared: PreparedSet, state: str, apply_set: Optional[str], prune: bool,
         prune_api_version: str) -> list:
    """The changes to consider, read with one LIST per kind: every document, then (``prune``) every object of the
    set ``apply_set`` that no document declares."""
    documents = prepared.documents
    kinds = kinds_to_list(client, documents, prune_api_version if prune else None)
    declared = {document.key: document for document in documents}
    live: dict = {}
    for kind in kinds:
        namespaces = set() if prune else {doc.namespace for doc in documents if doc.kind == kind.kind}
        live.update(list_live(client, kind, namespaces))
    by_name = {kind.kind: kind for kind in kinds}
    changes = [Change(_at_version(by_name[document.kind], document.api_version), document.namespace, document.name,
                      live.get(document.key), document, prepared.unordered_lists.get(document.kind, ()))
               for document in documents]
    if prune and state == "present":
        changes.extend(
            Change(by_name[key[0]], key[1], key[2], obj) for key, obj in sorted(live.items())
            if key not in declared and _owned(obj, apply_set))
    return changes


def _at_version(kind: Kind, api_version: str) -> Kind:
    """``kind`` at the document's version."""
    return Kind(kind.group, api_version.split("/")[1], kind.plural, kind.kind)


def desired_object(change: Change, live: Optional[dict], apply_set: Optional[str]) -> dict:
    """``live`` (or a new object) as the change's document declares it (``reconcile.object_as_declared``, the rule
    of the resource modules too): its spec, its labels and annotations merged over the live ones, plus the set's
    ownership label; the lists its kind compares as sets keep their live order."""
    document = cast(Document, change.document)  # only changes with a document are built
    labels = dict(document.labels, **{APPLY_SET_LABEL: apply_set}) if apply_set else document.labels
    return object_as_declared(change.kind, document.name, document.namespace, document.spec, live, labels,
                              document.annotations, unordered_lists=change.unordered_lists)


@dataclass
class Result:
    """What happened to one object: an ``outcome``, or the ``error`` message of its failed write."""

    change: Change
    outcome: Optional[Outcome] = None
    error: Optional[str] = None


def converge(client: KubeClient, changes: list, state: str, apply_set: Optional[str], check_mode: bool,
             concurrency: int) -> list:
    """Bring every change to its state, ``concurrency`` writes at a time; a no-op sends nothing. Prunes (changes
    without a document) run only once every declared object succeeded."""
    declared = [change for change in changes if change.document is not None]
    results = _run_all(client, declared, state, apply_set, check_mode, concurrency)
    prunes = [change for change in changes if change.document is None]
    if prunes and all(result.error is None for result in results):
        results += _run_all(client, prunes, "absent", apply_set, check_mode, concurrency)
    return results


def _run_all(client, changes, state, apply_set, check_mode, concurrency) -> list:
    """Each change reconciled, in order; the ones already as wanted are settled without a request or a thread."""
    needs_write = [_differs(change, state, apply_set) for change in changes]
    pending = [change for change, differs in zip(changes, needs_write) if differs]
    written: Iterator[Result] = iter([])
    if pending:
        with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(pending)))) as pool:
            written = iter(list(pool.map(lambda change: _converge_one(client, change, state, apply_set, check_mode),
                                         pending)))
    return [next(written) if differs else Result(change, _unchanged(change.live))
            for change, differs in zip(changes, needs_write)]


def _owned(obj: Optional[dict], apply_set: Optional[str]) -> bool:
    """Whether ``obj`` carries the label of the apply set ``apply_set``."""
    return obj is not None and ((obj.get("metadata") or {}).get("labels") or {}).get(APPLY_SET_LABEL) == apply_set


def _unchanged(live: Optional[dict]) -> Outcome:
    view = diff_view(live)
    return Outcome(False, "unchanged", live or {}, {"before": view, "after": view})


def _differs(change: Change, state: str, apply_set: Optional[str]) -> bool:
    if state == "absent" or change.document is None:
        return change.live is not None
    return change.live is None or desired_object(change, change.live, apply_set) != change.live


def _converge_one(client: KubeClient, change: Change, state: str, apply_set: Optional[str],
                  check_mode: bool) -> Result:
    """One object reconciled from its listed state: no request when nothing differs."""
    def build(live: Optional[dict]) -> Optional[dict]:
        if change.document:
            return desired_object(change, live, apply_set)
        # a prune deletes the object only while it carries this set's label, also when read again after a 409
        return None if _owned(live, apply_set) else live

    try:
        outcome = reconcile(client, change.kind, change.name, change.namespace,
                            state if change.document else "present", build, check_mode, listed=True, live=change.live)
    except NamespaceNotFound:
        return Result(change, error='Failed to create %s: namespace "%s" does not exist (create it first)' % (
            change.kind.describe(change.namespace, change.name), change.namespace))
    except ApiError as err:
        return Result(change, error=api_error_message(err, "%s %s" % (
            err.verb, change.kind.describe(change.namespace, change.name))))
    return Result(change, outcome)
