# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Kubernetes' own rules for object names, namespaces, labels and annotations, checked before any request.

The ``*_errors`` functions are pure and word their findings as apimachinery does
(``k8s.io/apimachinery/pkg/util/validation`` and ``pkg/api/validation/objectmeta.go``); an empty list means valid.
A module declares which of its options are which kind of name (``OptionRules``, see ``check_options``): each
rule validates an option's value and returns it as it will be sent, or raises ``InvalidName`` naming the option.

Label and annotation values must be strings. Integers and booleans, which YAML gives for ``version: 1`` or
``canary: true``, are taken as their YAML text (``"1"``, ``"true"``); floats, null, lists and dicts are refused,
since their text would not be what the user wrote (``1.10`` would become ``"1.1"``).
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Mapping, MutableMapping

DNS1123_LABEL_MAX_LENGTH = 63
DNS1123_SUBDOMAIN_MAX_LENGTH = 253
QUALIFIED_NAME_MAX_LENGTH = 63
LABEL_VALUE_MAX_LENGTH = 63
TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024

DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*"
DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
_QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_LABEL_VALUE_FMT = "(%s)?" % _QUALIFIED_NAME_FMT

_DNS1123_LABEL_MSG = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                      "and must start and end with an alphanumeric character")
_DNS1123_SUBDOMAIN_MSG = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
                          "or '.', and must start and end with an alphanumeric character")
_DNS1035_LABEL_MSG = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                      "alphabetic character, and end with an alphanumeric character")
_QUALIFIED_NAME_MSG = ("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                       "alphanumeric character")
_LABEL_VALUE_MSG = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                    "and must start and end with an alphanumeric character")


class InvalidOption(ValueError):
    """An option value the API server (or istiod) would refuse; ``path`` names the option."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(path, message)
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return "%s: %s" % (self.path, self.message)


def invalid_option_fields(err: InvalidOption, option_path: Callable[[str], str]) -> dict:
    """``msg``, ``option`` (the first path) and ``errors`` (every error) of a failure for invalid options, with each
    path as the user wrote it (``option_path`` turns an API field path into an option path)."""
    errors = [dict(option=option_path(error.path), msg=error.message) for error in getattr(err, "errors", None) or [err]]
    described = ["%s: %s" % (error["option"], error["msg"]) for error in errors]
    msg = described[0] if len(errors) == 1 else "%d invalid options: %s" % (len(errors), "; ".join(described))
    return dict(msg=msg, option=errors[0]["option"], errors=errors)


class InvalidName(InvalidOption):
    """A name, namespace, label or annotation the API server would refuse; ``option`` names the module option."""

    @property
    def option(self) -> str:
        return self.path


def _regex_error(message: str, fmt: str, *examples: str) -> str:
    """apimachinery's RegexError: the rule, examples and the regex used."""
    return "%s (e.g. %s, regex used for validation is '%s')" % (
        message, " or ".join("'%s'" % example for example in examples), fmt)


def _max_length_error(length: int) -> str:
    return "must be no more than %d characters" % length


def _format_errors(value: str, max_length: int, pattern: re.Pattern, regex_error: str) -> list:
    if not value:
        return ["must be non-empty"]
    errors = [_max_length_error(max_length)] if len(value) > max_length else []
    return errors + ([] if pattern.fullmatch(value) else [regex_error])


_DNS1123_LABEL = re.compile(DNS1123_LABEL_FMT)
_DNS1123_SUBDOMAIN = re.compile(DNS1123_SUBDOMAIN_FMT)
_DNS1035_LABEL = re.compile(DNS1035_LABEL_FMT)
_QUALIFIED_NAME = re.compile(_QUALIFIED_NAME_FMT)
_LABEL_VALUE = re.compile(_LABEL_VALUE_FMT)


def dns1123_label_errors(value: str) -> list:
    """Why ``value`` is not a DNS-1123 label (namespaces, most names of the core API): at most 63 of [-a-z0-9]."""
    return _format_errors(value, DNS1123_LABEL_MAX_LENGTH, _DNS1123_LABEL,
                          _regex_error(_DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc"))


def dns1123_subdomain_errors(value: str) -> list:
    """Why ``value`` is not a DNS-1123 subdomain (custom resource names): at most 253 of [-.a-z0-9]."""
    return _format_errors(value, DNS1123_SUBDOMAIN_MAX_LENGTH, _DNS1123_SUBDOMAIN,
                          _regex_error(_DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"))


def dns1035_label_errors(value: str) -> list:
    """Why ``value`` is not a DNS-1035 label (Service names): a DNS-1123 label starting with a letter."""
    return _format_errors(value, DNS1123_LABEL_MAX_LENGTH, _DNS1035_LABEL,
                          _regex_error(_DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, "my-name", "abc-123"))


def qualified_name_errors(value: str) -> list:
    """Why ``value`` is not a qualified name (label and annotation keys): ``[prefix/]name``, the prefix a DNS-1123
    subdomain, the name at most 63 alphanumerics, '-', '_' or '.' starting and ending alphanumeric."""
    parts = value.split("/")
    if len(parts) > 2:
        return ["a qualified name " + _regex_error(_QUALIFIED_NAME_MSG, _QUALIFIED_NAME_FMT, "MyName", "my.name",
                                                   "123-abc")
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
    errors = []
    if len(parts) == 2:
        errors += ["prefix part " + error for error in dns1123_subdomain_errors(parts[0])]
    errors += ["name part " + error for error in _format_errors(
        parts[-1], QUALIFIED_NAME_MAX_LENGTH, _QUALIFIED_NAME,
        _regex_error(_QUALIFIED_NAME_MSG, _QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"))]
    return errors


def label_value_errors(value: str) -> list:
    """Why ``value`` is not a label value: empty, or at most 63 alphanumerics, '-', '_' or '.' (alphanumeric ends)."""
    errors = [_max_length_error(LABEL_VALUE_MAX_LENGTH)] if len(value) > LABEL_VALUE_MAX_LENGTH else []
    if not _LABEL_VALUE.fullmatch(value):
        errors.append(_regex_error(_LABEL_VALUE_MSG, _LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errors


def annotations_size(annotations: Mapping[str, str]) -> int:
    """Bytes of all keys and values, as the API server counts them against ``TOTAL_ANNOTATION_SIZE_LIMIT``."""
    return sum(len(key.encode("utf-8")) + len(value.encode("utf-8")) for key, value in annotations.items())


# --- option rules: validate one option's value, return it as sent --------------------------------------------

OptionRule = Callable[[str, Any], Any]
OptionRules = Mapping[str, OptionRule]
NameErrors = Callable[[str], list]

NAME_RULES: dict = {
    "subdomain": dns1123_subdomain_errors,
    "label": dns1123_label_errors,
    "dns1035": dns1035_label_errors,
}


def _quoted(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _check_name(option: str, value: str, what: str, errors: NameErrors) -> str:
    found = errors(value)
    if found:
        raise InvalidName(option, "%s is not a valid %s: %s" % (_quoted(value), what, "; ".join(found)))
    return value


def object_name(kind: str, name_format: str = "subdomain") -> OptionRule:
    """The rule for the name of a ``kind`` object (``name_format`` one of ``NAME_RULES``)."""
    return lambda option, value: _check_name(option, value, "%s name" % kind, NAME_RULES[name_format])


def namespace_name(option: str, value: str) -> str:
    """The rule for a namespace: a DNS-1123 label."""
    return _check_name(option, value, "namespace name", dns1123_label_errors)


def each(rule: OptionRule) -> OptionRule:
    """The rule for a list option whose every element follows ``rule`` (errors name ``option[index]``)."""
    return lambda option, values: [rule("%s[%d]" % (option, index), value) for index, value in enumerate(values)]


def _as_text(option: str, what: str, value: Any) -> str:
    """``value`` as the string the API stores: strings as they are, integers and booleans as their YAML text."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if value is None:
        found = "null (write \"\" for an empty value)"
    elif isinstance(value, float):
        found = "the number %r (quote it, so that it is stored as written)" % value
    elif isinstance(value, Mapping):
        found = "a dict"
    elif isinstance(value, list):
        found = "a list"
    else:
        found = "a %s" % type(value).__name__
    raise InvalidName(option, "%s must be a string, got %s" % (what, found))


def label_map(option: str, value: Mapping) -> dict:
    """The rule for labels: qualified-name keys, values of at most 63 characters of the allowed set."""
    checked = {}
    for raw_key, raw_value in value.items():
        key = _as_text(option, "a label key", raw_key)
        _check_name(option, key, "label key", qualified_name_errors)
        text = _as_text(option, "the value of label %s" % _quoted(key), raw_value)
        _check_name("%s[%s]" % (option, _quoted(key)), text, "label value", label_value_errors)
        checked[key] = text
    return checked


def annotation_map(option: str, value: Mapping) -> dict:
    """The rule for annotations: qualified-name keys (any case), string values, at most 256 KiB in all."""
    checked = {}
    for raw_key, raw_value in value.items():
        key = _as_text(option, "an annotation key", raw_key)
        found = qualified_name_errors(key.lower())
        if found:
            raise InvalidName(option, "%s is not a valid annotation key: %s" % (_quoted(key), "; ".join(found)))
        checked[key] = _as_text(option, "the value of annotation %s" % _quoted(key), raw_value)
    size = annotations_size(checked)
    if size > TOTAL_ANNOTATION_SIZE_LIMIT:
        raise InvalidName(option, "Too long: must have at most %d bytes (keys and values together are %d bytes)"
                          % (TOTAL_ANNOTATION_SIZE_LIMIT, size))
    return checked


def check_options(params: MutableMapping, rules: OptionRules) -> None:
    """Validate each set option of ``params`` that ``rules`` names, storing the value as it will be sent.

    Raises ``InvalidName`` for the first invalid one. Unset (None) options are left to the module.
    """
    for option, rule in rules.items():
        if params.get(option) is not None:
            params[option] = rule(option, params[option])
