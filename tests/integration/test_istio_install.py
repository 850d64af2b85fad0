"""roles/istio_install on a cluster whose Istio CRDs Helm does not own (made by istioctl or kubectl): the
default run stops at `base`, before istiod; `istio_install_base: skip` and `adopt` then succeed.

One kubesim for the whole chain (Helm keeps its release state in the cluster), with the stand-in charts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
import yaml

from test_playbooks import Chain, ChainCluster, fresh_chain_cluster, helm_releases

CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
GATEWAY_CRD = CRDS + "/gateways.networking.istio.io"
HELM_OWNER = {"app.kubernetes.io/managed-by": "Helm"}
# An *.istio.io CRD that is not the base chart's (istioctl's operator): adopt leaves it alone.
OPERATOR_CRD = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                "metadata": {"name": "istiooperators.install.istio.io"},
                "spec": {"group": "install.istio.io", "scope": "Namespaced",
                         "names": {"kind": "IstioOperator", "plural": "istiooperators", "singular": "istiooperator",
                                   "listKind": "IstioOperatorList"},
                         "versions": [{"name": "v1alpha1", "served": True, "storage": True, "schema": {
                             "openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}]}}
HELM_RELEASE = {"meta.helm.sh/release-name": "istio-base", "meta.helm.sh/release-namespace": "istio-system"}


@pytest.fixture(scope="module")
def unowned_crds_cluster(tmp_path_factory: pytest.TempPathFactory, istio_crds_dir: Path) -> Iterator[ChainCluster]:
    """A kubesim with the seed application and the Istio CRDs created without Helm (as istioctl leaves them)."""
    tmp = tmp_path_factory.mktemp("istio-install")
    with fresh_chain_cluster(tmp, istio_crds_dir) as cluster:
        for crd_file in sorted(istio_crds_dir.glob("*.yaml")):
            for crd in yaml.safe_load_all(crd_file.read_text()):
                if crd:
                    status, body = cluster.sim.api("POST", CRDS, crd)
                    assert status == 201, body
        status, body = cluster.sim.api("POST", CRDS, OPERATOR_CRD)
        assert status == 201, body
        playbook = tmp / "install.yml"
        playbook.write_text(yaml.safe_dump([{
            "hosts": "localhost", "connection": "local", "gather_facts": False,
            "tasks": [{"name": "Install Istio", "ansible.builtin.import_role": {"name": "meshsmith.istio.istio_install"},
                       "vars": {"istio_install_base_chart_ref": str(cluster.charts / "base"),
                                "istio_install_istiod_chart_ref": str(cluster.charts / "istiod"),
                                "istio_install_gateway_chart_ref": str(cluster.charts / "gateway")}}],
        }]))
        cluster.playbook = playbook  # type: ignore[attr-defined]
        yield cluster


@pytest.fixture(scope="module")
def runs(unowned_crds_cluster: ChainCluster) -> Chain:
    """Default (expected to fail at base), skip, adopt and adopt again, in this order, each with the releases and the
    Gateway CRD after it; a step that goes otherwise stops the chain, and the later steps' tests say so."""
    outcomes = Chain()
    for label, base in (("install", "install"), ("skip", "skip"), ("adopt", "adopt"), ("adopt again", "adopt")):
        if outcomes.runs():
            run = unowned_crds_cluster.run(str(unowned_crds_cluster.playbook), f"istio_install_base={base}")  # type: ignore[attr-defined]
            outcomes.add(label, (run, helm_releases(unowned_crds_cluster), unowned_crds_cluster.get(GATEWAY_CRD)),
                         (run.rc == 0) == (label != "install"))
    return outcomes


def test_default_run_stops_at_base_and_installs_no_istiod(runs) -> None:
    run, releases, crd = runs.step("install")
    assert run.rc != 0
    assert releases == set()
    assert not any("istiod" in write or "istio-ingressgateway" in write for write in run.writes), run.writes
    failed_task = run.stdout.rsplit("TASK [", 1)[1]
    assert failed_task.startswith("meshsmith.istio.istio_install : Install release istio-base"), failed_task[:300]
    assert "invalid ownership metadata" in failed_task
    assert "managed-by" not in str(crd["metadata"].get("labels"))


def test_skip_installs_istiod_and_the_gateway_and_leaves_the_crds_alone(runs) -> None:
    run, releases, crd = runs.step("skip")
    assert run.rc == 0, run.stdout
    assert releases == {"istiod", "istio-ingressgateway"}
    assert "managed-by" not in str(crd["metadata"].get("labels"))


def test_adopt_gives_the_crds_to_the_base_release(runs, unowned_crds_cluster: ChainCluster) -> None:
    run, releases, crd = runs.step("adopt")
    assert run.rc == 0, run.stdout
    assert releases == {"istio-base", "istiod", "istio-ingressgateway"}
    assert HELM_OWNER.items() <= crd["metadata"]["labels"].items()
    assert HELM_RELEASE.items() <= crd["metadata"]["annotations"].items()
    operator = unowned_crds_cluster.get(CRDS + "/" + OPERATOR_CRD["metadata"]["name"])
    assert "managed-by" not in str(operator["metadata"].get("labels"))
    assert "meta.helm.sh" not in str(operator["metadata"].get("annotations"))


def test_adopting_again_changes_and_writes_nothing(runs) -> None:
    run, releases, _crd = runs.step("adopt again")
    assert run.rc == 0, run.stdout
    assert (run.changed, run.writes) == (0, [])
    assert releases == {"istio-base", "istiod", "istio-ingressgateway"}
