# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one reconcile loop: read once, build the wanted object, write only when it differs.

A no-op costs one GET. Writes carry the live ``resourceVersion``, so a concurrent change makes the API
answer 409 instead of being overwritten; the loop then reads again, rebuilds and retries (bounded).
Check mode sends the same write with ``dryRun=All`` when something differs, so the server's schema, CEL
rules and admission webhooks judge it as they would the real write; nothing is stored.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.client import ApiError, KubeClient
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kinds import Kind

__all__ = ("NamespaceNotFound", "Outcome", "reconcile", "diff_view", "keep_order_if_same_set",
           "align_unordered_lists", "merge_string_map", "merge_metadata")

MAX_CONFLICT_RETRIES = 5
# Server-maintained bookkeeping that is never sent back in a write body.
WRITE_IGNORED_METADATA = ("managedFields",)


class NamespaceNotFound(ApiError):
    """A create answered 404 because the object's namespace does not exist (never retried)."""

    def __init__(self, err: ApiError, namespace: str) -> None:
        super().__init__(err.status, err.reason, err.message, err.causes, err.method, err.details)
        self.namespace = namespace

    def __str__(self) -> str:
        return 'namespace: Namespace "%s" does not exist (create it first, or correct the namespace option)' % (
            self.namespace)


@dataclass
class Outcome:
    """What ``reconcile`` did: ``method`` is created, updated, deleted or unchanged.

    ``result`` is the object the server answered (stored, or in check mode the dry run's answer).
    ``warnings`` say when check mode could not ask the server and computed ``result`` locally.
    """

    changed: bool
    method: str
    result: dict
    diff: dict = field(default_factory=dict)
    warnings: tuple = ()


def diff_view(obj: Optional[dict]) -> dict:
    """The part of an object a user manages: name, namespace, labels, annotations and spec."""
    if not obj:
        return {}
    metadata = obj.get("metadata") or {}
    view = {"metadata": {key: metadata[key] for key in ("name", "namespace", "labels", "annotations") if key in metadata}}
    if "spec" in obj:
        view["spec"] = obj["spec"]
    return view


def reconcile(client: KubeClient, kind: Kind, name: str, namespace: Optional[str], state: str,
              build: Callable[[Optional[dict]], Optional[dict]], check_mode: bool,
              view: Callable[[Optional[dict]], dict] = diff_view, listed: bool = False,
              live: Optional[dict] = None) -> Outcome:
    """Bring the object ``kind`` ``namespace/name`` to ``state`` (present/absent).

    ``build(live)`` returns the complete object to store, starting from ``live`` (None when absent) so
    that nothing it does not manage is lost; with ``state`` present it may return None: the object should
    not exist (it is deleted). In check mode a needed write is sent as a dry run.
    Raises ``NamespaceNotFound`` when a create finds no namespace, ``ApiError`` when the API refuses,
    and after ``MAX_CONFLICT_RETRIES`` conflicting concurrent changes in a row.
    ``listed``: ``live`` is the object as a LIST just returned it (None: absent), so the first attempt sends no GET.
    """
    item_path = kind.path(namespace, name)
    for attempt in range(MAX_CONFLICT_RETRIES + 1):
        if attempt or not listed:
            live = client.get(item_path)
        try:
            if state == "absent":
                return _delete(client, item_path, live, check_mode, view)
            return _apply(client, kind, namespace, item_path, live, build, check_mode, view)
        except ApiError as err:
            if is_missing_namespace(err):
                raise NamespaceNotFound(err, namespace or "") from err
            # 409: changed (or created) since our GET; 404 on the object itself: deleted since our GET. Read again.
            if not (err.status == 409 or vanished(err, kind)) or attempt == MAX_CONFLICT_RETRIES:
                raise
    raise AssertionError("unreachable")


def is_missing_namespace(err: ApiError) -> bool:
    """Whether ``err`` is the 404 ``namespaces "x" not found`` of a write into a namespace that does not exist."""
    return err.status == 404 and err.details.get("kind") == "namespaces" and not err.details.get("group")


def vanished(err: ApiError, kind: Kind) -> bool:
    """Whether ``err`` is a 404 about the object itself (deleted since it was read), not its namespace or type."""
    return err.status == 404 and err.details.get("kind") == kind.plural


def _apply(client, kind, namespace, item_path, live, build, check_mode, view) -> Outcome:
    desired = build(copy.deepcopy(live))
    if desired is None:
        return _delete(client, item_path, live, check_mode, view)
    if live is not None and desired == live:
        return Outcome(False, "unchanged", live, {"before": view(live), "after": view(live)})
    method = "created" if live is None else "updated"
    body = _write_body(desired)
    warnings: tuple = ()
    try:
        if live is None:
            answer = client.create(kind.path(namespace), body, dry_run=check_mode)
        else:
            body["metadata"]["resourceVersion"] = live["metadata"]["resourceVersion"]
            answer = client.replace(item_path, body, dry_run=check_mode)
    except ApiError as err:
        warning = _unjudged_dry_run(err, kind, namespace) if check_mode and live is None else None
        if warning is None:
            raise
        answer, warnings = desired, (warning,)
    return Outcome(True, method, answer, {"before": view(live), "after": view(answer)}, warnings)


def _unjudged_dry_run(err: ApiError, kind: Kind, namespace: Optional[str]) -> Optional[str]:
    """The check-mode warning when a dry-run create cannot be judged because the namespace or the resource
    type does not exist yet (an earlier task of the same run may create it); None for any other refusal."""
    if err.status != 404 or vanished(err, kind):
        return None
    if is_missing_namespace(err):
        missing = 'namespace "%s" does not exist' % namespace
    else:
        missing = "the server does not serve %s (%s)" % (kind.plural, kind.api_version)
    return ("Check mode: %s, so the server could not dry-run this create; the result is computed locally "
            "and the real run fails unless an earlier task creates it" % missing)


def _delete(client, item_path, live, check_mode, view) -> Outcome:
    if live is None:
        return Outcome(False, "unchanged", {}, {"before": {}, "after": {}})
    preconditions = {"resourceVersion": live["metadata"]["resourceVersion"]}
    client.delete(item_path, {"apiVersion": "v1", "kind": "DeleteOptions", "preconditions": preconditions},
                  dry_run=check_mode)
    return Outcome(True, "deleted", {}, {"before": view(live), "after": {}})


def _write_body(desired: dict) -> dict:
    body = copy.deepcopy(desired)
    metadata = body.setdefault("metadata", {})
    for key in WRITE_IGNORED_METADATA:
        metadata.pop(key, None)
    return body


def _identity(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def keep_order_if_same_set(desired: Optional[list], live: Optional[list]) -> Optional[list]:
    """``live`` when it holds the same set of values as ``desired`` (so reordering is no change), else ``desired``."""
    if isinstance(desired, list) and isinstance(live, list):
        if {_identity(item) for item in desired} == {_identity(item) for item in live}:
            return live
    return desired


def align_unordered_lists(desired, live, paths: Iterable[str]):
    """``desired`` with the lists at ``paths`` replaced by the live list when they hold the same set.

    A path is dotted keys, ``[]`` stepping into every element of a list pair by index:
    ``hosts``, ``servers[].hosts``, ``http[].match[].gateways``.
    """
    result = desired
    for path in paths:
        result = _align(result, live, path.replace("[]", ".[]").split("."))
    return result


def _align(desired, live, steps):
    if not steps:
        return keep_order_if_same_set(desired, live)
    step, rest = steps[0], steps[1:]
    if step == "[]":
        if not (isinstance(desired, list) and isinstance(live, list)):
            return desired
        return [_align(item, live[index] if index < len(live) else None, rest) for index, item in enumerate(desired)]
    if not (isinstance(desired, dict) and isinstance(live, dict)) or step not in desired:
        return desired
    return dict(desired, **{step: _align(desired[step], live.get(step), rest)})


def object_as_declared(kind: Kind, name: str, namespace: str, spec: Optional[dict], live: Optional[dict],
                       labels: Optional[dict], annotations: Optional[dict], purge_labels: bool = False,
                       purge_annotations: bool = False, unordered_lists: Iterable[str] = ()) -> dict:
    """The object to store: ``live`` (or a new object) with ``spec``, and ``labels`` and ``annotations`` merged
    over the live ones (see ``merge_metadata``); everything else (status, other metadata) stays as the cluster has it.

    The declaration owns the spec (fields not in ``spec`` are removed; ``spec`` None: no spec); lists at
    ``unordered_lists`` keep their live order when they hold the same set of values. ``spec`` is never changed in
    place. The one rule for a written object: the resource modules (``engine/resource.py``) and
    ``meshsmith.istio.apply`` (``bulk/converge.py``) both build theirs here.
    """
    obj = {key: value for key, value in (live or {}).items() if key != "spec"}
    obj.update(apiVersion=kind.api_version, kind=kind.kind)
    metadata = dict(obj.get("metadata") or {}, name=name, namespace=namespace)
    obj["metadata"] = merge_metadata(metadata, labels, annotations, purge_labels, purge_annotations)
    if spec is not None:
        obj["spec"] = align_unordered_lists(spec, (live or {}).get("spec"), unordered_lists)
    return obj


def merge_string_map(live: Optional[dict], wanted: Optional[dict], purge: bool) -> dict:
    """Labels or annotations to store: ``wanted`` over ``live`` (keys set by others kept unless ``purge``).

    ``wanted`` None means not managed: ``live`` is kept as it is. Its values are strings already
    (see ``names.label_map`` and ``names.annotation_map``).
    """
    if wanted is None:
        return dict(live or {})
    return dict(wanted) if purge else dict(live or {}, **wanted)


def merge_metadata(live: Optional[dict], labels: Optional[dict], annotations: Optional[dict],
                   purge_labels: bool = False, purge_annotations: bool = False) -> dict:
    """``live`` metadata with labels and annotations merged (see ``merge_string_map``); empty maps omitted."""
    metadata = dict(live or {})
    for key, wanted, purge in (("labels", labels, purge_labels), ("annotations", annotations, purge_annotations)):
        merged = merge_string_map(metadata.get(key), wanted, purge)
        if merged:
            metadata[key] = merged
        else:
            metadata.pop(key, None)
    return metadata
