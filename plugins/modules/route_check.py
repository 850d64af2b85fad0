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
  - Reads the live Gateways, VirtualServices, Services, ServiceEntries, DestinationRules, Pods and Deployments and
    follows a request (O(url), or O(request_host), O(port) and O(path)) through the ingress gateway workload that
    O(gateway_selector) picks, the way its Envoy routes it - Gateway server by port and host (wildcards,
    C(namespace/host) forms), the VirtualServices bound to that Gateway (C(name) means the VirtualService's own
    namespace, C(namespace/name) any), the most specific host, the first HTTP rule that matches (uri
    exact/prefix/regex and ignoreUriCase, method, headers, withoutHeaders, queryParams, authority, scheme, port),
    then the destination Service (short names in the VirtualService's namespace).
  - Returns the chain found in RV(route) and a one-line RV(summary), and in RV(findings) where the chain breaks
    (code C(ROUTE_NOT_FOUND)), C(API_NOT_SERVED) when the cluster serves no Gateways or VirtualServices at
    O(api_version) (the Istio CRDs are not installed; such a type then holds no objects), plus what
    C(istioctl analyze) would report about the ingress's Gateways and the VirtualServices claiming the host,
    with istioctl's codes - C(IST0101) referenced gateway, host, port, subset or selector target not found,
    C(IST0132) VirtualService host not in the bound Gateway, C(IST0145) conflicting Gateways, C(IST0162)
    Gateway port not exposed by the gateway Service, C(IST0109) conflicting mesh VirtualService hosts,
    C(IST0112) destination port needed, C(IST0130)/C(IST0131) unreachable rules and ineffective matches,
    C(IST0106) a regex that RE2 refuses (Envoy rejects the whole route, so its hosts answer 404).
  - A destination C(subset) must be defined by a DestinationRule for that host, else C(IST0101) naming host and
    subset (C(host+subset in destinationrule), C(mirror+subset) for a mirror, as C(reviews+v2)), as istioctl's
    DestinationRuleAnalyzer reports it - Envoy has no cluster for the subset and answers 503. Hosts are
    compared as istioctl does (a short name is in the VirtualService's, or the DestinationRule's, own namespace;
    FQDNs as written); a wildcard DestinationRule host covers the hosts it matches, and a DestinationRule counts
    only where its C(exportTo) makes it visible (the namespaces the VirtualService is exported to).
  - Returns in RV(routed_services) each Service that a route of an existing Gateway reaches (the
    M(meshsmith.istio.service_type) switch's safety check in role C(meshsmith.istio.service_type_switch)).
  - The Kubernetes Gateway API (C(gateway.networking.k8s.io)) counts too. An HTTPRoute attaches, through each
    parentRef to a Gateway (group C(gateway.networking.k8s.io), kind C(Gateway)), to the listeners of that Gateway
    its C(sectionName) and C(port) pick, whose hostname intersects the route's hostnames and whose
    C(allowedRoutes) admit the route's namespace (C(Same), C(All), C(Selector) on the namespace's labels) and kind
    (HTTP or HTTPS listeners). Its backendRefs reach Services of its namespace (C(port) required), or of another
    namespace when a ReferenceGrant there allows it. Findings, worded like istioctl's - C(IST0101) parentRef to a
    missing Gateway, listener (C(sectionName)/C(port)) not found, backend Service or port not found or no port
    given; C(IST0132) no listener hostname meets the route's hostnames; C(ROUTE_NOT_ACCEPTED) the listeners'
    C(allowedRoutes) refuse the route, or its controller wrote C(Accepted) False in the route's C(status.parents)
    (reason and message quoted); C(REFERENCE_NOT_PERMITTED) a backendRef to another namespace without a
    ReferenceGrant; C(GATEWAY_NOT_PROGRAMMED) (a warning) a Gateway whose controller has not reported it
    C(Programmed). Resources are named C(HTTPRoute ns/name) and C(Gateway.gateway.networking.k8s.io ns/name).
  - A request that no Istio Gateway of O(gateway_selector) routes is followed through the Gateway API's Gateways
    as the Gateway API specifies - a listener of the request's port and protocol whose hostname takes the host
    (the most specific first), then among the rules of the HTTPRoutes attached there, an exact path before the
    longest path prefix (whole path elements), then a method, the most headers, the most query parameters, the
    oldest route and rule order.
  - Regexes are matched and checked with RE2 (C(google-re2)), the engine Envoy uses, not with Python's C(re).
  - Without O(url) or O(request_host) it analyses every Gateway and VirtualService in O(namespaces) and returns the
    findings only.
  - Fails, with the findings in the message, when a finding reaches the O(fail_on) severity.
  - Read-only; sends one LIST per kind, whatever the cluster holds - seven for Istio and Kubernetes kinds, then one
    of Gateway API Gateways (C(gateway.networking.k8s.io/v1)); only where the cluster serves them (no error
    otherwise), one of HTTPRoutes (C(v1)) and one of ReferenceGrants (C(v1beta1)), and one of Namespaces when a
    listener admits routes by namespace labels - eight requests without the Gateway API, ten with it.
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
  - ServiceEntries and DestinationRules are read when their CRD is installed; without it none are considered.
  - The Gateway API's Gateways, HTTPRoutes and ReferenceGrants are read when their CRDs are installed (Gateway API
    v1.0 or later); without them none are considered and nothing is reported about them.
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

- name: Follow a request through a Kubernetes Gateway API Gateway and its HTTPRoutes
  meshsmith.istio.route_check:
    url: "http://shop.example.com/api/cart"
  register: gateway_api_route

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
      description:
        - The Gateway (C(namespace), C(name)) and the C(server) of its spec that takes the request.
        - For a Gateway API Gateway, C(api_version) (C(gateway.networking.k8s.io/v1)) and the C(listener) of its
          spec instead of C(server).
      type: dict
      returned: when a route is found
    http_route:
      description:
        - When the request follows a Gateway API route, the HTTPRoute (C(namespace), C(name)), the index
          C(rule_index) of the rule that takes it and that rule's C(rule_name); C(redirect) when a
          C(RequestRedirect) filter answers. There is then no C(virtual_service).
      type: dict
      returned: when the route found goes through an HTTPRoute
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
          C(weight) (for an HTTPRoute, one per Service backendRef; C(host) is the Service name).
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
      breaks, C(API_NOT_SERVED) for an Istio type the cluster does not serve, or one of the Gateway API codes
      above; C(severity) is C(error),
      C(warning) or C(info); C(resource) names the object as istioctl does (C(VirtualService default/proxy)) and
      C(field) the place in its spec.
  returned: always
  type: list
  elements: dict
  sample:
    - {code: IST0101, severity: error, resource: VirtualService default/proxy, field: "gateways[0]",
       message: 'Referenced gateway not found: "default-gateway"'}
routed_services:
  description:
    - Each Service (C(namespace), C(name), C(port)) that a route of an existing Gateway reaches, whatever the request
      and O(namespaces). A VirtualService counts for a Gateway it names when the Gateway exists, the VirtualService is
      exported to the Gateway's namespace and the Gateway offers one of its hosts to the VirtualService's namespace;
      its tcp, tls and http rules that apply at that Gateway count, an http C(delegate) standing for the delegate
      VirtualService's rules.
    - A destination counts when its host is the Service (short names in the VirtualService's namespace, C(exportTo)
      respected; a ServiceEntry host reaches no Service), its port is one of the Service's (or the Service has only
      one) and its subset, if any, is defined by a DestinationRule.
    - A Service backendRef of an HTTPRoute counts when the route attaches to a listener of a Gateway its controller
      reports C(Programmed), that controller wrote C(Accepted) True for the parentRef in the route's
      C(status.parents), the Service exists with that port, and a ReferenceGrant allows it when in another namespace.
  returned: always
  type: list
  elements: dict
  sample: [{namespace: default, name: proxy, port: 80}]
summary:
  description: One line telling the chain, or why there is none, or how many findings the analysis made.
  returned: always
  type: str
  sample: "http://203.0.113.10/ → Gateway istio-system/default-gateway → VirtualService default/proxy http[0] → Service default/proxy:80"
"""

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.args import api_version_option
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import GATEWAY
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.module import KubeModule
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.re2_regex import RE2Unavailable
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import each, label_map, namespace_name
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.read import read_inventory
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.report import (
    FAIL_ON_CHOICES,
    check_routes,
    failing_findings,
    failure_message,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.resolution import request_from_options

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


def main():
    module = KubeModule(argument_spec=ARGUMENT_SPEC, mutually_exclusive=[("url", "request_host")], supports_check_mode=True,
                        option_rules=dict(namespaces=each(namespace_name), gateway_selector=label_map))
    params = module.params
    with module.failures("read the Istio routing configuration", RE2Unavailable):
        request = request_from_options(params)
        inventory = read_inventory(module.client, params["api_version"])
        result = check_routes(inventory, request, params["gateway_selector"], params["namespaces"])
    failing = failing_findings(result["findings"], params["fail_on"])
    if failing:
        module.fail_json(msg=failure_message(result["summary"], failing), **result)
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
