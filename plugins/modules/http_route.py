#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: http_route
short_description: Manage a Kubernetes Gateway API HTTPRoute
version_added: 0.4.0
description:
  - Creates, updates or deletes a Kubernetes Gateway API C(HTTPRoute) (C(gateway.networking.k8s.io/v1)), the HTTP
    routing rules (matches, filters, backends) attached to Gateways.
  - O(parent_refs), O(hostnames), O(rules) and each rule's O(rules[].matches), O(rules[].filters) and
    O(rules[].backend_refs) are atomic lists in the API - ordered (the order of rules and matches decides
    precedence between equal matches, the order of filters the order they run in). Header and query parameter
    matches, and a header modifier's C(set), C(add) (keyed by name) and C(remove) are compared as sets.
  - Idempotent - a run that changes nothing sends a single GET; a create or an update is one GET and one write (an
    update carries the read C(resourceVersion)) - with truthful check mode (a dry-run write) and diff.
  - Nested options use snake_case names and also accept the Gateway API's camelCase field names, so a spec copied
    from the Gateway API documentation works as it is (or paste the whole manifest as O(definition)).
  - Every default of the CRD schema is the option's default, so the spec sent is the one the API server stores; the
    status and the annotations a controller (istiod) writes are kept and never compared.
  - What the CRD's schema and CEL rules refuse is checked before any request; the task fails once with every error,
    each naming its option path.
  - Lists the CRD declares as sets or maps (list type C(set) or C(map)) are compared as sets - a reordered re-run
    is no change; the other lists (list type C(atomic)) keep their order, which has a meaning for the API.
author:
  - meshsmith.istio contributors (@meshsmith)
extends_documentation_fragment:
  - meshsmith.istio.resource
  - meshsmith.istio.k8s_auth
  - meshsmith.istio.attributes
seealso:
  - module: meshsmith.istio.http_route_info
  - module: meshsmith.istio.k8s_gateway
  - module: meshsmith.istio.virtual_service
options:
  api_version:
    description:
      - API version to read and write the resource with; the Gateway API's standard channel serves V(gateway.networking.k8s.io/v1).
    type: str
    choices: [gateway.networking.k8s.io/v1]
    default: gateway.networking.k8s.io/v1
  hostnames:
    description:
      - Hostnames defines a set of hostnames that should match against the HTTP Host header to select a HTTPRoute used
        to process the request. Implementations MUST ignore any port value specified in the HTTP Host header while performing
        a match and (absent of any applicable header modification configuration) MUST forward this header unmodified
        to the backend.
    type: list
    elements: str
  parent_refs:
    description:
      - ParentRefs references the resources (usually Gateways) that a Route wants to be attached to. Note that the referenced
        parent resource needs to allow this for the attachment to be complete.
    type: list
    elements: dict
    aliases:
      - parentRefs
    suboptions:
      group:
        description:
          - Group is the group of the referent. When unspecified, "gateway.networking.k8s.io" is inferred.
        type: str
        default: gateway.networking.k8s.io
      kind:
        description:
          - Kind is kind of the referent.
        type: str
        default: Gateway
      name:
        description:
          - Name is the name of the referent.
        type: str
        required: true
      namespace:
        description:
          - Namespace is the namespace of the referent. When unspecified, this refers to the local namespace of the Route.
        type: str
      port:
        description:
          - Port is the network port this Route targets. It can be interpreted differently based on the type of parent
            resource.
        type: int
      section_name:
        description:
          - 'SectionName is the name of a section within the target resource. In the following resources, SectionName
            is interpreted as the following:'
        type: str
        aliases:
          - sectionName
  rules:
    description:
      - Rules are a list of HTTP matchers, filters and actions.
    type: list
    elements: dict
    default:
      - matches:
          - path:
              type: PathPrefix
              value: /
    suboptions:
      backend_refs:
        description:
          - BackendRefs defines the backend(s) where matching requests should be sent.
        type: list
        elements: dict
        aliases:
          - backendRefs
        suboptions:
          group:
            description:
              - Group is the group of the referent. For example, "gateway.networking.k8s.io".
            type: str
            default: ''
          kind:
            description:
              - Kind is the Kubernetes resource kind of the referent. For example "Service".
            type: str
            default: Service
          name:
            description:
              - Name is the name of the referent.
            type: str
            required: true
          namespace:
            description:
              - Namespace is the namespace of the backend. When unspecified, the local namespace is inferred.
            type: str
          port:
            description:
              - Port specifies the destination port number to use for this resource. Port is required when the referent
                is a Kubernetes Service.
            type: int
          weight:
            description:
              - Weight specifies the proportion of requests forwarded to the referenced backend. This is computed as
                weight/(sum of all weights in this BackendRefs list).
            type: int
            default: 1
          filters:
            description:
              - Filters defined at this level should be executed if and only if the request is being forwarded to the
                backend defined here.
            type: list
            elements: dict
            suboptions:
              cors:
                description:
                  - CORS defines a schema for a filter that responds to the cross-origin request based on HTTP response
                    header.
                type: dict
                suboptions:
                  allow_credentials:
                    description:
                      - AllowCredentials indicates whether the actual cross-origin request allows to include credentials.
                    type: bool
                    aliases:
                      - allowCredentials
                  allow_headers:
                    description:
                      - AllowHeaders indicates which HTTP request headers are supported for accessing the requested resource.
                      - 'Compared as a set (the CRD''s list type is C(set)): a reordering is no change.'
                    type: list
                    elements: str
                    aliases:
                      - allowHeaders
                  allow_methods:
                    description:
                      - AllowMethods indicates which HTTP methods are supported for accessing the requested resource.
                      - 'Compared as a set (the CRD''s list type is C(set)): a reordering is no change.'
                    type: list
                    elements: str
                    aliases:
                      - allowMethods
                  allow_origins:
                    description:
                      - AllowOrigins indicates whether the response can be shared with requested resource from the given
                        `Origin`.
                      - 'Compared as a set (the CRD''s list type is C(set)): a reordering is no change.'
                    type: list
                    elements: str
                    aliases:
                      - allowOrigins
                  expose_headers:
                    description:
                      - ExposeHeaders indicates which HTTP response headers can be exposed to client-side scripts in
                        response to a cross-origin request.
                      - 'Compared as a set (the CRD''s list type is C(set)): a reordering is no change.'
                    type: list
                    elements: str
                    aliases:
                      - exposeHeaders
                  max_age:
                    description:
                      - MaxAge indicates the duration (in seconds) for the client to cache the results of a "preflight"
                        request.
                    type: int
                    default: 5
                    aliases:
                      - maxAge
              extension_ref:
                description:
                  - ExtensionRef is an optional, implementation-specific extension to the "filter" behavior. For example,
                    resource "myroutefilter" in group "networking.example.net").
                type: dict
                aliases:
                  - extensionRef
                suboptions:
                  group:
                    description:
                      - Group is the group of the referent. For example, "gateway.networking.k8s.io".
                    type: str
                  kind:
                    description:
                      - Kind is kind of the referent. For example "HTTPRoute" or "Service".
                    type: str
                  name:
                    description:
                      - Name is the name of the referent.
                    type: str
              request_header_modifier:
                description:
                  - RequestHeaderModifier defines a schema for a filter that modifies request headers.
                type: dict
                aliases:
                  - requestHeaderModifier
                suboptions:
                  add:
                    description:
                      - Add adds the given header(s) (name, value) to the request before the action. It appends to any
                        existing values associated with the header name.
                      - 'Compared as a set (the CRD''s list type is C(map)): a reordering is no change.'
                    type: list
                    elements: dict
                    suboptions:
                      name:
                        description:
                          - Name is the name of the HTTP Header to be matched. Name matching MUST be case-insensitive.
                        type: str
                        required: true
                      value:
                        description:
                          - Value is the value of HTTP Header to be matched.
                        type: str
                        required: true
                  remove:
                    description:
                      - Remove the given header(s) from the HTTP request before the action. The value of Remove is a
                        list of HTTP header names.
                      - 'Compared as a set (the CRD''s list type is C(set)): a reordering is no change.'
                    type: list
                    elements: str
                  set:
                    description:
                      - Set overwrites the request with the given header (name, value) before the action.
                      - 'Compared as a set (the CRD''s list type is C(map)): a reordering is no change.'
                    type: list
                    elements: dict
                    suboptions:
                      name:
                        description:
                          - Name is the name of the HTTP Header to be matched. Name matching MUST be case-insensitive.
                        type: str
                        required: true
                      value:
                        description:
                          - Value is the value of HTTP Header to be matched.
                        type: str
                        required: true
              request_mirror:
                description:
                  - RequestMirror defines a schema for a filter that mirrors requests. Requests are sent to the specified
                    destination, but responses from that destination are ignored.
                type: dict
                aliases:
                  - requestMirror
                suboptions:
                  backend_ref:
                    description:
                      - BackendRef references a resource where mirrored requests are sent.
                    type: dict
                    aliases:
                      - backendRef
                    suboptions:
                      group:
                        description:
                          - Group is the group of the referent. For example, "gateway.networking.k8s.io".
                        type: str
                        default: ''
                      kind:
                        description:
                          - Kind is the Kubernetes resource kind of the referent. For example "Service".
                        type: str
                        default: Service
                      name:
                        description:
                          - Name is the name of the referent.
                        type: str
                        required: true
                      namespace:
                        description:
                          - Namespace is the namespace of the backend. When unspecified, the local namespace is inferred.
                        type: str
                      port:
                        description:
                          - Port specifies the destination port number to use for this resource. Port is required when
                            the referent is a Kubernetes Service.
                        type: int
                  fraction:
                    description:
                      - Fraction represents the fraction of requests that should be mirrored to BackendRef.
                    type: dict
                    suboptions:
                      denominator:
                        description:
                          - The C(denominator) field.
                        type: int
                        default: 100
                      numerator:
                        description:
                          - The C(numerator) field.
                        type: int
                  percent:
                    description:
                      - Percent represents the percentage of requests that should be mirrored to BackendRef. Its minimum
                        value is 0 (indicating 0% of requests) and its maximum value is 100 (indicating 100% of requests).
                    type: int
              request_redirect:
                description:
                  - RequestRedirect defines a schema for a filter that responds to the request with an HTTP redirection.
                type: dict
                aliases:
                  - requestRedirect
                suboptions:
                  hostname:
                    description:
                      - Hostname is the hostname to be used in the value of the `Location` header in the response. When
                        empty, the hostname in the `Host` header of the request is used.
                    type: str
                  path:
                    description:
                      - Path defines parameters used to modify the path of the incoming request. The modified path is
                        then used to construct the `Location` header.
                    type: dict
                    suboptions:
                      replace_full_path:
                        description:
                          - ReplaceFullPath specifies the value with which to replace the full path of a request during
                            a rewrite or redirect.
                        type: str
                        aliases:
                          - replaceFullPath
                      replace_prefix_match:
                        description:
                          - ReplacePrefixMatch specifies the value with which to replace the prefix match of a request
                            during a rewrite or redirect. For example, a request to "/foo/bar" with a prefix match of
                            "/foo" and a ReplacePrefixMatch of "/xyz" would be modified to "/xyz/bar".
                        type: str
                        aliases:
                          - replacePrefixMatch
                      type:
                        description:
                          - Type defines the type of path modifier. Additional types may be added in a future release
                            of the API.
                        type: str
                        choices:
                          - ReplaceFullPath
                          - ReplacePrefixMatch
                        required: true
                  port:
                    description:
                      - Port is the port to be used in the value of the `Location` header in the response.
                    type: int
                  scheme:
                    description:
                      - Scheme is the scheme to be used in the value of the `Location` header in the response. When empty,
                        the scheme of the request is used.
                    type: str
                    choices:
                      - http
                      - https
                  status_code:
                    description:
                      - StatusCode is the HTTP status code to be used in response.
                    type: int
                    choices:
                      - 301
                      - 302
                      - 303
                      - 307
                      - 308
                    default: 302
                    aliases:
                      - statusCode
              response_header_modifier:
                description:
                  - ResponseHeaderModifier defines a schema for a filter that modifies response headers.
                type: dict
                aliases:
                  - responseHeaderModifier
                suboptions:
                  add:
                    description:
                      - Add adds the given header(s) (name, value) to the request before the action. It appends to any
                        existing values associated with the header name.
                      - 'Compared as a set (the CRD''s list type is C(map)): a reordering is no change.'
                    type: list
                    elements: dict
                    suboptions:
                      name:
                        description:
                          - Name is the name of the HTTP Header to be matched. Name matching MUST be case-insensitive.
                        type: str
                        required: true
                      value:
                        description:
                          - Value is the value of HTTP Header to be matched.
                        type: str
                        required: true
                  remove:
                    description:
                      - Remove the given header(s) from the HTTP request before the action. The value of Remove is a
                        list of HTTP header names.
                      - 'Compared as a set (the CRD''s list type is C(set)): a reordering is no change.'
                    type: list
                    elements: str
                  set:
                    description:
                      - Set overwrites the request with the given header (name, value) before the action.
                      - 'Compared as a set (the CRD''s list type is C(map)): a reordering is no change.'
                    type: list
                    elements: dict
                    suboptions:
                      name:
                        description:
                          - Name is the name of the HTTP Header to be matched. Name matching MUST be case-insensitive.
                        type: str
                        required: true
                      value:
                        description:
                          - Value is the value of HTTP Header to be matched.
                        type: str
                        required: true
              type:
                description:
                  - 'Type identifies the type of filter to apply. As with other API fields, types are classified into
                    three conformance levels:'
                type: str
                choices:
                  - RequestHeaderModifier
                  - ResponseHeaderModifier
                  - RequestMirror
                  - RequestRedirect
                  - URLRewrite
                  - ExtensionRef
                  - CORS
                required: true
              url_rewrite:
                description:
                  - URLRewrite defines a schema for a filter that modifies a request during forwarding.
                type: dict
                aliases:
                  - urlRewrite
                suboptions:
                  hostname:
                    description:
                      - Hostname is the value to be used to replace the Host header value during forwarding.
                    type: str
                  path:
                    description:
                      - Path defines a path rewrite.
                    type: dict
                    suboptions:
                      replace_full_path:
                        description:
                          - ReplaceFullPath specifies the value with which to replace the full path of a request during
                            a rewrite or redirect.
                        type: str
                        aliases:
                          - replaceFullPath
                      replace_prefix_match:
                        description:
                          - ReplacePrefixMatch specifies the value with which to replace the prefix match of a request
                            during a rewrite or redirect. For example, a request to "/foo/bar" with a prefix match of
                            "/foo" and a ReplacePrefixMatch of "/xyz" would be modified to "/xyz/bar".
                        type: str
                        aliases:
                          - replacePrefixMatch
                      type:
                        description:
                          - Type defines the type of path modifier. Additional types may be added in a future release
                            of the API.
                        type: str
                        choices:
                          - ReplaceFullPath
                          - ReplacePrefixMatch
                        required: true
      filters:
        description:
          - Filters define the filters that are applied to requests that match this rule.
        type: list
        elements: dict
        suboptions:
          cors:
            description:
              - CORS defines a schema for a filter that responds to the cross-origin request based on HTTP response header.
            type: dict
            suboptions:
              allow_credentials:
                description:
                  - AllowCredentials indicates whether the actual cross-origin request allows to include credentials.
                type: bool
                aliases:
                  - allowCredentials
              allow_headers:
                description:
                  - AllowHeaders indicates which HTTP request headers are supported for accessing the requested resource.
                  - 'Compared as a set (the CRD''s list type is C(set)): a reordering is no change.'
                type: list
                elements: str
                aliases:
                  - allowHeaders
              allow_methods:
                description:
                  - AllowMethods indicates which HTTP methods are supported for accessing the requested resource.
                  - 'Compared as a set (the CRD''s list type is C(set)): a reordering is no change.'
                type: list
                elements: str
                aliases:
                  - allowMethods
              allow_origins:
                description:
                  - AllowOrigins indicates whether the response can be shared with requested resource from the given
                    `Origin`.
                  - 'Compared as a set (the CRD''s list type is C(set)): a reordering is no change.'
                type: list
                elements: str
                aliases:
                  - allowOrigins
              expose_headers:
                description:
                  - ExposeHeaders indicates which HTTP response headers can be exposed to client-side scripts in response
                    to a cross-origin request.
                  - 'Compared as a set (the CRD''s list type is C(set)): a reordering is no change.'
                type: list
                elements: str
                aliases:
                  - exposeHeaders
              max_age:
                description:
                  - MaxAge indicates the duration (in seconds) for the client to cache the results of a "preflight" request.
                type: int
                default: 5
                aliases:
                  - maxAge
          extension_ref:
            description:
              - ExtensionRef is an optional, implementation-specific extension to the "filter" behavior. For example,
                resource "myroutefilter" in group "networking.example.net").
            type: dict
            aliases:
              - extensionRef
            suboptions:
              group:
                description:
                  - Group is the group of the referent. For example, "gateway.networking.k8s.io".
                type: str
              kind:
                description:
                  - Kind is kind of the referent. For example "HTTPRoute" or "Service".
                type: str
              name:
                description:
                  - Name is the name of the referent.
                type: str
          request_header_modifier:
            description:
              - RequestHeaderModifier defines a schema for a filter that modifies request headers.
            type: dict
            aliases:
              - requestHeaderModifier
            suboptions:
              add:
                description:
                  - Add adds the given header(s) (name, value) to the request before the action. It appends to any existing
                    values associated with the header name.
                  - 'Compared as a set (the CRD''s list type is C(map)): a reordering is no change.'
                type: list
                elements: dict
                suboptions:
                  name:
                    description:
                      - Name is the name of the HTTP Header to be matched. Name matching MUST be case-insensitive.
                    type: str
                    required: true
                  value:
                    description:
                      - Value is the value of HTTP Header to be matched.
                    type: str
                    required: true
              remove:
                description:
                  - Remove the given header(s) from the HTTP request before the action. The value of Remove is a list
                    of HTTP header names.
                  - 'Compared as a set (the CRD''s list type is C(set)): a reordering is no change.'
                type: list
                elements: str
              set:
                description:
                  - Set overwrites the request with the given header (name, value) before the action.
                  - 'Compared as a set (the CRD''s list type is C(map)): a reordering is no change.'
                type: list
                elements: dict
                suboptions:
                  name:
                    description:
                      - Name is the name of the HTTP Header to be matched. Name matching MUST be case-insensitive.
                    type: str
                    required: true
                  value:
                    description:
                      - Value is the value of HTTP Header to be matched.
                    type: str
                    required: true
          request_mirror:
            description:
              - RequestMirror defines a schema for a filter that mirrors requests. Requests are sent to the specified
                destination, but responses from that destination are ignored.
            type: dict
            aliases:
              - requestMirror
            suboptions:
              backend_ref:
                description:
                  - BackendRef references a resource where mirrored requests are sent.
                type: dict
                aliases:
                  - backendRef
                suboptions:
                  group:
                    description:
                      - Group is the group of the referent. For example, "gateway.networking.k8s.io".
                    type: str
                    default: ''
                  kind:
                    description:
                      - Kind is the Kubernetes resource kind of the referent. For example "Service".
                    type: str
                    default: Service
                  name:
                    description:
                      - Name is the name of the referent.
                    type: str
                    required: true
                  namespace:
                    description:
                      - Namespace is the namespace of the backend. When unspecified, the local namespace is inferred.
                    type: str
                  port:
                    description:
                      - Port specifies the destination port number to use for this resource. Port is required when the
                        referent is a Kubernetes Service.
                    type: int
              fraction:
                description:
                  - Fraction represents the fraction of requests that should be mirrored to BackendRef.
                type: dict
                suboptions:
                  denominator:
                    description:
                      - The C(denominator) field.
                    type: int
                    default: 100
                  numerator:
                    description:
                      - The C(numerator) field.
                    type: int
              percent:
                description:
                  - Percent represents the percentage of requests that should be mirrored to BackendRef. Its minimum
                    value is 0 (indicating 0% of requests) and its maximum value is 100 (indicating 100% of requests).
                type: int
          request_redirect:
            description:
              - RequestRedirect defines a schema for a filter that responds to the request with an HTTP redirection.
            type: dict
            aliases:
              - requestRedirect
            suboptions:
              hostname:
                description:
                  - Hostname is the hostname to be used in the value of the `Location` header in the response. When empty,
                    the hostname in the `Host` header of the request is used.
                type: str
              path:
                description:
                  - Path defines parameters used to modify the path of the incoming request. The modified path is then
                    used to construct the `Location` header.
                type: dict
                suboptions:
                  replace_full_path:
                    description:
                      - ReplaceFullPath specifies the value with which to replace the full path of a request during a
                        rewrite or redirect.
                    type: str
                    aliases:
                      - replaceFullPath
                  replace_prefix_match:
                    description:
                      - ReplacePrefixMatch specifies the value with which to replace the prefix match of a request during
                        a rewrite or redirect. For example, a request to "/foo/bar" with a prefix match of "/foo" and
                        a ReplacePrefixMatch of "/xyz" would be modified to "/xyz/bar".
                    type: str
                    aliases:
                      - replacePrefixMatch
                  type:
                    description:
                      - Type defines the type of path modifier. Additional types may be added in a future release of
                        the API.
                    type: str
                    choices:
                      - ReplaceFullPath
                      - ReplacePrefixMatch
                    required: true
              port:
                description:
                  - Port is the port to be used in the value of the `Location` header in the response.
                type: int
              scheme:
                description:
                  - Scheme is the scheme to be used in the value of the `Location` header in the response. When empty,
                    the scheme of the request is used.
                type: str
                choices:
                  - http
                  - https
              status_code:
                description:
                  - StatusCode is the HTTP status code to be used in response.
                type: int
                choices:
                  - 301
                  - 302
                  - 303
                  - 307
                  - 308
                default: 302
                aliases:
                  - statusCode
          response_header_modifier:
            description:
              - ResponseHeaderModifier defines a schema for a filter that modifies response headers.
            type: dict
            aliases:
              - responseHeaderModifier
            suboptions:
              add:
                description:
                  - Add adds the given header(s) (name, value) to the request before the action. It appends to any existing
                    values associated with the header name.
                  - 'Compared as a set (the CRD''s list type is C(map)): a reordering is no change.'
                type: list
                elements: dict
                suboptions:
                  name:
                    description:
                      - Name is the name of the HTTP Header to be matched. Name matching MUST be case-insensitive.
                    type: str
                    required: true
                  value:
                    description:
                      - Value is the value of HTTP Header to be matched.
                    type: str
                    required: true
              remove:
                description:
                  - Remove the given header(s) from the HTTP request before the action. The value of Remove is a list
                    of HTTP header names.
                  - 'Compared as a set (the CRD''s list type is C(set)): a reordering is no change.'
                type: list
                elements: str
              set:
                description:
                  - Set overwrites the request with the given header (name, value) before the action.
                  - 'Compared as a set (the CRD''s list type is C(map)): a reordering is no change.'
                type: list
                elements: dict
                suboptions:
                  name:
                    description:
                      - Name is the name of the HTTP Header to be matched. Name matching MUST be case-insensitive.
                    type: str
                    required: true
                  value:
                    description:
                      - Value is the value of HTTP Header to be matched.
                    type: str
                    required: true
          type:
            description:
              - 'Type identifies the type of filter to apply. As with other API fields, types are classified into three
                conformance levels:'
            type: str
            choices:
              - RequestHeaderModifier
              - ResponseHeaderModifier
              - RequestMirror
              - RequestRedirect
              - URLRewrite
              - ExtensionRef
              - CORS
            required: true
          url_rewrite:
            description:
              - URLRewrite defines a schema for a filter that modifies a request during forwarding.
            type: dict
            aliases:
              - urlRewrite
            suboptions:
              hostname:
                description:
                  - Hostname is the value to be used to replace the Host header value during forwarding.
                type: str
              path:
                description:
                  - Path defines a path rewrite.
                type: dict
                suboptions:
                  replace_full_path:
                    description:
                      - ReplaceFullPath specifies the value with which to replace the full path of a request during a
                        rewrite or redirect.
                    type: str
                    aliases:
                      - replaceFullPath
                  replace_prefix_match:
                    description:
                      - ReplacePrefixMatch specifies the value with which to replace the prefix match of a request during
                        a rewrite or redirect. For example, a request to "/foo/bar" with a prefix match of "/foo" and
                        a ReplacePrefixMatch of "/xyz" would be modified to "/xyz/bar".
                    type: str
                    aliases:
                      - replacePrefixMatch
                  type:
                    description:
                      - Type defines the type of path modifier. Additional types may be added in a future release of
                        the API.
                    type: str
                    choices:
                      - ReplaceFullPath
                      - ReplacePrefixMatch
                    required: true
      matches:
        description:
          - Matches define conditions used for matching the rule against incoming HTTP requests. Each match is independent,
            i.e.
        type: list
        elements: dict
        default:
          - path:
              type: PathPrefix
              value: /
        suboptions:
          headers:
            description:
              - Headers specifies HTTP request header matchers. Multiple match values are ANDed together, meaning, a
                request must match all the specified headers to select the route.
              - 'Compared as a set (the CRD''s list type is C(map)): a reordering is no change.'
            type: list
            elements: dict
            suboptions:
              name:
                description:
                  - Name is the name of the HTTP Header to be matched. Name matching MUST be case-insensitive.
                type: str
                required: true
              type:
                description:
                  - Type specifies how to match against the value of the header.
                type: str
                choices:
                  - Exact
                  - RegularExpression
                default: Exact
              value:
                description:
                  - Value is the value of HTTP Header to be matched.
                type: str
                required: true
          method:
            description:
              - Method specifies HTTP method matcher. When specified, this route will be matched only if the request
                has the specified method.
              - One of V(GET), V(HEAD), V(POST), V(PUT), V(DELETE), V(CONNECT), V(OPTIONS), V(TRACE), V(PATCH),
                checked before any request (not an Ansible choice, so that several rules may share the default
                C(matches)).
            type: str
          path:
            description:
              - Path specifies a HTTP request path matcher. If this field is not specified, a default prefix match on
                the "/" path is provided.
            type: dict
            default:
              type: PathPrefix
              value: /
            suboptions:
              type:
                description:
                  - Type specifies how to match against the path Value.
                type: str
                choices:
                  - Exact
                  - PathPrefix
                  - RegularExpression
                default: PathPrefix
              value:
                description:
                  - Value of the HTTP path to match against.
                type: str
                default: /
          query_params:
            description:
              - QueryParams specifies HTTP query parameter matchers. Multiple match values are ANDed together, meaning,
                a request must match all the specified query parameters to select the route.
              - 'Compared as a set (the CRD''s list type is C(map)): a reordering is no change.'
            type: list
            elements: dict
            aliases:
              - queryParams
            suboptions:
              name:
                description:
                  - Name is the name of the HTTP query param to be matched. This must be an exact string match.
                type: str
                required: true
              type:
                description:
                  - Type specifies how to match against the value of the query parameter.
                type: str
                choices:
                  - Exact
                  - RegularExpression
                default: Exact
              value:
                description:
                  - Value is the value of HTTP query param to be matched.
                type: str
                required: true
      name:
        description:
          - Name is the name of the route rule. This name MUST be unique within a Route if it is set.
        type: str
      timeouts:
        description:
          - Timeouts defines the timeouts that can be configured for an HTTP request.
        type: dict
        suboptions:
          backend_request:
            description:
              - BackendRequest specifies a timeout for an individual request from the gateway to a backend. This covers
                the time from when the request first starts being sent from the gateway to when the full response has
                been received from the backend.
            type: str
            aliases:
              - backendRequest
          request:
            description:
              - Request specifies the maximum duration for a gateway to respond to an HTTP request. If the gateway has
                not been able to respond before this deadline is met, the gateway MUST return a timeout error.
            type: str
"""

EXAMPLES = r"""
- name: Route shop.example.com through the web Gateway, 10% to the canary
  meshsmith.istio.http_route:
    name: shop
    namespace: shop
    parent_refs:
      - name: web
        namespace: istio-ingress
        section_name: http
    hostnames: [shop.example.com]
    rules:
      - matches:
          - path: {type: PathPrefix, value: /api}
            headers:
              - {name: x-canary, value: "true"}
        backend_refs:
          - {name: shop-canary, port: 8080}
      - backend_refs:
          - {name: shop, port: 8080, weight: 90}
          - {name: shop-canary, port: 8080, weight: 10}
        timeouts:
          request: 10s

- name: Redirect HTTP to HTTPS, the manifest pasted as it is
  meshsmith.istio.http_route:
    definition: "{{ lookup('ansible.builtin.file', 'redirect-route.yaml') }}"

- name: Remove the route
  meshsmith.istio.http_route:
    name: shop
    namespace: shop
    state: absent
"""

RETURN = r"""
changed:
  description: Whether the resource was (or in check mode would be) created, updated or deleted.
  returned: always
  type: bool
method:
  description: What was done (in check mode, what would be done).
  returned: always
  type: str
  choices: [created, updated, deleted, unchanged]
  sample: created
result:
  description:
    - The HTTPRoute as stored in the cluster (the CRD's defaults filled in); in check mode, the API server's answer to the
      dry run.
    - Empty after O(state=absent).
  returned: always
  type: dict
  sample:
    apiVersion: gateway.networking.k8s.io/v1
    kind: HTTPRoute
    metadata:
      name: web
      namespace: istio-ingress
      resourceVersion: "1234"
errors:
  description:
    - When the spec is invalid, every setting the API server would refuse, each with its option path; the task's
      C(msg) lists them too, and C(option) is the first one's path.
  returned: on a validation failure
  type: list
  elements: dict
  sample: [{option: "rules[0].matches[0].path.value", msg: "must be an absolute path and start with '/' ..."}]
diff:
  description: The resource's name, namespace, labels, annotations and spec before and after.
  returned: when diff mode is on
  type: dict
  contains:
    before:
      description: The resource before the task; empty when it did not exist.
      type: dict
      returned: always
    after:
      description: The resource after the task; empty when it was deleted.
      type: dict
      returned: always
"""

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.resource import run_resource_module
from ansible_collections.meshsmith.istio.plugins.module_utils.gateway_api.descriptors import HTTP_ROUTE


def main() -> None:
    run_resource_module(HTTP_ROUTE)


if __name__ == "__main__":
    main()
