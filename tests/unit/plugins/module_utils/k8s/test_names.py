# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Kubernetes' naming and metadata rules (names.py) and the one path builder (Kind.path) that relies on them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ansible_collections.meshsmith.istio.plugins.module_utils.k8s import names
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import GATEWAY as GATEWAY_RESOURCE
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kinds import NAMESPACE, SERVICE, InvalidPath
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import (
    InvalidName,
    annotation_map,
    check_options,
    dns1035_label_errors,
    dns1123_label_errors,
    dns1123_subdomain_errors,
    each,
    label_value_errors,
    label_map,
    namespace_name,
    object_name,
    qualified_name_errors,
)

GATEWAY = GATEWAY_RESOURCE.at()

HOSTILE = ["..", "../../api/v1/namespaces/other", "a/b", "victim#x", "a?b", "%2e%2e", "", "Upper", "a_b", "-a", "a-",
           "a b", "a\n", "é"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_are_no_name_of_any_format(value):
    assert dns1123_label_errors(value)
    assert dns1123_subdomain_errors(value)
    assert dns1035_label_errors(value)


@pytest.mark.parametrize("value", ["a", "my-name", "123-abc", "a" * 63])
def test_dns1123_label_valid(value):
    assert dns1123_label_errors(value) == []


def test_dns1123_label_words_its_errors_as_apimachinery():
    assert dns1123_label_errors("a" * 64) == ["must be no more than 63 characters"]
    assert dns1123_label_errors("a.b") == [
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
        "end with an alphanumeric character (e.g. 'my-name' or '123-abc', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"]
    assert dns1123_label_errors("") == ["must be non-empty"]


def test_dns1123_subdomain():
    assert dns1123_subdomain_errors("example.com") == []
    assert dns1123_subdomain_errors(".".join(["a" * 63] * 4)[:253]) == []
    assert dns1123_subdomain_errors("a" * 254) == ["must be no more than 253 characters"]
    assert dns1123_subdomain_errors("a..b")[0].startswith("a lowercase RFC 1123 subdomain must consist of")


def test_dns1035_label_starts_with_a_letter():
    assert dns1035_label_errors("abc-123") == []
    assert dns1035_label_errors("123-abc")[0].startswith("a DNS-1035 label must consist of")
    assert dns1123_label_errors("123-abc") == []


@pytest.mark.parametrize("value", ["app", "MyName", "my.name", "123-abc", "a_b", "example.com/MyName",
                                   "app.kubernetes.io/part-of", "a" * 63, "%s/%s" % ("a" * 253, "b" * 63)])
def test_qualified_name_valid(value):
    assert qualified_name_errors(value) == []


@pytest.mark.parametrize("value, error", [
    ("", "name part must be non-empty"),
    ("/a", "prefix part must be non-empty"),
    ("a/", "name part must be non-empty"),
    ("a/b/c", "a qualified name must consist of"),
    ("Example.com/a", "prefix part a lowercase RFC 1123 subdomain must consist of"),
    ("a" * 64, "name part must be no more than 63 characters"),
    ("-a", "name part must consist of alphanumeric characters, '-', '_' or '.'"),
    ("a b", "name part must consist of"),
])
def test_qualified_name_invalid(value, error):
    assert any(found.startswith(error) for found in qualified_name_errors(value)), qualified_name_errors(value)


def test_label_value():
    assert label_value_errors("") == []
    assert label_value_errors("v1.2_3-rc") == []
    assert label_value_errors("a" * 64) == ["must be no more than 63 characters"]
    assert label_value_errors("a b")[0].startswith("a valid label must be an empty string or consist of")


def test_object_name_rule_names_the_option_and_the_kind():
    with pytest.raises(InvalidName) as caught:
        object_name("Gateway")("name", "../x")
    assert str(caught.value).startswith('name: "../x" is not a valid Gateway name: a lowercase RFC 1123 subdomain '
                                        "must consist of")
    assert caught.value.option == "name"
    assert object_name("Gateway")("name", "a.b") == "a.b"
    with pytest.raises(InvalidName, match='^name: "a.b" is not a valid Service name: a DNS-1035 label'):
        object_name("Service", "dns1035")("name", "a.b")


def test_namespace_rule_and_lists():
    assert namespace_name("namespace", "istio-system") == "istio-system"
    with pytest.raises(InvalidName, match='^namespace: "a.b" is not a valid namespace name: a lowercase RFC 1123 label'):
        namespace_name("namespace", "a.b")
    assert each(namespace_name)("namespaces", ["a", "b"]) == ["a", "b"]
    with pytest.raises(InvalidName, match=r'^namespaces\[1\]: "\.\." is not a valid namespace name'):
        each(namespace_name)("namespaces", ["a", ".."])


def test_labels_convert_integers_and_booleans_to_their_yaml_text():
    assert label_map("labels", {"version": 1, "canary": True, "off": False, "app": "web", "empty": ""}) == \
        {"version": "1", "canary": "true", "off": "false", "app": "web", "empty": ""}


@pytest.mark.parametrize("value, message", [
    ({"a": None}, 'labels: the value of label "a" must be a string, got null (write "" for an empty value)'),
    ({"a": {"b": 1}}, 'labels: the value of label "a" must be a string, got a dict'),
    ({"a": ["b"]}, 'labels: the value of label "a" must be a string, got a list'),
    ({"a": 1.10}, 'labels: the value of label "a" must be a string, got the number 1.1 (quote it'),
    ({"a": "x" * 64}, 'labels["a"]: "%s" is not a valid label value: must be no more than 63 characters' % ("x" * 64)),
    ({"a": "has space"}, 'labels["a"]: "has space" is not a valid label value: a valid label must be'),
    ({"bad key": "x"}, 'labels: "bad key" is not a valid label key: name part must consist of'),
    ({"Example.com/a": "x"}, 'labels: "Example.com/a" is not a valid label key: prefix part'),
    ({None: "x"}, "labels: a label key must be a string, got null"),
])
def test_labels_refused(value, message):
    with pytest.raises(InvalidName) as caught:
        label_map("labels", value)
    assert str(caught.value).startswith(message), str(caught.value)


def test_annotations():
    assert annotation_map("annotations", {"Example.COM/Note": "any text: {json} ok", "n": 2}) == \
        {"Example.COM/Note": "any text: {json} ok", "n": "2"}
    with pytest.raises(InvalidName, match='^annotations: the value of annotation "a" must be a string, got null'):
        annotation_map("annotations", {"a": None})
    with pytest.raises(InvalidName, match='^annotations: "a/b/c" is not a valid annotation key: a qualified name'):
        annotation_map("annotations", {"a/b/c": "x"})


def test_annotations_total_size_counts_keys_and_utf8_bytes():
    limit = 256 * 1024
    assert annotation_map("annotations", {"k": "v" * (limit - 1)})
    with pytest.raises(InvalidName, match=r"^annotations: Too long: must have at most 262144 bytes \(keys and values "
                                          r"together are 262145 bytes\)"):
        annotation_map("annotations", {"k": "v" * limit})
    with pytest.raises(InvalidName, match="together are 262145 bytes"):  # 262144 characters
        annotation_map("annotations", {"k": "v" * (limit - 2) + "é"})


def test_check_options_stores_values_as_sent_and_skips_unset_options():
    params = {"name": "gw", "namespace": None, "labels": {"v": 1}}
    check_options(params, {"name": object_name("Gateway"), "namespace": namespace_name, "labels": label_map})
    assert params == {"name": "gw", "namespace": None, "labels": {"v": "1"}}
    with pytest.raises(InvalidName, match="^namespace: "):
        check_options({"namespace": ""}, {"namespace": namespace_name})


# --- Kind.path: the one path builder refuses what is not a valid name ------------------------------------------


def test_kind_path_builds_paths_from_valid_segments():
    assert GATEWAY.path("istio-system", "a.b") == "/apis/networking.istio.io/v1/namespaces/istio-system/gateways/a.b"
    assert SERVICE.path(None) == "/api/v1/services"
    assert NAMESPACE.path(None, "other") == "/api/v1/namespaces/other"


@pytest.mark.parametrize("namespace, name, message", [
    ("x", "../../../../../../api/v1/namespaces/other", "No API path for '../../../../../../api/v1/namespaces/other': "
                                                       "not a valid Gateway name: a lowercase RFC 1123 subdomain"),
    ("x", "victim#x", "No API path for 'victim#x': not a valid Gateway name"),
    ("x", "", "No API path for '': not a valid Gateway name: must be non-empty"),
    ("..", "gw", "No API path for '..': not a valid namespace: a lowercase RFC 1123 label"),
    ("", None, "No API path for '': not a valid namespace: must be non-empty"),
    (None, "gw", "No API path for Gateway 'gw': a namespace is required"),
])
def test_kind_path_refuses_invalid_segments(namespace, name, message):
    with pytest.raises(InvalidPath) as caught:
        GATEWAY.path(namespace, name)
    assert str(caught.value) == message or str(caught.value).startswith(message)


def test_kind_path_uses_the_kinds_own_name_rule():
    assert SERVICE.name_rule("name", "proxy") == "proxy"
    with pytest.raises(InvalidName, match='^name: "1abc" is not a valid Service name: a DNS-1035 label'):
        SERVICE.name_rule("name", "1abc")
    with pytest.raises(InvalidPath, match="not a valid Service name: a DNS-1035 label"):
        SERVICE.path("default", "1abc")
    with pytest.raises(InvalidPath, match="not a valid Namespace name: a lowercase RFC 1123 label"):
        NAMESPACE.path(None, "a.b")


# --- the roles check names with the same formats before their first request -------------------------------------

ROLES = Path(__file__).resolve().parents[5] / "roles"


@pytest.mark.parametrize("role, variable", [("ingress_gateway", "ingress_gateway_name_formats"),
                                            ("service_type_switch", "service_type_switch_name_formats"),
                                            ("istio_install", "istio_install_name_formats")])
def test_role_name_formats_are_the_module_formats(role, variable):
    formats = yaml.safe_load((ROLES / role / "vars" / "main.yml").read_text())[variable]
    expected = {"dns1123_subdomain": names.DNS1123_SUBDOMAIN_FMT, "dns1123_label": names.DNS1123_LABEL_FMT,
                "dns1035_label": names.DNS1035_LABEL_FMT}
    assert formats and formats == {key: expected[key] for key in formats}
