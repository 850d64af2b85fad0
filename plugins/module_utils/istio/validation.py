# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""istiod's admission rules for Gateway and VirtualService, checked before any request.

Pure functions on camelCase specs (as stored in the cluster). Errors name the API field path
(``servers[1].tls.httpsRedirect``); the engine shows it as the option path the user wrote
(``servers[1].tls.https_redirect``, see engine/options.py), and messages name options in snake_case.
Rules follow istio's ``pkg/config/validation`` (validation.go, virtualservice.go, agent/)
plus what the Kubernetes API server and the CRD schema refuse, so that a task fails
before a request instead of with a 4xx after one. As istiod, ``validate_*`` collect every
error (raised together as ``InvalidSpec``) and return istiod's warnings; regexes are
checked with RE2 (re2_regex.py), as Envoy compiles them.
"""

from __future__ import annotations

import ipaddress
import json
import re
from http import HTTPStatus
from typing import Any, Callable, Iterator, NoReturn, Optional

from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import (
    InvalidOption,
    dns1123_label_errors,
    dns1123_subdomain_errors,
    label_value_errors,
    qualified_name_errors,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.re2_regex import RE2Unavailable, re2_error

GATEWAY_PROTOCOLS = ("HTTP", "HTTPS", "HTTP2", "GRPC", "GRPC-WEB", "TCP", "TLS", "MONGO", "REDIS", "MYSQL")
_HTTP_PROTOCOLS = ("HTTP", "HTTP2", "GRPC", "GRPC-WEB")
_TLS_PROTOCOLS = ("HTTPS", "TLS")
SERVER_TLS_MODES = ("PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL")
TLS_PROTOCOL_VERSIONS = ("TLS_AUTO", "TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3")
MESH_GATEWAY = "mesh"
RETRY_ON_POLICIES = frozenset((
    "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "retriable-4xx",
    "refused-stream", "retriable-status-codes", "retriable-headers", "envoy-ratelimited",
    "http3-post-connect-failure", "cancelled", "deadline-exceeded", "internal", "resource-exhausted",
    "unavailable",
))
GRPC_STATUS_NAMES = frozenset((
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
    "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
    "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
))
CIPHER_SUITES = frozenset((
    "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES256-SHA",
    "AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA", "AES256-SHA", "DES-CBC3-SHA",
))
CORS_METHODS = frozenset(("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE", "*"))
STRING_MATCH_KINDS = ("exact", "prefix", "regex")
_DEFAULT_METHOD_MATCH = "exact:GET"
_MAX_DIRECT_RESPONSE_BODY = 1024 * 1024
_LARGE_DIRECT_RESPONSE_BODY = 100 * 1024

# \Z, not $: Go's $ (as istiod uses it) does not match before a trailing newline, Python's does.
_ISTIO_LABEL = re.compile(r"^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?\Z")
_ISTIO_WILDCARD_LABEL = re.compile(r"^(\*|(\*|\*-)?[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)\Z")
_HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~A-Za-z0-9]+\Z")
_HEADER_VALUE_FORBIDDEN = re.compile("[\x00-\x08\x0a-\x1f\x7f]")
_PSEUDO_HEADERS = frozenset((":method", ":scheme", ":authority", ":path", ":status"))
_JWT_CLAIM_PREFIX = "@request.auth.claims"
_DURATION_PART = re.compile(r"(\d+\.?\d*|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)")
_DURATION_UNIT_SECONDS = {
    "ns": 1e-9, "us": 1e-6, "\u00b5s": 1e-6, "\u03bcs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0,
}


class InvalidSpec(InvalidOption):
    """Every error of one validation; ``path``/``message`` are the first one's when there is only one."""

    def __init__(self, errors: list[InvalidOption], warnings: list[InvalidOption]) -> None:
        first = errors[0]
        message = first.message if len(errors) == 1 else "; ".join(str(error) for error in errors)
        super().__init__(first.path, message)
        self.errors = errors
        self.warnings = warnings

    def __str__(self) -> str:
        if len(self.errors) == 1:
            return str(self.errors[0])
        return "%d invalid options: %s" % (len(self.errors), self.message)


class Findings:
    """The errors and warnings of one validation, collected as istiod does instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[InvalidOption] = []
        self.warnings: list[InvalidOption] = []

    def check(self, check: Callable[..., Any], *args: Any) -> Any:
        """Run one independent check; record the InvalidOption it raises and return None then."""
        try:
            return check(*args)
        except InvalidOption as err:
            self.errors.append(err)
            return None

    def error(self, path: str, message: str) -> None:
        self.errors.append(InvalidOption(path, message))

    def warn(self, path: str, message: str) -> None:
        self.warnings.append(InvalidOption(path, message))

    def result(self) -> list[InvalidOption]:
        """The warnings; raise InvalidSpec with every error when there is one."""
        if self.errors:
            raise InvalidSpec(self.errors, self.warnings)
        return self.warnings


def option_name(key: str) -> str:
    """The option name of an API key, for messages: ``perTryTimeout`` -> ``per_try_timeout``."""
    return re.sub(r"(?<!^)([A-Z])", r"_\1", key).lower()


def _fail(path: str, message: str) -> NoReturn:
    raise InvalidOption(path, message)


def _items(values: list | None, path: str) -> Iterator[tuple[str, Any]]:
    """Yield ``(index_path, value)`` for each element of an optional list."""
    for index, value in enumerate(values or []):
        yield "%s[%d]" % (path, index), value


def _key_path(path: str, key: str) -> str:
    return "%s[%r]" % (path, key)


# ---------------------------------------------------------------- names, hosts, numbers


def is_dns1123_label(value: str) -> bool:
    """A Kubernetes DNS-1123 label: lowercase alphanumerics and '-', at most 63 characters."""
    return not dns1123_label_errors(value)


def is_dns1123_subdomain(value: str) -> bool:
    """A Kubernetes DNS-1123 subdomain: dot-separated labels, at most 253 characters."""
    return not dns1123_subdomain_errors(value)


def _istio_label(value: str) -> bool:
    return len(value) <= 63 and bool(_ISTIO_LABEL.match(value))


def _domain_labels_error(domain: str) -> str | None:
    """istio's ValidateDNS1123Labels: labels valid, top-level label not all-numeric, trailing dot allowed."""
    parts = domain.split(".")
    if parts[-1].isdigit():
        return "domain name %r invalid (top level domain %r cannot be all-numeric)" % (domain, parts[-1])
    for index, label in enumerate(parts):
        if index == len(parts) - 1 and label == "":
            return None
        if not _istio_label(label):
            return "domain name %r invalid (label %r invalid)" % (domain, label)
    return None


def _domain_precondition_error(domain: str) -> str | None:
    if not domain:
        return "empty domain name not allowed"
    if len(domain) > 255:
        return "domain name %r too long (max 255)" % domain
    return None


def wildcard_domain_error(domain: str) -> str | None:
    """Why ``domain`` is not a DNS name with an optional wildcard first label, or None."""
    error = _domain_precondition_error(domain)
    if error:
        return error
    first, _dot, rest = domain.partition(".")
    if not (len(first) <= 63 and _ISTIO_WILDCARD_LABEL.match(first)):
        return "domain name %r invalid (label %r invalid)" % (domain, first)
    return _domain_labels_error(rest) if _dot else None


def _fqdn_error(domain: str) -> str | None:
    return _domain_precondition_error(domain) or _domain_labels_error(domain)


def _is_ip_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _is_ip_subnet(value: str) -> bool:
    try:
        if value.count("/") == 1:
            ipaddress.ip_network(value, strict=False)
        else:
            ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _check_port_number(path: str, number: object) -> None:
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 65535:
        _fail(path, "port number %r must be in the range 1..65535" % (number,))


def _check_labels(path: str, labels: dict | None) -> None:
    for key, value in (labels or {}).items():
        if qualified_name_errors(str(key)):
            _fail(_key_path(path, key), "invalid label key %r" % key)
        if not isinstance(value, str) or label_value_errors(value):
            _fail(_key_path(path, key), "invalid label value %r" % (value,))


def parse_duration(text: str) -> float:
    """Seconds in a Go/protobuf duration string (``1s``, ``0.5s``, ``100ms``, ``1m30s``); ValueError if none."""
    if not isinstance(text, str) or not text:
        raise ValueError("invalid duration %r" % (text,))
    if text == "0":
        return 0.0
    body = text[1:] if text[0] in "+-" else text
    position, seconds = 0, 0.0
    while position < len(body):
        match = _DURATION_PART.match(body, position)
        if not match:
            raise ValueError("invalid duration %r" % text)
        seconds += float(match.group(1)) * _DURATION_UNIT_SECONDS[match.group(2)]
        position = match.end()
    if not body:
        raise ValueError("invalid duration %r" % text)
    return -seconds if text[0] == "-" else seconds


def _check_duration(path: str, text: str) -> float:
    """istio's ValidateDuration: parses, at least 1ms, millisecond precision."""
    try:
        seconds = parse_duration(text)
    except ValueError:
        _fail(path, "invalid duration %r, expected a value such as 1s, 0.5s, 100ms or 1m30s" % (text,))
    milliseconds = round(seconds * 1000, 6)
    if milliseconds < 1:
        _fail(path, "duration must be at least 1ms (got %r)" % text)
    if milliseconds != int(milliseconds):
        _fail(path, "only durations to ms precision are supported (got %r)" % text)
    return seconds


def _check_percentage(path: str, percentage: dict | None) -> None:
    if percentage is None:
        return
    value = percentage.get("value", 0)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            value < 0 or value > 100 or 0 < value < 0.0001:
        _fail(path + ".value", "percentage %r is neither 0, nor in range [0.0001, 100]" % (value,))


def _check_at_most_one(path: str, obj: dict, keys: tuple) -> list[str]:
    present = [key for key in keys if obj.get(key) is not None]
    if len(present) > 1:
        _fail(path, "only one of %s may be set, got %s" % ("/".join(keys), ", ".join(present)))
    return present


# ---------------------------------------------------------------- Gateway


def validate_gateway(name: str, namespace: str | None, spec: dict) -> list[InvalidOption]:
    """Every Gateway setting istiod would refuse (raised as one InvalidSpec); returns istiod's warnings."""
    findings = Findings()
    if not name or not is_dns1123_label(name):
        findings.error("name", "invalid Gateway name %r: must be a DNS-1123 label (lowercase letters, digits, '-')"
                       % (name,))
    findings.check(_check_namespace, namespace)
    servers = spec.get("servers") or []
    if not servers:
        findings.error("servers", "a Gateway must have at least one server")
    port_names: dict[str, str] = {}
    for path, server in _items(servers, "servers"):
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


def _check_namespace(namespace: str | None) -> None:
    if namespace is not None and not is_dns1123_label(namespace):
        _fail("namespace", "invalid namespace %r: must be a DNS-1123 label" % (namespace,))


def _check_server(findings: Findings, path: str, server: dict) -> str | None:
    """Record the errors of one server; return its protocol when the port is valid."""
    hosts = server.get("hosts") or []
    if not hosts:
        findings.error(path + ".hosts", "a server must have at least one host")
    for host_path, host in _items(hosts, path + ".hosts"):
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
        _fail(path, "namespace and DNS name in host %r cannot be empty" % host)
    elif namespace not in ("*", ".") and not _istio_label(namespace):
        _fail(path, "invalid namespace %r in host %r: use '*', '.' or a namespace name" % (namespace, host))
    if hostname != "*" and "." not in hostname:
        _fail(path, "short name %r is not allowed: use a fully qualified name or '*'" % hostname)
    error = wildcard_domain_error(hostname)
    if error and not _is_ip_address(hostname):
        _fail(path, error)
    if "*" in hostname and hostname != "*" and not hostname.startswith("*."):
        _fail(path, "partial wildcard %r not allowed: use '*' alone or a '*.' prefix" % hostname)


def _check_server_port(findings: Findings, path: str, port: dict, bind: str) -> str | None:
    """Record the errors of a server port; return its protocol (upper case) when the port is valid."""
    errors_before = len(findings.errors)
    protocol = str(port.get("protocol") or "").upper()
    if protocol not in GATEWAY_PROTOCOLS:
        findings.error(path + ".protocol", "invalid protocol %r, supported protocols are %s (any case)"
                       % (port.get("protocol"), ", ".join(GATEWAY_PROTOCOLS)))
    number = port.get("number")
    if number or not bind.startswith("unix://"):
        findings.check(_check_port_number, path + ".number", number)
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
            _fail(path + ".bind", "%r is not an absolute path to a socket file" % socket_path)
        if port.get("number"):
            _fail(path + ".port.number", "port number must be 0 for a unix domain socket bind")
    elif bind and not _is_ip_address(bind):
        _fail(path + ".bind", "%r is not a valid IP address" % bind)


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
    return cipher in ("", "ALL") or not cipher[0].isalnum() or cipher in CIPHER_SUITES


def _check_certificate_files(findings: Findings, path: str, tls: dict, mode: str) -> None:
    """SIMPLE/MUTUAL TLS without credential_name: certificate and key files (and a client CA for MUTUAL)."""
    if mode != "SIMPLE" and not tls.get("caCertificates"):
        findings.error(path + ".caCertificates", "%s TLS without credential_name needs a client CA bundle" % mode)
    if tls.get("tlsCertificates"):
        certificates = list(_items(tls["tlsCertificates"], path + ".tlsCertificates"))
    else:
        certificates = [(path, tls)]
    for cert_path, certificate in certificates:
        for key in ("serverCertificate", "privateKey"):
            if not certificate.get(key):
                findings.error("%s.%s" % (cert_path, key), "%s TLS needs credential_name (a Kubernetes secret) or "
                               "server_certificate and private_key" % mode)


# ---------------------------------------------------------------- VirtualService


def validate_virtual_service(name: str, namespace: str | None, spec: dict) -> list[InvalidOption]:
    """Every VirtualService setting istiod (or the API server) would refuse (raised as one InvalidSpec);
    returns istiod's warnings."""
    findings = Findings()
    if not name or not is_dns1123_subdomain(name):
        findings.error("name", "invalid VirtualService name %r: must be a DNS-1123 subdomain "
                               "(lowercase letters, digits, '-' and '.')" % (name,))
    findings.check(_check_namespace, namespace)
    hosts = spec.get("hosts") or []
    gateways = spec.get("gateways") or []
    is_delegate = not hosts
    if is_delegate:
        for key in ("gateways", "tls", "tcp"):
            if spec.get(key):
                findings.error(key, "a VirtualService without hosts is a delegate and cannot have %s; set hosts" % key)
    for path, gateway in _items(gateways, "gateways"):
        if "/" not in gateway and "." in gateway:
            findings.warn(path, "legacy gateway name format %r; prefer <namespace>/<name>: %r"
                          % (gateway, "%s/%s" % tuple(gateway.split(".")[1::-1])))
        findings.check(_check_gateway_reference, path, gateway)
    applies_to_gateway = bool(gateways) and MESH_GATEWAY not in gateways
    has_sni_hosts = any(match.get("sniHosts") for route in spec.get("tls") or [] for match in route.get("match") or [])
    errors_before = len(findings.errors)
    for path, host in _items(hosts, "hosts"):
        findings.check(_check_virtual_service_host, path, host, applies_to_gateway, has_sni_hosts)
    if len(findings.errors) == errors_before:
        findings.check(_check_duplicate_hosts, hosts)
    if not (spec.get("http") or spec.get("tcp") or spec.get("tls")):
        findings.error("http", "at least one of http, tcp or tls routes must be given")
    for path, route in _items(spec.get("http"), "http"):
        _check_http_route(findings, path, route, is_delegate, applies_to_gateway)
    for path, route in _items(spec.get("tls"), "tls"):
        _check_tls_route(findings, path, route, hosts, applies_to_gateway)
    for path, route in _items(spec.get("tcp"), "tcp"):
        findings.check(_check_tcp_route, path, route)
    findings.check(_check_export_to, spec.get("exportTo"), namespace)
    for option in ("http", "tcp", "tls"):
        for _code, rule_index, match_index, message in unreachable_rules(option, spec.get(option) or []):
            match_path = "" if match_index is None else ".match[%d]" % match_index
            findings.warn("%s[%d]%s" % (option, rule_index, match_path), message)
    return findings.result()


def unreachable_rules(protocol: str, rules: list) -> Iterator[tuple[str, int, Optional[int], str]]:
    """istio's analyzeUnreachable*Rules: (istioctl code, rule index, match index or None, message) for each
    unreachable rule (IST0130) or ineffective match (IST0131)."""
    seen: dict = {}
    catch_all_seen = False
    prefix_matches = []
    for rule_index, rule in enumerate(rules):
        matches = rule.get("match") or []
        if not matches:
            if catch_all_seen:
                yield "IST0130", rule_index, None, _unused(rule, rule_index, "only the last rule can have no matches")
            catch_all_seen = True
            continue
        duplicates = 0
        for match_index, match in enumerate(matches):
            if catch_all_seen:
                yield "IST0130", rule_index, None, _unused(rule, rule_index, "route without matches defined before")
                continue
            key = _match_key(match, protocol)
            if key in seen:
                duplicates += 1
                yield "IST0131", rule_index, match_index, _ineffective(
                    rule, rule_index, _request_name(match, match_index), _rule_name(rules[seen[key]], seen[key])
                )
                continue
            seen[key] = rule_index
            if protocol == "http" and ((match or {}).get("uri") or {}).get("prefix"):
                prefix_matches.append((rule_index, match_index, _prefix_match(match)))
        if duplicates == len(matches):
            yield "IST0130", rule_index, None, _unused(rule, rule_index, "all matches used by prior rules")
    for position, (rule_index, match_index, earlier) in enumerate(prefix_matches):
        for later_rule, later_match, later in prefix_matches[position + 1:]:
            if later["prefix"] != earlier["prefix"] and _prefix_covers(earlier, later):
                yield "IST0131", later_rule, later_match, _ineffective(
                    rules[later_rule], later_rule,
                    "%s of prefix %s" % (_request_name(rules[later_rule]["match"][later_match], later_match), later["prefix"]),
                    "%s of prefix %s on %s" % (
                        _request_name(rules[rule_index]["match"][match_index], match_index), earlier["prefix"],
                        _rule_name(rules[rule_index], rule_index),
                    ),
                )


def _match_key(match: dict, protocol: str) -> str:
    """What a match routes on, comparable between rules (an HTTP match's name does not count)."""
    if protocol == "http" and match:
        match = {key: value for key, value in match.items() if key != "name"}
    return json.dumps(match, sort_keys=True)


def _string_match_text(string_match: Optional[dict]) -> str:
    string_match = string_match or {}
    if string_match.get("exact"):
        return "exact:" + string_match["exact"]
    if string_match.get("prefix"):
        return "prefix:" + string_match["prefix"]
    return ""


def _prefix_match(match: dict) -> dict:
    """The parts of a URI-prefix match that decide whether an earlier one covers it (istio's
    OverlappingMatchValidationForHTTPRoute); no method means GET."""
    return {
        "prefix": match["uri"]["prefix"],
        "port": match.get("port") or 0,
        "method": _string_match_text(match.get("method")) or _DEFAULT_METHOD_MATCH,
        "authority": _string_match_text(match.get("authority")),
        "maps": [
            {key: _string_match_text(value) for key, value in (match.get(name) or {}).items()}
            for name in ("headers", "queryParams", "withoutHeaders")
        ],
    }


def _prefix_covers(earlier: dict, later: dict) -> bool:
    """istio's coveredValidation: the earlier prefix match takes every request the later one would."""

    def covers(first: str, second: str) -> bool:
        return first == second or first.startswith(second)

    return (
        later["prefix"].startswith(earlier["prefix"])
        and later["port"] == earlier["port"]
        and covers(earlier["method"], later["method"])
        and covers(earlier["authority"], later["authority"])
        and all(
            len(mine) == len(theirs) and all(key in theirs and covers(value, theirs[key]) for key, value in mine.items())
            for mine, theirs in zip(earlier["maps"], later["maps"])
        )
    )


def _rule_name(rule: dict, index: int) -> str:
    return '"%s"' % rule["name"] if rule.get("name") else "#%d" % index


def _request_name(match: Optional[dict], index: int) -> str:
    return '"%s"' % match["name"] if match and match.get("name") else "#%d" % index


def _unused(rule: dict, index: int, reason: str) -> str:
    return "VirtualService rule %s not used (%s)." % (_rule_name(rule, index), reason)


def _ineffective(rule: dict, index: int, match_name: str, other: str) -> str:
    return "VirtualService rule %s match %s is not used (duplicate/overlapping match in rule %s)." % (
        _rule_name(rule, index), match_name, other
    )


def regex_fields(spec: dict) -> Iterator[tuple[str, str]]:
    """(camelCase field path, pattern) of every regex of a VirtualService spec that Envoy compiles with RE2."""
    for route_path, route in _items(spec.get("http"), "http"):
        for match_path, match in _items(route.get("match"), route_path + ".match"):
            for key in ("uri", "scheme", "method", "authority"):
                yield from _regex_of("%s.%s" % (match_path, key), ((match or {}).get(key)))
            for key in ("headers", "withoutHeaders", "queryParams"):
                for name, string_match in ((match or {}).get(key) or {}).items():
                    if not (key == "withoutHeaders" and (string_match or {}).get("regex") == "*"):
                        yield from _regex_of(_key_path("%s.%s" % (match_path, key), name), string_match)
        regex_rewrite = (route.get("rewrite") or {}).get("uriRegexRewrite") or {}
        if isinstance(regex_rewrite.get("match"), str):
            yield route_path + ".rewrite.uriRegexRewrite.match", regex_rewrite["match"]
        for origin_path, origin in _items((route.get("corsPolicy") or {}).get("allowOrigins"), route_path + ".corsPolicy.allowOrigins"):
            yield from _regex_of(origin_path, origin)


def _regex_of(path: str, string_match: dict | None) -> Iterator[tuple[str, str]]:
    regex = (string_match or {}).get("regex")
    if isinstance(regex, str):
        yield path + ".regex", regex


def _check_gateway_reference(path: str, gateway: str) -> None:
    """``mesh``, ``<name>`` (the VirtualService's namespace) or ``<namespace>/<name>``."""
    namespace, slash, name = gateway.partition("/")
    if not slash:
        error = _fqdn_error(gateway)
        if error:
            _fail(path, "invalid gateway reference %r: use mesh, <name> or <namespace>/<name> (%s)" % (gateway, error))
        return
    if not namespace or not name:
        _fail(path, "namespace and name in gateway reference %r cannot be empty" % gateway)
    if not _istio_label(namespace):
        _fail(path, "invalid namespace %r in gateway reference %r" % (namespace, gateway))
    if not _istio_label(name):
        _fail(path, "invalid gateway name %r in gateway reference %r" % (name, gateway))


def _check_virtual_service_host(path: str, host: str, applies_to_gateway: bool, has_sni_hosts: bool) -> None:
    if applies_to_gateway and has_sni_hosts and host.startswith("outbound_"):
        error = _auto_sni_host_error(host)
    else:
        error = wildcard_domain_error(host)
    if error:
        if not _is_ip_address(host):
            _fail(path, error)
    elif host == "*" and not applies_to_gateway:
        _fail(path, "wildcard host '*' is not allowed for a VirtualService bound to the mesh gateway "
                    "(gateways empty or containing 'mesh'); name the hosts or bind it to a gateway only")


def _auto_sni_host_error(host: str) -> str | None:
    """Hosts of the form ``outbound_.<port>_._.<hostname>`` (AUTO_PASSTHROUGH SNI)."""
    parts = host.split("_")
    if len(parts) < 4 or parts[0] != "outbound" or not re.search(r"[0-9]", parts[1].strip(".")) \
            or not re.search(r"[a-zA-Z]", parts[3].strip(".")):
        return "domain name %r invalid, expected outbound_.<PORT>_._.<HOSTNAME>" % host
    return None


def hosts_overlap(first: str, second: str) -> bool:
    """istio's host.Name.Matches: equal, or one wildcard covers the other."""
    if first.startswith("*") and second.startswith("*"):
        shorter, longer = sorted((first[1:], second[1:]), key=len)
        return longer.endswith(shorter)
    if first.startswith("*"):
        return second.endswith(first[1:])
    if second.startswith("*"):
        return first.endswith(second[1:])
    return first == second


def _check_duplicate_hosts(hosts: list) -> None:
    for index, host in enumerate(hosts):
        for other_index in range(index + 1, len(hosts)):
            if hosts_overlap(host, hosts[other_index]):
                _fail("hosts[%d]" % other_index, "duplicate host: %r overlaps hosts[%d] %r"
                      % (hosts[other_index], index, host))


def _check_export_to(export_to: list | None, namespace: str | None) -> None:
    seen: set[str] = set()
    for path, entry in _items(export_to, "exportTo"):
        key = namespace if entry == "." and namespace else entry
        if key in seen:
            _fail(path, "duplicate entry %r in export_to" % entry)
        if entry == "~":
            _fail(path, "export_to '~' (none) is not allowed for a VirtualService")
        if entry not in (".", "*") and not _istio_label(entry):
            _fail(path, "invalid entry %r: use '.', '*' or a namespace name" % entry)
        seen.add(key)
    if "*" in seen and len(seen) > 1:
        _fail("exportTo", "'*' (all namespaces) cannot be combined with other entries")


def _check_http_route(findings: Findings, path: str, route: dict, is_delegate: bool, applies_to_gateway: bool) -> None:
    """Record the errors of one HTTP route, each part checked on its own."""
    findings.check(_check_http_route_actions, path, route, is_delegate)
    for match_path, match in _items(route.get("match"), path + ".match"):
        if match is not None:  # istiod skips null matches
            _check_http_match(findings, match_path, match, applies_to_gateway)
    findings.check(_check_header_operations, path + ".headers", route.get("headers"))
    findings.check(_check_cors_policy, path + ".corsPolicy", route.get("corsPolicy"))
    findings.check(_check_fault, path + ".fault", route.get("fault"))
    for key in ("mirrorPercent", "mirror_percent"):  # Istio's CRD has both spellings
        value = route.get(key)
        if value is not None and not 0 <= value <= 100:
            findings.error("%s.%s" % (path, key), "must be between 0 and 100 (got %r)" % (value,))
        if value is not None:
            findings.warn("%s.%s" % (path, key), "mirror_percent is deprecated, use mirror_percentage instead")
    findings.check(_check_percentage, path + ".mirrorPercentage", route.get("mirrorPercentage"))
    if route.get("mirror") is not None:
        findings.check(_check_destination, path + ".mirror", route["mirror"])
    for mirror_path, mirror in _items(route.get("mirrors"), path + ".mirrors"):
        findings.check(_check_mirror, mirror_path, mirror)
    findings.check(_check_redirect, path + ".redirect", route.get("redirect"))
    _check_direct_response(findings, path + ".directResponse", route.get("directResponse"))
    findings.check(_check_retries, path + ".retries", route.get("retries"))
    findings.check(_check_rewrite, path + ".rewrite", route.get("rewrite"))
    findings.check(_check_authority_set_once, path, route)
    findings.check(_check_route_destinations, path + ".route", route.get("route"), True)
    if route.get("timeout") is not None:
        findings.check(_check_duration, path + ".timeout", route["timeout"])


def _check_mirror(path: str, mirror: dict) -> None:
    if not mirror.get("destination"):
        _fail(path + ".destination", "destination is required")
    _check_destination(path + ".destination", mirror["destination"])
    _check_percentage(path + ".percentage", mirror.get("percentage"))


def _check_http_route_actions(path: str, route: dict, is_delegate: bool) -> None:
    """istio's validateHTTPRouteConflict: what a route does must be unambiguous."""
    has_route = bool(route.get("route"))
    redirect, direct_response = route.get("redirect"), route.get("directResponse")
    if route.get("delegate") is not None:
        if is_delegate:
            _fail(path + ".delegate", "a delegate VirtualService (no hosts) cannot delegate again")
        for key in ("redirect", "route"):
            if route.get(key) is not None:
                _fail("%s.%s" % (path, key), "a route with delegate must not also set %s" % key)
        return
    if redirect is not None:
        conflicts = [("route", has_route), ("fault", route.get("fault") is not None),
                     ("rewrite", route.get("rewrite") is not None),
                     ("directResponse", direct_response is not None)]
        for key, present in conflicts:
            if present:
                _fail("%s.%s" % (path, key), "cannot be combined with redirect")
    elif direct_response is not None:
        conflicts = [("route", has_route), ("fault", route.get("fault") is not None),
                     ("rewrite", route.get("rewrite") is not None)]
        for key, present in conflicts:
            if present:
                _fail("%s.%s" % (path, key), "cannot be combined with direct_response")
    elif not has_route:
        _fail(path, "one of route, redirect, direct_response or delegate is required")
    if route.get("mirror") is not None and route.get("mirrors"):
        _fail(path + ".mirrors", "cannot be combined with mirror; use mirrors only")


def _check_http_match(findings: Findings, path: str, match: dict, applies_to_gateway: bool) -> None:
    for key in ("headers", "withoutHeaders"):
        for header, string_match in (match.get(key) or {}).items():
            findings.check(_check_header_match, _key_path("%s.%s" % (path, key), header), header, string_match,
                           applies_to_gateway, key == "withoutHeaders")
    findings.check(_check_string_match, path + ".uri", match.get("uri"), False, True)
    for key in ("scheme", "method", "authority"):
        findings.check(_check_string_match, "%s.%s" % (path, key), match.get(key))
    for param, string_match in (match.get("queryParams") or {}).items():
        findings.check(_check_string_match, _key_path(path + ".queryParams", param), string_match, True)
    findings.check(_check_match_source, path, match)


def _check_header_match(path: str, header: str, string_match: dict | None, applies_to_gateway: bool,
                        without: bool) -> None:
    _check_match_header_name(path, header)
    if string_match is None and not without:
        _fail(path, "header match cannot be null; use {} to match any value")
    if header.startswith(_JWT_CLAIM_PREFIX) and not applies_to_gateway:
        _fail(path, "JWT claim based routing is only supported for VirtualServices bound to a gateway (not mesh)")
    # In without_headers, regex "*" is not RE2 but means "header present" (istiod).
    if not (without and (string_match or {}).get("regex") == "*"):
        _check_string_match(path, string_match, allow_empty=True)


def _check_match_source(path: str, match: dict) -> None:
    """The fields HTTP, TLS and TCP matches share: port, source labels, gateways and source namespace."""
    if match.get("port"):
        _check_port_number(path + ".port", match["port"])
    _check_labels(path + ".sourceLabels", match.get("sourceLabels"))
    for gateway_path, gateway in _items(match.get("gateways"), path + ".gateways"):
        _check_gateway_reference(gateway_path, gateway)
    if match.get("sourceNamespace") and not _istio_label(match["sourceNamespace"]):
        _fail(path + ".sourceNamespace", "invalid namespace %r" % match["sourceNamespace"])


def _check_match_header_name(path: str, name: str) -> None:
    if not name:
        _fail(path, "header name cannot be empty")
    if not (name.startswith(_JWT_CLAIM_PREFIX) or name in _PSEUDO_HEADERS or _HEADER_NAME.match(name)):
        _fail(path, "%r is not a valid header name" % name)


def _check_string_match(
    path: str, string_match: dict | None, allow_empty: bool = False, allow_empty_prefix: bool = False
) -> None:
    """A StringMatch: exactly one of exact/prefix/regex (none allowed where it means 'present')."""
    if string_match is None:
        return
    present = _check_at_most_one(path, string_match, STRING_MATCH_KINDS)
    if not present:
        if not allow_empty:
            _fail(path, "set exactly one of exact, prefix or regex")
        return
    kind = present[0]
    value = string_match[kind]
    if kind == "prefix" and value == "" and not allow_empty_prefix:
        _fail(path + ".prefix", "prefix match should not be empty")
    if kind == "regex":
        _check_regex(path + ".regex", value)


def _check_regex(path: str, regex: str) -> None:
    """istiod's validateStringRegexp, with the RE2 that Envoy compiles the regex with."""
    if not regex:
        _fail(path, "regex match should not be empty")
    try:
        error = re2_error(regex)
    except RE2Unavailable as err:
        error = str(err)
    if error:
        _fail(path, error)


def _check_header_operations(path: str, headers: dict | None) -> None:
    """Header names/values in ``headers.request|response.set|add|remove``."""
    for direction in ("request", "response"):
        operations = (headers or {}).get(direction) or {}
        for operation in ("set", "add"):
            for name, value in (operations.get(operation) or {}).items():
                name_path = _key_path("%s.%s.%s" % (path, direction, operation), name)
                _check_header_operation_name(name_path, name, allow_authority=direction == "request")
                if not isinstance(value, str) or _HEADER_VALUE_FORBIDDEN.search(value):
                    _fail(name_path, "header value %r is invalid (control characters)" % (value,))
                error = header_value_error(value)
                if error:
                    _fail(name_path, "header value %r is invalid: %s" % (value, error))
        for name_path, name in _items(operations.get("remove"), "%s.%s.remove" % (path, direction)):
            _check_header_operation_name(name_path, name, allow_authority=False)


def header_value_error(value: str) -> str | None:
    """Envoy's header_parser (istio's validateHeaderValue): ``%`` starts ``%VAR%`` or ``%VAR(args)%``, ``%%`` is a %."""
    state, position = "literal", 0
    while position < len(value):
        char = value[position]
        if state == "literal":
            if char == "%":
                if position + 1 == len(value):
                    return "un-escaped %; write %% for a literal %"
                if value[position + 1] == "%":
                    position += 1
                else:
                    state = "name"
        elif state == "name":
            state = {"%": "literal", "(": "array"}.get(char, state)
        elif state == "array":
            state = "string-start" if char == "[" else (state if char == " " else "string")
        elif state == "delimiter":
            if char not in ",] ":
                return "expecting ',', ']' or whitespace in the arguments"
            state = {",": "string-start", "]": "args-end"}.get(char, state)
        elif state == "string-start":
            if char not in '" ':
                return "expecting '\"' in the arguments"
            state = "string" if char == '"' else state
        elif state == "string":
            if char == "\\":
                if position + 1 == len(value):
                    return "un-terminated backslash in a JSON string"
                position += 1
            else:
                state = {")": "variable-end", '"': "delimiter"}.get(char, state)
        elif state in ("args-end", "variable-end"):
            expected = ")" if state == "args-end" else "%"
            if char == expected:
                state = "variable-end" if state == "args-end" else "literal"
            elif char != " ":
                return "expecting %r or whitespace" % expected
        position += 1
    if state != "literal":
        return "un-terminated variable expression"
    return None


def _check_header_operation_name(path: str, name: str, allow_authority: bool) -> None:
    if not name:
        _fail(path, "header name cannot be empty")
    is_authority = name.lower() in (":authority", "host")
    if allow_authority and is_authority:
        return
    if name.lower() == "host":
        _fail(path, "the Host header cannot be changed here; use rewrite.authority")
    if name.startswith(":"):
        _fail(path, "header %r cannot have a ':' prefix" % name)


def _check_authority_set_once(path: str, route: dict) -> None:
    """Authority may be rewritten in one place only: rewrite.authority or one request header set/add."""
    request = (route.get("headers") or {}).get("request") or {}
    sources = [path + ".rewrite.authority"] if (route.get("rewrite") or {}).get("authority") else []
    for operation in ("set", "add"):
        for name in request.get(operation) or {}:
            if name.lower() in (":authority", "host"):
                sources.append(_key_path("%s.headers.request.%s" % (path, operation), name))
    if len(sources) > 1:
        _fail(sources[1], "authority is already set by %s; set it in one place only" % sources[0])


def _check_cors_policy(path: str, policy: dict | None) -> None:
    if policy is None:
        return
    for origin_path, origin in _items(policy.get("allowOrigins"), path + ".allowOrigins"):
        present = _check_at_most_one(origin_path, origin, STRING_MATCH_KINDS)
        if not present or not origin[present[0]]:
            _fail(origin_path, "set one non-empty exact, prefix or regex")
        if present[0] == "regex":
            _check_regex(origin_path + ".regex", origin["regex"])
    for method_path, method in _items(policy.get("allowMethods"), path + ".allowMethods"):
        if method not in CORS_METHODS:
            _fail(method_path, "%r is not a supported HTTP method" % (method,))
    for key in ("allowHeaders", "exposeHeaders"):
        for header_path, header in _items(policy.get(key), "%s.%s" % (path, key)):
            if header != "*" and not _HEADER_NAME.match(header or ""):
                _fail(header_path, "%r is not a valid header name" % (header,))
    if policy.get("maxAge") is not None:
        seconds = _check_duration(path + ".maxAge", policy["maxAge"])
        if seconds != int(seconds):
            _fail(path + ".maxAge", "max_age is accurate only to seconds precision")
    if policy.get("unmatchedPreflights") not in (None, "UNSPECIFIED", "FORWARD", "IGNORE"):
        _fail(path + ".unmatchedPreflights", "expected one of UNSPECIFIED, FORWARD, IGNORE")


def _check_fault(path: str, fault: dict | None) -> None:
    if fault is None:
        return
    abort, delay = fault.get("abort"), fault.get("delay")
    if abort is None and delay is None:
        _fail(path, "fault injection needs an abort and/or a delay")
    if abort is not None:
        _check_percentage(path + ".abort.percentage", abort.get("percentage"))
        present = _check_at_most_one(path + ".abort", abort, ("httpStatus", "grpcStatus", "http2Error"))
        if abort.get("httpStatus") is not None:
            _check_http_status(path + ".abort.httpStatus", abort["httpStatus"])
        if abort.get("grpcStatus") is not None and abort["grpcStatus"] not in GRPC_STATUS_NAMES:
            _fail(path + ".abort.grpcStatus", "gRPC status %r is not supported, use a name such as NOT_FOUND or "
                                              "UNAVAILABLE" % (abort["grpcStatus"],))
        if "http2Error" in present:
            _fail(path + ".abort.http2Error", "HTTP/2 abort fault injection is not supported yet")
    if delay is not None:
        _check_percentage(path + ".delay.percentage", delay.get("percentage"))
        if delay.get("percent") is not None and not 0 <= delay["percent"] <= 100:
            _fail(path + ".delay.percent", "percentage %r is not in range 0..100" % (delay["percent"],))
        _check_at_most_one(path + ".delay", delay, ("fixedDelay", "exponentialDelay"))
        if delay.get("fixedDelay") is not None:
            _check_duration(path + ".delay.fixedDelay", delay["fixedDelay"])
        if delay.get("exponentialDelay") is not None:
            _fail(path + ".delay.exponentialDelay", "exponential_delay is not supported yet; use fixed_delay")


def _check_http_status(path: str, status: object) -> None:
    if isinstance(status, bool) or not isinstance(status, int) or not 200 <= status <= 600:
        _fail(path, "HTTP status %r is not in range 200-600" % (status,))


def _check_destination(path: str, destination: dict) -> None:
    if not destination or not destination.get("host"):
        _fail(path + ".host", "a destination needs a host")
    host = destination["host"]
    if host == "*":
        _fail(path + ".host", "invalid destination host '*'")
    error = wildcard_domain_error(host)
    if error:
        _fail(path + ".host", error)
    subset = destination.get("subset")
    if subset is not None and not _istio_label(subset):
        _fail(path + ".subset", "invalid subset name %r: must be a DNS-1123 label" % subset)
    if destination.get("port") is not None:
        _check_port_number(path + ".port.number", destination["port"].get("number"))


def _check_route_destinations(path: str, routes: list | None, http: bool) -> None:
    total_weight = 0
    for route_path, route in _items(routes, path):
        if not route.get("destination"):
            _fail(route_path + ".destination", "destination is required")
        _check_destination(route_path + ".destination", route["destination"])
        if http:
            _check_header_operations(route_path + ".headers", route.get("headers"))
        weight = route.get("weight", 0)
        if isinstance(weight, bool) or not isinstance(weight, int) or weight < 0:
            _fail(route_path + ".weight", "weight must be a non-negative integer (got %r)" % (weight,))
        total_weight += weight
    if routes and len(routes) > 1 and total_weight == 0:
        _fail(path, "the destination weights add up to 0; give at least one destination a positive weight")


def _check_redirect(path: str, redirect: dict | None) -> None:
    if redirect is None:
        return
    present = _check_at_most_one(path, redirect, ("port", "derivePort"))
    if not (redirect.get("uri") or redirect.get("authority") or redirect.get("scheme") or present):
        _fail(path, "a redirect must set uri, authority, scheme, port or derive_port")
    code = redirect.get("redirectCode")
    if code and not 300 <= code <= 399:
        _fail(path + ".redirectCode", "%r is not a valid redirect code, must be 3xx" % (code,))
    if redirect.get("scheme") and redirect["scheme"] not in ("http", "https"):
        _fail(path + ".scheme", "invalid redirect scheme %r, must be http or https" % redirect["scheme"])
    if redirect.get("port"):
        _check_port_number(path + ".port", redirect["port"])
    if redirect.get("derivePort") not in (None, "FROM_PROTOCOL_DEFAULT", "FROM_REQUEST_PORT"):
        _fail(path + ".derivePort", "expected FROM_PROTOCOL_DEFAULT or FROM_REQUEST_PORT")


def _check_direct_response(findings: Findings, path: str, direct_response: dict | None) -> None:
    if direct_response is None:
        return
    if direct_response.get("status") is None:
        findings.error(path + ".status", "status is required")
    else:
        findings.check(_check_http_status, path + ".status", direct_response["status"])
    body = direct_response.get("body") or {}
    present = findings.check(_check_at_most_one, path + ".body", body, ("string", "bytes"))
    if not present:
        return
    value = body[present[0]] or ""
    # bytes are base64 in the spec; istiod measures the decoded body
    size = len(value) * 3 // 4 - value.count("=") if present[0] == "bytes" else len(value.encode("utf-8"))
    if size > _MAX_DIRECT_RESPONSE_BODY:
        findings.error("%s.body.%s" % (path, present[0]), "a direct response body must be less than 1MB")
    elif size > _LARGE_DIRECT_RESPONSE_BODY:
        findings.warn("%s.body.%s" % (path, present[0]), "large direct responses (over 100KB) may impact control plane "
                      "performance")


def _check_retries(path: str, retries: dict | None) -> None:
    if retries is None:
        return
    attempts = retries.get("attempts", 0)
    if attempts < 0:
        _fail(path + ".attempts", "attempts cannot be negative")
    if attempts == 0:
        for key in ("perTryTimeout", "retryOn", "retryRemoteLocalities"):
            if retries.get(key) not in (None, ""):
                _fail("%s.%s" % (path, key), "retries are disabled (attempts is 0); set attempts or remove %s"
                      % option_name(key))
    for key in ("perTryTimeout", "backoff"):
        if retries.get(key) is not None:
            _check_duration("%s.%s" % (path, key), retries[key])
    for policy in (retries.get("retryOn") or "").split(",") if retries.get("retryOn") else []:
        if policy not in RETRY_ON_POLICIES and not _is_http_status_code(policy):
            _fail(path + ".retryOn", "%r is not a valid retry_on policy" % policy)


def _is_http_status_code(text: str) -> bool:
    try:
        HTTPStatus(int(text))
    except ValueError:
        return False
    return True


def _check_rewrite(path: str, rewrite: dict | None) -> None:
    if rewrite is None:
        return
    regex_rewrite = rewrite.get("uriRegexRewrite")
    if rewrite.get("uri") and regex_rewrite is not None:
        _fail(path, "set only one of uri or uri_regex_rewrite")
    if not (rewrite.get("uri") or regex_rewrite is not None or rewrite.get("authority")):
        _fail(path, "a rewrite must set uri, uri_regex_rewrite or authority")
    if regex_rewrite is not None:
        if not regex_rewrite.get("match") or not regex_rewrite.get("rewrite"):
            _fail(path + ".uriRegexRewrite", "both match and rewrite are required")
        _check_regex(path + ".uriRegexRewrite.match", regex_rewrite["match"])


def _check_tls_route(findings: Findings, path: str, route: dict, hosts: list, applies_to_gateway: bool) -> None:
    matches = route.get("match") or []
    if not matches:
        findings.error(path + ".match", "a TLS route needs at least one match")
    for match_path, match in _items(matches, path + ".match"):
        sni_hosts = match.get("sniHosts") or []
        if not sni_hosts:
            findings.error(match_path + ".sniHosts", "a TLS match needs at least one SNI host")
        for sni_path, sni_host in _items(sni_hosts, match_path + ".sniHosts"):
            _check_sni_host(findings, sni_path, sni_host, hosts, applies_to_gateway)
        findings.check(_check_l4_match, match_path, match)
    if not route.get("route"):
        findings.error(path + ".route", "a TLS route needs at least one destination")
    else:
        findings.check(_check_route_destinations, path + ".route", route["route"], False)


def _check_sni_host(findings: Findings, path: str, sni_host: str, hosts: list, applies_to_gateway: bool) -> None:
    if applies_to_gateway and sni_host.startswith("outbound_"):
        error = _auto_sni_host_error(sni_host)
    else:
        error = wildcard_domain_error(sni_host)
    if error and _is_ip_address(sni_host):
        findings.warn(path, "using an IP address (%r) goes against the SNI spec and most clients do not support "
                            "this" % sni_host)
    elif error:
        findings.error(path, error)
    elif not any(_host_subset_of(sni_host, host) for host in hosts):
        findings.error(path, "SNI host %r is not covered by any of the VirtualService hosts %s" % (sni_host, hosts))


def _host_subset_of(host: str, other: str) -> bool:
    """istio's host.Name.SubsetOf: ``host`` is matched by ``other``."""
    if other.startswith("*"):
        if host.startswith("*"):
            return host[1:].endswith(other[1:])
        return host.endswith(other[1:])
    return not host.startswith("*") and host == other


def _check_tcp_route(path: str, route: dict) -> None:
    for match_path, match in _items(route.get("match"), path + ".match"):
        _check_l4_match(match_path, match)
    if not route.get("route"):
        _fail(path + ".route", "a TCP route needs at least one destination")
    _check_route_destinations(path + ".route", route["route"], http=False)


def _check_l4_match(path: str, match: dict) -> None:
    for subnet_path, subnet in _items(match.get("destinationSubnets"), path + ".destinationSubnets"):
        if not _is_ip_subnet(subnet):
            _fail(subnet_path, "%r is not a valid IP address or CIDR block" % subnet)
    if match.get("sourceSubnet") and not _is_ip_subnet(match["sourceSubnet"]):
        _fail(path + ".sourceSubnet", "%r is not a valid IP address or CIDR block" % match["sourceSubnet"])
    _check_match_source(path, match)
