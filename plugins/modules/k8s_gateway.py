#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: k8s_gateway
short_description: Manage a Kubernetes Gateway API Gateway
version_added: 0.4.0
description:
  - Creates, updates or deletes a Kubernetes Gateway API C(Gateway) (C(gateway.networking.k8s.io/v1)), the
    listeners (ports, protocols, hostnames, TLS) a gateway of a C(GatewayClass) (C(istio) for Istio) serves.
  - The Istio C(Gateway) (C(networking.istio.io)) is managed by M(meshsmith.istio.gateway).
  - O(listeners) is a map keyed by the listener name in the API - compared as a set; O(addresses) and the
    certificate and route-kind lists are ordered.
  - Idempotent - a run that changes nothing sends a single GET (a O(listeners_mode=merge) removal may also list the
    HTTPRoutes, see O(listeners_mode)); a create or an update is one GET and one write (an update carries the read
    C(resourceVersion)) - with truthful check mode (a dry-run write) and diff.
  - With O(listeners_mode=merge) several applications share one Gateway, each task adding or removing only its own
    listeners; see O(listeners_mode).
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
  - module: meshsmith.istio.k8s_gateway_info
  - module: meshsmith.istio.http_route
  - module: meshsmith.istio.gateway
options:
  api_version:
    description:
      - API version to read and write the resource with; the Gateway API's standard channel serves V(gateway.networking.k8s.io/v1).
    type: str
    choices: [gateway.networking.k8s.io/v1]
    default: gateway.networking.k8s.io/v1
  addresses:
    description:
      - Addresses requested for this Gateway. This is optional and behavior can depend on the implementation.
    type: list
    elements: dict
    suboptions:
      type:
        description:
          - Type of the address.
        type: str
        default: IPAddress
      value:
        description:
          - When a value is unspecified, an implementation SHOULD automatically assign an address matching the requested
            type if possible.
        type: str
  allowed_listeners:
    description:
      - AllowedListeners defines which ListenerSets can be attached to this Gateway. The default value is to allow no
        ListenerSets.
    type: dict
    aliases:
      - allowedListeners
    suboptions:
      namespaces:
        description:
          - Namespaces defines which namespaces ListenerSets can be attached to this Gateway. The default value is to
            allow no ListenerSets.
        type: dict
        default:
          from: None
        suboptions:
          from:
            description:
              - 'From indicates where ListenerSets can attach to this Gateway. Possible values are:'
            type: str
            choices:
              - All
              - Selector
              - Same
              - None
            default: None
          selector:
            description:
              - Selector must be specified when From is set to "Selector". In that case, only ListenerSets in Namespaces
                matching this Selector will be selected by this Gateway.
            type: dict
            suboptions:
              match_expressions:
                description:
                  - matchExpressions is a list of label selector requirements. The requirements are ANDed.
                type: list
                elements: dict
                aliases:
                  - matchExpressions
                suboptions:
                  key:
                    description:
                      - key is the label key that the selector applies to.
                    type: str
                    required: true
                  operator:
                    description:
                      - operator represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists
                        and DoesNotExist.
                    type: str
                    required: true
                  values:
                    description:
                      - values is an array of string values. If the operator is In or NotIn, the values array must be
                        non-empty.
                    type: list
                    elements: str
              match_labels:
                description:
                  - matchLabels is a map of {key,value} pairs. A single {key,value} in the matchLabels map is equivalent
                    to an element of matchExpressions, whose key field is "key", the operator is "In", and the values
                    array contains only "value".
                type: dict
                aliases:
                  - matchLabels
  gateway_class_name:
    description:
      - GatewayClassName used for this Gateway. This is the name of a GatewayClass resource.
    type: str
    aliases:
      - gatewayClassName
  infrastructure:
    description:
      - Infrastructure defines infrastructure level attributes about this Gateway instance.
    type: dict
    suboptions:
      annotations:
        description:
          - Annotations that SHOULD be applied to any resources created in response to this Gateway.
        type: dict
      labels:
        description:
          - Labels that SHOULD be applied to any resources created in response to this Gateway.
        type: dict
      parameters_ref:
        description:
          - ParametersRef is a reference to a resource that contains the configuration parameters corresponding to the
            Gateway. This is optional if the controller does not require any additional configuration.
        type: dict
        aliases:
          - parametersRef
        suboptions:
          group:
            description:
              - Group is the group of the referent.
            type: str
          kind:
            description:
              - Kind is kind of the referent.
            type: str
          name:
            description:
              - Name is the name of the referent.
            type: str
  listeners:
    description:
      - Listeners associated with this Gateway. Listeners define logical endpoints that are bound on this Gateway's addresses.
      - 'Compared as a set (the CRD''s list type is C(map)): a reordering is no change.'
      - With O(listeners_mode=merge) the listeners to add or, with O(state=absent), to remove (by C(name)).
    type: list
    elements: dict
    suboptions:
      allowed_routes:
        description:
          - AllowedRoutes defines the types of routes that MAY be attached to a Listener and the trusted namespaces where
            those Route resources MAY be present.
        type: dict
        default:
          namespaces:
            from: Same
        aliases:
          - allowedRoutes
        suboptions:
          kinds:
            description:
              - Kinds specifies the groups and kinds of Routes that are allowed to bind to this Gateway Listener. When
                unspecified or empty, the kinds of Routes selected are determined using the Listener protocol.
            type: list
            elements: dict
            suboptions:
              group:
                description:
                  - Group is the group of the Route.
                type: str
                default: gateway.networking.k8s.io
              kind:
                description:
                  - Kind is the kind of the Route.
                type: str
                required: true
          namespaces:
            description:
              - Namespaces indicates namespaces from which Routes may be attached to this Listener. This is restricted
                to the namespace of this Gateway by default.
            type: dict
            default:
              from: Same
            suboptions:
              from:
                description:
                  - 'From indicates where Routes will be selected for this Gateway. Possible values are:'
                type: str
                choices:
                  - All
                  - Selector
                  - Same
                default: Same
              selector:
                description:
                  - Selector must be specified when From is set to "Selector". In that case, only Routes in Namespaces
                    matching this Selector will be selected by this Gateway.
                type: dict
                suboptions:
                  match_expressions:
                    description:
                      - matchExpressions is a list of label selector requirements. The requirements are ANDed.
                    type: list
                    elements: dict
                    aliases:
                      - matchExpressions
                    suboptions:
                      key:
                        description:
                          - key is the label key that the selector applies to.
                        type: str
                        required: true
                      operator:
                        description:
                          - operator represents a key's relationship to a set of values. Valid operators are In, NotIn,
                            Exists and DoesNotExist.
                        type: str
                        required: true
                      values:
                        description:
                          - values is an array of string values. If the operator is In or NotIn, the values array must
                            be non-empty.
                        type: list
                        elements: str
                  match_labels:
                    description:
                      - matchLabels is a map of {key,value} pairs. A single {key,value} in the matchLabels map is equivalent
                        to an element of matchExpressions, whose key field is "key", the operator is "In", and the values
                        array contains only "value".
                    type: dict
                    aliases:
                      - matchLabels
      hostname:
        description:
          - Hostname specifies the virtual hostname to match for protocol types that define this concept. When unspecified,
            all hostnames are matched.
        type: str
      name:
        description:
          - Name is the name of the Listener. This name MUST be unique within a Gateway.
        type: str
        required: true
      port:
        description:
          - Port is the network port. Multiple listeners may use the same port, subject to the Listener compatibility
            rules.
        type: int
        required: true
      protocol:
        description:
          - Protocol specifies the network protocol this listener expects to receive.
        type: str
        required: true
      tls:
        description:
          - TLS is the TLS configuration for the Listener. This field is required if the Protocol field is "HTTPS" or
            "TLS".
        type: dict
        suboptions:
          certificate_refs:
            description:
              - CertificateRefs contains a series of references to Kubernetes objects that contains TLS certificates
                and private keys. These certificates are used to establish a TLS handshake for requests that match the
                hostname of the associated listener.
            type: list
            elements: dict
            aliases:
              - certificateRefs
            suboptions:
              group:
                description:
                  - Group is the group of the referent. For example, "gateway.networking.k8s.io".
                type: str
                default: ''
              kind:
                description:
                  - Kind is kind of the referent. For example "Secret".
                type: str
                default: Secret
              name:
                description:
                  - Name is the name of the referent.
                type: str
                required: true
              namespace:
                description:
                  - Namespace is the namespace of the referenced object. When unspecified, the local namespace is inferred.
                type: str
          mode:
            description:
              - 'Mode defines the TLS behavior for the TLS session initiated by the client. There are two possible modes:'
            type: str
            choices:
              - Terminate
              - Passthrough
            default: Terminate
          options:
            description:
              - Options are a list of key/value pairs to enable extended TLS configuration for each implementation. For
                example, configuring the minimum TLS version or supported cipher suites.
            type: dict
  listeners_mode:
    description:
      - How O(listeners) combine with the listeners of an existing Gateway.
      - V(replace) - the task declares the whole spec; listeners not listed are removed, and O(state=absent) deletes
        the Gateway. Use it for a Gateway one task owns, or to adopt one made with C(kubectl).
      - V(merge) - for a Gateway shared by several applications. A listener is identified by its C(name) (the CRD's
        list map key). Listeners the Gateway lacks are appended, every other listener is kept as it is. A live
        listener of the same name must have the same C(port), C(protocol), C(hostname), C(tls) and
        C(allowed_routes) (CRD defaults filled in), else the task fails naming it rather than change another
        application's listener. The other settings the task sets (O(gateway_class_name), O(addresses),
        O(infrastructure)...) must equal the live ones, else the task fails; those it does not set are kept. They
        are all set when the task creates the Gateway, which then carries the label
        C(app.kubernetes.io/managed-by=meshsmith.istio) and keeps it in later merges (a Gateway created otherwise
        never gets it). O(purge_labels) and O(purge_annotations) are refused, since they would remove the labels
        and annotations of the other applications.
      - With O(state=absent) and V(merge), the task's listeners (by C(name), with the same settings) are removed,
        except those an HTTPRoute of any namespace still attaches to (a parentRef naming the listener by
        C(sectionName) or C(port), or naming no listener, which attaches to all), which are kept with a warning; the
        HTTPRoutes are read with one cluster-wide LIST, only when the Gateway has one of the task's listeners. The
        Gateway is deleted only when it carries the label above and no listener and no HTTPRoute parentRef is left
        on it; otherwise it keeps its other listeners (and its last one, since a Gateway needs one).
    type: str
    choices: [replace, merge]
    default: replace
  tls:
    description:
      - TLS specifies frontend and backend tls configuration for entire gateway.
    type: dict
    suboptions:
      backend:
        description:
          - Backend describes TLS configuration for gateway when connecting to backends.
        type: dict
        suboptions:
          client_certificate_ref:
            description:
              - ClientCertificateRef references an object that contains a client certificate and its associated private
                key. It can reference standard Kubernetes resources, i.e., Secret, or implementation-specific custom
                resources.
            type: dict
            aliases:
              - clientCertificateRef
            suboptions:
              group:
                description:
                  - Group is the group of the referent. For example, "gateway.networking.k8s.io".
                type: str
                default: ''
              kind:
                description:
                  - Kind is kind of the referent. For example "Secret".
                type: str
                default: Secret
              name:
                description:
                  - Name is the name of the referent.
                type: str
                required: true
              namespace:
                description:
                  - Namespace is the namespace of the referenced object. When unspecified, the local namespace is inferred.
                type: str
      frontend:
        description:
          - 'Frontend describes TLS config when client connects to Gateway. Support: Core'
        type: dict
        suboptions:
          default:
            description:
              - Default specifies the default client certificate validation configuration for all Listeners handling
                HTTPS traffic, unless a per-port configuration is defined.
            type: dict
            suboptions:
              validation:
                description:
                  - Validation holds configuration information for validating the frontend (client). Setting this field
                    will result in mutual authentication when connecting to the gateway.
                type: dict
                suboptions:
                  ca_certificate_refs:
                    description:
                      - CACertificateRefs contains one or more references to Kubernetes objects that contain a PEM-encoded
                        TLS CA certificate bundle, which is used as a trust anchor to validate the certificates presented
                        by the client.
                    type: list
                    elements: dict
                    aliases:
                      - caCertificateRefs
                    suboptions:
                      group:
                        description:
                          - Group is the group of the referent. For example, "gateway.networking.k8s.io".
                        type: str
                      kind:
                        description:
                          - Kind is kind of the referent. For example "ConfigMap" or "Service".
                        type: str
                      name:
                        description:
                          - Name is the name of the referent.
                        type: str
                      namespace:
                        description:
                          - Namespace is the namespace of the referenced object. When unspecified, the local namespace
                            is inferred.
                        type: str
                  mode:
                    description:
                      - 'FrontendValidationMode defines the mode for validating the client certificate. There are two
                        possible modes:'
                    type: str
                    choices:
                      - AllowValidOnly
                      - AllowInsecureFallback
                    default: AllowValidOnly
          per_port:
            description:
              - PerPort specifies tls configuration assigned per port. Per port configuration is optional.
              - 'Compared as a set (the CRD''s list type is C(map)): a reordering is no change.'
            type: list
            elements: dict
            aliases:
              - perPort
            suboptions:
              port:
                description:
                  - The Port indicates the Port Number to which the TLS configuration will be applied. This configuration
                    will be applied to all Listeners handling HTTPS traffic that match this port.
                type: int
                required: true
              tls:
                description:
                  - TLS store the configuration that will be applied to all Listeners handling HTTPS traffic and matching
                    given port.
                type: dict
                suboptions:
                  validation:
                    description:
                      - Validation holds configuration information for validating the frontend (client). Setting this
                        field will result in mutual authentication when connecting to the gateway.
                    type: dict
                    suboptions:
                      ca_certificate_refs:
                        description:
                          - CACertificateRefs contains one or more references to Kubernetes objects that contain a PEM-encoded
                            TLS CA certificate bundle, which is used as a trust anchor to validate the certificates presented
                            by the client.
                        type: list
                        elements: dict
                        aliases:
                          - caCertificateRefs
                        suboptions:
                          group:
                            description:
                              - Group is the group of the referent. For example, "gateway.networking.k8s.io".
                            type: str
                          kind:
                            description:
                              - Kind is kind of the referent. For example "ConfigMap" or "Service".
                            type: str
                          name:
                            description:
                              - Name is the name of the referent.
                            type: str
                          namespace:
                            description:
                              - Namespace is the namespace of the referenced object. When unspecified, the local namespace
                                is inferred.
                            type: str
                      mode:
                        description:
                          - 'FrontendValidationMode defines the mode for validating the client certificate. There are
                            two possible modes:'
                        type: str
                        choices:
                          - AllowValidOnly
                          - AllowInsecureFallback
                        default: AllowValidOnly
"""

EXAMPLES = r"""
- name: An Istio-programmed Gateway with HTTP for the shop's routes and HTTPS for its host
  meshsmith.istio.k8s_gateway:
    name: web
    namespace: istio-ingress
    gateway_class_name: istio
    listeners:
      - name: http
        port: 80
        protocol: HTTP
        allowed_routes:
          namespaces:
            from: All
      - name: https
        hostname: shop.example.com
        port: 443
        protocol: HTTPS
        tls:
          certificate_refs:
            - name: shop-example-com

- name: The same Gateway pasted as a manifest
  meshsmith.istio.k8s_gateway:
    definition:
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: web
        namespace: istio-ingress
      spec:
        gatewayClassName: istio
        listeners:
          - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}

- name: Remove it
  meshsmith.istio.k8s_gateway:
    name: web
    namespace: istio-ingress
    state: absent

- name: Add app A's listener to a Gateway other teams share (created, with the ownership label, when absent)
  meshsmith.istio.k8s_gateway:
    name: shared
    namespace: istio-ingress
    listeners_mode: merge
    gateway_class_name: istio
    listeners:
      - name: app-a
        hostname: a.example.com
        port: 80
        protocol: HTTP

- name: Take app A's listener off the shared Gateway (deleted once unused, if the collection created it)
  meshsmith.istio.k8s_gateway:
    name: shared
    namespace: istio-ingress
    listeners_mode: merge
    state: absent
    listeners:
      - name: app-a
        hostname: a.example.com
        port: 80
        protocol: HTTP
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
    - The Gateway as stored in the cluster (the CRD's defaults filled in); in check mode, the API server's answer to the
      dry run.
    - Empty after O(state=absent).
  returned: always
  type: dict
  sample:
    apiVersion: gateway.networking.k8s.io/v1
    kind: Gateway
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
from ansible_collections.meshsmith.istio.plugins.module_utils.gateway_api.descriptors import K8S_GATEWAY


def main() -> None:
    run_resource_module(K8S_GATEWAY)


if __name__ == "__main__":
    main()
