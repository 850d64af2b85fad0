# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmarks: meshsmith.istio against kubernetes.core.k8s on one kubesim; writes docs/benchmarks.md.

Usage: .venv/bin/python benchmarks/run.py [--runs 3] [--sizes 10,100,500] [--role-sizes 10,100]
                                         [--output docs/benchmarks.md] [--quick] [--only apply]

Every figure comes from real ``ansible-playbook`` runs and kubesim's request log:
- per task: requests and writes for create, no-op, update, no-op in check mode and delete, and the wall time
  per task (median over ``--runs`` runs of a playbook of 20 such tasks), next to ``ansible.builtin.ping``;
- scaling: converging N VirtualServices with one looped task and through the ``ingress_gateway`` role,
  then converging again (which must write nothing);
- the ``playbooks/expose.yml`` chain on a fresh kubesim with the stand-in charts, first run and re-run,
  with Helm's requests counted apart (by User-Agent);
- bulk: ``meshsmith.istio.apply`` against ``kubernetes.core.k8s`` on the same manifests (``apply_bench.py``);
  ``--only apply`` runs just that and replaces its section in ``--output``.
It prints figures; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import yaml

from kubesim.testing import KubeSim

import apply_bench

REPO_ROOT = Path(__file__).resolve().parents[1]
BIN_DIR = Path(sys.executable).parent
COLLECTIONS_PATH = REPO_ROOT / ".venv" / "collections"
SEED_DIR = REPO_ROOT / "tests" / "fixtures" / "seed"
WRITE_METHODS = frozenset(("POST", "PUT", "PATCH", "DELETE"))
TASKS_PER_PLAYBOOK = 20
NAMESPACE = "bench"
OPERATIONS = ("create", "no-op", "update", "no-op (check mode)", "delete")
TOOLS = ("meshsmith.istio.gateway", "kubernetes.core.k8s")
ISTIO_API_VERSION = "networking.istio.io/v1"
GATEWAY_SPEC = {
    "selector": {"istio": "ingressgateway"},
    "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}],
}
UPDATED_LABELS = {"bench": "updated"}
# Bounds Helm's --wait in the chain, so that a cluster that never gets ready fails the chain within minutes.
CHAIN_WAIT_TIMEOUT = "90s"


def _load_stage_module():
    """tests/charts/stage.py: where the Istio CRDs are, and how to stage the stand-in charts."""
    spec = importlib.util.spec_from_file_location("stage_charts", REPO_ROOT / "tests" / "charts" / "stage.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


STAGE = _load_stage_module()


# ---- running playbooks -----------------------------------------------------------------------------------
@dataclass
class Measured:
    """One playbook run: wall seconds and the API requests it sent (kubesim's log)."""

    seconds: float
    requests: list

    @property
    def writes(self) -> list:
        return [entry for entry in self.requests if entry["method"] in WRITE_METHODS]

    def by_agent(self, prefix: str) -> Measured:
        """The requests whose User-Agent starts with ``prefix`` (same wall time)."""
        return Measured(self.seconds, [entry for entry in self.requests if _user_agent(entry).startswith(prefix)])


def _user_agent(entry: dict) -> str:
    return next((value for key, value in (entry.get("headers") or {}).items() if key.lower() == "user-agent"), "")


class Runner:
    """Runs playbooks on localhost against one kubesim, measuring time and requests."""

    def __init__(self, sim: KubeSim, workdir: Path) -> None:
        self.sim = sim
        self.workdir = workdir
        self.counter = 0
        tmp = workdir / "tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        self.inventory = workdir / "inventory.ini"
        self.inventory.write_text("localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable)
        self.env = {key: value for key, value in os.environ.items() if not key.startswith("K8S_AUTH_")}
        self.env.update(
            KUBECONFIG=str(sim.kubeconfig), TMPDIR=str(tmp), ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS_PATH),
            ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_NOCOLOR="1", ANSIBLE_RETRY_FILES_ENABLED="false",
            ANSIBLE_LOCAL_TEMP=str(workdir / "ansible-local"), HELM_CACHE_HOME=str(tmp / "helm-cache"),
            HELM_CONFIG_HOME=str(tmp / "helm-config"), HELM_DATA_HOME=str(tmp / "helm-data"),
            PATH=str(BIN_DIR) + os.pathsep + os.environ.get("PATH", ""),
        )

    def play(self, tasks: list, roles: Iterable[dict] = (), prefix: Sequence[str] = ()) -> Measured:
        """Run one play of ``tasks`` (after ``roles``); ``prefix``: a command that runs ``ansible-playbook``."""
        self.counter += 1
        playbook = self.workdir / ("play-%d.yml" % self.counter)
        play = {"hosts": "localhost", "gather_facts": False, "roles": list(roles), "tasks": tasks}
        playbook.write_text(yaml.safe_dump([play], sort_keys=False))
        return self.playbook(str(playbook), prefix=prefix)

    def playbook(self, playbook: str, *extra_vars: str, prefix: Sequence[str] = ()) -> Measured:
        """Run a playbook file; fails loudly when the playbook fails."""
        command = [*prefix, str(BIN_DIR / "ansible-playbook"), "-i", str(self.inventory), playbook]
        for extra in extra_vars:
            command += ["-e", extra]
        self.sim.reset_requests()
        started = time.monotonic()
        done = subprocess.run(command, env=self.env, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
        seconds = time.monotonic() - started
        if done.returncode != 0:
            raise RuntimeError("%s failed (rc=%d)\n%s\n%s" % (playbook, done.returncode, done.stdout[-4000:], done.stderr[-2000:]))
        return Measured(seconds, self.sim.requests())


def ensure_namespace(sim: KubeSim, name: str) -> None:
    sim.api("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})


# ---- per-task comparison ---------------------------------------------------------------------------------
def gateway_task(tool: str, name: str, operation: str) -> dict:
    """One task doing ``operation`` on Gateway ``bench/name`` with ``tool``; same definition for both tools."""
    labels = UPDATED_LABELS if operation in ("update", "no-op (check mode)") else None
    state = "absent" if operation == "delete" else "present"
    options: dict[str, Any]
    if tool == "meshsmith.istio.gateway":
        options = {"name": name, "namespace": NAMESPACE, "state": state}
        if state == "present":
            options.update(GATEWAY_SPEC, **({"labels": labels} if labels else {}))
    else:
        metadata = {"name": name, "namespace": NAMESPACE, **({"labels": labels} if labels else {})}
        definition: dict[str, Any] = {"apiVersion": ISTIO_API_VERSION, "kind": "Gateway", "metadata": metadata}
        if state == "present":
            definition["spec"] = GATEWAY_SPEC
        options = {"definition": definition, "state": state}
    task: dict[str, Any] = {"name": "%s %s" % (operation, name), tool: options}
    if operation == "no-op (check mode)":
        task["check_mode"] = True
    return task


def per_task_comparison(runner: Runner, runs: int) -> dict:
    """{tool: {operation: [Measured per run]}} plus ``ping`` runs and k8s's cold-cache create."""
    ensure_namespace(runner.sim, NAMESPACE)
    cold = runner.play([gateway_task("kubernetes.core.k8s", "cold-cache", "create")])
    names = ["gw-%02d" % index for index in range(TASKS_PER_PLAYBOOK)]
    results: dict = {tool: {operation: [] for operation in OPERATIONS} for tool in TOOLS}
    results["ansible.builtin.ping"] = []
    for run in range(runs):
        print("  run %d/%d" % (run + 1, runs), flush=True)
        results["ansible.builtin.ping"].append(runner.play([{"ansible.builtin.ping": {}}] * TASKS_PER_PLAYBOOK))
        # Alternate which tool goes first, so that a drift in the machine's load favours neither.
        for tool in TOOLS if run % 2 == 0 else TOOLS[::-1]:
            for operation in OPERATIONS:
                results[tool][operation].append(runner.play([gateway_task(tool, name, operation) for name in names]))
    results["cold"] = cold
    return results


def median_seconds_per_task(measurements: list) -> float:
    return statistics.median(m.seconds for m in measurements) / TASKS_PER_PLAYBOOK


def per_task_counts(measurements: list) -> tuple:
    """(requests, writes) per task, from the last run (every run sends the same)."""
    last = measurements[-1]
    return len(last.requests) / TASKS_PER_PLAYBOOK, len(last.writes) / TASKS_PER_PLAYBOOK


# ---- scaling ---------------------------------------------------------------------------------------------
def virtual_service(name: str, namespace: str) -> dict:
    return {"name": name, "namespace": namespace, "hosts": ["%s.example.com" % name],
            "gateways": ["istio-system/default-gateway"],
            "http": [{"route": [{"destination": {"host": "proxy", "port": {"number": 80}}}]}]}


def loop_play(size: int, namespace: str) -> Callable[[Runner], Measured]:
    options = dict(virtual_service("{{ item }}", namespace))
    task = {"name": "Converge %d VirtualServices" % size, "meshsmith.istio.virtual_service": options,
            "loop": ["vs-%04d" % index for index in range(size)]}
    return lambda runner: runner.play([task])


def role_play(size: int, namespace: str) -> Callable[[Runner], Measured]:
    role = {"role": "meshsmith.istio.ingress_gateway", "ingress_gateway_gateways": [],
            "ingress_gateway_virtual_services": [virtual_service("vs-%04d" % index, namespace) for index in range(size)]}
    return lambda runner: runner.play([], roles=[role])


def scaling(runner: Runner, sizes: list, role_sizes: list) -> list:
    """Rows (way, size, first run, second run)."""
    rows = []
    for way, sizes_of_way, make_play in (("loop", sizes, loop_play), ("role", role_sizes, role_play)):
        for size in sizes_of_way:
            namespace = "scale-%s-%d" % (way, size)
            ensure_namespace(runner.sim, namespace)
            play = make_play(size, namespace)
            print("  %s %d: first run" % (way, size), flush=True)
            first = play(runner)
            print("  %s %d: second run" % (way, size), flush=True)
            second = play(runner)
            rows.append((way, size, first, second))
    return rows


# ---- the expose chain ------------------------------------------------------------------------------------
def expose_chain(workdir: Path, crds_dir: Path) -> tuple | str:
    """(first, second) runs of playbooks/expose.yml on a fresh kubesim holding the seed application,
    or the error text when a run failed (reported in place of the figures)."""
    charts = STAGE.stage_charts(workdir / "charts", crds_dir)
    with KubeSim(workdir / "kubesim", load=[SEED_DIR]) as sim:
        runner = Runner(sim, workdir)
        chain_vars = ("istio_charts_dir=%s" % charts, "istio_install_wait_timeout=%s" % CHAIN_WAIT_TIMEOUT)
        try:
            return tuple(runner.playbook("playbooks/expose.yml", *chain_vars) for _ in range(2))
        except RuntimeError as err:
            return str(err)


# ---- the report ------------------------------------------------------------------------------------------
def _command_output(command: list) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "not found"


def machine() -> list:
    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8") if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    meminfo = Path("/proc/meminfo").read_text(encoding="utf-8") if Path("/proc/meminfo").exists() else ""
    memory = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.M)
    return [
        ("CPUs (nproc)", str(os.cpu_count())),
        ("CPU model", model.group(1) if model else platform.processor() or "unknown"),
        ("Memory", "%.1f GiB" % (int(memory.group(1)) / 1024 / 1024) if memory else "unknown"),
        ("Load average at start (1, 5, 15 min)", ", ".join("%.2f" % value for value in os.getloadavg())),
        ("OS", platform.platform()),
    ]


def versions() -> list:
    manifest = COLLECTIONS_PATH / "ansible_collections" / "kubernetes" / "core" / "MANIFEST.json"
    kubernetes_core = json.loads(manifest.read_text(encoding="utf-8"))["collection_info"]["version"] if manifest.exists() else "absent"
    galaxy = yaml.safe_load((REPO_ROOT / "galaxy.yml").read_text(encoding="utf-8"))
    ansible_core = _command_output([str(BIN_DIR / "ansible"), "--version"]).splitlines()[0]
    return [
        ("Python", platform.python_version()),
        ("ansible-core", ansible_core),
        ("meshsmith.istio", galaxy["version"]),
        ("kubernetes.core", kubernetes_core),
        ("helm", _command_output([str(BIN_DIR / "helm"), "version", "--short"])),
        ("kubesim", _command_output([sys.executable, "-c", "import importlib.metadata as m; print(m.version('kubesim'))"])),
    ]


def table(header: tuple, rows: list) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def verdict(met: bool) -> str:
    return "**met**" if met else "**not met**"


def ratio(ours: float, theirs: float) -> str:
    """ours/theirs, both above ping; a figure at or below ping is within the measurement's noise."""
    if ours <= 0:
        return "ours ≤ ping"
    return "%.2f" % (ours / theirs) if theirs > 0 else "theirs ≤ ping"


def report(per_task: dict, scaled: list, chain: tuple | str, runs: int, elapsed: float, crds_dir: Path,
           command: str) -> str:
    ping = median_seconds_per_task(per_task["ansible.builtin.ping"])
    rows, above_ping = [], {}
    for operation in OPERATIONS:
        row = [operation]
        for tool in TOOLS:
            requests, writes = per_task_counts(per_task[tool][operation])
            seconds = median_seconds_per_task(per_task[tool][operation])
            above_ping[tool, operation] = seconds - ping
            row += ["%g" % requests, "%g" % writes, "%.3f" % seconds, "%+.3f" % (seconds - ping)]
        rows.append(row)
    ours, theirs = TOOLS
    noop_requests, noop_writes = per_task_counts(per_task[ours]["no-op"])
    create_requests, _ = per_task_counts(per_task[ours]["create"])
    time_rows = [(operation, "%.3f" % above_ping[ours, operation], "%.3f" % above_ping[theirs, operation],
                  ratio(above_ping[ours, operation], above_ping[theirs, operation]),
                  verdict(above_ping[ours, operation] <= above_ping[theirs, operation] / 2))
                 for operation in OPERATIONS]
    time_met = all(above_ping[ours, op] <= above_ping[theirs, op] / 2 for op in OPERATIONS)

    scale_rows, flat_checks = [], []
    for way, size, first, second in scaled:
        scale_rows.append((way, size, "%.1f" % first.seconds, "%.3f" % (first.seconds / size),
                           "%.2f" % (len(first.requests) / size), len(first.writes),
                           "%.1f" % second.seconds, "%.3f" % (second.seconds / size),
                           "%.2f" % (len(second.requests) / size), len(second.writes)))
    for way in ("loop", "role"):
        rows_of_way = [(size, first, second) for w, size, first, second in scaled if w == way]
        if len(rows_of_way) >= 2:
            per_object = [first.seconds / size for size, first, _ in rows_of_way]
            requests = {len(first.requests) / size for size, first, _ in rows_of_way}
            flat_checks.append((way, max(per_object) / min(per_object), len(requests) == 1,
                                all(not second.writes for _, _, second in rows_of_way)))

    chain_rows = []
    for label, run in zip(("first run", "re-run"), chain if isinstance(chain, tuple) else ()):
        helm = run.by_agent("Helm/")
        ours_part = run.by_agent("meshsmith.istio")
        chain_rows.append((label, "%.1f" % run.seconds, len(run.requests), len(run.writes),
                           len(helm.requests), len(helm.writes), len(ours_part.requests), len(ours_part.writes),
                           len(run.requests) - len(helm.requests) - len(ours_part.requests)))

    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`.venv/bin/python benchmarks/run.py`); do not edit by hand. All figures come from real",
        "`ansible-playbook` runs against one kubesim (`tools/kubesim`) and its request log. Wall times depend on the",
        "machine and on its load (below); request and write counts do not.",
        "",
        "## Machine and versions",
        "",
        table(("", ""), machine() + versions()),
        "",
        "Run: `%s`: %d timed runs per figure, %d tasks per playbook, Istio CRDs from `%s`; whole benchmark %.0f s." % (
            command, runs, TASKS_PER_PLAYBOOK, crds_dir, elapsed),
        "",
        "## Per task: `meshsmith.istio.gateway` vs `kubernetes.core.k8s`",
        "",
        "The same Gateway (`bench/gw-NN`, selector `istio: ingressgateway`, HTTP port 80, hosts `*`) with both modules.",
        "*requests* and *writes* (POST/PUT/PATCH/DELETE) are per task from kubesim's request log; *s/task* is the median",
        "wall time of a playbook of %d such tasks divided by %d; *above ping* subtracts `ansible.builtin.ping`'s" % (
            TASKS_PER_PLAYBOOK, TASKS_PER_PLAYBOOK),
        "%.3f s/task (the cost of any Ansible task). *update* adds the label `bench: updated`; *no-op (check mode)* re-applies" % ping,
        "the updated definition with `check_mode: true`.",
        "",
        table(("operation", "gateway requests", "gateway writes", "gateway s/task", "gateway above ping",
               "k8s requests", "k8s writes", "k8s s/task", "k8s above ping"), rows),
        "",
        "`kubernetes.core.k8s` with a cold discovery cache (first task of a session, fresh `TMPDIR`): "
        "%d requests (%s)." % (len(per_task["cold"].requests), ", ".join(
            "%s %s" % (entry["method"], entry["path"]) for entry in per_task["cold"].requests)),
        "The meshsmith modules do no discovery: every task costs the same.",
        "",
        "### Targets",
        "",
        table(("target", "measured", "verdict"), [
            ("no-op: 1 request, 0 writes", "%g requests, %g writes" % (noop_requests, noop_writes),
             verdict(noop_requests == 1 and noop_writes == 0)),
            ("create: 2 requests", "%g requests" % create_requests, verdict(create_requests == 2)),
            ("time above ping at most half of kubernetes.core.k8s's", "see below", verdict(time_met)),
        ]),
        "",
        table(("operation", "gateway s above ping", "k8s s above ping", "ratio", "at most half"), time_rows),
        "",
        "## Scaling: converging N VirtualServices",
        "",
        "`meshsmith.istio.virtual_service` with one looped task (*loop*) and through the `meshsmith.istio.ingress_gateway`",
        "role (*role*, its list of VirtualServices), each VirtualService bound to `istio-system/default-gateway` and routing",
        "to `proxy`. The first run creates them, the second must write nothing.",
        "",
        table(("way", "N", "1st run s", "s/object", "requests/object", "writes", "2nd run s", "s/object",
               "requests/object", "writes"), scale_rows),
        "",
    ]
    for way, spread, same_requests, no_writes in flat_checks:
        lines.append("- %s: time per object varies by a factor of %.2f across sizes (flat: %s); requests per object %s; "
                     "second runs write nothing: %s." % (
                         way, spread, verdict(spread <= 1.5), "identical at every size" if same_requests else "vary",
                         verdict(no_writes)))
    lines += [
        "",
        "## The whole chain: `playbooks/expose.yml`",
        "",
        "A fresh kubesim holding the seed application (`tests/fixtures/seed`), the stand-in charts staged by",
        "`tests/charts/stage.py` (not Istio: see `tests/charts/README.md`). Requests are split by User-Agent: `Helm/...`",
        "(the `istio_install` role through `kubernetes.core.helm`), `meshsmith.istio` (the collection's modules) and",
        "*other*.",
        "",
        table(("run", "seconds", "requests", "writes", "helm requests", "helm writes", "meshsmith requests",
               "meshsmith writes", "other requests"), chain_rows),
        "",
        "Idempotent re-run writes nothing: %s." % verdict(not chain[1].writes) if isinstance(chain, tuple)
        else "**The chain failed; no figures.** Last output:\n\n```text\n%s\n```" % chain[-3000:],
        "",
    ]
    return "\n".join(lines)


def parse_sizes(text: str) -> list:
    return [int(value) for value in text.split(",") if value.strip()]


def progress(started: float, text: str) -> None:
    print("[%5.0f s] %s" % (time.monotonic() - started, text), flush=True)


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per per-task figure (median taken)")
    parser.add_argument("--sizes", type=parse_sizes, default=[10, 100, 500], help="VirtualService counts, looped task")
    parser.add_argument("--role-sizes", type=parse_sizes, default=[10, 100], help="VirtualService counts, role")
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--quick", action="store_true", help="one run, 10 and 100 objects, role at 10 (a smoke run)")
    parser.add_argument("--only", choices=["apply"], help="run only this section and replace it in --output")
    parser.add_argument("--apply-routes", type=int, default=500, help="VirtualServices of the bulk manifests")
    parser.add_argument("--apply-memory-objects", type=int, default=5000, help="objects of the bulk memory figure")
    parser.add_argument("--apply-prune", type=int, default=100, help="objects the bulk prune figure removes")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.sizes, args.role_sizes = 1, [10, 100], [10]
    try:
        crds_dir = STAGE.default_crds_dir()
    except FileNotFoundError as err:
        print("benchmarks: %s" % err, file=sys.stderr)
        return 1
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="meshsmith-bench-") as scratch:
        workdir = Path(scratch)
        with KubeSim(workdir / "kubesim", load=[crds_dir]) as sim:
            runner = Runner(sim, workdir / "main")
            progress(started, "bulk apply")
            bulk = apply_bench.section(apply_bench.measure(
                runner, ensure_namespace, args.runs, args.apply_routes, args.apply_memory_objects, args.apply_prune),
                table, verdict)
            if args.only == "apply":
                existing = args.output.read_text(encoding="utf-8") if args.output.exists() else "# Benchmarks\n"
                args.output.write_text(apply_bench.replace_section(existing, bulk), encoding="utf-8")
                print(bulk)
                print("section replaced in %s" % args.output)
                return 0
            progress(started, "per-task comparison")
            per_task = per_task_comparison(runner, args.runs)
            progress(started, "scaling")
            scaled = scaling(runner, args.sizes, args.role_sizes)
        progress(started, "expose chain")
        chain = expose_chain(workdir / "chain", crds_dir)
    progress(started, "done")
    command = " ".join(["benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])])
    text = report(per_task, scaled, chain, args.runs, time.monotonic() - started, crds_dir, command) + "\n" + bulk
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    print("written to %s" % args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
