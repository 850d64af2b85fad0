"""scripts/demo.py on a real cluster: it shows the context, the server and what changes, and asks first."""

from __future__ import annotations

import importlib.util
import io
import os
import subprocess
import sys
from pathlib import Path

from kubesim_helpers import REPO_ROOT

DEMO = REPO_ROOT / "scripts" / "demo.py"
sys.path.insert(0, str(DEMO.parent))  # demo.py imports its neighbour pinned_crds
SPEC = importlib.util.spec_from_file_location("demo", DEMO)
assert SPEC is not None and SPEC.loader is not None
demo = sys.modules[SPEC.name] = importlib.util.module_from_spec(SPEC)  # dataclasses look the module up
SPEC.loader.exec_module(demo)

UNROUTABLE_SERVER = "https://192.0.2.10:6443"  # TEST-NET-1: nothing may ever be sent there
KUBECONFIG = f"""apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster: {{server: "{UNROUTABLE_SERVER}"}}
users:
- name: admin
  user: {{token: not-a-real-token}}
contexts:
- name: prod-admin
  context: {{cluster: prod, user: admin}}
current-context: prod-admin
"""


class Terminal(io.StringIO):
    """Standard input typed on a terminal."""

    def isatty(self) -> bool:
        return True


def test_yes_goes_ahead_without_reading_stdin():
    stdin, stdout = Terminal("n\n"), io.StringIO()
    assert demo.confirmed(True, stdin, stdout)
    assert stdin.tell() == 0 and stdout.getvalue() == ""


def test_only_y_or_yes_on_a_terminal_goes_ahead():
    answers = {answer: demo.confirmed(False, Terminal(answer), io.StringIO())
               for answer in ("y\n", "YES\n", "\n", "n\n", "yep\n", "")}
    assert answers == {"y\n": True, "YES\n": True, "\n": False, "n\n": False, "yep\n": False, "": False}


def test_without_a_terminal_it_refuses_and_names_demo_args_yes():
    stdout = io.StringIO()
    assert not demo.confirmed(False, io.StringIO("y\n"), stdout)
    assert "make demo DEMO_ARGS=--yes" in stdout.getvalue()


def test_yes_is_the_demos_own_flag_and_the_rest_goes_to_ansible_playbook():
    args = demo.split_demo_args(["-e", "app_service=web", "--yes", "-v"])
    assert args.assume_yes and not args.gateway_api and args.playbook_args == ["-e", "app_service=web", "-v"]


def test_the_listed_changes_follow_the_playbook_variables():
    values = demo.playbook_vars(["-e", "app_service=web app_namespace=shop", "--extra-vars", "gateway_name=edge",
                                 "-e", "@vars.yml"])
    changes = "\n".join(demo.planned_changes(values))
    assert "Istio Gateway istio-system/edge" in changes
    assert "Istio VirtualService shop/web" in changes
    assert "Service shop/web: switched to ClusterIP" in changes
    assert "istio-base, istiod and istio-ingressgateway in namespace istio-system" in changes


def test_make_demo_on_a_real_cluster_without_a_terminal_changes_nothing(tmp_path: Path):
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(KUBECONFIG)
    env = {**os.environ, "KUBECONFIG": str(kubeconfig)}
    result = subprocess.run([sys.executable, str(DEMO), "-e", "app_service=web"], env=env, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1, result.stderr
    assert "context 'prod-admin', API server https://192.0.2.10:6443" in result.stdout
    assert "Service default/web: switched to ClusterIP" in result.stdout
    assert "DEMO_ARGS=--yes" in result.stdout
    assert "ansible-playbook" not in result.stdout and "Nothing was changed." in result.stdout


def test_gateway_api_is_the_demos_own_flag_and_asks_the_playbook_for_kubernetes_mode():
    args = demo.split_demo_args(["--gateway-api", "-e", "app_service=web", "--yes"])
    assert args.gateway_api and args.assume_yes
    assert args.playbook_args == ["-e", "gateway_api=kubernetes", "-e", "app_service=web"]


def test_the_listed_changes_name_the_gateway_api_objects():
    values = demo.playbook_vars(demo.split_demo_args(["--gateway-api", "-e", "app_namespace=shop"]).playbook_args)
    changes = "\n".join(demo.planned_changes(values))
    assert "Gateway API Gateway istio-system/default-gateway (class istio" in changes
    assert "Gateway API HTTPRoute shop/proxy" in changes
    assert "Istio VirtualService" not in changes
