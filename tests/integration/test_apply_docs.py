# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""meshsmith.istio.apply as documented: its EXAMPLES run as written, and one ``module_defaults`` block of
``group/meshsmith.istio.istio`` reaches kubernetes.core's modules too (the group extends ``kubernetes.core.k8s``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

from kubesim.testing import KubeSim

REPO_ROOT = Path(__file__).resolve().parents[2]
ISTIO = "/apis/networking.istio.io/v1/namespaces/default"


def module_examples(module: str = "apply") -> list:
    """The EXAMPLES of ``plugins/modules/<module>.py`` as tasks."""
    tree = ast.parse((REPO_ROOT / "plugins" / "modules" / ("%s.py" % module)).read_text())
    text = next(node.value.value for node in tree.body if isinstance(node, ast.Assign)
                and getattr(node.targets[0], "id", None) == "EXAMPLES")
    return yaml.safe_load(text)


def test_module_examples_run_as_written(cluster, run_playbook, tmp_path):
    examples = module_examples()
    (tmp_path / "examples.yml").write_text(yaml.safe_dump(examples, sort_keys=False))
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "mesh.yaml").write_text(yaml.safe_dump(
        {"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule",
         "metadata": {"name": "examples-mesh", "namespace": "default"}, "spec": {"host": "proxy"}}))
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "routes.yaml.j2").write_text(
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\n"
        "metadata: {name: 'examples-{{ environment_name }}'}\n"
        "spec:\n  hosts: ['{{ environment_name }}.example.com']\n  http:\n    - route: [{destination: {host: proxy}}]\n")
    run = run_playbook([{"name": "examples", "ansible.builtin.include_tasks": str(tmp_path / "examples.yml")}])
    names = [example["name"] for example in examples]
    for name in names:
        task = run.task(name)
        assert task.status == "ok", (name, task.result.get("msg"))
    assert run.task(names[0]).result["counts"]["created"] + run.task(names[0]).result["counts"]["unchanged"] == 2
    assert cluster.get(ISTIO + "/destinationrules/examples-mesh")["metadata"]["labels"] == {
        "meshsmith.istio/apply-set": "mesh-config"}
    assert cluster.get(ISTIO + "/virtualservices/examples-staging")["spec"]["hosts"] == ["staging.example.com"]
    assert cluster.get(ISTIO + "/virtualservices/shop") is None
    assert cluster.get(ISTIO + "/gateways/shop-gateway") is None


def test_one_module_defaults_block_sets_the_connection_of_both_collections(cluster, attach_kubesim, tmp_path,
                                                                            istio_crds_dir):
    """The tasks reach this test's own kubesim only through the group's defaults (KUBECONFIG names another)."""
    if not cluster.is_kubesim:
        pytest.skip("needs a kubesim of its own")
    with KubeSim(tmp_path / "own", load=[istio_crds_dir]) as sim:
        _, run_playbook = attach_kubesim(sim)
        run = run_playbook([{
            "name": "connection set once",
            "module_defaults": {"group/meshsmith.istio.istio": {"kubeconfig": str(sim.kubeconfig)}},
            "block": [
                {"name": "kubernetes.core", "kubernetes.core.k8s_info": {"kind": "Namespace", "name": "default"}},
                {"name": "meshsmith.istio", "meshsmith.istio.apply": {"definition": {
                    "apiVersion": "networking.istio.io/v1", "kind": "DestinationRule",
                    "metadata": {"name": "grouped", "namespace": "default"}, "spec": {"host": "proxy"}}}},
            ],
        }])
        core = run.task("kubernetes.core")
        assert core.status == "ok", core.result.get("msg")
        assert core.result["resources"][0]["metadata"]["name"] == "default"
        assert ("GET", "/api/v1/namespaces/default") in core.calls()
        ours = run.task("meshsmith.istio")
        assert ours.status == "ok", ours.result.get("msg")
        assert ("POST", ISTIO + "/destinationrules") in ours.calls()
        status, _ = sim.api("GET", ISTIO + "/destinationrules/grouped")
        assert status == 200
