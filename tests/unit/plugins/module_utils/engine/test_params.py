# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module options to Istio spec: camelCase names, unset options dropped, free-form maps untouched."""

from __future__ import annotations

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.params import (
    dict_option,
    list_option,
    option,
    params_to_spec,
    to_camel,
    with_camel_aliases,
)

SPEC = {
    "selector": {"type": "dict"},
    "servers": {
        "type": "list",
        "elements": "dict",
        "options": {
            "port": {"type": "dict", "options": {"number": {"type": "int"}, "target_port": {"type": "int"}}},
            "default_endpoint": {"type": "str"},
            "tls": {"type": "dict", "options": {"https_redirect": {"type": "bool"}, "credential_name": {"type": "str"}}},
        },
    },
}


@pytest.mark.parametrize("name, camel", [
    ("hosts", "hosts"),
    ("credential_name", "credentialName"),
    ("verify_certificate_spki", "verifyCertificateSpki"),
    ("ca_cert_credential_name", "caCertCredentialName"),
])
def test_to_camel(name, camel):
    assert to_camel(name) == camel


def test_params_to_spec_camelcases_declared_suboptions_and_drops_unset_ones():
    params = {
        "selector": {"istio": "ingressgateway", "app_name": "x"},
        "servers": [{
            "port": {"number": 80, "target_port": None},
            "default_endpoint": None,
            "tls": {"https_redirect": False, "credential_name": None},
        }],
        "name": "ignored",
    }
    assert params_to_spec(params, SPEC, ("selector", "servers")) == {
        "selector": {"istio": "ingressgateway", "app_name": "x"},  # free-form: keys untouched
        "servers": [{"port": {"number": 80}, "tls": {"httpsRedirect": False}}],  # False kept, None dropped
    }


def test_params_to_spec_omits_unset_top_level_options():
    assert params_to_spec({"selector": None, "servers": []}, SPEC, ("selector", "servers")) == {"servers": []}


def test_option_builders_alias_multi_word_suboptions_with_their_istio_names():
    spec = with_camel_aliases({
        "servers": list_option(options={
            "port": dict_option({"target_port": option("int")}, required=True),
            "default_endpoint": option("str", no_log=False),
        }),
        "export_to": list_option("str"),
        "selector": dict_option(),
    })
    assert spec == {
        "servers": {"type": "list", "elements": "dict", "options": {
            "port": {"type": "dict", "required": True,
                     "options": {"target_port": {"type": "int", "aliases": ["targetPort"]}}},
            "default_endpoint": {"type": "str", "no_log": False, "aliases": ["defaultEndpoint"]},
        }},
        "export_to": {"type": "list", "elements": "str", "aliases": ["exportTo"]},
        "selector": {"type": "dict"},  # free-form map: no options
    }
