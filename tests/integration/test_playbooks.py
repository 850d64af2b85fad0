"""playbooks/expose.yml and playbooks/teardown.yml end to end on a fresh kubesim, with the stand-in charts.

Each chain gets its own kubesim (Helm keeps its release state in the cluster) holding the seed application
from tests/fixtures/seed; the Istio CRDs arrive through the stand-in `base` chart, as on a real cluster.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest

from kubesim.testing import KubeSim

pytest_plugins = ["kubesim.pytest_plugin"]

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = REPO_ROOT / "tests" / "fixtures" / "seed"
STAGE_CHARTS = REPO_ROOT / "tests" / "charts" / "stage.py"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
RECAP_CHANGED = re.compile(r"^localhost\s*:\s*ok=\d+\s+changed=(\d+)", re.M)
RELEASES = {"istio-base", "istiod", "istio-ingressgateway"}


@dataclass
class Run:
    """One ansible-playbook run: exit code, output, the recap's changed count and the API writes it sent."""

    rc: int
    stdout: str
    changed: int
    writes: list[str]

    @property
    def last_message(self) -> str:
        """The ``msg`` the play's last task printed: the output just above the recap must be ``"msg": "..."``."""
        last_lines = self.stdout.split("PLAY RECAP")[0].rstrip().splitlines()[-2:]
        match = re.fullmatch(r'\s*"msg": "(.*)"', last_lines[0])
        assert match and last_lines[1].strip() == "}", last_lines
        return match.group(1)


@dataclass
class ChainCluster:
    """A fresh kubesim with the seed application, staged charts and the environment to run playbooks."""

    sim: KubeSim
    env: dict[str, str]
    charts: Path

    def run(self, playbook: str, *options: str) -> Run:
        """Run ``playbook``; each option is an extra var (``name=value`` or JSON) or, when it starts with ``--``, a
        flag."""
        self.sim.reset_requests()
        args = [str(Path(sys.executable).parent / "ansible-playbook"), playbook]
        for option in options:
            args += [option] if option.startswith("--") else ["-e", option]
        proc = subprocess.run(args, env=self.env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, check=False)
        recap = RECAP_CHANGED.search(proc.stdout)
        writes = [f"{r['method']} {r['path']}" + (f"?{r['query']}" if r.get("query") else "")
                  for r in self.sim.requests() if r["method"] in WRITE_METHODS]
        return Run(proc.returncode, proc.stdout + proc.stderr, int(recap.group(1)) if recap else -1, writes)

    def get(self, path: str) -> dict | None:
        status, body = self.sim.api("GET", path)
        return body if status == 200 else None


class Chain(dict):
    """What each step of a chain of playbook runs left, by step name, in order. The chain runs a step only while every
    step before it went as expected, so a failure shows once, in its own step's test; ``step(name)`` fails a later
    step's test naming the step that broke the chain, instead of asserting on a cluster in an unexpected state."""

    broken_at = ""

    def add(self, name: str, outcome: Any, as_expected: bool) -> None:
        """Record step ``name``; a step that did not go ``as_expected`` breaks the chain."""
        self[name] = outcome
        self.broken_at = self.broken_at or ("" if as_expected else name)

    def runs(self) -> bool:
        """True while no step went wrong."""
        return not self.broken_at

    def step(self, name: str) -> Any:
        """What step ``name`` left."""
        if name not in self:
            pytest.fail(f"step {name!r} did not run: the chain broke at step {self.broken_at!r} (see that step's test)")
        return self[name]


def playbook_env(sim: KubeSim, tmp: Path) -> dict[str, str]:
    """Environment for ansible-playbook/helm against ``sim`` only: own caches, no inherited cluster credentials."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("K8S_AUTH_")}
    bin_dir = str(Path(sys.executable).parent)
    env.update(
        KUBECONFIG=str(sim.kubeconfig),
        TMPDIR=str(tmp),
        HELM_CACHE_HOME=str(tmp / "helm-cache"),
        HELM_CONFIG_HOME=str(tmp / "helm-config"),
        HELM_DATA_HOME=str(tmp / "helm-data"),
        ANSIBLE_COLLECTIONS_PATH=str(REPO_ROOT / ".venv" / "collections"),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_LOCAL_TEMP=str(tmp / "ansible-local"),
        PATH=bin_dir + os.pathsep + env.get("PATH", ""),
    )
    return env


def stage_charts(dest: Path, crds_dir: Path) -> Path:
    subprocess.run([sys.executable, str(STAGE_CHARTS), str(dest), "--crds", str(crds_dir)], check=True,
                   capture_output=True)
    return dest


@contextmanager
def fresh_chain_cluster(tmp: Path, istio_crds_dir: Path) -> Iterator[ChainCluster]:
    """A kubesim holding only the seed application (no Istio CRDs), with the stand-in charts staged."""
    charts = stage_charts(tmp / "charts", istio_crds_dir)
    with KubeSim(tmp / "kubesim", load=[SEED_DIR]) as sim:
        yield ChainCluster(sim, playbook_env(sim, tmp), charts)


@pytest.fixture(scope="module")
def chain_cluster(tmp_path_factory: pytest.TempPathFactory, istio_crds_dir: Path) -> Iterator[ChainCluster]:
    with fresh_chain_cluster(tmp_path_factory.mktemp("chain"), istio_crds_dir) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def checked_fresh(chain_cluster: ChainCluster) -> Run:
    """expose.yml --check --diff on the fresh cluster, before anything is installed (writes only as dry runs)."""
    return chain_cluster.run("playbooks/expose.yml", f"istio_charts_dir={chain_cluster.charts}", "--check", "--diff")


@pytest.fixture(scope="module")
def chain(chain_cluster: ChainCluster, checked_fresh: Run) -> Chain:
    """expose.yml run twice on the fresh cluster (after the check-mode run), steps "expose" and "expose again"; the
    teardown test adds its steps."""
    charts = f"istio_charts_dir={chain_cluster.charts}"
    chain = Chain()
    for step in ("expose", "expose again"):
        if chain.runs():
            run = chain_cluster.run("playbooks/expose.yml", charts)
            chain.add(step, run, run.rc == 0)
    return chain


@pytest.fixture(scope="module")
def exposed(chain: Chain) -> tuple[Run, Run]:
    """The two expose.yml runs; a test needing both fails naming the step that broke the chain."""
    return chain.step("expose"), chain.step("expose again")


def helm_releases(chain_cluster: ChainCluster) -> set[str]:
    secrets = chain_cluster.get("/api/v1/namespaces/istio-system/secrets?labelSelector=owner%3Dhelm") or {"items": []}
    return {s["metadata"]["labels"]["name"] for s in secrets["items"]}


def test_expose_first_run_builds_the_chain_and_prints_the_url(chain_cluster: ChainCluster, chain: Chain) -> None:
    first = chain.step("expose")
    assert first.rc == 0, first.stdout
    assert first.changed > 0
    assert "STAND-IN CHARTS" in first.stdout
    assert helm_releases(chain_cluster) == RELEASES

    gateway_service = chain_cluster.get("/api/v1/namespaces/istio-system/services/istio-ingressgateway")
    assert gateway_service["metadata"]["labels"]["istio"] == "ingressgateway"
    address = gateway_service["status"]["loadBalancer"]["ingress"][0]["hostname"]
    assert first.last_message == f"default/proxy is now served at http://{address}/"
    assert (f'"http://{address}/ → Gateway istio-system/default-gateway → VirtualService default/proxy http[0] → '
            f'Service default/proxy:80"') in first.stdout


def test_expose_check_mode_on_a_cluster_without_istio_writes_nothing_and_says_what_it_skips(
        checked_fresh: Run) -> None:
    assert checked_fresh.rc == 0, checked_fresh.stdout
    # only dry runs: the Istio types are not served yet (a warning says so), the Service switch is judged by the server
    assert checked_fresh.writes == ["POST /apis/networking.istio.io/v1/namespaces/istio-system/gateways?dryRun=All",
                                    "POST /apis/networking.istio.io/v1/namespaces/default/virtualservices?dryRun=All",
                                    "PUT /api/v1/namespaces/default/services/proxy?dryRun=All"]
    assert "the server does not serve gateways (networking.istio.io/v1), so the server could not dry-run" in (
        " ".join(checked_fresh.stdout.split()))
    assert checked_fresh.changed > 0
    assert "Check mode: route check and ingress address skipped" in checked_fresh.stdout
    assert checked_fresh.last_message == "default/proxy would be served through Gateway istio-system/default-gateway"
    # the switch the real run makes once its route check passes, as a diff
    assert re.search(r'^-\s+"type": "LoadBalancer"\n\+\s+"type": "ClusterIP"$', checked_fresh.stdout, re.M)


def test_expose_stops_at_the_route_check_before_the_switch(tmp_path: Path, istio_crds_dir: Path) -> None:
    with fresh_chain_cluster(tmp_path, istio_crds_dir) as cluster:
        run = cluster.run("playbooks/expose.yml", f"istio_charts_dir={cluster.charts}",
                          '{"virtual_service_gateways": ["default-gateway"]}')
        service = cluster.get("/api/v1/namespaces/default/services/proxy")
    assert run.rc != 0
    failed_task = run.stdout.rsplit("TASK [", 1)[1]
    assert failed_task.startswith("Check that each exposed host reaches the application through the ingress gateway")
    # ansible-core 2.16 prints the message JSON-escaped, 2.19 as it is
    assert re.search(r'\[IST0101\] VirtualService default/proxy gateways\[0\]: Referenced gateway not found: \\?"default-gateway',
                     failed_task)
    assert service["spec"]["type"] == "LoadBalancer"
    assert all(port.get("nodePort") for port in service["spec"]["ports"])
    assert not any(write.startswith(("PUT /api/v1/namespaces/default/", "PATCH /api/v1/namespaces/default/"))
                   for write in run.writes)


def test_expose_leaves_gateway_route_and_cluster_ip_service(chain_cluster: ChainCluster, exposed: tuple[Run, Run]) -> None:
    gateway = chain_cluster.get("/apis/networking.istio.io/v1/namespaces/istio-system/gateways/default-gateway")
    assert gateway["spec"]["selector"] == {"istio": "ingressgateway"}
    assert gateway["spec"]["servers"][0]["port"]["number"] == 80
    virtual_service = chain_cluster.get("/apis/networking.istio.io/v1/namespaces/default/virtualservices/proxy")
    assert virtual_service["spec"]["gateways"] == ["istio-system/default-gateway"]
    assert virtual_service["spec"]["http"][0]["route"][0]["destination"]["host"] == "proxy"

    service = chain_cluster.get("/api/v1/namespaces/default/services/proxy")
    assert service["spec"]["type"] == "ClusterIP"
    assert all("nodePort" not in port for port in service["spec"]["ports"])
    for field in ("externalTrafficPolicy", "loadBalancerSourceRanges", "healthCheckNodePort"):
        assert field not in service["spec"]
    assert not service["status"].get("loadBalancer", {}).get("ingress")


def test_expose_second_run_changes_and_writes_nothing(exposed: tuple[Run, Run]) -> None:
    first, second = exposed
    assert second.rc == 0, second.stdout
    assert (second.changed, second.writes) == (0, [])
    assert second.last_message == first.last_message


def test_teardown_restores_the_load_balancer_and_uninstalls_istio(chain_cluster: ChainCluster, chain: Chain) -> None:
    chain.step("expose")  # teardown starts from the exposed cluster
    first = chain_cluster.run("playbooks/teardown.yml", "istio_uninstall=true")
    assert first.rc == 0, first.stdout
    assert first.changed > 0

    service = chain_cluster.get("/api/v1/namespaces/default/services/proxy")
    assert service["spec"]["type"] == "LoadBalancer"
    assert service["status"]["loadBalancer"]["ingress"], "teardown waits for the load balancer address"
    # the seed's settings, kept in an annotation while the Service was ClusterIP
    assert (service["spec"]["externalTrafficPolicy"], service["spec"]["loadBalancerSourceRanges"]) == (
        "Local", ["203.0.113.0/24"])
    assert "meshsmith.istio/restore-load-balancer" not in service["metadata"].get("annotations", {})
    assert chain_cluster.get("/apis/networking.istio.io/v1/namespaces/default/virtualservices/proxy") is None
    assert chain_cluster.get("/apis/networking.istio.io/v1/namespaces/istio-system/gateways/default-gateway") is None
    assert helm_releases(chain_cluster) == set()

    second = chain_cluster.run("playbooks/teardown.yml", "istio_uninstall=true")
    assert second.rc == 0, second.stdout
    assert (second.changed, second.writes) == (0, [])
