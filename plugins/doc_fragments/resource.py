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
      - Name of the resource, a lowercase RFC 1123 subdomain (at most 253 lower case alphanumeric characters,
        C(-) or C(.)), checked in every O(state) before any request.
      - Required, unless O(definition) gives C(metadata.name).
    type: str
  definition:
    description:
      - The resource as a manifest, a dict or a YAML string of one document, as C(kubectl get -o yaml) prints it
        or the Istio documentation shows it - instead of spelling the options.
      - C(apiVersion) must be one the module serves (see O(api_version)) and C(kind) the module's kind.
        C(metadata.name), C(metadata.namespace), C(metadata.labels) and C(metadata.annotations) set O(name),
        O(namespace), O(labels) and O(annotations); fields the server writes (C(resourceVersion), C(uid),
        C(creationTimestamp), C(generation), C(managedFields)) and C(status) are ignored.
      - The fields of C(spec), with their camelCase API names, set the module's options of the same field; a field
        the module does not know fails the task naming it (C(definition.spec.servers[0].foo)).
      - Cannot be combined with the options of the spec, nor with O(labels) or O(annotations) when the manifest sets
        them; O(name), O(namespace) and O(api_version) may be given too when they agree with the manifest.
      - Everything else is as if the options had been given - the same validation (errors name the manifest's
        field, such as C(definition.spec.servers[0].port.protocol)), requests, check mode and diff.
    type: raw
  namespace:
    description:
      - Namespace of the resource, a lowercase RFC 1123 label (at most 63 lower case alphanumeric characters or C(-)).
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
      - Checked as the API server checks them, before any request - keys are qualified names (V(name) or
        V(prefix/name), the name at most 63 alphanumeric characters, C(-), C(_) or C(.), the prefix a DNS
        subdomain), values are strings of at most 63 such characters (or empty).
      - Values must be strings. Integers and booleans are taken as their YAML text (V(1), V(true)); null, floats,
        lists and dicts are refused, since their text would not be what was written (V(1.10) would become V(1.1)).
        Quote a value to be sure.
    type: dict
  annotations:
    description:
      - Annotations to set on the resource. Annotations set by others are kept unless O(purge_annotations) is V(true).
      - Keys are qualified names as for O(labels); values are strings of any content (integers and booleans
        converted, the other non-strings refused, as for O(labels)); all keys and values together at most 256 KiB.
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
