#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: service_type
short_description: Switch a Kubernetes Service between ClusterIP, NodePort and LoadBalancer in one write
version_added: 0.1.0
author: meshsmith.istio contributors (@meshsmith)
description:
  - Changes the C(spec.type) of an existing Service, for example to take the public load balancer off an
    application once an Istio ingress gateway routes to it.
  - The stored object also loses every field the new type forbids, so the API server accepts the change on
    every Kubernetes version, including servers before 1.20 that do not drop them. These are node ports (for
    C(ClusterIP)), C(externalTrafficPolicy) (for C(ClusterIP)), C(healthCheckNodePort),
    C(loadBalancerSourceRanges) and its legacy annotation C(service.beta.kubernetes.io/load-balancer-source-ranges),
    C(loadBalancerIP), C(loadBalancerClass) and C(allocateLoadBalancerNodePorts) (outside C(LoadBalancer)).
  - What the switch removes is kept in the annotation C(meshsmith.istio/restore-load-balancer) (JSON) in the same
    write, and restored when the Service goes back to a type that allows it, for example C(ClusterIP) and back to
    C(LoadBalancer) gives the Service its C(loadBalancerSourceRanges) (and the legacy annotation),
    C(externalTrafficPolicy), C(loadBalancerClass), C(loadBalancerIP) and C(allocateLoadBalancerNodePorts) again,
    and removes the annotation. A value the Service already has is never overwritten. Server defaults
    (C(externalTrafficPolicy=Cluster), C(allocateLoadBalancerNodePorts=true)) are not kept, they come back anyway.
  - Node ports and C(healthCheckNodePort) are not restored; the API server allocates new ones, because the old
    numbers may belong to another Service by then.
  - Everything else is kept as it is, including cluster IPs, ports, selector, labels and annotations.
  - One GET; when the type differs, one PUT carrying the read C(resourceVersion), so a concurrent change is
    never overwritten (the module re-reads and retries on a conflict). Nothing is written when the type is
    already right.
  - In check mode the PUT is sent with C(dryRun=All), so the API server validates the switch without storing it.
  - The Service must exist; this module does not create Services.
options:
  name:
    description:
      - Name of the Service, a DNS-1035 label (at most 63 lower case alphanumeric characters or C(-), starting
        with a letter); checked before any request.
    type: str
    required: true
  namespace:
    description: Namespace of the Service, a lowercase RFC 1123 label (at most 63 characters).
    type: str
    default: default
  type:
    description: The type the Service must have.
    type: str
    required: true
    choices: [ClusterIP, NodePort, LoadBalancer]
  wait:
    description:
      - With O(type=LoadBalancer), wait until the load balancer has given the Service an external address
        (not in check mode).
    type: bool
    default: false
  wait_timeout:
    description: How many seconds O(wait) waits for the address before failing.
    type: int
    default: 120
extends_documentation_fragment:
  - meshsmith.istio.k8s_auth
  - meshsmith.istio.attributes
attributes:
  diff_mode:
    description:
      - Shows the Service's name, namespace, type, type-dependent fields, ports and the annotations a switch
        removes or writes (C(meshsmith.istio/restore-load-balancer)) before and after (labels, other annotations
        and the selector never change).
    support: full
notes:
  - Take the public address away only once the Istio gateway routes to the Service; the
    M(meshsmith.istio.ingress_info) module tells where the gateway answers.
seealso:
  - module: meshsmith.istio.ingress_info
  - name: Kubernetes Service types
    description: What ClusterIP, NodePort and LoadBalancer mean.
    link: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types
"""

EXAMPLES = r"""
- name: Move the proxy Service off its public load balancer
  meshsmith.istio.service_type:
    name: proxy
    namespace: default
    type: ClusterIP

- name: Give it back its load balancer and wait for the address
  meshsmith.istio.service_type:
    name: proxy
    namespace: default
    type: LoadBalancer
    wait: true
    wait_timeout: 300
  register: proxy_service

- name: Show the address
  ansible.builtin.debug:
    msg: "proxy answers on {{ proxy_service.addresses | first }}"
"""

RETURN = r"""
result:
  description: The Service as stored (in check mode, the API server's answer to the dry run).
  returned: success
  type: dict
  sample:
    apiVersion: v1
    kind: Service
    metadata: {name: proxy, namespace: default, resourceVersion: "4711"}
    spec:
      type: ClusterIP
      clusterIP: 10.96.0.12
      ports: [{name: http, port: 80, protocol: TCP, targetPort: 8080}]
      selector: {app: proxy}
method:
  description: What was done, C(updated) or C(unchanged).
  returned: success
  type: str
  sample: updated
addresses:
  description:
    - External addresses (load balancer hostnames or IPs, then C(spec.externalIPs)) of the Service.
    - Empty while a load balancer has not assigned one yet (use O(wait)), and for other types without external IPs.
  returned: success
  type: list
  elements: str
  sample: [proxy.default.lb.example.com]
diff:
  description: Before and after views (type, type-dependent fields, ports) with C(--diff).
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.meshsmith.istio.plugins.module_utils.services.ingress import (
    IngressError,
    load_balancer_addresses,
    wait_for_service_address,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kinds import SERVICE
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.module import KubeModule
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import namespace_name
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.reconcile import reconcile
from ansible_collections.meshsmith.istio.plugins.module_utils.services.switch import (
    SERVICE_TYPES,
    ServiceSwitchError,
    service_diff_view,
    switch_service_type,
)

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    namespace=dict(type="str", default="default"),
    type=dict(type="str", required=True, choices=list(SERVICE_TYPES)),
    wait=dict(type="bool", default=False),
    wait_timeout=dict(type="int", default=120),
)


def main():
    module = KubeModule(argument_spec=ARGUMENT_SPEC, option_rules=dict(name=SERVICE.name_rule, namespace=namespace_name),
                        supports_check_mode=True)
    name, namespace, target_type = module.params["name"], module.params["namespace"], module.params["type"]
    full_name = "%s/%s" % (namespace, name)

    def build(live):
        if live is None:
            raise ServiceSwitchError("Service %s not found" % full_name)
        return switch_service_type(live, target_type)

    with module.failures("update Service %s" % full_name, ServiceSwitchError):
        outcome = reconcile(
            module.client, SERVICE, name, namespace, "present", build, module.check_mode, view=service_diff_view
        )

    service = outcome.result
    addresses = load_balancer_addresses(service)
    if module.params["wait"] and target_type == "LoadBalancer" and not module.check_mode and not addresses:
        with module.failures("read Service %s" % full_name, IngressError, changed=outcome.changed):
            service, addresses = wait_for_service_address(module.client, service, module.params["wait_timeout"])
    results = dict(changed=outcome.changed, method=outcome.method, result=service, addresses=addresses)
    if module._diff:
        results["diff"] = outcome.diff
    module.exit_json(**results)


if __name__ == "__main__":
    main()
