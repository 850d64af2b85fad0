# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``run_info_module``: read the resources of one kind by name, namespace and selectors with a single request.

A resource type the cluster does not serve (Istio's CRDs not installed, or not at that version) holds no objects,
as with kubernetes.core.k8s_info: ``list_served`` tells that 404 apart from one about a named object.
"""

from __future__ import annotations

import re
from typing import Optional

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.args import INFO_ARG_SPEC, api_version_option
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.descriptor import ResourceType
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.module import KubeModule
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.client import ApiError, KubeClient
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kinds import Kind
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import namespace_name


# kube-apiserver's 404 about a named object or namespace: `gateways.networking.istio.io "x" not found`,
# `namespaces "x" not found`; an unknown resource path gets "404 page not found" or "the server could not find
# the requested resource" instead.
_NAMED_OBJECT_NOT_FOUND = re.compile(r'"[^"]*" not found$')


def is_unserved_type(err: ApiError) -> bool:
    """True when ``err`` says the request's resource type is not served, not that a named object is missing."""
    return err.status == 404 and not _NAMED_OBJECT_NOT_FOUND.search(err.message.strip())


def list_served(client: KubeClient, path: str, label_selector: Optional[str] = None,
                field_selector: Optional[str] = None) -> Optional[list]:
    """The items of the collection at ``path`` (one LIST), or None when the cluster does not serve its type."""
    try:
        return client.list(path, label_selector, field_selector)
    except ApiError as err:
        if is_unserved_type(err):
            return None
        raise


def read_resources(client: KubeClient, kind: Kind, name: Optional[str], namespace: Optional[str],
                   label_selectors: list, field_selectors: list) -> list:
    """The matching objects (each with apiVersion and kind), in one request: a GET of the item when name and namespace are given and no
    selector is, else a LIST (all namespaces when ``namespace`` is None) with the name as a field selector.
    None match when the cluster does not serve ``kind``."""
    if name and namespace and not label_selectors and not field_selectors:
        found = client.get(kind.path(namespace, name))
        return [found] if found else []
    fields = list(field_selectors) + (["metadata.name=%s" % name] if name else [])
    items = list_served(client, kind.path(namespace), ",".join(label_selectors) or None, ",".join(fields) or None) or []
    return [dict(item, apiVersion=item.get("apiVersion", kind.api_version), kind=item.get("kind", kind.kind))
            for item in items]


def info_argument_spec(resource: ResourceType) -> dict:
    """Every option of the info module of ``resource`` (but the connection's)."""
    return dict(INFO_ARG_SPEC, api_version=api_version_option(resource.api_versions))


def run_info_module(resource: ResourceType) -> None:
    """Run the info module of ``resource``; returns ``resources`` and never changes anything."""
    option_rules = dict(name=resource.at().name_rule, namespace=namespace_name)
    module = KubeModule(argument_spec=info_argument_spec(resource), option_rules=option_rules,
                        supports_check_mode=True)
    params = module.params
    kind = resource.at(params["api_version"])
    scope = "namespace %s" % params["namespace"] if params["namespace"] else "all namespaces"
    with module.failures("list %s objects in %s" % (kind.kind, scope)):
        resources = read_resources(module.client, kind, params["name"], params["namespace"],
                                   params["label_selectors"], params["field_selectors"])
    module.exit_json(changed=False, resources=resources)
