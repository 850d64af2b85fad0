# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reliability under kubesim's fault injection: conflicts, concurrent writers, retriable and final errors,
unreachable/hung/dropping servers, auth and validation errors. Each test asserts the objects left behind.

Faults are scoped to this module's namespaces (``rel-*``) and cleared after every test.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.module_logic  # not run on the oldest ansible-core (README, Tests)

ISTIO = "/apis/networking.istio.io/v1/namespaces/%s"
SERVER = {"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}
GATEWAY_SPEC = {"selector": {"istio": "ingressgateway"}, "servers": [SERVER]}
ROUTE = [{"route": [{"destination": {"host": "proxy", "port": {"number": 80}}}]}]


def gateway_path(namespace: str, name: str = "") -> str:
    return ISTIO % namespace + "/gateways" + ("/" + name if name else "")


def vs_path(namespace: str, name: str = "") -> str:
    return ISTIO % namespace + "/virtualservices" + ("/" + name if name else "")


def gateway_task(label: str, namespace: str, name: str = "gw", **options) -> dict:
    return {"name": label, "meshsmith.istio.gateway": {"name": name, "namespace": namespace, **GATEWAY_SPEC, **options},
            "ignore_errors": True}


def seed(cluster, path: str, body: dict) -> dict:
    """Create (or replace) an object directly, bypassing the collection."""
    cluster.api("DELETE", path + "/" + body["metadata"]["name"])
    status, stored = cluster.api("POST", path, body)
    assert status == 201, stored
    return stored


def seed_virtual_service(cluster, namespace: str, name: str = "vs", hosts: tuple = ("a.example.com",)) -> dict:
    cluster.ensure_namespace(namespace)
    return seed(cluster, vs_path(namespace), {
        "apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"hosts": list(hosts), "gateways": ["istio-system/default-gateway"], "http": ROUTE}})


def statuses(task, method: str) -> list:
    return [entry["status"] for entry in task.requests if entry["method"] == method]


@pytest.fixture(autouse=True)
def no_faults_left(cluster):
    if not cluster.is_kubesim:
        pytest.skip("fault injection needs kubesim")
    cluster.kubesim.clear_faults()
    yield
    cluster.kubesim.clear_faults()


# ---- 409 Conflict ----------------------------------------------------------------------------------------
def test_conflicts_are_reread_and_converge_then_give_up_after_the_bound(cluster, run_playbook):
    namespace = "rel-conflict"
    seed_virtual_service(cluster, namespace, "vs")
    seed_virtual_service(cluster, namespace, "stuck")
    cluster.kubesim.fault(method="PUT", path=vs_path(namespace, "vs") + "$", status=409, count=2)
    cluster.kubesim.fault(method="PUT", path=vs_path(namespace, "stuck") + "$", status=409, count=100)
    options = {"namespace": namespace, "hosts": ["b.example.com"], "gateways": ["istio-system/default-gateway"],
               "http": ROUTE}
    run = run_playbook([
        {"name": "converges", "meshsmith.istio.virtual_service": dict(options, name="vs"), "ignore_errors": True},
        {"name": "gives up", "meshsmith.istio.virtual_service": dict(options, name="stuck"), "ignore_errors": True},
    ])

    converged = run.task("converges")
    assert converged.status == "ok", converged.result.get("msg")
    assert converged.result["changed"] is True
    assert statuses(converged, "PUT") == [409, 409, 200]
    assert statuses(converged, "GET") == [200, 200, 200], "each conflict re-reads the object"
    assert cluster.get(vs_path(namespace, "vs"))["spec"]["hosts"] == ["b.example.com"]

    gave_up = run.task("gives up")
    assert gave_up.status == "failed"
    assert gave_up.result["msg"].startswith("Failed to update VirtualService rel-conflict/stuck: 409")
    assert len(statuses(gave_up, "PUT")) == 6, "bounded: one write plus five conflict retries"
    assert cluster.get(vs_path(namespace, "stuck"))["spec"]["hosts"] == ["a.example.com"]


def test_two_playbooks_changing_one_virtual_service_at_once_lose_no_update(cluster, tmp_path):
    """Both read the same resourceVersion (PUTs are held 5 s, so the second GET lands before the first PUT);
    the slower writer gets 409, re-reads and keeps the other's change."""
    namespace = "rel-concurrent"
    seed_virtual_service(cluster, namespace, "shared")
    cluster.kubesim.fault(method="PUT", path=vs_path(namespace, "shared") + "$", delay=5.0, count=2)
    go = tmp_path / "go"
    base = {"name": "shared", "namespace": namespace, "hosts": ["a.example.com"],
            "gateways": ["istio-system/default-gateway"], "http": ROUTE}
    writers = {"left": {"labels": {"left": "yes"}}, "right": {"annotations": {"example.com/right": "yes"}}}
    processes = {}
    for writer, change in writers.items():
        tasks = [
            {"name": "ready", "ansible.builtin.file": {"path": str(tmp_path / writer), "state": "touch"}},
            {"name": "wait", "ansible.builtin.wait_for": {"path": str(go), "sleep": 1, "timeout": 60}},
            {"name": "write", "meshsmith.istio.virtual_service": dict(base, **change)},
        ]
        playbook = tmp_path / (writer + ".yml")
        playbook.write_text(yaml.safe_dump([{"hosts": "localhost", "connection": "local", "gather_facts": False,
                                             "tasks": tasks}]))
        processes[writer] = subprocess.Popen(
            [str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,", "-e",
             "ansible_python_interpreter=" + sys.executable, str(playbook)],
            env=cluster.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 120
    while not all((tmp_path / writer).exists() for writer in writers) and time.monotonic() < deadline:
        time.sleep(0.1)
    cluster.kubesim.reset_requests()
    go.touch()
    outputs = {writer: process.communicate(timeout=180)[0] for writer, process in processes.items()}
    for writer, process in processes.items():
        assert process.returncode == 0, outputs[writer]

    stored = cluster.get(vs_path(namespace, "shared"))
    assert stored["metadata"]["labels"] == {"left": "yes"}
    assert stored["metadata"]["annotations"] == {"example.com/right": "yes"}
    puts = [entry["status"] for entry in cluster.kubesim.requests() if entry["method"] == "PUT"]
    assert sorted(puts) == [200, 200, 409], "the writers overlapped: one was refused, re-read and retried"


# ---- retriable statuses ----------------------------------------------------------------------------------
def create_gateway_through_faults(cluster, run_playbook, faults: dict):
    """Create Gateway ``gw`` in one namespace per status while its POST first fails as ``faults`` says."""
    tasks = []
    for status, fault in faults.items():
        namespace = "rel-retry-%d" % status
        cluster.ensure_namespace(namespace)
        cluster.api("DELETE", gateway_path(namespace, "gw"))
        cluster.kubesim.fault(method="POST", path=gateway_path(namespace) + "$", status=status, **fault)
        tasks.append(gateway_task("create through %d" % status, namespace))
    started = time.monotonic()
    run = run_playbook(tasks)
    elapsed = time.monotonic() - started
    for status, fault in faults.items():
        task = run.task("create through %d" % status)
        assert task.status == "ok", task.result.get("msg")
        assert statuses(task, "POST") == [status] * fault["count"] + [201]
        assert cluster.get(gateway_path("rel-retry-%d" % status, "gw"))["spec"] == GATEWAY_SPEC
    return elapsed


def test_server_errors_back_off_then_converge(cluster, run_playbook):
    elapsed = create_gateway_through_faults(cluster, run_playbook, {status: {"count": 2} for status in (500, 503, 504)})
    assert elapsed >= 3 * (0.5 + 1.0), "exponential backoff: 0.5 s, then 1 s"


def test_too_many_requests_waits_as_long_as_retry_after_says(cluster, run_playbook):
    elapsed = create_gateway_through_faults(cluster, run_playbook, {429: {"count": 1, "retry_after": 4}})
    assert elapsed >= 4, "Retry-After: 4 is honoured (plain backoff would wait 0.5 s)"


def test_a_persistent_failure_is_a_clear_error_and_never_half_applied(cluster, run_playbook):
    namespace = "rel-exhausted"
    cluster.ensure_namespace(namespace)
    service_path = "/api/v1/namespaces/%s/services" % namespace
    seed(cluster, service_path, {
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "app", "namespace": namespace},
        "spec": {"type": "LoadBalancer", "selector": {"app": "app"}, "externalTrafficPolicy": "Local",
                 "ports": [{"name": "http", "port": 80, "targetPort": 8080, "nodePort": 30480}]}})
    cluster.kubesim.fault(method="PUT", path=service_path + "/app$", status=503, count=100)
    switch = {"name": "app", "namespace": namespace, "type": "ClusterIP", "retries": 2}
    run = run_playbook([{"name": "switch", "meshsmith.istio.service_type": switch, "ignore_errors": True}])

    failed = run.task("switch")
    assert failed.status == "failed"
    assert failed.result["msg"].startswith("Failed to update Service %s/app: 503" % namespace)
    assert statuses(failed, "PUT") == [503, 503, 503], "retries: 2 means three attempts"
    service = cluster.get(service_path + "/app")
    assert service["spec"]["type"] == "LoadBalancer"
    assert service["spec"]["ports"][0]["nodePort"] == 30480
    assert service["spec"]["externalTrafficPolicy"] == "Local"

    cluster.kubesim.clear_faults()
    run = run_playbook([{"name": "switch", "meshsmith.istio.service_type": switch}])
    assert run.task("switch").result["changed"] is True
    service = cluster.get(service_path + "/app")
    assert service["spec"]["type"] == "ClusterIP"
    assert all("nodePort" not in port for port in service["spec"]["ports"])
    assert "externalTrafficPolicy" not in service["spec"] and "healthCheckNodePort" not in service["spec"]


# ---- unreachable, hung and dropping servers; auth; validation --------------------------------------------
HUNG_SECONDS = 5.0


def wait_until_held_requests_are_answered(sim, path: str, count: int) -> None:
    """kubesim logs a held request when it answers it: wait for that, so no later test sees it in its log."""
    deadline = time.monotonic() + 2 * HUNG_SECONDS
    while sum(entry["path"] == path for entry in sim.requests()) < count and time.monotonic() < deadline:
        time.sleep(0.2)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_connection_failures_auth_and_validation_errors_are_clear(cluster, run_playbook):
    namespace = "rel-errors"
    cluster.ensure_namespace(namespace)
    sim = cluster.kubesim
    direct = {"host": sim.url, "ca_cert": str(sim.ca_file)}
    sim.fault(method="GET", path=gateway_path(namespace, "hung") + "$", delay=HUNG_SECONDS, count=2)
    sim.fault(method="GET", path=gateway_path(namespace, "dropped") + "$", drop=True, count=2)
    sim.fault(method="GET", path=gateway_path(namespace, "flaky") + "$", drop=True, count=1)
    sim.fault(method="GET", path=gateway_path(namespace, "forbidden") + "$", status=403, count=1)
    for name in ("hung", "dropped", "flaky", "unauthorized", "forbidden", "invalid"):
        cluster.api("DELETE", gateway_path(namespace, name))
    run = run_playbook([
        gateway_task("refused", namespace, host="https://127.0.0.1:%d" % closed_port(), api_key="x", retries=1),
        gateway_task("dropped", namespace, "dropped", retries=1),
        gateway_task("flaky", namespace, "flaky", retries=1),
        gateway_task("unauthorized", namespace, "unauthorized", api_key="not-the-token", **direct),
        gateway_task("forbidden", namespace, "forbidden"),
        gateway_task("invalid", namespace, "invalid", selector={"istio": 1}),
        gateway_task("hung", namespace, "hung", request_timeout=1, retries=1),
    ])
    wait_until_held_requests_are_answered(sim, gateway_path(namespace, "hung"), 2)

    def message(label: str) -> str:
        task = run.task(label)
        assert task.status == "failed", task.result
        return task.result["msg"]

    assert message("refused").startswith("Failed to read Gateway rel-errors/gw: Cannot connect to the API server at "
                                         "https://127.0.0.1:")
    assert "(2 attempts)" in message("refused")
    assert message("hung") == ("Failed to read Gateway rel-errors/hung: The API server at %s did not answer within "
                               "1.0s (request_timeout), 2 attempts" % sim.url)
    assert message("dropped").startswith("Failed to read Gateway rel-errors/dropped: Cannot connect to the API "
                                         "server at %s (2 attempts)" % sim.url)
    assert run.task("flaky").status == "ok", "one dropped connection is retried"
    assert cluster.get(gateway_path(namespace, "flaky")) is not None
    assert "401 Unauthorized: the API server rejected the credentials" in message("unauthorized")
    assert message("forbidden").startswith("Failed to read Gateway rel-errors/forbidden: 403 Forbidden: ")
    invalid = message("invalid")
    assert invalid.startswith("Failed to create Gateway rel-errors/invalid: 422 Invalid: spec.selector.istio: ")
    for name in ("hung", "dropped", "unauthorized", "forbidden", "invalid"):
        assert cluster.get(gateway_path(namespace, name)) is None, name

