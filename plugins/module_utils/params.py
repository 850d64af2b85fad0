# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn module parameters (snake_case options) into an Istio spec (camelCase fields)."""

from __future__ import annotations

from typing import Iterable, Mapping


def to_camel(name: str) -> str:
    """``credential_name`` -> ``credentialName``."""
    first, *rest = name.split("_")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


def params_to_spec(params: Mapping, argument_spec: Mapping, keys: Iterable[str]) -> dict:
    """The spec for the options ``keys``: unset (None) values dropped, option names camelCased.

    Only options with declared ``options`` (suboptions) are recursed into; free-form dicts such as
    ``selector`` or header maps pass through unchanged.
    """
    spec = {}
    for key in keys:
        value = params.get(key)
        if value is not None:
            spec[to_camel(key)] = _convert(value, argument_spec[key].get("options"))
    return spec


def _convert(value, suboptions):
    if not suboptions:
        return value
    if isinstance(value, list):
        return [_convert(item, suboptions) for item in value]
    return params_to_spec(value, suboptions, list(suboptions))
