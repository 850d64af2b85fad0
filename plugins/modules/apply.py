#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: apply
short_description: Converge a set of Istio networking objects given as manifests, with prune
version_added: 0.2.0
description:
  - Creates, updates or deletes the Istio networking objects (C(networking.istio.io)) declared by manifests, the way
    C(kubernetes.core.k8s) takes them (O(definition), O(src), O(template)), in one task.
  - Every kind the cluster serves in C(networking.istio.io) is accepted (Gateway, VirtualService, DestinationRule,
    ServiceEntry, Sidecar, WorkloadEntry...), at the document's C(apiVersion).
  - Reads with one LIST per kind (of the documents' namespace when they all share one, else cluster-wide), then
    sends only the writes of objects that differ, O(concurrency) at a time. A run that changes nothing sends no write.
  - Each document owns its object's C(spec); its labels and annotations are merged over the live ones, and every
    other field (status, other metadata) stays as the cluster has it, as with M(meshsmith.istio.gateway).
author:
  - meshsmith.istio contributors (@meshsmith)
extends_documentation_fragment:
  - meshsmith.istio.k8s_auth
  - meshsmith.istio.attributes
options:
  definition:
    description:
      - The objects, as a dictionary, a list of dictionaries, or YAML text holding any number of documents
        (C(---) separated). A document of kind C(List) contributes its C(items).
      - Exactly one of O(definition), O(src) and O(template) is required.
    type: raw
  src:
    description:
      - A YAML file, or a directory whose C(*.yaml) and C(*.yml) files are read in name order, on the controller
        (looked up in the play's C(files) search path).
    type: path
  template:
    description:
      - A Jinja template of YAML documents on the controller (looked up in the play's C(templates) search path),
        rendered with the task's variables.
    type: path
  namespace:
    description:
      - Namespace of the documents that do not name one, a lowercase RFC 1123 label.
    type: str
    default: default
  api_version:
    description:
      - C(apiVersion) of the documents that do not give one; with O(prune), the version at which the kinds to prune
        are discovered.
    type: str
    choices: [networking.istio.io/v1, networking.istio.io/v1beta1, networking.istio.io/v1alpha3]
    default: networking.istio.io/v1
  state:
    description:
      - V(present) creates or updates every declared object; V(absent) deletes them.
    type: str
    choices: [present, absent]
    default: present
  apply_set:
    description:
      - Name of the set, a label value. Every object written gets the label C(meshsmith.istio/apply-set) with this
        value; it is what O(prune) looks for.
    type: str
  prune:
    description:
      - Delete the objects of every served C(networking.istio.io) kind that carry this set's label
        (O(apply_set), required) and that no document declares any more. Objects without the label are never touched.
      - Prune lists each kind cluster-wide, and runs only when every declared object was written successfully.
    type: bool
    default: false
  concurrency:
    description:
      - How many writes are sent at once (1 to 64); the client keeps as many connections open.
    type: int
    default: 8
notes:
  - Every document is checked before any request - apiVersion, kind, name, namespace, labels and annotations as the
    API server checks them, and Gateways and VirtualServices with istiod's rules, as M(meshsmith.istio.gateway) and
    M(meshsmith.istio.virtual_service) check them. One bad document fails the task before any write; the message
    names each error's document (its 1-based position, kind and namespace/name) and field path, for example
    C(document 3 (Gateway istio-system/public) spec.servers[0].port.protocol).
  - Before the LISTs, one discovery GET per C(apiVersion) involved finds the kinds the cluster serves; a document of a
    kind it does not serve fails the task before any write.
  - Writes are sent with the listed C(resourceVersion) (PUT) or as creates (POST), deletes with it as a precondition.
    When someone else changes an object in between, the API answers 409 and that object alone is read again and
    retried (at most 5 times).
  - When some objects fail, the others are still written; the task fails listing the failed ones and what was written.
  - Documents of one kind at several C(apiVersion)s are listed at the first one met.
  - The manifests (O(definition), O(src), O(template)) are read, parsed and checked on the controller by the
    module's action plugin, before anything is sent; the module on the target host only reads and writes the objects.
attributes:
  check_mode:
    description:
      - Reports what would change; each needed write is sent with C(dryRun=All), so the API server judges it, and
        nothing is stored. Prunes are reported as deletes.
    support: full
  diff_mode:
    description: Shows each changed object's name, namespace, labels, annotations and spec before and after.
    support: full
seealso:
  - module: meshsmith.istio.gateway
  - module: meshsmith.istio.virtual_service
  - module: kubernetes.core.k8s
"""

EXAMPLES = r"""
- name: Apply a Gateway and a VirtualService written as YAML
  meshsmith.istio.apply:
    apply_set: shop
    definition: |
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata:
        name: shop-gateway
        namespace: default
      spec:
        selector:
          istio: ingressgateway
        servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: [shop.example.com]
      ---
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata:
        name: shop
      spec:
        hosts: [shop.example.com]
        gateways: [default/shop-gateway]
        http:
          - route:
              - destination: {host: shop, port: {number: 80}}

- name: Apply every manifest of a directory and delete what was removed from it
  meshsmith.istio.apply:
    src: manifests/
    apply_set: mesh-config
    prune: true

- name: Render a template per environment
  meshsmith.istio.apply:
    template: routes.yaml.j2
    namespace: default
  vars:
    environment_name: staging

- name: Remove the shop's objects
  meshsmith.istio.apply:
    state: absent
    definition:
      - apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: shop, namespace: default}
      - apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: shop-gateway, namespace: default}
"""

RETURN = r"""
objects:
  description: One entry per object, in the order of the documents, prunes last.
  returned: always
  type: list
  elements: dict
  contains:
    kind: {description: The object's kind., type: str, returned: always, sample: VirtualService}
    api_version: {description: The version it was read and written at., type: str, returned: always,
                  sample: networking.istio.io/v1}
    namespace: {description: Its namespace., type: str, returned: always, sample: default}
    name: {description: Its name., type: str, returned: always, sample: shop}
    action:
      description: V(created), V(updated), V(unchanged), V(deleted), or V(failed).
      type: str
      returned: always
      sample: created
    msg: {description: Why its write failed., type: str, returned: when action is failed}
    diff:
      description: Its name, namespace, labels, annotations and spec before and after.
      type: dict
      returned: in diff mode, when the write did not fail
counts:
  description: How many objects got each action.
  returned: always
  type: dict
  sample: {created: 2, updated: 0, unchanged: 498, deleted: 1, failed: 0}
"""

from ansible_collections.meshsmith.istio.plugins.module_utils.istio.api import ISTIO_API_VERSIONS

ARGUMENT_SPEC = {
    "definition": {"type": "raw"},
    "src": {"type": "path"},
    "template": {"type": "path"},
    "namespace": {"type": "str", "default": "default"},
    "api_version": {"type": "str", "default": ISTIO_API_VERSIONS[0], "choices": list(ISTIO_API_VERSIONS)},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
    "apply_set": {"type": "str"},
    "prune": {"type": "bool", "default": False},
    "concurrency": {"type": "int", "default": 8},
}


def main() -> None:
    # Imported here: the action plugin reads ARGUMENT_SPEC on the controller, without the module's runtime.
    from ansible_collections.meshsmith.istio.plugins.module_utils.bulk.run import run_apply_module

    run_apply_module(ARGUMENT_SPEC)


if __name__ == "__main__":
    main()
