"""Structural-schema pruning and validation of custom resources, as kube-apiserver does it.

The apiserver prunes unknown fields (and nulls of non-nullable fields) first, then validates what is
left with the OpenAPI v3 validator; every failure becomes one status cause whose ``reason``,
``message`` and ``field`` read like the real server's (apiextensions-apiserver turning kube-openapi
results into ``field.Error`` values). Field-error helpers here are shared with the Service registry.
"""

from __future__ import annotations

import copy
import json
import math
import re
from decimal import Decimal
from typing import Any, Iterable

Cause = dict[str, str]
Schema = dict[str, Any]

NOT_CHECKED = (
    "x-kubernetes-list-type set/map uniqueness is not enforced",
    "string formats other than the integer ranges (date-time, byte, ...) are accepted as written",
    "pattern uses Python regular expressions, not Go RE2",
    "metadata is not validated against the schema (the server validates ObjectMeta itself)",
)

ROOT_FIELDS_KEPT = ("apiVersion", "kind", "metadata")

_INTEGER_FORMAT_RANGES = {
    "int32": (-(2**31), 2**31 - 1),
    "uint32": (0, 2**32 - 1),
    "int64": (-(2**63), 2**63 - 1),
    "uint64": (0, 2**64 - 1),
}


# --- field errors (k8s.io/apimachinery/pkg/util/validation/field) -----------------------------


def go_float(value: float) -> str:
    """Format a float the way Go's ``%v`` does (shortest digits, exponent form from 1e+06 up)."""
    if not math.isfinite(value):
        return {"nan": "NaN", "inf": "+Inf", "-inf": "-Inf"}[repr(value)]
    if value == 0:
        return "0"
    sign, digit_tuple, exponent = Decimal(repr(value)).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    decimal_exponent = len(digits) + int(exponent) - 1
    prefix = "-" if sign else ""
    if decimal_exponent < -4 or decimal_exponent >= 6:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{prefix}{mantissa}e{'-' if decimal_exponent < 0 else '+'}{abs(decimal_exponent):02d}"
    return prefix + format(Decimal(repr(abs(value))).normalize(), "f")


def go_quote(text: str) -> str:
    """Quote a string like Go's ``%q`` (close enough for printable text)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    return f'"{escaped}"'


def go_value(value: Any) -> str:
    """Render a bad value as ``field.Error.ErrorBody`` does (simple types plain, others as ``%#v``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, str):
        return go_quote(value)
    return _go_sharp_v(value)


def _go_sharp_v(value: Any) -> str:
    if isinstance(value, dict):
        items = ", ".join(f"{go_quote(k)}:{_go_sharp_v_elem(v)}" for k, v in sorted(value.items()))
        return "map[string]interface {}{" + items + "}"
    if isinstance(value, list):
        if all(isinstance(item, str) for item in value) and value:
            return "[]string{" + ", ".join(go_quote(item) for item in value) + "}"
        return "[]interface {}{" + ", ".join(_go_sharp_v_elem(item) for item in value) + "}"
    return go_value(value)


def _go_sharp_v_elem(value: Any) -> str:
    if value is None:
        return "interface {}(nil)"
    if isinstance(value, list):
        return "[]interface {}{" + ", ".join(_go_sharp_v_elem(item) for item in value) + "}"
    return _go_sharp_v(value)


def _cause(reason: str, field: str, message: str) -> Cause:
    return {"reason": reason, "message": message, "field": field}


def required(field: str) -> Cause:
    return _cause("FieldValueRequired", field, "Required value")


def forbidden(field: str, detail: str) -> Cause:
    return _cause("FieldValueForbidden", field, f"Forbidden: {detail}")


def invalid(field: str, value: Any, detail: str) -> Cause:
    return _cause("FieldValueInvalid", field, f"Invalid value: {go_value(value)}: {detail}")


def type_invalid(field: str, value: Any, detail: str) -> Cause:
    return _cause("FieldValueTypeInvalid", field, f"Invalid value: {go_value(value)}: {detail}")


def not_supported(field: str, value: Any, supported: Iterable[Any]) -> Cause:
    quoted = ", ".join(go_quote(v if isinstance(v, str) else _json_text(v)) for v in supported)
    return _cause("FieldValueNotSupported", field, f"Unsupported value: {go_value(value)}: supported values: {quoted}")


def duplicate(field: str, value: Any, value_text: str | None = None) -> Cause:
    return _cause("FieldValueDuplicate", field, f"Duplicate value: {value_text or go_value(value)}")


def too_long(field: str, max_length: int) -> Cause:
    return _cause("FieldValueTooLong", field, f"Too long: may not be longer than {max_length}")


def too_many(field: str, actual: int, maximum: int) -> Cause:
    noun = "item" if maximum == 1 else "items"
    return _cause("FieldValueTooMany", field, f"Too many: {actual}: must have at most {maximum} {noun}")


def _json_text(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


# --- pruning (apiextensions-apiserver pkg/apiserver/schema/pruning) ---------------------------


def _preserves_unknown(schema: Schema) -> bool:
    return bool(schema.get("x-kubernetes-preserve-unknown-fields"))


def _prune(value: Any, schema: Schema, is_root: bool = False) -> Any:
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        additional = schema.get("additionalProperties")
        pruned = {}
        for key, item in value.items():
            if is_root and key in ROOT_FIELDS_KEPT:
                pruned[key] = item
                continue
            if key in properties:
                item_schema = properties[key]
            elif isinstance(additional, dict):
                item_schema = additional
            elif additional is True or _preserves_unknown(schema):
                pruned[key] = item
                continue
            else:
                continue
            if item is None and not item_schema.get("nullable") and "default" not in item_schema:
                continue
            pruned[key] = _prune(item, item_schema)
        return pruned
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [_prune(item, schema["items"]) for item in value]
    return value


# --- defaulting --------------------------------------------------------------------------------


def apply_defaults(obj: dict[str, Any], schema: Schema) -> dict[str, Any]:
    """Return ``obj`` with the schema's ``default:`` values filled in for absent properties."""
    return _default(copy.deepcopy(obj), schema)


def _default(value: Any, schema: Schema) -> Any:
    if isinstance(value, dict):
        for key, item_schema in schema.get("properties", {}).items():
            if key not in value and "default" in item_schema:
                value[key] = copy.deepcopy(item_schema["default"])
            if key in value:
                value[key] = _default(value[key], item_schema)
        if isinstance(schema.get("additionalProperties"), dict):
            for key in set(value) - set(schema.get("properties", {})):
                value[key] = _default(value[key], schema["additionalProperties"])
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [_default(item, schema["items"]) for item in value]
    return value


# --- validation (kube-openapi pkg/validation/validate, as mapped by apiextensions) -------------


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _type_matches(expected: str, value: Any) -> bool:
    actual = _json_type(value)
    if expected == actual:
        return True
    if expected == "integer" and actual == "number":
        return float(value).is_integer()
    return expected == "number" and actual == "integer"


def _child(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _validate(value: Any, schema: Schema, path: str, is_root: bool = False) -> list[Cause]:
    expected_type = schema.get("type")
    if value is None:
        if expected_type and not schema.get("nullable"):
            return [type_invalid(path, "null", f'{path} in body must be of type {expected_type}: "null"')]
        return []
    if expected_type and not _type_matches(expected_type, value):
        actual = _json_type(value)
        return [type_invalid(path, actual, f'{path} in body must be of type {expected_type}: "{actual}"')]
    causes = _validate_combinators(value, schema, path)
    if isinstance(value, str):
        causes += _validate_string(value, schema, path)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        causes += _validate_number(value, schema, path)
    elif isinstance(value, list):
        causes += _validate_array(value, schema, path)
    elif isinstance(value, dict):
        causes += _validate_object(value, schema, path, is_root)
    if "enum" in schema and value not in schema["enum"]:
        causes.append(not_supported(path, value, schema["enum"]))
    return causes


def _combinator_failure(path: str, text: str) -> Cause:
    return invalid("", "", f"{go_quote(path)} {text}")


def _validate_combinators(value: Any, schema: Schema, path: str) -> list[Cause]:
    causes: list[Cause] = []
    for sub_schema in schema.get("allOf", []):
        if _validate(value, sub_schema, path):
            causes.append(_combinator_failure(path, "must validate all the schemas (allOf)"))
            break
    if "anyOf" in schema and not any(not _validate(value, s, path) for s in schema["anyOf"]):
        causes.append(_combinator_failure(path, "must validate at least one schema (anyOf)"))
    if "oneOf" in schema:
        matches = sum(1 for s in schema["oneOf"] if not _validate(value, s, path))
        if matches != 1:
            found = "Found none valid" if matches == 0 else f"Found {matches} valid alternatives"
            causes.append(_combinator_failure(path, f"must validate one and only one schema (oneOf). {found}"))
    if "not" in schema and not _validate(value, schema["not"], path):
        causes.append(_combinator_failure(path, "must not validate the schema (not)"))
    return causes


def _validate_string(value: str, schema: Schema, path: str) -> list[Cause]:
    causes = []
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        causes.append(too_long(path, schema["maxLength"]))
    if "minLength" in schema and len(value) < schema["minLength"]:
        causes.append(invalid(path, value, f"{path} in body should be at least {schema['minLength']} chars long"))
    if "pattern" in schema and not re.search(schema["pattern"], value):
        causes.append(invalid(path, value, f"{path} in body should match '{schema['pattern']}'"))
    return causes


def _bound_text(bound: float, value: int | float) -> str:
    if isinstance(value, int):
        return str(int(bound))
    return go_float(float(bound))


def _validate_number(value: int | float, schema: Schema, path: str) -> list[Cause]:
    causes = []
    bounds = _INTEGER_FORMAT_RANGES.get(schema.get("format", "")) if schema.get("type") == "integer" else None
    if bounds and not bounds[0] <= value <= bounds[1]:
        causes.append(type_invalid(path, value, f"{path} in Checked must be of type integer ({schema['format']})"))
    if "minimum" in schema:
        exclusive = bool(schema.get("exclusiveMinimum"))
        if value < schema["minimum"] or (exclusive and value == schema["minimum"]):
            relation = "greater than" if exclusive else "greater than or equal to"
            bound = _bound_text(schema["minimum"], value)
            causes.append(invalid(path, value, f"{path} in body should be {relation} {bound}"))
    if "maximum" in schema:
        exclusive = bool(schema.get("exclusiveMaximum"))
        if value > schema["maximum"] or (exclusive and value == schema["maximum"]):
            relation = "less than" if exclusive else "less than or equal to"
            bound = _bound_text(schema["maximum"], value)
            causes.append(invalid(path, value, f"{path} in body should be {relation} {bound}"))
    if "multipleOf" in schema and value % schema["multipleOf"]:
        bound = _bound_text(schema["multipleOf"], value)
        causes.append(invalid(path, value, f"{path} in body should be a multiple of {bound}"))
    return causes


def _validate_array(value: list[Any], schema: Schema, path: str) -> list[Cause]:
    causes = []
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        causes.append(too_many(path, len(value), schema["maxItems"]))
    if "minItems" in schema and len(value) < schema["minItems"]:
        causes.append(invalid(path, len(value), f"{path} in body should have at least {schema['minItems']} items"))
    if isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            causes += _validate(item, schema["items"], f"{path}[{index}]")
    return causes


def _validate_object(value: dict[str, Any], schema: Schema, path: str, is_root: bool) -> list[Cause]:
    causes = []
    if "maxProperties" in schema and len(value) > schema["maxProperties"]:
        causes.append(too_many(path, len(value), schema["maxProperties"]))
    if "minProperties" in schema and len(value) < schema["minProperties"]:
        detail = f"{path} in body should have at least {schema['minProperties']} properties"
        causes.append(invalid(path, len(value), detail))
    causes += [required(_child(path, key)) for key in schema.get("required", []) if key not in value]
    properties = schema.get("properties", {})
    additional = schema.get("additionalProperties")
    for key, item in value.items():
        if is_root and key in ROOT_FIELDS_KEPT:
            continue
        if key in properties:
            causes += _validate(item, properties[key], _child(path, key))
        elif isinstance(additional, dict):
            causes += _validate(item, additional, _child(path, key))
    return causes


def validate_and_prune(obj: dict[str, Any], schema: Schema) -> tuple[dict[str, Any], list[Cause]]:
    """Prune ``obj`` to ``schema`` (an ``openAPIV3Schema``) and validate what remains.

    Returns the pruned copy and the list of status causes (empty when valid). ``obj`` is untouched.
    An empty schema (a CRD version without one) accepts and keeps everything.
    """
    if not schema:
        return copy.deepcopy(obj), []
    pruned = _prune(copy.deepcopy(obj), schema, is_root=True)
    return pruned, _validate(pruned, schema, "", is_root=True)
