#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: gateway_api_convert
short_description: Convert Istio Gateways and VirtualServices to Kubernetes Gateway API manifests
version_added: 0.1.0
description:
  - Reads Istio C(Gateway) and C(VirtualService) resources from the cluster, or takes them from O(definitions),
    and returns the equivalent Kubernetes Gateway API manifests (C(gateway.networking.k8s.io/v1), the v1.5.1
    standard channel) - a C(Gateway) per Istio Gateway and C(HTTPRoute)s from the VirtualServices' http routes -
    plus, per source object, everything that has no equivalent.
  - Nothing is silently dropped. A field without equivalent is listed in RV(not_converted). A match condition
    without equivalent drops that match rather than loosening it; a rule left without matches or destinations is
    not converted. Each such case is listed too.
  - Gateway listeners come from servers, one per host (a listener has one hostname; V(*) means none). The
    C(namespace/) part of a host becomes the listener's C(allowedRoutes). C(SIMPLE) and C(MUTUAL) TLS become
    C(Terminate) with the C(credentialName) Secret as certificate reference. C(PASSTHROUGH) becomes a C(TLS)
    listener in C(Passthrough) mode.
  - HTTPRoute rules keep the order of the http routes and carry their matches (uri exact and prefix as path
    C(Exact) and C(PathPrefix); headers, query parameters, method), weighted destinations, redirects, rewrites,
    header changes, mirrors, CORS policies and timeouts. Regex matches become C(RegularExpression) matches,
    which Istio evaluates with RE2 as it does VirtualService regexes. Cross-namespace destinations get a
    C(ReferenceGrant).
  - Never changes anything. Apply the result with a task of its own (see the examples and
    U(https://github.com/meshsmith/meshsmith.istio/blob/main/docs/gateway-api-migration.md)).
author:
  - meshsmith.istio contributors (@meshsmith)
options:
  definitions:
    description:
      - The Istio resources to convert, as a list of manifests or a string of YAML documents (such as the
        output of C(lookup('file', ...))). Documents of other kinds are skipped with a warning; Istio
        documents must be valid as istiod would judge them, or the task fails naming each bad field before
        any conversion. A document without C(metadata.namespace) is in V(default).
      - When set, no request is sent. Without it, the resources are read from the cluster.
      - Mutually exclusive with O(namespace), O(names) and O(label_selectors).
    type: raw
  namespace:
    description:
      - Namespace to read Gateways and VirtualServices from. All namespaces when omitted.
    type: str
  names:
    description:
      - Convert only the Gateways and VirtualServices with these names.
    type: list
    elements: str
  label_selectors:
    description:
      - Label selectors the resources read from the cluster must all match, such as V(app=proxy).
    type: list
    elements: str
  api_version:
    description:
      - API version to read the Istio resources with.
    type: str
    choices: [networking.istio.io/v1, networking.istio.io/v1beta1, networking.istio.io/v1alpha3]
    default: networking.istio.io/v1
  gateway_class_name:
    description:
      - The C(gatewayClassName) of the Gateways written. V(istio) is the class Istio's Gateway API
        implementation serves.
    type: str
    default: istio
notes:
  - Reads with one LIST of Gateways and one of VirtualServices (none with O(definitions)).
  - Gateway API route precedence is not the VirtualService's first-match order - exact paths before longer
    prefixes before shorter ones, then methods, headers and query parameters - and a C(PathPrefix) matches
    whole path segments (C(/static) does not match C(/staticfiles)). Check routes whose order mattered.
extends_documentation_fragment:
  - meshsmith.istio.k8s_auth
  - meshsmith.istio.attributes.info_module
seealso:
  - module: meshsmith.istio.gateway_info
  - module: meshsmith.istio.virtual_service_info
  - name: Kubernetes Gateway API
    description: The API the manifests are written for (v1.5.1, standard channel).
    link: https://gateway-api.sigs.k8s.io/
"""

EXAMPLES = r"""
- name: Convert every Istio Gateway and VirtualService of namespace default
  meshsmith.istio.gateway_api_convert:
    namespace: default
  register: converted

- name: List what has no Gateway API equivalent
  ansible.builtin.debug:
    msg: "{{ item.kind }} {{ item.namespace }}/{{ item.name }} {{ item.path }}: {{ item.reason }}"
  loop: "{{ converted.not_converted }}"

- name: Apply the Gateway API manifests
  kubernetes.core.k8s:
    definition: "{{ converted.manifests }}"

- name: Convert manifests from a file, without a cluster
  meshsmith.istio.gateway_api_convert:
    definitions: "{{ lookup('ansible.builtin.file', 'bookinfo-gateway.yaml') }}"
  register: bookinfo
"""

RETURN = r"""
manifests:
  description:
    - The Gateway API manifests - Gateways, then HTTPRoutes, then ReferenceGrants - ready to apply.
    - An HTTPRoute is named after its VirtualService; one with more rules than an HTTPRoute may hold (16) is
      split into C(<name>), C(<name>-2)...
  returned: always
  type: list
  elements: dict
  sample:
    - apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: default-gateway, namespace: istio-system}
      spec:
        gatewayClassName: istio
        listeners:
          - {name: http-80, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
    - apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: proxy, namespace: default}
      spec:
        parentRefs: [{name: default-gateway, namespace: istio-system}]
        rules:
          - backendRefs: [{name: proxy, port: 80}]
not_converted:
  description: What has no Gateway API equivalent, one entry per field of a source object.
  returned: always
  type: list
  elements: dict
  contains:
    kind:
      description: Kind of the source object, V(Gateway) or V(VirtualService).
      type: str
    namespace:
      description: Namespace of the source object.
      type: str
    name:
      description: Name of the source object.
      type: str
    path:
      description: The field of the source object, such as V(spec.http[0].fault).
      type: str
    reason:
      description: Why it is not converted, and what happens to the traffic it concerned.
      type: str
  sample:
    - kind: Gateway
      namespace: istio-system
      name: default-gateway
      path: spec.selector
      reason: "a Gateway API Gateway selects no existing workload: ..."
"""

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.args import api_version_option
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.module import KubeModule
from ansible_collections.meshsmith.istio.plugins.module_utils.gateway_api.convert import convert
from ansible_collections.meshsmith.istio.plugins.module_utils.gateway_api.sources import parse_definitions, read_sources
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import GATEWAY
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import (
    each,
    namespace_name,
    object_name,
)

ARGUMENT_SPEC = {
    "definitions": {"type": "raw"},
    "namespace": {"type": "str"},
    "names": {"type": "list", "elements": "str"},
    "label_selectors": {"type": "list", "elements": "str"},
    "api_version": api_version_option(GATEWAY.api_versions),
    "gateway_class_name": {"type": "str", "default": "istio"},
}
OPTION_RULES = {
    "namespace": namespace_name,
    "names": each(object_name("Gateway or VirtualService")),
    "gateway_class_name": object_name("GatewayClass"),
}


def main() -> None:
    module = KubeModule(argument_spec=ARGUMENT_SPEC, option_rules=OPTION_RULES, supports_check_mode=True,
                        mutually_exclusive=[("definitions", "namespace"), ("definitions", "names"),
                                            ("definitions", "label_selectors")])
    params = module.params
    warnings: list = []
    if params["definitions"] is not None:
        with module.failures("check the definitions"):
            sources, warnings = parse_definitions(params["definitions"])
    else:
        scope = "namespace %s" % params["namespace"] if params["namespace"] else "all namespaces"
        with module.failures("list Istio Gateways and VirtualServices in %s" % scope):
            sources = read_sources(module.client, params["api_version"], params["namespace"],
                                   params["label_selectors"] or [], params["names"])
    result = convert(sources, params["gateway_class_name"])
    for warning in warnings + result.warnings:
        module.warn(warning)
    module.exit_json(changed=False, manifests=result.manifests, not_converted=result.not_converted)


if __name__ == "__main__":
    main()
