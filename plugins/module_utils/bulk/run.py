# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``run_apply_module``: the module's side of ``meshsmith.istio.apply`` - plan the set its action plugin read and
checked (``prepared.py``) with one LIST per kind, write what differs concurrently, prune, report per object."""

from __future__ import annotations

from ansible_collections.meshsmith.istio.plugins.module_utils.bulk.converge import (
    ACTIONS,
    APPLY_SET_LABEL,
    Result,
    UnservedKind,
    converge,
    plan,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.bulk.prepared import PreparedSet
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.module import KubeModule
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import label_value_errors, namespace_name

MAX_CONCURRENCY = 64


def run_apply_module(argument_spec: dict) -> None:
    """Run ``meshsmith.istio.apply``'s module: every bad option fails before any request, an unserved kind or a
    failed read before any write (bad documents failed in the action plugin already)."""
    module = KubeModule(argument_spec=argument_spec, option_rules=dict(namespace=namespace_name),
                        required_if=[("prune", True, ("apply_set",))], supports_check_mode=True)
    params = module.params
    _check_options(module, params)
    try:  # the action plugin hands the checked documents in ``definition`` (``PreparedSet.to_json``)
        prepared = PreparedSet.from_json(params["definition"])
    except ValueError as err:
        module.fail_json(msg="definition: %s; the manifests are read and checked on the controller by the "
                             "meshsmith.istio.apply action plugin: run the module as the task meshsmith.istio.apply"
                         % err, option="definition")
    module.connections = params["concurrency"]
    # One error handler (KubeModule.failures): an unserved kind or a failed read fails before any write.
    with module.failures("read the objects to apply (nothing was written)", UnservedKind):
        changes = plan(module.client, prepared, params["state"], params["apply_set"], params["prune"],
                       params["api_version"])
    results = converge(module.client, changes, params["state"], params["apply_set"], module.check_mode,
                       params["concurrency"])
    for result in results:
        for warning in result.outcome.warnings if result.outcome else ():
            module.warn(warning)
    report = _report(results, module._diff)
    # the documents are in ``objects`` already: the invocation names how many, instead of repeating them
    report["invocation"] = {"module_args": dict(params, definition="%d documents" % len(prepared.documents))}
    failed = [result for result in results if result.error]
    if failed:
        module.fail_json(msg=_failure_message(failed, results, len(changes)), **report)
    module.exit_json(**report)


def _check_options(module: KubeModule, params: dict) -> None:
    if not 1 <= params["concurrency"] <= MAX_CONCURRENCY:
        module.fail_json(msg="concurrency: must be between 1 and %d, got %d" % (MAX_CONCURRENCY, params["concurrency"]),
                         option="concurrency")
    found = label_value_errors(params["apply_set"]) if params["apply_set"] is not None else []
    if found or params["apply_set"] == "":
        module.fail_json(msg="apply_set: %r is not a valid label value (it becomes the %s label): %s" % (
            params["apply_set"], APPLY_SET_LABEL, "; ".join(found) or "must not be empty"), option="apply_set")


def _entry(result: Result, with_diff: bool) -> dict:
    change = result.change
    entry: dict = dict(kind=change.kind.kind, api_version=change.kind.api_version, namespace=change.namespace,
                       name=change.name, action=result.outcome.method if result.outcome else "failed")
    if result.error:
        entry["msg"] = result.error
    if with_diff and result.outcome:
        entry["diff"] = result.outcome.diff
    return entry


def _report(results: list, with_diff: bool) -> dict:
    """``changed``, ``objects`` (one entry per object, in the order of the set, prunes last), ``counts`` and, in diff
    mode, ``diff``: one before/after pair per changed object, as Ansible shows several."""
    objects = [_entry(result, with_diff) for result in results]
    counts = {action: sum(entry["action"] == action for entry in objects) for action in ACTIONS + ("failed",)}
    report: dict = dict(changed=any(result.outcome and result.outcome.changed for result in results),
                        objects=objects, counts=counts)
    if with_diff:
        report["diff"] = [dict(result.outcome.diff, before_header=_describe(result), after_header=_describe(result))
                          for result in results if result.outcome and result.outcome.changed]
    return report


def _describe(result: Result) -> str:
    change = result.change
    return change.kind.describe(change.namespace, change.name)


def _failure_message(failed: list, results: list, planned: int) -> str:
    """Which objects failed, what this run wrote, and the prunes skipped (``planned`` counts them too)."""
    written = [_describe(result) for result in results if result.outcome and result.outcome.changed]
    skipped = planned - len(results)
    return "%d of %d objects failed: %s. Written in this run: %s.%s" % (
        len(failed), len(results), "; ".join(result.error for result in failed), ", ".join(written) or "nothing",
        " Prune skipped (%d objects): it runs only when every declared object succeeded." % skipped if skipped else "")
