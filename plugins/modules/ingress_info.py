#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ingress_info
short_description: Tell where an Istio ingress gateway answers
version_added: 0.1.0
author: meshsmith.istio contributors (@meshsmith)
description:
  - Finds the Service of the Istio gateway workload that a Gateway (O(gateway_name)) or a label selector
    (O(selector)) picks, and returns its external addresses, its ports, the URLs each Gateway server answers
    on, and the Gateway servers whose port the Service does not expose (what C(istioctl analyze) reports as
    IST0162 GatewayPortNotDefinedOnService).
  - A Service belongs to the gateway workload when its labels, or its own pod selector, include every
    key/value of the selector. Services are searched in all namespaces, or in O(service_namespace). When
    several match, a C(LoadBalancer) Service is preferred over C(NodePort), then C(ClusterIP); among equals
    the one in C(istio-system), then by namespace and name.
  - A server port counts as exposed when a TCP Service port has it as C(port) or as numeric C(targetPort),
    as in C(istioctl analyze).
  - With O(k8s_gateway), the Gateway is a Kubernetes Gateway API one (C(gateway.networking.k8s.io/v1)), deployed
    by Istio's Gateway API controller as a Service labelled C(gateway.networking.k8s.io/gateway-name) (named
    C(<gateway>-istio) for the C(istio) class) in the Gateway's namespace; its addresses are the Gateway's
    C(status.addresses) once the Gateway is C(Programmed), else the Service's load balancer address; its listeners
    give the URLs and RV(unexposed_servers).
  - Read-only; at most one GET of the Gateway and one LIST of Services (plus one GET per poll with O(wait)).
options:
  gateway_name:
    description:
      - Name of the Istio Gateway whose selector picks the gateway workload, and whose servers give the URLs.
      - Mutually exclusive with O(selector) and O(k8s_gateway).
      - A lowercase RFC 1123 subdomain, as O(gateway_namespace) and O(service_namespace) are lowercase RFC 1123
        labels; anything else fails before any request.
    type: str
  k8s_gateway:
    description:
      - Name of a Kubernetes Gateway API Gateway (C(gateway.networking.k8s.io/v1)) in O(gateway_namespace), instead
        of an Istio one; its Service is looked for in O(gateway_namespace) (O(service_namespace) does not apply).
      - Mutually exclusive with O(gateway_name) and O(selector). A lowercase RFC 1123 subdomain.
    type: str
  gateway_namespace:
    description: Namespace of O(gateway_name) or O(k8s_gateway).
    type: str
    default: istio-system
  api_version:
    description: API version the Gateway is read with (Istio before 1.22 serves no C(v1)).
    type: str
    default: networking.istio.io/v1
    choices: [networking.istio.io/v1, networking.istio.io/v1beta1, networking.istio.io/v1alpha3]
  selector:
    description:
      - Labels of the gateway workload, when no O(gateway_name) is given. Defaults to C(istio=ingressgateway).
      - Without a Gateway, URLs come from the Service's HTTP(S) ports, recognised by Istio's port naming
        (C(appProtocol), else a name such as C(http), C(http2), C(https) or C(http-web)).
      - Mutually exclusive with O(gateway_name) and O(k8s_gateway).
      - Keys and values are checked as labels (integers and booleans taken as their YAML text, null, floats,
        lists and dicts refused) before any request.
    type: dict
  service_namespace:
    description: Only look for the gateway Service in this namespace (default all namespaces).
    type: str
  wait:
    description:
      - Wait until the Service has an external address. Fails at once when the chosen Service is not of
        type C(LoadBalancer) and has no external IPs, since no address will ever come.
    type: bool
    default: false
  wait_timeout:
    description: How many seconds O(wait) waits for the address before failing.
    type: int
    default: 120
extends_documentation_fragment:
  - meshsmith.istio.k8s_auth
  - meshsmith.istio.attributes.info_module
seealso:
  - module: meshsmith.istio.gateway
  - module: meshsmith.istio.service_type
  - name: Istio, determining the ingress IP and ports
    description: How Istio's documentation finds the same address by hand.
    link: https://istio.io/latest/docs/tasks/traffic-management/ingress/ingress-control/#determining-the-ingress-ip-and-ports
"""

EXAMPLES = r"""
- name: Where does the default gateway answer?
  meshsmith.istio.ingress_info:
    gateway_name: default-gateway
    gateway_namespace: istio-system
    wait: true
  register: ingress

- name: Print the URL
  ansible.builtin.debug:
    msg: "The application answers at {{ ingress.urls | first }}"

- name: Fail when a Gateway server listens on a port the gateway Service does not expose
  ansible.builtin.assert:
    that: ingress.unexposed_servers | length == 0
    fail_msg: "Not exposed by {{ ingress.service.name }}: {{ ingress.unexposed_servers | map(attribute='port') }}"

- name: Where does the Gateway API Gateway web (gatewayClassName istio) of namespace shop answer?
  meshsmith.istio.ingress_info:
    k8s_gateway: web
    gateway_namespace: shop
    wait: true
  register: web_ingress

- name: Address of a custom gateway workload, by its labels
  meshsmith.istio.ingress_info:
    selector:
      istio: private-ingressgateway
    service_namespace: private-ingress
"""

RETURN = r"""
addresses:
  description: External addresses of the gateway Service (load balancer hostnames or IPs, then C(spec.externalIPs)).
  returned: success
  type: list
  elements: str
  sample: [istio-ingressgateway.istio-system.lb.example.com]
service:
  description: The gateway Service found.
  returned: success
  type: dict
  contains:
    namespace: {description: Its namespace., type: str, returned: success}
    name: {description: Its name., type: str, returned: success}
    type: {description: Its type., type: str, returned: success}
  sample: {namespace: istio-system, name: istio-ingressgateway, type: LoadBalancer}
ports:
  description: The Service's C(spec.ports) as stored.
  returned: success
  type: list
  elements: dict
  sample: [{name: http2, port: 80, targetPort: 8080, protocol: TCP, nodePort: 31380}]
unexposed_servers:
  description: Gateway servers whose port number the Service does not expose (IST0162); empty without a Gateway.
  returned: success
  type: list
  elements: dict
  sample: [{port: {number: 8080, name: http-alt, protocol: HTTP}, hosts: ["*"]}]
urls:
  description:
    - One URL per exposed HTTP or HTTPS/TLS Gateway server and address, such as C(http://<address>/), with
      C(:<port>) when the Service port is not the scheme's default; the port is the Service port that carries
      the server. Empty while the Service has no external address.
  returned: success
  type: list
  elements: str
  sample: ["http://istio-ingressgateway.istio-system.lb.example.com/"]
gateway:
  description: The Gateway read, when O(gateway_name) was given.
  returned: when O(gateway_name) is given
  type: dict
  sample: {namespace: istio-system, name: default-gateway, selector: {istio: ingressgateway}}
k8s_gateway:
  description:
    - The Gateway API Gateway read, when O(k8s_gateway) was given, its C(gateway_class) and whether its controller
      reports it C(programmed) (then RV(addresses) are its C(status.addresses)).
  returned: when O(k8s_gateway) is given
  type: dict
  sample: {namespace: shop, name: web, gateway_class: istio, programmed: true}
"""

from ansible_collections.meshsmith.istio.plugins.module_utils.services.ingress import (
    DEFAULT_GATEWAY_SELECTOR,
    IngressError,
    describe_ingress,
    find_gateway_service,
    load_balancer_addresses,
    read_gateway,
    wait_for_service_address,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.services.k8s_gateway import (
    describe_k8s_gateway,
    k8s_gateway_addresses,
    listener_servers,
    read_k8s_gateway,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.args import api_version_option
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import GATEWAY
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.module import KubeModule
from ansible_collections.meshsmith.istio.plugins.module_utils.gateway_api.descriptors import K8S_GATEWAY
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import label_map, namespace_name

ARGUMENT_SPEC = dict(
    gateway_name=dict(type="str"),
    k8s_gateway=dict(type="str"),
    gateway_namespace=dict(type="str", default="istio-system"),
    api_version=api_version_option(GATEWAY.api_versions),
    selector=dict(type="dict"),
    service_namespace=dict(type="str"),
    wait=dict(type="bool", default=False),
    wait_timeout=dict(type="int", default=120),
)


def main():
    module = KubeModule(
        argument_spec=ARGUMENT_SPEC, mutually_exclusive=[("gateway_name", "selector", "k8s_gateway")],
        supports_check_mode=True,
        option_rules=dict(gateway_name=GATEWAY.at().name_rule, k8s_gateway=K8S_GATEWAY.at().name_rule,
                          gateway_namespace=namespace_name, service_namespace=namespace_name, selector=label_map),
    )
    params = module.params
    if params["selector"] is not None and not params["selector"]:
        module.fail_json(msg="selector: must not be empty (it would match every Service)")
    gateway_name, gateway_namespace = params["gateway_name"], params["gateway_namespace"]
    with module.failures("read the ingress gateway", IngressError):
        gateway, servers = None, None
        selector = params["selector"] or DEFAULT_GATEWAY_SELECTOR
        if params["k8s_gateway"]:
            k8s_gateway, service = read_k8s_gateway(module.client, gateway_namespace, params["k8s_gateway"])
            servers, addresses = listener_servers(k8s_gateway), k8s_gateway_addresses(k8s_gateway, service)
        else:
            if gateway_name:
                gateway = read_gateway(module.client, GATEWAY.at(params["api_version"]), gateway_namespace, gateway_name)
                selector, servers = gateway["spec"]["selector"], gateway["spec"].get("servers") or []
            service = find_gateway_service(module.client, selector, params["service_namespace"])
            addresses = load_balancer_addresses(service)
        if params["wait"] and not addresses:
            service, addresses = wait_for_service_address(module.client, service, params["wait_timeout"])

    result = describe_ingress(service, servers, addresses)
    if gateway is not None:
        result["gateway"] = {"namespace": gateway_namespace, "name": gateway_name, "selector": selector}
    if params["k8s_gateway"]:
        result["k8s_gateway"] = describe_k8s_gateway(k8s_gateway)
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
