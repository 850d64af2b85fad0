# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Kubernetes Gateway API kinds the resource modules manage (``gateway.networking.k8s.io/v1``, standard
channel v1.5.1): each option declared once, and the descriptors the engine runs with.

Two choices follow from the API server:

- Defaults: every ``default`` the CRD schema sets (backendRef ``weight: 1``, parentRef ``kind: Gateway``, a
  rule's ``matches: [{path: {type: PathPrefix, value: /}}]``...) is the option's default, so the spec the module
  sends is the one the API server stores after defaulting: a re-run compares equal and sends no write.
- Sets: lists the CRD declares ``x-kubernetes-list-type: set`` or ``map`` (listeners keyed by name, header
  matches, query parameter matches, header modifier ``set``/``add`` keyed by name, ``remove``, CORS lists,
  per-port TLS) are compared as sets; ``atomic`` lists (parentRefs, hostnames, rules, matches, filters,
  backendRefs, addresses...) are ordered, as the API gives their order a meaning (precedence, first match).
"""

from __future__ import annotations

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.descriptor import ResourceType
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kinds import Kind
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.options import (
    Option,
    dict_option,
    list_option,
    option_path,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.gateway_api.shared_gateway import SharedListeners
from ansible_collections.meshsmith.istio.plugins.module_utils.gateway_api.validation import (
    validate_gateway,
    validate_http_route,
)

GATEWAY_API_GROUP = "gateway.networking.k8s.io"
GATEWAY_API_VERSIONS = ("v1",)

FILTER_TYPES = ("RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror", "RequestRedirect",
                "URLRewrite", "ExtensionRef", "CORS")


def _str_list(name: str, **fields) -> Option:
    return list_option(name, elements="str", **fields)


def _object_ref(group_default=None, kind_default=None, **name_fields) -> tuple[Option, ...]:
    """group, kind, name and namespace of a reference, with the CRD's defaults of group and kind."""
    return (Option("group", default=group_default), Option("kind", default=kind_default),
            Option("name", **name_fields), Option("namespace"))


_LABEL_SELECTOR = dict_option(
    "selector",
    list_option("match_expressions", Option("key", required=True, no_log=False), Option("operator", required=True),
                _str_list("values")),
    dict_option("match_labels"),
)

# --- Gateway ------------------------------------------------------------------------------------------------------

_CA_VALIDATION = dict_option(
    "validation",
    list_option("ca_certificate_refs", Option("group"), Option("kind"), Option("name"), Option("namespace")),
    Option("mode", choices=("AllowValidOnly", "AllowInsecureFallback"), default="AllowValidOnly"),
)

GATEWAY_OPTIONS = (
    Option("listeners_mode", choices=("replace", "merge"), default="replace", in_spec=False),
    list_option("addresses", Option("type", default="IPAddress"), Option("value")),
    dict_option(
        "allowed_listeners",
        dict_option("namespaces", Option("from", choices=("All", "Selector", "Same", "None"), default="None"),
                    _LABEL_SELECTOR, default={"from": "None"}),
    ),
    Option("gateway_class_name"),
    dict_option("infrastructure", dict_option("annotations"), dict_option("labels"),
                dict_option("parameters_ref", Option("group"), Option("kind"), Option("name"))),
    list_option(
        "listeners",
        dict_option(
            "allowed_routes",
            list_option("kinds", Option("group", default=GATEWAY_API_GROUP), Option("kind", required=True)),
            dict_option("namespaces", Option("from", choices=("All", "Selector", "Same"), default="Same"),
                        _LABEL_SELECTOR, default={"from": "Same"}),
            default={"namespaces": {"from": "Same"}},
        ),
        Option("hostname"),
        Option("name", required=True),
        Option("port", "int", required=True),
        Option("protocol", required=True),
        dict_option(
            "tls",
            list_option("certificate_refs", *_object_ref("", "Secret", required=True)),
            Option("mode", choices=("Terminate", "Passthrough"), default="Terminate"),
            dict_option("options"),
        ),
        unordered=True,
    ),
    dict_option(
        "tls",
        dict_option("backend", dict_option("client_certificate_ref", *_object_ref("", "Secret", required=True))),
        dict_option(
            "frontend",
            dict_option("default", _CA_VALIDATION),
            list_option("per_port", Option("port", "int", required=True), dict_option("tls", _CA_VALIDATION),
                        unordered=True),
        ),
    ),
)

# listeners_mode=merge lists the HTTPRoutes (cluster-wide) before taking listeners off a shared Gateway.
_HTTP_ROUTES = Kind(GATEWAY_API_GROUP, GATEWAY_API_VERSIONS[0], "httproutes", "HTTPRoute")
K8S_GATEWAY = ResourceType(GATEWAY_API_GROUP, GATEWAY_API_VERSIONS, "gateways", "Gateway", GATEWAY_OPTIONS,
                           validate_gateway,
                           sharing=SharedListeners(_HTTP_ROUTES, lambda field: option_path(GATEWAY_OPTIONS, field)))

# --- HTTPRoute ----------------------------------------------------------------------------------------------------

_HEADER_VALUES = (Option("name", required=True), Option("value", required=True))
_HEADER_MODIFIER = (list_option("add", *_HEADER_VALUES, unordered=True), _str_list("remove", unordered=True),
                    list_option("set", *_HEADER_VALUES, unordered=True))
_PATH_MODIFIER = dict_option("path", Option("replace_full_path"), Option("replace_prefix_match"),
                             Option("type", choices=("ReplaceFullPath", "ReplacePrefixMatch"), required=True))
_BACKEND_OBJECT_REF = (*_object_ref("", "Service", required=True), Option("port", "int"))

_FILTERS = list_option(
    "filters",
    dict_option(
        "cors",
        Option("allow_credentials", "bool"),
        _str_list("allow_headers", unordered=True),
        _str_list("allow_methods", unordered=True),
        _str_list("allow_origins", unordered=True),
        _str_list("expose_headers", unordered=True),
        Option("max_age", "int", default=5),
    ),
    dict_option("extension_ref", Option("group"), Option("kind"), Option("name")),
    dict_option("request_header_modifier", *_HEADER_MODIFIER),
    dict_option(
        "request_mirror",
        dict_option("backend_ref", *_BACKEND_OBJECT_REF),
        dict_option("fraction", Option("denominator", "int", default=100), Option("numerator", "int")),
        Option("percent", "int"),
    ),
    dict_option(
        "request_redirect",
        Option("hostname"),
        _PATH_MODIFIER,
        Option("port", "int"),
        Option("scheme", choices=("http", "https")),
        Option("status_code", "int", choices=(301, 302, 303, 307, 308), default=302),
    ),
    dict_option("response_header_modifier", *_HEADER_MODIFIER),
    Option("type", choices=FILTER_TYPES, required=True),
    dict_option("url_rewrite", Option("hostname"), _PATH_MODIFIER),
)

_VALUE_MATCH = (Option("name", required=True), Option("type", choices=("Exact", "RegularExpression"), default="Exact"),
                Option("value", required=True))
DEFAULT_PATH_MATCH = {"type": "PathPrefix", "value": "/"}

_MATCHES = list_option(
    "matches",
    list_option("headers", *_VALUE_MATCH, unordered=True),
    # No Ansible choices: rules without matches share the default's dicts, where Ansible would check a None method.
    Option("method"),
    dict_option("path", Option("type", choices=("Exact", "PathPrefix", "RegularExpression"), default="PathPrefix"),
                Option("value", default="/"), default=DEFAULT_PATH_MATCH),
    list_option("query_params", *_VALUE_MATCH, unordered=True),
    default=[{"path": DEFAULT_PATH_MATCH}],
)

HTTP_ROUTE_OPTIONS = (
    _str_list("hostnames"),
    list_option("parent_refs", *_object_ref(GATEWAY_API_GROUP, "Gateway", required=True), Option("port", "int"),
                Option("section_name")),
    list_option(
        "rules",
        list_option("backend_refs", *_BACKEND_OBJECT_REF, Option("weight", "int", default=1), _FILTERS),
        _FILTERS,
        _MATCHES,
        Option("name"),
        dict_option("timeouts", Option("backend_request"), Option("request")),
        default=[{"matches": [{"path": DEFAULT_PATH_MATCH}]}],
    ),
)

HTTP_ROUTE = ResourceType(GATEWAY_API_GROUP, GATEWAY_API_VERSIONS, "httproutes", "HTTPRoute", HTTP_ROUTE_OPTIONS,
                          validate_http_route)

# Read by route_check (cross-namespace backendRefs), not managed: at v1beta1, which every release since v0.6 serves.
REFERENCE_GRANT = Kind(GATEWAY_API_GROUP, "v1beta1", "referencegrants", "ReferenceGrant")
