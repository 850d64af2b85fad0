"""pytest fixtures: a session-wide kubesim with the official Istio CRDs (``pytest_plugins = ["kubesim.pytest_plugin"]``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

from kubesim.testing import KubeSim

REPO_ROOT = Path(__file__).resolve().parents[4]


def _crds_dir() -> Path:
    if os.environ.get("ISTIO_CRDS_DIR"):
        return Path(os.environ["ISTIO_CRDS_DIR"])
    shared = Path(os.environ.get("ISTIO_SHARED_DIR") or REPO_ROOT.parent / "shared" / "istio")
    return shared / "crds"


@pytest.fixture(scope="session")
def istio_crds_dir() -> Path:
    """The official Istio CRDs; skipped when absent (a failure when CI=true)."""
    path = _crds_dir()
    if not path.is_dir() or not any(path.glob("*.yaml")):
        reason = (f"Istio CRDs not found at {path}: set ISTIO_CRDS_DIR or ISTIO_SHARED_DIR "
                  f"(default <repo>/../shared/istio)")
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def kubesim(tmp_path_factory: pytest.TempPathFactory, istio_crds_dir: Path) -> Iterator[KubeSim]:
    """One kubesim per test session, the Istio CRDs registered."""
    sim = KubeSim(tmp_path_factory.mktemp("kubesim"), load=[istio_crds_dir])
    try:
        yield sim
    finally:
        sim.stop()


@pytest.fixture(scope="session")
def kubesim_env(kubesim: KubeSim, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for subprocesses (kubectl, helm, ansible) talking to the session's kubesim."""
    tmp = tmp_path_factory.mktemp("session-tmp")
    return {
        **os.environ,
        "KUBECONFIG": str(kubesim.kubeconfig),
        "TMPDIR": str(tmp),
        "KUBECACHEDIR": str(tmp / "kube-cache"),
        "HELM_CACHE_HOME": str(tmp / "helm-cache"),
        "HELM_CONFIG_HOME": str(tmp / "helm-config"),
        "HELM_DATA_HOME": str(tmp / "helm-data"),
        "ANSIBLE_COLLECTIONS_PATH": str(REPO_ROOT / ".venv" / "collections"),
    }
