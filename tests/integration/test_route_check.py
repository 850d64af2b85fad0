"""meshsmith.istio.route_check on kubesim: the seed scenario's chain, and the bare gateway reference that breaks it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.module_logic  # not run on the oldest ansible-core (README, Tests)

pytest_plugins = ["kubesim.pytest_plugin"]

REPO_ROOT = Path(__file__).resolve().parents[2]
NAMESPACE = "route-check"
GATEWAY_NAMESPACE = "route-check-gw"


def seed(gateway_reference: str) -> str:
    """Ingress Deployment and Service, a Gateway, the app Service and a VirtualService bound by ``gateway_reference``."""
    labels = {"istio": "route-check-ingress"}
    objects = [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}} for name in (NAMESPACE, GATEWAY_NAMESPACE)
    ] + [
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "ingress", "namespace": GATEWAY_NAMESPACE},
         "spec": {"selector": {"matchLabels": labels}, "template": {
             "metadata": {"labels": labels}, "spec": {"containers": [{"name": "istio-proxy", "image": "proxyv2"}]}}}},
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "ingress", "namespace": GATEWAY_NAMESPACE},
         "spec": {"selector": labels, "ports": [{"name": "http2", "port": 80, "targetPort": 8080}]}},
        {"apiVersion": "networking.istio.io/v1", "kind": "Gateway",
         "metadata": {"name": "default-gateway", "namespace": GATEWAY_NAMESPACE},
         "spec": {"selector": labels, "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"},
                                                   "hosts": ["route-check.example.com"]}]}},
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "proxy", "namespace": NAMESPACE},
         "spec": {"selector": {"app": "proxy"}, "ports": [{"name": "http", "port": 80}]}},
        {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": {"name": "proxy", "namespace": NAMESPACE},
         "spec": {"hosts": ["route-check.example.com"], "gateways": [gateway_reference],
                  "http": [{"route": [{"destination": {"host": "proxy", "port": {"number": 80}}}]}]}},
    ]
    return yaml.safe_dump_all(objects)


def route_check(kubesim_env: dict, tmp_path: Path) -> dict:
    """Run route_check in a playbook (fail_on never, so the result is always registered) and return it."""
    playbook = tmp_path / "route_check.yml"
    playbook.write_text(yaml.safe_dump([{
        "hosts": "localhost", "connection": "local", "gather_facts": False,
        "tasks": [
            {"meshsmith.istio.route_check": {"url": "http://route-check.example.com/", "fail_on": "never",
                                             "gateway_selector": {"istio": "route-check-ingress"},
                                             "namespaces": [NAMESPACE, GATEWAY_NAMESPACE]},
             "register": "checked", "check_mode": True},
            {"ansible.builtin.copy": {"content": "{{ checked | to_json }}", "dest": str(tmp_path / "result.json")},
             "check_mode": False},
        ],
    }]))
    proc = subprocess.run([str(Path(sys.executable).parent / "ansible-playbook"), str(playbook)],
                          env=kubesim_env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads((tmp_path / "result.json").read_text())


def test_seed_chain_then_bare_gateway_reference(kubesim, kubesim_env, tmp_path):
    kubesim.apply(seed("%s/default-gateway" % GATEWAY_NAMESPACE))
    kubesim.reset_requests()
    found = route_check(kubesim_env, tmp_path)
    assert found["summary"] == (
        "http://route-check.example.com/ → Gateway %s/default-gateway → VirtualService %s/proxy http[0] → "
        "Service %s/proxy:80" % (GATEWAY_NAMESPACE, NAMESPACE, NAMESPACE))
    assert found["findings"] == [] and found["changed"] is False
    # one LIST per kind, nothing written; the Gateway API's Gateways are not served here (no HTTPRoute LIST then)
    assert [r["method"] for r in kubesim.requests()] == ["GET"] * 8

    kubesim.apply(seed("default-gateway"))
    broken = route_check(kubesim_env, tmp_path)
    assert broken["route"] is None
    assert {"code": "IST0101", "severity": "error", "resource": "VirtualService %s/proxy" % NAMESPACE,
            "field": "gateways[0]", "message": 'Referenced gateway not found: "default-gateway"'} in broken["findings"]
