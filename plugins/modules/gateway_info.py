#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: gateway_info
short_description: Read Istio Gateways
version_added: 0.1.0
description:
  - Returns Istio C(Gateway) resources (C(networking.istio.io)) by name, namespace and selectors.
author:
  - meshsmith.istio contributors (@meshsmith)
extends_documentation_fragment:
  - meshsmith.istio.info
  - meshsmith.istio.k8s_auth
  - meshsmith.istio.attributes.info_module
seealso:
  - module: meshsmith.istio.gateway
  - module: meshsmith.istio.virtual_service_info
"""

EXAMPLES = r"""
- name: Read the seed Gateway
  meshsmith.istio.gateway_info:
    name: default-gateway
    namespace: istio-system
  register: seed

- name: Show its hosts
  ansible.builtin.debug:
    msg: "{{ seed.resources[0].spec.servers | map(attribute='hosts') | flatten }}"
  when: seed.resources | length > 0

- name: Read every Gateway of the cluster labelled for the shop
  meshsmith.istio.gateway_info:
    label_selectors:
      - app.kubernetes.io/part-of=shop
  register: shop_gateways
"""

RETURN = r"""
resources:
  description: The matching Gateways as stored in the cluster (empty when none matches).
  returned: always
  type: list
  elements: dict
  sample:
    - apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata:
        name: default-gateway
        namespace: istio-system
      spec:
        selector:
          istio: ingressgateway
        servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["*"]
"""

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.info import run_info_module
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import GATEWAY


def main() -> None:
    run_info_module(GATEWAY)


if __name__ == "__main__":
    main()
