# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drive a module's ``main()`` as Ansible does, against an in-memory cluster or with requests forbidden."""

from __future__ import annotations

import json
from typing import Callable, Iterable

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.client import KubeClient
from ansible_collections.meshsmith.istio.tests.unit.plugins.modules.harness import FakeCluster


@pytest.fixture
def run_main(capsys) -> Callable[..., dict]:
    """``run_main(module, args, check_mode=False, diff=False)``: the module's JSON result for ``args``."""
    def run(module, args: dict, check_mode: bool = False, diff: bool = False) -> dict:
        with patch_module_args(dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)):
            with pytest.raises(SystemExit):
                module.main()
        return json.loads(capsys.readouterr().out)
    return run


@pytest.fixture
def cluster_with(monkeypatch) -> Callable[..., FakeCluster]:
    """``cluster_with(objects, unserved=())``: a FakeCluster that the module's client will be."""
    def install(objects: Iterable[dict] = (), unserved: Iterable[str] = ()) -> FakeCluster:
        cluster = FakeCluster(objects, unserved)
        monkeypatch.setattr(KubeClient, "from_params", classmethod(lambda cls, params, environ=None, connections=1: cluster))
        return cluster
    return install


@pytest.fixture
def no_requests(monkeypatch) -> None:
    """Fail the test if the module builds an API client (which any request needs)."""
    def refuse(*args, **kwargs):
        raise AssertionError("the module tried to talk to the API server")
    monkeypatch.setattr(KubeClient, "from_params", refuse)
