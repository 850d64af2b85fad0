"""kubesim.schema: pruning and validation of custom resources against the official Istio CRDs."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from kubesim.schema import NOT_CHECKED, apply_defaults, go_float, go_value, validate_and_prune

pytest_plugins = ["kubesim.pytest_plugin"]  # istio_crds_dir

REPO_ROOT = Path(__file__).resolve().parents[4]
SHARED_DIR = Path(os.environ.get("ISTIO_SHARED_DIR", REPO_ROOT.parent / "shared" / "istio"))
# Fields the corpus still carries that current Istio CRDs no longer declare: the real server prunes them too.
LEGACY_FIELDS = {"websocketUpgrade"}


def _require_shared(sub: str) -> Path:
    path = SHARED_DIR / sub
    if not path.is_dir():
        message = f"Istio test data not found at {path} (set ISTIO_SHARED_DIR)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def crd_schemas(istio_crds_dir: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """openAPIV3Schema per (apiVersion, kind) for every served version of the official Istio CRDs."""
    schemas = {}
    for path in sorted(istio_crds_dir.glob("*.yaml")):
        crd = yaml.safe_load(path.read_text())
        for version in crd["spec"]["versions"]:
            key = (f"{crd['spec']['group']}/{version['name']}", crd["spec"]["names"]["kind"])
            schemas[key] = version["schema"]["openAPIV3Schema"]
    return schemas


def _corpus_documents() -> list[Any]:
    corpus = SHARED_DIR / "corpus"
    if not corpus.is_dir():
        return [pytest.param(None, id="corpus-missing")]
    return [pytest.param(doc, id=f"{path.stem}:{doc['metadata']['name']}")
            for path in sorted(corpus.glob("*.yaml"))
            for doc in yaml.safe_load_all(path.read_text()) if doc]


def _without_legacy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_legacy(v) for k, v in value.items() if k not in LEGACY_FIELDS}
    if isinstance(value, list):
        return [_without_legacy(item) for item in value]
    return value


@pytest.mark.parametrize("document", _corpus_documents())
def test_every_corpus_document_is_valid_and_keeps_its_fields(document, crd_schemas):
    _require_shared("corpus")
    schema = crd_schemas[(document["apiVersion"], document["kind"])]
    original = copy.deepcopy(document)
    pruned, causes = validate_and_prune(document, schema)
    assert causes == []
    assert pruned == _without_legacy(original)
    assert document == original, "input must not be mutated"


@pytest.fixture
def gateway_schema(crd_schemas):
    return crd_schemas[("networking.istio.io/v1", "Gateway")]


@pytest.fixture
def virtual_service_schema(crd_schemas):
    return crd_schemas[("networking.istio.io/v1", "VirtualService")]


def _gateway(**server: Any) -> dict[str, Any]:
    body = {"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"], **server}
    return {"apiVersion": "networking.istio.io/v1", "kind": "Gateway",
            "metadata": {"name": "gw", "namespace": "default"},
            "spec": {"selector": {"istio": "ingressgateway"}, "servers": [body]}}


def test_missing_port_number_is_required(gateway_schema):
    causes = validate_and_prune(_gateway(port={"name": "http", "protocol": "HTTP"}), gateway_schema)[1]
    assert causes == [{"reason": "FieldValueRequired", "message": "Required value",
                       "field": "spec.servers[0].port.number"}]


def test_null_port_number_is_pruned_then_required(gateway_schema):
    causes = validate_and_prune(_gateway(port={"number": None, "name": "h", "protocol": "HTTP"}), gateway_schema)[1]
    assert [c["field"] for c in causes] == ["spec.servers[0].port.number"]


def test_wrong_type_reports_the_json_type_like_kube_openapi(gateway_schema):
    causes = validate_and_prune(_gateway(port={"number": "80", "name": "http", "protocol": "HTTP"}),
                                gateway_schema)[1]
    assert causes == [{
        "reason": "FieldValueTypeInvalid",
        "message": 'Invalid value: "string": spec.servers[0].port.number in body must be of type integer: "string"',
        "field": "spec.servers[0].port.number"}]


def test_integral_float_is_an_integer_but_a_fraction_is_not(gateway_schema):
    ok = validate_and_prune(_gateway(port={"number": 80.0, "name": "h", "protocol": "HTTP"}), gateway_schema)[1]
    bad = validate_and_prune(_gateway(port={"number": 80.5, "name": "h", "protocol": "HTTP"}), gateway_schema)[1]
    assert ok == []
    assert bad[0]["message"].endswith('must be of type integer: "number"')


def test_boolean_is_not_a_string(gateway_schema):
    causes = validate_and_prune(_gateway(hosts=[True]), gateway_schema)[1]
    assert causes[0]["field"] == "spec.servers[0].hosts[0]"
    assert causes[0]["message"].endswith('must be of type string: "boolean"')


def test_maximum_is_printed_as_an_integer_for_integer_values(gateway_schema):
    causes = validate_and_prune(_gateway(port={"number": 2**32, "name": "h", "protocol": "HTTP"}), gateway_schema)[1]
    assert causes == [{"reason": "FieldValueInvalid", "field": "spec.servers[0].port.number",
                       "message": "Invalid value: 4294967296: spec.servers[0].port.number in body should be "
                                  "less than or equal to 4294967295"}]


def test_enum_lists_supported_values(gateway_schema):
    causes = validate_and_prune(_gateway(tls={"mode": "STRICT"}), gateway_schema)[1]
    assert causes == [{"reason": "FieldValueNotSupported", "field": "spec.servers[0].tls.mode",
                       "message": 'Unsupported value: "STRICT": supported values: "PASSTHROUGH", "SIMPLE", '
                                  '"MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL"'}]


def test_too_many_items(gateway_schema):
    causes = validate_and_prune(_gateway(tls={"credentialNames": ["a", "b", "c"]}), gateway_schema)[1]
    assert causes == [{"reason": "FieldValueTooMany", "field": "spec.servers[0].tls.credentialNames",
                       "message": "Too many: 3: must have at most 2 items"}]


def test_too_few_items(gateway_schema):
    causes = validate_and_prune(_gateway(tls={"credentialNames": []}), gateway_schema)[1]
    assert causes == [{"reason": "FieldValueInvalid", "field": "spec.servers[0].tls.credentialNames",
                       "message": "Invalid value: 0: spec.servers[0].tls.credentialNames in body should have at "
                                  "least 1 items"}]


def test_every_failure_is_reported(gateway_schema):
    gateway = _gateway(port={"number": -1, "protocol": 7}, hosts="*")
    causes = validate_and_prune(gateway, gateway_schema)[1]
    assert sorted(c["field"] for c in causes) == ["spec.servers[0].hosts", "spec.servers[0].port.name",
                                                  "spec.servers[0].port.number", "spec.servers[0].port.protocol"]


def test_unknown_fields_are_pruned_not_refused(gateway_schema):
    gateway = _gateway(targetHost="x", port={"number": 80, "name": "h", "protocol": "HTTP", "bogus": {"a": 1}})
    gateway["spec"]["extra"] = ["z"]
    gateway["status"] = {"anything": {"goes": True}}
    pruned, causes = validate_and_prune(gateway, gateway_schema)
    assert causes == []
    assert pruned["spec"]["servers"][0] == {"port": {"number": 80, "name": "h", "protocol": "HTTP"}, "hosts": ["*"]}
    assert "extra" not in pruned["spec"]
    assert pruned["status"] == {"anything": {"goes": True}}, "status preserves unknown fields"
    assert pruned["metadata"] == gateway["metadata"]


def test_additional_properties_schema_checks_map_values(gateway_schema):
    gateway = _gateway()
    gateway["spec"]["selector"] = {"istio": 1}
    causes = validate_and_prune(gateway, gateway_schema)[1]
    assert causes[0]["field"] == "spec.selector.istio"


def _virtual_service(http: list[dict[str, Any]]) -> dict[str, Any]:
    return {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": {"name": "vs"},
            "spec": {"hosts": ["*"], "http": http}}


def test_one_of_with_two_alternatives_gives_one_cause(virtual_service_schema):
    service = _virtual_service([{"match": [{"uri": {"exact": "/a", "prefix": "/b"}}],
                                 "route": [{"destination": {"host": "a"}}]}])
    causes = validate_and_prune(service, virtual_service_schema)[1]
    assert causes == [{"reason": "FieldValueInvalid", "field": "",
                       "message": 'Invalid value: "": "spec.http[0].match[0].uri" must validate one and only one '
                                  'schema (oneOf). Found 2 valid alternatives'}]


def test_one_of_accepts_a_single_alternative_or_none(virtual_service_schema):
    for uri in ({"prefix": "/b"}, {}):
        service = _virtual_service([{"match": [{"uri": uri}], "route": [{"destination": {"host": "a"}}]}])
        assert validate_and_prune(service, virtual_service_schema)[1] == []


def test_int_or_string_accepts_both_and_refuses_others(gateway_schema):
    for value, expected in ((3, []), ("3", [])):
        gateway = _gateway()
        gateway["status"] = {"observedGeneration": value}
        assert validate_and_prune(gateway, gateway_schema)[1] == expected
    gateway = _gateway()
    gateway["status"] = {"observedGeneration": [1]}
    causes = validate_and_prune(gateway, gateway_schema)[1]
    assert [c["message"] for c in causes] == [
        'Invalid value: "": "status.observedGeneration" must validate at least one schema (anyOf)']


SYNTHETIC = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "required": ["name"],
            "minProperties": 1,
            "maxProperties": 4,
            "properties": {
                "name": {"type": "string", "minLength": 2, "maxLength": 5, "pattern": "^[a-z]+$"},
                "ratio": {"type": "number", "minimum": 0, "exclusiveMaximum": True, "maximum": 1.5},
                "count": {"type": "integer", "format": "int32", "default": 1},
                "opt": {"type": "string", "nullable": True},
                "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                "closed": {"type": "object"},
                "not7": {"type": "integer", "not": {"enum": [7]}},
                "both": {"type": "object", "x-kubernetes-preserve-unknown-fields": True, "allOf": [{"required": ["a"]}, {"required": ["b"]}]},
            },
        },
    },
}


def _synthetic(**spec: Any) -> list[dict[str, str]]:
    return validate_and_prune({"spec": {"name": "ab", **spec}}, SYNTHETIC)[1]


def test_string_length_and_pattern_messages():
    causes = validate_and_prune({"spec": {"name": "ABCDEF"}}, SYNTHETIC)[1]
    assert [c["message"] for c in causes] == [
        "Too long: may not be longer than 5",
        "Invalid value: \"ABCDEF\": spec.name in body should match '^[a-z]+$'"]
    assert _synthetic(name="a")[0]["message"] == 'Invalid value: "a": spec.name in body should be at least 2 chars long'


def test_number_bounds_with_exclusive_maximum_print_go_floats():
    assert _synthetic(ratio=1.5)[0]["message"] == "Invalid value: 1.5: spec.ratio in body should be less than 1.5"
    assert _synthetic(ratio=-0.5)[0]["message"] == \
        "Invalid value: -0.5: spec.ratio in body should be greater than or equal to 0"


def test_int32_format_range():
    assert _synthetic(count=2**31)[0]["message"] == \
        "Invalid value: 2147483648: spec.count in Checked must be of type integer (int32)"


def test_property_counts():
    assert _synthetic(count=1, opt="x", ratio=0.5, not7=1)[0]["message"] == "Too many: 5: must have at most 4 items"
    assert validate_and_prune({"spec": {}}, SYNTHETIC)[1][-1]["field"] == "spec.name"


def test_nullable_and_preserved_and_closed_objects():
    pruned, causes = validate_and_prune({"spec": {"name": "ab", "opt": None, "free": {"x": {"y": 1}},
                                                  "closed": {"gone": 1}}}, SYNTHETIC)
    assert causes == []
    assert pruned["spec"] == {"name": "ab", "opt": None, "free": {"x": {"y": 1}}, "closed": {}}


def test_not_and_all_of():
    assert _synthetic(not7=7)[0]["message"] == 'Invalid value: "": "spec.not7" must not validate the schema (not)'
    assert _synthetic(both={"a": 1})[0]["message"] == \
        'Invalid value: "": "spec.both" must validate all the schemas (allOf)'
    assert _synthetic(both={"a": 1, "b": 2}) == []


def test_apply_defaults_fills_absent_fields_without_mutating():
    obj = {"spec": {"name": "ab"}}
    assert apply_defaults(obj, SYNTHETIC) == {"spec": {"name": "ab", "count": 1}}
    assert obj == {"spec": {"name": "ab"}}


def test_go_formatting_helpers():
    assert [go_float(v) for v in (1.0, 0.5, 1e6, 4294967295.0, 1e-5, 123456.0)] == \
        ["1", "0.5", "1e+06", "4.294967295e+09", "1e-05", "123456"]
    assert go_value({"b": 1, "a": "x"}) == 'map[string]interface {}{"a":"x", "b":1}'
    assert go_value(["a"]) == '[]string{"a"}'


def test_not_checked_is_documented():
    assert any("x-kubernetes-list-type" in item for item in NOT_CHECKED)
