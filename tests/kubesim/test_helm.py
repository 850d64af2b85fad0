"""helm 3.17 install, upgrade, list and uninstall of a small chart (release Secrets arrive as protobuf)."""

from __future__ import annotations

import json
from pathlib import Path

pytest_plugins = ["kubesim.pytest_plugin"]

CHART = Path(__file__).parent / "charts" / "demo"


def test_helm_lifecycle(kubesim, ns, run_tool):
    run_tool("helm", "install", "demo", str(CHART), "-n", ns)
    _, settings = kubesim.api("GET", f"/api/v1/namespaces/{ns}/configmaps/demo-settings")
    assert settings["data"] == {"message": "hello"}
    _, gateway = kubesim.api("GET", f"/apis/networking.istio.io/v1/namespaces/{ns}/gateways/demo")
    assert gateway["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "Helm"
    assert gateway["metadata"]["annotations"]["meta.helm.sh/release-name"] == "demo"

    run_tool("helm", "upgrade", "demo", str(CHART), "-n", ns, "--set", "message=bye", "--set", "replicas=2")
    _, settings = kubesim.api("GET", f"/api/v1/namespaces/{ns}/configmaps/demo-settings")
    assert settings["data"] == {"message": "bye"}
    _, deployment = kubesim.api("GET", f"/apis/apps/v1/namespaces/{ns}/deployments/demo")
    assert deployment["spec"]["replicas"] == 2 and deployment["metadata"]["generation"] == 2

    releases = json.loads(run_tool("helm", "list", "-n", ns, "-o", "json").stdout)
    assert [(r["name"], r["revision"], r["status"]) for r in releases] == [("demo", "2", "deployed")]
    _, secrets = kubesim.api("GET", f"/api/v1/namespaces/{ns}/secrets?labelSelector=owner%3Dhelm")
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
