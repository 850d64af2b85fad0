"""kubectl against kubesim, including the issue's "Done when" scenario."""

from __future__ import annotations

import subprocess

import pytest
import yaml

from kubesim_helpers import SEED, VENV_BIN
from kubesim.testing import KubeSim

pytest_plugins = ["kubesim.pytest_plugin"]

BAD_GATEWAY = """\
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: no-port-number
  namespace: istio-system
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      name: http
      protocol: HTTP
    hosts: ["*"]
"""


@pytest.fixture(scope="module")
def bare(tmp_path_factory, kubesim_env):
    """A kubesim started without CRDs, and an environment pointing kubectl at it."""
    tmp = tmp_path_factory.mktemp("bare")
    with KubeSim(tmp) as sim:
        yield sim, {**kubesim_env, "KUBECONFIG": str(sim.kubeconfig), "KUBECACHEDIR": str(tmp / "cache")}


def test_done_when(bare, istio_crds_dir):
    sim, env = bare

    def kubectl(*args, stdin=None, check=True):
        result = subprocess.run([str(VENV_BIN / "kubectl"), *args], input=stdin, capture_output=True, text=True,
                                env=env, timeout=120, check=False)
        assert not check or result.returncode == 0, result.stderr
        return result
    kubectl("apply", "-f", str(istio_crds_dir))
    resources = kubectl("api-resources", "--api-group=networking.istio.io", "-o", "name").stdout.split()
    assert "gateways.networking.istio.io" in resources
    kubectl("create", "namespace", "istio-system")
    applied = kubectl("apply", "-f", "-", stdin=SEED).stdout
    assert "gateway.networking.istio.io/default-gateway created" in applied
    assert "virtualservice.networking.istio.io/proxy created" in applied
    again = kubectl("apply", "-f", "-", stdin=SEED).stdout
    assert "unchanged" in again and "configured" not in again
    refused = kubectl("apply", "-f", "-", stdin=BAD_GATEWAY, check=False)
    assert refused.returncode != 0
    assert 'The Gateway "no-port-number" is invalid: spec.servers[0].port.number: Required value' in refused.stderr
    assert sim.requests()[-1]["status"] == 422


def test_get_yaml_replace_delete(kubesim, ns, run_tool):
    manifest = SEED.split("---\n")[1].replace("namespace: default", f"namespace: {ns}")
    run_tool("kubectl", "apply", "-f", "-", stdin=manifest)
    live = yaml.safe_load(run_tool("kubectl", "get", "virtualservice", "proxy", "-n", ns, "-o", "yaml").stdout)
    assert live["spec"]["gateways"] == ["istio-system/default-gateway"]
    live["spec"]["hosts"] = ["example.com"]
    run_tool("kubectl", "replace", "-f", "-", stdin=yaml.safe_dump(live))
    stale = run_tool("kubectl", "replace", "-f", "-", stdin=yaml.safe_dump(live), check=False)
    assert stale.returncode != 0 and "the object has been modified" in stale.stderr
    listing = run_tool("kubectl", "get", "vs", "-n", ns).stdout
    assert listing.splitlines()[0].split() == ["NAME", "AGE"] and "proxy" in listing
    run_tool("kubectl", "delete", "virtualservice", "proxy", "-n", ns)
    missing = run_tool("kubectl", "get", "virtualservice", "proxy", "-n", ns, check=False)
    assert missing.returncode != 0 and 'virtualservices.networking.istio.io "proxy" not found' in missing.stderr


def test_server_side_apply_and_diff(kubesim, ns, run_tool):
    manifest = SEED.split("---\n")[1].replace("namespace: default", f"namespace: {ns}")
    out = run_tool("kubectl", "apply", "--server-side", "-f", "-", stdin=manifest).stdout
    assert "serverside-applied" in out
    assert run_tool("kubectl", "diff", "--server-side", "-f", "-", stdin=manifest).returncode == 0
    changed = manifest.replace('- "*"', "- shop.example.com")
    diff = run_tool("kubectl", "diff", "--server-side", "-f", "-", stdin=changed, check=False)
    assert diff.returncode == 1 and "+  - shop.example.com" in diff.stdout
    assert kubesim.api("GET", f"/apis/networking.istio.io/v1/namespaces/{ns}/virtualservices/proxy")[1][
        "spec"]["hosts"] == ["*"]


def test_client_side_diff(kubesim, ns, run_tool):
    manifest = SEED.split("---\n")[1].replace("namespace: default", f"namespace: {ns}")
    run_tool("kubectl", "apply", "-f", "-", stdin=manifest)
    assert run_tool("kubectl", "diff", "-f", "-", stdin=manifest).returncode == 0
    diff = run_tool("kubectl", "diff", "-f", "-", stdin=manifest.replace("number: 80", "number: 8080"), check=False)
    assert diff.returncode == 1
    assert any(line.startswith("+") and "number: 8080" in line for line in diff.stdout.splitlines())


def test_builtin_apply_and_client_side_update(kubesim, ns, run_tool):
    manifest = f"""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: {ns}
data:
  a: "1"
"""
    run_tool("kubectl", "apply", "-f", "-", stdin=manifest)
    out = run_tool("kubectl", "apply", "-f", "-", stdin=manifest.replace('"1"', '"2"')).stdout
    assert "configmap/settings configured" in out
    assert kubesim.api("GET", f"/api/v1/namespaces/{ns}/configmaps/settings")[1]["data"] == {"a": "2"}


def test_kubectl_wait_for_deployment(kubesim, ns, run_tool):
    manifest = f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: {ns}
spec:
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
      - name: web
        image: nginx
"""
    run_tool("kubectl", "apply", "-f", "-", stdin=manifest)
    out = run_tool("kubectl", "wait", "--for=condition=Available", "deployment/web", "-n", ns, "--timeout=10s")
    assert "condition met" in out.stdout


def test_typed_create_sends_protobuf(kubesim, ns, run_tool):
    kubesim.reset_requests()
    run_tool("kubectl", "create", "configmap", "plain", "-n", ns, "--from-literal=a=1")
    run_tool("kubectl", "create", "secret", "generic", "creds", "-n", ns, "--from-literal=user=admin")
    posts = [r for r in kubesim.requests() if r["method"] == "POST"]
    assert {r["content_type"] for r in posts} == {"application/vnd.kubernetes.protobuf"}
    assert kubesim.api("GET", f"/api/v1/namespaces/{ns}/configmaps/plain")[1]["data"] == {"a": "1"}
    secret = kubesim.api("GET", f"/api/v1/namespaces/{ns}/secrets/creds")[1]
    assert secret["data"] == {"user": "YWRtaW4="} and secret["type"] == "Opaque"
    unsupported = run_tool("kubectl", "create", "deployment", "web", "-n", ns, "--image=nginx", check=False)
    assert unsupported.returncode != 0 and "protobuf bodies are only understood for" in unsupported.stderr
