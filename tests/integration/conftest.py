# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared harness: run real ``ansible-playbook`` against kubesim (or the cluster of ``KUBECONFIG``).

``run_playbook(tasks, check=False, diff=True, check_first=False)`` writes a one-play playbook on localhost and returns a
``PlaybookRun`` with rc, stdout, stderr and each task's result plus, against kubesim, the API requests
that task sent; ``attach_kubesim(sim)`` gives the same for another kubesim.
``cluster`` reads and writes objects directly (kubesim's API, or ``kubectl --raw`` on a real cluster).
Against a real cluster ``cluster.is_kubesim`` is False: request-log and fault-injection
assertions must be skipped (``cluster.expect_requests`` does nothing then).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import pytest
import yaml

from kubesim.testing import KubeSim

pytest_plugins = ["kubesim.pytest_plugin"]

REPO_ROOT = Path(__file__).resolve().parents[2]
CALLBACK_DIR = Path(__file__).resolve().parent / "callback_plugins"
BIN_DIR = Path(sys.executable).parent
REAL_CLUSTER_KUBECONFIG = os.environ.get("KUBECONFIG")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@dataclass
class TaskRun:
    """One task's outcome: ``status`` ok/failed/skipped, the module ``result``, and its API ``requests``."""

    name: str
    status: str
    result: dict
    requests: Optional[list]

    def calls(self) -> list:
        """``(method, path)`` of each API request, query string appended when there is one."""
        return [(entry["method"], entry["path"] + ("?" + entry["query"] if entry.get("query") else ""))
                for entry in self.requests or []]

    def expect(self, changed: bool, method: str) -> None:
        """Assert the task succeeded reporting ``changed`` and ``method`` (created/updated/deleted/unchanged)."""
        assert self.status == "ok", self.result.get("msg")
        assert (self.result["changed"], self.result["method"]) == (changed, method)


@dataclass
class PlaybookRun:
    rc: int
    stdout: str
    stderr: str
    tasks: list = field(default_factory=list)

    def task(self, name: str) -> TaskRun:
        """The run of the task named ``name`` (exactly one must exist)."""
        found = [task for task in self.tasks if task.name == name]
        assert len(found) == 1, "task %r ran %d times; tasks: %s\n%s" % (
            name, len(found), [task.name for task in self.tasks], self.stderr)
        return found[0]


class Cluster:
    """Direct access to the cluster the playbooks run against, bypassing the collection."""

    def __init__(self, env: dict, kubesim=None) -> None:
        self.env = env
        self.kubesim = kubesim

    @property
    def is_kubesim(self) -> bool:
        return self.kubesim is not None

    def api(self, method: str, path: str, body: Any = None) -> tuple:
        """(status, decoded body) of one request; status is 200/404-like (only 200/404 on a real cluster)."""
        if self.kubesim is not None:
            return self.kubesim.api(method, path, body)
        verb = {"GET": "get", "POST": "create", "PUT": "replace", "DELETE": "delete"}[method]
        command = [str(BIN_DIR / "kubectl"), verb, "--raw", path]
        if body is not None:
            command += ["-f", "-"]
        done = subprocess.run(command, input=json.dumps(body) if body is not None else None, env=self.env,
                              capture_output=True, text=True, check=False)
        return (200 if done.returncode == 0 else 404), (json.loads(done.stdout) if done.stdout.strip() else None)

    def get(self, path: str) -> Optional[dict]:
        status, body = self.api("GET", path)
        return body if status == 200 else None

    def ensure_namespace(self, name: str) -> None:
        self.api("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})

    def seed(self, collection: str, body: dict) -> str:
        """Store ``body`` under ``collection`` directly (any object of its name deleted first), so that a test sets up
        the state it starts from without a playbook run; returns the object's path."""
        item = "%s/%s" % (collection, body["metadata"]["name"])
        self.api("DELETE", item)
        status, answer = self.api("POST", collection, body)
        assert status in (200, 201), answer
        return item

    def expect_requests(self, task: TaskRun, expected: list) -> None:
        """Assert the exact ``(method, path)`` requests of a task (kubesim only)."""
        if self.is_kubesim:
            assert task.calls() == expected

    def expect_step(self, run: PlaybookRun, step: str, method: str, requests: list) -> TaskRun:
        """Assert a step run with ``check_first``: ``<step> (check)`` and ``<step>`` both report ``method``
        (changed unless "unchanged") and the same diff; the real run sent exactly ``requests``, check mode the
        same with each write as a dry run (``?dryRun=All``). Returns the real run."""
        checked, applied = run.task(step + " (check)"), run.task(step)
        for task in (checked, applied):
            task.expect(method != "unchanged", method)
        self.expect_requests(checked, [(verb, path + "?dryRun=All" if verb in WRITE_METHODS else path)
                                       for verb, path in requests])
        self.expect_requests(applied, requests)
        assert checked.result["diff"] == applied.result["diff"]
        return applied


def pytest_configure(config) -> None:
    """Register the marker of the test files integration-oldest leaves out (scripts/run_tests.py, README "Tests")."""
    config.addinivalue_line("markers", "module_logic: pure module logic (requests, diffs, stored objects), the same on"
                                       " every ansible-core; not run on the oldest one")


def _inventory(tmp: Path) -> Path:
    inventory = tmp / "inventory.ini"
    inventory.write_text("localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable)
    return inventory


@pytest.fixture(scope="session")
def cluster(request, tmp_path_factory) -> Cluster:
    """kubesim (session-wide, Istio CRDs loaded), or the cluster of KUBECONFIG when that is set."""
    if REAL_CLUSTER_KUBECONFIG:
        env = dict(os.environ, TMPDIR=str(tmp_path_factory.mktemp("session-tmp")),
                   ANSIBLE_COLLECTIONS_PATH=str(REPO_ROOT / ".venv" / "collections"))
        return Cluster(env)
    return kubesim_cluster(request.getfixturevalue("kubesim"), request.getfixturevalue("kubesim_env"))


def kubesim_cluster(sim, env: dict) -> Cluster:
    """A ``Cluster`` for kubesim ``sim``: playbooks run with ``env`` and record the requests ``sim`` receives.

    ``env`` is kept as it is (its KUBECONFIG may name another server): a test pointing tasks at ``sim``
    through module options then proves those options are honoured, as no request reaches ``sim`` otherwise.
    """
    return Cluster(dict(env, KUBESIM_URL=sim.url, KUBESIM_TOKEN=sim.token, KUBESIM_CA_FILE=str(sim.ca_file)), sim)


@pytest.fixture(scope="session")
def run_playbook(cluster: Cluster, tmp_path_factory) -> Callable[..., PlaybookRun]:
    """Run ``tasks`` (a list of task dicts) as one play on localhost; returns a ``PlaybookRun``."""
    return _playbook_runner(cluster, tmp_path_factory.mktemp("playbooks"))


@pytest.fixture(scope="session")
def attach_kubesim(cluster: Cluster, tmp_path_factory) -> Callable[[Any], tuple]:
    """``attach_kubesim(sim)`` gives ``(Cluster, run_playbook)`` for a kubesim of a test's own, with per-task
    request logs like the session's; tasks reach it only through their own options (e.g. ``kubeconfig``)."""

    def attach(sim) -> tuple:
        other = kubesim_cluster(sim, cluster.env)
        return other, _playbook_runner(other, tmp_path_factory.mktemp("playbooks"))

    return attach


@pytest.fixture(scope="module")
def kubesim_1_19(cluster: Cluster, attach_kubesim, tmp_path_factory) -> Iterator[tuple]:
    """``(Cluster, run_playbook, kubeconfig path)`` for a kubesim of the test module's own behaving like a pre-1.20
    server (``--kube-version 1.19``); skipped against a real cluster."""
    if not cluster.is_kubesim:
        pytest.skip("pre-1.20 behaviour is a kubesim mode (--kube-version 1.19)")
    with KubeSim(tmp_path_factory.mktemp("kubesim-1.19"), kube_version="1.19") as sim:
        yield (*attach_kubesim(sim), str(sim.kubeconfig))


def _playbook_runner(cluster: Cluster, tmp: Path) -> Callable[..., PlaybookRun]:
    inventory = _inventory(tmp)
    env = dict(cluster.env, ANSIBLE_STDOUT_CALLBACK="task_results", ANSIBLE_CALLBACK_PLUGINS=str(CALLBACK_DIR),
               ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_NOCOLOR="true", ANSIBLE_RETRY_FILES_ENABLED="false")
    counter = iter(range(10 ** 6))

    def run(tasks: list, check: bool = False, diff: bool = True, extra_args: tuple = (),
            check_first: bool = False) -> PlaybookRun:
        if check_first:  # each task preceded by its twin in check mode, named "<name> (check)"
            tasks = [twin for task in tasks
                     for twin in (dict(task, name=task["name"] + " (check)", check_mode=True), task)]
        playbook = tmp / ("playbook-%d.yml" % next(counter))
        playbook.write_text(yaml.safe_dump([{"hosts": "localhost", "gather_facts": False, "tasks": tasks}], sort_keys=False))
        command = [str(BIN_DIR / "ansible-playbook"), "-i", str(inventory), str(playbook), *extra_args]
        command += ["--check"] if check else []
        command += ["--diff"] if diff else []
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False, cwd=tmp)
        try:
            report = json.loads(done.stdout[done.stdout.index("{"):])
        except ValueError:
            pytest.fail("ansible-playbook printed no JSON report (rc=%d)\n%s\n%s" % (done.returncode, done.stdout, done.stderr))
        tasks_run = [TaskRun(entry["task"], entry["status"], entry["result"], entry["requests"]) for entry in report["tasks"]]
        return PlaybookRun(done.returncode, done.stdout, done.stderr, tasks_run)

    return run
