"""examples/fleet: the expose chain on three clusters at once (one inventory host and one kubesim per cluster,
forks from the example's ansible.cfg), one of them down; the fleet_summary callback prints one line per cluster.

The example project runs as an AWX job does: copied as the project of an ansible-runner private data dir, with an
inventory (one host per cluster, each with its kubesim's kubeconfig) and extra vars given by the job.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import ansible_runner
import pytest
import yaml

from kubesim.testing import KubeSim
from test_playbooks import SEED_DIR, WRITE_METHODS, playbook_env, stage_charts

pytest_plugins = ["kubesim.pytest_plugin"]

REPO_ROOT = Path(__file__).resolve().parents[2]
CLUSTERS = ("eu-west", "us-east", "ap-south")
DOWN = "ap-south"
SUMMARY_LINE = re.compile(r"^(?P<host>\S+)\s+(?P<status>ok|FAILED)\s+changed=(?P<changed>\d+)\s+(?P<detail>.*)$")


@dataclass
class FleetRun:
    """One run of the fleet playbook: exit code, output, the summary lines by host and each live cluster's writes."""

    rc: int
    output: str
    summary: dict[str, dict[str, str]]
    writes: dict[str, list[str]]


@dataclass
class Fleet:
    private_data_dir: Path
    sims: dict[str, KubeSim]
    env: dict[str, str]
    charts: Path

    def run(self) -> FleetRun:
        for sim in self.sims.values():
            sim.reset_requests()
        job = ansible_runner.run(private_data_dir=str(self.private_data_dir), playbook="site.yml",
                                 extravars={"istio_charts_dir": str(self.charts)}, envvars=self.env, quiet=True)
        output = job.stdout.read()
        summary_text = output.partition("FLEET SUMMARY")[2].splitlines()[1:]
        summary = {match["host"]: match.groupdict() for match in map(SUMMARY_LINE.match, summary_text) if match}
        writes = {name: [f"{r['method']} {r['path']}" for r in sim.requests() if r["method"] in WRITE_METHODS]
                  for name, sim in self.sims.items()}
        return FleetRun(job.rc, output, summary, writes)

    def get(self, cluster: str, path: str) -> dict:
        status, body = self.sims[cluster].api("GET", path)
        assert status == 200, (cluster, path, body)
        return body


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory, istio_crds_dir: Path) -> Iterator[Fleet]:
    """The example project with an inventory of three kubesims holding the seed application; DOWN is stopped."""
    tmp = tmp_path_factory.mktemp("fleet")
    private_data_dir = tmp / "job"
    shutil.copytree(REPO_ROOT / "examples" / "fleet", private_data_dir / "project",
                    ignore=shutil.ignore_patterns("__pycache__"))
    with ExitStack() as stack:
        environment = stack.enter_context(pytest.MonkeyPatch.context())
        for name in [name for name in os.environ if name == "KUBECONFIG" or name.startswith("K8S_AUTH_")]:
            environment.delenv(name)  # each host's own kubeconfig only
        sims = {name: stack.enter_context(KubeSim(tmp / name, load=[SEED_DIR], extra_args=["--lb-domain", f"{name}.lb.test"]))
                for name in CLUSTERS}
        down = sims.pop(DOWN)
        down.stop()
        inventory = {"clusters": {
            "vars": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable},
            "hosts": {name: {"kubeconfig": str(tmp / name / "kubeconfig")} for name in CLUSTERS}}}
        (private_data_dir / "inventory").mkdir()
        (private_data_dir / "inventory" / "hosts.yml").write_text(yaml.safe_dump(inventory), encoding="utf-8")
        env = dict(playbook_env(down, tmp), HOME=str(tmp / "home"))
        del env["KUBECONFIG"]
        yield Fleet(private_data_dir, sims, env, stage_charts(tmp / "charts", istio_crds_dir))


@pytest.fixture(scope="module")
def runs(fleet: Fleet) -> tuple[FleetRun, FleetRun]:
    return fleet.run(), fleet.run()


def ingress_url(fleet: Fleet, cluster: str) -> str:
    service = fleet.get(cluster, "/api/v1/namespaces/istio-system/services/istio-ingressgateway")
    return "http://%s/" % service["status"]["loadBalancer"]["ingress"][0]["hostname"]


def test_fleet_exposes_the_application_on_every_live_cluster(fleet: Fleet, runs: tuple[FleetRun, FleetRun]) -> None:
    first = runs[0]
    assert set(first.summary) == set(CLUSTERS), first.output
    for cluster in fleet.sims:
        line = first.summary[cluster]
        assert (line["status"], line["detail"]) == ("ok", ingress_url(fleet, cluster)), first.output
        assert f".{cluster}.lb.test" in line["detail"]
        assert int(line["changed"]) > 0
        assert fleet.get(cluster, "/api/v1/namespaces/default/services/proxy")["spec"]["type"] == "ClusterIP"
        virtual_service = fleet.get(cluster, "/apis/networking.istio.io/v1/namespaces/default/virtualservices/proxy")
        assert virtual_service["spec"]["gateways"] == ["istio-system/default-gateway"]


def test_a_cluster_that_is_down_fails_alone_and_shows_in_the_summary(runs: tuple[FleetRun, FleetRun]) -> None:
    for run in runs:
        assert run.rc == 2, run.output  # ansible-playbook's exit code when a host failed
        line = run.summary[DOWN]
        assert (line["status"], line["changed"]) == ("FAILED", "0"), run.output
        assert line["detail"].startswith("Install release istio-base: "), line
        assert "connection refused" in line["detail"].lower(), line


def test_second_fleet_run_changes_and_writes_nothing(fleet: Fleet, runs: tuple[FleetRun, FleetRun]) -> None:
    first, second = runs
    for cluster in fleet.sims:
        assert second.summary[cluster] == dict(first.summary[cluster], changed="0"), second.output
        assert second.writes[cluster] == []
