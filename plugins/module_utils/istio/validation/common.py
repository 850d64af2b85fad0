# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What istiod's validation of every kind shares: collecting findings, names, numbers, durations, string matches.

The rules of each kind are in their own file (gateway.py, virtual_service.py, destination_rule.py), as in istio's
``pkg/config/validation`` (validation.go, virtualservice.go, agent/validation.go), plus what the Kubernetes API
server and the CRD schema refuse, so that a task fails before a request instead of with a 4xx after one. Pure
functions on camelCase specs (as stored in the cluster); errors name the API field path (``servers[1].tls.httpsRedirect``),
which the engine shows as the option path the user wrote (``servers[1].tls.https_redirect``, see engine/options.py);
messages name options in snake_case. As istiod, ``validate_*``
collect every error (raised together as ``InvalidSpec``) and return istiod's warnings; regexes are checked with
RE2 (re2_regex.py), as Envoy compiles them.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Callable, Iterator, NoReturn

from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import (
    InvalidOption,
    dns1123_label_errors,
    dns1123_subdomain_errors,
    label_value_errors,
    qualified_name_errors,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.re2_regex import RE2Unavailable, re2_error

STRING_MATCH_KINDS = ("exact", "prefix", "regex")

# \Z, not $: Go's $ (as istiod uses it) does not match before a trailing newline, Python's does.
_ISTIO_LABEL = re.compile(r"^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?\Z")

_ISTIO_WILDCARD_LABEL = re.compile(r"^(\*|(\*|\*-)?[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)\Z")

HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~A-Za-z0-9]+\Z")

_HEADER_VALUE_FORBIDDEN = re.compile("[\x00-\x08\x0a-\x1f\x7f]")

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


def fail(path: str, message: str) -> NoReturn:
    raise InvalidOption(path, message)


def indexed(values: list | None, path: str) -> Iterator[tuple[str, Any]]:
    """Yield ``(index_path, value)`` for each element of an optional list."""
    for index, value in enumerate(values or []):
        yield "%s[%d]" % (path, index), value


def key_path(path: str, key: str) -> str:
    return "%s[%r]" % (path, key)


def is_dns1123_label(value: str) -> bool:
    """A Kubernetes DNS-1123 label: lowercase alphanumerics and '-', at most 63 characters."""
    return not dns1123_label_errors(value)


def _is_dns1123_subdomain(value: str) -> bool:
    """A Kubernetes DNS-1123 subdomain: dot-separated labels, at most 253 characters."""
    return not dns1123_subdomain_errors(value)


def is_istio_label(value: str) -> bool:
    return len(value) <= 63 and bool(_ISTIO_LABEL.match(value))


def _domain_labels_error(domain: str) -> str | None:
    """istio's ValidateDNS1123Labels: labels valid, top-level label not all-numeric, trailing dot allowed."""
    parts = domain.split(".")
    if parts[-1].isdigit():
        return "domain name %r invalid (top level domain %r cannot be all-numeric)" % (domain, parts[-1])
    for index, label in enumerate(parts):
        if index == len(parts) - 1 and label == "":
            return None
        if not is_istio_label(label):
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


def fqdn_error(domain: str) -> str | None:
    return _domain_precondition_error(domain) or _domain_labels_error(domain)


def is_ip_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def is_ip_subnet(value: str) -> bool:
    try:
        if value.count("/") == 1:
            ipaddress.ip_network(value, strict=False)
        else:
            ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def check_port_number(path: str, number: object) -> None:
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 65535:
        fail(path, "port number %r must be in the range 1..65535" % (number,))


def check_labels(path: str, labels: dict | None) -> None:
    for key, value in (labels or {}).items():
        if qualified_name_errors(str(key)):
            fail(key_path(path, key), "invalid label key %r" % key)
        if not isinstance(value, str) or label_value_errors(value):
            fail(key_path(path, key), "invalid label value %r" % (value,))


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


def check_duration(path: str, text: str) -> float:
    """istio's ValidateDuration: parses, at least 1ms, millisecond precision."""
    try:
        seconds = parse_duration(text)
    except ValueError:
        fail(path, "invalid duration %r, expected a value such as 1s, 0.5s, 100ms or 1m30s" % (text,))
    milliseconds = round(seconds * 1000, 6)
    if milliseconds < 1:
        fail(path, "duration must be at least 1ms (got %r)" % text)
    if milliseconds != int(milliseconds):
        fail(path, "only durations to ms precision are supported (got %r)" % text)
    return seconds


def check_percentage(path: str, percentage: dict | None) -> None:
    if percentage is None:
        return
    value = percentage.get("value", 0)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            value < 0 or value > 100 or 0 < value < 0.0001:
        fail(path + ".value", "percentage %r is neither 0, nor in range [0.0001, 100]" % (value,))


def check_at_most_one(path: str, obj: dict, keys: tuple) -> list[str]:
    present = [key for key in keys if obj.get(key) is not None]
    if len(present) > 1:
        fail(path, "only one of %s may be set, got %s" % ("/".join(keys), ", ".join(present)))
    return present


def check_namespace(namespace: str | None) -> None:
    if namespace is not None and not is_dns1123_label(namespace):
        fail("namespace", "invalid namespace %r: must be a DNS-1123 label" % (namespace,))


def check_name_and_namespace(findings: Findings, kind: str, name: str, namespace: str | None) -> None:
    """Record what is wrong with an object's name (a DNS-1123 subdomain, as the API server requires) and namespace."""
    if not name or not _is_dns1123_subdomain(name):
        findings.error("name", "invalid %s name %r: must be a DNS-1123 subdomain "
                               "(lowercase letters, digits, '-' and '.')" % (kind, name))
    findings.check(check_namespace, namespace)


def check_export_to(path: str, export_to: list | None, namespace: str | None, kind: str) -> None:
    """istio's validateExportTo (for kinds other than ServiceEntry): ``.``, ``*`` or namespace names, no duplicates,
    ``*`` alone."""
    seen: set[str] = set()
    for entry_path, entry in indexed(export_to, path):
        key = namespace if entry == "." and namespace else entry
        if key in seen:
            fail(entry_path, "duplicate entry %r in export_to" % entry)
        if entry == "~":
            fail(entry_path, "export_to '~' (none) is not allowed for a %s" % kind)
        if entry not in (".", "*") and not is_istio_label(entry):
            fail(entry_path, "invalid entry %r: use '.', '*' or a namespace name" % entry)
        seen.add(key)
    if "*" in seen and len(seen) > 1:
        fail(path, "'*' (all namespaces) cannot be combined with other entries")


def check_string_match(
    path: str, string_match: dict | None, allow_empty: bool = False, allow_empty_prefix: bool = False
) -> None:
    """A StringMatch: exactly one of exact/prefix/regex (none allowed where it means 'present')."""
    if string_match is None:
        return
    present = check_at_most_one(path, string_match, STRING_MATCH_KINDS)
    if not present:
        if not allow_empty:
            fail(path, "set exactly one of exact, prefix or regex")
        return
    kind = present[0]
    value = string_match[kind]
    if kind == "prefix" and value == "" and not allow_empty_prefix:
        fail(path + ".prefix", "prefix match should not be empty")
    if kind == "regex":
        check_regex(path + ".regex", value)


def check_regex(path: str, regex: str) -> None:
    """istiod's validateStringRegexp, with the RE2 that Envoy compiles the regex with."""
    if not regex:
        fail(path, "regex match should not be empty")
    try:
        error = re2_error(regex)
    except RE2Unavailable as err:
        error = str(err)
    if error:
        fail(path, error)


def check_header_operations(path: str, headers: dict | None) -> None:
    """Header names/values in ``headers.request|response.set|add|remove``."""
    for direction in ("request", "response"):
        operations = (headers or {}).get(direction) or {}
        for operation in ("set", "add"):
            for name, value in (operations.get(operation) or {}).items():
                name_path = key_path("%s.%s.%s" % (path, direction, operation), name)
                _check_header_operation_name(name_path, name, allow_authority=direction == "request")
                if not isinstance(value, str) or _HEADER_VALUE_FORBIDDEN.search(value):
                    fail(name_path, "header value %r is invalid (control characters)" % (value,))
                error = _header_value_error(value)
                if error:
                    fail(name_path, "header value %r is invalid: %s" % (value, error))
        for name_path, name in indexed(operations.get("remove"), "%s.%s.remove" % (path, direction)):
            _check_header_operation_name(name_path, name, allow_authority=False)


def _header_value_error(value: str) -> str | None:
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
        fail(path, "header name cannot be empty")
    is_authority = name.lower() in (":authority", "host")
    if allow_authority and is_authority:
        return
    if name.lower() == "host":
        fail(path, "the Host header cannot be changed here; use rewrite.authority")
    if name.startswith(":"):
        fail(path, "header %r cannot have a ':' prefix" % name)
