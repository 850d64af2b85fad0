# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""gateway_info and virtual_service_info: by name, namespace, all namespaces and selectors, one request each,
in check mode."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.module_logic  # not run on the oldest ansible-core (README, Tests)

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


def test_a_cluster_without_the_istio_crds_holds_no_istio_objects(tmp_path, attach_kubesim):
    """A LIST answered 404 because the type is not served means no objects, as with kubernetes.core.k8s_info;
    route_check says what is missing as findings instead of failing on the 404."""
    from kubesim.testing import KubeSim

    with KubeSim(tmp_path / "bare") as bare:
        bare_cluster, run_on_bare = attach_kubesim(bare)
        auth = {"kubeconfig": str(bare.kubeconfig)}
        result = run_on_bare([
            info("gateway_info", "all namespaces", **auth),
            info("gateway_info", "one namespace", namespace="default", **auth),
            info("virtual_service_info", "by label", label_selectors=["app=proxy"], **auth),
            {"name": "route check", "meshsmith.istio.route_check": dict(url="http://203.0.113.10/", fail_on="never", **auth)},
        ], check=True)
        bare.fault(method="GET", path="/gateways$", status=403)
        refused = run_on_bare([info("gateway_info", "refused", **auth)])
    assert result.rc == 0, result.stdout + result.stderr
    for title in ("all namespaces", "one namespace", "by label"):
        assert names(result.task(title)) == []
    bare_cluster.expect_requests(result.task("one namespace"), [("GET", GATEWAYS % "default")])
    checked = result.task("route check").result
    assert checked["route"] is None
    assert [(found["code"], found["resource"]) for found in checked["findings"][:2]] == [
        ("API_NOT_SERVED", "CustomResourceDefinition gateways.networking.istio.io"),
        ("API_NOT_SERVED", "CustomResourceDefinition virtualservices.networking.istio.io")]
    assert checked["summary"].startswith("http://203.0.113.10/ → no route: the cluster does not serve "
                                         "networking.istio.io/v1 Gateway")
    # only a 404 means "not served": any other refusal still fails the task
    assert refused.task("refused").status == "failed"
    assert refused.task("refused").result["msg"].startswith("Failed to list Gateway objects in all namespaces: 403 Forbidden")

