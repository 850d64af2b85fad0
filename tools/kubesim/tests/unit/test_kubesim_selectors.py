"""kubesim.selectors: label and field selector parsing and matching."""

from __future__ import annotations

import pytest

from kubesim.selectors import (
    SelectorError,
    label_selector_from_spec,
    parse_field_selector,
    parse_label_selector,
    selectable_fields,
    supported_fields,
)

LABELS = {"app": "proxy", "tier": "web", "version": "3"}


@pytest.mark.parametrize("selector, matches", [
    ("", True),
    ("app=proxy", True),
    ("app==proxy", True),
    ("app!=proxy", False),
    ("app!=other", True),
    ("missing!=x", True),
    ("app in (proxy, other)", True),
    ("app in (other)", False),
    ("app notin (other,more)", True),
    ("missing notin (x)", True),
    ("app", True),
    ("!app", False),
    ("!missing", True),
    ("app=proxy,tier=web", True),
    ("app=proxy, tier=db", False),
    ("  app = proxy ,tier in (web)  ", True),
    ("version>2", True),
    ("version<3", False),
    ("app>1", False),
    ("missing=", False),
    ("app=", False),
    ("in=x", False),
    ("example.com/role", False),
])
def test_label_selector_matching(selector, matches):
    assert parse_label_selector(selector).matches(LABELS) is matches


def test_empty_values_in_a_set_match_an_empty_label():
    assert parse_label_selector("a in (,x)").matches({"a": ""})
    assert not parse_label_selector("a in (x)").matches({"a": ""})


@pytest.mark.parametrize("selector, message", [
    ("app=proxy tier=web", "found 'tier', expected: ',' or 'end of string'"),
    ("app=proxy,", "found '', expected: identifier after ','"),
    (",app", "found ',', expected: !, identifier, or 'end of string'"),
    ("app in proxy", "unable to parse requirement: found 'proxy' expected: '('"),
    ("app in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'"),
    ("app in (a", "unable to parse requirement: found '', expected: ',' or ')'"),
    ("app in (a,=)", "unable to parse requirement: found '=', expected: ',', or identifier"),
    ("version gt 2", "unable to parse requirement: found 'gt', expected: in, notin, =, ==, !=, gt, lt"),
    ("app in ()", "unable to parse requirement: values: Invalid value: []string{}: for 'in', 'notin' operators, "
                  "values set can't be empty"),
    ("app ~ x", "unable to parse requirement: found '~', expected: in, notin, =, ==, !=, gt, lt"),
    ("a b=c", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"),
    ("!app=x", "unable to parse requirement: found '=', expected: ',' or 'end of string'"),
    ("bad key=x", "unable to parse requirement: found 'key', expected: in, notin, =, ==, !=, gt, lt"),
    ("-bad=x", 'unable to parse requirement: <nil>: Invalid value: "-bad": name part must consist of alphanumeric '
               "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  "
               "or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"),
    ("Bad_Prefix/x=y", 'unable to parse requirement: <nil>: Invalid value: "Bad_Prefix/x": prefix part a lowercase '
                       "RFC 1123 subdomain"),
    ("app=-x", 'unable to parse requirement: values[0]: Invalid value: "-x": a valid label must be an empty string '
               "or consist of alphanumeric characters"),
    ("version>a", "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the "
                  "value must be an integer"),
    ("a=" + "x" * 64, f'unable to parse requirement: values[0]: Invalid value: "{"x" * 64}": must be no more than '
                      "63 characters"),
])
def test_label_selector_errors_use_the_server_wording(selector, message):
    with pytest.raises(SelectorError) as raised:
        parse_label_selector(selector)
    assert str(raised.value).startswith(message)


def test_selector_from_a_label_selector_object():
    selector = label_selector_from_spec({"matchLabels": {"app": "proxy"},
                                         "matchExpressions": [{"key": "tier", "operator": "In", "values": ["web"]},
                                                              {"key": "gone", "operator": "DoesNotExist"}]})
    assert selector.matches(LABELS)
    assert not selector.matches({"app": "proxy"})
    assert label_selector_from_spec(None).matches({})
    with pytest.raises(SelectorError, match='"Near" is not a valid label selector operator'):
        label_selector_from_spec({"matchExpressions": [{"key": "a", "operator": "Near"}]})


SERVICE = {"kind": "Service", "metadata": {"name": "proxy", "namespace": "default"},
           "spec": {"type": "LoadBalancer", "clusterIP": "10.96.0.2"}}


@pytest.mark.parametrize("selector, matches", [
    ("", True),
    ("metadata.name=proxy", True),
    ("metadata.name==proxy,metadata.namespace=default", True),
    ("metadata.name!=proxy", False),
    ("spec.type=ClusterIP", False),
    ("spec.type!=ClusterIP", True),
    ("metadata.namespace=", False),
])
def test_field_selector_matching(selector, matches):
    fields = selectable_fields(SERVICE)
    assert parse_field_selector(selector, supported_fields("Service")).matches(fields) is matches


def test_field_selector_values_may_escape_separators():
    selector = parse_field_selector(r"metadata.name=a\,b\=c")
    assert selector.matches({"metadata.name": "a,b=c"})


@pytest.mark.parametrize("selector, supported, message", [
    ("metadata.name", None, "invalid selector: 'metadata.name'; can't understand 'metadata.name'"),
    ("spec.type=ClusterIP", supported_fields("ConfigMap"), "field label not supported: spec.type"),
    (r"metadata.name=a\x", None, r"invalid field selector: invalid escape sequence: \x"),
])
def test_field_selector_errors(selector, supported, message):
    with pytest.raises(SelectorError) as raised:
        parse_field_selector(selector, supported)
    assert str(raised.value) == message


def test_selectable_fields_cover_object_meta_and_kind_fields():
    assert selectable_fields(SERVICE) == {"metadata.name": "proxy", "metadata.namespace": "default",
                                          "spec.clusterIP": "10.96.0.2", "spec.type": "LoadBalancer"}
    assert selectable_fields({"kind": "Gateway", "metadata": {"name": "gw"}}) == {"metadata.name": "gw",
                                                                                  "metadata.namespace": ""}
