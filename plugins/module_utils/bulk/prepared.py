# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A set of declared objects as ``meshsmith.istio.apply`` hands it from the controller to the module.

The action plugin reads the manifests, parses and checks every document on the controller (``documents.py``:
YAML, names, istiod's rules) and sends the module the result as one JSON text, in ``definition`` (in place of the
manifests; ``src`` and ``template`` are not sent). The module reads it back here,
without the YAML parser, the validators or the descriptors: Ansible packs and compiles every module_utils file a
module imports on each run, so the module's side stays small. Standard library only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Mapping, Optional

# The options that give the manifests, read by the action plugin.
MANIFEST_OPTIONS = ("definition", "src", "template")


@dataclass(frozen=True)
class Document:
    """One declared object: where it is in the set (``index``, 1-based) and what it declares."""

    index: int
    api_version: str
    kind: str
    namespace: str
    name: str
    spec: Optional[dict]
    labels: dict = field(default_factory=dict)
    annotations: dict = field(default_factory=dict)

    @property
    def key(self) -> tuple:
        """The object's identity, whatever the version it is declared at."""
        return self.kind, self.namespace, self.name

    @property
    def label(self) -> str:
        return "document %d (%s %s/%s)" % (self.index, self.kind, self.namespace, self.name)


@dataclass(frozen=True)
class PreparedSet:
    """Checked documents, and per kind the spec paths of the lists its objects compare as sets (the descriptors'
    ``unordered_lists``, looked up on the controller)."""

    documents: list
    unordered_lists: Mapping[str, tuple] = field(default_factory=dict)

    def to_json(self) -> str:
        names = [document_field.name for document_field in fields(Document)]  # the order ``from_json`` reads
        return json.dumps({"documents": [[getattr(document, name) for name in names] for document in self.documents],
                           "unordered_lists": self.unordered_lists}, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> PreparedSet:
        """The set ``to_json`` wrote; ValueError for any other value."""
        try:
            data = json.loads(text)
            return cls([Document(*fields) for fields in data["documents"]],
                       {kind: tuple(paths) for kind, paths in data["unordered_lists"].items()})
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            raise ValueError("not a set prepared by the meshsmith.istio.apply action plugin (%s: %s)"
                             % (type(err).__name__, err)) from None
