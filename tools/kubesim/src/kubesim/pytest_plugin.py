"""pytest fixtures: a session-wide kubesim with the official Istio CRDs, and where the Gateway API CRDs are
(``pytest_plugins = ["kubesim.pytest_plugin"]``)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Iterator

import pytest

from kubesim.testing import KubeSim

REPO_ROOT = Path(__file__).resolve().parents[4]


def _pinned_crds():
    """The repository's CRD resolver, scripts/pinned_crds.py (scripts/ is no package)."""
    if "pinned_crds" not in sys.modules:
        spec = importlib.util.spec_from_file_location("pinned_crds", REPO_ROOT / "scripts" / "pinned_crds.py")
        assert spec is not None and spec.loader is not None
        sys.modules[spec.name] = importlib.util.module_from_spec(spec)  # dataclasses look their module up
        spec.loader.exec_module(sys.modules[spec.name])
    return sys.modules["pinned_crds"]


@pytest.fixture(scope="session")
def istio_crds_dir() -> Path:
    """The official Istio CRDs (shared data, $ISTIO_CRDS_DIR or the download cache in .venv); skipped when
    absent (a failure when CI=true)."""
    pinned_crds = _pinned_crds()
    return pinned_crds.for_tests(pinned_crds.ISTIO, pytest.skip, pytest.fail)


@pytest.fixture(scope="session")
def gateway_api_crds_dir() -> Path:
    """The Gateway API standard-channel CRDs ($GATEWAY_API_CRDS_DIR, the shared data or the download cache);
    skipped when absent (a failure when CI=true)."""
    pinned_crds = _pinned_crds()
    return pinned_crds.for_tests(pinned_crds.GATEWAY_API, pytest.skip, pytest.fail)


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
