"""Fixtures shared by kubesim's own tests (the kubesim fixtures come from ``kubesim.pytest_plugin``)."""

from __future__ import annotations

import subprocess
import uuid
from typing import Callable, Iterator

import pytest

from kubesim.testing import KubeSim
from kubesim_helpers import VENV_BIN


@pytest.fixture
def ns(kubesim: KubeSim) -> Iterator[str]:
    """A fresh namespace for one test, deleted afterwards."""
    name = f"t-{uuid.uuid4().hex[:8]}"
    status, body = kubesim.api("POST", "/api/v1/namespaces", {"metadata": {"name": name}})
    assert status == 201, body
    yield name
    kubesim.api("DELETE", f"/api/v1/namespaces/{name}")


@pytest.fixture
def run_tool(kubesim_env: dict[str, str]) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run a .venv/bin tool (kubectl, helm) against the session's kubesim."""
    def run(tool: str, *args: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([str(VENV_BIN / tool), *args], input=stdin, capture_output=True, text=True,
                                env=kubesim_env, timeout=120, check=False)
        if check and result.returncode != 0:
            raise AssertionError(f"{tool} {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
        return result
    return run
