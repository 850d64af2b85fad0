# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input to gateway and virtual_service fails with a message naming the option, before any request.

All cases run as tasks of one ansible-playbook run (``ignore_errors``); kubesim's request log of every task
must be empty.
"""

from __future__ import annotations

import copy

import pytest

HTTP_SERVER = {"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}
GATEWAY = {"name": "default-gateway", "namespace": "istio-system", "selector": {"istio": "ingressgateway"},
           "servers": [HTTP_SERVER]}
ROUTE = {"route": [{"destination": {"host": "proxy", "port": {"number": 80}}}]}
VIRTUAL_SERVICE = {"name": "proxy", "namespace": "default", "hosts": ["*"],
                   "gateways": ["istio-system/default-gateway"], "http": [ROUTE]}


def gateway(server: dict | None = None, *more_servers: dict, **top) -> dict:
    """The seed Gateway's options with the first server replaced and top-level options changed."""
    args = copy.deepcopy(GATEWAY)
    if server is not None:
        args["servers"] = [server, *more_servers]
    args.update(top)
    return args


def server(**changes) -> dict:
    return dict(copy.deepcopy(HTTP_SERVER), **changes)


def port(**changes) -> dict:
    return dict(HTTP_SERVER["port"], **changes)


def virtual_service(*http: dict, **top) -> dict:
    """The seed VirtualService's options with the HTTP routes replaced and top-level options changed."""
    args = copy.deepcopy(VIRTUAL_SERVICE)
    if http:
        args["http"] = list(http)
    args.update(top)
    return args


def destination(host: str = "proxy", **extra) -> dict:
    return dict({"destination": {"host": host}}, **extra)


# (case id, module, options, text the failure message must contain)
CASES = [
    ("gw name not a DNS label", "gateway", gateway(name="Default_Gateway"), "name: "),
    ("gw no servers", "gateway", gateway(servers=[]), "servers: "),
    ("gw unknown protocol", "gateway", gateway(server(port=port(protocol="HTTPX"))), "servers[0].port.protocol: "),
    ("gw port 0", "gateway", gateway(server(port=port(number=0))), "servers[0].port.number: "),
    ("gw port too high", "gateway", gateway(server(port=port(number=70000))), "servers[0].port.number: "),
    ("gw port not a number", "gateway", gateway(server(port=port(number="eighty"))),
     "found in 'servers -> port'"),  # "argument 'number' is of type str" (2.16: <class 'str'>)
    ("gw target port", "gateway", gateway(server(port=port(target_port=8080))), "servers[0].port.target_port: "),
    ("gw duplicate port names", "gateway", gateway(HTTP_SERVER, server(port=port(number=8080))),
     "servers[1].port.name: "),
    ("gw https without tls", "gateway", gateway(server(port=port(number=443, name="https", protocol="HTTPS"))),
     "servers[0].tls: "),
    ("gw simple tls without credential", "gateway",
     gateway(server(port=port(number=443, name="https", protocol="HTTPS"), tls={"mode": "SIMPLE"})),
     "servers[0].tls.server_certificate: "),
    ("gw partial wildcard host", "gateway", gateway(server(hosts=["foo*.example.com"])), "servers[0].hosts[0]: "),
    ("gw short host name", "gateway", gateway(server(hosts=["proxy"])), "servers[0].hosts[0]: "),
    ("gw no hosts", "gateway", gateway(server(hosts=[])), "servers[0].hosts: "),
    ("gw unknown server option", "gateway", gateway(server(prot="HTTP")), "module: servers.prot."),
    ("gw tls mode choice", "gateway",
     gateway(server(port=port(number=443, name="https", protocol="HTTPS"), tls={"mode": "simple"})),
     "value of mode must be one of"),
    ("gw bad api_version", "gateway", gateway(api_version="networking.istio.io/v2"),
     "value of api_version must be one of"),
    ("vs star host on mesh", "virtual_service", virtual_service(gateways=["mesh"]), "hosts[0]: "),
    ("vs star host, mesh implied", "virtual_service", virtual_service(gateways=[]), "hosts[0]: "),
    ("vs export_to star and more", "virtual_service", virtual_service(export_to=["*", "prod"]), "export_to: "),
    ("vs route and redirect", "virtual_service", virtual_service(dict(ROUTE, redirect={"uri": "/"})),
     "http[0].route: "),
    ("vs route does nothing", "virtual_service", virtual_service({"name": "empty"}), "http[0]: "),
    ("vs two string match kinds", "virtual_service",
     virtual_service(dict(ROUTE, match=[{"uri": {"exact": "/a", "prefix": "/"}}])), "http[0].match[0].uri: "),
    ("vs negative weight", "virtual_service",
     virtual_service({"route": [destination(weight=100), destination("b", weight=-5)]}), "http[0].route[1].weight: "),
    ("vs weights all zero", "virtual_service",
     virtual_service({"route": [destination(weight=0), destination("b", weight=0)]}), "http[0].route: "),
    ("vs destination without host", "virtual_service", virtual_service({"route": [{"destination": {}}]}),
     "missing required arguments: host found in http -> route -> destination"),
    ("vs timeout unparsable", "virtual_service", virtual_service(dict(ROUTE, timeout="10 seconds")),
     "http[0].timeout: "),
    ("vs per try timeout unparsable", "virtual_service",
     virtual_service(dict(ROUTE, retries={"attempts": 2, "per_try_timeout": "soon"})),
     "http[0].retries.per_try_timeout: "),
    ("vs gateway reference", "virtual_service", virtual_service(gateways=["istio-system/default/gw"]),
     "gateways[0]: "),
    ("vs direct response status", "virtual_service", virtual_service({"direct_response": {"status": 700}}),
     "http[0].direct_response.status: "),
    ("vs redirect code", "virtual_service", virtual_service({"redirect": {"uri": "/", "redirect_code": 200}}),
     "http[0].redirect.redirect_code: "),
    ("vs fault percentage", "virtual_service",
     virtual_service(dict(ROUTE, fault={"abort": {"http_status": 503, "percentage": {"value": 150}}})),
     "http[0].fault.abort.percentage.value: "),
    ("vs unknown route option", "virtual_service", virtual_service({"rout": ROUTE["route"]}), "module: http.rout."),
    ("vs name not a DNS subdomain", "virtual_service", virtual_service(name="Proxy_1"), "name: "),
    ("vs namespace not a DNS label", "virtual_service", virtual_service(namespace="Bad_NS"), "namespace: "),
    ("vs derive_port choice", "virtual_service", virtual_service({"redirect": {"derive_port": "SAME"}}),
     "value of derive_port must be one of"),
    ("vs tcp weights all zero", "virtual_service",
     virtual_service(tcp=[{"route": [destination(weight=0), destination("b", weight=0)]}]), "tcp[0].route: "),
    ("vs sni host outside hosts", "virtual_service",
     virtual_service(hosts=["api.example.com"], tls=[{"match": [{"sni_hosts": ["www.example.com"]}],
                                                      "route": [destination()]}]),
     "tls[0].match[0].sni_hosts[0]: "),
]


@pytest.fixture(scope="module")
def outcomes(run_playbook) -> dict:
    """Each case's task run, by case id (one playbook run for all of them)."""
    tasks = [{"name": case_id, "meshsmith.istio.%s" % module: options, "ignore_errors": True}
             for case_id, module, options, _text in CASES]
    run = run_playbook(tasks)
    assert run.rc == 0, run.stdout + run.stderr
    return {case_id: run.task(case_id) for case_id, *_rest in CASES}


def test_matrix_is_large_enough():
    assert len(CASES) >= 30
    assert {case[1] for case in CASES} == {"gateway", "virtual_service"}


@pytest.mark.parametrize("case_id, text", [(case[0], case[3]) for case in CASES], ids=[case[0] for case in CASES])
def test_bad_input_fails_naming_the_option_without_a_request(outcomes, cluster, case_id: str, text: str):
    outcome = outcomes[case_id]
    assert outcome.status == "failed"
    assert text in outcome.result["msg"]
    cluster.expect_requests(outcome, [])
