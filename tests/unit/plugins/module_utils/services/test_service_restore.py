# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""switch_service_type keeps what it removes from a LoadBalancer in one annotation and restores it on the way back."""

from __future__ import annotations

import json

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.services.switch import (
    LOAD_BALANCER_SOURCE_RANGES_ANNOTATION,
    RESTORE_ANNOTATION,
    ServiceSwitchError,
    service_diff_view,
    switch_service_type,
)

LOAD_BALANCER_SETTINGS = {
    "allocateLoadBalancerNodePorts": False,
    "externalTrafficPolicy": "Local",
    "loadBalancerClass": "example.com/internal",
    "loadBalancerIP": "198.51.100.7",
    "loadBalancerSourceRanges": ["203.0.113.0/24", "198.51.100.0/24"],
}


def load_balancer() -> dict:
    """A LoadBalancer Service as a 1.30 server stores it: allocated node ports, a health check node port."""
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "proxy", "namespace": "shop", "resourceVersion": "17",
                     "annotations": {"example.com/owner": "edge", LOAD_BALANCER_SOURCE_RANGES_ANNOTATION: "10.0.0.0/8"}},
        "spec": dict(LOAD_BALANCER_SETTINGS, type="LoadBalancer", clusterIP="10.96.0.42", healthCheckNodePort=31999,
                     selector={"app": "proxy"},
                     ports=[{"name": "http", "port": 80, "targetPort": 8080, "nodePort": 30080}]),
    }


def switch(service: dict, *types: str) -> dict:
    for service_type in types:
        service = switch_service_type(service, service_type)
    return service


def saved(service: dict) -> dict:
    return json.loads(service["metadata"]["annotations"][RESTORE_ANNOTATION])


def test_switch_off_the_load_balancer_keeps_what_it_removes_in_one_annotation():
    cluster_ip = switch(load_balancer(), "ClusterIP")
    assert set(LOAD_BALANCER_SETTINGS).isdisjoint(cluster_ip["spec"])
    assert saved(cluster_ip) == {"spec": LOAD_BALANCER_SETTINGS,
                                 "annotations": {LOAD_BALANCER_SOURCE_RANGES_ANNOTATION: "10.0.0.0/8"}}
    assert cluster_ip["metadata"]["annotations"]["example.com/owner"] == "edge"


@pytest.mark.parametrize("path", [("ClusterIP",), ("NodePort",), ("NodePort", "ClusterIP"), ("ClusterIP", "NodePort")])
def test_back_to_load_balancer_restores_ranges_policy_and_class_and_removes_the_annotation(path):
    restored = switch(load_balancer(), *path, "LoadBalancer")
    assert {field: restored["spec"].get(field) for field in LOAD_BALANCER_SETTINGS} == LOAD_BALANCER_SETTINGS
    assert restored["metadata"]["annotations"] == {
        "example.com/owner": "edge", LOAD_BALANCER_SOURCE_RANGES_ANNOTATION: "10.0.0.0/8"}


def test_node_ports_and_health_check_node_port_are_allocated_anew_not_restored():
    restored = switch(load_balancer(), "ClusterIP", "LoadBalancer")
    assert "healthCheckNodePort" not in restored["spec"]
    assert [port.get("nodePort") for port in restored["spec"]["ports"]] == [None]


def test_node_port_gets_back_the_traffic_policy_and_keeps_the_rest_for_the_load_balancer():
    node_port = switch(load_balancer(), "ClusterIP", "NodePort")
    assert node_port["spec"]["externalTrafficPolicy"] == "Local"
    assert "externalTrafficPolicy" not in saved(node_port)["spec"]
    assert saved(node_port)["spec"]["loadBalancerSourceRanges"] == LOAD_BALANCER_SETTINGS["loadBalancerSourceRanges"]


def test_a_value_the_service_has_is_never_overwritten():
    node_port = switch(load_balancer(), "ClusterIP", "NodePort")
    node_port["spec"]["externalTrafficPolicy"] = "Cluster"  # set by the user on the NodePort Service
    assert switch(node_port, "LoadBalancer")["spec"]["externalTrafficPolicy"] == "Cluster"


def test_a_load_balancers_own_fields_replace_an_older_annotation():
    live = load_balancer()
    del live["spec"]["loadBalancerSourceRanges"]
    live["metadata"]["annotations"][RESTORE_ANNOTATION] = json.dumps({"spec": {"loadBalancerSourceRanges": ["0.0.0.0/0"]}})
    assert "loadBalancerSourceRanges" not in saved(switch(live, "ClusterIP"))["spec"]


def test_nothing_to_keep_writes_no_annotation():
    live = {"metadata": {"name": "plain", "namespace": "shop"},
            "spec": {"type": "LoadBalancer", "ports": [{"port": 80, "nodePort": 30081}]}}
    assert "annotations" not in switch(live, "ClusterIP")["metadata"]


def test_server_defaults_are_not_kept():
    live = {"metadata": {"name": "plain", "namespace": "shop"},
            "spec": {"type": "LoadBalancer", "externalTrafficPolicy": "Cluster", "allocateLoadBalancerNodePorts": True}}
    assert "annotations" not in switch(live, "ClusterIP")["metadata"]


def test_the_same_type_leaves_the_annotation_alone():
    cluster_ip = switch(load_balancer(), "ClusterIP")
    assert switch(cluster_ip, "ClusterIP") == cluster_ip


@pytest.mark.parametrize("value", ["not json", "[]", '{"spec": []}', '{"spec": {"selector": {}}}',
                                   '{"annotations": {"other": "x"}}', '{"annotations": {"%s": 1}}'
                                   % LOAD_BALANCER_SOURCE_RANGES_ANNOTATION, '{"extra": {}}'])
def test_an_annotation_this_module_did_not_write_is_a_clear_error(value):
    cluster_ip = switch(load_balancer(), "ClusterIP")
    cluster_ip["metadata"]["annotations"][RESTORE_ANNOTATION] = value
    with pytest.raises(ServiceSwitchError) as raised:
        switch(cluster_ip, "LoadBalancer")
    assert str(raised.value).startswith(
        "type: annotation %s of Service shop/proxy is not what this module writes" % RESTORE_ANNOTATION)


def test_diff_view_shows_the_annotation_written_and_removed():
    live = load_balancer()
    cluster_ip = switch(live, "ClusterIP")
    after = service_diff_view(cluster_ip)["metadata"]["annotations"]
    assert after == {RESTORE_ANNOTATION: cluster_ip["metadata"]["annotations"][RESTORE_ANNOTATION]}
    assert service_diff_view(switch(cluster_ip, "LoadBalancer"))["metadata"]["annotations"] == {
        LOAD_BALANCER_SOURCE_RANGES_ANNOTATION: "10.0.0.0/8"}
