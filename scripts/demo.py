#!/usr/bin/env python3
"""``make demo``: run playbooks/expose.yml twice and show what it did.

Without KUBECONFIG it starts kubesim (the project's local Kubernetes API server) seeded with the scenario's
starting state (tests/fixtures/seed/: Deployment and public LoadBalancer Service ``proxy``) and installs Istio
from the offline stand-in charts of tests/charts/ (they create the Istio CRDs, an istiod Deployment and the
ingress gateway Deployment and Service, not a working mesh). With KUBECONFIG set it uses that cluster and the
official Istio charts instead. Extra arguments go to ansible-playbook (``make demo DEMO_ARGS="-e app_service=web"``).
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


def istio_crds_dir() -> Path:
    """The official Istio CRDs: $ISTIO_CRDS_DIR, else $ISTIO_SHARED_DIR/crds, else <repo>/../shared/istio/crds."""
    if os.environ.get("ISTIO_CRDS_DIR"):
        return Path(os.environ["ISTIO_CRDS_DIR"])
    return Path(os.environ.get("ISTIO_SHARED_DIR") or REPO_ROOT.parent / "shared" / "istio") / "crds"


def start_kubesim(kubeconfig: Path, request_log: Path, server_log: Path) -> tuple[subprocess.Popen, str]:
    """Start kubesim with the seed loaded and wait for its ready line; return the process and its URL."""
    for stale in (kubeconfig, request_log, server_log):
        stale.unlink(missing_ok=True)
    with server_log.open("w") as log:  # a file, not a pipe: a full pipe would block the server
        process = subprocess.Popen(
            [str(VENV_BIN / "kubesim"), "serve", "--port", "0", "--kubeconfig", str(kubeconfig),
             "--load", str(SEED_DIR), "--request-log", str(request_log)],
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


def show_objects(env: dict[str, str]) -> None:
    """What the cluster holds now, as kubectl shows it."""
    kubectl = str(VENV_BIN / "kubectl")
    for what in (["gateways.networking.istio.io,virtualservices.networking.istio.io", "-A"],
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
    extra_args = sys.argv[1:]
    env = {**os.environ, "ANSIBLE_COLLECTIONS_PATH": str(REPO_ROOT / ".venv" / "collections"),
           "PATH": os.pathsep.join([str(VENV_BIN), os.environ.get("PATH", "")]),
           "HELM_CACHE_HOME": str(DEMO_DIR / "helm-cache"), "HELM_CONFIG_HOME": str(DEMO_DIR / "helm-config"),
           "HELM_DATA_HOME": str(DEMO_DIR / "helm-data"), "TMPDIR": str(DEMO_DIR)}
    kubesim: subprocess.Popen | None = None
    request_log: Path | None = None
    if os.environ.get("KUBECONFIG"):
        say(f"KUBECONFIG is set: running against that real cluster ({os.environ['KUBECONFIG']}) "
            "with the official Istio charts")
        where = f"cluster of {os.environ['KUBECONFIG']}"
    else:
        crds = istio_crds_dir()
        if not crds.is_dir():
            raise SystemExit(f"Istio CRDs not found at {crds}: set ISTIO_SHARED_DIR (or ISTIO_CRDS_DIR)")
        charts = DEMO_DIR / "charts"
        say(f"Staging the offline stand-in Istio charts (tests/charts, CRDs from {crds}) into {charts}")
        subprocess.run([sys.executable, str(STAGE_CHARTS), str(charts), "--crds", str(crds)], check=True)
        kubeconfig, request_log = DEMO_DIR / "kubeconfig", DEMO_DIR / "requests.jsonl"
        say("Starting kubesim with the seed: Deployment proxy and LoadBalancer Service proxy in namespace default")
        kubesim, url = start_kubesim(kubeconfig, request_log, DEMO_DIR / "kubesim.log")
        env["KUBECONFIG"] = str(kubeconfig)
        extra_args = ["-e", f"istio_charts_dir={charts}", *extra_args]
        where = f"kubesim at {url} (stand-in Istio charts: CRDs, istiod and gateway objects, no real mesh)"
    second: PlaybookRun | None = None
    try:
        say("First run: install Istio, create the Gateway and VirtualService, switch the Service to ClusterIP")
        first = run_playbook(env, extra_args, request_log)
        if first.returncode == 0:
            say("Second run: everything is in place, so nothing may change")
            second = run_playbook(env, extra_args, request_log)
            say("Objects in the cluster now")
            show_objects(env)
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
    idempotent = second.returncode == 0 and second.changed == 0
    print("  idempotent: " + ("yes, the second run changed nothing" if idempotent else "NO"))
    return 0 if idempotent else 1

if __name__ == "__main__":
    sys.exit(main())
