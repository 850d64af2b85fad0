# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Names, namespaces, labels and annotations the API server would refuse, through every module, state and role:
each case fails with a message naming the option, without a traceback, and the whole table sends zero requests.

Then the original exploits (issue 9): a name holding ``..``, ``/`` or ``#`` reached other objects through the URL.
"""

from __future__ import annotations

import pytest
from test_bad_input_matrix import module, role, run_matrix

HOSTILE_NAMES = {
    "dotdot": "..",
    "traversal": "../../../../../../api/v1/namespaces/other",
    "hash": "victim#x",
    "query": "victim?x=1",
    "encoded dots": "%2e%2e",
    "empty": "",
    "uppercase": "Proxy",
    "254 chars": "a" * 254,
}
HOSTILE_NAMESPACES = dict(HOSTILE_NAMES, **{"64 chars": "a" * 64, "dot": "a.b"})
del HOSTILE_NAMESPACES["254 chars"]
# Every module and state gets these; the options the exploits went through get all of the above.
FEW = ("traversal", "query", "empty")

SERVER = {"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}
GATEWAY = {"name": "gw", "namespace": "names", "selector": {"istio": "ingressgateway"}, "servers": [SERVER]}
ROUTE = [{"route": [{"destination": {"host": "proxy", "port": {"number": 80}}}]}]
VIRTUAL_SERVICE = {"name": "vs", "namespace": "names", "hosts": ["a.example.com"], "http": ROUTE}
SERVICE = {"name": "proxy", "namespace": "names", "type": "ClusterIP"}

# (module, base options, option holding a name, what the message calls it, which hostile values)
NAME_OPTIONS = [
    ("gateway", dict(GATEWAY, state="absent"), "name", "Gateway name", HOSTILE_NAMES),
    ("gateway", dict(GATEWAY, state="present"), "name", "Gateway name", FEW),
    ("virtual_service", dict(VIRTUAL_SERVICE, state="absent"), "name", "VirtualService name", HOSTILE_NAMES),
    ("virtual_service", dict(VIRTUAL_SERVICE, state="present"), "name", "VirtualService name", FEW),
    ("gateway_info", {"namespace": "names"}, "name", "Gateway name", HOSTILE_NAMES),
    ("gateway_info", {}, "name", "Gateway name", FEW),
    ("virtual_service_info", {"namespace": "names"}, "name", "VirtualService name", FEW),
    ("service_type", SERVICE, "name", "Service name", HOSTILE_NAMES),
    ("ingress_info", {"gateway_namespace": "names"}, "gateway_name", "Gateway name", HOSTILE_NAMES),
]
NAMESPACE_OPTIONS = [
    ("gateway", dict(GATEWAY, state="absent"), "namespace", HOSTILE_NAMESPACES),
    ("gateway", dict(GATEWAY, state="present"), "namespace", FEW),
    ("virtual_service", dict(VIRTUAL_SERVICE, state="absent"), "namespace", FEW),
    ("virtual_service", dict(VIRTUAL_SERVICE, state="present"), "namespace", FEW),
    ("gateway_info", {"name": "gw"}, "namespace", FEW),
    ("virtual_service_info", {}, "namespace", FEW),
    ("service_type", SERVICE, "namespace", HOSTILE_NAMESPACES),
    ("ingress_info", {"gateway_name": "gw"}, "gateway_namespace", FEW),
    ("ingress_info", {}, "service_namespace", FEW),
    ("route_check", {"url": "http://a.example.com/"}, "namespaces", FEW),
]


def _state(options: dict) -> str:
    return " %s" % options["state"] if "state" in options else ""


def _name_cases() -> list:
    cases = []
    for module_name, options, option, what, labels in NAME_OPTIONS:
        scope = "" if "namespace" in options or module_name != "gateway_info" else " all namespaces"
        for label in labels:
            value = HOSTILE_NAMES[label]
            case_id = "%s%s%s %s %s" % (module_name, _state(options), scope, option, label)
            cases.append((case_id, module(module_name, dict(options, **{option: value})),
                          '%s: "%s" is not a valid %s: ' % (option, value, what)))
    for module_name, options, option, labels in NAMESPACE_OPTIONS:
        for label in labels:
            value = HOSTILE_NAMESPACES[label]
            case_id = "%s%s %s %s" % (module_name, _state(options), option, label)
            if option == "namespaces":  # a list: the message names the element
                task, named = module(module_name, dict(options, namespaces=["default", value])), "namespaces[1]"
            else:
                task, named = module(module_name, dict(options, **{option: value})), option
            cases.append((case_id, task, '%s: "%s" is not a valid namespace name: ' % (named, value)))
    return cases


# (case id, labels or annotations, text of the message)
METADATA = [
    ("label null value", {"labels": {"app": None}}, 'labels: the value of label "app" must be a string, got null'),
    ("label dict value", {"labels": {"a": {"b": 1}}}, 'labels: the value of label "a" must be a string, got a dict'),
    ("label list value", {"labels": {"a": ["b"]}}, 'labels: the value of label "a" must be a string, got a list'),
    ("label float value", {"labels": {"version": 1.10}}, 'labels: the value of label "version" must be a string, '
                                                         "got the number 1.1"),
    ("label 64-char value", {"labels": {"a": "v" * 64}}, 'labels["a"]: "%s" is not a valid label value: must be no '
                                                         "more than 63 characters" % ("v" * 64)),
    ("label value with space", {"labels": {"a": "b c"}}, 'labels["a"]: "b c" is not a valid label value: a valid '
                                                         "label must be an empty string or consist of"),
    ("label key with space", {"labels": {"bad key": "x"}}, 'labels: "bad key" is not a valid label key: name part '
                                                           "must consist of"),
    ("label key two slashes", {"labels": {"a/b/c": "x"}}, 'labels: "a/b/c" is not a valid label key: a qualified name'),
    ("label key uppercase prefix", {"labels": {"Example.com/a": "x"}}, 'labels: "Example.com/a" is not a valid label '
                                                                       "key: prefix part a lowercase RFC 1123 subdomain"),
    ("label key empty", {"labels": {"": "x"}}, 'labels: "" is not a valid label key: name part must be non-empty'),
    ("annotation null value", {"annotations": {"note": None}}, 'annotations: the value of annotation "note" must be a '
                                                               "string, got null"),
    ("annotation dict value", {"annotations": {"note": {"a": 1}}}, 'annotations: the value of annotation "note" must '
                                                                   "be a string, got a dict"),
    ("annotation bad key", {"annotations": {"a b": "x"}}, 'annotations: "a b" is not a valid annotation key'),
    ("annotation empty prefix", {"annotations": {"/a": "x"}}, 'annotations: "/a" is not a valid annotation key: prefix '
                                                              "part must be non-empty"),
    ("annotations over 256 KiB", {"annotations": {"a": "x" * 200000, "b": "y" * 62200}},
     "annotations: Too long: must have at most 262144 bytes (keys and values together are 262202 bytes)"),
]


def _metadata_cases() -> list:
    """Every metadata case on a Gateway; a few on a VirtualService and with state absent."""
    cases = [("gateway present %s" % case_id, module("gateway", dict(GATEWAY, **metadata)), text)
             for case_id, metadata, text in METADATA]
    few = [case for case in METADATA if case[0] in ("label null value", "label dict value", "annotations over 256 KiB")]
    cases += [("virtual_service present %s" % case_id, module("virtual_service", dict(VIRTUAL_SERVICE, **metadata)), text)
              for case_id, metadata, text in few]
    cases += [("gateway absent %s" % case_id, module("gateway", dict(GATEWAY, state="absent", **metadata)), text)
              for case_id, metadata, text in few[:2]]
    return cases


SELECTOR_CASES = [
    ("ingress_info selector null value", module("ingress_info", {"selector": {"istio": None}}),
     'selector: the value of label "istio" must be a string, got null'),
    ("ingress_info selector bad key", module("ingress_info", {"selector": {"a b": "x"}}),
     'selector: "a b" is not a valid label key'),
    ("route_check gateway_selector dict value", module("route_check", {"url": "http://a.example.com/", "gateway_selector": {
        "istio": {"a": 1}}}), 'gateway_selector: the value of label "istio" must be a string, got a dict'),
]

ROLE_CASES = [
    ("ingress_gateway gateway name traversal", role("ingress_gateway", ingress_gateway_gateways=[
        dict(GATEWAY, name="ok"), dict(GATEWAY, name="../../api/v1/namespaces/other")], ingress_gateway_virtual_services=[]),
     'ingress_gateway_gateways: name "../../api/v1/namespaces/other" or namespace "names" is not valid'),
    ("ingress_gateway virtual service namespace hash", role("ingress_gateway", ingress_gateway_state="absent",
                                                            ingress_gateway_virtual_services=[dict(VIRTUAL_SERVICE, namespace="x#y")]),
     'ingress_gateway_virtual_services: name "vs" or namespace "x#y" is not valid'),
    ("ingress_gateway gateway name uppercase", role("ingress_gateway", ingress_gateway_gateways=[
        dict(GATEWAY, name="Gw")], ingress_gateway_virtual_services=[]),
     'ingress_gateway_gateways: name "Gw" or namespace "names" is not valid'),
    ("ingress_gateway http_route name uppercase", role("ingress_gateway", ingress_gateway_gateway_api="kubernetes",
                                                        ingress_gateway_http_routes=[{"name": "Bad_Route"}]),
     'ingress_gateway_http_routes: name "Bad_Route" or namespace "default" is not valid'),
    ("service_type_switch service name traversal", role("service_type_switch", service_type_switch_services=[
        {"name": "../../api/v1/namespaces/other/services/lb", "namespace": "names"}]),
     'service_type_switch_services: name "../../api/v1/namespaces/other/services/lb" or namespace "names" is not valid'),
    ("service_type_switch forced service namespace empty", role("service_type_switch", service_type_switch_services=[
        {"name": "proxy", "namespace": "", "force": True}]),
     'service_type_switch_services: name "proxy" or namespace "" is not valid'),
    ("service_type_switch service name digit first", role("service_type_switch", service_type_switch_services=[
        {"name": "1proxy", "namespace": "names"}], service_type_switch_type="LoadBalancer"),
     'service_type_switch_services: name "1proxy" or namespace "names" is not valid'),
    ("istio_install namespace traversal", role("istio_install", istio_install_namespace="../kube-system"),
     'istio_install: release "istio-base" or namespace "../kube-system" is not valid'),
    ("istio_install absent gateway namespace uppercase", role("istio_install", istio_install_state="absent",
                                                              istio_install_gateway_namespace="Ingress"),
     'istio_install: release "istio-ingressgateway" or namespace "Ingress" is not valid'),
    ("istio_install gateway release 54 chars", role("istio_install", istio_install_gateway_release_name="g" * 54),
     'istio_install: release "%s" or namespace "istio-system" is not valid' % ("g" * 54)),
]

CASES = _name_cases() + _metadata_cases() + SELECTOR_CASES + ROLE_CASES


@pytest.fixture(scope="module")
def outcomes(cluster, tmp_path_factory) -> dict:
    """Each case's failed result by case id; the whole table sends no API request."""
    return run_matrix(cluster, tmp_path_factory.mktemp("bad-input-names"), CASES)


def test_table_covers_every_module_and_role():
    assert len(CASES) >= 100
    assert len({case[0] for case in CASES}) == len(CASES)
    covered = {next(iter(task)) if "vars" not in task else task["ansible.builtin.include_role"]["name"]
               for _, task, _ in CASES}
    assert covered == {"meshsmith.istio.%s" % name for name in (
        "gateway", "virtual_service", "gateway_info", "virtual_service_info", "service_type", "ingress_info",
        "route_check", "ingress_gateway", "service_type_switch", "istio_install")}


@pytest.mark.parametrize("case_id, text", [(case[0], case[2]) for case in CASES], ids=[case[0] for case in CASES])
def test_bad_name_or_metadata_fails_naming_the_option(outcomes: dict, case_id: str, text: str):
    outcome = outcomes[case_id]
    assert outcome["failed"] is True, outcome
    results = [outcome] + outcome.get("results", [])  # a role's check loops over its items
    message = " ".join(result.get("msg", "") for result in results)
    assert text in message, message
    assert not any("module_stderr" in result or "Traceback" in result.get("exception", "") for result in results), outcome
    assert outcome.get("changed") is not True


# --- the original exploits ---------------------------------------------------------------------------------------

IGNORE = {"ignore_errors": True}


def test_a_gateway_name_cannot_delete_another_namespace(cluster, run_playbook):
    cluster.ensure_namespace("other")
    run = run_playbook([dict(IGNORE, name="delete through the name", **module("gateway", {
        "name": "../../../../../../api/v1/namespaces/other", "namespace": "x", "state": "absent"}))])
    task = run.task("delete through the name")
    assert task.status == "failed"
    assert task.result["msg"].startswith('name: "../../../../../../api/v1/namespaces/other" is not a valid Gateway name')
    cluster.expect_requests(task, [])
    assert cluster.get("/api/v1/namespaces/other") is not None


def test_a_fragment_in_the_name_cannot_delete_its_prefix(cluster, run_playbook):
    cluster.ensure_namespace("names-exploit")
    created = run_playbook([dict(name="victim", **module("gateway", dict(GATEWAY, name="victim", namespace="names-exploit")))])
    created.task("victim").expect(True, "created")
    run = run_playbook([dict(IGNORE, name="delete victim#x", **module("gateway", {
        "name": "victim#x", "namespace": "names-exploit", "state": "absent"}))])
    task = run.task("delete victim#x")
    assert task.status == "failed" and "is not a valid Gateway name" in task.result["msg"]
    cluster.expect_requests(task, [])
    assert cluster.get("/apis/networking.istio.io/v1/namespaces/names-exploit/gateways/victim") is not None


def test_info_and_service_type_cannot_reach_a_secret_or_another_service(cluster, run_playbook):
    cluster.ensure_namespace("other")
    cluster.api("POST", "/api/v1/namespaces/other/secrets", {
        "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "token"}, "stringData": {"password": "hunter2"}})
    cluster.api("POST", "/api/v1/namespaces/other/services", {
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "lb"},
        "spec": {"type": "LoadBalancer", "ports": [{"port": 80}], "selector": {"app": "lb"}}})
    run = run_playbook([
        dict(IGNORE, name="read a Secret", **module("gateway_info", {
            "name": "../../../../api/v1/namespaces/other/secrets/token", "namespace": "x"})),
        dict(IGNORE, name="switch another namespace's Service", **module("service_type", {
            "name": "../../other/services/lb", "namespace": "x", "type": "ClusterIP"})),
    ])
    secret_read, switched = run.task("read a Secret"), run.task("switch another namespace's Service")
    for task in (secret_read, switched):
        assert task.status == "failed" and " is not a valid " in task.result["msg"]
        cluster.expect_requests(task, [])
    assert "resources" not in secret_read.result and "hunter2" not in run.stdout
    assert cluster.get("/api/v1/namespaces/other/services/lb")["spec"]["type"] == "LoadBalancer"
