"""kubesim.services: Service defaulting, update strategy, validation and allocation."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kubesim.patch import strategic_merge_patch
from kubesim.services import Allocator, Invalid, prepare_create, prepare_update, release

CURRENT = (1, 30)
PRE_1_20 = (1, 19)


def service(**spec: Any) -> dict[str, Any]:
    body = {"selector": {"app": "proxy"}, "ports": [{"name": "http", "port": 80}], **spec}
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "proxy", "namespace": "default"},
            "spec": body}


def causes_of(call, *args: Any) -> list[tuple[str, str]]:
    with pytest.raises(Invalid) as raised:
        call(*args)
    return [(cause["field"], cause["message"]) for cause in raised.value.causes]


@pytest.fixture
def allocator() -> Allocator:
    return Allocator()


@pytest.fixture
def load_balancer(allocator: Allocator) -> dict[str, Any]:
    return prepare_create(service(type="LoadBalancer"), allocator, CURRENT)


# --- create ---------------------------------------------------------------------------------


def test_create_defaults_a_cluster_ip_service(allocator):
    submitted = service()
    created = prepare_create(submitted, allocator, CURRENT)
    assert created["spec"] == {
        "selector": {"app": "proxy"},
        "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 80}],
        "type": "ClusterIP", "sessionAffinity": "None", "internalTrafficPolicy": "Cluster",
        "clusterIP": "10.96.0.2", "clusterIPs": ["10.96.0.2"], "ipFamilies": ["IPv4"],
        "ipFamilyPolicy": "SingleStack"}
    assert created["status"] == {"loadBalancer": {}}
    assert submitted == service(), "input must not be mutated"


def test_load_balancer_gets_node_ports_and_its_defaults(load_balancer):
    spec = load_balancer["spec"]
    assert spec["ports"][0]["nodePort"] == 30000
    assert spec["externalTrafficPolicy"] == "Cluster"
    assert spec["allocateLoadBalancerNodePorts"] is True
    assert "healthCheckNodePort" not in spec


def test_local_load_balancer_gets_a_health_check_node_port(allocator):
    created = prepare_create(service(type="LoadBalancer", externalTrafficPolicy="Local"), allocator, CURRENT)
    assert created["spec"]["healthCheckNodePort"] == 30001


def test_headless_and_external_name_services_get_no_address(allocator):
    headless = prepare_create(service(clusterIP="None", ports=[]), allocator, CURRENT)
    assert headless["spec"]["clusterIPs"] == ["None"]
    external = prepare_create(service(type="ExternalName", externalName="example.com", ports=[]), allocator, CURRENT)
    assert "clusterIP" not in external["spec"] and "ipFamilies" not in external["spec"]
    assert allocator.cluster_ips == set()


def test_requested_values_are_reused_and_conflicts_refused(allocator):
    first = prepare_create(service(type="NodePort", clusterIP="10.96.0.50",
                                   ports=[{"port": 80, "nodePort": 30080}]), allocator, CURRENT)
    assert first["spec"]["clusterIPs"] == ["10.96.0.50"]
    assert first["spec"]["ports"][0]["nodePort"] == 30080
    assert causes_of(prepare_create, service(type="NodePort", ports=[{"port": 80, "nodePort": 30080}]),
                     allocator, CURRENT) == [
        ("spec.ports[0].nodePort", "Invalid value: 30080: provided port is already allocated")]
    assert causes_of(prepare_create, service(clusterIP="10.96.0.50"), allocator, CURRENT) == [
        ("spec.clusterIPs", 'Invalid value: []string{"10.96.0.50"}: failed to allocate IP 10.96.0.50: '
                            "provided IP is already allocated")]


def test_values_outside_the_ranges_are_refused(allocator):
    assert causes_of(prepare_create, service(type="NodePort", ports=[{"port": 80, "nodePort": 8080}]),
                     allocator, CURRENT) == [
        ("spec.ports[0].nodePort", "Invalid value: 8080: provided port is not in the valid range. "
                                   "The range of valid ports is 30000-32767")]
    assert causes_of(prepare_create, service(clusterIP="192.168.0.1"), allocator, CURRENT)[0][1].endswith(
        "the provided IP (192.168.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12")


def test_a_failed_allocation_releases_what_it_took(allocator):
    prepare_create(service(type="NodePort", ports=[{"port": 80, "nodePort": 30005}]), allocator, CURRENT)
    taken = (set(allocator.cluster_ips), set(allocator.used_node_ports))
    with pytest.raises(Invalid):
        prepare_create(service(type="NodePort", ports=[{"name": "a", "port": 81},
                                                       {"name": "b", "port": 82, "nodePort": 30005}]),
                       allocator, CURRENT)
    assert (allocator.cluster_ips, allocator.used_node_ports) == taken


def test_dry_run_returns_allocated_values_but_keeps_nothing(allocator):
    created = prepare_create(service(type="NodePort"), allocator, CURRENT, dry_run=True)
    assert created["spec"]["clusterIP"] and created["spec"]["ports"][0]["nodePort"]
    assert allocator.cluster_ips == set() and allocator.used_node_ports == set()


def test_release_gives_everything_back(allocator):
    created = prepare_create(service(type="LoadBalancer", externalTrafficPolicy="Local"), allocator, CURRENT)
    release(created, allocator)
    assert allocator.cluster_ips == set() and allocator.used_node_ports == set()


# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize("spec, expected", [
    ({"ports": [{"port": 80, "nodePort": 30080}]},
     [("spec.ports[0].nodePort", "Forbidden: may not be used when `type` is 'ClusterIP'")]),
    ({"externalTrafficPolicy": "Local"},
     [("spec.externalTrafficPolicy", 'Invalid value: "Local": may only be set for externally-accessible services')]),
    ({"loadBalancerSourceRanges": ["10.0.0.0/8"]},
     [("spec.LoadBalancerSourceRanges", "Forbidden: may only be used when `type` is 'LoadBalancer'")]),
    ({"type": "LoadBalancer", "loadBalancerSourceRanges": ["nonsense"]},
     [("spec.LoadBalancerSourceRanges[0]",
       'Invalid value: "nonsense": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')]),
    ({"type": "NodePort", "healthCheckNodePort": 30500},
     [("spec.healthCheckNodePort", "Invalid value: 30500: may only be set when `type` is 'LoadBalancer' and "
                                   "`externalTrafficPolicy` is 'Local'")]),
    ({"ports": []}, [("spec.ports", "Required value")]),
    ({"ports": [{"port": 0, "targetPort": 80}]},
     [("spec.ports[0].port", "Invalid value: 0: must be between 1 and 65535, inclusive")]),
    ({"ports": [{"port": 70000}]},
     [("spec.ports[0].port", "Invalid value: 70000: must be between 1 and 65535, inclusive"),
      ("spec.ports[0].targetPort", "Invalid value: 70000: must be between 1 and 65535, inclusive")]),
    ({"ports": [{"port": 80}, {"port": 81}]},
     [("spec.ports[0].name", "Required value"), ("spec.ports[1].name", "Required value")]),
    ({"ports": [{"name": "a", "port": 80}, {"name": "a", "port": 80}]},
     [("spec.ports[1].name", 'Duplicate value: "a"'),
      ("spec.ports[1]", 'Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), '
                        'Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}')]),
    ({"ports": [{"name": "Web", "port": 80}]},
     [("spec.ports[0].name", 'Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case '
                             "alphanumeric characters or '-', and must start and end with an alphanumeric character "
                             "(e.g. 'my-name',  or '123-abc', regex used for validation is "
                             "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')")]),
    ({"ports": [{"port": 80, "protocol": "HTTP"}]},
     [("spec.ports[0].protocol", 'Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"')]),
    ({"type": "Magic"},
     [("spec.type", 'Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", '
                    '"NodePort"')]),
    ({"loadBalancerClass": "example.com/lb"},
     [("spec.loadBalancerClass", "Forbidden: may only be used when `type` is 'LoadBalancer'")]),
    ({"type": "NodePort", "allocateLoadBalancerNodePorts": False},
     [("spec.allocateLoadBalancerNodePorts", "Forbidden: may only be used when `type` is 'LoadBalancer'")]),
    ({"type": "NodePort", "clusterIP": "None"},
     [("spec.clusterIPs[0]", "Invalid value: \"None\": may not be set to 'None' for NodePort services")]),
    ({"type": "ExternalName", "ports": []}, [("spec.externalName", "Required value")]),
])
def test_validation_messages(allocator, spec, expected):
    assert causes_of(prepare_create, service(**spec), allocator, CURRENT) == expected
    assert allocator.cluster_ips == set(), "nothing is allocated for an invalid Service"


def test_external_ips_make_a_cluster_ip_service_externally_accessible(allocator):
    created = prepare_create(service(externalIPs=["1.2.3.4"], externalTrafficPolicy="Local"), allocator, CURRENT)
    assert created["spec"]["externalTrafficPolicy"] == "Local"


def test_load_balancer_class_may_not_change(allocator):
    old = prepare_create(service(type="LoadBalancer", loadBalancerClass="a.io/x"), allocator, CURRENT)
    changed = copy.deepcopy(old)
    changed["spec"]["loadBalancerClass"] = "a.io/y"
    assert causes_of(prepare_update, old, changed, allocator, CURRENT) == [
        ("spec.loadBalancerClass", 'Invalid value: "a.io/y": may not change once set')]


# --- update ---------------------------------------------------------------------------------


def test_switching_to_cluster_ip_drops_type_dependent_fields_since_1_20(allocator, load_balancer):
    patched = strategic_merge_patch(load_balancer, {"spec": {"type": "ClusterIP"}}, "Service")
    updated = prepare_update(load_balancer, patched, allocator, CURRENT)
    spec = updated["spec"]
    assert spec["type"] == "ClusterIP"
    assert "nodePort" not in spec["ports"][0]
    for dropped in ("externalTrafficPolicy", "allocateLoadBalancerNodePorts", "healthCheckNodePort"):
        assert dropped not in spec
    assert spec["clusterIP"] == load_balancer["spec"]["clusterIP"]
    assert allocator.used_node_ports == set(), "the node port is released"
    assert load_balancer["spec"]["ports"][0]["nodePort"] == 30000, "input must not be mutated"


def test_before_1_20_the_same_switch_is_refused(allocator):
    old = prepare_create(service(type="LoadBalancer"), allocator, PRE_1_20)
    patched = strategic_merge_patch(old, {"spec": {"type": "ClusterIP"}}, "Service")
    assert causes_of(prepare_update, old, patched, allocator, PRE_1_20) == [
        ("spec.ports[0].nodePort", "Forbidden: may not be used when `type` is 'ClusterIP'"),
        ("spec.externalTrafficPolicy",
         'Invalid value: "Cluster": ExternalTrafficPolicy can only be set on NodePort and LoadBalancer service')]
    assert allocator.used_node_ports == {30000}


def test_fields_the_client_changed_are_kept_and_then_validated(allocator, load_balancer):
    patched = strategic_merge_patch(load_balancer, {"spec": {"type": "ClusterIP", "externalTrafficPolicy": "Local"}},
                                    "Service")
    assert causes_of(prepare_update, load_balancer, patched, allocator, CURRENT) == [
        ("spec.externalTrafficPolicy", 'Invalid value: "Local": may only be set for externally-accessible services')]


def test_a_new_node_port_with_a_type_switch_is_not_dropped(allocator, load_balancer):
    patched = strategic_merge_patch(load_balancer, {"spec": {"type": "ClusterIP",
                                                             "ports": [{"port": 80, "nodePort": 30999}]}}, "Service")
    assert causes_of(prepare_update, load_balancer, patched, allocator, CURRENT) == [
        ("spec.ports[0].nodePort", "Forbidden: may not be used when `type` is 'ClusterIP'")]


def test_health_check_node_port_is_dropped_and_released_with_local_policy(allocator):
    old = prepare_create(service(type="LoadBalancer", externalTrafficPolicy="Local"), allocator, CURRENT)
    patched = strategic_merge_patch(old, {"spec": {"type": "ClusterIP"}}, "Service")
    updated = prepare_update(old, patched, allocator, CURRENT)
    assert "healthCheckNodePort" not in updated["spec"] and "externalTrafficPolicy" not in updated["spec"]
    assert allocator.used_node_ports == set()


def test_replace_without_allocated_values_keeps_them(allocator, load_balancer):
    replaced = prepare_update(load_balancer, service(type="LoadBalancer"), allocator, CURRENT)
    assert replaced["spec"]["clusterIP"] == load_balancer["spec"]["clusterIP"]
    assert replaced["spec"]["ports"][0]["nodePort"] == load_balancer["spec"]["ports"][0]["nodePort"]
    assert allocator.used_node_ports == {30000}


def test_cluster_ip_is_immutable(allocator, load_balancer):
    changed = copy.deepcopy(load_balancer)
    changed["spec"]["clusterIP"] = "10.96.0.99"
    assert causes_of(prepare_update, load_balancer, changed, allocator, CURRENT) == [
        ("spec.clusterIPs[0]", 'Invalid value: []string{"10.96.0.99"}: may not change once set')]


def test_before_1_20_an_empty_cluster_ip_is_an_immutable_field_change(allocator):
    old = prepare_create(service(), allocator, PRE_1_20)
    assert causes_of(prepare_update, old, service(), allocator, PRE_1_20) == [
        ("spec.clusterIP", 'Invalid value: "": field is immutable')]


def test_switching_to_node_port_allocates_and_to_external_name_releases(allocator):
    old = prepare_create(service(), allocator, CURRENT)
    node_port = prepare_update(old, strategic_merge_patch(old, {"spec": {"type": "NodePort"}}, "Service"),
                               allocator, CURRENT)
    assert node_port["spec"]["ports"][0]["nodePort"] == 30000
    assert node_port["spec"]["externalTrafficPolicy"] == "Cluster"
    external = prepare_update(node_port, strategic_merge_patch(
        node_port, {"spec": {"type": "ExternalName", "externalName": "example.com"}}, "Service"), allocator, CURRENT)
    assert "clusterIP" not in external["spec"] and "ipFamilies" not in external["spec"]
    assert allocator.cluster_ips == set() and allocator.used_node_ports == set()


def test_update_keeps_the_stored_status(allocator, load_balancer):
    load_balancer["status"] = {"loadBalancer": {"ingress": [{"hostname": "lb.example"}]}}
    updated = prepare_update(load_balancer, {**service(type="LoadBalancer"), "status": {}}, allocator, CURRENT)
    assert updated["status"] == {"loadBalancer": {"ingress": [{"hostname": "lb.example"}]}}
    to_cluster_ip = strategic_merge_patch(updated, {"spec": {"type": "ClusterIP"}}, "Service")
    assert prepare_update(updated, to_cluster_ip, allocator, CURRENT)["status"] == {"loadBalancer": {}}
