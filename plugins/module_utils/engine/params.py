# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn module parameters (snake_case options) into an Istio spec (camelCase fields)."""

from __future__ import annotations

from typing import Iterable, Mapping, Optional


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


# --- argument-spec builders: snake_case options that also accept Istio's camelCase field names ---------------


def option(type_: str, **extra) -> dict:
    """One option of ``type_`` with extra keys (``required``, ``choices``...)."""
    return dict(type=type_, **extra)


def dict_option(options: Optional[dict] = None, **extra) -> dict:
    """A dict option; without ``options`` a free-form map passed through unchanged."""
    if options:
        extra["options"] = with_camel_aliases(options)
    return option("dict", **extra)


def list_option(elements: str = "dict", options: Optional[dict] = None, **extra) -> dict:
    """A list of ``elements``; a list of dicts with ``options`` when given."""
    if options:
        extra["options"] = with_camel_aliases(options)
    return option("list", elements=elements, **extra)


def with_camel_aliases(options: Mapping) -> dict:
    """``options`` with each multi-word option also accepting its camelCase name (``credentialName``)."""
    aliased = {}
    for name, spec in options.items():
        camel = to_camel(name)
        aliased[name] = dict(spec, aliases=[camel]) if camel != name else spec
    return aliased
