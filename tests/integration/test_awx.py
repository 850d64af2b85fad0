"""The AWX example project run the way AWX runs jobs: ansible-runner, extra vars from a job template, cluster
access from a "Kubernetes API Bearer Token" credential (K8S_AUTH_* environment variables, no kubeconfig)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import ansible_runner
import pytest

from kubesim.testing import KubeSim

pytest_plugins = ["kubesim.pytest_plugin"]

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = REPO_ROOT / "tests" / "fixtures" / "seed"
URL_TASK = "Print the application URL"


def credential_env(sim: KubeSim) -> dict[str, str]:
    """What AWX injects for an "OpenShift or Kubernetes API Bearer Token" credential."""
    return {"K8S_AUTH_HOST": sim.url, "K8S_AUTH_API_KEY": sim.token, "K8S_AUTH_VERIFY_SSL": "True",
            "K8S_AUTH_SSL_CA_CERT": str(sim.ca_file)}


def test_awx_job_exposes_the_application(tmp_path: Path, istio_crds_dir: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KUBECONFIG", raising=False)
    charts = tmp_path / "charts"
    subprocess.run([sys.executable, str(REPO_ROOT / "tests" / "charts" / "stage.py"), str(charts), "--crds",
                    str(istio_crds_dir)], check=True, capture_output=True)
    private_data_dir = tmp_path / "job"
    shutil.copytree(REPO_ROOT / "examples" / "awx", private_data_dir / "project")
    (private_data_dir / "inventory").mkdir()
    (private_data_dir / "inventory" / "hosts").write_text(
        "localhost ansible_connection=local ansible_python_interpreter={{ansible_playbook_python}}\n")

    with KubeSim(tmp_path / "kubesim", load=[SEED_DIR]) as sim:
        job = ansible_runner.run(
            private_data_dir=str(private_data_dir),
            playbook="site.yml",
            extravars={"app_service": "proxy", "app_namespace": "default", "istio_charts_dir": str(charts)},
            envvars={
                **credential_env(sim),
                "ANSIBLE_COLLECTIONS_PATH": str(REPO_ROOT / ".venv" / "collections"),
                "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
                "HOME": str(tmp_path / "home"),
                "TMPDIR": str(tmp_path),
            },
            quiet=True,
        )
        service = sim.api("GET", "/api/v1/namespaces/default/services/proxy")[1]
        gateway_service = sim.api("GET", "/api/v1/namespaces/istio-system/services/istio-ingressgateway")[1]

    assert job.status == "successful", job.stdout.read()[-4000:]
    assert job.stats["changed"]["localhost"] > 0
    messages = [event["event_data"]["res"]["msg"] for event in job.events
                if event["event"] == "runner_on_ok" and event["event_data"].get("task") == URL_TASK]
    address = gateway_service["status"]["loadBalancer"]["ingress"][0]["hostname"]
    assert messages == [f"default/proxy is now served at http://{address}/"]
    assert service["spec"]["type"] == "ClusterIP"
