# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each option of a resource module declared once (``Option``), and what follows from the declaration:
the argument spec (snake_case names with the API's camelCase names as aliases), the spec built from the
parameters (snake -> camel), the lists compared as sets, and the option path of an API field path
(camel -> snake) for messages.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any, Iterator, Mapping, Optional


def to_camel(name: str) -> str:
    """``credential_name`` -> ``credentialName``."""
    first, *rest = name.split("_")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


@dataclass(frozen=True)
class Option:
    """One module option and the API field it sets.

    ``key`` is the field's camelCase name (derived from ``name`` unless given); a multi-word option also accepts it
    as an alias. ``suboptions`` make a dict (or list of dicts) whose keys are converted too; a dict without them is
    a free-form map passed through unchanged. ``unordered``: a list compared as a set (a reordering is no change).
    ``in_spec`` False: an option of the module only (say ``servers_mode``), never sent to the server.
    ``key_alias`` False: the API key is not an alias (DestinationRule's ``host`` would shadow the connection's).
    """

    name: str
    type: str = "str"
    elements: Optional[str] = None
    choices: Optional[tuple] = None
    required: bool = False
    default: Any = None
    no_log: Optional[bool] = None
    suboptions: tuple[Option, ...] = ()
    api_key: Optional[str] = None
    unordered: bool = False
    in_spec: bool = True
    key_alias: bool = True

    @property
    def key(self) -> str:
        return self.api_key or to_camel(self.name)

    def argument(self) -> dict:
        """This option's entry in an AnsibleModule argument spec."""
        spec: dict = dict(type=self.type)
        for field in ("elements", "default", "no_log"):
            if getattr(self, field) is not None:
                # a copy: Ansible fills a dict or list default in place (its suboptions' None values)
                spec[field] = copy.deepcopy(getattr(self, field))
        if self.choices:
            spec["choices"] = list(self.choices)
        if self.required:
            spec["required"] = True
        if self.in_spec and self.key_alias and self.key != self.name:
            spec["aliases"] = [self.key]
        if self.suboptions:
            spec["options"] = argument_spec(self.suboptions)
        return spec


def dict_option(name: str, *suboptions: Option, **fields) -> Option:
    """A dict option; without ``suboptions`` a free-form map passed through unchanged."""
    return Option(name, "dict", suboptions=suboptions, **fields)


def list_option(name: str, *suboptions: Option, elements: str = "dict", **fields) -> Option:
    """A list of ``elements``; of dicts with ``suboptions`` when given."""
    return Option(name, "list", elements=elements, suboptions=suboptions, **fields)


def argument_spec(options: tuple[Option, ...]) -> dict:
    """The AnsibleModule argument spec of ``options``."""
    return {item.name: item.argument() for item in options}


def spec_from_params(options: tuple[Option, ...], params: Mapping) -> dict:
    """The API spec for the parameters: unset (None) values dropped, option names turned into API keys, module-only
    options left out."""
    spec = {}
    for item in options:
        value = params.get(item.name)
        if item.in_spec and value is not None:
            spec[item.key] = _api_value(item, value)
    return spec


def _api_value(item: Option, value: Any) -> Any:
    if not item.suboptions:
        return value
    if isinstance(value, list):
        return [spec_from_params(item.suboptions, element) for element in value]
    return spec_from_params(item.suboptions, value)


def unordered_paths(options: tuple[Option, ...], prefix: str = "") -> tuple[str, ...]:
    """The spec paths (``servers[].hosts``, camelCase) of the lists declared ``unordered``."""
    return tuple(_unordered(options, prefix))


def _unordered(options: tuple[Option, ...], prefix: str) -> Iterator[str]:
    for item in options:
        path = prefix + item.key
        if item.unordered:
            yield path
        if item.suboptions:
            yield from _unordered(item.suboptions, path + ("[]." if item.type == "list" else "."))


# A field name (``.tls``, ``httpsRedirect``) or a subscript (``[1]``, ``['x-user']``) of a field path.
_PATH_PART = re.compile(r"""\.?(?P<field>[^.\[]+)|(?P<subscript>\[(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\]]*)\])""")


def option_path(options: tuple[Option, ...], field_path: str) -> str:
    """The option path of an API field path: ``servers[1].tls.httpsRedirect`` -> ``servers[1].tls.https_redirect``.

    Fields the declaration does not know (inside a free-form map, or ``name`` of the object) keep their spelling.
    """
    parts, current = [], options
    for match in _PATH_PART.finditer(field_path):
        if match.group("subscript"):
            parts.append(match.group("subscript"))
            continue
        field = match.group("field")
        declared = next((item for item in current if item.in_spec and item.key == field), None)
        current = declared.suboptions if declared else ()
        parts.append(("." if parts else "") + (declared.name if declared else field))
    return "".join(parts)
