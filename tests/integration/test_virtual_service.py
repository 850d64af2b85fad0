# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""meshsmith.istio.virtual_service through real ansible-playbook runs: the full cycle, each step also in check
mode, with the stored object, the diff and the exact API requests; hosts/gateways compare as sets, routes do not."""

from __future__ import annotations

from typing import Any

import pytest

NAMESPACE = "vs-cycle"
NAME = "proxy"
COLLECTION = "/apis/networking.istio.io/v1/namespaces/%s/virtualservices" % NAMESPACE
ITEM = "%s/%s" % (COLLECTION, NAME)

API_ROUTE = {"match": [{"uri": {"prefix": "/api"}}], "route": [{"destination": {"host": "api"}}]}
PROXY_ROUTE = {"route": [{"destination": {"host": "proxy", "port": {"number": 80}}}]}
SEED: dict[str, Any] = {"hosts": ["*"], "gateways": ["istio-system/default-gateway"], "http": [PROXY_ROUTE]}
# Two hosts and a second gateway, an /api route first, Istio's camelCase spelling for the timeout route.
MODIFIED: dict[str, Any] = {
    "hosts": ["shop.example.com", "www.example.com"],
    "gateways": ["istio-system/default-gateway", "istio-system/internal"],
    "export_to": [".", "prod"],
    "http": [API_ROUTE, dict(PROXY_ROUTE, timeout="10s",
                             corsPolicy={"allowOrigins": [{"exact": "https://shop.example.com"}]})],
}
MODIFIED_SPEC = {
    "hosts": MODIFIED["hosts"], "gateways": MODIFIED["gateways"], "exportTo": [".", "prod"], "http": MODIFIED["http"],
}
# Same sets in another order: no change. Same routes in another order: a change (the first match wins).
REORDERED_SETS = dict(MODIFIED, hosts=MODIFIED["hosts"][::-1], gateways=MODIFIED["gateways"][::-1],
                      export_to=["prod", "."])
REORDERED_ROUTES = dict(MODIFIED, http=MODIFIED["http"][::-1])


def task(name: str, check: bool = False, **options) -> dict:
    result = {"name": name, "meshsmith.istio.virtual_service": {"name": NAME, "namespace": NAMESPACE, **options},
              "register": "out", "ignore_errors": True}
    if check:
        result["check_mode"] = True
    return result


def both_modes(name: str, **options) -> list:
    return [task(name + " (check)", check=True, **options), task(name, **options)]


@pytest.fixture(scope="module")
def cycle(cluster, run_playbook):
    """Every step of the life of one VirtualService, each first in check mode, then for real."""
    cluster.ensure_namespace(NAMESPACE)
    cluster.api("DELETE", ITEM)
    steps = [("create", SEED), ("re-create", SEED), ("modify", MODIFIED), ("re-modify", MODIFIED),
             ("reorder sets", REORDERED_SETS), ("reorder routes", REORDERED_ROUTES),
             ("delete", {"state": "absent"}), ("delete absent", {"state": "absent"})]
    run = run_playbook([entry for name, options in steps for entry in both_modes(name, **options)])
    assert run.rc == 0, run.stdout + run.stderr
    return run


def check(run_task, changed: bool, method: str) -> None:
    assert run_task.status == "ok", run_task.result.get("msg")
    assert (run_task.result["changed"], run_task.result["method"]) == (changed, method)


def test_create_posts_once_and_shows_the_object_as_added(cycle, cluster):
    check(cycle.task("create (check)"), True, "created")
    cluster.expect_requests(cycle.task("create (check)"), [("GET", ITEM)])
    created = cycle.task("create")
    check(created, True, "created")
    cluster.expect_requests(created, [("GET", ITEM), ("POST", COLLECTION)])
    assert created.result["diff"] == {"before": {}, "after": {"metadata": {"name": NAME, "namespace": NAMESPACE},
                                                              "spec": SEED}}
    assert cycle.task("create (check)").result["diff"] == created.result["diff"]
    assert created.result["result"]["spec"] == SEED


@pytest.mark.parametrize("step", ["re-create", "re-modify", "reorder sets", "delete absent"])
def test_rerun_is_one_get_and_no_write(cycle, cluster, step):
    for name in (step + " (check)", step):
        check(cycle.task(name), False, "unchanged")
        cluster.expect_requests(cycle.task(name), [("GET", ITEM)])


def test_modify_puts_once_with_a_readable_diff(cycle, cluster):
    check(cycle.task("modify (check)"), True, "updated")
    cluster.expect_requests(cycle.task("modify (check)"), [("GET", ITEM)])
    modified = cycle.task("modify")
    check(modified, True, "updated")
    cluster.expect_requests(modified, [("GET", ITEM), ("PUT", ITEM)])
    assert modified.result["diff"]["before"]["spec"] == SEED
    assert modified.result["diff"]["after"]["spec"] == MODIFIED_SPEC
    assert cycle.task("modify (check)").result["diff"] == modified.result["diff"]


def test_reordered_hosts_and_gateways_keep_the_stored_order(cycle):
    unchanged = cycle.task("reorder sets")
    assert unchanged.result["result"]["spec"]["hosts"] == MODIFIED["hosts"]
    assert unchanged.result["result"]["spec"]["gateways"] == MODIFIED["gateways"]


def test_reordered_routes_are_an_update(cycle, cluster):
    check(cycle.task("reorder routes (check)"), True, "updated")
    reordered = cycle.task("reorder routes")
    check(reordered, True, "updated")
    cluster.expect_requests(reordered, [("GET", ITEM), ("PUT", ITEM)])
    assert [route.get("match") for route in reordered.result["diff"]["after"]["spec"]["http"]] == \
        [None, API_ROUTE["match"]]
    assert reordered.result["result"]["spec"]["http"][0]["timeout"] == "10s"


def test_delete_removes_it_once_with_the_diff(cycle, cluster):
    check(cycle.task("delete (check)"), True, "deleted")
    cluster.expect_requests(cycle.task("delete (check)"), [("GET", ITEM)])
    deleted = cycle.task("delete")
    check(deleted, True, "deleted")
    cluster.expect_requests(deleted, [("GET", ITEM), ("DELETE", ITEM)])
    assert deleted.result["diff"]["before"]["spec"]["http"] == REORDERED_ROUTES["http"]
    assert deleted.result["diff"]["after"] == {}
    assert cluster.get(ITEM) is None
