#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: virtual_service_info
short_description: Read Istio VirtualServices
version_added: 0.1.0
description:
  - Returns Istio C(VirtualService) resources (C(networking.istio.io)) by name, namespace and selectors.
author:
  - meshsmith.istio contributors (@meshsmith)
extends_documentation_fragment:
  - meshsmith.istio.info
  - meshsmith.istio.k8s_auth
  - meshsmith.istio.attributes.info_module
seealso:
  - module: meshsmith.istio.virtual_service
  - module: meshsmith.istio.gateway_info
"""

EXAMPLES = r"""
- name: Read the seed VirtualService
  meshsmith.istio.virtual_service_info:
    name: proxy
    namespace: default
  register: seed

- name: Read every VirtualService of namespace default
  meshsmith.istio.virtual_service_info:
    namespace: default
  register: routes

- name: List the hosts routed in namespace default
  ansible.builtin.debug:
    msg: "{{ routes.resources | map(attribute='spec.hosts') | flatten | unique }}"
"""

RETURN = r"""
resources:
  description: The matching VirtualServices as stored in the cluster (empty when none matches).
  returned: always
  type: list
  elements: dict
  sample:
    - apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata:
        name: proxy
        namespace: default
      spec:
        hosts: ["*"]
        gateways: [istio-system/default-gateway]
        http:
          - route:
              - destination: {host: proxy, port: {number: 80}}
"""

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.info import run_info_module
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import VIRTUAL_SERVICE


def main() -> None:
    run_info_module(VIRTUAL_SERVICE)


if __name__ == "__main__":
    main()
