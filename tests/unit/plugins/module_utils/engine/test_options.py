# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One declaration gives the argument spec, the spec built from parameters, the unordered lists and the option path
of an API field path."""

from __future__ import annotations

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.options import (
    Option,
    argument_spec,
    dict_option,
    list_option,
    option_path,
    spec_from_params,
    to_camel,
    unordered_paths,
)

OPTIONS = (
    Option("servers_mode", choices=("replace", "merge"), default="replace", in_spec=False),
    dict_option("selector"),
    list_option(
        "servers",
        dict_option("port", Option("number", "int"), Option("target_port", "int"), required=True),
        list_option("hosts", elements="str", unordered=True),
        Option("default_endpoint", no_log=False),
        dict_option("tls", Option("https_redirect", "bool"), Option("credential_name")),
    ),
    list_option("export_to", elements="str", unordered=True),
    Option("mirror_percent", "int", api_key="mirror_percent"),
)


@pytest.mark.parametrize("name, camel", [
    ("hosts", "hosts"),
    ("credential_name", "credentialName"),
    ("verify_certificate_spki", "verifyCertificateSpki"),
    ("http2_error", "http2Error"),
])
def test_to_camel(name, camel):
    assert to_camel(name) == camel


def test_argument_spec_aliases_multi_word_options_with_their_api_names():
    assert argument_spec(OPTIONS) == {
        "servers_mode": {"type": "str", "default": "replace", "choices": ["replace", "merge"]},  # module-only
        "selector": {"type": "dict"},  # free-form map: no options
        "servers": {"type": "list", "elements": "dict", "options": {
            "port": {"type": "dict", "required": True, "options": {
                "number": {"type": "int"}, "target_port": {"type": "int", "aliases": ["targetPort"]}}},
            "hosts": {"type": "list", "elements": "str"},
            "default_endpoint": {"type": "str", "no_log": False, "aliases": ["defaultEndpoint"]},
            "tls": {"type": "dict", "options": {
                "https_redirect": {"type": "bool", "aliases": ["httpsRedirect"]},
                "credential_name": {"type": "str", "aliases": ["credentialName"]}}},
        }},
        "export_to": {"type": "list", "elements": "str", "aliases": ["exportTo"]},
        "mirror_percent": {"type": "int"},  # an API key given as is
    }


def test_spec_uses_api_names_drops_unset_options_and_leaves_maps_and_module_options_out():
    params = {
        "servers_mode": "merge",
        "selector": {"istio": "ingressgateway", "app_name": "x"},
        "servers": [{
            "port": {"number": 80, "target_port": None},
            "hosts": ["b", "a"],
            "default_endpoint": None,
            "tls": {"https_redirect": False, "credential_name": None},
        }],
        "export_to": None,
        "mirror_percent": 5,
        "name": "not an option of the declaration",
    }
    assert spec_from_params(OPTIONS, params) == {
        "selector": {"istio": "ingressgateway", "app_name": "x"},  # free-form: keys untouched
        "servers": [{"port": {"number": 80}, "hosts": ["b", "a"], "tls": {"httpsRedirect": False}}],  # False kept
        "mirror_percent": 5,
    }


def test_unordered_lists_are_api_paths():
    assert unordered_paths(OPTIONS) == ("servers[].hosts", "exportTo")


@pytest.mark.parametrize("field_path, path", [
    ("servers[1].tls.httpsRedirect", "servers[1].tls.https_redirect"),
    ("servers[0].port.targetPort", "servers[0].port.target_port"),
    ("exportTo[2]", "export_to[2]"),
    ("selector['app.kubernetes.io/name']", "selector['app.kubernetes.io/name']"),  # free-form map keys stay
    ("servers[0].defaultEndpoint.someKey", "servers[0].default_endpoint.someKey"),  # below a scalar: unknown
    ("name", "name"),  # not a spec option
    ("servers[0].tls.https_redirect", "servers[0].tls.https_redirect"),  # an option path is left alone
])
def test_option_path_of_an_api_field_path(field_path, path):
    assert option_path(OPTIONS, field_path) == path
