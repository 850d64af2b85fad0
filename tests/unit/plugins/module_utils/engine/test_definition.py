# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``definition``: a pasted manifest turned into the resource module's options, and each refusal naming the field."""

from __future__ import annotations

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.definition import (
    DefinitionOption,
    definition_params,
    definition_path,
    load_definition,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import GATEWAY, VIRTUAL_SERVICE
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import InvalidOption

GATEWAY_MANIFEST = """
apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata:
  name: shop
  namespace: istio-system
  labels: {team: web}
  resourceVersion: "12"
spec:
  selector: {istio: ingressgateway}
  servers:
    - port: {number: 443, name: https, protocol: HTTPS}
      hosts: [shop.example.com]
      tls: {mode: SIMPLE, credentialName: shop-cert, minProtocolVersion: TLSV1_2}
"""


def gateway_params(**params) -> dict:
    return definition_params(GATEWAY.options, GATEWAY.kind, GATEWAY.api_versions, params)


def failure(params: dict, resource=GATEWAY) -> InvalidOption:
    with pytest.raises(InvalidOption) as caught:
        definition_params(resource.options, resource.kind, resource.api_versions, params)
    return caught.value


def test_a_yaml_manifest_becomes_the_options_it_spells() -> None:
    params = gateway_params(definition=GATEWAY_MANIFEST, state="present")
    assert {key: params[key] for key in ("name", "namespace", "labels", "api_version", "state")} == dict(
        name="shop", namespace="istio-system", labels={"team": "web"}, api_version="networking.istio.io/v1beta1",
        state="present")
    assert params["selector"] == {"istio": "ingressgateway"}
    assert params["servers"] == [{"port": {"number": 443, "name": "https", "protocol": "HTTPS"},
                                  "hosts": ["shop.example.com"],
                                  "tls": {"mode": "SIMPLE", "credential_name": "shop-cert",
                                          "min_protocol_version": "TLSV1_2"}}]


def test_the_options_build_the_manifest_spec_again() -> None:
    params = gateway_params(definition=GATEWAY_MANIFEST)
    assert GATEWAY.build_spec(params) == load_definition(GATEWAY_MANIFEST)["spec"]


def test_a_dict_manifest_without_namespace_leaves_the_namespace_option_alone() -> None:
    params = gateway_params(definition={"apiVersion": "networking.istio.io/v1", "kind": "Gateway",
                                        "metadata": {"name": "gw"}, "spec": {}})
    assert "namespace" not in params and params["name"] == "gw"


def test_free_form_maps_keep_their_keys() -> None:
    manifest = {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": {"name": "vs"},
                "spec": {"http": [{"match": [{"headers": {"x-user": {"exact": "a"}}}],
                                   "route": [{"destination": {"host": "a"}}]}]}}
    params = definition_params(VIRTUAL_SERVICE.options, "VirtualService", VIRTUAL_SERVICE.api_versions,
                               dict(definition=manifest))
    assert params["http"][0]["match"][0]["headers"] == {"x-user": {"exact": "a"}}


@pytest.mark.parametrize("manifest, path, message", [
    ("apiVersion: networking.istio.io/v2\nkind: Gateway\nmetadata: {name: a}", "definition.apiVersion",
     "must be one of networking.istio.io/v1, networking.istio.io/v1beta1, networking.istio.io/v1alpha3"),
    ("apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: a}", "definition.apiVersion",
     "got 'gateway.networking.k8s.io/v1'"),
    ("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: a}", "definition.kind",
     "must be Gateway, got 'VirtualService'"),
    ("apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {namespace: a}", "definition.metadata.name",
     "is required"),
    ("apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: a, finalizers: [x]}",
     "definition.metadata.finalizers", "unsupported"),
    ("apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: a}\nspce: {}", "definition.spce",
     "unknown field"),
    ("apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: a}\nspec:\n  servers:\n"
     "    - port: {number: 80, protcol: HTTP}", "definition.spec.servers[0].port.protcol", "unknown field"),
    ("apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: a}\nspec: {serversMode: merge}",
     "definition.spec.serversMode", "unknown field"),
    ("apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: a}\nspec: {servers: {port: 80}}",
     "definition.spec.servers", "must be a list, got dict"),
    ("apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: a}\nspec: [1]",
     "definition.spec", "must be a dict, got list"),
    ("a: 1\n---\nb: 2", "definition", "exactly one YAML document, found 2"),
    ("[1, 2]", "definition", "must be a dict or a YAML string of one manifest, got list"),
    ("a: [", "definition", "is not valid YAML"),
])
def test_a_bad_manifest_names_its_field(manifest: str, path: str, message: str) -> None:
    error = failure(dict(definition=manifest))
    assert error.path == path and message in error.message


@pytest.mark.parametrize("given, path, message", [
    (dict(servers=[]), "definition", "cannot be combined with the option servers; put it in definition.spec"),
    (dict(selector={}, servers=[]), "definition", "the options selector, servers; put them"),
    (dict(name="other"), "name", "'other' disagrees with definition.metadata.name 'shop'"),
    (dict(namespace="prod"), "namespace", "disagrees with definition.metadata.namespace 'istio-system'"),
    (dict(api_version="networking.istio.io/v1"), "api_version", "disagrees with definition.apiVersion"),
    (dict(labels={"a": "b"}), "labels", "cannot be given together with definition.metadata.labels"),
])
def test_options_the_manifest_also_sets_are_refused(given: dict, path: str, message: str) -> None:
    error = failure(dict(given, definition=GATEWAY_MANIFEST))
    assert error.path == path and message in error.message


def test_options_that_agree_or_are_the_modules_own_are_accepted() -> None:
    params = gateway_params(definition=GATEWAY_MANIFEST, name="shop", namespace="istio-system",
                            servers_mode="merge", purge_labels=True)
    assert params["servers_mode"] == "merge" and params["name"] == "shop"


def test_a_camel_case_spec_option_given_beside_the_definition_is_refused_by_its_spelling() -> None:
    error = failure(dict(definition=GATEWAY_MANIFEST.replace("kind: Gateway", "kind: VirtualService"),
                         exportTo=["."]), VIRTUAL_SERVICE)
    assert error.message.startswith("cannot be combined with the option exportTo")


@pytest.mark.parametrize("path, where", [
    ("servers[0].tls.httpsRedirect", "definition.spec.servers[0].tls.httpsRedirect"),
    ('labels["a"]', 'definition.metadata.labels["a"]'),
    ("name", "definition.metadata.name"),
    ("servers_mode", "servers_mode"),
])
def test_errors_of_a_definition_task_name_the_manifest_field(path: str, where: str) -> None:
    assert definition_path(GATEWAY.options, path) == where


def test_without_a_definition_params_and_paths_are_the_options() -> None:
    definition = DefinitionOption(GATEWAY.options, GATEWAY.kind, GATEWAY.api_versions, GATEWAY.option_path)
    params = {"name": "a", "definition": None}
    assert definition.prepare(params) is params
    assert definition.option_path("servers[0].tls.httpsRedirect") == "servers[0].tls.https_redirect"
    with pytest.raises(InvalidOption):
        definition.prepare(dict(definition=GATEWAY_MANIFEST, name="other"))
    assert definition.option_path("name") == "name"
    definition.prepare(dict(definition=GATEWAY_MANIFEST))
    assert definition.option_path("servers[0].tls.httpsRedirect") == "definition.spec.servers[0].tls.httpsRedirect"
