"""JSON and YAML bodies decoded as kube-apiserver decodes them: a whole number is an integer.

The server reads unstructured JSON with ``UseNumber`` and keeps every number that fits an int64 as an integer; a
number written ``100.0`` becomes float64 100, which Go's encoder writes back as ``100``. Either way a whole number
comes back without a fraction, so kubesim stores whole numbers as Python ints.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_INT64 = 2**63


def _json_float(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() and abs(value) < _INT64 else value


def whole_numbers(value: Any) -> Any:
    """``value`` with every whole float (within int64) turned into an int, in place where possible."""
    if isinstance(value, float):
        return _json_float(repr(value)) if value.is_integer() else value
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (float, dict, list)):
                value[key] = whole_numbers(item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, (float, dict, list)):
                value[index] = whole_numbers(item)
    return value


def load_json(raw: bytes | str) -> Any:
    """Decode JSON; raises ValueError."""
    return json.loads(raw, parse_float=_json_float)


def load_yaml(raw: bytes | str) -> Any:
    """Decode one YAML document; raises yaml.YAMLError."""
    return whole_numbers(yaml.load(raw, Loader=_LOADER))


def load_yaml_all(raw: bytes | str) -> list[Any]:
    """Decode every document of a YAML stream; raises yaml.YAMLError."""
    return [whole_numbers(doc) for doc in yaml.load_all(raw, Loader=_LOADER)]
