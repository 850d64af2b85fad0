#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: destination_rule_info
short_description: Read Istio DestinationRules
version_added: 0.1.0
description:
  - Returns Istio C(DestinationRule) resources (C(networking.istio.io)) by name, namespace and selectors.
author:
  - meshsmith.istio contributors (@meshsmith)
extends_documentation_fragment:
  - meshsmith.istio.info
  - meshsmith.istio.k8s_auth
  - meshsmith.istio.attributes.info_module
seealso:
  - module: meshsmith.istio.destination_rule
  - module: meshsmith.istio.virtual_service_info
"""

EXAMPLES = r"""
- name: Read the DestinationRule of the reviews Service
  meshsmith.istio.destination_rule_info:
    name: reviews
    namespace: bookinfo
  register: reviews_rule

- name: Read the DestinationRules of namespace bookinfo labelled app=reviews
  meshsmith.istio.destination_rule_info:
    namespace: bookinfo
    label_selectors:
      - app=reviews
  register: rules

- name: List the subsets defined in namespace bookinfo
  ansible.builtin.debug:
    msg: "{{ rules.resources | map(attribute='spec.subsets') | flatten | map(attribute='name') | unique }}"
"""

RETURN = r"""
resources:
  description: The matching DestinationRules as stored in the cluster (empty when none matches).
  returned: always
  type: list
  elements: dict
  sample:
    - apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata:
        name: reviews
        namespace: bookinfo
      spec:
        host: reviews
        subsets:
          - name: v1
            labels: {version: v1}
"""

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.info import run_info_module
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import DESTINATION_RULE


def main() -> None:
    run_info_module(DESTINATION_RULE)


if __name__ == "__main__":
    main()
