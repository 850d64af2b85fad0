# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""istiod's admission rules for a Gateway (istio's validateGateway, validateServer, validateTLSOptions)."""

from __future__ import annotations

from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import InvalidOption
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.common import (
    Findings,
    check_namespace,
    check_port_number,
    fail,
    indexed,
    is_dns1123_label,
    is_ip_address,
    is_istio_label,
    option_name,
    wildcard_domain_error,
)

_GATEWAY_PROTOCOLS = ("HTTP", "HTTPS", "HTTP2", "GRPC", "GRPC-WEB", "TCP", "TLS", "MONGO", "REDIS", "MYSQL")

_HTTP_PROTOCOLS = ("HTTP", "HTTP2", "GRPC", "GRPC-WEB")

_TLS_PROTOCOLS = ("HTTPS", "TLS")

SERVER_TLS_MODES = ("PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL")

TLS_PROTOCOL_VERSIONS = ("TLS_AUTO", "TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3")

_CIPHER_SUITES = frozenset((
    "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES256-SHA",
    "AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA", "AES256-SHA", "DES-CBC3-SHA",
))


def validate_gateway(name: str, namespace: str | None, spec: dict) -> list[InvalidOption]:
    """Every Gateway setting istiod would refuse (raised as one InvalidSpec); returns istiod's warnings."""
    findings = Findings()
    if not name or not is_dns1123_label(name):
        findings.error("name", "invalid Gateway name %r: must be a DNS-1123 label (lowercase letters, digits, '-')"
                       % (name,))
    findings.check(check_namespace, namespace)
    servers = spec.get("servers") or []
    if not servers:
        findings.error("servers", "a Gateway must have at least one server")
    port_names: dict[str, str] = {}
    for path, server in indexed(servers, "servers"):
        protocol = _check_server(findings, path, server)
        port_name = (server.get("port") or {}).get("name")
        if port_name and port_name in port_names:
            findings.error(path + ".port.name", "port names must be unique within a Gateway: %r is also used by %s"
                           % (port_name, port_names[port_name]))
        elif port_name:
            port_names[port_name] = path
        if protocol and protocol not in _HTTP_PROTOCOLS and (server.get("tls") or {}).get("httpsRedirect"):
            findings.warn(path + ".tls.httpsRedirect", "tls.httpsRedirect should only be used with http servers")
    return findings.result()


def _check_server(findings: Findings, path: str, server: dict) -> str | None:
    """Record the errors of one server; return its protocol when the port is valid."""
    hosts = server.get("hosts") or []
    if not hosts:
        findings.error(path + ".hosts", "a server must have at least one host")
    for host_path, host in indexed(hosts, path + ".hosts"):
        findings.check(_check_gateway_host, host_path, host)
    port = server.get("port")
    bind = server.get("bind") or ""
    protocol = None
    if not port:
        findings.error(path + ".port", "port is required")
    else:
        protocol = _check_server_port(findings, path + ".port", port, bind)
    findings.check(_check_bind, path, port or {}, bind)
    tls = server.get("tls")
    if tls is not None:
        _check_server_tls(findings, path + ".tls", tls)
    if protocol in _TLS_PROTOCOLS and tls is None:
        findings.error(path + ".tls", "a server with protocol %s needs tls settings" % protocol)
    elif protocol and tls is not None and protocol not in _TLS_PROTOCOLS:
        if protocol not in _HTTP_PROTOCOLS:
            findings.error(path + ".tls", "tls settings are only allowed on HTTPS/TLS servers (protocol is %s)"
                           % protocol)
        else:
            passthrough = tls.get("mode", "PASSTHROUGH") in ("PASSTHROUGH", "AUTO_PASSTHROUGH")
            certificates = any(tls.get(key) for key in ("caCertificates", "privateKey", "serverCertificate"))
            if not passthrough or certificates:
                findings.error(path + ".tls", "a plain-text %s server accepts only https_redirect in tls" % protocol)
    return protocol


def _check_gateway_host(path: str, host: str) -> None:
    """istio's ValidateNamespaceSlashWildcardHostname for gateways: ``[namespace/]dns-name``."""
    namespace, slash, hostname = host.partition("/")
    if not slash:
        hostname = host
    elif not namespace or not hostname:
        fail(path, "namespace and DNS name in host %r cannot be empty" % host)
    elif namespace not in ("*", ".") and not is_istio_label(namespace):
        fail(path, "invalid namespace %r in host %r: use '*', '.' or a namespace name" % (namespace, host))
    if hostname != "*" and "." not in hostname:
        fail(path, "short name %r is not allowed: use a fully qualified name or '*'" % hostname)
    error = wildcard_domain_error(hostname)
    if error and not is_ip_address(hostname):
        fail(path, error)
    if "*" in hostname and hostname != "*" and not hostname.startswith("*."):
        fail(path, "partial wildcard %r not allowed: use '*' alone or a '*.' prefix" % hostname)


def _check_server_port(findings: Findings, path: str, port: dict, bind: str) -> str | None:
    """Record the errors of a server port; return its protocol (upper case) when the port is valid."""
    errors_before = len(findings.errors)
    protocol = str(port.get("protocol") or "").upper()
    if protocol not in _GATEWAY_PROTOCOLS:
        findings.error(path + ".protocol", "invalid protocol %r, supported protocols are %s (any case)"
                       % (port.get("protocol"), ", ".join(_GATEWAY_PROTOCOLS)))
    number = port.get("number")
    if number or not bind.startswith("unix://"):
        findings.check(check_port_number, path + ".number", number)
    if port.get("targetPort"):
        findings.error(path + ".targetPort", "target_port has no effect on Gateways and is refused by istiod; "
                                             "remove it")
    if not port.get("name"):
        findings.error(path + ".name", "port name must be set")
    return protocol if len(findings.errors) == errors_before else None


def _check_bind(path: str, port: dict, bind: str) -> None:
    if bind.startswith("unix://"):
        socket_path = bind[len("unix://"):]
        if not socket_path.startswith("@") and (not socket_path.startswith("/") or socket_path.endswith("/")):
            fail(path + ".bind", "%r is not an absolute path to a socket file" % socket_path)
        if port.get("number"):
            fail(path + ".port.number", "port number must be 0 for a unix domain socket bind")
    elif bind and not is_ip_address(bind):
        fail(path + ".bind", "%r is not a valid IP address" % bind)


def _check_server_tls(findings: Findings, path: str, tls: dict) -> None:
    """istio's validateTLSOptions: errors and warnings of a server's ``tls``."""
    mode = tls.get("mode", "PASSTHROUGH")
    if mode not in SERVER_TLS_MODES:
        findings.error(path + ".mode", "invalid mode %r, expected one of %s" % (mode, ", ".join(SERVER_TLS_MODES)))
    for key in ("minProtocolVersion", "maxProtocolVersion"):
        if tls.get(key) is not None and tls[key] not in TLS_PROTOCOL_VERSIONS:
            findings.error("%s.%s" % (path, key), "invalid version %r, expected one of %s"
                           % (tls[key], ", ".join(TLS_PROTOCOL_VERSIONS)))
    if tls.get("minProtocolVersion") in ("TLSV1_0", "TLSV1_1") and not tls.get("cipherSuites"):
        findings.warn(path + ".minProtocolVersion", "TLS versions below TLSV1_2 need cipher_suites with compatible "
                                                    "ciphers: the default ones no longer include any")
    for key in ("credentialNames", "tlsCertificates"):
        if tls.get(key) is not None and not 1 <= len(tls[key]) <= 2:
            findings.error("%s.%s" % (path, key), "must hold one or two entries (CRD schema)")
    _check_cipher_suites(findings, path + ".cipherSuites", tls.get("cipherSuites") or [])
    if mode == "ISTIO_MUTUAL":
        for key in ("serverCertificate", "privateKey", "caCertificates", "tlsCertificates", "credentialName",
                    "credentialNames"):
            if tls.get(key):
                findings.error("%s.%s" % (path, key), "ISTIO_MUTUAL TLS cannot have %s" % option_name(key))
        return
    if mode in ("PASSTHROUGH", "AUTO_PASSTHROUGH") and any(tls.get(key) for key in (
            "caCrl", "serverCertificate", "privateKey", "caCertificates", "tlsCertificates", "credentialName",
            "credentialNames")):
        findings.warn(path, "%s mode does not use certificates, they will be ignored" % mode)
    sources = [option for present, option in (
        (tls.get("serverCertificate") and tls.get("privateKey"), "server_certificate/private_key"),
        (tls.get("credentialName"), "credential_name"),
        (tls.get("credentialNames"), "credential_names"),
        (tls.get("tlsCertificates"), "tls_certificates"),
    ) if present]
    if len(sources) > 1:
        findings.error(path, "only one certificate source may be set, got %s" % " and ".join(sources))
    if mode in ("SIMPLE", "MUTUAL", "OPTIONAL_MUTUAL"):
        if tls.get("credentialName") or tls.get("credentialNames"):
            return  # the credential (a Kubernetes secret) holds certificates, CA and CRL
        _check_certificate_files(findings, path, tls, mode)
    if tls.get("caCrl"):
        if tls.get("credentialName"):
            findings.error(path + ".caCrl", "ca_crl is not supported with credential_name; put the CRL in the "
                                            "credential")
        if mode == "SIMPLE":
            findings.error(path + ".caCrl", "ca_crl is not supported with SIMPLE TLS")


def _check_cipher_suites(findings: Findings, path: str, cipher_suites: list) -> None:
    """istio warns about (and ignores) unknown and duplicate cipher suites."""
    seen: set[str] = set()
    invalid, duplicates = set(), set()
    for cipher in cipher_suites:
        if not _is_valid_cipher_suite(cipher):
            invalid.add(cipher)
        elif cipher in seen:
            duplicates.add(cipher)
        seen.add(cipher)
    if invalid:
        findings.warn(path, "ignoring invalid cipher suites: %s" % ", ".join(sorted(invalid)))
    if duplicates:
        findings.warn(path, "ignoring duplicate cipher suites: %s" % ", ".join(sorted(duplicates)))


def _is_valid_cipher_suite(cipher: str) -> bool:
    """istio's IsValidCipherSuite: a known name, '', 'ALL', or an expression (not starting with a letter/digit)."""
    return cipher in ("", "ALL") or not cipher[0].isalnum() or cipher in _CIPHER_SUITES


def _check_certificate_files(findings: Findings, path: str, tls: dict, mode: str) -> None:
    """SIMPLE/MUTUAL TLS without credential_name: certificate and key files (and a client CA for MUTUAL)."""
    if mode != "SIMPLE" and not tls.get("caCertificates"):
        findings.error(path + ".caCertificates", "%s TLS without credential_name needs a client CA bundle" % mode)
    if tls.get("tlsCertificates"):
        certificates = list(indexed(tls["tlsCertificates"], path + ".tlsCertificates"))
    else:
        certificates = [(path, tls)]
    for cert_path, certificate in certificates:
        for key in ("serverCertificate", "privateKey"):
            if not certificate.get(key):
                findings.error("%s.%s" % (cert_path, key), "%s TLS needs credential_name (a Kubernetes secret) or "
                               "server_certificate and private_key" % mode)
