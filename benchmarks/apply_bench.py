# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bulk figures of issue 12: ``meshsmith.istio.apply`` against ``kubernetes.core.k8s`` given the same manifests
(N VirtualServices and N/10 Gateways in one multi-document ``src`` file), side by side on one kubesim.

Each figure is one playbook of one task; *above ping* subtracts the wall time of a playbook of one
``ansible.builtin.ping`` task (Ansible's own cost) run just before it (the median of the differences). The module's
peak memory is the largest resident set of the Python process that runs it (``ansible_python_interpreter`` pointed
at a wrapper that reports its child's ``ru_maxrss``); the run's is that of its largest process, controller included
(``ansible-playbook`` started by the same wrapper): the manifests are parsed and checked on the controller, by
apply's action plugin.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path
from typing import Callable

import yaml

ISTIO = "networking.istio.io/v1"
LIST_KINDS = ("gateways", "virtualservices")
MEMORY_LIMIT_MB = 300
PING_TASK = {"name": "ping", "ansible.builtin.ping": {}}
NOOP_SPEEDUP, CREATE_SPEEDUP = 20, 5
# Runs its arguments (after ``program``, if any) and appends the largest resident set of the processes it waited
# for (directly or not) to ``report``, in KB.
WRAPPER = """#!/bin/sh
exec "%(python)s" -c '
import resource, subprocess, sys
code = subprocess.call(sys.argv[1:])
with open("%(report)s", "a") as report:
    report.write("%%d\\n" %% resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code)
' %(program)s "$@"
"""


def manifests(namespace: str, routes: int, gateways: int, skip_routes: int = 0) -> list:
    """``gateways`` Gateways and ``routes`` VirtualServices (the first ``skip_routes`` left out), each route bound to
    one of the Gateways."""
    documents = [{"apiVersion": ISTIO, "kind": "Gateway", "metadata": {"name": "gw-%03d" % index, "namespace": namespace},
                  "spec": {"selector": {"istio": "ingressgateway"},
                           "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"},
                                        "hosts": ["g%d.example.com" % index]}]}}
                 for index in range(gateways)]
    documents += [{"apiVersion": ISTIO, "kind": "VirtualService",
                   "metadata": {"name": "vs-%04d" % index, "namespace": namespace},
                   "spec": {"hosts": ["r%d.example.com" % index],
                            "gateways": ["%s/gw-%03d" % (namespace, index % max(gateways, 1))],
                            "http": [{"route": [{"destination": {"host": "proxy", "port": {"number": 80}}}]}]}}
                  for index in range(skip_routes, routes)]
    return documents


def write_manifests(directory: Path, name: str, documents: list) -> str:
    path = directory / (name + ".yaml")
    path.write_text(yaml.safe_dump_all(documents, sort_keys=False))
    return str(path)


def counts(measured) -> dict:
    """requests, writes, LISTs (collection GETs) and DELETEs of a run."""
    lists = [entry for entry in measured.requests if entry["method"] == "GET" and entry["path"].endswith(LIST_KINDS)]
    return dict(requests=len(measured.requests), writes=len(measured.writes), lists=len(lists),
                deletes=sum(entry["method"] == "DELETE" for entry in measured.requests),
                conflicts=sum(entry.get("status") == 409 for entry in measured.requests))


def paired_runs(runner, runs: int, measure: Callable[[int], object], pings: list) -> tuple:
    """(median seconds, median seconds above ping, the last run) of ``runs`` runs of ``measure(run_index)``, each
    run right after a ``ping`` playbook (appended to ``pings``) that it is compared with, so that the machine's
    drift between figures does not enter the difference."""
    seconds, above = [], []
    for index in range(runs):
        ping = runner.play([PING_TASK]).seconds
        measured = measure(index)
        pings.append(ping)
        seconds.append(measured.seconds)
        above.append(max(measured.seconds - ping, 0.0))
    return statistics.median(seconds), statistics.median(above), measured


def measure_tool(runner, ensure_namespace: Callable, directory: Path, tool: str, task: Callable, runs: int,
                 routes: int, gateways: int, pings: list) -> dict:
    """Create and no-op times (also above ping) and counts of one tool, each run on its own namespace's manifests."""
    sources = []
    for index in range(runs):
        namespace = "bulk-%s-%d" % (tool, index)
        ensure_namespace(runner.sim, namespace)
        sources.append(write_manifests(directory, namespace, manifests(namespace, routes, gateways)))
    figures = {}
    for operation in ("create", "noop"):
        seconds, above, last = paired_runs(
            runner, runs, lambda index, name=operation: runner.play([dict(name=name, **task(sources[index]))]), pings)
        figures.update({operation: seconds, operation + "_above": above, operation + "_counts": counts(last)})
    return figures


def measure(runner, ensure_namespace: Callable, runs: int, routes: int, memory_objects: int, prune_count: int) -> dict:
    """Every figure of the bulk section (see ``section``)."""
    directory = runner.workdir / "apply-bench"
    directory.mkdir(parents=True, exist_ok=True)
    gateways = max(routes // 10, 1)
    tools = {"k8s": lambda src: {"kubernetes.core.k8s": {"src": src}},
             "apply": lambda src: {"meshsmith.istio.apply": {"src": src}}}
    pings: list = []
    figures: dict = {"routes": routes, "gateways": gateways}
    for tool, task in tools.items():
        figures[tool] = measure_tool(runner, ensure_namespace, directory, tool, task, runs, routes, gateways, pings)
    figures["ping"] = statistics.median(pings)

    namespace = "bulk-prune"
    ensure_namespace(runner.sim, namespace)
    full = write_manifests(directory, "prune-full", manifests(namespace, routes, gateways))
    shrunk = write_manifests(directory, "prune-shrunk", manifests(namespace, routes, gateways, skip_routes=prune_count))
    runner.play([{"name": "set", "meshsmith.istio.apply": {"src": full, "apply_set": "bench", "prune": True}}])
    pruned = runner.play([{"name": "prune", "meshsmith.istio.apply": {"src": shrunk, "apply_set": "bench",
                                                                       "prune": True}}])
    figures["prune"] = dict(seconds=pruned.seconds, counts=counts(pruned), expected=prune_count)

    namespace = "bulk-memory"
    ensure_namespace(runner.sim, namespace)
    module_report, run_report = directory / "maxrss-module.txt", directory / "maxrss-run.txt"
    module_wrapper = _wrapper(directory / "python-maxrss", module_report, '"%s"' % sys.executable)
    run_wrapper = _wrapper(directory / "run-maxrss", run_report, "")
    source = write_manifests(directory, namespace, manifests(namespace, memory_objects - memory_objects // 11,
                                                             memory_objects // 11))
    created = runner.play([{"name": "create 5000", "meshsmith.istio.apply": {"src": source},
                            "vars": {"ansible_python_interpreter": str(module_wrapper)}}], prefix=[str(run_wrapper)])
    figures["memory"] = dict(objects=memory_objects, peak_mb=_peak_mb(module_report), run_peak_mb=_peak_mb(run_report),
                             seconds=created.seconds, counts=counts(created))
    return figures


def _wrapper(path: Path, report: Path, program: str) -> Path:
    path.write_text(WRAPPER % dict(python=sys.executable, report=report, program=program))
    path.chmod(0o755)
    return path


def _peak_mb(report: Path) -> float:
    return max(int(line) for line in report.read_text().split()) / 1024


def section(figures: dict, table: Callable, verdict: Callable) -> str:
    """The Markdown section of the bulk figures, each with its ratio and a computed verdict."""
    ping, k8s, ours = figures["ping"], figures["k8s"], figures["apply"]
    rows = []
    for operation, key, target in (("no-op", "noop", NOOP_SPEEDUP), ("create", "create", CREATE_SPEEDUP)):
        theirs_above, ours_above = k8s[key + "_above"], ours[key + "_above"]
        speedup = theirs_above / ours_above if ours_above > 0 else float("inf")
        rows.append((operation, "%.2f" % k8s[key], "%.2f" % theirs_above, "%(requests)d / %(writes)d" % k8s[key + "_counts"],
                     "%.2f" % ours[key], "%.2f" % ours_above, "%(requests)d / %(writes)d" % ours[key + "_counts"],
                     "%.1f×" % speedup, "≥ %d×: %s" % (target, verdict(speedup >= target))))
    noop = ours["noop_counts"]
    prune, memory = figures["prune"], figures["memory"]
    prune_met = prune["counts"]["lists"] == len(LIST_KINDS) and prune["counts"]["deletes"] == prune["expected"] \
        and prune["counts"]["writes"] == prune["expected"]
    lines = [
        "## Bulk: `meshsmith.istio.apply` vs `kubernetes.core.k8s` on the same manifests",
        "",
        "One multi-document `src` file of %d VirtualServices and %d Gateways, one task per playbook, both tools on the"
        % (figures["routes"], figures["gateways"]),
        "same kubesim (each run in a namespace of its own). *above ping* subtracts a one-`ping` playbook run just before",
        "each run (median of the differences; ping's median: %.2f s). *requests / writes* are from kubesim's request"
        % ping,
        "log; the time ratio is k8s's time above ping over apply's.",
        "",
        table(("operation", "k8s s", "k8s above ping", "k8s requests / writes", "apply s", "apply above ping",
               "apply requests / writes", "ratio", "target"), rows),
        "",
        table(("target", "measured", "verdict"), [
            ("no-op: at most one LIST per kind, zero writes",
             "%d LISTs for %d kinds (+ %d discovery GET), %d writes" % (
                 noop["lists"], len(LIST_KINDS), noop["requests"] - noop["lists"], noop["writes"]),
             verdict(noop["lists"] <= len(LIST_KINDS) and noop["writes"] == 0)),
            ("peak memory of the module process, %d objects created: at most %d MB" % (memory["objects"], MEMORY_LIMIT_MB),
             "%.0f MB; largest process of the run, controller included: %.0f MB (run %.1f s, %d requests)" % (
                 memory["peak_mb"], memory["run_peak_mb"], memory["seconds"], memory["counts"]["requests"]),
             verdict(memory["peak_mb"] <= MEMORY_LIMIT_MB)),
            ("prune of %d objects removed from the set: one LIST per kind plus one DELETE each" % prune["expected"],
             "%d LISTs, %d DELETEs, %d writes in all (%.1f s)" % (
                 prune["counts"]["lists"], prune["counts"]["deletes"], prune["counts"]["writes"], prune["seconds"]),
             verdict(prune_met)),
        ]),
        "",
    ]
    return "\n".join(lines)


def replace_section(document: str, text: str) -> str:
    """``document`` with its bulk section replaced by ``text`` (appended when it has none)."""
    heading = text.splitlines()[0]
    if heading not in document:
        return document.rstrip("\n") + "\n\n" + text
    before, rest = document.split(heading, 1)
    following = rest.find("\n## ")
    return before + text + (rest[following + 1:] if following >= 0 else "")
