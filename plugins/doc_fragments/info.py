# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options shared by the modules that read Istio resources (gateway_info, virtual_service_info)."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  name:
    description:
      - Name of the resource to read. Without O(namespace), it is looked for in all namespaces.
      - A lowercase RFC 1123 subdomain, as O(namespace) is a lowercase RFC 1123 label; anything else fails
        before any request.
    type: str
  namespace:
    description:
      - Namespace to read from. Omit it to read from all namespaces.
    type: str
  api_version:
    description:
      - API version to read the resources with (see the resource module's option of the same name).
    type: str
    choices: [networking.istio.io/v1, networking.istio.io/v1beta1, networking.istio.io/v1alpha3]
    default: networking.istio.io/v1
  label_selectors:
    description:
      - Label selectors the resources must all match, such as V(app=proxy) or V(tier in (web, api)).
    type: list
    elements: str
    default: []
  field_selectors:
    description:
      - Field selectors the resources must all match, such as V(metadata.name=default-gateway).
    type: list
    elements: str
    default: []
notes:
  - Sends exactly one request - a GET of the resource when O(name) and O(namespace) are given without
    selectors, else a LIST - and never changes anything.
"""
