"""helm 3.17 install, upgrade, list and uninstall of a small chart (release Secrets arrive as protobuf)."""

from __future__ import annotations

import json
import time
from pathlib import Path

pytest_plugins = ["kubesim.pytest_plugin"]

CHART = Path(__file__).parent / "charts" / "demo"


def test_helm_lifecycle(kubesim, ns, run_tool):
    run_tool("helm", "install", "demo", str(CHART), "-n", ns)
    settings = kubesim.api("GET", f"/api/v1/namespaces/{ns}/configmaps/demo-settings")[1]
    assert settings["data"] == {"message": "hello"}
    gateway = kubesim.api("GET", f"/apis/networking.istio.io/v1/namespaces/{ns}/gateways/demo")[1]
    assert gateway["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "Helm"
    assert gateway["metadata"]["annotations"]["meta.helm.sh/release-name"] == "demo"

    run_tool("helm", "upgrade", "demo", str(CHART), "-n", ns, "--set", "message=bye", "--set", "replicas=2")
    settings = kubesim.api("GET", f"/api/v1/namespaces/{ns}/configmaps/demo-settings")[1]
    assert settings["data"] == {"message": "bye"}
    deployment = kubesim.api("GET", f"/apis/apps/v1/namespaces/{ns}/deployments/demo")[1]
    assert deployment["spec"]["replicas"] == 2 and deployment["metadata"]["generation"] == 2
    assert not deployment["spec"].get("paused")

    releases = json.loads(run_tool("helm", "list", "-n", ns, "-o", "json").stdout)
    assert [(r["name"], r["revision"], r["status"]) for r in releases] == [("demo", "2", "deployed")]
    secrets = kubesim.api("GET", f"/api/v1/namespaces/{ns}/secrets?labelSelector=owner%3Dhelm")[1]
    assert sorted(s["metadata"]["name"] for s in secrets["items"]) == [
        "sh.helm.release.v1.demo.v1", "sh.helm.release.v1.demo.v2"]

    run_tool("helm", "uninstall", "demo", "-n", ns)
    assert json.loads(run_tool("helm", "list", "-n", ns, "-o", "json").stdout) == []
    assert kubesim.api("GET", f"/api/v1/namespaces/{ns}/configmaps/demo-settings")[0] == 404
    assert kubesim.api("GET", f"/api/v1/namespaces/{ns}/secrets")[1]["items"] == []


def test_helm_rejects_invalid_custom_resource(kubesim, ns, run_tool, tmp_path):
    chart = tmp_path / "bad"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: bad\nversion: 0.1.0\n")
    (chart / "templates" / "gw.yaml").write_text(
        "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: bad}\n"
        "spec: {servers: [{port: {name: http, protocol: HTTP}, hosts: ['*']}]}\n")
    result = run_tool("helm", "install", "bad", str(chart), "-n", ns, check=False)
    assert result.returncode != 0 and "spec.servers[0].port.number: Required value" in result.stderr


def test_helm_wait_and_rollout_status_see_a_running_deployment_rolled_out(kubesim, ns, run_tool):
    """helm --wait reads the Deployment's newest ReplicaSet (a paused Deployment would skip that check)."""
    started = time.monotonic()
    run_tool("helm", "install", "demo", str(CHART), "-n", ns, "--wait", "--timeout", "30s")
    run_tool("helm", "upgrade", "demo", str(CHART), "-n", ns, "--set", "image=nginx:1.28", "--wait", "--timeout", "30s")
    assert time.monotonic() - started < 10
    rollout = run_tool("kubectl", "rollout", "status", "deployment/demo", "-n", ns, "--timeout=20s")
    assert 'deployment "demo" successfully rolled out' in rollout.stdout
    replica_sets = kubesim.api("GET", f"/apis/apps/v1/namespaces/{ns}/replicasets?labelSelector=app%3Ddemo")[1]
    by_image = {rs["spec"]["template"]["spec"]["containers"][0]["image"]: rs for rs in replica_sets["items"]}
    assert by_image["nginx:1.28"]["status"]["readyReplicas"] == 1
    assert by_image["nginx:1.27"]["spec"]["replicas"] == 0
