"""CRD ``x-kubernetes-validations`` rules (CEL), evaluated as apiextensions-apiserver 1.30 does.

After the structural schema has passed, every rule of every schema node is evaluated with ``self`` bound to the
node's value (``oldSelf`` to the value it had, on updates, for transition rules that use it) with Google's CEL
runtime (``cel-expr-python``: standard macros ``has``/``all``/``exists``/``exists_one``/``filter``, ``size``,
``matches`` with RE2, ``duration``) plus the parts of Kubernetes' CEL library the Istio and Gateway API CRDs use:
the strings extension and ``isURL``/``url``/``getScheme``. A rule that is not true becomes one cause worded as
``pkg/apiserver/schema/cel/validation.go`` words it: ``spec.x: Invalid value: "object": <message>``, the message
from ``messageExpression``, ``message`` or ``failed rule: <rule>``, the field extended by ``fieldPath`` and the
cause type chosen by ``reason``. Rules are compiled once per distinct text; a schema's rule tree once per CRD
version.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field
from functools import lru_cache, cache
from typing import Any

from kubesim.schema import Cause, Schema, duplicate, forbidden, invalid, required

# Property names CEL cannot spell; Kubernetes escapes them (k8s.io/apiserver/pkg/cel/escaping.go).
RESERVED = frozenset(("true", "false", "null", "in", "as", "break", "const", "continue", "else", "for",
                      "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void",
                      "while"))
_ESCAPABLE = re.compile(r"^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$")
_ESCAPES = (("__", "__underscores__"), (".", "__dot__"), ("-", "__dash__"), ("/", "__slash__"))
_STATUS_PREFIX = re.compile(r"^[A-Z_]+: ")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*$")
ROOT_META_FIELDS = ("name", "generateName")


def escape_property(name: str) -> str | None:
    """The CEL spelling of a property name, or None when CEL cannot reach it."""
    if name in RESERVED:
        return f"__{name}__"
    if not _ESCAPABLE.match(name):
        return None
    for plain, escaped in _ESCAPES:
        name = name.replace(plain, escaped)
    return name


# ---- Kubernetes' URL library (k8s.io/apiserver/pkg/cel/library/urls.go), URLs carried as their text ----------
def _parse_request_uri(text: str) -> urllib.parse.SplitResult:
    """Go's ``url.ParseRequestURI``: an absolute URI or an absolute path; raises ValueError."""
    if not text or any(ord(c) < 0x20 or c == "\x7f" for c in text):
        raise ValueError(f"URL parse error during conversion from string: {text}")
    scheme, colon, _rest = text.partition(":")
    if not text.startswith("/") and not (colon and _SCHEME.match(scheme)):
        raise ValueError(f"URL parse error during conversion from string: {text}")
    return urllib.parse.urlsplit(text)


def _is_url(text: str) -> bool:
    try:
        _parse_request_uri(text)
    except ValueError:
        return False
    return True


def _url(text: str) -> str:
    _parse_request_uri(text)
    return text


def _get_scheme(url: str) -> str:
    return _parse_request_uri(url).scheme


@lru_cache(maxsize=1)
def _env() -> Any:
    """The CEL environment, built on first use (importing the runtime costs start-up time)."""
    from cel_expr_python import cel
    from cel_expr_python.ext import ext_strings

    string = cel.Type.STRING
    functions = [
        cel.FunctionDecl("isURL", [cel.Overload("is_url_string", cel.Type.BOOL, [string], impl=_is_url)]),
        cel.FunctionDecl("url", [cel.Overload("string_to_url", string, [string], impl=_url)]),
        cel.FunctionDecl("getScheme", [cel.Overload("url_get_scheme", string, [string], is_member=True,
                                                    impl=_get_scheme)]),
    ]
    return cel.NewEnv(variables={"self": cel.Type.DYN, "oldSelf": cel.Type.DYN},
                      extensions=[ext_strings.ExtStrings()], functions=functions)


@cache
def compile_expression(text: str) -> Any:
    """The compiled program of one CEL expression (cached by text); raises RuntimeError when it does not compile."""
    return _env().compile(text)


_OLD_SELF = re.compile(r"\boldSelf\b")


@dataclass(frozen=True)
class Rule:
    """One ``x-kubernetes-validations`` entry, compiled."""

    spec: dict[str, Any]
    program: Any
    message_program: Any
    uses_old_self: bool

    @property
    def error_text(self) -> str:
        """``ruleErrorString``: the message, else the rule."""
        return (self.spec.get("message") or "").strip() or self.spec["rule"].strip()

    @property
    def default_message(self) -> str:
        """``ruleMessageOrDefault``."""
        message = (self.spec.get("message") or "").strip()
        return message or f"failed rule: {self.spec['rule'].strip()}"


@dataclass
class Node:
    """A schema node that has rules itself or below it."""

    schema: Schema
    rules: list[Rule] = field(default_factory=list)
    compile_errors: list[str] = field(default_factory=list)
    properties: dict[str, Node] = field(default_factory=dict)
    additional: Node | None = None
    items: Node | None = None


def compile_rule(spec: dict[str, Any]) -> Rule:
    """Compile a rule and its messageExpression; raises RuntimeError naming the failure."""
    message_expression = spec.get("messageExpression")
    return Rule(spec, compile_expression(spec["rule"]),
                compile_expression(message_expression) if message_expression else None,
                bool(_OLD_SELF.search(spec["rule"])))


def compile_schema(schema: Schema) -> Node | None:
    """The rule tree of a schema (None when it has no rules at all)."""
    node = Node(schema)
    for spec in schema.get("x-kubernetes-validations") or ():
        try:
            node.rules.append(compile_rule(spec))
        except RuntimeError as error:
            node.compile_errors.append(str(error))
    node.properties = {key: child for key, sub in (schema.get("properties") or {}).items()
                       if (child := compile_schema(sub)) is not None}
    if isinstance(schema.get("additionalProperties"), dict):
        node.additional = compile_schema(schema["additionalProperties"])
    if isinstance(schema.get("items"), dict):
        node.items = compile_schema(schema["items"])
    if node.rules or node.compile_errors or node.properties or node.additional or node.items:
        return node
    return None


def compile_errors(node: Node | None, path: str = "") -> list[tuple[str, str]]:
    """(schema path, error) for every rule of the tree that did not compile."""
    if node is None:
        return []
    found = [(path or "<root>", error) for error in node.compile_errors]
    for key, child in node.properties.items():
        found += compile_errors(child, _child(path, key))
    found += compile_errors(node.additional, f"{path}[*]")
    found += compile_errors(node.items, f"{path}[*]")
    return found


_TREES: dict[int, tuple[Schema, Node | None]] = {}


def rule_tree(schema: Schema) -> Node | None:
    """The compiled rule tree of a CRD version's schema, built once per schema object."""
    cached = _TREES.get(id(schema))
    if cached is None or cached[0] is not schema:
        cached = _TREES[id(schema)] = (schema, compile_schema(schema))
    return cached[1]


# ---- evaluation ----------------------------------------------------------------------------------------------
def to_cel(value: Any, schema: Schema, is_root: bool = False) -> Any:
    """The value as CEL sees it: object properties under their escaped names, root metadata reduced to names."""
    if isinstance(value, dict):
        properties = schema.get("properties")
        if properties is None:
            additional = schema.get("additionalProperties")
            sub = additional if isinstance(additional, dict) else {}
            return {key: to_cel(item, sub) for key, item in value.items()}
        converted = {}
        for key, item in value.items():
            name = escape_property(key)
            if name is None:
                continue
            if is_root and key == "metadata" and isinstance(item, dict):
                converted[name] = {k: item[k] for k in ROOT_META_FIELDS if k in item}
            else:
                converted[name] = to_cel(item, properties.get(key) or {})
        return converted
    if isinstance(value, list):
        items = schema.get("items")
        return [to_cel(item, items if isinstance(items, dict) else {}) for item in value]
    return value


def _child(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _error_text(result: Any) -> str:
    return _STATUS_PREFIX.sub("", str(result.value()))


def _failure(path: str, node: Node, value: Any, detail: str, reason: str | None) -> Cause:
    """``fieldErrorForReason`` with the schema type as the shown value, as 1.30 does."""
    field_name = path or "<nil>"
    if reason == "FieldValueForbidden":
        return forbidden(field_name, detail)
    if reason == "FieldValueRequired":
        cause = required(field_name)
        return {**cause, "message": f"{cause['message']}: {detail}"}
    if reason == "FieldValueDuplicate":
        return duplicate(field_name, value)
    return invalid(field_name, node.schema.get("type", ""), detail)


def _evaluate(rule: Rule, node: Node, path: str, data: dict[str, Any], value: Any) -> Cause | None:
    result = rule.program.eval(data=data)
    type_name = result.type().name()
    if type_name == "ERROR":
        return invalid(path or "<nil>", node.schema.get("type", ""),
                       f"{_error_text(result)} evaluating rule: {rule.error_text}")
    if result.value() is True:
        return None
    detail = rule.default_message
    if rule.message_program is not None:
        message = rule.message_program.eval(data=data)
        text = message.value() if message.type().name() == "STRING" else ""
        if text.strip() and "\n" not in text:
            detail = text.strip()
    field_path = (rule.spec.get("fieldPath") or "").lstrip(".")
    if field_path:
        path = path + field_path if field_path.startswith("[") else _child(path, field_path)
    return _failure(path, node, value, detail, rule.spec.get("reason"))


def _correlated_item(node: Node, item: Any, old: Any) -> Any:
    """The old item matching ``item`` in a list-type map (by keys) or set (by value); None otherwise."""
    list_type = node.schema.get("x-kubernetes-list-type")
    if not isinstance(old, list):
        return None
    if list_type == "set":
        return item if item in old else None
    if list_type == "map" and isinstance(item, dict):
        keys = node.schema.get("x-kubernetes-list-map-keys") or ()
        return next((o for o in old if isinstance(o, dict) and all(o.get(k) == item.get(k) for k in keys)), None)
    return None


def validate(node: Node | None, value: Any, old: Any = None, path: str = "", is_root: bool = False) -> list[Cause]:
    """The causes for every rule of the tree that fails on ``value`` (``old``: the stored value on updates)."""
    if node is None or value is None:
        return []
    causes: list[Cause] = [invalid(path or "<nil>", node.schema.get("type", ""), f"rule compile error: {error}")
                           for error in node.compile_errors]
    if node.rules:
        data = {"self": to_cel(value, node.schema, is_root)}
        if old is not None:
            data["oldSelf"] = to_cel(old, node.schema, is_root)
        for rule in node.rules:
            if rule.uses_old_self and old is None:
                continue
            cause = _evaluate(rule, node, path, data, value)
            if cause is not None:
                causes.append(cause)
    if isinstance(value, dict):
        old_map = old if isinstance(old, dict) else {}
        for key, child in node.properties.items():
            if key in value:
                causes += validate(child, value[key], old_map.get(key), _child(path, key))
        if node.additional is not None:
            for key, item in value.items():
                if key not in node.properties:
                    causes += validate(node.additional, item, old_map.get(key), f"{path}[{key}]")
    elif isinstance(value, list) and node.items is not None:
        for index, item in enumerate(value):
            causes += validate(node.items, item, _correlated_item(node, item, old), f"{path}[{index}]")
    return causes
