# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""switch_service_type builds the one object a type switch stores, valid for every server version."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.services.switch import (
    LOAD_BALANCER_SOURCE_RANGES_ANNOTATION,
    RESTORE_ANNOTATION,
    ServiceSwitchError,
    service_diff_view,
    switch_service_type,
)

FOREIGN_LABELS = {"app": "proxy", "team": "edge"}
FOREIGN_ANNOTATIONS = {"example.com/owner": "someone-else"}


def service_of_type(service_type: str) -> dict:
    """A Service as a pre-1.20 server stores it: every field its type allows is set."""
    spec = {
        "type": service_type,
        "clusterIP": "10.96.0.42",
        "clusterIPs": ["10.96.0.42"],
        "ipFamilies": ["IPv4"],
        "ipFamilyPolicy": "SingleStack",
        "sessionAffinity": "None",
        "internalTrafficPolicy": "Cluster",
        "externalIPs": ["192.0.2.10"],
        "selector": {"app": "proxy"},
        "ports": [
            {"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"},
            {"name": "https", "port": 443, "targetPort": 8443, "protocol": "TCP"},
        ],
    }
    annotations = dict(FOREIGN_ANNOTATIONS)
    if service_type in ("NodePort", "LoadBalancer"):
        spec["externalTrafficPolicy"] = "Local"
        for node_port, port in zip((30080, 30443), spec["ports"]):
            port["nodePort"] = node_port
    if service_type == "LoadBalancer":
        spec.update(
            healthCheckNodePort=31999,
            allocateLoadBalancerNodePorts=True,
            loadBalancerClass="example.com/lb",
            loadBalancerIP="198.51.100.7",
            loadBalancerSourceRanges=["203.0.113.0/24"],
        )
        annotations[LOAD_BALANCER_SOURCE_RANGES_ANNOTATION] = "203.0.113.0/24"
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": "proxy",
            "namespace": "default",
            "resourceVersion": "17",
            "labels": dict(FOREIGN_LABELS),
            "annotations": annotations,
        },
        "spec": spec,
        "status": {"loadBalancer": {}},
    }


# what the API server (validation.go ValidateService) refuses on each type
FORBIDDEN = {
    "ClusterIP": {
        "externalTrafficPolicy",
        "healthCheckNodePort",
        "allocateLoadBalancerNodePorts",
        "loadBalancerClass",
        "loadBalancerIP",
        "loadBalancerSourceRanges",
    },
    "NodePort": {
        "healthCheckNodePort",
        "allocateLoadBalancerNodePorts",
        "loadBalancerClass",
        "loadBalancerIP",
        "loadBalancerSourceRanges",
    },
    "LoadBalancer": set(),
}
TYPES = ("ClusterIP", "NodePort", "LoadBalancer")
KEPT_SPEC_FIELDS = ("clusterIP", "clusterIPs", "ipFamilies", "sessionAffinity", "externalIPs", "selector")


@pytest.mark.parametrize("source", TYPES)
@pytest.mark.parametrize("target", TYPES)
def test_switch_sets_type_clears_forbidden_and_keeps_the_rest(source, target):
    live = service_of_type(source)
    switched = switch_service_type(live, target)

    spec = switched["spec"]
    assert spec["type"] == target
    assert not FORBIDDEN[target] & set(spec), "fields %s refused on %s" % (FORBIDDEN[target] & set(spec), target)
    for field in KEPT_SPEC_FIELDS:
        assert spec[field] == live["spec"][field]
    assert [(p["name"], p["port"], p["targetPort"]) for p in spec["ports"]] == [
        (p["name"], p["port"], p["targetPort"]) for p in live["spec"]["ports"]
    ]
    assert switched["metadata"]["labels"] == FOREIGN_LABELS
    assert FOREIGN_ANNOTATIONS.items() <= switched["metadata"]["annotations"].items()
    assert switched["metadata"]["resourceVersion"] == "17"


@pytest.mark.parametrize("source", TYPES)
@pytest.mark.parametrize("target", TYPES)
def test_node_ports_removed_only_for_cluster_ip(source, target):
    live = service_of_type(source)
    node_ports = [port.get("nodePort") for port in switch_service_type(live, target)["spec"]["ports"]]
    if target == "ClusterIP":
        assert node_ports == [None, None]
    else:
        assert node_ports == [port.get("nodePort") for port in live["spec"]["ports"]]


@pytest.mark.parametrize("source", TYPES)
def test_same_type_is_returned_unchanged(source):
    live = service_of_type(source)
    assert switch_service_type(live, source) == live


def test_load_balancer_to_node_port_keeps_external_traffic_policy():
    switched = switch_service_type(service_of_type("LoadBalancer"), "NodePort")
    assert switched["spec"]["externalTrafficPolicy"] == "Local"
    assert "healthCheckNodePort" not in switched["spec"]


def test_legacy_source_ranges_annotation_dropped_outside_load_balancer():
    live = service_of_type("LoadBalancer")
    for target in ("ClusterIP", "NodePort"):
        assert LOAD_BALANCER_SOURCE_RANGES_ANNOTATION not in switch_service_type(live, target)["metadata"]["annotations"]


def test_input_is_not_mutated():
    live = service_of_type("LoadBalancer")
    snapshot = copy.deepcopy(live)
    switch_service_type(live, "ClusterIP")
    assert live == snapshot


def test_missing_type_means_cluster_ip():
    live = service_of_type("ClusterIP")
    del live["spec"]["type"]
    assert switch_service_type(live, "ClusterIP") == live
    assert switch_service_type(live, "NodePort")["spec"]["type"] == "NodePort"


def test_external_name_service_loses_external_name():
    live = {"metadata": {"name": "db", "namespace": "default"}, "spec": {"type": "ExternalName", "externalName": "db.example.com"}}
    switched = switch_service_type(live, "ClusterIP")
    assert switched["spec"] == {"type": "ClusterIP"}


def test_headless_service_cannot_get_node_ports():
    live = service_of_type("ClusterIP")
    live["spec"]["clusterIP"] = "None"
    with pytest.raises(ServiceSwitchError, match="type: Service default/proxy is headless"):
        switch_service_type(live, "LoadBalancer")


def test_unknown_type_is_refused():
    with pytest.raises(ServiceSwitchError, match="type: must be one of ClusterIP, NodePort, LoadBalancer, got 'Ingress'"):
        switch_service_type(service_of_type("ClusterIP"), "Ingress")


def test_diff_view_shows_type_dependent_fields_and_ports_only():
    live = service_of_type("LoadBalancer")
    before = service_diff_view(live)
    after = service_diff_view(switch_service_type(live, "ClusterIP"))
    assert before["spec"]["type"] == "LoadBalancer"
    assert before["spec"]["loadBalancerSourceRanges"] == ["203.0.113.0/24"]
    assert before["metadata"]["annotations"] == {LOAD_BALANCER_SOURCE_RANGES_ANNOTATION: "203.0.113.0/24"}
    assert list(after["metadata"].pop("annotations")) == [RESTORE_ANNOTATION]  # see test_service_restore.py
    assert after == {
        "metadata": {"name": "proxy", "namespace": "default"},
        "spec": {
            "type": "ClusterIP",
            "ports": [
                {"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"},
                {"name": "https", "port": 443, "targetPort": 8443, "protocol": "TCP"},
            ],
        },
    }
    assert "selector" not in before["spec"] and "labels" not in before["metadata"]


def test_diff_view_of_absent_service_is_empty():
    assert service_diff_view(None) == {}
