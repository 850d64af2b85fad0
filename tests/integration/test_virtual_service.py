# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""meshsmith.istio.virtual_service through real ansible-playbook runs: each step of the cycle also in check
mode, with the stored object, the diff and the exact API requests; hosts/gateways compare as sets, routes do not."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.module_logic  # not run on the oldest ansible-core (README, Tests)

NAMESPACE = "vs-cycle"
COLLECTION = "/apis/networking.istio.io/v1/namespaces/%s/virtualservices" % NAMESPACE

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
# Each step acts on a VirtualService of its own, named after the step: (the spec stored before the step, None for
# no object; the task's options). A failing step fails its own test only.
STEPS: dict[str, tuple[Any, dict]] = {
    "create": (None, SEED),
    "re-create": (SEED, SEED),
    "modify": (SEED, MODIFIED),
    "re-modify": (MODIFIED_SPEC, MODIFIED),
    "reorder-sets": (MODIFIED_SPEC, REORDERED_SETS),
    "reorder-routes": (MODIFIED_SPEC, REORDERED_ROUTES),
    "delete": (dict(MODIFIED_SPEC, http=REORDERED_ROUTES["http"]), {"state": "absent"}),
    "delete-absent": (None, {"state": "absent"}),
}


def item(name: str) -> str:
    return "%s/%s" % (COLLECTION, name)


def task(name: str, **options) -> dict:
    return {"name": name, "meshsmith.istio.virtual_service": {"name": name, "namespace": NAMESPACE, **options},
            "ignore_errors": True}


@pytest.fixture(scope="module")
def cycle(cluster, run_playbook):
    """Every step of the life of a VirtualService in one playbook, each first in check mode, then for real; each
    step's starting object is stored directly beforehand, not by an earlier step."""
    cluster.ensure_namespace(NAMESPACE)
    for step, (before, _options) in STEPS.items():
        cluster.api("DELETE", item(step))
        if before is not None:
            cluster.seed(COLLECTION, {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
                                      "metadata": {"name": step, "namespace": NAMESPACE}, "spec": before})
    run = run_playbook([task(step, **options) for step, (_before, options) in STEPS.items()], check_first=True)
    assert run.rc == 0, run.stdout + run.stderr
    return run


def test_create_posts_once_and_shows_the_object_as_added(cycle, cluster):
    created = cluster.expect_step(cycle, "create", "created", [("GET", item("create")), ("POST", COLLECTION)])
    assert created.result["diff"] == {"before": {}, "after": {"metadata": {"name": "create", "namespace": NAMESPACE},
                                                              "spec": SEED}}
    assert created.result["result"]["spec"] == SEED


@pytest.mark.parametrize("step", ["re-create", "re-modify", "reorder-sets", "delete-absent"])
def test_rerun_is_one_get_and_no_write(cycle, cluster, step):
    cluster.expect_step(cycle, step, "unchanged", [("GET", item(step))])


def test_modify_puts_once_with_a_readable_diff(cycle, cluster):
    modified = cluster.expect_step(cycle, "modify", "updated", [("GET", item("modify")), ("PUT", item("modify"))])
    assert modified.result["diff"]["before"]["spec"] == SEED
    assert modified.result["diff"]["after"]["spec"] == MODIFIED_SPEC


def test_reordered_hosts_and_gateways_keep_the_stored_order(cycle):
    unchanged = cycle.task("reorder-sets")
    assert unchanged.result["result"]["spec"]["hosts"] == MODIFIED["hosts"]
    assert unchanged.result["result"]["spec"]["gateways"] == MODIFIED["gateways"]


def test_reordered_routes_are_an_update(cycle, cluster):
    path = item("reorder-routes")
    reordered = cluster.expect_step(cycle, "reorder-routes", "updated", [("GET", path), ("PUT", path)])
    assert [route.get("match") for route in reordered.result["diff"]["after"]["spec"]["http"]] == \
        [None, API_ROUTE["match"]]
    assert reordered.result["result"]["spec"]["http"][0]["timeout"] == "10s"


def test_delete_removes_it_once_with_the_diff(cycle, cluster):
    deleted = cluster.expect_step(cycle, "delete", "deleted", [("GET", item("delete")), ("DELETE", item("delete"))])
    assert deleted.result["diff"]["before"]["spec"]["http"] == REORDERED_ROUTES["http"]
    assert deleted.result["diff"]["after"] == {}
    assert cluster.get(item("delete")) is None
