# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""meshsmith.istio.gateway through real ansible-playbook runs: each step of the cycle also in check mode,
with the stored object, the diff and the exact API requests; foreign metadata and concurrent changes."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.module_logic  # not run on the oldest ansible-core (README, Tests)

NAMESPACE = "gw-cycle"
COLLECTION = "/apis/networking.istio.io/v1/namespaces/%s/gateways" % NAMESPACE
NAME = "default-gateway"  # the Gateway of the concurrent-change test


def gateway_task(title: str, name: str, **options) -> dict:
    return {"name": title, "meshsmith.istio.gateway": {"name": name, "namespace": NAMESPACE, **options},
            "ignore_errors": True}


def gateway_object(name: str, options: dict) -> dict:
    """The Gateway the module stores for ``options`` (as its create sends it), for a test to start from."""
    labels = {"labels": options["labels"]} if "labels" in options else {}
    return {"apiVersion": "networking.istio.io/v1", "kind": "Gateway",
            "metadata": {"name": name, "namespace": NAMESPACE, **labels},
            "spec": {"selector": options["selector"], "servers": options["servers"]}}


HTTP_PORT = {"number": 80, "name": "http", "protocol": "HTTP"}
SEED: dict[str, Any] = dict(selector={"istio": "ingressgateway"},
                            servers=[{"port": HTTP_PORT, "hosts": ["*"], "name": "main"}])
# The server name is dropped (so it must disappear), hosts change, a label is added.
MODIFIED: dict[str, Any] = dict(selector={"istio": "ingressgateway"}, labels={"team": "web"},
                                servers=[{"port": HTTP_PORT, "hosts": ["a.example.com", "b.example.com"]}])
REORDERED = {**MODIFIED, "servers": [{"port": HTTP_PORT, "hosts": ["b.example.com", "a.example.com"]}]}
# Each step acts on a Gateway of its own, named after the step: (Gateway stored before the step, None for none;
# the task's options). A failing step fails its own test only.
STEPS: dict[str, tuple[Any, dict]] = {
    "create": (None, SEED),
    "re-create": (SEED, SEED),
    "modify": (SEED, MODIFIED),
    "re-modify": (MODIFIED, REORDERED),
}


def item(name: str) -> str:
    return "%s/%s" % (COLLECTION, name)


@pytest.fixture(scope="module")
def cycle(cluster, run_playbook):
    """Every step in one playbook, each first in check mode, then for real; each step's starting Gateway is stored
    directly beforehand, not by an earlier step."""
    cluster.ensure_namespace(NAMESPACE)
    for step, (before, _options) in STEPS.items():
        cluster.api("DELETE", item(step))
        if before is not None:
            cluster.seed(COLLECTION, gateway_object(step, before))
    run = run_playbook([gateway_task(step, step, **options) for step, (_before, options) in STEPS.items()],
                       check_first=True)
    assert run.rc == 0, run.stdout + run.stderr
    return run


def test_create_posts_once_and_shows_the_whole_object_as_added(cycle, cluster):
    created = cluster.expect_step(cycle, "create", "created", [("GET", item("create")), ("POST", COLLECTION)])
    assert created.result["diff"] == {
        "before": {},
        "after": {"metadata": {"name": "create", "namespace": NAMESPACE},
                  "spec": {"selector": {"istio": "ingressgateway"},
                           "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"], "name": "main"}]}},
    }
    assert created.result["result"]["metadata"]["uid"]


@pytest.mark.parametrize("step", ["re-create", "re-modify"])
def test_rerun_is_one_get_and_no_write(cycle, cluster, step):
    rerun = cluster.expect_step(cycle, step, "unchanged", [("GET", item(step))])
    assert rerun.result["diff"]["before"] == rerun.result["diff"]["after"]


def test_modify_puts_once_with_the_diff_and_removes_dropped_fields(cycle, cluster):
    modified = cluster.expect_step(cycle, "modify", "updated", [("GET", item("modify")), ("PUT", item("modify"))])
    diff = modified.result["diff"]
    assert diff["before"]["spec"]["servers"][0] == {"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"], "name": "main"}
    assert diff["after"]["spec"]["servers"][0] == {"port": {"number": 80, "name": "http", "protocol": "HTTP"},
                                                   "hosts": ["a.example.com", "b.example.com"]}
    assert diff["after"]["metadata"]["labels"] == {"team": "web"}

    stored = cluster.get(item("modify"))
    assert stored["spec"] == {"selector": {"istio": "ingressgateway"},
                              "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"},
                                           "hosts": ["a.example.com", "b.example.com"]}]}  # reordering was no change
    assert stored["metadata"]["labels"] == {"team": "web"}
    assert stored == modified.result["result"]


def test_foreign_metadata_survives_and_a_concurrent_change_is_retried_then_delete(cluster, run_playbook):
    """A Gateway as the modify step leaves it, which someone else has labelled and annotated; our next PUT meets a 409
    once, in check mode (its dry run) and for real; then deletion (each step first in check mode)."""
    cluster.ensure_namespace(NAMESPACE)
    foreign = gateway_object(NAME, MODIFIED)
    foreign["metadata"]["labels"] = {"team": "web", "owner": "someone-else"}
    foreign["metadata"]["annotations"] = {"example.com/note": "kept"}
    path = cluster.seed(COLLECTION, foreign)
    # camelCase keys as pasted from Istio's docs; the port moves to 8080.
    updated = {**MODIFIED, "servers": [{"port": {"number": 8080, "name": "http", "protocol": "HTTP"},
                                        "hosts": ["a.example.com"], "tls": {"httpsRedirect": True}}]}
    runs = []
    for step in (dict(gateway_task("update (check)", NAME, **updated), check_mode=True), gateway_task("update", NAME, **updated)):
        if cluster.is_kubesim:
            cluster.kubesim.fault(method="PUT", path=path + "$", status=409, count=1)
        runs.append(run_playbook([step]).tasks[0])
    run = run_playbook([gateway_task("delete", NAME, state="absent"), gateway_task("delete absent", NAME, state="absent")],
                       check_first=True)
    assert run.rc == 0, run.stdout + run.stderr

    checked, update = runs
    for task, query in ((checked, "?dryRun=All"), (update, "")):
        task.expect(True, "updated")
        cluster.expect_requests(task, [("GET", path), ("PUT", path + query), ("GET", path), ("PUT", path + query)])
        if cluster.is_kubesim:
            assert [entry["status"] for entry in task.requests] == [200, 409, 200, 200]
    assert checked.result["diff"] == update.result["diff"]
    result = update.result["result"]
    assert result["metadata"]["labels"] == {"team": "web", "owner": "someone-else"}
    assert result["metadata"]["annotations"] == {"example.com/note": "kept"}
    assert result["spec"]["servers"] == [{"port": {"number": 8080, "name": "http", "protocol": "HTTP"},
                                          "hosts": ["a.example.com"], "tls": {"httpsRedirect": True}}]

    deleted = cluster.expect_step(run, "delete", "deleted", [("GET", path), ("DELETE", path)])
    assert deleted.result["diff"]["after"] == {}
    assert deleted.result["diff"]["before"]["spec"] == result["spec"]
    cluster.expect_step(run, "delete absent", "unchanged", [("GET", path)])
    assert cluster.get(path) is None
