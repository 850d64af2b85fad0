# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``ResourceType``: everything the engine (``resource.py``, ``info.py``) needs to know about a kind.

A new kind, of any API group, is one descriptor plus one module file whose ``main`` runs the engine with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Callable, List, Mapping, Optional, Protocol

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.options import (
    Option,
    argument_spec,
    option_path,
    spec_from_params,
    unordered_paths,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kinds import Kind
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import InvalidOption

if TYPE_CHECKING:  # the client is the engine's to build; descriptors are read on the controller too, without it
    from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.client import KubeClient

# ``validate(name, namespace, spec)``: the warnings (InvalidOption) for a valid spec; raises InvalidOption (with
# ``errors`` when there are several) naming API field paths (``servers[0].tls.httpsRedirect``).
Validator = Callable[[str, Optional[str], dict], List[InvalidOption]]


def no_rules(name: str, namespace: Optional[str], spec: dict) -> list:
    """The validator of a kind with no rules beyond its options' types."""
    return []


class SpecSharing(Protocol):
    """How a task shares one object with others (say the servers of a Gateway several applications use) instead
    of owning its whole spec; the engine asks it whenever ``applies`` says the task's options choose it."""

    def applies(self, params: Mapping) -> bool:
        """Whether the task shares the object rather than owning it."""

    def check(self, params: Mapping, spec: dict) -> None:
        """Refuse (InvalidOption) what a sharing task may not ask, before any request."""

    def combine(self, context: SharingContext, live: Optional[dict], wanted: Optional[dict]) -> Optional[dict]:
        """The object to store given the live one and the task's ``wanted`` object (None for ``state=absent``);
        ``live`` itself (or None) for nothing to do."""


@dataclass(frozen=True)
class SharingContext:
    """What ``SpecSharing.combine`` may use: the task's kind, parameters, spec, the API client, and ``warn`` to show
    the task a warning."""

    kind: Kind
    params: Mapping
    spec: dict
    client: KubeClient
    warn: Callable[[str], None] = lambda message: None


@dataclass(frozen=True)
class ResourceType:
    """A resource type managed by one module: where it is served, its options and its rules.

    ``versions``: the served versions, the first the default (``api_version`` option). ``options``: the module's
    declaration of the spec (see ``options.py``); ``build_spec`` and the unordered lists default to what it says.
    ``sharing``: an optional ``SpecSharing`` behaviour.
    """

    group: str
    versions: tuple[str, ...]
    plural: str
    kind: str
    options: tuple[Option, ...]
    validate: Validator = no_rules
    namespaced: bool = True
    name_format: str = "subdomain"
    spec_builder: Optional[Callable[[Mapping], dict]] = None
    unordered: Optional[tuple[str, ...]] = None
    sharing: Optional[SpecSharing] = field(default=None, compare=False)

    @property
    def api_versions(self) -> list[str]:
        """The ``api_version`` choices, default first."""
        return [self._served_at(version).api_version for version in self.versions]

    def at(self, api_version: Optional[str] = None) -> Kind:
        """The Kind served at ``api_version`` (``networking.istio.io/v1``); the default version when None."""
        kinds = [self._served_at(version) for version in self.versions]
        for kind in kinds:
            if api_version in (None, kind.api_version):
                return kind
        raise ValueError("api_version must be one of %s, got %r" % (", ".join(self.api_versions), api_version))

    def _served_at(self, version: str) -> Kind:
        return Kind(self.group, version, self.plural, self.kind, self.namespaced, self.name_format)

    @property
    def argument_spec(self) -> dict:
        """The argument spec of the resource's own options."""
        return argument_spec(self.options)

    def build_spec(self, params: Mapping) -> dict:
        """The spec (API field names) for the module's parameters."""
        return self.spec_builder(params) if self.spec_builder else spec_from_params(self.options, params)

    @cached_property
    def unordered_lists(self) -> tuple[str, ...]:
        """Spec paths of the lists compared as sets (see ``reconcile.align_unordered_lists``); computed once (a
        bulk apply asks once per document)."""
        return unordered_paths(self.options) if self.unordered is None else self.unordered

    def option_path(self, field_path: str) -> str:
        """The option path a user wrote for an API field path (``tls.httpsRedirect`` -> ``tls.https_redirect``)."""
        return option_path(self.options, field_path)
