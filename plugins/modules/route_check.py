#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: route_check
short_description: Explain and check how a request reaches a Service through the Istio ingress gateway
version_added: 0.1.0
author: meshsmith.istio contributors (@meshsmith)
description:
  - Reads the live Gateways, VirtualServices, Services, ServiceEntries, Pods and Deployments and follows a
    request (O(url), or O(request_host), O(port) and O(path)) through the ingress gateway workload that
    O(gateway_selector) picks, the way its Envoy routes it - Gateway server by port and host (wildcards,
    C(namespace/host) forms), the VirtualServices bound to that Gateway (C(name) means the VirtualService's own
    namespace, C(namespace/name) any), the most specific host, the first HTTP rule that matches (uri
    exact/prefix/regex and ignoreUriCase, method, headers, withoutHeaders, queryParams, authority, scheme, port),
    then the destination Service (short names in the VirtualService's namespace).
  - Returns the chain found in RV(route) and a one-line RV(summary), and in RV(findings) where the chain breaks
    (code C(ROUTE_NOT_FOUND)), C(API_NOT_SERVED) when the cluster serves no Gateways or VirtualServices at
    O(api_version) (the Istio CRDs are not installed; such a type then holds no objects), plus what
    C(istioctl analyze) would report about the ingress's Gateways and the VirtualServices claiming the host,
    with istioctl's codes - C(IST0101) referenced gateway, host, port or selector target not found,
    C(IST0132) VirtualService host not in the bound Gateway, C(IST0145) conflicting Gateways, C(IST0162)
    Gateway port not exposed by the gateway Service, C(IST0109) conflicting mesh VirtualService hosts,
    C(IST0112) destination port needed, C(IST0130)/C(IST0131) unreachable rules and ineffective matches,
    C(IST0106) a regex that RE2 refuses (Envoy rejects the whole route, so its hosts answer 404).
  - Regexes are matched and checked with RE2 (C(google-re2)), the engine Envoy uses, not with Python's C(re).
  - Without O(url) or O(request_host) it analyses every Gateway and VirtualService in O(namespaces) and returns the
    findings only.
  - Fails, with the findings in the message, when a finding reaches the O(fail_on) severity.
  - Read-only; sends one LIST per kind (six requests), whatever the cluster holds.
options:
  url:
    description:
      - The request to follow, V(http://host[:port]/path[?query]) or V(https://...), as a client would send it
        to the ingress gateway's address. Mutually exclusive with O(request_host).
    type: str
  request_host:
    description:
      - Host (C(Host) header) of the request, when O(url) is not given.
      - Not named C(host), which is the API server address as in every kubernetes.core-style module.
    type: str
  port:
    description: Port the request is sent to (the gateway Service port). Defaults to 80, or 443 with O(scheme=https).
    type: int
  path:
    description: Path (and query string) of the request, when O(request_host) is given.
    type: str
    default: /
  scheme:
    description: Scheme of the request, when O(request_host) is given.
    type: str
    choices: [http, https]
    default: http
  method:
    description: HTTP method of the request.
    type: str
    default: GET
  headers:
    description: Request headers, for VirtualService rules that match on headers.
    type: dict
    default: {}
  gateway_selector:
    description:
      - Labels of the ingress gateway workload the request goes through.
      - Keys and values are checked as labels (integers and booleans taken as their YAML text, null, floats,
        lists and dicts refused) before any request.
    type: dict
    default: {istio: ingressgateway}
  namespaces:
    description:
      - Only report findings about Gateways and VirtualServices in these namespaces (default all). The request is
        still routed against every namespace, as the gateway sees them all.
      - Each a lowercase RFC 1123 label (at most 63 characters), checked before any request.
    type: list
    elements: str
  fail_on:
    description:
      - Fail when a finding has this severity or a worse one (C(error) is worse than C(warning), which is worse
        than C(info)); V(never) only reports.
    type: str
    choices: [error, warning, never]
    default: error
  api_version:
    description: API version the Istio resources are read with (Istio before 1.22 serves no C(v1)).
    type: str
    choices: [networking.istio.io/v1, networking.istio.io/v1beta1, networking.istio.io/v1alpha3]
    default: networking.istio.io/v1
requirements:
  - google-re2 (Python package C(google-re2)), when a VirtualService holds a regex.
extends_documentation_fragment:
  - meshsmith.istio.k8s_auth
attributes:
  check_mode:
    support: full
    description: Read-only; behaves the same in check mode.
  diff_mode:
    support: none
    description: Reads only; there is nothing to diff.
notes:
  - The cluster domain is taken to be C(cluster.local).
  - ServiceEntries are read when their CRD is installed; without it none are considered.
seealso:
  - module: meshsmith.istio.ingress_info
  - name: istioctl analyze messages
    description: The Istio analyzer codes (such as IST0101) that findings reuse.
    link: https://istio.io/latest/docs/reference/config/analysis/
"""

EXAMPLES = r"""
- name: Check that the application answers through the ingress gateway before removing its own address
  meshsmith.istio.route_check:
    url: "http://{{ ingress.addresses | first }}/"
  register: route

- name: Show the chain
  ansible.builtin.debug:
    msg: "{{ route.summary }}"

- name: A header-routed canary, checked for warnings too
  meshsmith.istio.route_check:
    request_host: shop.example.com
    path: /api/cart
    method: POST
    headers:
      x-canary: "true"
    fail_on: warning

- name: Analyse every Gateway and VirtualService of two namespaces
  meshsmith.istio.route_check:
    namespaces: [default, istio-system]
    fail_on: never
  register: analysis
"""

RETURN = r"""
route:
  description: The chain the request follows, or V(null) when it finds no route (and always without a request).
  returned: always
  type: dict
  contains:
    gateway:
      description: The Gateway (C(namespace), C(name)) and the C(server) of its spec that takes the request.
      type: dict
      returned: when a route is found
    virtual_service:
      description:
        - The VirtualService (C(namespace), C(name)), the index C(http_index) of the matching rule in its C(http)
          list and that rule's C(route_name) (V(null) when unnamed); C(redirect) or C(directResponse) when the rule
          answers itself.
      type: dict
      returned: when a route is found
    destinations:
      description:
        - One per destination of the rule, with C(host) as written, the Service it reaches (C(service_namespace),
          C(service_name), both V(null) for ServiceEntry hosts or hosts reaching nothing), C(port), C(subset) and
          C(weight).
      type: list
      elements: dict
      returned: when a route is found
  sample:
    gateway: {namespace: istio-system, name: default-gateway, server: {port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}}
    virtual_service: {namespace: default, name: proxy, http_index: 0, route_name: null}
    destinations: [{host: proxy, service_namespace: default, service_name: proxy, port: 80, subset: null, weight: 100}]
findings:
  description:
    - What is wrong, worst first. C(code) is istioctl's code, C(ROUTE_NOT_FOUND) for where the request's chain
      breaks, or C(API_NOT_SERVED) for an Istio type the cluster does not serve; C(severity) is C(error),
      C(warning) or C(info); C(resource) names the object as istioctl does (C(VirtualService default/proxy)) and
      C(field) the place in its spec.
  returned: always
  type: list
  elements: dict
  sample:
    - {code: IST0101, severity: error, resource: VirtualService default/proxy, field: "gateways[0]",
       message: 'Referenced gateway not found: "default-gateway"'}
summary:
  description: One line telling the chain, or why there is none, or how many findings the analysis made.
  returned: always
  type: str
  sample: "http://203.0.113.10/ → Gateway istio-system/default-gateway → VirtualService default/proxy http[0] → Service default/proxy:80"
"""

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.args import api_version_option
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.info import list_served
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import GATEWAY, ISTIO_RESOURCES
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kinds import DEPLOYMENT, POD, SERVICE
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.module import KubeModule
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.re2_regex import RE2Unavailable
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import each, label_map, namespace_name
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.model import Inventory
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.report import (
    FAIL_ON_CHOICES,
    check_routes,
    failing_findings,
    failure_message,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.resolution import InvalidRequest, Request
from ansible_collections.meshsmith.istio.plugins.module_utils.services.ingress import DEFAULT_PORT_BY_SCHEME

ARGUMENT_SPEC = dict(
    url=dict(type="str"),
    request_host=dict(type="str"),
    port=dict(type="int"),
    path=dict(type="str", default="/"),
    scheme=dict(type="str", choices=["http", "https"], default="http"),
    method=dict(type="str", default="GET"),
    headers=dict(type="dict", default={}),
    gateway_selector=dict(type="dict", default={"istio": "ingressgateway"}),
    namespaces=dict(type="list", elements="str"),
    fail_on=dict(type="str", choices=list(FAIL_ON_CHOICES), default="error"),
    api_version=api_version_option(GATEWAY.api_versions),
)


def request_from_params(params: dict):
    """The Request the options describe, None without url/request_host; InvalidRequest naming the bad option."""
    if params["url"]:
        return Request.from_url(params["url"], params["method"], params["headers"])
    if not params["request_host"]:
        return None
    port = DEFAULT_PORT_BY_SCHEME[params["scheme"]] if params["port"] is None else params["port"]
    if not 0 < port < 65536:
        raise InvalidRequest("port", "must be between 1 and 65535, got %d" % port)
    if not params["path"].startswith("/"):
        raise InvalidRequest("path", "must start with /, got %r" % params["path"])
    return Request(params["request_host"].lower(), port, params["path"], params["method"].upper(),
                   dict(params["headers"]), params["scheme"])


def read_inventory(client, api_version: str) -> Inventory:
    """One LIST per kind in all namespaces; an Istio type the cluster does not serve holds nothing."""
    istio_items, unserved = {}, []
    for kind in ("Gateway", "VirtualService", "ServiceEntry"):
        items = list_served(client, ISTIO_RESOURCES[kind].at(api_version).path())
        if items is None and kind != "ServiceEntry":  # ServiceEntries are optional (their CRD may be left out)
            unserved.append((api_version, kind))
        istio_items[kind] = items or []
    return Inventory(
        gateways=istio_items["Gateway"],
        virtual_services=istio_items["VirtualService"],
        services=client.list(SERVICE.path()),
        service_entries=istio_items["ServiceEntry"],
        pods=client.list(POD.path()),
        deployments=client.list(DEPLOYMENT.path()),
        unserved=unserved,
    )


def main():
    module = KubeModule(argument_spec=ARGUMENT_SPEC, mutually_exclusive=[("url", "request_host")], supports_check_mode=True,
                        option_rules=dict(namespaces=each(namespace_name), gateway_selector=label_map))
    params = module.params
    if not params["gateway_selector"]:
        module.fail_json(msg="gateway_selector: must not be empty")
    with module.failures("read the Istio routing configuration", InvalidRequest, RE2Unavailable):
        request = request_from_params(params)
        inventory = read_inventory(module.client, params["api_version"])
        result = check_routes(inventory, request, params["gateway_selector"], params["namespaces"])
    failing = failing_findings(result["findings"], params["fail_on"])
    if failing:
        module.fail_json(msg=failure_message(result["summary"], failing), **result)
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
