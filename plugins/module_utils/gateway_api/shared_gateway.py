# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One Gateway API Gateway shared by many applications: ``listeners_mode: merge`` of the k8s_gateway module (no I/O
but in ``SharedListeners.combine``).

A listener is identified by its ``name`` (the CRD's list map key). Adding appends the task's listeners the Gateway
lacks; a live listener of the same name must have the task's settings (port, protocol, hostname, tls, allowedRoutes),
and the Gateway's other settings the task sets (gatewayClassName, addresses...) must be the live ones: merge mode
never changes what other applications use. Removing takes the task's listeners off, except those an HTTPRoute still
attaches to (a parentRef naming the listener, its port, or no listener at all, which attaches to every one). The
Gateway itself is deleted only when the collection created it (``OWNER_LABEL``) and neither a listener nor an
HTTPRoute parentRef is left on it; a Gateway keeps at least one listener (the CRD's ``minItems``).
"""

from __future__ import annotations

import copy
from typing import Callable, Iterable, Mapping, Optional

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.descriptor import SharingContext
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.request import api_action
from ansible_collections.meshsmith.istio.plugins.module_utils.gateway_api.validation import validate_gateway
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.shared_gateway import (
    OWNER_LABEL,
    is_owned,
    refuse_purge_on_shared_gateway,
    with_owner_label,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kinds import Kind
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import InvalidOption
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.gateway_api import gateway_refs
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.model import name_of, namespace_of, spec_of

MERGE_MODE = "listeners_mode=merge"
# What a listener of the same name must share with the task's (its name is the key).
LISTENER_SETTINGS = ("port", "protocol", "hostname", "tls", "allowedRoutes")


def _describe(gateway: dict) -> str:
    return "%s/%s" % (namespace_of(gateway), name_of(gateway))


def refuse_listener_conflict(index: int, live: dict, wanted: dict, gateway: str) -> None:
    """Raise InvalidOption naming ``listeners[index]`` when the live listener of the wanted one's name differs
    from it in one of ``LISTENER_SETTINGS``: it is another application's listener."""
    differing = [key for key in LISTENER_SETTINGS if live.get(key) != wanted.get(key)]
    if differing:
        raise InvalidOption("listeners[%d]" % index, (
            "listener %r of Gateway %s differs in %s (live %s); %s never changes another application's listener: "
            "use the same settings or another listener name"
            % (wanted.get("name"), gateway, ", ".join(differing), {key: live.get(key) for key in differing}, MERGE_MODE)))


def merge_listeners(live_listeners: list, wanted_listeners: list, gateway: str) -> list:
    """``live_listeners`` (as they are) with the wanted listeners of a name not there yet appended; raises
    InvalidOption when a wanted listener differs from the live one of its name."""
    merged = copy.deepcopy(live_listeners)
    live_by_name = {listener.get("name"): listener for listener in live_listeners}
    for index, wanted in enumerate(wanted_listeners):
        live = live_by_name.get(wanted["name"])
        if live is None:
            merged.append(copy.deepcopy(wanted))
        else:
            refuse_listener_conflict(index, live, wanted, gateway)
    return merged


def merged_gateway(live: Optional[dict], wanted: dict, option_path: Callable[[str], str]) -> dict:
    """The Gateway to store for adding ``wanted`` (the task's whole object) to ``live``: ``wanted`` with the
    ownership label when creating, else ``live``'s spec with the task's listeners merged in. Raises InvalidOption
    (named by ``option_path`` of the field) when the task sets another value than the live one for a field besides
    the listeners (gatewayClassName, addresses, infrastructure, tls...). The ownership label is never put on a
    Gateway the collection did not create."""
    if live is None:
        return with_owner_label(copy.deepcopy(wanted))
    gateway = _describe(live)
    live_spec, wanted_spec = spec_of(live), spec_of(wanted)
    for field, value in wanted_spec.items():
        if field != "listeners" and live_spec.get(field) != value:
            raise InvalidOption(option_path(field), (
                "Gateway %s has %s %r, not %r; %s adds listeners, it never changes the settings other applications "
                "share (use listeners_mode=replace to own the whole Gateway)"
                % (gateway, field, live_spec.get(field), value, MERGE_MODE)))
    listeners = merge_listeners(live_spec.get("listeners") or [], wanted_spec.get("listeners") or [], gateway)
    merged = dict(wanted, spec=dict(live_spec, listeners=listeners))
    if is_owned(live):
        return with_owner_label(merged)
    return _without_owner_label(merged, live)


def _without_owner_label(gateway: dict, live: dict) -> dict:
    """``gateway`` with the ownership label as ``live`` has it (or none): a task cannot claim another's Gateway."""
    labels = dict(gateway["metadata"].get("labels") or {})
    live_labels = live["metadata"].get("labels") or {}
    if OWNER_LABEL in live_labels:
        labels[OWNER_LABEL] = live_labels[OWNER_LABEL]
    else:
        labels.pop(OWNER_LABEL, None)
    gateway["metadata"] = dict(gateway["metadata"], labels=labels)
    if not labels:
        del gateway["metadata"]["labels"]
    return gateway


def attached_routes(gateway: dict, routes: Iterable[dict]) -> dict:
    """For each listener name of ``gateway``, the ``namespace/name`` of the HTTPRoutes whose parentRefs attach to
    it: by ``sectionName``, by ``port``, or to every listener when the parentRef names neither. The key None holds
    every HTTPRoute with a parentRef to the Gateway (even one naming a listener it lacks)."""
    namespace, name = namespace_of(gateway), name_of(gateway)
    listeners = spec_of(gateway).get("listeners") or []
    attached: dict = {}
    for route in routes:
        route_name = "%s/%s" % (namespace_of(route), name_of(route))
        for _index, ref in gateway_refs(route):
            if (ref.get("namespace") or namespace_of(route), ref.get("name")) != (namespace, name):
                continue
            attached.setdefault(None, set()).add(route_name)
            for listener in listeners:
                if ref.get("sectionName", listener.get("name")) == listener.get("name") and (
                        ref.get("port", listener.get("port")) == listener.get("port")):
                    attached.setdefault(listener.get("name"), set()).add(route_name)
    return attached


def remove_listeners(live_listeners: list, wanted_listeners: list, in_use: Iterable[str], gateway: str) -> list:
    """``live_listeners`` without the wanted ones (by name) except those ``in_use``; raises InvalidOption when a
    wanted listener differs from the live one of its name (it is not the task's to remove)."""
    live_by_name = {listener.get("name"): listener for listener in live_listeners}
    for index, wanted in enumerate(wanted_listeners):
        if wanted["name"] in live_by_name:
            refuse_listener_conflict(index, live_by_name[wanted["name"]], wanted, gateway)
    removed = {wanted["name"] for wanted in wanted_listeners} - set(in_use)
    return [listener for listener in live_listeners if listener.get("name") not in removed]


def reduced_gateway(live: dict, wanted_listeners: list, routes: Iterable[dict]) -> tuple[Optional[dict], list]:
    """The Gateway to store after taking the task's listeners off ``live`` (None: delete it), and the warnings for
    what is kept: listeners an HTTPRoute still attaches to, a last listener the Gateway cannot lose."""
    gateway = _describe(live)
    attached = attached_routes(live, routes)
    live_listeners = spec_of(live).get("listeners") or []
    wanted_names = {wanted["name"] for wanted in wanted_listeners}
    in_use = {name for name in wanted_names if attached.get(name)}
    warnings = ["listener %r of Gateway %s is kept: HTTPRoute %s still attaches to it"
                % (name, gateway, ", ".join(sorted(attached[name]))) for name in sorted(in_use)]
    remaining = remove_listeners(live_listeners, wanted_listeners, in_use, gateway)
    if remaining == live_listeners:
        return live, warnings
    if remaining:
        return dict(live, spec=dict(spec_of(live), listeners=remaining)), warnings
    if is_owned(live) and not attached.get(None):
        return None, warnings
    why = "HTTPRoute %s still refers to it" % ", ".join(sorted(attached[None])) if attached.get(None) else (
        "the collection did not create it")
    return live, warnings + ["Gateway %s keeps its last listener (a Gateway needs one) and is not deleted: %s"
                             % (gateway, why)]


def may_reduce(live: dict, wanted_listeners: list) -> bool:
    """Whether ``live`` has one of the task's listeners: only then are the HTTPRoutes listed."""
    live_names = {listener.get("name") for listener in spec_of(live).get("listeners") or []}
    return any(wanted["name"] in live_names for wanted in wanted_listeners)


class SharedListeners:
    """``listeners_mode=merge``: the task adds or removes only its own listeners of a Gateway API Gateway shared by
    several applications; ``http_routes`` is the HTTPRoute kind listed (cluster-wide) before a removal."""

    def __init__(self, http_routes: Kind, option_path: Callable[[str], str]) -> None:
        self.http_routes = http_routes
        self.option_path = option_path

    def applies(self, params: Mapping) -> bool:
        return params["listeners_mode"] == "merge"

    def check(self, params: Mapping, spec: dict) -> None:
        refuse_purge_on_shared_gateway(params, MERGE_MODE)
        if params["state"] == "absent" and not spec.get("listeners"):
            raise InvalidOption("listeners", "state=absent with %s needs the listeners to remove" % MERGE_MODE)

    def combine(self, context: SharingContext, live: Optional[dict], wanted: Optional[dict]) -> Optional[dict]:
        if wanted is not None:
            merged = merged_gateway(live, wanted, self.option_path)
            validate_gateway(context.params["name"], context.params["namespace"], merged["spec"])
            return merged
        listeners = context.spec["listeners"]
        if live is None or not may_reduce(live, listeners):
            return live
        with api_action("list the HTTPRoutes attached to %s" % context.kind.describe(namespace_of(live), name_of(live))):
            # One cluster-wide LIST: an HTTPRoute of any namespace may attach to this Gateway.
            routes = context.client.list(self.http_routes.path())
        reduced, warnings = reduced_gateway(live, listeners, routes)
        for warning in warnings:
            context.warn(warning)
        return reduced
