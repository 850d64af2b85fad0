# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Managed-cloud kubeconfigs against kubesim: an exec credential plugin (a real script printing an
``ExecCredential``), an expired exec token renewed, an ``oidc`` auth-provider token sent, ``tls-server-name``
honoured, 401 messages that say whether credentials were sent, credentials in URLs kept out of the output."""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path

import pytest
import yaml

NAMESPACE = "credentials"
GATEWAY = {"name": "exec-gw", "namespace": NAMESPACE, "selector": {"istio": "ingressgateway"},
           "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["exec.example.com"]}]}
SECRET = "p4ss-in-the-url"
# An id-token shaped as the kubernetes client's oidc loader wants (JWT, exp in 2100); kubesim refuses it.
OIDC_ID_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqYW5lIiwiZXhwIjo0MTAyNDQ0ODAwfQ.c2lnbmF0dXJl"

PLUGIN = """#!{python}
# A credential plugin as EKS/GKE/AKS ship them: reads its arguments and environment, prints an ExecCredential.
import json, os, sys
from pathlib import Path
runs = Path(os.environ["PLUGIN_RUN_LOG"])
runs.write_text(runs.read_text() + "run\\n" if runs.exists() else "run\\n")
assert sys.argv[1:] == ["token", "--cluster", "kubesim"], sys.argv
assert json.loads(os.environ["KUBERNETES_EXEC_INFO"])["kind"] == "ExecCredential"
first = runs.read_text().count("run") == 1
status = {{"token": os.environ["FIRST_TOKEN"] if first else os.environ["PLUGIN_TOKEN"]}}
if first and os.environ.get("FIRST_EXPIRES"):
    status["expirationTimestamp"] = os.environ["FIRST_EXPIRES"]
print(json.dumps({{"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential", "status": status}}))
"""


@pytest.fixture(scope="module")
def kubesim_config(cluster) -> dict:
    if not cluster.is_kubesim:
        pytest.skip("kubesim only: credentials are built for kubesim's token and certificate")
    cluster.ensure_namespace(NAMESPACE)
    return yaml.safe_load(Path(cluster.kubesim.kubeconfig).read_text())


def write_kubeconfig(tmp: Path, base: dict, user: dict, **cluster_fields) -> str:
    """kubesim's kubeconfig with ``user`` as its user and ``cluster_fields`` added to its cluster."""
    config = json.loads(json.dumps(base))
    config["users"][0]["user"] = user
    config["clusters"][0]["cluster"].update(cluster_fields)
    path = tmp / "kubeconfig"
    path.write_text(yaml.safe_dump(config))
    return str(path)


def exec_user(tmp: Path, token: str, first_token: str = "", first_expires: str = "") -> dict:
    plugin = tmp / "kubesim-credential-plugin"
    plugin.write_text(PLUGIN.format(python=sys.executable))
    plugin.chmod(0o755)
    env = {"PLUGIN_TOKEN": token, "FIRST_TOKEN": first_token or token, "FIRST_EXPIRES": first_expires,
           "PLUGIN_RUN_LOG": str(tmp / "plugin-runs")}
    return {"exec": {"apiVersion": "client.authentication.k8s.io/v1", "command": str(plugin),
                     "args": ["token", "--cluster", "kubesim"], "interactiveMode": "Never",
                     "env": [{"name": name, "value": value} for name, value in env.items()]}}


def authorized(task) -> bool:
    """Every request of ``task`` carried a bearer token and none was refused with 401."""
    return bool(task.requests) and all(
        entry["headers"].get("Authorization") == "Bearer <redacted>" and entry["status"] != 401
        for entry in task.requests)


def test_exec_plugin_token_authenticates(kubesim_config, cluster, run_playbook, tmp_path):
    kubeconfig = write_kubeconfig(tmp_path, kubesim_config, exec_user(tmp_path, cluster.kubesim.token))
    run = run_playbook([
        {"name": "create", "meshsmith.istio.gateway": dict(GATEWAY, kubeconfig=kubeconfig)},
        {"name": "read", "meshsmith.istio.gateway_info": {"name": "exec-gw", "namespace": NAMESPACE,
                                                          "kubeconfig": kubeconfig}},
    ])
    run.task("create").expect(True, "created")
    assert [item["metadata"]["name"] for item in run.task("read").result["resources"]] == ["exec-gw"]
    assert authorized(run.task("create")) and authorized(run.task("read"))
    assert cluster.get("/apis/networking.istio.io/v1/namespaces/%s/gateways/exec-gw" % NAMESPACE) is not None


def test_expired_exec_token_is_renewed_before_the_request(kubesim_config, cluster, run_playbook, tmp_path):
    user = exec_user(tmp_path, cluster.kubesim.token, first_token="stale-token", first_expires="2000-01-01T00:00:00Z")
    run = run_playbook([{"name": "read", "meshsmith.istio.gateway_info": {
        "namespace": NAMESPACE, "kubeconfig": write_kubeconfig(tmp_path, kubesim_config, user)}}])
    assert run.task("read").status == "ok", run.task("read").result.get("msg")
    assert authorized(run.task("read"))
    assert (tmp_path / "plugin-runs").read_text().count("run") == 2, "run again once, as its token had expired"


@pytest.mark.parametrize("user, message", [
    ({"auth-provider": {"name": "oidc", "config": {"id-token": OIDC_ID_TOKEN, "idp-issuer-url": "https://issuer"}}},
     "401 Unauthorized: the API server rejected the credentials"),
    ({"username": "jane"}, "401 Unauthorized: no credentials were sent"),
], ids=["oidc token sent and refused", "nothing to send"])
def test_401_says_whether_credentials_were_sent(kubesim_config, run_playbook, tmp_path, user, message):
    run = run_playbook([{"name": "read", "meshsmith.istio.gateway_info": {
        "namespace": NAMESPACE, "kubeconfig": write_kubeconfig(tmp_path, kubesim_config, user)}}])
    task = run.task("read")
    assert task.status == "failed" and message in task.result["msg"], task.result
    sent = [entry["headers"].get("Authorization") for entry in task.requests]
    assert sent == (["Bearer <redacted>"] if "auth-provider" in user else [None])
    assert OIDC_ID_TOKEN not in run.stdout


def unnamed_address(url: str) -> str:
    """kubesim's URL with its host written ``127.1``: the same address, a name its certificate does not carry."""
    return url.replace("https://127.0.0.1:", "https://127.1:")


@pytest.mark.parametrize("tls_server_name, outcome", [
    (None, "certificate verify failed"),
    ("localhost", "ok"),
    ("kubernetes", "ok"),
    ("wrong.example", "tls-server-name 'wrong.example'"),
])
def test_tls_server_name_is_the_name_checked(kubesim_config, cluster, run_playbook, tmp_path, tls_server_name, outcome):
    fields = {"server": unnamed_address(cluster.kubesim.url)}
    if tls_server_name:
        fields["tls-server-name"] = tls_server_name
    kubeconfig = write_kubeconfig(tmp_path, kubesim_config, {"token": cluster.kubesim.token}, **fields)
    task = run_playbook([{"name": "read", "meshsmith.istio.gateway_info": {
        "namespace": NAMESPACE, "kubeconfig": kubeconfig, "retries": 0}}]).task("read")
    if outcome == "ok":
        assert task.status == "ok", task.result.get("msg")
        assert authorized(task)
    else:
        assert task.status == "failed" and task.requests == []
        assert task.result["msg"].startswith("Failed to list Gateway objects in namespace credentials: TLS handshake "
                                             "with the API server at https://127.1:")
        assert outcome in task.result["msg"]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_credentials_in_host_and_proxy_urls_stay_out_of_the_output(kubesim_config, cluster, run_playbook):
    auth = {"api_key": cluster.kubesim.token, "ca_cert": str(cluster.kubesim.ca_file), "namespace": NAMESPACE,
            "retries": 0}
    closed = "127.0.0.1:%d" % closed_port()
    run = run_playbook([
        {"name": "host with userinfo", "meshsmith.istio.gateway_info": dict(
            auth, host=cluster.kubesim.url.replace("https://", "https://admin:%s@" % SECRET))},
        {"name": "unreachable host with userinfo", "ignore_errors": True, "meshsmith.istio.gateway_info": dict(
            auth, host="https://admin:%s@%s" % (SECRET, closed))},
        {"name": "proxy with userinfo", "ignore_errors": True, "meshsmith.istio.gateway_info": dict(
            auth, host=cluster.kubesim.url, proxy="http://proxy-user:%s@%s" % (SECRET, closed))},
    ], extra_args=("-vvv",))
    assert run.task("host with userinfo").status == "ok", run.task("host with userinfo").result.get("msg")
    assert authorized(run.task("host with userinfo")), "the api_key wins over the URL's basic auth"
    unreachable = run.task("unreachable host with userinfo").result["msg"]
    assert unreachable.startswith("Failed to list Gateway objects in namespace credentials: Cannot connect to the "
                                  "API server at https://%s (1 attempt)" % closed)
    assert run.task("proxy with userinfo").result["msg"].startswith("Failed to list Gateway objects")
    assert SECRET not in json.dumps([task.result for task in run.tasks])
