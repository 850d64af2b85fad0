# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``run_resource_module``: the whole life of a typed Istio resource module (gateway, virtual_service)."""

from __future__ import annotations

from typing import Callable, Iterable, Mapping, Optional

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.args import RESOURCE_ARG_SPEC, merge_option_specs
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.client import ApiError
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kinds import InvalidPath, Kind, istio_kind
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.module import KubeModule
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import (
    InvalidOption,
    OptionRules,
    annotation_map,
    label_map,
    namespace_name,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.reconcile import (
    align_unordered_lists,
    merge_metadata,
    reconcile,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.shared_gateway import (
    check_servers_to_remove,
    refuse_purge_on_shared_gateway,
    may_reduce,
    merged_gateway,
    reduced_gateway,
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
                        validate: Callable[[str, str, dict], list[InvalidOption]],
                        unordered_lists: Iterable[str] = (), shared_servers: bool = False) -> None:
    """Run a resource module: parse options, validate before any request, reconcile, exit.

    ``build_spec(params)`` turns the module's own options into the camelCase spec; ``validate(name,
    namespace, spec)`` returns istiod's warnings (shown as Ansible warnings) and raises ``InvalidSpec``
    with every error; ``unordered_lists`` are spec paths compared as sets
    (see ``reconcile.align_unordered_lists``). ``shared_servers``: the module has the ``servers_mode``
    option, whose ``merge`` adds or removes only the task's servers and hosts (see ``shared_gateway``).
    """
    option_rules: OptionRules = dict(name=istio_kind(kind_name).name_rule, namespace=namespace_name, labels=label_map,
                                     annotations=annotation_map)
    module = KubeModule(argument_spec=merge_option_specs(RESOURCE_ARG_SPEC, argument_spec),
                        option_rules=option_rules, supports_check_mode=True)
    params = module.params
    kind = istio_kind(kind_name, params["api_version"])
    name, namespace, state = params["name"], params["namespace"], params["state"]
    merge = shared_servers and params["servers_mode"] == "merge"
    spec = build_spec(params) if state == "present" or merge else {}
    try:
        if merge:
            refuse_purge_on_shared_gateway(params)
        if state == "present":
            for warning in validate(name, namespace, spec):
                module.warn(str(warning))
        elif merge:
            check_servers_to_remove(spec.get("servers"))
    except InvalidOption as err:
        module.fail_invalid(err)

    def list_virtual_services() -> list:
        """All VirtualServices, in one cluster-wide LIST: any namespace's may bind to this Gateway."""
        try:
            return module.client.list(istio_kind("VirtualService", params["api_version"]).path())
        except ApiError as err:
            module.fail_from_api_error(err, "list the VirtualServices bound to %s" % kind.describe(namespace, name))
            raise

    def build(live: Optional[dict]) -> Optional[dict]:
        if merge and state == "absent":
            # Nothing to remove (an absent Gateway, or another's without the task's hosts) needs no LIST.
            if live is None or not may_reduce(live, spec["servers"]):
                return live
            return reduced_gateway(live, spec["servers"], list_virtual_services())
        wanted = build_object(kind, params, spec, live, unordered_lists)
        if not merge:
            return wanted
        merged = merged_gateway(live, wanted)
        validate(name, namespace, merged["spec"])
        return merged

    try:
        outcome = reconcile(module.client, kind, name, namespace, "present" if merge else state, build,
                            module.check_mode)
    except InvalidOption as err:
        module.fail_invalid(err)
    except InvalidPath as err:
        module.fail_json(msg=str(err))
    except ApiError as err:
        module.fail_from_api_error(err, "%s %s" % (err.verb, kind.describe(namespace, name)))
    for warning in outcome.warnings:
        module.warn(warning)
    results = dict(changed=outcome.changed, method=outcome.method, result=outcome.result)
    if module._diff:
        results["diff"] = outcome.diff
    module.exit_json(**results)
