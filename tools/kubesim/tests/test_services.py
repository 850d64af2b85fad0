"""Services: allocation, immutability, type changes (1.20+ drops type-dependent fields; 1.19 does not)."""

from __future__ import annotations

import pytest

from kubesim.testing import KubeSim

pytest_plugins = ["kubesim.pytest_plugin"]

MERGE = "application/merge-patch+json"


def service(name: str, svc_type: str = "ClusterIP", **spec) -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
            "spec": {"type": svc_type, "selector": {"app": name}, "ports": [{"name": "http", "port": 80}], **spec}}


def services_path(ns: str, name: str = "") -> str:
    return f"/api/v1/namespaces/{ns}/services" + (f"/{name}" if name else "")


def test_cluster_ip_allocated_and_immutable(kubesim, ns):
    status, svc = kubesim.api("POST", services_path(ns), service("web"))
    assert status == 201 and svc["spec"]["clusterIP"].startswith("10.")
    assert svc["spec"]["clusterIPs"] == [svc["spec"]["clusterIP"]]
    assert svc["spec"]["ports"][0]["targetPort"] == 80 and svc["spec"]["ports"][0]["protocol"] == "TCP"
    status, error = kubesim.api("PATCH", services_path(ns, "web"), {"spec": {"clusterIP": "10.96.99.99"}}, MERGE)
    assert status == 422 and error["reason"] == "Invalid"
    assert any(c["field"] == "spec.clusterIPs[0]" or c["field"] == "spec.clusterIP"
               for c in error["details"]["causes"])


def test_two_services_get_different_cluster_ips(kubesim, ns):
    first = kubesim.api("POST", services_path(ns), service("a"))[1]["spec"]["clusterIP"]
    second = kubesim.api("POST", services_path(ns), service("b"))[1]["spec"]["clusterIP"]
    assert first != second


def test_load_balancer_gets_node_ports(kubesim, ns):
    svc = kubesim.api("POST", services_path(ns), service("lb", "LoadBalancer"))[1]
    assert 30000 <= svc["spec"]["ports"][0]["nodePort"] <= 32767
    assert svc["spec"]["externalTrafficPolicy"] == "Cluster"


def test_node_port_forbidden_for_cluster_ip(kubesim, ns):
    body = service("web")
    body["spec"]["ports"][0]["nodePort"] = 30080
    status, error = kubesim.api("POST", services_path(ns), body)
    assert status == 422
    assert error["details"]["causes"][0]["field"] == "spec.ports[0].nodePort"
    assert "may not be used when `type` is 'ClusterIP'" in error["message"]


def test_type_change_drops_node_ports_and_policy(kubesim, ns):
    kubesim.api("POST", services_path(ns), service("proxy", "LoadBalancer"))
    status, svc = kubesim.api("PATCH", services_path(ns, "proxy"), {"spec": {"type": "ClusterIP"}}, MERGE)
    assert status == 200, svc
    assert "nodePort" not in svc["spec"]["ports"][0]
    assert "externalTrafficPolicy" not in svc["spec"]


@pytest.fixture(scope="module")
def old_kubesim(tmp_path_factory):
    with KubeSim(tmp_path_factory.mktemp("kubesim-119"), kube_version="1.19") as sim:
        yield sim


def test_kube_119_keeps_type_dependent_fields(old_kubesim):
    old_kubesim.api("POST", services_path("default"), service("proxy", "LoadBalancer"))
    status, error = old_kubesim.api("PATCH", services_path("default", "proxy"), {"spec": {"type": "ClusterIP"}},
                                    MERGE)
    assert status == 422
    assert any(c["field"] == "spec.ports[0].nodePort" for c in error["details"]["causes"])
    assert old_kubesim.api("GET", "/version")[1]["minor"] == "19"
