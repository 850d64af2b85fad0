"""kubesim.cel without a server: property escaping, the URL library, rule trees and their evaluation."""

from __future__ import annotations

import pytest

from kubesim import cel


@pytest.mark.parametrize("name, escaped", [
    ("namespace", "__namespace__"), ("in", "__in__"), ("a-b", "a__dash__b"), ("a.b/c", "a__dot__b__slash__c"),
    ("x__y", "x__underscores__y"), ("port", "port"), ("x y", None), ("1abc", None),
])
def test_property_escaping(name, escaped):
    assert cel.escape_property(name) == escaped


def _check(rule: str, value, old=None, schema=None):
    node = cel.compile_schema({"type": "string", **(schema or {}), "x-kubernetes-validations": [
        {"rule": rule, "message": "no"}]})
    return cel.validate(node, value, old, "spec.x")


@pytest.mark.parametrize("rule, value, valid", [
    ("isURL(self)", "https://example.com/a", True),
    ("isURL(self)", "/only/a/path", True),
    ("isURL(self)", "example.com", False),
    ("isURL(self)", "", False),
    ("url(self).getScheme() == 'oci'", "oci://registry/image:1", True),
    ("self.substring(7, 8) == '/'", "unix:///run/sock", True),
    ("self.matches('^[a-z]+$')", "abc", True),
    ("self.matches('^[a-z]+$')", "aBc", False),
])
def test_kubernetes_library_functions(rule, value, valid):
    assert (_check(rule, value) == []) is valid


def test_evaluation_error_names_the_rule():
    assert _check("url(self).getScheme() == 'oci'", "not a url") == [{
        "reason": "FieldValueInvalid", "field": "spec.x",
        "message": 'Invalid value: "string": URL parse error during conversion from string: not a url evaluating '
                   "rule: no"}]


def test_transition_rules_need_an_old_value():
    assert _check("self == oldSelf", "b") == []
    assert _check("self == oldSelf", "b", old="a") == [
        {"reason": "FieldValueInvalid", "field": "spec.x", "message": 'Invalid value: "string": no'}]


def test_compile_errors_are_listed_and_reported():
    node = cel.compile_schema({"type": "object", "properties": {"a": {
        "type": "string", "x-kubernetes-validations": [{"rule": "self.("}]}}})
    assert [path for path, _error in cel.compile_errors(node)] == ["a"]
    [cause] = cel.validate(node, {"a": "x"})
    assert cause["field"] == "a" and cause["message"].startswith('Invalid value: "string": rule compile error: ')


def test_schemas_without_rules_have_no_tree():
    assert cel.compile_schema({"type": "object", "properties": {"a": {"type": "string"}}}) is None
