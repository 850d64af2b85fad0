# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input across every module, the shared auth options and the roles' argument specs: each case fails
with a message naming the option, and the whole matrix sends zero API requests.

Complements test_bad_input.py (Istio validation rules of gateway and virtual_service): here wrong types,
unknown keys, missing or conflicting options, bad choices and broken connection settings. All cases run in
one ansible-playbook (each in a block whose rescue keeps the failure).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

SERVER = {"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}
GATEWAY = {"name": "gw", "namespace": "bad-input", "selector": {"istio": "ingressgateway"}, "servers": [SERVER]}
ROUTE = [{"route": [{"destination": {"host": "proxy", "port": {"number": 80}}}]}]
VIRTUAL_SERVICE = {"name": "vs", "namespace": "bad-input", "hosts": ["a.example.com"], "http": ROUTE}
SERVICE = {"name": "proxy", "namespace": "default", "type": "ClusterIP"}
ROUTE_CHECK = {"url": "http://a.example.com/"}
DESTINATION_RULE = {"name": "reviews", "namespace": "bad-input", "destination_host": "reviews"}
K8S_GATEWAY = {"name": "web", "namespace": "bad-input", "gateway_class_name": "istio",
               "listeners": [{"name": "http", "port": 80, "protocol": "HTTP"}]}
HTTP_ROUTE = {"name": "shop", "namespace": "bad-input", "parent_refs": [{"name": "web"}],
              "rules": [{"backend_refs": [{"name": "shop", "port": 8080}]}]}


def module(name: str, options: dict) -> dict:
    return {"meshsmith.istio.%s" % name: options}


def role(name: str, **variables) -> dict:
    return {"ansible.builtin.include_role": {"name": "meshsmith.istio.%s" % name}, "vars": variables}


def without(options: dict, key: str) -> dict:
    return {k: v for k, v in options.items() if k != key}


# (case id, task, text the failure must contain: the option's name)
CASES = [
    # service_type
    ("service_type no type", module("service_type", without(SERVICE, "type")), "type"),
    ("service_type no name", module("service_type", without(SERVICE, "name")), "name"),
    ("service_type type choice", module("service_type", dict(SERVICE, type="External")), "type"),
    ("service_type wait not bool", module("service_type", dict(SERVICE, wait="maybe")), "wait"),
    ("service_type wait_timeout not int", module("service_type", dict(SERVICE, wait_timeout="soon")), "wait_timeout"),
    ("service_type unknown option", module("service_type", dict(SERVICE, typ="ClusterIP")), "typ"),
    # gateway_info / virtual_service_info
    ("gateway_info label_selectors dict", module("gateway_info", {"label_selectors": {"app": "x"}}), "label_selectors"),
    ("gateway_info api_version choice", module("gateway_info", {"api_version": "networking.istio.io/v2"}), "api_version"),
    ("gateway_info unknown option", module("gateway_info", {"namspace": "default"}), "namspace"),
    ("virtual_service_info field_selectors dict", module("virtual_service_info", {"field_selectors": {"a": "b"}}),
     "field_selectors"),
    ("virtual_service_info api_version choice", module("virtual_service_info", {"api_version": "v1"}), "api_version"),
    ("virtual_service_info unknown option", module("virtual_service_info", {"names": ["vs"]}), "names"),
    # ingress_info
    ("ingress_info name and selector", module("ingress_info", {"gateway_name": "gw", "selector": {"istio": "x"}}),
     "gateway_name|selector"),
    ("ingress_info wait_timeout not int", module("ingress_info", {"wait_timeout": "long"}), "wait_timeout"),
    ("ingress_info selector list", module("ingress_info", {"selector": ["istio"]}), "selector"),
    ("ingress_info api_version choice", module("ingress_info", {"api_version": "networking.istio.io"}), "api_version"),
    ("ingress_info k8s_gateway and gateway_name", module("ingress_info", {"k8s_gateway": "edge", "gateway_name": "gw"}),
     "gateway_name|selector|k8s_gateway"),
    ("ingress_info k8s_gateway invalid name", module("ingress_info", {"k8s_gateway": "Edge_1"}), "k8s_gateway"),
    # route_check
    ("route_check url and host", module("route_check", {"url": "http://a/", "request_host": "a"}), "url|request_host"),
    ("route_check scheme choice", module("route_check", dict(ROUTE_CHECK, scheme="ftp")), "scheme"),
    ("route_check fail_on choice", module("route_check", dict(ROUTE_CHECK, fail_on="sometimes")), "fail_on"),
    ("route_check port not int", module("route_check", {"request_host": "a.example.com", "port": "eighty"}), "port"),
    ("route_check port out of range", module("route_check", {"request_host": "a.example.com", "port": 70000}), "port: "),
    ("route_check path relative", module("route_check", {"request_host": "a.example.com", "path": "api"}), "path: "),
    ("route_check url not a url", module("route_check", {"url": "a.example.com/api"}), "url: "),
    ("route_check empty gateway_selector", module("route_check", dict(ROUTE_CHECK, gateway_selector={})),
     "gateway_selector: "),
    ("route_check headers list", module("route_check", dict(ROUTE_CHECK, headers=["x-a: 1"])), "headers"),
    # gateway_api_convert
    ("gateway_api_convert definitions number", module("gateway_api_convert", {"definitions": 3}), "definitions: "),
    ("gateway_api_convert names dict", module("gateway_api_convert", {"names": {"a": 1}}), "names"),
    ("gateway_api_convert api_version choice", module("gateway_api_convert", {"api_version": "v1"}), "api_version"),
    # destination_rule / destination_rule_info
    ("destination_rule api_version choice", module("destination_rule", dict(DESTINATION_RULE, api_version="v1")),
     "api_version"),
    ("destination_rule bad max_connections", module("destination_rule", dict(
        DESTINATION_RULE, traffic_policy={"connection_pool": {"tcp": {"max_connections": -1}}})),
     "traffic_policy.connection_pool.tcp.max_connections: "),
    ("destination_rule host is the API server", module("destination_rule", dict(without(DESTINATION_RULE, "destination_host"),
                                                                                 host="reviews")), "destination_host"),
    ("destination_rule_info api_version choice", module("destination_rule_info", {"api_version": "v1"}), "api_version"),
    # k8s_gateway / http_route / their _info modules
    ("k8s_gateway api_version choice", module("k8s_gateway", dict(K8S_GATEWAY, api_version="gateway.networking.k8s.io/v1beta1")),
     "api_version"),
    ("k8s_gateway listener port not int", module("k8s_gateway", dict(
        K8S_GATEWAY, listeners=[{"name": "http", "port": "eighty", "protocol": "HTTP"}])), "port"),
    ("k8s_gateway duplicate listener names", module("k8s_gateway", dict(K8S_GATEWAY, listeners=[
        {"name": "http", "port": 80, "protocol": "HTTP"}, {"name": "http", "port": 8080, "protocol": "HTTP"}])),
     "listeners: Listener name 'http' is given more than once"),
    ("k8s_gateway tls on HTTP", module("k8s_gateway", dict(K8S_GATEWAY, listeners=[
        {"name": "http", "port": 80, "protocol": "HTTP", "tls": {"certificate_refs": [{"name": "cert"}]}}])),
     "listeners[0].tls: "),
    ("k8s_gateway_info api_version choice", module("k8s_gateway_info", {"api_version": "v1"}), "api_version"),
    ("http_route filter type choice", module("http_route", dict(HTTP_ROUTE, rules=[{"filters": [{"type": "Rewrite"}]}])),
     "type"),
    ("http_route relative path", module("http_route", dict(HTTP_ROUTE, rules=[
        {"matches": [{"path": {"value": "shop"}}], "backend_refs": [{"name": "shop", "port": 8080}]}])),
     "rules[0].matches[0].path.value: "),
    ("http_route weight out of range", module("http_route", dict(HTTP_ROUTE, rules=[
        {"backend_refs": [{"name": "shop", "port": 8080, "weight": -1}]}])), "rules[0].backend_refs[0].weight: "),
    ("http_route definition unknown field", module("http_route", {"definition": {
        "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": {"name": "shop"},
        "spec": {"rules": [{"backendRef": []}]}}}), "definition.spec.rules[0].backendRef"),
    ("http_route_info unknown option", module("http_route_info", {"names": ["shop"]}), "names"),
    # apply
    ("apply concurrency out of range", module("apply", {"definition": [], "concurrency": 0}), "concurrency: "),
    ("apply prune without apply_set", module("apply", {"definition": [], "prune": True}), "apply_set"),
    ("apply bad apply_set", module("apply", {"definition": [], "apply_set": "not a label"}), "apply_set: "),
    # the auth options every module shares
    ("auth request_timeout not a number", module("gateway", dict(GATEWAY, request_timeout="fast")), "request_timeout"),
    ("auth retries not int", module("virtual_service", dict(VIRTUAL_SERVICE, retries="many")), "retries"),
    ("auth validate_certs not bool", module("service_type", dict(SERVICE, validate_certs="perhaps")), "validate_certs"),
    ("auth impersonate_groups dict", module("gateway_info", {"impersonate_groups": {"a": "b"}}), "impersonate_groups"),
    ("auth kubeconfig missing", module("gateway", dict(GATEWAY, kubeconfig="/nonexistent/kubeconfig")),
     "kubeconfig file "),
    ("auth context unknown", module("ingress_info", {"context": "no-such-context"}), "context 'no-such-context' not found"),
    # gateway / virtual_service common options
    ("gateway state choice", module("gateway", dict(GATEWAY, state="gone")), "state"),
    ("gateway labels list", module("gateway", dict(GATEWAY, labels=["team=web"])), "labels"),
    ("gateway purge_labels not bool", module("gateway", dict(GATEWAY, purge_labels="sometimes")), "purge_labels"),
    ("gateway no name", module("gateway", without(GATEWAY, "name")), "name"),
    ("gateway servers dict", module("gateway", dict(GATEWAY, servers=SERVER)), "servers"),
    ("gateway server without port", module("gateway", dict(GATEWAY, servers=[{"hosts": ["*"]}])), "port"),
    ("gateway servers a string", module("gateway", dict(GATEWAY, servers="port 80")), "option 'servers'"),
    ("gateway server port a string", module("gateway", dict(GATEWAY, servers=[dict(SERVER, port="80")])),
     "argument 'port' is of type"),
    ("virtual_service hosts dict", module("virtual_service", dict(VIRTUAL_SERVICE, hosts={"a": 1})), "hosts"),
    ("virtual_service port number text", module("virtual_service", dict(VIRTUAL_SERVICE, http=[
        {"route": [{"destination": {"host": "proxy", "port": {"number": "http"}}}]}])), "number"),
    ("virtual_service annotations list", module("virtual_service", dict(VIRTUAL_SERVICE, annotations=["a"])),
     "annotations"),
    ("virtual_service unknown option", module("virtual_service", dict(VIRTUAL_SERVICE, gateway="gw")), "gateway"),
    ("virtual_service api_version choice", module("virtual_service", dict(VIRTUAL_SERVICE, api_version="v1")),
     "api_version"),
    # role argument specs
    ("ingress_gateway state choice", role("ingress_gateway", ingress_gateway_state="gone"), "ingress_gateway_state"),
    ("ingress_gateway gateway without name", role("ingress_gateway", ingress_gateway_gateways=[{"namespace": "x"}]),
     "name"),
    ("ingress_gateway virtual_services dict", role("ingress_gateway", ingress_gateway_virtual_services={"name": "vs"}),
     "ingress_gateway_virtual_services"),
    ("ingress_gateway unknown item key", role("ingress_gateway", ingress_gateway_virtual_services=[
        {"name": "vs", "hostz": ["a"]}]), "hostz"),
    ("service_type_switch type choice", role("service_type_switch", service_type_switch_type="External"),
     "service_type_switch_type"),
    ("service_type_switch item type choice", role("service_type_switch", service_type_switch_services=[
        {"name": "proxy", "type": "Foo"}]), "type"),
    ("service_type_switch wait_timeout not int", role("service_type_switch", service_type_switch_wait_timeout="long"),
     "service_type_switch_wait_timeout"),
    ("istio_install state choice", role("istio_install", istio_install_state="maybe"), "istio_install_state"),
    ("istio_install values list", role("istio_install", istio_install_base_values=[1]), "istio_install_base_values"),
    ("istio_install wait not bool", role("istio_install", istio_install_istiod_wait="perhaps"), "istio_install_istiod_wait"),
    # sharedgw: the shared-Gateway and istio-base options
    ("gateway servers_mode choice", module("gateway", dict(GATEWAY, servers_mode="union")), "servers_mode"),
    ("gateway merge absent without hosts", module("gateway", dict(GATEWAY, servers_mode="merge", state="absent",
                                                                  servers=[{"port": {"number": 80, "name": "http"}}])),
     "servers[0].hosts"),
    ("gateway merge with purge_labels", module("gateway", dict(GATEWAY, servers_mode="merge", purge_labels=True)),
     "purge_labels: cannot be combined with servers_mode=merge"),
    ("gateway merge absent with purge_annotations", module("gateway", dict(
        GATEWAY, servers_mode="merge", state="absent", purge_annotations=True)),
     "purge_annotations: cannot be combined with servers_mode=merge"),
    ("ingress_gateway servers_mode choice", role("ingress_gateway", ingress_gateway_servers_mode="append"),
     "ingress_gateway_servers_mode"),
    ("istio_install base choice", role("istio_install", istio_install_base="force"), "istio_install_base"),
    # gwchain: the ingress_gateway role on the Gateway API
    ("ingress_gateway gateway_api choice", role("ingress_gateway", ingress_gateway_gateway_api="gateway-api"),
     "ingress_gateway_gateway_api"),
    ("ingress_gateway k8s_gateways dict", role("ingress_gateway", ingress_gateway_k8s_gateways={"name": "gw"}),
     "ingress_gateway_k8s_gateways"),
    ("ingress_gateway k8s_gateway without name", role("ingress_gateway", ingress_gateway_k8s_gateways=[
        {"namespace": "x"}]), "name"),
    ("ingress_gateway http_route unknown item key", role("ingress_gateway", ingress_gateway_http_routes=[
        {"name": "r", "backend_refs": []}]), "backend_refs"),
    ("ingress_gateway programmed_timeout not int", role("ingress_gateway", ingress_gateway_programmed_timeout="soon"),
     "ingress_gateway_programmed_timeout"),
    # listenermerge: the shared Gateway API Gateway
    ("k8s_gateway listeners_mode choice", module("k8s_gateway", dict(K8S_GATEWAY, listeners_mode="union")),
     "listeners_mode"),
    ("k8s_gateway merge absent without listeners", module("k8s_gateway", {
        "name": "web", "namespace": "bad-input", "listeners_mode": "merge", "state": "absent"}),
     "listeners: state=absent with listeners_mode=merge needs the listeners to remove"),
    ("k8s_gateway merge with purge_labels", module("k8s_gateway", dict(K8S_GATEWAY, listeners_mode="merge",
                                                                        purge_labels=True)),
     "purge_labels: cannot be combined with listeners_mode=merge"),
    ("ingress_gateway listeners_mode choice", role("ingress_gateway", ingress_gateway_listeners_mode="append"),
     "ingress_gateway_listeners_mode"),
]


def matrix_playbook(outcome_file: Path, cases: list) -> list:
    """Each case in a block whose rescue keeps the failed result; then all outcomes saved as JSON.

    The result is kept without ``invocation``: its option values (``inf``, ``nan``) would make ansible-core 2.16 keep
    the templated result as a string instead of a dict."""
    kept = "{{ ansible_failed_result | dict2items | rejectattr('key', 'eq', 'invocation') | items2dict }}"
    tasks = [{"name": case_id, "block": [dict(task, name=case_id)],
              "rescue": [{"name": "keep %s" % case_id, "ansible.builtin.set_fact": {"case_%d" % index: kept}}]}
             for index, (case_id, task, _text) in enumerate(cases)]
    outcomes = "{{ [%s] | to_json }}" % ", ".join("case_%d | default({'failed': false})" % index for index in range(len(cases)))
    tasks.append({"name": "save the outcomes", "ansible.builtin.copy": {"content": outcomes, "dest": str(outcome_file)}})
    return [{"hosts": "localhost", "connection": "local", "gather_facts": False, "tasks": tasks}]


def run_matrix(cluster, tmp: Path, cases: list) -> dict:
    """Run ``cases`` in one playbook: each case's failed result by case id; asserts that no API request was sent."""
    outcome_file, playbook = tmp / "outcomes.json", tmp / "matrix.yml"
    playbook.write_text(yaml.safe_dump(matrix_playbook(outcome_file, cases), sort_keys=False))
    if cluster.is_kubesim:
        cluster.kubesim.reset_requests()
    done = subprocess.run([str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,", "-e",
                           "ansible_python_interpreter=" + sys.executable, str(playbook)],
                          env=cluster.env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    if cluster.is_kubesim:
        assert cluster.kubesim.requests() == [], "bad input must be refused before any request"
    return dict(zip([case[0] for case in cases], json.loads(outcome_file.read_text())))


@pytest.fixture(scope="module")
def outcomes(cluster, tmp_path_factory) -> dict:
    """Each case's failed result by case id (see ``run_matrix``)."""
    return run_matrix(cluster, tmp_path_factory.mktemp("bad-input-matrix"), CASES)


def test_matrix_covers_every_module_and_role():
    assert len(CASES) >= 40
    names = {next(iter(task)) if "vars" not in task else task["ansible.builtin.include_role"]["name"] for _, task, _ in CASES}
    modules = {path.stem for path in (Path(__file__).resolve().parents[2] / "plugins" / "modules").glob("*.py")}
    roles = {path.name for path in (Path(__file__).resolve().parents[2] / "roles").iterdir() if path.is_dir()}
    assert names == {"meshsmith.istio.%s" % name for name in modules | roles}


@pytest.mark.parametrize("case_id, text", [(case[0], case[2]) for case in CASES], ids=[case[0] for case in CASES])
def test_bad_input_fails_naming_the_option(outcomes: dict, case_id: str, text: str):
    outcome = outcomes[case_id]
    assert outcome["failed"] is True, outcome
    message = outcome.get("msg", "") + " ".join(outcome.get("argument_errors") or [])
    assert text in message
    assert outcome.get("changed") is not True
