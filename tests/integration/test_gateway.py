# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""meshsmith.istio.gateway through real ansible-playbook runs: the full cycle, each step also in check mode,
with the stored object, the diff and the exact API requests; foreign metadata and concurrent changes."""

from __future__ import annotations

from typing import Any

import pytest

NAMESPACE = "gw-cycle"
NAME = "default-gateway"
ITEM = "/apis/networking.istio.io/v1/namespaces/%s/gateways/%s" % (NAMESPACE, NAME)
COLLECTION = "/apis/networking.istio.io/v1/namespaces/%s/gateways" % NAMESPACE


def gateway_task(name: str, **options) -> dict:
    return {"name": name, "meshsmith.istio.gateway": {"name": NAME, "namespace": NAMESPACE, **options},
            "ignore_errors": True}


HTTP_PORT = {"number": 80, "name": "http", "protocol": "HTTP"}
SEED: dict[str, Any] = dict(selector={"istio": "ingressgateway"},
                            servers=[{"port": HTTP_PORT, "hosts": ["*"], "name": "main"}])
# The server name is dropped (so it must disappear), hosts change, a label is added.
MODIFIED: dict[str, Any] = dict(selector={"istio": "ingressgateway"}, labels={"team": "web"},
                                servers=[{"port": HTTP_PORT, "hosts": ["a.example.com", "b.example.com"]}])
REORDERED = {**MODIFIED, "servers": [{"port": HTTP_PORT, "hosts": ["b.example.com", "a.example.com"]}]}


@pytest.fixture(scope="module")
def cycle(cluster, run_playbook):
    """Create, re-create, modify, re-modify: each first in check mode, then for real."""
    cluster.ensure_namespace(NAMESPACE)
    cluster.api("DELETE", ITEM)
    steps = [("create", SEED), ("re-create", SEED), ("modify", MODIFIED), ("re-modify", REORDERED)]
    run = run_playbook([gateway_task(name, **options) for name, options in steps], check_first=True)
    assert run.rc == 0, run.stdout + run.stderr
    return run


def test_create_posts_once_and_shows_the_whole_object_as_added(cycle, cluster):
    created = cluster.expect_step(cycle, "create", "created", [("GET", ITEM), ("POST", COLLECTION)])
    assert created.result["diff"] == {
        "before": {},
        "after": {"metadata": {"name": NAME, "namespace": NAMESPACE},
                  "spec": {"selector": {"istio": "ingressgateway"},
                           "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"], "name": "main"}]}},
    }
    assert created.result["result"]["metadata"]["uid"]


@pytest.mark.parametrize("step", ["re-create", "re-modify"])
def test_rerun_is_one_get_and_no_write(cycle, cluster, step):
    rerun = cluster.expect_step(cycle, step, "unchanged", [("GET", ITEM)])
    assert rerun.result["diff"]["before"] == rerun.result["diff"]["after"]


def test_modify_puts_once_with_the_diff_and_removes_dropped_fields(cycle, cluster):
    modified = cluster.expect_step(cycle, "modify", "updated", [("GET", ITEM), ("PUT", ITEM)])
    diff = modified.result["diff"]
    assert diff["before"]["spec"]["servers"][0] == {"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"], "name": "main"}
    assert diff["after"]["spec"]["servers"][0] == {"port": {"number": 80, "name": "http", "protocol": "HTTP"},
                                                   "hosts": ["a.example.com", "b.example.com"]}
    assert diff["after"]["metadata"]["labels"] == {"team": "web"}

    stored = cluster.get(ITEM)
    assert stored["spec"] == {"selector": {"istio": "ingressgateway"},
                              "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"},
                                           "hosts": ["a.example.com", "b.example.com"]}]}  # reordering was no change
    assert stored["metadata"]["labels"] == {"team": "web"}
    assert stored == modified.result["result"]


def test_foreign_metadata_survives_and_a_concurrent_change_is_retried_then_delete(cycle, cluster, run_playbook):
    """After the cycle: someone else labels the Gateway; our next PUT meets a 409 once, in check mode (its dry run)
    and for real; then deletion (each step first in check mode)."""
    stored = cluster.get(ITEM)
    stored["metadata"]["labels"]["owner"] = "someone-else"
    stored["metadata"]["annotations"] = {"example.com/note": "kept"}
    assert cluster.api("PUT", ITEM, stored)[0] == 200
    # camelCase keys as pasted from Istio's docs; the port moves to 8080.
    updated = {**MODIFIED, "servers": [{"port": {"number": 8080, "name": "http", "protocol": "HTTP"},
                                        "hosts": ["a.example.com"], "tls": {"httpsRedirect": True}}]}
    runs = []
    for step in (dict(gateway_task("update (check)", **updated), check_mode=True), gateway_task("update", **updated)):
        if cluster.is_kubesim:
            cluster.kubesim.fault(method="PUT", path=ITEM + "$", status=409, count=1)
        runs.append(run_playbook([step]).tasks[0])
    run = run_playbook([gateway_task("delete", state="absent"), gateway_task("delete absent", state="absent")],
                       check_first=True)
    assert run.rc == 0, run.stdout + run.stderr

    checked, update = runs
    for task, query in ((checked, "?dryRun=All"), (update, "")):
        task.expect(True, "updated")
        cluster.expect_requests(task, [("GET", ITEM), ("PUT", ITEM + query), ("GET", ITEM), ("PUT", ITEM + query)])
        if cluster.is_kubesim:
            assert [entry["status"] for entry in task.requests] == [200, 409, 200, 200]
    assert checked.result["diff"] == update.result["diff"]
    result = update.result["result"]
    assert result["metadata"]["labels"] == {"team": "web", "owner": "someone-else"}
    assert result["metadata"]["annotations"] == {"example.com/note": "kept"}
    assert result["spec"]["servers"] == [{"port": {"number": 8080, "name": "http", "protocol": "HTTP"},
                                          "hosts": ["a.example.com"], "tls": {"httpsRedirect": True}}]

    deleted = cluster.expect_step(run, "delete", "deleted", [("GET", ITEM), ("DELETE", ITEM)])
    assert deleted.result["diff"]["after"] == {}
    assert deleted.result["diff"]["before"]["spec"] == result["spec"]
    cluster.expect_step(run, "delete absent", "unchanged", [("GET", ITEM)])
    assert cluster.get(ITEM) is None
