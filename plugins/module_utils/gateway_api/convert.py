# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Istio Gateways and VirtualServices as Kubernetes Gateway API (v1.5.1 standard channel) manifests.

Pure functions, no I/O. ``convert`` returns the manifests and, per source object, every field that has no
equivalent (``not_converted``). What cannot be expressed is never widened: a match with a condition the Gateway API
lacks is dropped (not loosened), a rule left without matches or backends is dropped, and each drop is reported.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Optional

from ansible_collections.meshsmith.istio.plugins.module_utils.istio.hosts import to_fqdn
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.common import parse_duration
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.model import (
    gateway_reference,
    name_of,
    namespace_of,
)

GATEWAY_API_GROUP = "gateway.networking.k8s.io"
GATEWAY_API_VERSION = GATEWAY_API_GROUP + "/v1"
REFERENCE_GRANT_API_VERSION = GATEWAY_API_GROUP + "/v1beta1"
DEFAULT_GATEWAY_CLASS = "istio"
MESH_GATEWAY = "mesh"
NAMESPACE_LABEL = "kubernetes.io/metadata.name"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
MAX_RULES_PER_ROUTE = 16
MAX_HOSTNAMES_PER_ROUTE = 16
MAX_MATCHES_PER_ROUTE = 127  # the CRD's CEL rule: fewer than 128 across all rules

# Patterns of the Gateway API CRDs (v1.5.1): hostnames, header names, path values, CORS origins.
HOSTNAME = re.compile(r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$")
PATH_VALUE = re.compile(r"^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$")
CORS_ORIGIN = re.compile(r"^(\*|https?://(((\*\.)?([a-zA-Z0-9\-]+\.)*[a-zA-Z0-9-]+|\*)(:[0-9]{1,5})?))$")
SERVICE_FQDN = re.compile(r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc\.cluster\.local$")
HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH")
REDIRECT_CODES = (301, 302, 303, 307, 308)
_PATH_FORBIDDEN = ("//", "/./", "/../", "%2f", "%2F", "#")
_RE2_SPECIAL = re.compile(r"([\\.+*?()|\[\]{}^$])")

# Istio server protocol -> listener protocol (Istio serves HTTP/2 and gRPC on HTTP listeners).
LISTENER_PROTOCOLS = {"HTTP": "HTTP", "HTTP2": "HTTP", "GRPC": "HTTP", "GRPC-WEB": "HTTP", "HTTPS": "HTTPS",
                      "TLS": "TLS", "TCP": "TCP", "MONGO": "TCP", "REDIS": "TCP", "MYSQL": "TCP"}
TLS_FIELDS_WITHOUT_EQUIVALENT = ("serverCertificate", "privateKey", "caCertificates", "caCrl", "subjectAltNames",
                                 "verifyCertificateSpki", "verifyCertificateHash", "minProtocolVersion",
                                 "maxProtocolVersion", "cipherSuites")
SERVER_FIELDS_WITHOUT_EQUIVALENT = {
    "bind": "binding a server to an address has no listener equivalent",
    "defaultEndpoint": "a server's default endpoint has no listener equivalent",
    "name": "listener names are generated from protocol, port and hostname",
}
# Match conditions the HTTPRoute has no field for: the whole match is dropped, never loosened.
MATCH_FIELDS_WITHOUT_EQUIVALENT = ("scheme", "authority", "port", "sourceLabels", "sourceNamespace", "gateways",
                                   "withoutHeaders")
ROUTE_FIELDS_WITHOUT_EQUIVALENT = {
    "fault": "fault injection (delay, abort) has no Gateway API equivalent",
    "retries": "retries are not in the Gateway API v1.5.1 standard channel (HTTPRoute retry is experimental)",
}


@dataclass
class Conversion:
    """The result of ``convert``: manifests, what has no equivalent per source object, and warnings."""

    manifests: list = field(default_factory=list)
    not_converted: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


@dataclass
class _Context:
    """The source object being converted and where to report what has no equivalent."""

    kind: str
    namespace: str
    name: str
    result: Conversion
    regex_used: bool = False

    def note(self, path: str, reason: str) -> None:
        self.result.not_converted.append(
            dict(kind=self.kind, namespace=self.namespace, name=self.name, path=path, reason=reason))


def _namespace(obj: dict) -> str:
    """The object's namespace; ``default`` for a manifest without one, as kubectl would apply it."""
    return namespace_of(obj) or "default"


def convert(sources: list, gateway_class_name: str = DEFAULT_GATEWAY_CLASS) -> Conversion:
    """The Gateway API manifests for ``sources`` (Istio Gateways and VirtualServices, as stored): Gateways first,
    then HTTPRoutes, then the ReferenceGrants their cross-namespace backends need."""
    result = Conversion()
    gateways = [obj for obj in sources if obj.get("kind") == "Gateway"]
    converted = set()
    for gateway in gateways:
        manifest = convert_gateway(gateway, gateway_class_name, result)
        if manifest:
            result.manifests.append(manifest)
            converted.add((_namespace(gateway), name_of(gateway)))
    grants: dict = {}
    regex_used = False
    for virtual_service in (obj for obj in sources if obj.get("kind") == "VirtualService"):
        context = _Context("VirtualService", _namespace(virtual_service), name_of(virtual_service), result)
        result.manifests += convert_virtual_service(context, virtual_service.get("spec") or {}, converted, grants)
        regex_used = regex_used or context.regex_used
    result.manifests += [reference_grant(to_namespace, from_namespace, sorted(services))
                         for (to_namespace, from_namespace), services in grants.items()]
    if regex_used and gateway_class_name != DEFAULT_GATEWAY_CLASS:
        result.warnings.append(
            "RegularExpression matches are implementation-specific in the Gateway API: they were written for Istio's "
            "RE2 full-match semantics; check that gatewayClassName %s interprets them the same way" % gateway_class_name)
    return result


def _metadata(obj: dict) -> dict:
    """Name, namespace, labels and annotations of the source (without kubectl's last-applied copy of it)."""
    source = obj.get("metadata") or {}
    metadata: dict = dict(name=name_of(obj), namespace=_namespace(obj))
    if source.get("labels"):
        metadata["labels"] = dict(source["labels"])
    annotations = {key: value for key, value in (source.get("annotations") or {}).items() if key != LAST_APPLIED}
    if annotations:
        metadata["annotations"] = annotations
    return metadata


# ---------------------------------------------------------------- Gateway


def convert_gateway(gateway: dict, gateway_class_name: str, result: Conversion) -> Optional[dict]:
    """The Gateway API Gateway for an Istio Gateway: one listener per server and host (a listener has one
    hostname); None, reported, when no server converts."""
    context = _Context("Gateway", _namespace(gateway), name_of(gateway), result)
    spec = gateway.get("spec") or {}
    if spec.get("selector"):
        context.note("spec.selector", "a Gateway API Gateway selects no existing workload: the GatewayClass's "
                     "implementation provisions one (Istio: Deployment and Service %s-istio); the selected pods keep "
                     "serving the Istio Gateway until it is removed" % context.name)
    listeners: dict = {}
    for index, server in enumerate(spec.get("servers") or []):
        for key, listener in _server_listeners(context, "spec.servers[%d]" % index, server):
            _add_listener(context, "spec.servers[%d]" % index, listeners, key, listener)
    if not listeners:
        context.note("spec.servers", "no server could be converted: no Gateway is written")
        return None
    names: set = set()
    finished = [_finish_listener(listener, context.namespace, names) for listener in listeners.values()]
    return dict(apiVersion=GATEWAY_API_VERSION, kind="Gateway", metadata=_metadata(gateway),
                spec=dict(gatewayClassName=gateway_class_name, listeners=finished))


def _server_listeners(context: _Context, path: str, server: dict) -> list:
    """``(key, listener)`` for each host of ``server``; the listener still holds the route namespaces as a set."""
    port = server.get("port") or {}
    istio_protocol = str(port.get("protocol", "")).upper()
    protocol = LISTENER_PROTOCOLS.get(istio_protocol)
    if protocol is None:
        context.note(path + ".port.protocol", "protocol %s has no listener protocol: server not converted"
                     % port.get("protocol"))
        return []
    if istio_protocol in ("MONGO", "REDIS", "MYSQL"):
        context.note(path + ".port.protocol", "served as TCP: Istio's %s protocol filter has no equivalent"
                     % istio_protocol)
    for key, reason in SERVER_FIELDS_WITHOUT_EQUIVALENT.items():
        if server.get(key):
            context.note(path + "." + key, reason)
    tls = server.get("tls") or {}
    if tls.get("httpsRedirect"):
        context.note(path + ".tls.httpsRedirect", "no listener setting: attach an HTTPRoute with a RequestRedirect "
                     "filter (scheme https, statusCode 301) to this listener")
    listener_tls = None
    if protocol in ("HTTPS", "TLS"):
        protocol, listener_tls = _listener_tls(context, path + ".tls", tls, protocol)
        if protocol is None:
            return []
    by_hostname: dict = {}
    for host_index, host in enumerate(server.get("hosts") or []):
        namespace, _slash, dns_name = host.rpartition("/")
        hostname = None if dns_name == "*" or protocol == "TCP" else dns_name
        if namespace == "~" or (hostname is not None and not HOSTNAME.match(hostname)):
            context.note("%s.hosts[%d]" % (path, host_index), "%r has no listener hostname equivalent "
                         "(a lowercase DNS name, optionally with a leading '*.'): host not converted" % host)
            continue
        by_hostname.setdefault(hostname, set()).add(namespace or "*")
    listeners = []
    for hostname, namespaces in by_hostname.items():
        listener = dict(port=port.get("number"), protocol=protocol)
        if hostname:
            listener["hostname"] = hostname
        if listener_tls:
            listener["tls"] = listener_tls
        listeners.append(((listener["port"], protocol, hostname), dict(listener, namespaces=namespaces)))
    return listeners


def _listener_tls(context: _Context, path: str, tls: dict, protocol: str) -> tuple:
    """(listener protocol, listener tls) for the TLS settings of an HTTPS or TLS server; (None, None) when the
    mode has no equivalent."""
    mode = tls.get("mode") or "PASSTHROUGH"
    for key in TLS_FIELDS_WITHOUT_EQUIVALENT:
        if tls.get(key):
            context.note(path + "." + key, "no Gateway API listener setting")
    if mode == "PASSTHROUGH":
        return "TLS", dict(mode="Passthrough")
    if mode not in ("SIMPLE", "MUTUAL"):
        context.note(path + ".mode", "TLS mode %s has no Gateway API equivalent: server not converted" % mode)
        return None, None
    if not tls.get("credentialName"):
        context.note(path, "certificates from files in the gateway pod: listeners take them from Secrets "
                     "(certificateRefs); set credentialName: server not converted")
        return None, None
    if mode == "MUTUAL":
        context.note(path + ".mode", "client certificate validation is not converted (the listener terminates TLS "
                     "without it): set the Gateway's spec.tls.frontend validation with the CA Secret")
    return protocol, dict(mode="Terminate", certificateRefs=[dict(kind="Secret", name=tls["credentialName"])])


def _add_listener(context: _Context, path: str, listeners: dict, key: tuple, listener: dict) -> None:
    """Add ``listener``, merging it into an earlier one with the same port, protocol and hostname."""
    earlier = listeners.get(key)
    if earlier is None:
        listeners[key] = listener
    elif earlier.get("tls") == listener.get("tls"):
        earlier["namespaces"] |= listener["namespaces"]
    else:
        context.note(path, "port %s %s host %s is already served with other TLS settings by an earlier server: "
                     "not converted" % (key[0], key[1], key[2] or "*"))


def _finish_listener(listener: dict, gateway_namespace: str, names: set) -> dict:
    """The listener with a unique name and ``allowedRoutes`` from the namespaces of its hosts."""
    namespaces = listener.pop("namespaces")
    base = "%s-%s" % (listener["protocol"].lower(), listener["port"])
    if listener.get("hostname"):
        base += "-" + listener["hostname"].replace("*", "wildcard")
    name, suffix = base, 2
    while name in names:
        name, suffix = "%s-%d" % (base, suffix), suffix + 1
    names.add(name)
    return dict(name=name, **listener, allowedRoutes=dict(namespaces=_allowed_namespaces(namespaces, gateway_namespace)))


def _allowed_namespaces(namespaces: set, gateway_namespace: str) -> dict:
    """Istio's ``namespace/`` host prefixes as ``allowedRoutes.namespaces`` (no prefix or ``*`` means all)."""
    if "*" in namespaces:
        return {"from": "All"}
    resolved = sorted({gateway_namespace if namespace == "." else namespace for namespace in namespaces})
    if resolved == [gateway_namespace]:
        return {"from": "Same"}
    if len(resolved) == 1:
        return dict({"from": "Selector"}, selector=dict(matchLabels={NAMESPACE_LABEL: resolved[0]}))
    return dict({"from": "Selector"},
                selector=dict(matchExpressions=[dict(key=NAMESPACE_LABEL, operator="In", values=resolved)]))


# ---------------------------------------------------------------- VirtualService


def convert_virtual_service(context: _Context, spec: dict, converted_gateways: set, grants: dict) -> list:
    """The HTTPRoutes of a VirtualService's http routes (several when it has more rules than one may hold)."""
    if spec.get("exportTo") and spec["exportTo"] != ["*"]:
        context.note("spec.exportTo", "routes have no visibility setting: Gateways admit them by namespace "
                     "(allowedRoutes)")
    for key, route_kind in (("tls", "TLSRoute"), ("tcp", "TCPRoute")):
        if spec.get(key):
            context.note("spec." + key, "%s is not in the Gateway API v1.5.1 standard channel: not converted"
                         % route_kind)
    parent_refs = _parent_refs(context, spec.get("gateways") or [], converted_gateways)
    if not spec.get("http") or not parent_refs:
        return []
    hostnames = _hostnames(context, spec.get("hosts") or [])
    if hostnames is None:
        return []
    rules = []
    for index, route in enumerate(spec["http"]):
        rules += _http_rules(context, "spec.http[%d]" % index, route, grants)
    if not rules:
        context.note("spec.http", "no http route could be converted: no HTTPRoute is written")
        return []
    routes = []
    for number, chunk in enumerate(_chunks(rules), start=1):
        route_spec = dict(parentRefs=parent_refs)
        if hostnames:
            route_spec["hostnames"] = hostnames
        route_spec["rules"] = chunk
        metadata = dict(name=context.name if number == 1 else "%s-%d" % (context.name, number),
                        namespace=context.namespace)
        routes.append(dict(apiVersion=GATEWAY_API_VERSION, kind="HTTPRoute", metadata=metadata, spec=route_spec))
    return routes


def _parent_refs(context: _Context, gateways: list, converted_gateways: set) -> list:
    if not gateways:
        context.note("spec.gateways", "no gateways: the VirtualService applies to the mesh (sidecars) only; "
                     "mesh routing (GAMMA: parentRefs to a Service) is not converted")
        return []
    refs: list = []
    for index, reference in enumerate(gateways):
        if reference == MESH_GATEWAY:
            context.note("spec.gateways[%d]" % index, "the mesh (sidecars): mesh routing (GAMMA: parentRefs to a "
                         "Service) is not converted")
            continue
        namespace, name = gateway_reference(reference, context.namespace)
        ref = dict(name=name) if namespace == context.namespace else dict(name=name, namespace=namespace)
        if ref not in refs:
            refs.append(ref)
        if (namespace, name) not in converted_gateways:
            context.result.warnings.append(
                "VirtualService %s/%s: Gateway %s/%s is not among the converted Gateways; its HTTPRoute refers to a "
                "Gateway API Gateway of that name" % (context.namespace, context.name, namespace, name))
    return refs


def _hostnames(context: _Context, hosts: list) -> Optional[list]:
    """The route's hostnames ([] for all); None, reported, when hosts are given but none converts (the route
    would otherwise match every host)."""
    if "*" in hosts:
        return []
    hostnames = []
    for index, host in enumerate(hosts):
        hostname = to_fqdn(host, context.namespace)
        if HOSTNAME.match(hostname):
            hostnames.append(hostname)
        else:
            context.note("spec.hosts[%d]" % index, "%r is not a Gateway API hostname (a lowercase DNS name, "
                         "optionally with a leading '*.'): host not converted" % host)
    if hosts and not hostnames:
        context.note("spec.hosts", "no host could be converted: no HTTPRoute is written")
        return None
    if len(hostnames) > MAX_HOSTNAMES_PER_ROUTE:
        context.note("spec.hosts", "an HTTPRoute holds at most %d hostnames: %s not converted"
                     % (MAX_HOSTNAMES_PER_ROUTE, ", ".join(hostnames[MAX_HOSTNAMES_PER_ROUTE:])))
    return hostnames[:MAX_HOSTNAMES_PER_ROUTE]


def _chunks(rules: list) -> list:
    """``rules`` split in order into lists the HTTPRoute CRD accepts (16 rules, fewer than 128 matches)."""
    chunks: list = [[]]
    matches = 0
    for rule in rules:
        count = max(1, len(rule.get("matches") or []))
        if len(chunks[-1]) == MAX_RULES_PER_ROUTE or matches + count > MAX_MATCHES_PER_ROUTE:
            chunks.append([])
            matches = 0
        chunks[-1].append(rule)
        matches += count
    return chunks


def _http_rules(context: _Context, path: str, route: dict, grants: dict) -> list:
    """The HTTPRoute rules of one Istio http route: one, or one per match when a path rewrite needs it."""
    for key, reason in (("delegate", "delegation to other VirtualServices is not in the standard channel"),
                        ("directResponse", "direct responses have no Gateway API equivalent")):
        if route.get(key):
            context.note(path + "." + key, reason + ": rule not converted")
            return []
    for key, reason in ROUTE_FIELDS_WITHOUT_EQUIVALENT.items():
        if route.get(key):
            context.note(path + "." + key, reason)
    matches = [_match(context, "%s.match[%d]" % (path, index), match)
               for index, match in enumerate(route.get("match") or [])]
    converted_matches = [match for match in matches if match is not None]
    if matches and not converted_matches:
        context.note(path + ".match", "no match could be converted: rule not converted (it would match every request)")
        return []
    name = route.get("name")
    if name and not (HOSTNAME.match(name) and "*" not in name):
        context.note(path + ".name", "%r is not a valid rule name (a lowercase RFC 1123 subdomain)" % name)
        name = None
    filters = _route_filters(context, path, route, grants)
    backend_refs = None
    if route.get("redirect"):
        filters.append(_redirect_filter(context, path + ".redirect", route["redirect"]))
    else:
        backend_refs = [ref for ref in (_backend_ref(context, "%s.route[%d]" % (path, index), destination, grants)
                                        for index, destination in enumerate(route.get("route") or [])) if ref]
        if not backend_refs:
            context.note(path + ".route", "no destination could be converted: rule not converted")
            return []
    timeouts = dict(request=gateway_duration(parse_duration(route["timeout"]))) if route.get("timeout") else None
    rewrite = route.get("rewrite") or {}
    if rewrite.get("uriRegexRewrite"):
        context.note(path + ".rewrite.uriRegexRewrite", "regex rewrites have no Gateway API equivalent")
    if rewrite.get("uri") is None:
        url_rewrite = [dict(type="URLRewrite", urlRewrite=dict(hostname=rewrite["authority"]))] \
            if rewrite.get("authority") else []
        return [_rule(name, converted_matches, url_rewrite + filters, backend_refs, timeouts)]
    # Istio's rewrite.uri replaces the matched prefix (the whole path of an exact match); a Gateway API prefix
    # replacement needs exactly one PathPrefix match per rule, so each match becomes a rule of its own.
    rules = []
    for index, match in enumerate(converted_matches or [{}]):
        match = match if "path" in match else dict(path=dict(type="PathPrefix", value="/"), **match)
        url_rewrite = _url_rewrite(context, path + ".rewrite", rewrite, match["path"]["type"], index)
        rule_name = "%s-%d" % (name, index + 1) if name and index else name
        backends = [dict(ref) for ref in backend_refs] if backend_refs else None  # no YAML anchors in the output
        rules.append(_rule(rule_name, [match], url_rewrite + filters, backends, timeouts))
    return rules


def _url_rewrite(context: _Context, path: str, rewrite: dict, match_type: str, index: int) -> list:
    """The URLRewrite filter (as a list of none or one) of ``rewrite`` for a rule whose one path match is of
    ``match_type``."""
    url_rewrite = dict(hostname=rewrite["authority"]) if rewrite.get("authority") else {}
    if match_type == "Exact":
        url_rewrite["path"] = dict(type="ReplaceFullPath", replaceFullPath=rewrite["uri"])
    elif match_type == "PathPrefix":
        url_rewrite["path"] = dict(type="ReplacePrefixMatch", replacePrefixMatch=rewrite["uri"])
    else:
        context.note(path + ".uri", "a path rewrite of a regex match has no Gateway API equivalent: not converted "
                     "for match %d" % index)
    return [dict(type="URLRewrite", urlRewrite=url_rewrite)] if url_rewrite else []


def _rule(name: Optional[str], matches: list, filters: list, backend_refs: Optional[list],
          timeouts: Optional[dict]) -> dict:
    """An HTTPRoute rule, keys in the Gateway API's order, empty parts left out."""
    rule = dict(name=name, matches=matches, filters=filters, backendRefs=backend_refs, timeouts=timeouts)
    return {key: value for key, value in rule.items() if value}


# ---------------------------------------------------------------- matches


def _match(context: _Context, path: str, match: dict) -> Optional[dict]:
    """The HTTPRoute match of an Istio match; None, reported, when a condition has no equivalent."""
    for key in MATCH_FIELDS_WITHOUT_EQUIVALENT:
        if match.get(key):
            context.note(path + "." + key, "no HTTPRoute match condition: match not converted")
            return None
    if match.get("ignoreUriCase"):
        context.note(path + ".ignoreUriCase", "paths match case-sensitively in the Gateway API: match not converted")
        return None
    for key in ("name", "statPrefix"):
        if match.get(key):
            context.note(path + "." + key, "no HTTPRoute match equivalent (naming only, routing unchanged)")
    result: dict = {}
    uri = match.get("uri")
    if uri is not None:
        kind, value = _string_match(context, uri, path_match=True)
        problem = _path_problem(kind, value)
        if problem:
            context.note(path + ".uri", "%s: match not converted" % problem)
            return None
        result["path"] = dict(type=kind, value=value)
    for key, target in (("headers", "headers"), ("queryParams", "queryParams")):
        conditions = []
        for name, condition in (match.get(key) or {}).items():
            if not HEADER_NAME.match(name):
                context.note("%s.%s.%s" % (path, key, name), "not a valid HTTP header or query parameter name for "
                             "the Gateway API: match not converted")
                return None
            kind, value = _string_match(context, condition)
            conditions.append(dict(name=name, type=kind, value=value) if kind != "Exact" else dict(name=name, value=value))
        if conditions:
            result[target] = conditions
    method = match.get("method")
    if method is not None:
        if set(method) != {"exact"} or method["exact"].upper() not in HTTP_METHODS:
            context.note(path + ".method", "only an exact match of a standard HTTP method has an equivalent: "
                         "match not converted")
            return None
        result["method"] = method["exact"].upper()
    return result


def _string_match(context: _Context, condition: dict, path_match: bool = False) -> tuple:
    """(type, value) of an Istio StringMatch: exact -> Exact, prefix -> PathPrefix for paths, else a
    RegularExpression (RE2, full match, as Envoy applies VirtualService regexes); an empty match (presence) -> ``.*``."""
    if "exact" in condition:
        return "Exact", condition["exact"]
    if "prefix" in condition and path_match:
        return "PathPrefix", condition["prefix"]
    context.regex_used = True
    if "prefix" in condition:
        return "RegularExpression", _RE2_SPECIAL.sub(r"\\\1", condition["prefix"]) + ".*"
    return "RegularExpression", condition.get("regex", ".*")


def _path_problem(kind: str, value: str) -> Optional[str]:
    """Why the HTTPRoute CRD refuses an Exact or PathPrefix ``value``, or None."""
    if kind == "RegularExpression":
        return None
    if not value.startswith("/"):
        return "path %r does not start with '/'" % value
    bad = [part for part in _PATH_FORBIDDEN if part in value] + \
          [end for end in ("/..", "/.") if value.endswith(end)]
    if bad or not PATH_VALUE.match(value):
        return "path %r holds characters or segments the Gateway API refuses" % value
    return None


# ---------------------------------------------------------------- backends and filters


def _service_ref(context: _Context, path: str, destination: dict, grants: dict) -> Optional[dict]:
    """The Service reference (name, namespace when another, port) of an Istio destination; None, reported,
    for a host that is no Service of the cluster or a destination without port."""
    host = destination.get("host", "")
    found = SERVICE_FQDN.match(to_fqdn(host, context.namespace))
    if not found:
        context.note(path + ".host", "%r is not a Kubernetes Service name (ServiceEntry or external host): "
                     "not converted (Istio accepts a backendRef of group networking.istio.io, kind Hostname)" % host)
        return None
    port = (destination.get("port") or {}).get("number")
    if port is None:
        context.note(path + ".port", "a Gateway API Service reference needs a port: not converted; set "
                     "destination.port.number")
        return None
    name, namespace = found.group(1), found.group(3)
    if namespace == context.namespace:
        return dict(name=name, port=port)
    grants.setdefault((namespace, context.namespace), set()).add(name)
    return dict(name=name, namespace=namespace, port=port)


def _backend_ref(context: _Context, path: str, entry: dict, grants: dict) -> Optional[dict]:
    destination = entry.get("destination") or {}
    ref = _service_ref(context, path + ".destination", destination, grants)
    if ref is None:
        return None
    if destination.get("subset"):
        context.note(path + ".destination.subset", "DestinationRule subsets have no Gateway API equivalent: the "
                     "backendRef sends to every endpoint of the Service; route to a Service selecting only the "
                     "subset's pods")
    if entry.get("weight") is not None:
        ref["weight"] = entry["weight"]
    filters = _header_filters(context, path + ".headers", entry.get("headers") or {})
    if filters:
        ref["filters"] = filters
    return ref


def _route_filters(context: _Context, path: str, route: dict, grants: dict) -> list:
    """The header, mirror and CORS filters of an Istio http route."""
    filters = _header_filters(context, path + ".headers", route.get("headers") or {})
    mirrors = [(path + ".mirror", route["mirror"], route.get("mirrorPercentage"), route.get("mirrorPercent"))] \
        if route.get("mirror") else []
    mirrors += [("%s.mirrors[%d]" % (path, index), mirror.get("destination") or {}, mirror.get("percentage"), None)
                for index, mirror in enumerate(route.get("mirrors") or [])]
    for mirror_path, destination, percentage, percent in mirrors:
        backend = _service_ref(context, mirror_path, destination, grants)
        if backend:
            filters.append(dict(type="RequestMirror", requestMirror=dict(
                backendRef=backend, **_mirror_share(percentage, percent))))
    if route.get("corsPolicy"):
        filters.append(dict(type="CORS", cors=_cors(context, path + ".corsPolicy", route["corsPolicy"])))
    return filters


def _mirror_share(percentage: Optional[dict], percent: Optional[int]) -> dict:
    """``percent`` or ``fraction`` for Istio's mirror percentage (all requests when unset)."""
    value = (percentage or {}).get("value", percent)
    if value is None:
        return {}
    if float(value) == int(value):
        return dict(percent=int(value))
    numerator, denominator = round(value * 10000), 1000000
    divisor = math.gcd(numerator, denominator)
    return dict(fraction=dict(numerator=numerator // divisor, denominator=denominator // divisor))


def _header_filters(context: _Context, path: str, headers: dict) -> list:
    filters = []
    for direction, filter_type, key in (("request", "RequestHeaderModifier", "requestHeaderModifier"),
                                        ("response", "ResponseHeaderModifier", "responseHeaderModifier")):
        modifier = _header_modifier(context, "%s.%s" % (path, direction), headers.get(direction) or {})
        if modifier:
            filters.append({"type": filter_type, key: modifier})
    return filters


def _header_modifier(context: _Context, path: str, operations: dict) -> dict:
    """Istio's ``set``/``add`` maps and ``remove`` list as a Gateway API header modifier."""
    modifier: dict = {}
    for operation in ("set", "add"):
        entries = [dict(name=name, value=str(value)) for name, value in (operations.get(operation) or {}).items()
                   if _valid_header(context, "%s.%s.%s" % (path, operation, name), name)]
        if entries:
            modifier[operation] = entries
    removed = [name for index, name in enumerate(operations.get("remove") or [])
               if _valid_header(context, "%s.remove[%d]" % (path, index), name)]
    if removed:
        modifier["remove"] = removed
    return modifier


def _valid_header(context: _Context, path: str, name: str) -> bool:
    if HEADER_NAME.match(name):
        return True
    context.note(path, "%r is not a valid header name for the Gateway API: not converted" % name)
    return False


def _redirect_filter(context: _Context, path: str, redirect: dict) -> dict:
    """Istio's redirect as a RequestRedirect filter (``uri`` replaces the whole path)."""
    request_redirect: dict = {}
    if redirect.get("scheme"):
        if redirect["scheme"] in ("http", "https"):
            request_redirect["scheme"] = redirect["scheme"]
        else:
            context.note(path + ".scheme", "only http and https redirects have an equivalent")
    if redirect.get("authority"):
        hostname, _colon, port = redirect["authority"].partition(":")
        request_redirect["hostname"] = hostname
        if port.isdigit():
            request_redirect["port"] = int(port)
    if redirect.get("port"):
        request_redirect["port"] = redirect["port"]
    if redirect.get("derivePort"):
        context.note(path + ".derivePort", "no equivalent: without a port the redirect uses the scheme's default")
    if redirect.get("uri"):
        request_redirect["path"] = dict(type="ReplaceFullPath", replaceFullPath=redirect["uri"])
    code = redirect.get("redirectCode", 301)
    if code in REDIRECT_CODES:
        request_redirect["statusCode"] = code
    else:
        context.note(path + ".redirectCode", "status %s is not one of %s: the Gateway API default (302) applies"
                     % (code, ", ".join(str(code) for code in REDIRECT_CODES)))
    return dict(type="RequestRedirect", requestRedirect=request_redirect)


def _cors(context: _Context, path: str, policy: dict) -> dict:
    """Istio's CORS policy as the CORS filter of the v1.5.1 standard channel."""
    cors: dict = {}
    origins = [dict(exact=origin) for origin in policy.get("allowOrigin") or []] + list(policy.get("allowOrigins") or [])
    allowed = []
    for index, origin in enumerate(origins):
        value = origin.get("exact")
        if value is not None and CORS_ORIGIN.match(value):
            allowed.append(value)
        else:
            context.note("%s.allowOrigins[%d]" % (path, index), "only exact origins (scheme://host[:port], '*' or a "
                         "'*.' subdomain wildcard) have an equivalent: origin not allowed")
    if allowed:
        cors["allowOrigins"] = allowed
    methods = [method.upper() for method in policy.get("allowMethods") or []]
    if methods:
        cors["allowMethods"] = methods
    for key in ("allowHeaders", "exposeHeaders"):
        if policy.get(key):
            cors[key] = list(policy[key])
    if policy.get("allowCredentials") is not None:
        cors["allowCredentials"] = bool(policy["allowCredentials"])
    if policy.get("maxAge"):
        cors["maxAge"] = int(math.ceil(parse_duration(policy["maxAge"])))
    if policy.get("unmatchedPreflights"):
        context.note(path + ".unmatchedPreflights", "no Gateway API equivalent")
    return cors


def gateway_duration(seconds: float) -> str:
    """A Gateway API duration (``1h30m``, ``2s500ms``: at most 4 parts of up to 5 digits) for ``seconds``,
    to the millisecond."""
    milliseconds = int(round(seconds * 1000))
    parts = []
    for unit, size in (("h", 3600000), ("m", 60000), ("s", 1000), ("ms", 1)):
        count, milliseconds = divmod(milliseconds, size)
        if count:
            parts.append("%d%s" % (count, unit))
    return "".join(parts) or "0s"


def reference_grant(to_namespace: str, from_namespace: str, services: list) -> dict:
    """The ReferenceGrant letting HTTPRoutes of ``from_namespace`` use ``services`` of ``to_namespace``."""
    return dict(apiVersion=REFERENCE_GRANT_API_VERSION, kind="ReferenceGrant",
                metadata=dict(name="httproutes-from-%s" % from_namespace, namespace=to_namespace),
                spec={"from": [dict(group=GATEWAY_API_GROUP, kind="HTTPRoute", namespace=from_namespace)],
                      "to": [dict(group="", kind="Service", name=name) for name in services]})
