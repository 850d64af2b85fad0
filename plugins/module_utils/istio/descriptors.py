# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Istio kinds the resource modules manage: each option declared once (``Option``), and the descriptors
(``ResourceType``) the engine runs with. The modules' DOCUMENTATION describes the same options (checked by
tests/unit/test_option_declarations.py)."""

from __future__ import annotations

from typing import Mapping, Optional

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.descriptor import ResourceType, SharingContext
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.api import ISTIO_NETWORKING_GROUP, ISTIO_VERSIONS
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.options import (
    Option,
    dict_option,
    list_option,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.request import api_action
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.shared_gateway import (
    check_servers_to_remove,
    may_reduce,
    merged_gateway,
    reduced_gateway,
    refuse_purge_on_shared_gateway,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.destination_rule import (
    validate_destination_rule,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.gateway import (
    SERVER_TLS_MODES,
    TLS_PROTOCOL_VERSIONS,
    validate_gateway,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.virtual_service import (
    validate_virtual_service,
)


def _str_list(name: str, **fields) -> Option:
    return list_option(name, elements="str", **fields)


# --- Gateway ------------------------------------------------------------------------------------------------------

_TLS_FILES = (Option("server_certificate"), Option("private_key", no_log=False), Option("ca_certificates"))

GATEWAY_OPTIONS = (
    Option("servers_mode", choices=("replace", "merge"), default="replace", in_spec=False),
    dict_option("selector"),
    list_option(
        "servers",
        dict_option("port", Option("number", "int"), Option("protocol"), Option("name"), Option("target_port", "int"),
                    required=True),
        _str_list("hosts", unordered=True),
        Option("bind"),
        Option("default_endpoint"),
        Option("name"),
        dict_option(
            "tls",
            *_TLS_FILES,
            Option("mode", choices=SERVER_TLS_MODES),
            Option("https_redirect", "bool"),
            Option("credential_name"),
            _str_list("credential_names"),
            Option("ca_cert_credential_name"),
            Option("ca_crl"),
            list_option("tls_certificates", *_TLS_FILES),
            _str_list("subject_alt_names"),
            _str_list("verify_certificate_spki"),
            _str_list("verify_certificate_hash"),
            Option("min_protocol_version", choices=TLS_PROTOCOL_VERSIONS),
            Option("max_protocol_version", choices=TLS_PROTOCOL_VERSIONS),
            _str_list("cipher_suites"),
        ),
    ),
)


class SharedServers:
    """``servers_mode=merge``: the task adds or removes only its own servers and hosts of a Gateway shared by
    several applications (see ``shared_gateway.py``)."""

    def applies(self, params: Mapping) -> bool:
        return params["servers_mode"] == "merge"

    def check(self, params: Mapping, spec: dict) -> None:
        refuse_purge_on_shared_gateway(params)
        if params["state"] == "absent":
            check_servers_to_remove(spec.get("servers"))

    def combine(self, context: SharingContext, live: Optional[dict], wanted: Optional[dict]) -> Optional[dict]:
        if wanted is not None:
            merged = merged_gateway(live, wanted)
            validate_gateway(context.params["name"], context.params["namespace"], merged["spec"])
            return merged
        servers = context.spec["servers"]
        # Nothing to remove (an absent Gateway, or another's without the task's hosts) needs no LIST.
        if live is None or not may_reduce(live, servers):
            return live
        where = context.kind.describe(context.params["namespace"], context.params["name"])
        with api_action("list the VirtualServices bound to %s" % where):
            # All VirtualServices, in one cluster-wide LIST: any namespace's may bind to this Gateway.
            virtual_services = context.client.list(VIRTUAL_SERVICE.at(context.kind.api_version).path())
        return reduced_gateway(live, servers, virtual_services)


GATEWAY = ResourceType(ISTIO_NETWORKING_GROUP, ISTIO_VERSIONS, "gateways", "Gateway", GATEWAY_OPTIONS,
                       validate_gateway, sharing=SharedServers())

# --- VirtualService -----------------------------------------------------------------------------------------------

_STRING_MATCH = (Option("exact"), Option("prefix"), Option("regex"))
_PERCENT = dict_option("percentage", Option("value", "float"))
_DESTINATION = (Option("host", required=True), Option("subset"), dict_option("port", Option("number", "int")))
_HEADER_OPERATIONS = (dict_option("set"), dict_option("add"), _str_list("remove"))
_HEADERS = dict_option("headers", dict_option("request", *_HEADER_OPERATIONS),
                       dict_option("response", *_HEADER_OPERATIONS))
_ROUTE_DESTINATION = (dict_option("destination", *_DESTINATION, required=True), Option("weight", "int"))
_L4_MATCH = (
    _str_list("destination_subnets", unordered=True),
    Option("port", "int"),
    dict_option("source_labels"),
    _str_list("gateways", unordered=True),
    Option("source_namespace"),
)

_HTTP_MATCH = (
    Option("name"),
    dict_option("uri", *_STRING_MATCH),
    dict_option("scheme", *_STRING_MATCH),
    dict_option("method", *_STRING_MATCH),
    dict_option("authority", *_STRING_MATCH),
    dict_option("headers"),
    Option("port", "int"),
    dict_option("source_labels"),
    _str_list("gateways", unordered=True),
    dict_option("query_params"),
    Option("ignore_uri_case", "bool"),
    dict_option("without_headers"),
    Option("source_namespace"),
    Option("stat_prefix"),
)

_HTTP_ROUTE = (
    Option("name"),
    list_option("match", *_HTTP_MATCH),
    list_option("route", *_ROUTE_DESTINATION, _HEADERS),
    dict_option(
        "redirect",
        Option("uri"),
        Option("authority"),
        Option("port", "int"),
        Option("derive_port", choices=("FROM_PROTOCOL_DEFAULT", "FROM_REQUEST_PORT")),
        Option("scheme"),
        Option("redirect_code", "int"),
    ),
    dict_option("direct_response", Option("status", "int", required=True),
                dict_option("body", Option("string"), Option("bytes"))),
    dict_option("delegate", Option("name"), Option("namespace")),
    dict_option("rewrite", Option("uri"), Option("authority"),
                dict_option("uri_regex_rewrite", Option("match"), Option("rewrite"))),
    Option("timeout"),
    dict_option(
        "retries",
        Option("attempts", "int"),
        Option("per_try_timeout"),
        Option("retry_on"),
        Option("retry_remote_localities", "bool"),
        Option("retry_ignore_previous_hosts", "bool"),
        Option("backoff"),
    ),
    dict_option(
        "fault",
        dict_option("delay", Option("fixed_delay"), Option("exponential_delay"), _PERCENT, Option("percent", "int")),
        dict_option("abort", Option("http_status", "int"), Option("grpc_status"), Option("http2_error"), _PERCENT),
    ),
    dict_option("mirror", *_DESTINATION),
    list_option("mirrors", dict_option("destination", *_DESTINATION, required=True), _PERCENT),
    dict_option("mirror_percentage", Option("value", "float")),
    Option("mirror_percent", "int"),
    dict_option(
        "cors_policy",
        _str_list("allow_origin"),
        list_option("allow_origins", *_STRING_MATCH),
        _str_list("allow_methods"),
        _str_list("allow_headers"),
        _str_list("expose_headers"),
        Option("max_age"),
        Option("allow_credentials", "bool"),
        Option("unmatched_preflights", choices=("UNSPECIFIED", "FORWARD", "IGNORE")),
    ),
    _HEADERS,
)

VIRTUAL_SERVICE_OPTIONS = (
    _str_list("hosts", unordered=True),
    _str_list("gateways", unordered=True),
    list_option("http", *_HTTP_ROUTE),
    list_option("tls",
                list_option("match", *_L4_MATCH, _str_list("sni_hosts", required=True, unordered=True), required=True),
                list_option("route", *_ROUTE_DESTINATION)),
    list_option("tcp",
                list_option("match", *_L4_MATCH, Option("source_subnet")),
                list_option("route", *_ROUTE_DESTINATION)),
    _str_list("export_to", unordered=True),
)

VIRTUAL_SERVICE = ResourceType(ISTIO_NETWORKING_GROUP, ISTIO_VERSIONS, "virtualservices", "VirtualService",
                               VIRTUAL_SERVICE_OPTIONS, validate_virtual_service)

# --- DestinationRule ----------------------------------------------------------------------------------------------
# Enums (load balancer, TLS mode, h2 upgrade, PROXY protocol) are checked by validate_destination_rule, naming the
# option path, like istiod's other rules.

_CONNECTION_POOL = dict_option(
    "connection_pool",
    dict_option(
        "tcp",
        Option("max_connections", "int"),
        Option("connect_timeout"),
        dict_option("tcp_keepalive", Option("probes", "int"), Option("time"), Option("interval")),
        Option("max_connection_duration"),
        Option("idle_timeout"),
    ),
    dict_option(
        "http",
        Option("http1_max_pending_requests", "int"),
        Option("http2_max_requests", "int"),
        Option("max_requests_per_connection", "int"),
        Option("max_retries", "int"),
        Option("idle_timeout"),
        Option("h2_upgrade_policy"),
        Option("use_client_protocol", "bool"),
        Option("max_concurrent_streams", "int"),
    ),
)
_LOAD_BALANCER = dict_option(
    "load_balancer",
    Option("simple"),
    dict_option(
        "consistent_hash",
        Option("http_header_name"),
        dict_option("http_cookie", Option("name"), Option("path"), Option("ttl"),
                    list_option("attributes", Option("name"), Option("value"))),
        Option("use_source_ip", "bool"),
        Option("http_query_parameter_name"),
        dict_option("ring_hash", Option("minimum_ring_size", "int")),
        dict_option("maglev", Option("table_size", "int")),
        Option("minimum_ring_size", "int"),
    ),
    dict_option(
        "locality_lb_setting",
        list_option("distribute", Option("from"), dict_option("to")),
        list_option("failover", Option("from"), Option("to")),
        _str_list("failover_priority"),
        Option("enabled", "bool"),
    ),
    Option("warmup_duration_secs"),
    dict_option("warmup", Option("duration"), Option("minimum_percent", "float"), Option("aggression", "float")),
)
_OUTLIER_DETECTION = dict_option(
    "outlier_detection",
    Option("split_external_local_origin_errors", "bool"),
    Option("consecutive_local_origin_failures", "int"),
    Option("consecutive_gateway_errors", "int"),
    Option("consecutive_5xx_errors", "int"),
    Option("consecutive_errors", "int"),
    Option("interval"),
    Option("base_ejection_time"),
    Option("max_ejection_percent", "int"),
    Option("min_health_percent", "int"),
)
_CLIENT_TLS = dict_option(
    "tls",
    Option("mode"),
    Option("client_certificate"),
    Option("private_key", no_log=False),
    Option("ca_certificates"),
    Option("credential_name"),
    _str_list("subject_alt_names"),
    Option("sni"),
    Option("insecure_skip_verify", "bool"),
    Option("ca_crl"),
)
_POLICY = (_CONNECTION_POOL, _LOAD_BALANCER, _OUTLIER_DETECTION, _CLIENT_TLS)
_TRAFFIC_POLICY = dict_option(
    "traffic_policy",
    *_POLICY,
    list_option("port_level_settings", dict_option("port", Option("number", "int")), *_POLICY),
    dict_option("tunnel", Option("protocol"), Option("target_host"), Option("target_port", "int")),
    dict_option("proxy_protocol", Option("version")),
    dict_option("retry_budget", Option("percent", "float"), Option("min_retry_concurrency", "int")),
)

DESTINATION_RULE_OPTIONS = (
    # ``host`` is the API server's option (k8s_auth): the field is set by ``destination_host``, without an alias.
    Option("destination_host", api_key="host", key_alias=False),
    _TRAFFIC_POLICY,
    list_option("subsets", Option("name"), dict_option("labels"), _TRAFFIC_POLICY),
    _str_list("export_to", unordered=True),
    dict_option("workload_selector", dict_option("match_labels")),
)

DESTINATION_RULE = ResourceType(ISTIO_NETWORKING_GROUP, ISTIO_VERSIONS, "destinationrules", "DestinationRule",
                                DESTINATION_RULE_OPTIONS, validate_destination_rule)

# Read (route_check) but not managed: no options.
SERVICE_ENTRY = ResourceType(ISTIO_NETWORKING_GROUP, ISTIO_VERSIONS, "serviceentries", "ServiceEntry", ())

ISTIO_RESOURCES = {resource.kind: resource
                   for resource in (GATEWAY, VIRTUAL_SERVICE, DESTINATION_RULE, SERVICE_ENTRY)}
