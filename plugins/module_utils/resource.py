# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``run_resource_module``: the whole life of a typed Istio resource module (gateway, virtual_service)."""

from __future__ import annotations

from typing import Callable, Iterable, Mapping, Optional

from ansible_collections.meshsmith.istio.plugins.module_utils.args import RESOURCE_ARG_SPEC, merge_option_specs
from ansible_collections.meshsmith.istio.plugins.module_utils.client import ApiError
from ansible_collections.meshsmith.istio.plugins.module_utils.istio_validation import InvalidOption
from ansible_collections.meshsmith.istio.plugins.module_utils.kinds import InvalidPath, Kind, istio_kind
from ansible_collections.meshsmith.istio.plugins.module_utils.module import KubeModule
from ansible_collections.meshsmith.istio.plugins.module_utils.names import (
    OptionRules,
    annotation_map,
    label_map,
    namespace_name,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.reconcile import (
    align_unordered_lists,
    merge_metadata,
    reconcile,
)


def build_object(kind: Kind, params: Mapping, spec: dict, live: Optional[dict],
                 unordered_lists: Iterable[str] = ()) -> dict:
    """The object to store: ``live`` (or a new object) with the module's spec, labels and annotations.

    The spec is owned by the module (fields not in ``spec`` are removed); lists at ``unordered_lists``
    keep their live order when they hold the same set of values.
    """
    obj = dict(live or {}, apiVersion=kind.api_version, kind=kind.kind)
    metadata = dict(obj.get("metadata") or {}, name=params["name"], namespace=params["namespace"])
    obj["metadata"] = merge_metadata(
        metadata, params["labels"], params["annotations"], params["purge_labels"], params["purge_annotations"]
    )
    obj["spec"] = align_unordered_lists(spec, (live or {}).get("spec"), unordered_lists)
    return obj


def run_resource_module(kind_name: str, argument_spec: dict, build_spec: Callable[[Mapping], dict],
                        validate: Callable[[str, str, dict], None], unordered_lists: Iterable[str] = ()) -> None:
    """Run a resource module: parse options, validate before any request, reconcile, exit.

    ``build_spec(params)`` turns the module's own options into the camelCase spec; ``validate(name,
    namespace, spec)`` raises ``InvalidOption``; ``unordered_lists`` are spec paths compared as sets
    (see ``reconcile.align_unordered_lists``).
    """
    option_rules: OptionRules = dict(name=istio_kind(kind_name).name_rule, namespace=namespace_name, labels=label_map,
                                     annotations=annotation_map)
    module = KubeModule(argument_spec=merge_option_specs(RESOURCE_ARG_SPEC, argument_spec),
                        option_rules=option_rules, supports_check_mode=True)
    params = module.params
    kind = istio_kind(kind_name, params["api_version"])
    name, namespace, state = params["name"], params["namespace"], params["state"]
    spec = build_spec(params) if state == "present" else {}
    if state == "present":
        try:
            validate(name, namespace, spec)
        except InvalidOption as err:
            module.fail_json(msg=str(err), option=err.path)

    def build(live: Optional[dict]) -> dict:
        return build_object(kind, params, spec, live, unordered_lists)

    try:
        outcome = reconcile(module.client, kind, name, namespace, state, build, module.check_mode)
    except InvalidPath as err:
        module.fail_json(msg=str(err))
    except ApiError as err:
        module.fail_from_api_error(err, "%s %s" % (err.verb, kind.describe(namespace, name)))
    results = dict(changed=outcome.changed, method=outcome.method, result=outcome.result)
    if module._diff:
        results["diff"] = outcome.diff
    module.exit_json(**results)
