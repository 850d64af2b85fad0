"""``kubesim serve``: ready line, kubeconfig only once ready, clean signals, --load, fast start."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest
import yaml

from kubesim.testing import KubeSim

pytest_plugins = ["kubesim.pytest_plugin"]


def first_line(process: subprocess.Popen[str]) -> str:
    """The first line a ``kubesim serve`` process prints (its ready line)."""
    assert process.stdout is not None
    return process.stdout.readline()


def test_ready_line_and_kubeconfig(tmp_path):
    start = time.monotonic()
    with KubeSim(tmp_path) as sim:
        elapsed = time.monotonic() - start
        config = yaml.safe_load(sim.kubeconfig.read_text())
        assert config["current-context"] == "kubesim"
        assert config["clusters"][0]["cluster"]["server"] == sim.url
        assert config["clusters"][0]["cluster"]["certificate-authority-data"]
        assert config["users"][0]["user"]["token"] == sim.token
        assert sim.api("GET", "/api/v1/namespaces/default")[0] == 200
    assert elapsed < 3  # start-up well under a second; generous bound for loaded CI machines


def test_kubeconfig_not_written_when_start_fails(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: example.com/v1\nkind: Nothing\nmetadata: {name: x}\n")
    kubeconfig = tmp_path / "kubeconfig"
    result = subprocess.run([sys.executable, "-m", "kubesim", "serve", "--port", "0", "--kubeconfig",
                             str(kubeconfig), "--load", str(bad)], capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 1 and result.stdout == ""
    assert 'no matches for kind "Nothing"' in result.stderr
    assert not kubeconfig.exists()


def test_kubeconfig_absent_until_ready_line(tmp_path):
    kubeconfig = tmp_path / "kubeconfig"
    with subprocess.Popen([sys.executable, "-m", "kubesim", "serve", "--port", "0", "--kubeconfig", str(kubeconfig)],
                          stdout=subprocess.PIPE, text=True) as process:
        try:
            assert not kubeconfig.exists()
            line = first_line(process)
            assert line.startswith("kubesim ready at https://127.0.0.1:")
            assert kubeconfig.exists()
        finally:
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=10) == 0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_clean_exit_on_signal(tmp_path, signum):
    sim = KubeSim(tmp_path)
    sim.process.send_signal(signum)
    assert sim.process.wait(timeout=10) == 0
    sim.stop()


def test_load_applies_manifests(tmp_path, istio_crds_dir):
    seed = tmp_path / "seed.yaml"
    seed.write_text(
        "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: istio-system}\n"
        "spec: {servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ['*']}]}\n---\n"
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: istio-system}\n")
    with KubeSim(tmp_path / "sim", load=[istio_crds_dir, seed]) as sim:
        status, body = sim.api("GET", "/apis/networking.istio.io/v1/namespaces/istio-system/gateways/gw")
        assert status == 200 and body["metadata"]["generation"] == 1


def test_request_log_file(tmp_path):
    log = tmp_path / "requests.jsonl"
    kubeconfig = tmp_path / "kubeconfig"
    with subprocess.Popen([sys.executable, "-m", "kubesim", "serve", "--kubeconfig", str(kubeconfig),
                           "--request-log", str(log)], stdout=subprocess.PIPE, text=True) as process:
        try:
            first_line(process)
            result = subprocess.run([sys.executable, "-c", "import kubernetes.config, kubernetes.client as c;"
                                     f"kubernetes.config.load_kube_config({str(kubeconfig)!r});"
                                     "c.CoreV1Api().list_namespace()"], capture_output=True, text=True, timeout=60,
                                    check=False)
            assert result.returncode == 0, result.stderr
            assert '"path": "/api/v1/namespaces"' in log.read_text()
        finally:
            process.terminate()
            process.wait(timeout=10)
