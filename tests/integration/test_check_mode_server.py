# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check mode asks the server: a change is sent as a dry run (``?dryRun=All``), so what the server refuses fails
under --check too, and nothing is stored. A create into a namespace that does not exist fails at once."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.module_logic  # not run on the oldest ansible-core (README, Tests)

NAMESPACE = "check-server"
GATEWAYS = "/apis/networking.istio.io/v1/namespaces/%s/gateways" % NAMESPACE
GATEWAY = GATEWAYS + "/edge"
VIRTUAL_SERVICES = "/apis/networking.istio.io/v1/namespaces/%s/virtualservices" % NAMESPACE
VIRTUAL_SERVICE = VIRTUAL_SERVICES + "/web"
DRY_RUN = "?dryRun=All"
# The module (like istiod) only wants weights to be non-negative; the CRD schema says int32.
TOO_HEAVY = 3000000000


def virtual_service_task(name: str, weight: int, check_mode: bool) -> dict:
    route = [{"destination": {"host": "web"}, "weight": weight}, {"destination": {"host": "web-canary"}, "weight": 1}]
    return {"name": name, "check_mode": check_mode, "ignore_errors": True,
            "meshsmith.istio.virtual_service": {"name": "web", "namespace": NAMESPACE, "hosts": ["web.example.com"],
                                                "gateways": ["istio-system/default-gateway"],
                                                "http": [{"route": route}]}}


def gateway_task(name: str, check_mode: bool, namespace: str = NAMESPACE, **options) -> dict:
    return {"name": name, "check_mode": check_mode, "ignore_errors": True,
            "meshsmith.istio.gateway": {"name": "edge", "namespace": namespace, "selector": {"istio": "ingressgateway"},
                                        **options}}


def servers(host: str) -> list:
    return [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": [host]}]


@pytest.fixture(scope="module")
def fresh_namespace(cluster):
    cluster.ensure_namespace(NAMESPACE)
    for path in (GATEWAY, VIRTUAL_SERVICE):
        cluster.api("DELETE", path)
    return cluster


def test_a_write_the_crd_schema_refuses_fails_under_check_mode_with_the_servers_message(fresh_namespace, run_playbook):
    cluster = fresh_namespace
    run = run_playbook([
        virtual_service_task("create refused (check)", TOO_HEAVY, check_mode=True),
        virtual_service_task("create", 5, check_mode=False),
        virtual_service_task("update refused (check)", TOO_HEAVY, check_mode=True),
    ])
    create_refused, created, update_refused = run.tasks
    assert created.status == "ok", created.result.get("msg")
    for task in (create_refused, update_refused):
        assert task.status == "failed"
        assert task.result["status"] == 422
        assert "spec.http[0].route[0].weight" in task.result["msg"], task.result["msg"]
    assert create_refused.result["msg"].startswith("Failed to create VirtualService %s/web: 422 Invalid: " % NAMESPACE)
    assert update_refused.result["msg"].startswith("Failed to update VirtualService %s/web: 422 Invalid: " % NAMESPACE)
    cluster.expect_requests(create_refused, [("GET", VIRTUAL_SERVICE), ("POST", VIRTUAL_SERVICES + DRY_RUN)])
    cluster.expect_requests(update_refused, [("GET", VIRTUAL_SERVICE), ("PUT", VIRTUAL_SERVICE + DRY_RUN)])
    assert cluster.get(VIRTUAL_SERVICE)["spec"]["http"][0]["route"][0]["weight"] == 5


def test_check_mode_create_update_delete_send_one_dry_run_write_and_store_nothing(fresh_namespace, run_playbook):
    cluster = fresh_namespace
    (create,) = run_playbook([gateway_task("create (check)", True, servers=servers("a.example.com"))]).tasks
    create.expect(True, "created")
    cluster.expect_requests(create, [("GET", GATEWAY), ("POST", GATEWAYS + DRY_RUN)])
    assert cluster.get(GATEWAY) is None
    assert create.result["result"]["spec"]["servers"] == servers("a.example.com")

    run = run_playbook([gateway_task("create", False, servers=servers("a.example.com")),
                        gateway_task("update (check)", True, servers=servers("b.example.com")),
                        gateway_task("delete (check)", True, state="absent")])
    _, update, delete = run.tasks
    stored = cluster.get(GATEWAY)
    update.expect(True, "updated")
    cluster.expect_requests(update, [("GET", GATEWAY), ("PUT", GATEWAY + DRY_RUN)])
    assert update.result["diff"]["after"]["spec"]["servers"] == servers("b.example.com")
    assert update.result["result"]["metadata"]["resourceVersion"] == stored["metadata"]["resourceVersion"]
    delete.expect(True, "deleted")
    cluster.expect_requests(delete, [("GET", GATEWAY), ("DELETE", GATEWAY + DRY_RUN)])
    assert stored["spec"]["servers"] == servers("a.example.com"), "the dry runs stored nothing"

    (noop,) = run_playbook([gateway_task("no-op (check)", True, servers=servers("a.example.com"))]).tasks
    noop.expect(False, "unchanged")
    cluster.expect_requests(noop, [("GET", GATEWAY)])


def test_create_into_a_missing_namespace_fails_at_once_and_check_mode_says_it_cannot_judge(cluster, run_playbook):
    missing = "check-server-nowhere"
    run = run_playbook([gateway_task("create", False, namespace=missing, servers=servers("a.example.com")),
                        gateway_task("create (check)", True, namespace=missing, servers=servers("a.example.com"))])
    create, checked = run.tasks
    item = "/apis/networking.istio.io/v1/namespaces/%s/gateways" % missing
    assert create.status == "failed"
    assert create.result["msg"] == (
        'Failed to create Gateway %s/edge: namespace: Namespace "%s" does not exist (create it first, or correct the '
        "namespace option)" % (missing, missing))
    cluster.expect_requests(create, [("GET", item + "/edge"), ("POST", item)])
    checked.expect(True, "created")
    cluster.expect_requests(checked, [("GET", item + "/edge"), ("POST", item + DRY_RUN)])
    assert [warning.startswith('Check mode: namespace "%s" does not exist, so the server could not dry-run this '
                               "create" % missing) for warning in checked.result["warnings"]] == [True]
