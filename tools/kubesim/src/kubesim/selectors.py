"""Label and field selectors as the apiserver parses them (apimachinery ``labels`` and ``fields``).

``SelectorError`` carries the server's wording; the API layer answers it with 400 BadRequest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

_LABEL_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_NAME_MESSAGE = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
_VALUE_MESSAGE = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for "
    "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)
_PREFIX_MESSAGE = (
    "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
_BINARY_OPERATORS = ("in", "notin", "=", "==", "!=", "gt", "lt")
_SYMBOLS = ("!=", "==", "=", "!", "(", ")", ",", ">", "<")

# Field labels every kind supports, and the extra ones some built-in kinds add (registry GetAttrs).
OBJECT_META_FIELDS = ("metadata.name", "metadata.namespace")
KIND_FIELDS = {
    "Service": ("spec.clusterIP", "spec.type"),
    "Secret": ("type",),
    "Namespace": ("status.phase",),
    "Pod": ("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
            "status.phase", "status.podIP", "status.nominatedNodeName"),
}


class SelectorError(ValueError):
    """An unparsable or unsupported selector; ``str()`` is the server's message."""


def _go_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- label selectors ------------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    key: str
    operator: str
    values: tuple[str, ...] = ()

    def matches(self, labels: Mapping[str, str]) -> bool:
        present = self.key in labels
        value = labels.get(self.key)
        if self.operator in ("=", "==", "in"):
            return present and value in self.values
        if self.operator in ("!=", "notin"):
            return not present or value not in self.values
        if self.operator == "exists":
            return present
        if self.operator == "!":
            return not present
        if value is None or not re.fullmatch(r"-?\d+", value):
            return False
        return int(value) > int(self.values[0]) if self.operator == "gt" else int(value) < int(self.values[0])


@dataclass(frozen=True)
class LabelSelector:
    requirements: tuple[Requirement, ...]

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        return all(requirement.matches(labels or {}) for requirement in self.requirements)


def _tokens(text: str) -> list[tuple[str, str]]:
    """Split into (kind, literal) pairs; kind is the symbol itself, 'id' for identifiers, or 'end'."""
    tokens, position = [], 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        symbol = next((s for s in _SYMBOLS if text.startswith(s, position)), None)
        if symbol:
            tokens.append((symbol, symbol))
            position += len(symbol)
            continue
        start = position
        while position < len(text) and not text[position].isspace() and text[position] not in "!=(),><":
            position += 1
        literal = text[start:position]
        tokens.append((literal if literal in ("in", "notin") else "id", literal))
    tokens.append(("end", ""))
    return tokens


def _validate_key(key: str) -> None:
    prefix, _slash, name = key.rpartition("/")
    problems = []
    if "/" in key and (not prefix or len(prefix) > 253 or not DNS1123_SUBDOMAIN.match(prefix)):
        problems.append("prefix part must be non-empty" if not prefix else _PREFIX_MESSAGE)
    if not name:
        problems.append("name part must be non-empty")
    elif len(name) > 63:
        problems.append("name part must be no more than 63 characters")
    elif not _LABEL_NAME.match(name):
        problems.append(_NAME_MESSAGE)
    if problems:
        raise SelectorError(f"<nil>: Invalid value: {_go_quote(key)}: {'; '.join(problems)}")


def _validate_values(operator: str, values: list[str]) -> None:
    if operator in ("in", "notin") and not values:
        raise SelectorError("values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be "
                            "empty")
    if operator in ("gt", "lt"):
        if len(values) != 1:
            raise SelectorError("values: Invalid value: []string{...}: for 'Gt', 'Lt' operators, exactly one value "
                                "is required")
        if not re.fullmatch(r"-?\d+", values[0]):
            raise SelectorError(f"values[0]: Invalid value: {_go_quote(values[0])}: for 'Gt', 'Lt' operators, "
                                "the value must be an integer")
    for index, value in enumerate(values):
        problem = "must be no more than 63 characters" if len(value) > 63 else (
            None if _LABEL_VALUE.match(value) else _VALUE_MESSAGE)
        if problem:
            raise SelectorError(f"values[{index}]: Invalid value: {_go_quote(value)}: {problem}")


class _LabelParser:
    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.position = 0

    def peek(self, values_context: bool = True) -> tuple[str, str]:
        kind, literal = self.tokens[self.position]
        return ("id", literal) if values_context and kind in ("in", "notin") else (kind, literal)

    def take(self, values_context: bool = True) -> tuple[str, str]:
        token = self.peek(values_context)
        self.position += 1
        return token

    def parse(self) -> LabelSelector:
        requirements = []
        while True:
            kind, literal = self.peek()
            if kind == "end":
                break
            if kind not in ("id", "!"):
                raise SelectorError(f"found '{literal}', expected: !, identifier, or 'end of string'")
            try:
                requirements.append(self.requirement())
            except SelectorError as error:
                raise SelectorError(f"unable to parse requirement: {error}") from None
            kind, literal = self.take()
            if kind == "end":
                break
            if kind != ",":
                raise SelectorError(f"found '{literal}', expected: ',' or 'end of string'")
            next_kind, next_literal = self.peek()
            if next_kind not in ("id", "!"):
                raise SelectorError(f"found '{next_literal}', expected: identifier after ','")
        return LabelSelector(tuple(sorted(requirements, key=lambda r: r.key)))

    def requirement(self) -> Requirement:
        kind, literal = self.take()
        negated = kind == "!"
        if negated:
            kind, literal = self.take()
        if kind != "id":
            raise SelectorError(f"found '{literal}', expected: identifier")
        key = literal
        _validate_key(key)
        if self.peek()[0] in ("end", ","):
            return Requirement(key, "!" if negated else "exists")
        if negated:
            kind, literal = self.peek()
            raise SelectorError(f"found '{literal}', expected: ',' or 'end of string'")
        kind, literal = self.take(values_context=False)
        operator = {">": "gt", "<": "lt"}.get(kind, kind)
        if operator not in _BINARY_OPERATORS:
            raise SelectorError(f"found '{literal}', expected: {', '.join(_BINARY_OPERATORS)}")
        values = self.set_values() if operator in ("in", "notin") else self.exact_value()
        _validate_values(operator, values)
        return Requirement(key, operator, tuple(sorted(set(values))))

    def exact_value(self) -> list[str]:
        kind, literal = self.peek()
        if kind in ("end", ","):
            return [""]
        self.take()
        if kind != "id":
            raise SelectorError(f"found '{literal}', expected: identifier")
        return [literal]

    def set_values(self) -> list[str]:
        kind, literal = self.take()
        if kind != "(":
            raise SelectorError(f"found '{literal}' expected: '('")
        values: list[str] = []
        expect_value = True
        while True:
            kind, literal = self.take()
            if kind == ")":
                if expect_value and values:
                    values.append("")
                return values
            if kind == "id" and expect_value:
                values.append(literal)
                expect_value = False
                next_kind, next_literal = self.peek()
                if next_kind not in (",", ")"):
                    raise SelectorError(f"found '{next_literal}', expected: ',' or ')'")
            elif kind == ",":
                if expect_value:
                    values.append("")
                expect_value = True
            else:
                raise SelectorError(f"found '{literal}', expected: ',', or identifier")


def parse_label_selector(text: str | None) -> LabelSelector:
    """Parse a ``labelSelector`` query value; empty matches everything."""
    return _LabelParser(text or "").parse()


def label_selector_from_spec(spec: Mapping[str, Any] | None) -> LabelSelector:
    """Build a selector from a ``metav1.LabelSelector`` object (``matchLabels``/``matchExpressions``)."""
    spec = spec or {}
    requirements = [Requirement(key, "=", (value,)) for key, value in (spec.get("matchLabels") or {}).items()]
    operators = {"In": "in", "NotIn": "notin", "Exists": "exists", "DoesNotExist": "!"}
    for expression in spec.get("matchExpressions") or []:
        if expression.get("operator") not in operators:
            raise SelectorError(f"{_go_quote(str(expression.get('operator')))} is not a valid label selector "
                                "operator")
        requirements.append(Requirement(expression["key"], operators[expression["operator"]],
                                        tuple(sorted(expression.get("values") or ()))))
    return LabelSelector(tuple(requirements))


# --- field selectors ------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldRequirement:
    field: str
    operator: str
    value: str

    def matches(self, fields: Mapping[str, str]) -> bool:
        equal = fields.get(self.field, "") == self.value
        return not equal if self.operator == "!=" else equal


@dataclass(frozen=True)
class FieldSelector:
    requirements: tuple[FieldRequirement, ...]

    def matches(self, fields: Mapping[str, str]) -> bool:
        return all(requirement.matches(fields) for requirement in self.requirements)


def _split_unescaped(text: str, separator: str) -> list[str]:
    parts, current, escaped = [], "", False
    for char in text:
        if escaped:
            current += "\\" + char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append(current)
            current = ""
        else:
            current += char
    return parts + [current + ("\\" if escaped else "")]


def _unescape(value: str) -> str:
    result, escaped = "", False
    for char in value:
        if escaped:
            if char not in "\\,=":
                raise SelectorError(f"invalid field selector: invalid escape sequence: \\{char}")
            result += char
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            result += char
    if escaped:
        raise SelectorError("invalid field selector: unterminated escape sequence")
    return result


def _split_term(term: str) -> tuple[str, str, str] | None:
    index = 0
    while index < len(term):
        if term[index] == "\\":
            index += 2
            continue
        for operator in ("!=", "==", "="):
            if term.startswith(operator, index):
                return term[:index], operator, term[index + len(operator):]
        index += 1
    return None


def parse_field_selector(text: str | None, supported: Iterable[str] | None = None) -> FieldSelector:
    """Parse a ``fieldSelector`` query value; with ``supported``, refuse other field labels."""
    requirements = []
    allowed = set(supported) if supported is not None else None
    for part in _split_unescaped(text or "", ","):
        if not part:
            continue
        split = _split_term(part)
        if split is None:
            raise SelectorError(f"invalid selector: '{text}'; can't understand '{part}'")
        field, operator, value = split
        if allowed is not None and field not in allowed:
            raise SelectorError(f"field label not supported: {field}")
        requirements.append(FieldRequirement(field, "!=" if operator == "!=" else "=", _unescape(value)))
    return FieldSelector(tuple(requirements))


def supported_fields(kind: str) -> tuple[str, ...]:
    """Field labels the server accepts in a field selector for ``kind``."""
    return OBJECT_META_FIELDS + KIND_FIELDS.get(kind, ())


def selectable_fields(obj: Mapping[str, Any]) -> dict[str, str]:
    """The field set a selector is matched against, for any object (missing values are empty strings)."""
    result = {}
    for field in supported_fields(str(obj.get("kind", ""))):
        node: Any = obj
        for part in field.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        result[field] = "" if node is None else str(node)
    return result
