#!/usr/bin/env python3
"""``make demo``: run playbooks/expose.yml twice and show what it did.

Without KUBECONFIG it starts kubesim (the project's local Kubernetes API server) seeded with the scenario's
starting state (tests/fixtures/seed/: Deployment and public LoadBalancer Service ``proxy``) and installs Istio
from the offline stand-in charts of tests/charts/ (they create the Istio CRDs, an istiod Deployment and the
ingress gateway Deployment and Service, not a working mesh). With KUBECONFIG set it uses that cluster and the
official Istio charts instead, after showing the context, the server and what will change there and asking
for confirmation (``--yes`` skips the question; without a terminal to ask on, the demo refuses). The Istio CRDs
for the stand-in charts come from scripts/pinned_crds.py. ``--gateway-api`` runs the chain on the Kubernetes
Gateway API (``-e gateway_api=kubernetes``: a Gateway of class istio and an HTTPRoute instead of the Istio Gateway
and VirtualService); kubesim then also loads the Gateway API CRDs (scripts/pinned_crds.py) and emulates Istio's
Gateway API controller. Other arguments go to ansible-playbook (``make demo DEMO_ARGS="-e app_service=web"``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import pinned_crds

REPO_ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = REPO_ROOT / ".venv" / "bin"
DEMO_DIR = REPO_ROOT / ".tmp" / "demo"
PLAYBOOK = "playbooks/expose.yml"
SEED_DIR = REPO_ROOT / "tests" / "fixtures" / "seed"
STAGE_CHARTS = REPO_ROOT / "tests" / "charts" / "stage.py"
READY_PREFIX = "kubesim ready at "
READY_TIMEOUT_SECONDS = 30
RECAP = re.compile(r"ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
ASSUME_YES = "--yes"
GATEWAY_API = "--gateway-api"
DEMO_FLAGS = (ASSUME_YES, GATEWAY_API)
# playbooks/expose.yml's defaults for the variables that name what it changes.
PLAYBOOK_DEFAULTS = {"app_service": "proxy", "app_namespace": "default", "gateway_name": "default-gateway",
                     "gateway_namespace": "istio-system", "istio_namespace": "istio-system", "kubeconfig": "", "kube_context": "",
                     "gateway_api": "istio"}


@dataclass
class PlaybookRun:
    """What one ansible-playbook run did."""

    returncode: int
    changed: int
    requests: int
    writes: int
    last_message: str


def say(message: str) -> None:
    """One line of demo narration."""
    print(f"\n>>> {message}", flush=True)


@dataclass
class DemoArgs:
    """The demo's own flags and the arguments meant for ansible-playbook."""

    assume_yes: bool
    gateway_api: bool
    playbook_args: list[str]


def split_demo_args(argv: list[str]) -> DemoArgs:
    """``--yes`` and ``--gateway-api`` (the demo's own flags); the rest goes to ansible-playbook, with
    ``-e gateway_api=kubernetes`` first under ``--gateway-api``."""
    gateway_api = GATEWAY_API in argv
    rest = [arg for arg in argv if arg not in DEMO_FLAGS]
    return DemoArgs(ASSUME_YES in argv, gateway_api, (["-e", "gateway_api=kubernetes"] if gateway_api else []) + rest)


def playbook_vars(args: list[str]) -> dict[str, str]:
    """The playbook's defaults overridden by the ``-e name=value`` pairs among ansible-playbook's arguments."""
    values = dict(PLAYBOOK_DEFAULTS)
    for flag, value in zip(args, args[1:]):
        if flag in ("-e", "--extra-vars") and not value.startswith(("@", "{")):
            values.update(pair.partition("=")[::2] for pair in value.split() if "=" in pair)
    return values


def planned_changes(values: dict[str, str]) -> list[str]:
    """What playbooks/expose.yml creates or changes on the cluster, for the confirmation question."""
    istio, app = values["istio_namespace"], values["app_namespace"]
    gateway = f"{values['gateway_namespace']}/{values['gateway_name']}"
    routes = ([f"Gateway API Gateway {gateway} (class istio: Istio deploys it as the LoadBalancer Service "
               f"{values['gateway_name']}-istio)", f"Gateway API HTTPRoute {app}/{values['app_service']}"]
              if values["gateway_api"] == "kubernetes" else
              [f"Istio Gateway {gateway}", f"Istio VirtualService {app}/{values['app_service']}"])
    return [
        f"Helm releases istio-base, istiod and istio-ingressgateway in namespace {istio} (created or upgraded: "
        "the official Istio charts, with their CRDs and a LoadBalancer Service)",
        *routes,
        f"Service {app}/{values['app_service']}: switched to ClusterIP (its load balancer address and node ports go)",
    ]


def kubeconfig_target(env: dict[str, str], values: dict[str, str]) -> tuple[str, str]:
    """The context and API server the playbook will use, as kubectl reads the kubeconfig (no request sent)."""
    context = values["kube_context"]
    command = [str(VENV_BIN / "kubectl"), "config", "view", "--minify", "-o", "json"]
    command += ["--kubeconfig", values["kubeconfig"]] if values["kubeconfig"] else []
    result = subprocess.run(command + (["--context", context] if context else []), env=env, capture_output=True,
                            text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"cannot read the kubeconfig of KUBECONFIG={env.get('KUBECONFIG')}: {result.stderr.strip()}")
    config = json.loads(result.stdout)
    clusters = config.get("clusters") or [{}]
    return context or config.get("current-context", ""), clusters[0].get("cluster", {}).get("server", "?")


def confirmation_text(context: str, server: str, changes: list[str]) -> str:
    """What the real-cluster demo tells before asking."""
    lines = [f"This demo changes a real cluster: context {context!r}, API server {server}.", "It will change:"]
    return "\n".join([*lines, *(f"  - {change}" for change in changes)])


def confirmed(assume_yes: bool, stdin: TextIO, stdout: TextIO) -> bool:
    """True when the user agreed: ``--yes``, or ``y`` typed on a terminal; no terminal means no."""
    if assume_yes:
        return True
    if not stdin.isatty():
        print(f"Refusing to change the cluster without confirmation (no terminal to ask on): run "
              f"make demo DEMO_ARGS={ASSUME_YES} (scripts/demo.py {ASSUME_YES}) to go ahead.", file=stdout, flush=True)
        return False
    print("Proceed? [y/N] ", end="", file=stdout, flush=True)
    return stdin.readline().strip().lower() in ("y", "yes")


def start_kubesim(kubeconfig: Path, request_log: Path, server_log: Path,
                  extra_loads: tuple[Path, ...] = ()) -> tuple[subprocess.Popen, str]:
    """Start kubesim with the seed (and ``extra_loads``) loaded and wait for its ready line; return the process
    and its URL."""
    for stale in (kubeconfig, request_log, server_log):
        stale.unlink(missing_ok=True)
    with server_log.open("w") as log:  # a file, not a pipe: a full pipe would block the server
        process = subprocess.Popen(
            [str(VENV_BIN / "kubesim"), "serve", "--port", "0", "--kubeconfig", str(kubeconfig),
             "--load", str(SEED_DIR), *(arg for path in extra_loads for arg in ("--load", str(path))),
             "--request-log", str(request_log)],
            stdout=log, stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        ready = [line for line in server_log.read_text().splitlines() if line.startswith(READY_PREFIX)]
        if ready:
            return process, ready[0][len(READY_PREFIX):].strip()
        time.sleep(0.1)
    process.terminate()
    raise SystemExit(f"kubesim did not get ready within {READY_TIMEOUT_SECONDS}s; its log:\n{server_log.read_text()}")


def logged_requests(request_log: Path) -> list[dict]:
    """kubesim's request log so far (one JSON object per line)."""
    if not request_log.exists():
        return []
    return [json.loads(line) for line in request_log.read_text().splitlines() if line.strip()]


def run_playbook(env: dict[str, str], args: list[str], request_log: Path | None) -> PlaybookRun:
    """Run the playbook, echoing its output, and collect its recap and request counts."""
    before = len(logged_requests(request_log)) if request_log else 0
    command = [str(VENV_BIN / "ansible-playbook"), PLAYBOOK, *args]
    print("$ " + " ".join(command), flush=True)
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    assert process.stdout is not None
    output = []
    for line in process.stdout:
        print(line, end="", flush=True)
        output.append(line)
    returncode = process.wait()
    text = "".join(output)
    recap = RECAP.search(text)
    messages = re.findall(r'"msg": "(.*)"', text.split("PLAY RECAP")[0])
    new_requests = logged_requests(request_log)[before:] if request_log else []
    return PlaybookRun(
        returncode=returncode,
        changed=int(recap.group(2)) if recap else -1,
        requests=len(new_requests),
        writes=sum(1 for request in new_requests if request["method"] in WRITE_METHODS),
        last_message=messages[-1] if messages else "",
    )


def show_objects(env: dict[str, str], gateway_api: bool) -> None:
    """What the cluster holds now, as kubectl shows it."""
    kubectl = str(VENV_BIN / "kubectl")
    routes = ("gateways.gateway.networking.k8s.io,httproutes.gateway.networking.k8s.io" if gateway_api else
              "gateways.networking.istio.io,virtualservices.networking.istio.io")
    for what in ([routes, "-A"],
                 ["service", "proxy", "-n", "default", "-o",
                  "custom-columns=SERVICE:.metadata.name,TYPE:.spec.type,CLUSTER-IP:.spec.clusterIP,"
                  "PORTS:.spec.ports[*].port,NODE-PORTS:.spec.ports[*].nodePort"]):
        subprocess.run([kubectl, "get", *what], env=env, check=False)


def describe(label: str, run: PlaybookRun, counted: bool) -> str:
    """One summary line for a run."""
    traffic = f", {run.requests} API requests, {run.writes} writes" if counted else ""
    status = "ok" if run.returncode == 0 else f"FAILED (rc={run.returncode})"
    return f"{label}: {status}, changed={run.changed}{traffic}"


def main() -> int:
    """Set up the cluster, run the playbook twice, summarise, stop kubesim."""
    DEMO_DIR.mkdir(parents=True, exist_ok=True)
    demo_args = split_demo_args(sys.argv[1:])
    extra_args = demo_args.playbook_args
    env = {**os.environ, "ANSIBLE_COLLECTIONS_PATH": str(REPO_ROOT / ".venv" / "collections"),
           "PATH": os.pathsep.join([str(VENV_BIN), os.environ.get("PATH", "")]),
           "HELM_CACHE_HOME": str(DEMO_DIR / "helm-cache"), "HELM_CONFIG_HOME": str(DEMO_DIR / "helm-config"),
           "HELM_DATA_HOME": str(DEMO_DIR / "helm-data"), "TMPDIR": str(DEMO_DIR)}
    kubesim: subprocess.Popen | None = None
    request_log: Path | None = None
    if os.environ.get("KUBECONFIG"):
        say(f"KUBECONFIG is set: running against that real cluster ({os.environ['KUBECONFIG']}) "
            "with the official Istio charts")
        values = playbook_vars(extra_args)
        context, server = kubeconfig_target(env, values)
        print(confirmation_text(context, server, planned_changes(values)), flush=True)
        if not confirmed(demo_args.assume_yes, sys.stdin, sys.stdout):
            print("Nothing was changed.")
            return 1
        where = f"context {context} ({server}) of {os.environ['KUBECONFIG']}"
    else:
        try:
            crds = pinned_crds.ensure(pinned_crds.ISTIO)
            gateway_api_crds = (pinned_crds.ensure(pinned_crds.GATEWAY_API),) if demo_args.gateway_api else ()
        except pinned_crds.CrdsUnavailable as err:
            raise SystemExit(f"demo: {err}") from err
        charts = DEMO_DIR / "charts"
        say(f"Staging the offline stand-in Istio charts (tests/charts, CRDs from {crds}) into {charts}")
        subprocess.run([sys.executable, str(STAGE_CHARTS), str(charts), "--crds", str(crds)], check=True)
        kubeconfig, request_log = DEMO_DIR / "kubeconfig", DEMO_DIR / "requests.jsonl"
        say("Starting kubesim with the seed: Deployment proxy and LoadBalancer Service proxy in namespace default"
            + (f", and the Gateway API CRDs from {gateway_api_crds[0]}" if gateway_api_crds else ""))
        kubesim, url = start_kubesim(kubeconfig, request_log, DEMO_DIR / "kubesim.log", gateway_api_crds)
        env["KUBECONFIG"] = str(kubeconfig)
        extra_args = ["-e", f"istio_charts_dir={charts}", *extra_args]
        where = f"kubesim at {url} (stand-in Istio charts: CRDs, istiod and gateway objects, no real mesh)"
    second: PlaybookRun | None = None
    try:
        routes = "Gateway API Gateway and HTTPRoute" if demo_args.gateway_api else "Gateway and VirtualService"
        say(f"First run: install Istio, create the {routes}, switch the Service to ClusterIP")
        first = run_playbook(env, extra_args, request_log)
        if first.returncode == 0:
            say("Second run: everything is in place, so nothing may change")
            second = run_playbook(env, extra_args, request_log)
            say("Objects in the cluster now")
            show_objects(env, demo_args.gateway_api)
    finally:
        if kubesim is not None:
            kubesim.terminate()
            kubesim.wait(timeout=10)
    counted = request_log is not None
    say(f"Summary ({where})")
    print(describe("  first run ", first, counted))
    if second is None:
        return 1
    print(describe("  second run", second, counted))
    if first.last_message:
        print(f"  {first.last_message}")
    idempotent = second.returncode == 0 and second.changed == 0 and second.writes == 0
    print("  idempotent: " + ("yes, the second run changed and wrote nothing" if idempotent else "NO"))
    return 0 if idempotent else 1

if __name__ == "__main__":
    sys.exit(main())
