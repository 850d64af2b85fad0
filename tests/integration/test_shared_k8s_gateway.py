# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Many applications on one Gateway API Gateway: ``meshsmith.istio.k8s_gateway`` with ``listeners_mode=merge``.

Module level (a kubesim with the Gateway API CRDs): another team's Gateway (no ownership label) with its listener
and HTTPRoute, and a Gateway the collection creates, each step first in check mode, with kubesim's request log.
Playbook level (the Gateway API chain's kubesim): expose.yml and teardown.yml keep a foreign Gateway's listener.
"""

from __future__ import annotations

import pytest

from test_apply_docs import module_examples
from test_gateway_api_chain import K8S_GATEWAY, KUBERNETES_MODE, gw_cluster  # noqa: F401 (fixture)
from test_gateway_api_modules import gateway_api  # noqa: F401 (fixture)

NAMESPACE = "shared-k8s-gw"
API = "/apis/gateway.networking.k8s.io/v1"
GATEWAYS = "%s/namespaces/%s/gateways" % (API, NAMESPACE)
ROUTES = "%s/namespaces/%s/httproutes" % (API, NAMESPACE)
ALL_ROUTES = API + "/httproutes"
OWNER = {"app.kubernetes.io/managed-by": "meshsmith.istio"}
SAME = {"namespaces": {"from": "Same"}}
THEIRS = {"name": "team-b", "port": 8080, "protocol": "HTTP", "hostname": "b.example.com", "allowedRoutes": SAME}
OURS = {"name": "app-a", "port": 80, "protocol": "HTTP", "hostname": "a.example.com", "allowedRoutes": SAME}


def merge_task(title: str, gateway: str, listener: dict, state: str = "present", **options) -> dict:
    """A k8s_gateway task in merge mode with one listener (API field names, as the module accepts them)."""
    return {"name": title, "ignore_errors": True, "meshsmith.istio.k8s_gateway": {
        "name": gateway, "namespace": NAMESPACE, "listeners_mode": "merge", "state": state, "listeners": [listener],
        **({"gateway_class_name": "istio"} if state == "present" else {}), **options}}


def gateway_object(name: str, listeners: list) -> dict:
    return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
            "metadata": {"name": name, "namespace": NAMESPACE},
            "spec": {"gatewayClassName": "istio", "listeners": listeners}}


def route_object(name: str, gateway: str, **ref) -> dict:
    return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": name, "namespace": NAMESPACE},
            "spec": {"parentRefs": [{"name": gateway, **ref}], "rules": [{"backendRefs": [{"name": name, "port": 80}]}]}}


@pytest.fixture(scope="module")
def shared(gateway_api, attach_kubesim):  # noqa: F811 (fixture)
    """(Cluster, run_playbook) on the Gateway API kubesim, with another team's Gateway ``foreign`` (listener
    ``team-b``, attached to by its HTTPRoute through sectionName) and the HTTPRoute ``shop`` that attaches to the
    listener ``app-a`` of the Gateway ``owned`` (not there yet)."""
    sim, run = gateway_api
    cluster = attach_kubesim(sim)[0]
    cluster.ensure_namespace(NAMESPACE)
    cluster.seed(GATEWAYS, gateway_object("foreign", [THEIRS]))
    cluster.seed(ROUTES, route_object("team-b", "foreign", sectionName="team-b"))
    cluster.seed(ROUTES, route_object("shop", "owned", sectionName="app-a"))
    return cluster, run


@pytest.fixture(scope="module")
def merges(shared):
    """Every step (each first in check mode) in two runs: the HTTPRoute ``shop`` is deleted between them."""
    cluster, run = shared
    foreign_before = cluster.get(GATEWAYS + "/foreign")
    conflicting = dict(THEIRS, port=9090)
    first = run([merge_task("add", "foreign", OURS), merge_task("add again", "foreign", OURS),
                 merge_task("conflict", "foreign", conflicting),
                 merge_task("other class", "foreign", OURS, gateway_class_name="other"),
                 merge_task("purge", "foreign", OURS, purge_labels=True),
                 merge_task("create", "owned", OURS),
                 merge_task("owned remove while attached", "owned", OURS, state="absent")], check_first=True)
    after_first = {name: cluster.get("%s/%s" % (GATEWAYS, name)) for name in ("foreign", "owned")}
    cluster.api("DELETE", ROUTES + "/shop")
    second = run([merge_task("remove", "foreign", OURS, state="absent"),
                  merge_task("remove theirs", "foreign", THEIRS, state="absent"),
                  merge_task("owned remove", "owned", OURS, state="absent")], check_first=True)
    return foreign_before, first, after_first, second


def gateway_path(name: str) -> str:
    return "%s/%s" % (GATEWAYS, name)


def test_merge_adds_our_listener_and_keeps_theirs_byte_for_byte(shared, merges):
    cluster, (foreign_before, first, after_first, _second) = shared[0], merges
    item = gateway_path("foreign")
    added = cluster.expect_step(first, "add", "updated", [("GET", item), ("PUT", item)])
    assert added.result["result"]["spec"]["listeners"] == [foreign_before["spec"]["listeners"][0], OURS]
    assert after_first["foreign"]["spec"]["listeners"][0] == foreign_before["spec"]["listeners"][0]
    assert "labels" not in after_first["foreign"]["metadata"]  # not the collection's: no ownership label
    diff = added.result["diff"]
    assert diff["before"]["spec"]["listeners"] == [THEIRS] and diff["after"]["spec"]["listeners"] == [THEIRS, OURS]
    cluster.expect_step(first, "add again", "unchanged", [("GET", item)])


def test_a_conflicting_listener_or_class_fails_naming_the_option_and_writes_nothing(shared, merges):
    cluster, first = shared[0], merges[1]
    item = gateway_path("foreign")
    for step in ("conflict", "other class"):
        for task in (first.task(step + " (check)"), first.task(step)):
            assert task.status == "failed"
            cluster.expect_requests(task, [("GET", item)])
    assert first.task("conflict").result["msg"].startswith(
        "listeners[0]: listener 'team-b' of Gateway %s/foreign differs in port (live {'port': 8080})" % NAMESPACE)
    assert first.task("other class").result["msg"].startswith(
        "gateway_class_name: Gateway %s/foreign has gatewayClassName 'istio', not 'other'" % NAMESPACE)
    purge = first.task("purge")
    assert purge.status == "failed" and purge.result["msg"].startswith(
        "purge_labels: cannot be combined with listeners_mode=merge")
    cluster.expect_requests(purge, [])
    assert merges[2]["foreign"]["spec"]["listeners"] == [THEIRS, OURS]


def test_removal_takes_only_our_listener_and_never_deletes_the_foreign_gateway(shared, merges):
    cluster, second = shared[0], merges[3]
    item = gateway_path("foreign")
    removed = cluster.expect_step(second, "remove", "updated", [("GET", item), ("GET", ALL_ROUTES), ("PUT", item)])
    assert removed.result["result"]["spec"]["listeners"] == [THEIRS]
    kept = cluster.expect_step(second, "remove theirs", "unchanged", [("GET", item), ("GET", ALL_ROUTES)])
    assert "listener 'team-b' of Gateway %s/foreign is kept: HTTPRoute %s/team-b still attaches to it" % (
        NAMESPACE, NAMESPACE) in kept.result["warnings"]
    assert cluster.get(item)["spec"]["listeners"] == [THEIRS]


def test_an_owned_gateway_keeps_a_listener_a_route_attaches_to_then_is_deleted_with_its_last(shared, merges):
    cluster, (_before, first, after_first, second) = shared[0], merges
    item = gateway_path("owned")
    created = cluster.expect_step(first, "create", "created", [("GET", item), ("POST", GATEWAYS)])
    assert created.result["result"]["metadata"]["labels"] == OWNER
    kept = cluster.expect_step(first, "owned remove while attached", "unchanged", [("GET", item), ("GET", ALL_ROUTES)])
    assert ("listener 'app-a' of Gateway %s/owned is kept: HTTPRoute %s/shop still attaches to it" % (
        NAMESPACE, NAMESPACE)) in kept.result["warnings"]
    assert after_first["owned"]["spec"]["listeners"] == [OURS]
    deleted = cluster.expect_step(second, "owned remove", "deleted", [("GET", item), ("GET", ALL_ROUTES), ("DELETE", item)])
    assert deleted.result["diff"]["after"] == {}
    assert cluster.get(item) is None


def test_the_merge_examples_run_as_written(shared):
    cluster, run = shared
    cluster.ensure_namespace("istio-ingress")
    examples = [example for example in module_examples("k8s_gateway")
                if example["meshsmith.istio.k8s_gateway"].get("listeners_mode") == "merge"]
    assert len(examples) == 2
    done = run(examples)
    assert [task.result["method"] for task in done.tasks] == ["created", "deleted"], done.stdout


def test_expose_and_teardown_keep_a_foreign_gateways_listener(gw_cluster):  # noqa: F811 (fixture)
    """expose.yml then teardown.yml (gateway_api=kubernetes) where another team's Gateway of the same name exists."""
    theirs = THEIRS  # port 8080, listed first: the play's URL and route check are still on its own port 80
    foreign = dict(gateway_object("default-gateway", [theirs]), metadata={"name": "default-gateway",
                                                                            "namespace": "istio-system"})
    gw_cluster.sim.api("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace",
                                                      "metadata": {"name": "istio-system"}})
    assert gw_cluster.sim.api("POST", K8S_GATEWAY.rsplit("/", 1)[0], foreign)[0] == 201
    exposed = gw_cluster.run("playbooks/expose.yml", "istio_charts_dir=%s" % gw_cluster.charts, KUBERNETES_MODE)
    after_expose = gw_cluster.get(K8S_GATEWAY)
    torn_down = gw_cluster.run("playbooks/teardown.yml", KUBERNETES_MODE)
    after_teardown = gw_cluster.get(K8S_GATEWAY)
    assert exposed.rc == 0, exposed.stdout
    assert torn_down.rc == 0, torn_down.stdout
    http = {"name": "http", "port": 80, "protocol": "HTTP", "allowedRoutes": {"namespaces": {"from": "All"}}}
    assert after_expose["spec"]["listeners"] == [theirs, http]
    assert "labels" not in after_expose["metadata"]
    assert after_teardown is not None and after_teardown["spec"]["listeners"] == [theirs]
    assert "labels" not in after_teardown["metadata"]
