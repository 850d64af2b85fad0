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


def gateway_task(name, check=False, **options):
    task = {"name": name, "meshsmith.istio.gateway": {"name": NAME, "namespace": NAMESPACE, **options},
            "register": "out", "ignore_errors": True}
    if check:
        task["check_mode"] = True
    return task


SEED: dict[str, Any] = dict(selector={"istio": "ingressgateway"},
            servers=[{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"], "name": "main"}])
# The server name is dropped (so it must disappear), hosts change, a label is added.
MODIFIED: dict[str, Any] = dict(selector={"istio": "ingressgateway"}, labels={"team": "web"},
                servers=[{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["a.example.com", "b.example.com"]}])
REORDERED = dict(MODIFIED, servers=[dict(MODIFIED["servers"][0], hosts=["b.example.com", "a.example.com"])])


def both_modes(name, **options):
    return [gateway_task(name + " (check)", check=True, **options), gateway_task(name, **options)]


@pytest.fixture(scope="module")
def cycle(cluster, run_playbook):
    """Create, re-create, modify, re-modify: each first in check mode, then for real."""
    cluster.ensure_namespace(NAMESPACE)
    cluster.api("DELETE", ITEM)
    tasks = both_modes("create", **SEED) + both_modes("re-create", **SEED) + both_modes("modify", **MODIFIED) \
        + both_modes("re-modify", **REORDERED)
    run = run_playbook(tasks)
    assert run.rc == 0, run.stdout + run.stderr
    return run


def check(task, changed, method):
    assert task.status == "ok", task.result.get("msg")
    assert (task.result["changed"], task.result["method"]) == (changed, method)


def test_create_posts_once_and_shows_the_whole_object_as_added(cycle, cluster):
    check(cycle.task("create (check)"), True, "created")
    cluster.expect_requests(cycle.task("create (check)"), [("GET", ITEM)])
    created = cycle.task("create")
    check(created, True, "created")
    cluster.expect_requests(created, [("GET", ITEM), ("POST", COLLECTION)])
    assert created.result["diff"] == {
        "before": {},
        "after": {"metadata": {"name": NAME, "namespace": NAMESPACE},
                  "spec": {"selector": {"istio": "ingressgateway"},
                           "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"], "name": "main"}]}},
    }
    assert created.result["result"]["metadata"]["uid"]


@pytest.mark.parametrize("step", ["re-create", "re-modify"])
def test_rerun_is_one_get_and_no_write(cycle, cluster, step):
    for name in (step + " (check)", step):
        task = cycle.task(name)
        check(task, False, "unchanged")
        cluster.expect_requests(task, [("GET", ITEM)])
        assert task.result["diff"]["before"] == task.result["diff"]["after"]


def test_modify_puts_once_with_the_diff_and_removes_dropped_fields(cycle, cluster):
    check(cycle.task("modify (check)"), True, "updated")
    cluster.expect_requests(cycle.task("modify (check)"), [("GET", ITEM)])
    modified = cycle.task("modify")
    check(modified, True, "updated")
    cluster.expect_requests(modified, [("GET", ITEM), ("PUT", ITEM)])
    diff = modified.result["diff"]
    assert diff["before"]["spec"]["servers"][0] == {"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"], "name": "main"}
    assert diff["after"]["spec"]["servers"][0] == {"port": {"number": 80, "name": "http", "protocol": "HTTP"},
                                                   "hosts": ["a.example.com", "b.example.com"]}
    assert diff["after"]["metadata"]["labels"] == {"team": "web"}
    assert cycle.task("modify (check)").result["diff"] == diff

    stored = cluster.get(ITEM)
    assert stored["spec"] == {"selector": {"istio": "ingressgateway"},
                              "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"},
                                           "hosts": ["a.example.com", "b.example.com"]}]}  # reordering was no change
    assert stored["metadata"]["labels"] == {"team": "web"}
    assert stored == modified.result["result"]


def test_foreign_metadata_survives_and_a_concurrent_change_is_retried_then_delete(cycle, cluster, run_playbook):
    """After the cycle: someone else labels the Gateway; our next PUT meets a 409 once; then deletion."""
    stored = cluster.get(ITEM)
    stored["metadata"]["labels"]["owner"] = "someone-else"
    stored["metadata"]["annotations"] = {"example.com/note": "kept"}
    assert cluster.api("PUT", ITEM, stored)[0] == 200
    if cluster.is_kubesim:
        cluster.kubesim.fault(method="PUT", path=ITEM + "$", status=409, count=1)
    # camelCase keys as pasted from Istio's docs; the port moves to 8080.
    updated = dict(MODIFIED, servers=[{"port": {"number": 8080, "name": "http", "protocol": "HTTP"},
                                       "hosts": ["a.example.com"], "tls": {"httpsRedirect": True}}])
    run = run_playbook([gateway_task("update", **updated)] + both_modes("delete", state="absent")
                       + both_modes("delete absent", state="absent"))
    assert run.rc == 0, run.stdout + run.stderr

    update = run.task("update")
    check(update, True, "updated")
    cluster.expect_requests(update, [("GET", ITEM), ("PUT", ITEM), ("GET", ITEM), ("PUT", ITEM)])
    if cluster.is_kubesim:
        assert [entry["status"] for entry in update.requests] == [200, 409, 200, 200]
    result = update.result["result"]
    assert result["metadata"]["labels"] == {"team": "web", "owner": "someone-else"}
    assert result["metadata"]["annotations"] == {"example.com/note": "kept"}
    assert result["spec"]["servers"] == [{"port": {"number": 8080, "name": "http", "protocol": "HTTP"},
                                          "hosts": ["a.example.com"], "tls": {"httpsRedirect": True}}]

    check(run.task("delete (check)"), True, "deleted")
    cluster.expect_requests(run.task("delete (check)"), [("GET", ITEM)])
    deleted = run.task("delete")
    check(deleted, True, "deleted")
    cluster.expect_requests(deleted, [("GET", ITEM), ("DELETE", ITEM)])
    assert deleted.result["diff"]["after"] == {}
    assert deleted.result["diff"]["before"]["spec"] == result["spec"]
    for name in ("delete absent (check)", "delete absent"):
        check(run.task(name), False, "unchanged")
        cluster.expect_requests(run.task(name), [("GET", ITEM)])
    assert cluster.get(ITEM) is None
