# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options and behaviour shared by the modules that manage one Istio resource (gateway, virtual_service)."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  name:
    description:
      - Name of the resource.
    type: str
    required: true
  namespace:
    description:
      - Namespace of the resource.
    type: str
    default: default
  state:
    description:
      - V(present) creates the resource or updates it to match the task; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  api_version:
    description:
      - API version to read and write the resource with. Istio 1.22 and later serve V(networking.istio.io/v1);
        use V(networking.istio.io/v1beta1) or V(networking.istio.io/v1alpha3) for older Istio.
    type: str
    choices: [networking.istio.io/v1, networking.istio.io/v1beta1, networking.istio.io/v1alpha3]
    default: networking.istio.io/v1
  labels:
    description:
      - Labels to set on the resource. Labels set by others are kept unless O(purge_labels) is V(true).
    type: dict
  annotations:
    description:
      - Annotations to set on the resource. Annotations set by others are kept unless O(purge_annotations) is V(true).
    type: dict
  purge_labels:
    description:
      - Remove the labels not listed in O(labels). Has no effect when O(labels) is not set.
    type: bool
    default: false
  purge_annotations:
    description:
      - Remove the annotations not listed in O(annotations). Has no effect when O(annotations) is not set.
    type: bool
    default: false
notes:
  - The task owns the resource's C(spec) - a field left out of the task is removed from the resource - while
    labels and annotations are merged.
  - The options are checked with istiod's validation rules before any request is sent; an error names the
    option, for example C(servers[1].port.protocol).
  - One GET reads the resource; a write (POST, PUT with the read C(resourceVersion), or DELETE with it as a
    precondition) is sent only when something differs. When someone else changes the resource in between, the
    API answers 409 and the module reads it again and retries.
  - Check mode sends only the GET.
"""
