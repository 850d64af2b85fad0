# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Malformed connection options and kubeconfigs, through every module: each case fails with a message naming the
option or kubeconfig entry, no traceback, credentials (in URLs, in kubeconfig dictionaries) appear nowhere in the
result while the kubeconfig's names stay readable, and the whole
matrix sends zero API requests (runner shared with test_bad_input_matrix.py)."""

from __future__ import annotations

import base64
import json
import math

import pytest
from test_bad_input_matrix import GATEWAY, ROUTE_CHECK, SERVICE, VIRTUAL_SERVICE, module, run_matrix

INFO = {"namespace": "default"}
HOST = {"host": "https://127.0.0.1:6443", "api_key": "not-used"}
SECRET = "s3cr3t-in-url"
NOT_PEM = base64.b64encode(b"\x00\x01binary").decode()
BAD_PEM = base64.b64encode(b"-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n").decode()


def kubeconfig(cluster=None, user=None, context=None, **top) -> dict:
    """A one-context kubeconfig dictionary with the given fields replaced; its token must appear nowhere."""
    return dict({
        "current-context": "c",
        "clusters": [{"name": "c", "cluster": dict({"server": "https://127.0.0.1:6443"}, **(cluster or {}))}],
        "users": [{"name": "u", "user": dict({"token": SECRET}, **(user or {}))}],
        "contexts": [{"name": "c", "context": dict({"cluster": "c", "user": "u"}, **(context or {}))}],
    }, **top)


def info(**options) -> dict:
    return module("gateway_info", dict(INFO, **options))


def with_kubeconfig(config, name="virtual_service_info") -> dict:
    return module(name, dict(INFO, kubeconfig=config))


# (case id, task, text the message must contain: the option or kubeconfig entry)
CASES = [
    # request_timeout: a finite number of seconds above 0
    ("request_timeout 0", module("gateway", dict(GATEWAY, request_timeout=0)), "request_timeout must be a finite"),
    ("request_timeout -1", module("virtual_service", dict(VIRTUAL_SERVICE, request_timeout=-1)), "request_timeout"),
    ("request_timeout inf", module("service_type", dict(SERVICE, request_timeout=math.inf)), "request_timeout"),
    ("request_timeout -inf", info(request_timeout=-math.inf), "request_timeout"),
    ("request_timeout nan", module("ingress_info", {"request_timeout": math.nan}), "request_timeout"),
    ("request_timeout nan string", module("route_check", dict(ROUTE_CHECK, request_timeout="nan")), "request_timeout"),
    # kubeconfig dictionaries
    ("kubeconfig list", with_kubeconfig(["clusters"]), "kubeconfig must be a file path or a kubeconfig dictionary"),
    ("kubeconfig number", with_kubeconfig(3), "kubeconfig must be a file path or a kubeconfig dictionary, got int"),
    ("kubeconfig clusters mapping", with_kubeconfig(kubeconfig(clusters={"c": {}})), "kubeconfig: clusters must be a list"),
    ("kubeconfig users string", with_kubeconfig(kubeconfig(users="u")), "kubeconfig: users must be a list"),
    ("kubeconfig context entry no name", with_kubeconfig(kubeconfig(contexts=[{"context": {}}])),
     "kubeconfig: contexts[0] must be a mapping with a name"),
    ("kubeconfig cluster body string", with_kubeconfig(kubeconfig(clusters=[{"name": "c", "cluster": "x"}])),
     "clusters[0] (cluster 'c'): cluster must be a mapping"),
    ("kubeconfig no contexts", with_kubeconfig(kubeconfig(contexts=[])), "context 'c' not found in kubeconfig: it has no contexts"),
    ("kubeconfig no clusters", with_kubeconfig(kubeconfig(clusters=[])), "cluster 'c' not found in kubeconfig: it has no clusters"),
    ("kubeconfig no users", with_kubeconfig(kubeconfig(users=[])), "user 'u' not found in kubeconfig: it has no users"),
    ("kubeconfig no current-context", with_kubeconfig(kubeconfig(**{"current-context": None})),
     "kubeconfig has no current-context; set the context option"),
    ("kubeconfig current-context unknown", with_kubeconfig(kubeconfig(**{"current-context": "gone"})),
     "context 'gone' not found in kubeconfig"),
    ("kubeconfig context option unknown", module("gateway", dict(GATEWAY, kubeconfig=kubeconfig(), context="other")),
     "context 'other' not found in kubeconfig"),
    ("kubeconfig server missing", with_kubeconfig(kubeconfig(cluster={"server": None})), "cluster of context 'c' has no server"),
    ("kubeconfig server number", with_kubeconfig(kubeconfig(cluster={"server": 6443})), "server must be a string"),
    ("kubeconfig server not a URL", module("ingress_info", {"kubeconfig": kubeconfig(cluster={"server": "::::"})}),
     "kubeconfig cluster 'c' server: '::::' is not a valid URL"),
    ("kubeconfig insecure flag string", with_kubeconfig(kubeconfig(cluster={"insecure-skip-tls-verify": "yes"})),
     "insecure-skip-tls-verify must be true or false"),
    ("kubeconfig as-groups string", with_kubeconfig(kubeconfig(user={"as-groups": "admins"})), "as-groups must be a list"),
    ("kubeconfig exec string", with_kubeconfig(kubeconfig(user={"exec": "aws eks get-token"})), "exec must be a mapping"),
    ("kubeconfig exec without command", with_kubeconfig(kubeconfig(user={"exec": {"apiVersion": "v1"}})),
     "exec.command must be a string"),
    ("kubeconfig exec plugin fails", with_kubeconfig(kubeconfig(user={"token": None, "exec": {
        "apiVersion": "client.authentication.k8s.io/v1", "command": "/nonexistent/credential-plugin"}})),
     "kubeconfig user 'u': its exec plugin gave no credentials: "),
    ("kubeconfig CA data not base64", with_kubeconfig(kubeconfig(cluster={"certificate-authority-data": "***"})),
     "kubeconfig cluster 'c' certificate-authority-data is not valid base64"),
    ("kubeconfig CA data not PEM", with_kubeconfig(kubeconfig(cluster={"certificate-authority-data": NOT_PEM})),
     "kubeconfig cluster 'c' certificate-authority-data is not a base64-encoded PEM block"),
    ("kubeconfig CA data broken PEM", with_kubeconfig(kubeconfig(cluster={"certificate-authority-data": BAD_PEM}), "gateway_info"),
     "kubeconfig cluster 'c' certificate-authority-data: cannot load the CA certificate"),
    ("kubeconfig client cert data not base64", with_kubeconfig(kubeconfig(user={"client-certificate-data": "%"})),
     "kubeconfig user 'u' client-certificate-data is not valid base64"),
    ("kubeconfig client key data not PEM", with_kubeconfig(kubeconfig(user={"client-key-data": NOT_PEM})),
     "kubeconfig user 'u' client-key-data is not a base64-encoded PEM block"),
    ("kubeconfig file not a mapping", info(kubeconfig="{tmp}/list.yml"), "is not a mapping"),
    ("kubeconfig file broken YAML", info(kubeconfig="{tmp}/broken.yml"), "Cannot read kubeconfig"),
    ("kubeconfig file bad shape", info(kubeconfig="{tmp}/shape.yml"), "shape.yml: clusters must be a list"),
    # certificate and key files
    ("ca_cert missing", info(ca_cert="/nonexistent/ca.crt", **HOST), "ca_cert: cannot load the CA certificate"),
    ("ca_cert not PEM", info(ca_cert="{tmp}/list.yml", **HOST), "ca_cert: cannot load the CA certificate"),
    ("client_cert missing", module("service_type", dict(SERVICE, host=HOST["host"], client_cert="/nonexistent/c.crt",
                                                        client_key="/nonexistent/c.key")), "client_cert: cannot read"),
    ("client_cert not PEM", info(client_cert="{tmp}/list.yml", client_key="{tmp}/list.yml", host=HOST["host"]),
     "client_cert and client_key: not a PEM certificate"),
    # proxies
    ("proxy colons", info(proxy="::::", **HOST), "proxy: '::::' is not a valid URL"),
    ("proxy socks scheme", module("gateway", dict(GATEWAY, proxy="socks5://proxy:1080", **HOST)),
     "proxy: 'socks5://proxy:1080' is not a valid URL: the scheme must be http or https"),
    ("proxy port not a number", info(proxy="http://proxy:port", **HOST), "proxy: 'http://proxy:port' is not a valid URL"),
    ("proxy environment variable", dict(info(**HOST), environment={"K8S_AUTH_PROXY": "::::"}), "proxy: '::::'"),
    ("proxy credentials masked", info(proxy="http://me:%s@proxy:port" % SECRET, **HOST),
     "proxy: 'http://***@proxy:port' is not a valid URL"),
    # hosts
    ("host colons", info(host="::::", api_key="not-a-token"), "host: '::::' is not a valid URL"),
    ("host without scheme", module("virtual_service", dict(VIRTUAL_SERVICE, host="api.example:6443", api_key="not-a-token")),
     "host: 'api.example:6443' is not a valid URL: the scheme must be https or http"),
    ("host port out of range", info(host="https://127.0.0.1:99999", api_key="not-a-token"), "host: 'https://127.0.0.1:99999'"),
    ("host with query", info(host="https://127.0.0.1/?x=1", api_key="not-a-token"), "must not have a query or fragment"),
    ("host credentials masked", info(host="https://admin:%s@127.0.0.1:port" % SECRET, api_key="not-a-token"),
     "host: 'https://***@127.0.0.1:port' is not a valid URL"),
    ("host lone credential masked", module("gateway", dict(GATEWAY, host="https://%s@:6443" % SECRET, api_key="not-a-token")),
     "host: 'https://***@:6443' is not a valid URL: it needs a host name"),
]


@pytest.fixture(scope="module")
def outcomes(cluster, tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("bad-input-connection")
    (tmp / "list.yml").write_text("- not\n- a mapping\n")
    (tmp / "broken.yml").write_text("clusters: [unclosed\n")
    (tmp / "shape.yml").write_text("clusters: {c: {server: https://x}}\n")
    cases = [(case_id, json.loads(json.dumps(task).replace("{tmp}", str(tmp))), text) for case_id, task, text in CASES]
    return run_matrix(cluster, tmp, cases)


def test_connection_matrix_is_broad():
    assert len(CASES) >= 30


@pytest.mark.parametrize("case_id, text", [(case[0], case[2]) for case in CASES], ids=[case[0] for case in CASES])
def test_bad_connection_fails_naming_the_option(outcomes: dict, case_id: str, text: str):
    outcome = outcomes[case_id]
    assert outcome["failed"] is True, outcome
    assert "module_stderr" not in outcome and "MODULE FAILURE" not in outcome["msg"], outcome  # a crash
    assert text in outcome["msg"], outcome["msg"]
    assert outcome.get("changed") is not True
    assert SECRET not in json.dumps(outcome)
