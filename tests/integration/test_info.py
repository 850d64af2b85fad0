# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""gateway_info and virtual_service_info: by name, namespace, all namespaces and selectors, one request each,
in check mode."""

from __future__ import annotations

import pytest

GATEWAYS = "/apis/networking.istio.io/v1/namespaces/%s/gateways"
VIRTUAL_SERVICES = "/apis/networking.istio.io/v1/namespaces/%s/virtualservices"


def gateway(namespace, name, labels):
    return {"apiVersion": "networking.istio.io/v1", "kind": "Gateway",
            "metadata": {"name": name, "namespace": namespace, "labels": labels},
            "spec": {"selector": {"istio": "ingressgateway"},
                     "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}]}}


def info(module, title, **options):
    return {"name": title, "meshsmith.istio.%s" % module: options, "register": "out"}


@pytest.fixture(scope="module")
def run(cluster, run_playbook):
    for namespace, name, labels in (("info-a", "web", {"tier": "web"}), ("info-a", "api", {"tier": "api"}),
                                    ("info-b", "web", {"tier": "web"})):
        cluster.ensure_namespace(namespace)
        cluster.api("POST", GATEWAYS % namespace, gateway(namespace, name, labels))
    cluster.api("POST", VIRTUAL_SERVICES % "info-a", {
        "apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": {"name": "proxy", "namespace": "info-a"},
        "spec": {"hosts": ["*"], "gateways": ["info-a/web"], "http": [{"route": [{"destination": {"host": "proxy"}}]}]}})
    result = run_playbook([
        info("gateway_info", "by name", name="api", namespace="info-a"),
        info("gateway_info", "missing", name="nope", namespace="info-a"),
        info("gateway_info", "by namespace", namespace="info-a"),
        info("gateway_info", "name in all namespaces", name="web"),
        info("gateway_info", "labels in all namespaces", label_selectors=["tier=web", "tier in (web, db)"]),
        info("virtual_service_info", "virtual services", namespace="info-a"),
    ], check=True)
    assert result.rc == 0, result.stdout + result.stderr
    return result


def names(task):
    assert task.status == "ok" and task.result["changed"] is False
    return sorted("%s/%s" % (item["metadata"]["namespace"], item["metadata"]["name"]) for item in task.result["resources"])


def test_by_name_is_one_get(run, cluster):
    assert names(run.task("by name")) == ["info-a/api"]
    cluster.expect_requests(run.task("by name"), [("GET", GATEWAYS % "info-a" + "/api")])
    assert names(run.task("missing")) == []


def test_by_namespace_and_across_namespaces_is_one_list(run, cluster):
    assert names(run.task("by namespace")) == ["info-a/api", "info-a/web"]
    cluster.expect_requests(run.task("by namespace"), [("GET", GATEWAYS % "info-a")])
    assert names(run.task("name in all namespaces")) == ["info-a/web", "info-b/web"]
    cluster.expect_requests(run.task("name in all namespaces"),
                            [("GET", "/apis/networking.istio.io/v1/gateways?fieldSelector=metadata.name%3Dweb")])


def test_label_selectors_are_all_applied(run, cluster):
    assert names(run.task("labels in all namespaces")) == ["info-a/web", "info-b/web"]
    task = run.task("labels in all namespaces")
    assert [call[0] for call in task.calls()] == (["GET"] if cluster.is_kubesim else [])
    assert all(item["kind"] == "Gateway" and item["apiVersion"] == "networking.istio.io/v1" for item in task.result["resources"])


def test_virtual_service_info(run, cluster):
    task = run.task("virtual services")
    assert names(task) == ["info-a/proxy"]
    assert task.result["resources"][0]["spec"]["gateways"] == ["info-a/web"]
    cluster.expect_requests(task, [("GET", VIRTUAL_SERVICES % "info-a")])
