#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: virtual_service
short_description: Manage an Istio VirtualService idempotently
version_added: 0.1.0
description:
  - Create, update or delete an Istio C(VirtualService) (C(networking.istio.io)) so that its spec is exactly the
    one given; labels and annotations set by others are kept.
  - Options use snake_case and also accept Istio's own camelCase names (C(directResponse), C(corsPolicy),
    C(uriRegexRewrite)...), so YAML copied from the Istio documentation works as written.
  - The spec is checked against istiod's admission rules before any request; the task fails once with every
    error, each naming its option path (for example C(http[0].route[1].weight)). What istiod only warns about
    (deprecated fields, unreachable rules...) is shown as a warning and the task goes on.
  - Every regex is checked with RE2 (C(google-re2)), the engine Envoy compiles it with; syntax that RE2 lacks, such as
    lookahead or backreferences, is refused, because Envoy would reject the route and its hosts would
    answer 404.
  - A run that changes nothing sends one GET and no write. O(hosts), O(gateways) and O(export_to) compare as sets;
    the order of routes matters (the first match wins).
author:
  - meshsmith.istio contributors (@meshsmith)
requirements:
  - google-re2 (Python package C(google-re2)), when the spec holds a regex.
extends_documentation_fragment:
  - meshsmith.istio.resource
  - meshsmith.istio.k8s_auth
attributes:
  check_mode:
    support: full
    description:
      - Nothing is stored. A change is sent as a dry run (C(dryRun=All)), so the API server's schema, CEL rules
        and webhooks can refuse it; the result is the server's answer to the dry run. A no-op sends only the GET.
  diff_mode:
    support: full
    description: Shows metadata (name, namespace, labels, annotations) and spec before and after.
  platform:
    platforms: kubernetes
    support: full
    description: Talks to the Kubernetes API server.
options:
  hosts:
    description:
    - 'Destination hosts the routing rules apply to: DNS names (wildcard prefix C(*.) allowed), short Service names
      or IP addresses.'
    - 'Compared as a set: reordering is no change.'
    - C(*) alone is refused when the VirtualService applies to the C(mesh) gateway (O(gateways) empty or containing
      C(mesh)).
    type: list
    elements: str
  gateways:
    description:
    - 'Gateways and sidecars that apply these routes: C(<namespace>/<name>), C(<name>) (a Gateway in the VirtualService''s
      own namespace) or C(mesh) for all sidecars.'
    - Empty means C(mesh) only. Compared as a set.
    type: list
    elements: str
  http:
    description:
    - 'HTTP routes, evaluated in order: the first route that matches wins, so order matters.'
    - Each route needs exactly one of O(http[].route), O(http[].redirect), O(http[].direct_response) or O(http[].delegate).
    type: list
    elements: dict
    suboptions:
      name:
        description:
        - Name of the route, used in access logs and debugging.
        type: str
      match:
        description:
        - Conditions, any of which selects this route (ORed); the fields within one condition are ANDed.
        type: list
        elements: dict
        suboptions:
          name:
            description:
            - Name of the condition, appended to the route name in logs.
            type: str
          uri:
            description:
            - Matches the request path.
            type: dict
            suboptions:
              exact:
                description:
                - Exact string.
                type: str
              prefix:
                description:
                - Prefix.
                type: str
              regex:
                description:
                - RE2 regular expression.
                type: str
          scheme:
            description:
            - Matches the URI scheme (C(http), C(https)).
            type: dict
            suboptions:
              exact:
                description:
                - Exact string.
                type: str
              prefix:
                description:
                - Prefix.
                type: str
              regex:
                description:
                - RE2 regular expression.
                type: str
          method:
            description:
            - Matches the HTTP method.
            type: dict
            suboptions:
              exact:
                description:
                - Exact string.
                type: str
              prefix:
                description:
                - Prefix.
                type: str
              regex:
                description:
                - RE2 regular expression.
                type: str
          authority:
            description:
            - Matches the HTTP authority (Host header).
            type: dict
            suboptions:
              exact:
                description:
                - Exact string.
                type: str
              prefix:
                description:
                - Prefix.
                type: str
              regex:
                description:
                - RE2 regular expression.
                type: str
          headers:
            description:
            - Header name to string match (keys C(exact), C(prefix) or C(regex)); header names lowercase.
            - An empty match (C({})) checks that the header is present.
            type: dict
          port:
            description:
            - Port on the host being addressed.
            type: int
          source_labels:
            description:
            - Labels the calling workload must carry (sidecars only).
            type: dict
            aliases:
            - sourceLabels
          gateways:
            description:
            - Gateways this condition is limited to; overrides O(gateways) for this condition.
            type: list
            elements: str
          query_params:
            description:
            - Query parameter name to string match (keys C(exact), C(prefix) or C(regex)).
            - An empty match checks that the parameter is present.
            type: dict
            aliases:
            - queryParams
          ignore_uri_case:
            description:
            - Match O(http[].match[].uri) case-insensitively.
            type: bool
            aliases:
            - ignoreUriCase
          without_headers:
            description:
            - Header name to string match; the condition holds when the header does NOT match.
            type: dict
            aliases:
            - withoutHeaders
          source_namespace:
            description:
            - Namespace the calling workload must run in (sidecars only).
            type: str
            aliases:
            - sourceNamespace
          stat_prefix:
            description:
            - Prefix for statistics generated for this condition.
            type: str
            aliases:
            - statPrefix
      route:
        description:
        - Weighted destinations that receive the traffic.
        type: list
        elements: dict
        suboptions:
          destination:
            description:
            - Where the traffic goes.
            type: dict
            required: true
            suboptions:
              host:
                description:
                - Service name (C(proxy), C(proxy.default.svc.cluster.local)) or a ServiceEntry host.
                type: str
                required: true
              subset:
                description:
                - Subset defined in a DestinationRule for O(hosts).
                type: str
              port:
                description:
                - Port on the destination; needed when the Service has several ports.
                type: dict
                suboptions:
                  number:
                    description:
                    - Port number.
                    type: int
          weight:
            description:
            - Relative share of the traffic; weights need not add up to 100 but cannot all be 0.
            type: int
          headers:
            description:
            - Header changes applied when traffic goes to this destination.
            type: dict
            suboptions:
              request:
                description:
                - Changes to the request headers.
                type: dict
                suboptions:
                  set:
                    description:
                    - Headers to overwrite, name to value.
                    type: dict
                  add:
                    description:
                    - Headers to append, name to value.
                    type: dict
                  remove:
                    description:
                    - Header names to remove.
                    type: list
                    elements: str
              response:
                description:
                - Changes to the response headers.
                type: dict
                suboptions:
                  set:
                    description:
                    - Headers to overwrite, name to value.
                    type: dict
                  add:
                    description:
                    - Headers to append, name to value.
                    type: dict
                  remove:
                    description:
                    - Header names to remove.
                    type: list
                    elements: str
      redirect:
        description:
        - Send a 3xx redirect instead of forwarding.
        type: dict
        suboptions:
          uri:
            description:
            - Path that replaces the request path in the redirect.
            type: str
          authority:
            description:
            - Authority (host) that replaces the request's in the redirect.
            type: str
          port:
            description:
            - Port of the redirect URL. Mutually exclusive with O(http[].redirect.derive_port).
            type: int
          derive_port:
            description:
            - Take the redirect port from the protocol default or from the request.
            type: str
            aliases:
            - derivePort
            choices:
            - FROM_PROTOCOL_DEFAULT
            - FROM_REQUEST_PORT
          scheme:
            description:
            - Scheme of the redirect URL, C(http) or C(https).
            type: str
          redirect_code:
            description:
            - Redirect status code, a 3xx value (default 301).
            type: int
            aliases:
            - redirectCode
      direct_response:
        description:
        - Answer the request directly with a fixed status and body.
        type: dict
        aliases:
        - directResponse
        suboptions:
          status:
            description:
            - HTTP status code, 200-599.
            type: int
            required: true
          body:
            description:
            - Response body, at most 1MB. Set one of O(http[].direct_response.body.string) or O(http[].direct_response.body.bytes).
            type: dict
            suboptions:
              string:
                description:
                - Body as text.
                type: str
              bytes:
                description:
                - Body as base64-encoded bytes.
                type: str
      delegate:
        description:
        - Hand the matched traffic to another VirtualService (one without O(hosts)).
        type: dict
        suboptions:
          name:
            description:
            - Name of the delegate VirtualService.
            type: str
          namespace:
            description:
            - Namespace of the delegate VirtualService (default, the same namespace).
            type: str
      rewrite:
        description:
        - Rewrite the path or authority before forwarding. Cannot be combined with a redirect or direct response.
        type: dict
        suboptions:
          uri:
            description:
            - Replaces the matched path prefix (or the whole path for an exact match).
            type: str
          authority:
            description:
            - Replaces the authority (Host header).
            type: str
          uri_regex_rewrite:
            description:
            - Rewrites the path with a regular expression. Mutually exclusive with O(http[].rewrite.uri).
            type: dict
            aliases:
            - uriRegexRewrite
            suboptions:
              match:
                description:
                - RE2 regular expression applied to the path.
                type: str
              rewrite:
                description:
                - Replacement, which may use capture groups such as C(\1).
                type: str
      timeout:
        description:
        - Request timeout as a duration (C(10s), C(0.5s), C(100ms), C(1m30s)).
        type: str
      retries:
        description:
        - Retry policy.
        type: dict
        suboptions:
          attempts:
            description:
            - Number of retries; C(0) disables retries (then the other retry settings must stay unset).
            type: int
          per_try_timeout:
            description:
            - Timeout of each attempt, as a duration.
            type: str
            aliases:
            - perTryTimeout
          retry_on:
            description:
            - Comma-separated retry conditions (C(5xx), C(connect-failure), C(retriable-4xx)... or status codes).
            type: str
            aliases:
            - retryOn
          retry_remote_localities:
            description:
            - Whether retries may go to other localities.
            type: bool
            aliases:
            - retryRemoteLocalities
          retry_ignore_previous_hosts:
            description:
            - Whether retries avoid hosts already tried.
            type: bool
            aliases:
            - retryIgnorePreviousHosts
          backoff:
            description:
            - Base interval between retries, as a duration.
            type: str
      fault:
        description:
        - Fault injection for testing. Cannot be combined with a redirect or direct response.
        type: dict
        suboptions:
          delay:
            description:
            - Delay requests before forwarding.
            type: dict
            suboptions:
              fixed_delay:
                description:
                - Delay as a duration (C(5s)).
                type: str
                aliases:
                - fixedDelay
              exponential_delay:
                description:
                - Not supported by istiod yet.
                type: str
                aliases:
                - exponentialDelay
              percentage:
                description:
                - Share of requests delayed.
                type: dict
                suboptions:
                  value:
                    description:
                    - Percentage, 0-100 (fractions allowed).
                    type: float
              percent:
                description:
                - Deprecated integer share of requests delayed; use O(http[].fault.delay.percentage).
                type: int
          abort:
            description:
            - Abort requests with an error.
            type: dict
            suboptions:
              http_status:
                description:
                - HTTP status returned, 200-599.
                type: int
                aliases:
                - httpStatus
              grpc_status:
                description:
                - gRPC status name returned (C(UNAVAILABLE), C(NOT_FOUND)...).
                type: str
                aliases:
                - grpcStatus
              http2_error:
                description:
                - Not supported by istiod yet.
                type: str
                aliases:
                - http2Error
              percentage:
                description:
                - Share of requests aborted.
                type: dict
                suboptions:
                  value:
                    description:
                    - Percentage, 0-100 (fractions allowed).
                    type: float
      mirror:
        description:
        - Copy the traffic to this destination as well (responses ignored). Mutually exclusive with O(http[].mirrors).
        type: dict
        suboptions:
          host:
            description:
            - Service name (C(proxy), C(proxy.default.svc.cluster.local)) or a ServiceEntry host.
            type: str
            required: true
          subset:
            description:
            - Subset defined in a DestinationRule for O(hosts).
            type: str
          port:
            description:
            - Port on the destination; needed when the Service has several ports.
            type: dict
            suboptions:
              number:
                description:
                - Port number.
                type: int
      mirrors:
        description:
        - Copy the traffic to several destinations.
        type: list
        elements: dict
        suboptions:
          destination:
            description:
            - Destination the copies go to.
            type: dict
            required: true
            suboptions:
              host:
                description:
                - Service name (C(proxy), C(proxy.default.svc.cluster.local)) or a ServiceEntry host.
                type: str
                required: true
              subset:
                description:
                - Subset defined in a DestinationRule for O(hosts).
                type: str
              port:
                description:
                - Port on the destination; needed when the Service has several ports.
                type: dict
                suboptions:
                  number:
                    description:
                    - Port number.
                    type: int
          percentage:
            description:
            - Share of the traffic copied.
            type: dict
            suboptions:
              value:
                description:
                - Percentage, 0-100 (fractions allowed).
                type: float
      mirror_percentage:
        description:
        - Share of the traffic copied to O(http[].mirror).
        type: dict
        aliases:
        - mirrorPercentage
        suboptions:
          value:
            description:
            - Percentage, 0-100 (fractions allowed).
            type: float
      mirror_percent:
        description:
        - Deprecated integer share copied to O(http[].mirror); use O(http[].mirror_percentage).
        type: int
        aliases:
        - mirrorPercent
      cors_policy:
        description:
        - Cross-origin resource sharing policy.
        type: dict
        aliases:
        - corsPolicy
        suboptions:
          allow_origin:
            description:
            - Deprecated exact origins; use O(http[].cors_policy.allow_origins).
            type: list
            elements: str
            aliases:
            - allowOrigin
          allow_origins:
            description:
            - Origins allowed, as string matches.
            type: list
            elements: dict
            aliases:
            - allowOrigins
            suboptions:
              exact:
                description:
                - Exact string.
                type: str
              prefix:
                description:
                - Prefix.
                type: str
              regex:
                description:
                - RE2 regular expression.
                type: str
          allow_methods:
            description:
            - HTTP methods allowed (upper case, or C(*)).
            type: list
            elements: str
            aliases:
            - allowMethods
          allow_headers:
            description:
            - Request headers allowed.
            type: list
            elements: str
            aliases:
            - allowHeaders
          expose_headers:
            description:
            - Response headers browsers may read.
            type: list
            elements: str
            aliases:
            - exposeHeaders
          max_age:
            description:
            - How long preflight results may be cached, as a duration in whole seconds.
            type: str
            aliases:
            - maxAge
          allow_credentials:
            description:
            - Whether credentials may be sent.
            type: bool
            aliases:
            - allowCredentials
          unmatched_preflights:
            description:
            - What to do with preflight requests whose origin does not match.
            type: str
            aliases:
            - unmatchedPreflights
            choices:
            - UNSPECIFIED
            - FORWARD
            - IGNORE
      headers:
        description:
        - Header changes applied to requests and responses of this route.
        type: dict
        suboptions:
          request:
            description:
            - Changes to the request headers.
            type: dict
            suboptions:
              set:
                description:
                - Headers to overwrite, name to value.
                type: dict
              add:
                description:
                - Headers to append, name to value.
                type: dict
              remove:
                description:
                - Header names to remove.
                type: list
                elements: str
          response:
            description:
            - Changes to the response headers.
            type: dict
            suboptions:
              set:
                description:
                - Headers to overwrite, name to value.
                type: dict
              add:
                description:
                - Headers to append, name to value.
                type: dict
              remove:
                description:
                - Header names to remove.
                type: list
                elements: str
  tls:
    description:
    - Routes for unterminated TLS and HTTPS traffic, chosen by SNI; evaluated in order.
    type: list
    elements: dict
    suboptions:
      match:
        description:
        - Conditions selecting this route.
        type: list
        elements: dict
        required: true
        suboptions:
          destination_subnets:
            description:
            - Destination IPs or CIDR blocks to match.
            type: list
            elements: str
            aliases: &id001
            - destinationSubnets
          port:
            description:
            - Port to match.
            type: int
          source_labels:
            description:
            - Labels the calling workload must carry.
            type: dict
            aliases: &id002
            - sourceLabels
          gateways:
            description:
            - Gateways this condition is limited to.
            type: list
            elements: str
          source_namespace:
            description:
            - Namespace the calling workload must run in.
            type: str
            aliases: &id003
            - sourceNamespace
          sni_hosts:
            description:
            - SNI names to match; each must be covered by O(hosts).
            type: list
            elements: str
            required: true
            aliases:
            - sniHosts
      route:
        description:
        - Weighted destinations for the connection.
        type: list
        elements: dict
        suboptions:
          destination:
            description:
            - Where the traffic goes.
            type: dict
            required: true
            suboptions:
              host:
                description:
                - Service name (C(proxy), C(proxy.default.svc.cluster.local)) or a ServiceEntry host.
                type: str
                required: true
              subset:
                description:
                - Subset defined in a DestinationRule for O(hosts).
                type: str
              port:
                description:
                - Port on the destination; needed when the Service has several ports.
                type: dict
                suboptions:
                  number:
                    description:
                    - Port number.
                    type: int
          weight:
            description:
            - Relative share of the traffic; weights need not add up to 100 but cannot all be 0.
            type: int
  tcp:
    description:
    - Routes for opaque TCP traffic; evaluated in order.
    type: list
    elements: dict
    suboptions:
      match:
        description:
        - Conditions selecting this route.
        type: list
        elements: dict
        suboptions:
          destination_subnets:
            description:
            - Destination IPs or CIDR blocks to match.
            type: list
            elements: str
            aliases: *id001
          port:
            description:
            - Port to match.
            type: int
          source_labels:
            description:
            - Labels the calling workload must carry.
            type: dict
            aliases: *id002
          gateways:
            description:
            - Gateways this condition is limited to.
            type: list
            elements: str
          source_namespace:
            description:
            - Namespace the calling workload must run in.
            type: str
            aliases: *id003
          source_subnet:
            description:
            - Client IP or CIDR block to match.
            type: str
            aliases:
            - sourceSubnet
      route:
        description:
        - Weighted destinations for the connection.
        type: list
        elements: dict
        suboptions:
          destination:
            description:
            - Where the traffic goes.
            type: dict
            required: true
            suboptions:
              host:
                description:
                - Service name (C(proxy), C(proxy.default.svc.cluster.local)) or a ServiceEntry host.
                type: str
                required: true
              subset:
                description:
                - Subset defined in a DestinationRule for O(hosts).
                type: str
              port:
                description:
                - Port on the destination; needed when the Service has several ports.
                type: dict
                suboptions:
                  number:
                    description:
                    - Port number.
                    type: int
          weight:
            description:
            - Relative share of the traffic; weights need not add up to 100 but cannot all be 0.
            type: int
  export_to:
    description:
    - 'Namespaces the VirtualService is visible to: C(.) (its own namespace), C(*) (all, which cannot be combined
      with others) or namespace names.'
    - Compared as a set. Unset means all namespaces.
    type: list
    elements: str
    aliases:
    - exportTo
"""

EXAMPLES = r"""
- name: Route all traffic entering the default ingress gateway to the proxy Service
  meshsmith.istio.virtual_service:
    name: proxy
    namespace: default
    hosts:
      - "*"
    gateways:
      - istio-system/default-gateway
    http:
      - route:
          - destination:
              host: proxy
              port:
                number: 80

- name: Canary split with a retry policy, written with Istio's own field names
  meshsmith.istio.virtual_service:
    name: reviews
    namespace: bookinfo
    hosts: [reviews]
    http:
      - match:
          - headers:
              end-user:
                exact: jason
        route:
          - destination: {host: reviews, subset: v2}
      - route:
          - destination: {host: reviews, subset: v1}
            weight: 90
          - destination: {host: reviews, subset: v3}
            weight: 10
        retries:
          attempts: 3
          perTryTimeout: 2s

- name: Answer health checks at the edge and redirect the old path
  meshsmith.istio.virtual_service:
    name: edge
    namespace: default
    hosts: ["shop.example.com"]
    gateways: [istio-system/default-gateway]
    http:
      - match: [{uri: {exact: /healthz}}]
        direct_response:
          status: 200
          body: {string: ok}
      - match: [{uri: {prefix: /old}}]
        redirect: {uri: /new, redirect_code: 301}
      - route: [{destination: {host: shop}}]

- name: Remove the VirtualService
  meshsmith.istio.virtual_service:
    name: proxy
    namespace: default
    state: absent

- name: Create a VirtualService from a manifest file kept in git
  meshsmith.istio.virtual_service:
    definition: "{{ lookup('ansible.builtin.file', 'manifests/shop-virtualservice.yaml') }}"
"""

RETURN = r"""
method:
  description: What was done.
  returned: always
  type: str
  choices: [created, updated, deleted, unchanged]
  sample: created
result:
  description: The VirtualService as stored (in check mode, the API server's answer to the dry run); empty after a delete.
  returned: always
  type: dict
  sample:
    apiVersion: networking.istio.io/v1
    kind: VirtualService
    metadata: {name: proxy, namespace: default, resourceVersion: "1042"}
    spec:
      hosts: ["*"]
      gateways: [istio-system/default-gateway]
      http: [{route: [{destination: {host: proxy, port: {number: 80}}}]}]
errors:
  description:
    - When the spec is invalid, every setting istiod (or the API server) would refuse, each with its option path;
      the task's C(msg) lists them too, and C(option) is the first one's path.
  returned: on a validation failure
  type: list
  elements: dict
  sample: [{option: "http[0].match[0].uri.regex", msg: "invalid RE2 regex '^/(?!admin).*': invalid perl operator: (?!"}]
diff:
  description: Metadata and spec before and after, when run with C(--diff).
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.resource import run_resource_module
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import VIRTUAL_SERVICE


def main() -> None:
    run_resource_module(VIRTUAL_SERVICE)


if __name__ == "__main__":
    main()
