# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""service_type switches a Service in one write, keeps what the switch removes in the restore annotation and
puts it back, checks its options before any request, and has a truthful check mode and diff."""

from __future__ import annotations

import json

import pytest

from ansible_collections.meshsmith.istio.plugins.modules import service_type

RESTORE = "meshsmith.istio/restore-load-balancer"
LEGACY_RANGES = "service.beta.kubernetes.io/load-balancer-source-ranges"
ITEM_PATH = "/api/v1/namespaces/default/services/proxy"


def load_balancer(**spec):
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "proxy", "namespace": "default", "labels": {"app": "proxy"},
                         "annotations": {"team": "shop", LEGACY_RANGES: "10.0.0.0/8"}},
            "spec": dict({"type": "LoadBalancer", "clusterIP": "10.96.0.12", "selector": {"app": "proxy"},
                          "ports": [{"name": "http", "port": 80, "targetPort": 8080, "nodePort": 31080}],
                          "externalTrafficPolicy": "Local", "healthCheckNodePort": 32000,
                          "loadBalancerSourceRanges": ["10.0.0.0/8"], "loadBalancerClass": "example.com/lb"}, **spec),
            "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}]}}}


def cluster_ip():
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "proxy", "namespace": "default"},
            "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.12", "ports": [{"port": 80}]}}


def stored(cluster):
    return cluster.stored("Service", "default", "proxy")


def switch(run_main, target_type, check_mode=False, diff=False, **options):
    return run_main(service_type, dict({"name": "proxy", "type": target_type}, **options), check_mode, diff)


@pytest.mark.parametrize("options, message", [
    ({"name": "Proxy_1"}, 'name: "Proxy_1" is not a valid Service name: a DNS-1035 label'),
    ({"name": "1proxy"}, 'name: "1proxy" is not a valid Service name'),  # a DNS-1035 label starts with a letter
    ({"namespace": "Default"}, 'namespace: "Default" is not a valid namespace name'),
    ({"type": "ExternalName"}, "value of type must be one of: ClusterIP, NodePort, LoadBalancer"),
])
def test_bad_input_fails_naming_the_option_before_any_request(run_main, no_requests, options, message):
    result = run_main(service_type, dict({"name": "proxy", "type": "ClusterIP"}, **options))
    assert result["failed"] is True
    assert result["msg"].startswith(message)


def test_switch_to_cluster_ip_is_one_get_and_one_put_keeping_what_it_removes(run_main, cluster_with):
    cluster = cluster_with([load_balancer()])
    result = switch(run_main, "ClusterIP")
    assert (result["changed"], result["method"], result["addresses"]) == (True, "updated", [])
    assert [request[:2] for request in cluster.requests] == [("GET", ITEM_PATH), ("PUT", ITEM_PATH)]
    service = stored(cluster)
    assert service["spec"] == {"type": "ClusterIP", "clusterIP": "10.96.0.12", "selector": {"app": "proxy"},
                               "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}
    annotations = service["metadata"]["annotations"]
    assert annotations["team"] == "shop" and LEGACY_RANGES not in annotations
    assert json.loads(annotations[RESTORE]) == {
        "annotations": {LEGACY_RANGES: "10.0.0.0/8"},
        "spec": {"externalTrafficPolicy": "Local", "loadBalancerClass": "example.com/lb",
                 "loadBalancerSourceRanges": ["10.0.0.0/8"]}}
    assert service["metadata"]["labels"] == {"app": "proxy"}


def test_back_to_load_balancer_restores_the_settings_and_drops_the_annotation(run_main, cluster_with):
    cluster = cluster_with([load_balancer()])
    switch(run_main, "ClusterIP")
    result = switch(run_main, "LoadBalancer")
    assert (result["changed"], result["method"]) == (True, "updated")
    service = stored(cluster)
    assert service["metadata"]["annotations"] == {"team": "shop", LEGACY_RANGES: "10.0.0.0/8"}
    assert {key: service["spec"].get(key) for key in ("type", "externalTrafficPolicy", "loadBalancerSourceRanges",
                                                      "loadBalancerClass", "healthCheckNodePort")} == {
        "type": "LoadBalancer", "externalTrafficPolicy": "Local", "loadBalancerSourceRanges": ["10.0.0.0/8"],
        "loadBalancerClass": "example.com/lb", "healthCheckNodePort": None}  # node ports come from the server anew
    assert "nodePort" not in service["spec"]["ports"][0]


def test_a_service_already_of_the_type_is_one_get_and_no_write(run_main, cluster_with):
    cluster = cluster_with([load_balancer()])
    result = switch(run_main, "LoadBalancer")
    assert (result["changed"], result["method"], result["addresses"]) == (False, "unchanged", ["203.0.113.10"])
    assert [request[0] for request in cluster.requests] == ["GET"]


def test_check_mode_sends_a_dry_run_and_stores_nothing(run_main, cluster_with):
    cluster = cluster_with([load_balancer()])
    result = switch(run_main, "NodePort", check_mode=True)
    assert (result["changed"], result["method"], result["result"]["spec"]["type"]) == (True, "updated", "NodePort")
    assert cluster.writes == [("PUT", ITEM_PATH, True)]
    assert stored(cluster)["spec"]["type"] == "LoadBalancer"


def test_diff_shows_the_type_dependent_fields_and_the_restore_annotation_only(run_main, cluster_with):
    cluster_with([load_balancer()])
    diff = switch(run_main, "ClusterIP", diff=True)["diff"]
    assert diff["before"]["spec"]["type"] == "LoadBalancer"
    assert diff["before"]["spec"]["loadBalancerSourceRanges"] == ["10.0.0.0/8"]
    assert diff["before"]["metadata"]["annotations"] == {LEGACY_RANGES: "10.0.0.0/8"}
    assert diff["after"]["spec"] == {"type": "ClusterIP", "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}
    assert set(diff["after"]["metadata"]["annotations"]) == {RESTORE}
    assert "labels" not in diff["after"]["metadata"] and "selector" not in diff["after"]["spec"]


def test_no_diff_without_diff_mode(run_main, cluster_with):
    cluster_with([load_balancer()])
    assert "diff" not in switch(run_main, "ClusterIP")


@pytest.mark.parametrize("live, message", [
    (None, "Service default/proxy not found"),
    (dict(cluster_ip(), spec={"type": "ClusterIP", "clusterIP": "None"}),
     "type: Service default/proxy is headless (clusterIP None) and cannot become LoadBalancer"),
    (dict(cluster_ip(), metadata={"name": "proxy", "namespace": "default", "annotations": {RESTORE: "[1]"}}),
     "type: annotation %s of Service default/proxy is not what this module writes" % RESTORE),
])
def test_a_service_that_cannot_switch_fails_without_a_write(run_main, cluster_with, live, message):
    cluster = cluster_with([live] if live else [])
    result = switch(run_main, "LoadBalancer")
    assert result["failed"] is True and result["msg"].startswith(message)
    assert cluster.writes == []


def test_wait_fails_when_no_address_comes_but_reports_the_switch(run_main, cluster_with):
    cluster = cluster_with([cluster_ip()])
    result = switch(run_main, "LoadBalancer", wait=True, wait_timeout=0)
    assert result["failed"] is True
    assert result["msg"] == "Timed out after 0s waiting for a load balancer address on Service default/proxy"
    assert result["changed"] is True and stored(cluster)["spec"]["type"] == "LoadBalancer"


def test_check_mode_does_not_wait(run_main, cluster_with):
    cluster = cluster_with([cluster_ip()])
    result = switch(run_main, "LoadBalancer", wait=True, wait_timeout=0, check_mode=True)
    assert (result.get("failed", False), result["changed"], result["addresses"]) == (False, True, [])
    assert [request[0] for request in cluster.requests] == ["GET", "PUT"]
