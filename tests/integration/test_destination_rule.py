# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""meshsmith.istio.destination_rule and destination_rule_info through real ansible-playbook runs on kubesim: the
full cycle, each step also in check mode, with the stored object, the diff and the exact API requests; export_to
compares as a set, subsets do not; a refused spec names its option path and sends nothing; info by name,
namespace and labels in one request."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.module_logic  # not run on the oldest ansible-core (README, Tests)

NAMESPACE = "dr-cycle"
NAME = "reviews"
COLLECTION = "/apis/networking.istio.io/v1/namespaces/%s/destinationrules" % NAMESPACE
ITEM = "%s/%s" % (COLLECTION, NAME)

V1 = {"name": "v1", "labels": {"version": "v1"}}
V2 = {"name": "v2", "labels": {"version": "v2"}}
SEED: dict[str, Any] = {"destination_host": "reviews", "subsets": [V1, V2]}
SEED_SPEC = {"host": "reviews", "subsets": [V1, V2]}
# A traffic policy in snake_case, a subset's own policy in Istio's camelCase, exportTo.
MODIFIED: dict[str, Any] = {
    "destination_host": "reviews",
    "traffic_policy": {"load_balancer": {"simple": "LEAST_REQUEST"},
                       "outlier_detection": {"consecutive_5xx_errors": 5, "interval": "30s"}},
    "subsets": [V1, dict(V2, trafficPolicy={"connectionPool": {"http": {"http2MaxRequests": 100}}})],
    "export_to": [".", "bookinfo"],
}
MODIFIED_SPEC = {
    "host": "reviews",
    "trafficPolicy": {"loadBalancer": {"simple": "LEAST_REQUEST"},
                      "outlierDetection": {"consecutive5xxErrors": 5, "interval": "30s"}},
    "subsets": MODIFIED["subsets"],
    "exportTo": [".", "bookinfo"],
}
REORDERED_EXPORT_TO = dict(MODIFIED, export_to=["bookinfo", "."])
REORDERED_SUBSETS = dict(MODIFIED, subsets=MODIFIED["subsets"][::-1])


def task(name: str, module: str = "destination_rule", **options) -> dict:
    return {"name": name, "meshsmith.istio.%s" % module: {"name": NAME, "namespace": NAMESPACE, **options},
            "ignore_errors": True}


@pytest.fixture(scope="module")
def cycle(cluster, run_playbook):
    """Every step of the life of one DestinationRule, each first in check mode, then for real."""
    cluster.ensure_namespace(NAMESPACE)
    cluster.api("DELETE", ITEM)
    steps = [("create", SEED), ("re-create", SEED), ("modify", MODIFIED), ("re-modify", MODIFIED),
             ("reorder export_to", REORDERED_EXPORT_TO), ("reorder subsets", REORDERED_SUBSETS),
             ("delete", {"state": "absent"}), ("delete absent", {"state": "absent"})]
    run = run_playbook([task(name, **options) for name, options in steps], check_first=True)
    assert run.rc == 0, run.stdout + run.stderr
    return run


def test_create_posts_once_and_shows_the_object_as_added(cycle, cluster):
    created = cluster.expect_step(cycle, "create", "created", [("GET", ITEM), ("POST", COLLECTION)])
    assert created.result["diff"] == {"before": {}, "after": {"metadata": {"name": NAME, "namespace": NAMESPACE},
                                                              "spec": SEED_SPEC}}
    assert created.result["result"]["spec"] == SEED_SPEC
    assert cycle.task("create (check)").result["result"]["spec"] == SEED_SPEC


@pytest.mark.parametrize("step", ["re-create", "re-modify", "reorder export_to", "delete absent"])
def test_rerun_is_one_get_and_no_write(cycle, cluster, step):
    cluster.expect_step(cycle, step, "unchanged", [("GET", ITEM)])


def test_modify_puts_once_with_the_read_resource_version(cycle, cluster):
    """kubesim, as kube-apiserver, refuses a custom resource PUT without metadata.resourceVersion."""
    modified = cluster.expect_step(cycle, "modify", "updated", [("GET", ITEM), ("PUT", ITEM)])
    assert modified.result["diff"]["before"]["spec"] == SEED_SPEC
    assert modified.result["diff"]["after"]["spec"] == MODIFIED_SPEC
    assert modified.result["result"]["spec"] == MODIFIED_SPEC
    created_version = cycle.task("create").result["result"]["metadata"]["resourceVersion"]
    assert modified.result["result"]["metadata"]["resourceVersion"] != created_version


def test_reordered_export_to_keeps_the_stored_order(cycle):
    assert cycle.task("reorder export_to").result["result"]["spec"]["exportTo"] == [".", "bookinfo"]


def test_reordered_subsets_are_an_update(cycle, cluster):
    reordered = cluster.expect_step(cycle, "reorder subsets", "updated", [("GET", ITEM), ("PUT", ITEM)])
    assert [subset["name"] for subset in reordered.result["diff"]["after"]["spec"]["subsets"]] == ["v2", "v1"]


def test_delete_removes_it_once_with_the_diff(cycle, cluster):
    deleted = cluster.expect_step(cycle, "delete", "deleted", [("GET", ITEM), ("DELETE", ITEM)])
    assert deleted.result["diff"]["before"]["spec"]["subsets"] == REORDERED_SUBSETS["subsets"]
    assert deleted.result["diff"]["after"] == {}
    assert cluster.get(ITEM) is None


def test_invalid_spec_names_the_option_path_and_sends_nothing(cluster, run_playbook):
    bad = dict(SEED, subsets=[V1, dict(V2, traffic_policy={"load_balancer": {"consistent_hash": {
        "maglev": {"table_size": 1000}}}})])
    run = run_playbook([task("invalid", **bad)])
    refused = run.task("invalid")
    assert refused.status == "failed"
    assert refused.result["msg"].startswith(
        "subsets[1].traffic_policy.load_balancer.consistent_hash.maglev.table_size: ")
    cluster.expect_requests(refused, [])


def test_older_api_versions_are_served(cluster, run_playbook):
    """v1beta1 and v1alpha3 share v1's schema: the same object, read and written through either."""
    cluster.ensure_namespace(NAMESPACE)
    run = run_playbook([task("v1beta1", api_version="networking.istio.io/v1beta1", **SEED),
                        task("v1alpha3", api_version="networking.istio.io/v1alpha3", **SEED),
                        task("cleanup", state="absent")])
    assert run.rc == 0, run.stdout + run.stderr
    run.task("v1beta1").expect(True, "created")
    assert run.task("v1beta1").result["result"]["apiVersion"] == "networking.istio.io/v1beta1"
    run.task("v1alpha3").expect(False, "unchanged")
    cluster.expect_requests(run.task("v1alpha3"), [("GET", ITEM.replace("/v1/", "/v1alpha3/"))])


@pytest.fixture(scope="module")
def info_run(cluster, run_playbook):
    for namespace, name, labels in (("dr-info-a", "reviews", {"app": "reviews"}),
                                    ("dr-info-a", "ratings", {"app": "ratings"}),
                                    ("dr-info-b", "reviews", {"app": "reviews"})):
        cluster.ensure_namespace(namespace)
        run = run_playbook([{"name": "seed", "meshsmith.istio.destination_rule": {
            "name": name, "namespace": namespace, "labels": labels, "destination_host": name, "subsets": [V1]}}])
        assert run.rc == 0, run.stdout + run.stderr
    run = run_playbook([
        {"name": "by name", "meshsmith.istio.destination_rule_info": {"name": "ratings", "namespace": "dr-info-a"}},
        {"name": "by namespace", "meshsmith.istio.destination_rule_info": {"namespace": "dr-info-a"}},
        {"name": "by labels", "meshsmith.istio.destination_rule_info": {"label_selectors": ["app=reviews"]}},
    ], check=True)
    assert run.rc == 0, run.stdout + run.stderr
    return run


def names(task_run) -> list:
    assert task_run.status == "ok" and task_run.result["changed"] is False
    return sorted("%s/%s" % (item["metadata"]["namespace"], item["metadata"]["name"])
                  for item in task_run.result["resources"])


@pytest.mark.parametrize("title, found, path", [
    ("by name", ["dr-info-a/ratings"], "/apis/networking.istio.io/v1/namespaces/dr-info-a/destinationrules/ratings"),
    ("by namespace", ["dr-info-a/ratings", "dr-info-a/reviews"],
     "/apis/networking.istio.io/v1/namespaces/dr-info-a/destinationrules"),
    ("by labels", ["dr-info-a/reviews", "dr-info-b/reviews"],
     "/apis/networking.istio.io/v1/destinationrules?labelSelector=app%3Dreviews"),
])
def test_info_is_one_request(info_run, cluster, title, found, path):
    assert names(info_run.task(title)) == found
    assert info_run.task(title).result["resources"][0]["spec"]["subsets"] == [V1]
    cluster.expect_requests(info_run.task(title), [("GET", path)])
