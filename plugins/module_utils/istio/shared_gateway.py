# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One Gateway shared by many applications: ``servers_mode: merge`` of the gateway module (no I/O).

A server is identified by its port: number and name (istiod refuses two servers with the same port name in a
Gateway, so the name alone is unique; the number is part of the key so that a name reused for another port is a
conflict, not a silent move). Adding merges the task's hosts into the server of the same key (a set union) and
appends servers that do not exist yet; the other servers are kept as they are. Removing takes the task's hosts
off the server of the same key, keeping those a VirtualService still bound to the Gateway needs, and drops a
server left without hosts. The Gateway itself is deleted only when the collection created it (``OWNER_LABEL``)
and no VirtualService references it any more.
"""

from __future__ import annotations

import copy
from typing import Iterable, Mapping, Optional

from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import InvalidOption
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.hosts import (
    hosts_overlap,
    server_hosts_for_namespace,
    to_fqdn,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.model import (
    gateway_reference,
    namespace_of,
    spec_of,
)

OWNER_LABEL = "app.kubernetes.io/managed-by"
OWNER_VALUE = "meshsmith.istio"
# Fields of a server besides its hosts: in merge mode they must agree with the live server of the same port.
_SERVER_SETTINGS = ("port", "bind", "defaultEndpoint", "name", "tls")


def _server_key(server: dict) -> tuple:
    """(port number, port name): how merge mode identifies a server."""
    port = server.get("port") or {}
    return port.get("number"), port.get("name")


def is_owned(gateway: Optional[dict]) -> bool:
    """True when the collection created ``gateway`` (it carries ``OWNER_LABEL: OWNER_VALUE``)."""
    labels = ((gateway or {}).get("metadata") or {}).get("labels") or {}
    return labels.get(OWNER_LABEL) == OWNER_VALUE


def merge_servers(live_servers: list, wanted_servers: list, gateway: str) -> list:
    """``live_servers`` with the hosts of ``wanted_servers`` added (set union, live order first) and the servers
    not there yet appended. Raises InvalidOption when a wanted server disagrees with the live server of its port
    name (other number, protocol, TLS...): merge mode adds hosts, it never changes another application's server."""
    merged = copy.deepcopy(live_servers)
    for index, wanted in enumerate(wanted_servers):
        live = _server_with_port_name(merged, wanted, index, gateway)
        if live is None:
            merged.append(copy.deepcopy(wanted))
            continue
        differing = [key for key in _SERVER_SETTINGS if live.get(key) != wanted.get(key)]
        if differing:
            raise InvalidOption("servers[%d]" % index, (
                "the server of port %s on Gateway %s differs in %s (live %s); servers_mode=merge only adds hosts "
                "to a server with the same settings: use the same settings or another port name"
                % (_port_text(wanted), gateway, ", ".join(differing), {key: live.get(key) for key in differing})))
        live["hosts"] = live.get("hosts", []) + [host for host in wanted.get("hosts") or [] if host not in live.get("hosts", [])]
    return merged


def remove_servers(live_servers: list, wanted_servers: list, needed_hosts: Iterable[str]) -> list:
    """``live_servers`` without the hosts of ``wanted_servers`` (matched by ``_server_key``) except the
    ``needed_hosts``; a server left without hosts is dropped, the other servers are kept as they are."""
    removed: dict = {}
    for wanted in wanted_servers:
        removed.setdefault(_server_key(wanted), set()).update(wanted.get("hosts") or [])
    needed = set(needed_hosts)
    remaining = []
    for server in live_servers:
        gone = removed.get(_server_key(server), set()) - needed
        hosts = [host for host in server.get("hosts") or [] if host not in gone]
        if hosts:
            remaining.append(dict(server, hosts=hosts) if gone else server)
    return remaining


def may_reduce(live: dict, wanted_servers: list) -> bool:
    """Whether taking ``wanted_servers``' hosts off ``live`` may change it: the collection's Gateway may be deleted,
    another's only loses hosts it has. When not, the VirtualServices need not be listed."""
    servers = spec_of(live).get("servers") or []
    return is_owned(live) or remove_servers(servers, wanted_servers, ()) != servers


def referencing_virtual_services(virtual_services: Iterable[dict], gateway_namespace: str, gateway_name: str) -> list:
    """The VirtualServices whose ``gateways`` name this Gateway (a bare name is the VirtualService's own
    namespace, as istiod resolves it)."""
    return [
        virtual_service for virtual_service in virtual_services
        if (gateway_namespace, gateway_name) in [
            gateway_reference(reference, namespace_of(virtual_service))
            for reference in spec_of(virtual_service).get("gateways") or []
        ]
    ]


def hosts_in_use(servers: list, gateway_namespace: str, virtual_services: Iterable[dict]) -> set:
    """The server hosts (as written, ``[namespace/]name``) that one of ``virtual_services`` (bound to the Gateway)
    may bind to and has an overlapping host for: removing them would cut that VirtualService's route."""
    in_use = set()
    for virtual_service in virtual_services:
        namespace = namespace_of(virtual_service)
        vs_hosts = [to_fqdn(host, namespace) for host in spec_of(virtual_service).get("hosts") or []]
        for server in servers:
            for host in server.get("hosts") or []:
                usable = server_hosts_for_namespace({"hosts": [host]}, gateway_namespace, namespace)
                if usable and any(hosts_overlap(vs_host, usable[0]) for vs_host in vs_hosts):
                    in_use.add(host)
    return in_use


def refuse_purge_on_shared_gateway(params: Mapping, mode: str = "servers_mode=merge") -> None:
    """Raise InvalidOption for ``purge_labels``/``purge_annotations`` with a merge ``mode``: on a shared Gateway
    they would remove the labels and annotations of the other applications and teams."""
    for option in ("purge_labels", "purge_annotations"):
        if params.get(option):
            raise InvalidOption(option, "cannot be combined with %s: a shared Gateway keeps the %s "
                                        "of the other applications" % (mode, option.split("_")[1]))


def merged_gateway(live: Optional[dict], wanted: dict) -> dict:
    """The Gateway to store for adding ``wanted`` (a whole object built for this task) to ``live``: ``wanted``
    as it is when creating (with the ownership label), else ``live``'s servers merged with the task's and its
    selector checked; the ownership label stays on a Gateway the collection created (even with ``purge_labels``)."""
    if live is None:
        return with_owner_label(copy.deepcopy(wanted))
    gateway = _describe(live)
    live_spec, wanted_spec = spec_of(live), spec_of(wanted)
    if "selector" in wanted_spec and wanted_spec["selector"] != live_spec.get("selector"):
        raise InvalidOption("selector", (
            "Gateway %s selects %s, not %s; servers_mode=merge never changes the workload of a shared Gateway"
            % (gateway, live_spec.get("selector"), wanted_spec["selector"])))
    spec = dict(live_spec, servers=merge_servers(live_spec.get("servers") or [], wanted_spec.get("servers") or [], gateway))
    merged = dict(wanted, spec=spec)
    return with_owner_label(merged) if is_owned(live) else merged


def with_owner_label(gateway: dict) -> dict:
    gateway["metadata"]["labels"] = dict(gateway["metadata"].get("labels") or {}, **{OWNER_LABEL: OWNER_VALUE})
    return gateway


def reduced_gateway(live: Optional[dict], wanted_servers: list, virtual_services: list) -> Optional[dict]:
    """The Gateway to store after taking this task's hosts off ``live``, or None when it should not exist: the
    collection created it and none of ``virtual_services`` (all of the cluster, or a superset of those bound to
    it) references it. A Gateway left without servers but still referenced, or not the collection's, is kept
    unchanged."""
    if live is None:
        return None
    namespace, name = namespace_of(live), live["metadata"]["name"]
    bound = referencing_virtual_services(virtual_services, namespace, name)
    if is_owned(live) and not bound:
        return None
    servers = spec_of(live).get("servers") or []
    remaining = remove_servers(servers, wanted_servers, hosts_in_use(servers, namespace, bound))
    if not remaining:
        return live
    return dict(live, spec=dict(spec_of(live), servers=remaining))


def _server_with_port_name(servers: list, wanted: dict, index: int, gateway: str) -> Optional[dict]:
    name = (wanted.get("port") or {}).get("name")
    live = next((server for server in servers if (server.get("port") or {}).get("name") == name), None)
    if live is not None and _server_key(live) != _server_key(wanted):
        raise InvalidOption("servers[%d].port" % index, (
            "port name %r is used on Gateway %s by port %s; port names are unique in a Gateway: use another name"
            % (name, gateway, (live.get("port") or {}).get("number"))))
    return live


def _port_text(server: dict) -> str:
    number, name = _server_key(server)
    return "%s (%s)" % (number, name)


def _describe(gateway: dict) -> str:
    return "%s/%s" % (namespace_of(gateway), gateway["metadata"]["name"])


def check_servers_to_remove(servers: Optional[list]) -> None:
    """Raise InvalidOption unless each server to take off a shared Gateway names its port (number and name)
    and hosts."""
    if not servers:
        raise InvalidOption("servers", "state=absent with servers_mode=merge needs the servers whose hosts to remove")
    for index, server in enumerate(servers):
        number, name = _server_key(server)
        if number is None or not name:
            raise InvalidOption("servers[%d].port" % index, "number and name are required: they identify the server")
        if not server.get("hosts"):
            raise InvalidOption("servers[%d].hosts" % index, "the hosts to remove are required")
