# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options for connecting and authenticating to the Kubernetes API, shared by every module."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  kubeconfig:
    description:
      - Path to a kubeconfig file, or several separated by V(:) (V(;) on Windows), or the kubeconfig content as a dictionary.
      - When neither this, O(host) with credentials, nor E(K8S_AUTH_KUBECONFIG) is set, E(KUBECONFIG) is read,
        then C(~/.kube/config), then the in-cluster service account.
      - Users authenticated by an C(exec) plugin (EKS, GKE, AKS style) or an C(auth-provider) (C(oidc), C(gcp))
        are supported through the C(kubernetes) Python package, and an expired exec token is renewed; a cluster's
        C(tls-server-name) is used for SNI and the certificate check, its C(proxy-url) as O(proxy).
      - The kubeconfig is checked before any request; a malformed one fails naming the entry at fault.
      - In a dictionary, the users' tokens, passwords, private keys, C(auth-provider) settings and C(exec)
        environment values are masked in all output; names and servers are not.
      - Can also be set with the E(K8S_AUTH_KUBECONFIG) environment variable.
    type: raw
  context:
    description:
      - Name of the kubeconfig context to use instead of its current context.
      - Can also be set with the E(K8S_AUTH_CONTEXT) environment variable.
    type: str
  host:
    description:
      - URL of the API server, for example V(https://127.0.0.1:6443).
      - With O(api_key), O(username) and O(password), or O(client_cert) and O(client_key), no kubeconfig is read.
      - Credentials written in the URL (V(https://user:password@host)) are sent as basic auth unless other
        credentials are set, and never appear in any output.
      - Can also be set with the E(K8S_AUTH_HOST) environment variable.
    type: str
  api_key:
    description:
      - Bearer token to authenticate with.
      - Can also be set with the E(K8S_AUTH_API_KEY) environment variable.
    type: str
  username:
    description:
      - User name for HTTP basic authentication (only for API servers configured for it).
      - Can also be set with the E(K8S_AUTH_USERNAME) environment variable.
    type: str
  password:
    description:
      - Password for HTTP basic authentication, with O(username).
      - Can also be set with the E(K8S_AUTH_PASSWORD) environment variable.
    type: str
  validate_certs:
    description:
      - Whether to verify the API server's TLS certificate. Defaults to the kubeconfig cluster's setting,
        else V(true).
      - Can also be set with the E(K8S_AUTH_VALIDATE_CERTS) or E(K8S_AUTH_VERIFY_SSL) environment variable.
    type: bool
    aliases: [verify_ssl]
  ca_cert:
    description:
      - Path to the CA certificate (full chain) that signed the API server's certificate.
      - Can also be set with the E(K8S_AUTH_CA_CERT) or E(K8S_AUTH_SSL_CA_CERT) environment variable.
    type: path
    aliases: [ssl_ca_cert]
  client_cert:
    description:
      - Path to a client certificate to authenticate with.
      - Can also be set with the E(K8S_AUTH_CLIENT_CERT) or E(K8S_AUTH_CERT_FILE) environment variable.
    type: path
    aliases: [cert_file]
  client_key:
    description:
      - Path to the private key of O(client_cert).
      - Can also be set with the E(K8S_AUTH_CLIENT_KEY) or E(K8S_AUTH_KEY_FILE) environment variable.
    type: path
    aliases: [key_file]
  proxy:
    description:
      - URL of an HTTP proxy to reach the API server through. Proxy environment variables such as
        E(HTTPS_PROXY) are not used.
      - Credentials written in the URL (V(http://user:password@proxy:3128)) are sent as C(Proxy-Authorization)
        basic auth and never appear in any output.
      - Can also be set with the E(K8S_AUTH_PROXY) environment variable.
    type: str
  no_proxy:
    description:
      - Comma-separated hosts, domains, IP addresses and CIDR ranges reached without O(proxy).
      - Can also be set with the E(K8S_AUTH_NO_PROXY) environment variable.
    type: str
  impersonate_user:
    description:
      - User name to act as (Kubernetes impersonation).
      - Can also be set with the E(K8S_AUTH_IMPERSONATE_USER) environment variable.
    type: str
  impersonate_groups:
    description:
      - Groups to act as (Kubernetes impersonation).
      - Can also be set with the E(K8S_AUTH_IMPERSONATE_GROUPS) environment variable, comma-separated.
    type: list
    elements: str
  request_timeout:
    description:
      - Seconds to wait for the API server to accept a connection and to answer each request.
      - A finite number greater than 0.
    type: float
    default: 30
  retries:
    description:
      - How many times a request is retried when the API server answers 429 (honouring its Retry-After),
        500, 502, 503 or 504, or cannot be reached; waits 0.5 s, 1 s, 2 s... in between.
    type: int
    default: 3
notes:
  - The options are named as in M(kubernetes.core.k8s) and read the same E(K8S_AUTH_*) environment variables.
  - Only the C(PyYAML) and C(urllib3) Python packages are needed on the managed node; the C(kubernetes)
    package is used only for kubeconfig users that authenticate through an C(exec) or C(auth-provider) plugin.
  - "Set the connection options once for every module of this collection with
    C(module_defaults: {group/meshsmith.istio.istio: {kubeconfig: ..., context: ...}})."
"""
