#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: http_route_info
short_description: Read Kubernetes Gateway API HTTPRoutes
version_added: 0.4.0
description:
  - Returns Gateway API C(HTTPRoute) resources (C(gateway.networking.k8s.io)) by name, namespace and selectors, in
    one request; none when the cluster does not serve the Gateway API.
author:
  - meshsmith.istio contributors (@meshsmith)
extends_documentation_fragment:
  - meshsmith.istio.info
  - meshsmith.istio.k8s_auth
  - meshsmith.istio.attributes.info_module
seealso:
  - module: meshsmith.istio.http_route
  - module: meshsmith.istio.k8s_gateway_info
  - module: meshsmith.istio.virtual_service_info
options:
  api_version:
    description:
      - API version to read the resources with.
    type: str
    choices: [gateway.networking.k8s.io/v1]
    default: gateway.networking.k8s.io/v1
"""

EXAMPLES = r"""
- name: Read every HTTPRoute of the shop namespace
  meshsmith.istio.http_route_info:
    namespace: shop
  register: shop_routes

- name: Read the HTTPRoutes of every namespace labelled for the shop
  meshsmith.istio.http_route_info:
    label_selectors:
      - app.kubernetes.io/part-of=shop
  register: labelled_routes
"""

RETURN = r"""
resources:
  description: The matching objects as stored in the cluster, status included (empty when none matches).
  returned: always
  type: list
  elements: dict
  sample:
    - apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: shop
        namespace: shop
      spec:
        parentRefs:
          - {group: gateway.networking.k8s.io, kind: Gateway, name: web, namespace: istio-ingress}
        rules:
          - matches: [{path: {type: PathPrefix, value: /}}]
            backendRefs:
              - {group: "", kind: Service, name: shop, port: 8080, weight: 1}
"""

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.info import run_info_module
from ansible_collections.meshsmith.istio.plugins.module_utils.gateway_api.descriptors import HTTP_ROUTE


def main() -> None:
    run_info_module(HTTP_ROUTE)


if __name__ == "__main__":
    main()
