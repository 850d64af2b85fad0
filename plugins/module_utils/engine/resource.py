# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``run_resource_module``: the whole life of a resource module, for the kind its ``ResourceType`` describes."""

from __future__ import annotations

from typing import Iterable, Mapping, Optional

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.args import (
    RESOURCE_ARG_SPEC,
    api_version_option,
    merge_option_specs,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.definition import DefinitionOption
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.descriptor import ResourceType, SharingContext
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.module import KubeModule
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kinds import Kind
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import (
    OptionRules,
    annotation_map,
    label_map,
    namespace_name,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.reconcile import (
    object_as_declared,
    reconcile,
)


def build_object(kind: Kind, params: Mapping, spec: dict, live: Optional[dict],
                 unordered_lists: Iterable[str] = ()) -> dict:
    """The object to store: ``live`` (or a new object) with the module's spec, labels and annotations.

    The spec is owned by the module (fields not in ``spec`` are removed); lists at ``unordered_lists``
    keep their live order when they hold the same set of values.
    """
    return object_as_declared(kind, params["name"], params["namespace"], spec, live, params["labels"],
                              params["annotations"], params["purge_labels"], params["purge_annotations"],
                              unordered_lists)


def resource_argument_spec(resource: ResourceType) -> dict:
    """Every option of the module managing ``resource`` (but the connection's)."""
    return merge_option_specs(RESOURCE_ARG_SPEC, dict(api_version=api_version_option(resource.api_versions)),
                              resource.argument_spec)


def run_resource_module(resource: ResourceType) -> None:
    """Run the module managing ``resource``: parse options, validate before any request, reconcile, exit.

    A ``definition`` (manifest) is first turned into the options it stands for (see ``definition.py``).
    The spec comes from the descriptor's ``build_spec``; its validator's warnings are shown as Ansible warnings and
    its errors fail the task before any request, with API field paths shown as option paths. A ``sharing``
    behaviour that applies to the task combines the task's object with the live one instead of replacing it.
    """
    option_rules: OptionRules = dict(name=resource.at().name_rule, namespace=namespace_name, labels=label_map,
                                     annotations=annotation_map)
    definition = DefinitionOption(resource.options, resource.kind, resource.api_versions, resource.option_path)
    module = KubeModule(argument_spec=resource_argument_spec(resource), option_rules=option_rules,
                        option_path=definition.option_path, prepare_params=definition.prepare,
                        required_one_of=[("name", "definition")], supports_check_mode=True)
    params = module.params
    kind = resource.at(params["api_version"])
    name, namespace, state = params["name"], params["namespace"], params["state"]
    sharing = resource.sharing if resource.sharing and resource.sharing.applies(params) else None
    spec = resource.build_spec(params) if state == "present" or sharing else {}
    with module.failures(lambda err: "%s %s" % (err.verb, kind.describe(namespace, name))):
        if sharing:
            sharing.check(params, spec)
        if state == "present":
            for warning in resource.validate(name, namespace, spec):
                module.warn("%s: %s" % (resource.option_path(warning.path), warning.message))

        def build(live: Optional[dict]) -> Optional[dict]:
            wanted = build_object(kind, params, spec, live, resource.unordered_lists) if state == "present" else None
            if sharing:
                return sharing.combine(SharingContext(kind, params, spec, module.client, module.warn), live, wanted)
            return wanted

        outcome = reconcile(module.client, kind, name, namespace, "present" if sharing else state, build,
                            module.check_mode)
    for warning in outcome.warnings:
        module.warn(warning)
    results = dict(changed=outcome.changed, method=outcome.method, result=outcome.result)
    if module._diff:
        results["diff"] = outcome.diff
    module.exit_json(**results)
