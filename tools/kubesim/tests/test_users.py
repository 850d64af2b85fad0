"""Extra bearer-token users with a small RBAC subset: 401 for unknown tokens, 403 with the real Status bodies."""

from __future__ import annotations

import subprocess
import sys
from typing import Iterator

import pytest
import yaml

from kubesim.testing import KubeSim
from kubesim_helpers import VENV_BIN, gateway, gateways_path

pytest_plugins = ["kubesim.pytest_plugin"]
MERGE = "application/merge-patch+json"
READER, EDITOR = "reader-token", "team-a-token"


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory, istio_crds_dir) -> Iterator[KubeSim]:
    with KubeSim(tmp_path_factory.mktemp("kubesim-users"), load=[istio_crds_dir],
                 extra_args=["--user", f"reader:{READER}:view", "--user", f"team:{EDITOR}:edit:team-a"]) as server:
        for name in ("team-a", "team-b"):
            server.api("POST", "/api/v1/namespaces", {"metadata": {"name": name}})
            server.api("POST", gateways_path(name), gateway("gw", name))
        yield server


def test_unknown_token_is_401(sim):
    status, body = sim.api("GET", "/api/v1/namespaces", token="nope")
    assert status == 401
    assert body == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                    "message": "Unauthorized", "reason": "Unauthorized", "code": 401}


def test_reader_reads_everywhere_and_writes_nowhere(sim):
    assert sim.api("GET", gateways_path("team-b", "gw"), token=READER)[0] == 200
    assert sim.api("GET", "/apis/networking.istio.io/v1/gateways", token=READER)[0] == 200
    assert sim.api("GET", "/apis/networking.istio.io/v1", token=READER)[0] == 200
    status, body = sim.api("PATCH", gateways_path("team-a", "gw"), {"metadata": {"labels": {"a": "b"}}}, MERGE,
                           token=READER)
    assert status == 403
    assert body == {
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "reason": "Forbidden", "code": 403,
        "message": 'gateways.networking.istio.io "gw" is forbidden: User "reader" cannot patch resource "gateways" '
                   'in API group "networking.istio.io" in the namespace "team-a"',
        "details": {"name": "gw", "group": "networking.istio.io", "kind": "gateways"}}
    status, body = sim.api("POST", "/api/v1/namespaces/default/services",
                           {"metadata": {"name": "x"}, "spec": {"ports": [{"port": 80}]}}, token=READER)
    assert (status, body["message"]) == (403, 'services is forbidden: User "reader" cannot create resource '
                                               '"services" in API group "" in the namespace "default"')
    status, body = sim.api("DELETE", "/api/v1/namespaces/team-a", token=READER)
    assert (status, body["message"]) == (403, 'namespaces "team-a" is forbidden: User "reader" cannot delete '
                                               'resource "namespaces" in API group "" in the namespace "team-a"')
    assert sim.api("GET", "/_kubesim/requests", token=READER)[0] == 403


def test_namespaced_editor(sim):
    status, _ = sim.api("PATCH", gateways_path("team-a", "gw"), {"metadata": {"labels": {"a": "b"}}}, MERGE,
                        token=EDITOR)
    assert status == 200
    assert sim.api("GET", "/api/v1/namespaces/team-a", token=EDITOR)[0] == 200
    status, body = sim.api("GET", gateways_path("team-b", "gw"), token=EDITOR)
    assert (status, body["message"]) == (403, 'gateways.networking.istio.io "gw" is forbidden: User "team" cannot '
                                               'get resource "gateways" in API group "networking.istio.io" in the '
                                               'namespace "team-b"')
    status, body = sim.api("GET", "/api/v1/namespaces", token=EDITOR)
    assert (status, body["message"]) == (403, 'namespaces is forbidden: User "team" cannot list resource '
                                               '"namespaces" in API group "" at the cluster scope')
    status, body = sim.api("PUT", gateways_path("team-a", "gw") + "/status", {}, token=EDITOR)
    assert status != 403
    assert sim.requests()[-1]["user"] == "team"


def test_kubeconfig_has_a_context_per_user(sim):
    config = yaml.safe_load(sim.kubeconfig.read_text())
    assert config["current-context"] == "kubesim"
    contexts = {c["name"]: c["context"] for c in config["contexts"]}
    assert contexts["kubesim-reader"] == {"cluster": "kubesim", "user": "kubesim-reader", "namespace": "default"}
    assert contexts["kubesim-team"]["namespace"] == "team-a"
    users = {u["name"]: u["user"]["token"] for u in config["users"]}
    assert users["kubesim-reader"] == READER and users["kubesim"] == sim.token
    result = subprocess.run([str(VENV_BIN / "kubectl"), "--kubeconfig", str(sim.kubeconfig), "--context",
                             "kubesim-reader", "delete", "gateways.networking.istio.io", "gw", "-n", "team-a"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode != 0
    assert 'User "reader" cannot delete resource "gateways"' in result.stderr


@pytest.mark.parametrize("option, message", [
    ("reader:tok", "expected NAME:TOKEN:ROLE[:NAMESPACE,...]"),
    ("reader:tok:root", "role 'root' is not one of edit, view"),
])
def test_bad_user_option_is_refused(tmp_path, option, message):
    result = subprocess.run([sys.executable, "-m", "kubesim", "serve", "--kubeconfig", str(tmp_path / "k"),
                             "--user", option], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2 and message in result.stderr
