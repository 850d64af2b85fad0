#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: gateway
short_description: Manage an Istio Gateway
version_added: 0.1.0
description:
  - Creates, updates or deletes an Istio C(Gateway) (C(networking.istio.io)), which sets the ports, protocols, hosts and
    TLS settings a gateway workload (such as the ingress gateway) listens with.
  - Idempotent - a run that changes nothing sends a single GET (a O(servers_mode=merge) removal may also list the
    VirtualServices, see O(servers_mode)) - with truthful check mode and diff.
  - Nested options use snake_case names and also accept Istio's camelCase field names (C(credentialName),
    C(httpsRedirect)...), so a spec copied from the Istio documentation works as it is.
  - The spec is checked against istiod's admission rules before any request; the task fails once with every
    error, each naming its option path. What istiod only warns about (ignored cipher suites, certificates a
    passthrough server ignores...) is shown as a warning and the task goes on.
  - For the Kubernetes Gateway API (C(gateway.networking.k8s.io)) use M(meshsmith.istio.k8s_gateway) and M(meshsmith.istio.http_route).
  - With O(servers_mode=merge) several applications share one Gateway, each task adding or removing only its own
    servers and hosts; see O(servers_mode).
author:
  - meshsmith.istio contributors (@meshsmith)
options:
  servers_mode:
    description:
      - How O(servers) combine with the servers of an existing Gateway.
      - V(replace) - the task declares the whole spec; servers not listed are removed, and O(state=absent) deletes
        the Gateway. Use it for a Gateway one task owns, or to adopt one made with C(kubectl).
      - V(merge) - for a Gateway shared by several applications. A server is identified by its port number and port
        name (istiod requires port names to be unique in a Gateway). The task's hosts are added to the server of the
        same port (hosts are a set), servers not there yet are appended, every other server is kept as it is. A
        server of the same port name with other settings (number, protocol, TLS, bind...) fails the task rather
        than change another application's server. O(selector) must equal the live one; it is set when the task
        creates the Gateway, which then carries the label C(app.kubernetes.io/managed-by=meshsmith.istio) and keeps
        it in later merges. O(purge_labels) and O(purge_annotations) are refused, since they would remove the
        labels and annotations of the other applications on the shared Gateway.
      - V(merge) with O(state=absent) takes the task's hosts off the servers of the same port, keeping a host that a
        VirtualService still bound to the Gateway needs (one that would serve one of its hosts), and drops a server
        left without hosts. It deletes the Gateway only when it carries that label (the collection created it) and
        no VirtualService of any namespace references it any more (a bare name in C(gateways) means the
        VirtualService's own namespace). A Gateway without the label is never deleted, and a Gateway that would
        be left without servers is kept unchanged.
      - Requests in V(merge) mode - no change, GET; add, GET and one write; remove, GET, one cluster-wide LIST of
        VirtualServices and one write (update or delete); nothing to remove (an absent Gateway, or one without the
        ownership label that lacks the task's hosts), GET.
    type: str
    choices: [replace, merge]
    default: replace
  selector:
    description:
      - Labels of the gateway workload (pods) this Gateway configures, such as C(istio=ingressgateway).
      - Omitted, the Gateway applies to every gateway workload in the mesh.
    type: dict
  servers:
    description:
      - The servers (listeners) of the gateway. Istio requires at least one.
      - With O(servers_mode=merge) the servers to add or, with O(state=absent), whose hosts to remove (each with
        its C(port.number), C(port.name) and C(hosts)).
    type: list
    elements: dict
    suboptions:
      port:
        description: The port the gateway listens on.
        type: dict
        required: true
        suboptions:
          number:
            description: Port number, 1 to 65535.
            type: int
          protocol:
            description:
              - Protocol on the port, one of V(HTTP), V(HTTPS), V(HTTP2), V(GRPC), V(GRPC-WEB), V(TCP), V(TLS),
                V(MONGO), V(REDIS) or V(MYSQL).
            type: str
          name:
            description: Name of the port, unique among the Gateway's servers.
            type: str
          target_port:
            description:
              - Not supported by Istio for Gateways and refused; listed so that the error names it.
            type: int
            aliases: [targetPort]
      hosts:
        description:
          - Hosts served on this port, as C([namespace/]dns-name), for example V(*), V(example.com),
            V(*.example.com) or V(prod/example.com) (only VirtualServices of namespace C(prod) may bind).
          - Compared as a set - reordering them changes nothing.
        type: list
        elements: str
      bind:
        description: IP address or Unix domain socket the listener binds to instead of all addresses.
        type: str
      default_endpoint:
        description: Where traffic is forwarded by default, V(127.0.0.1:PORT) or a Unix domain socket.
        type: str
        aliases: [defaultEndpoint]
      name:
        description: Name of the server, for monitoring.
        type: str
      tls:
        description: TLS settings for HTTPS and TLS servers, or an HTTP-to-HTTPS redirect for HTTP servers.
        type: dict
        suboptions:
          mode:
            description: How TLS is handled on the port.
            type: str
            choices: [PASSTHROUGH, SIMPLE, MUTUAL, AUTO_PASSTHROUGH, ISTIO_MUTUAL, OPTIONAL_MUTUAL]
          https_redirect:
            description: Answer plain HTTP requests with a 301 redirect to HTTPS.
            type: bool
            aliases: [httpsRedirect]
          credential_name:
            description: Name of the Secret (in the gateway's namespace) holding the certificate, key and CA.
            type: str
            aliases: [credentialName]
          credential_names:
            description: Names of up to two Secrets, for an RSA and an ECDSA certificate.
            type: list
            elements: str
            aliases: [credentialNames]
          ca_cert_credential_name:
            description: Name of the Secret holding the CA certificate for MUTUAL mode.
            type: str
            aliases: [caCertCredentialName]
          server_certificate:
            description: Path to the server certificate file in the gateway pod.
            type: str
            aliases: [serverCertificate]
          private_key:
            description: Path to the server private key file in the gateway pod.
            type: str
            aliases: [privateKey]
          ca_certificates:
            description: Path to the CA certificates file used to verify client certificates.
            type: str
            aliases: [caCertificates]
          ca_crl:
            description: Path to the certificate revocation list file.
            type: str
            aliases: [caCrl]
          tls_certificates:
            description: Up to two certificate and key pairs given as file paths (RSA and ECDSA).
            type: list
            elements: dict
            aliases: [tlsCertificates]
            suboptions:
              server_certificate:
                description: Path to the certificate file.
                type: str
                aliases: [serverCertificate]
              private_key:
                description: Path to the private key file.
                type: str
                aliases: [privateKey]
              ca_certificates:
                description: Path to the CA certificates file.
                type: str
                aliases: [caCertificates]
          subject_alt_names:
            description: Subject alternative names a client certificate must carry one of.
            type: list
            elements: str
            aliases: [subjectAltNames]
          verify_certificate_spki:
            description: Base64 SHA-256 hashes of the SPKI of accepted client certificates.
            type: list
            elements: str
            aliases: [verifyCertificateSpki]
          verify_certificate_hash:
            description: Hex SHA-256 hashes of accepted client certificates.
            type: list
            elements: str
            aliases: [verifyCertificateHash]
          min_protocol_version:
            description: Minimum TLS version.
            type: str
            choices: [TLS_AUTO, TLSV1_0, TLSV1_1, TLSV1_2, TLSV1_3]
            aliases: [minProtocolVersion]
          max_protocol_version:
            description: Maximum TLS version.
            type: str
            choices: [TLS_AUTO, TLSV1_0, TLSV1_1, TLSV1_2, TLSV1_3]
            aliases: [maxProtocolVersion]
          cipher_suites:
            description: Cipher suites to offer, in order of preference.
            type: list
            elements: str
            aliases: [cipherSuites]
extends_documentation_fragment:
  - meshsmith.istio.resource
  - meshsmith.istio.k8s_auth
  - meshsmith.istio.attributes
seealso:
  - module: meshsmith.istio.virtual_service
  - module: meshsmith.istio.gateway_info
  - name: Istio Gateway reference
    description: The fields of the Gateway resource.
    link: https://istio.io/latest/docs/reference/config/networking/gateway/
"""

EXAMPLES = r"""
- name: Expose HTTP on port 80 for every host through the ingress gateway
  meshsmith.istio.gateway:
    name: default-gateway
    namespace: istio-system
    selector:
      istio: ingressgateway
    servers:
      - port:
          number: 80
          name: http
          protocol: HTTP
        hosts:
          - "*"

- name: Serve HTTPS with a certificate from a Secret and redirect HTTP to it (camelCase as in Istio's docs)
  meshsmith.istio.gateway:
    name: shop-gateway
    namespace: istio-system
    selector:
      istio: ingressgateway
    servers:
      - port: {number: 80, name: http, protocol: HTTP}
        hosts: [shop.example.com]
        tls:
          httpsRedirect: true
      - port: {number: 443, name: https, protocol: HTTPS}
        hosts: [shop.example.com]
        tls:
          mode: SIMPLE
          credentialName: shop-example-com-cert
          minProtocolVersion: TLSV1_2
    labels:
      app.kubernetes.io/managed-by: ansible

- name: Add app A's host to the shared Gateway, keeping what other applications put there
  meshsmith.istio.gateway:
    name: default-gateway
    namespace: istio-system
    servers_mode: merge
    selector:
      istio: ingressgateway
    servers:
      - port: {number: 80, name: http, protocol: HTTP}
        hosts: [a.example.com]

- name: Take app A's host off the shared Gateway (deleted once unused, if the collection created it)
  meshsmith.istio.gateway:
    name: default-gateway
    namespace: istio-system
    servers_mode: merge
    state: absent
    servers:
      - port: {number: 80, name: http}
        hosts: [a.example.com]

- name: Set the connection once for every module of the collection
  module_defaults:
    group/meshsmith.istio.istio:
      kubeconfig: ~/.kube/staging
      context: staging
  block:
    - name: Delete a Gateway
      meshsmith.istio.gateway:
        name: old-gateway
        namespace: istio-system
        state: absent

- name: Create a Gateway from a manifest pasted as it is (a dict, or a YAML string of one document)
  meshsmith.istio.gateway:
    definition:
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata:
        name: web-gateway
        namespace: istio-system
      spec:
        selector:
          istio: ingressgateway
        servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["*"]
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
    - The resource as stored in the cluster; in check mode, the API server's answer to the dry run.
    - Empty after O(state=absent).
  returned: always
  type: dict
  sample:
    apiVersion: networking.istio.io/v1
    kind: Gateway
    metadata:
      name: default-gateway
      namespace: istio-system
      resourceVersion: "1234"
    spec:
      selector:
        istio: ingressgateway
errors:
  description:
    - When the spec is invalid, every setting istiod (or the API server) would refuse, each with its option path;
      the task's C(msg) lists them too, and C(option) is the first one's path.
  returned: on a validation failure
  type: list
  elements: dict
  sample: [{option: "servers[0].port.protocol", msg: "invalid protocol 'KAFKA', supported protocols are HTTP, HTTPS..."}]
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
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import GATEWAY


def main() -> None:
    run_resource_module(GATEWAY)


if __name__ == "__main__":
    main()
