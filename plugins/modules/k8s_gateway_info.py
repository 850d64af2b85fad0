#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: k8s_gateway_info
short_description: Read Kubernetes Gateway API Gateways
version_added: 0.4.0
description:
  - Returns Gateway API C(Gateway) resources (C(gateway.networking.k8s.io)) by name, namespace and selectors, in one
    request; none when the cluster does not serve the Gateway API.
  - For Istio Gateways use M(meshsmith.istio.gateway_info).
author:
  - meshsmith.istio contributors (@meshsmith)
extends_documentation_fragment:
  - meshsmith.istio.info
  - meshsmith.istio.k8s_auth
  - meshsmith.istio.attributes.info_module
seealso:
  - module: meshsmith.istio.k8s_gateway
  - module: meshsmith.istio.http_route_info
  - module: meshsmith.istio.gateway_info
options:
  api_version:
    description:
      - API version to read the resources with.
    type: str
    choices: [gateway.networking.k8s.io/v1]
    default: gateway.networking.k8s.io/v1
"""

EXAMPLES = r"""
- name: Read the Gateway the routes attach to
  meshsmith.istio.k8s_gateway_info:
    name: web
    namespace: istio-ingress
  register: web_gateway

- name: Show whether istiod programmed it
  ansible.builtin.debug:
    msg: "{{ web_gateway.resources[0].status.conditions | selectattr('type', 'eq', 'Programmed') | map(attribute='status') }}"
  when: web_gateway.resources | length > 0
"""

RETURN = r"""
resources:
  description: The matching objects as stored in the cluster, status included (empty when none matches).
  returned: always
  type: list
  elements: dict
  sample:
    - apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: web
        namespace: istio-ingress
      spec:
        gatewayClassName: istio
        listeners:
          - name: http
            port: 80
            protocol: HTTP
            allowedRoutes: {namespaces: {from: Same}}
"""

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.info import run_info_module
from ansible_collections.meshsmith.istio.plugins.module_utils.gateway_api.descriptors import K8S_GATEWAY


def main() -> None:
    run_info_module(K8S_GATEWAY)


if __name__ == "__main__":
    main()
