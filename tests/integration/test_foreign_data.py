# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Foreign data kept: labels, annotations and fields another client wrote survive every writing module
(gateway, virtual_service, service_type, and the ingress_gateway role on top of them)."""

from __future__ import annotations

import copy

import pytest

NAMESPACE = "foreign"
ISTIO = "/apis/networking.istio.io/v1/namespaces/%s/" % NAMESPACE
SERVICES = "/api/v1/namespaces/%s/services" % NAMESPACE
FOREIGN_METADATA = {
    "labels": {"owner": "platform-team"},
    "annotations": {"example.com/managed-by": "another-tool"},
    "ownerReferences": [{"apiVersion": "v1", "kind": "ConfigMap", "name": "owner", "uid": "6b1e2f9a-0000-4000-8000-000000000001"}],
}
SERVER = {"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}
ROUTE = [{"route": [{"destination": {"host": "proxy", "port": {"number": 80}}}]}]


def with_foreign_metadata(name: str, kind: str, api_version: str, spec: dict) -> dict:
    return {"apiVersion": api_version, "kind": kind,
            "metadata": dict(copy.deepcopy(FOREIGN_METADATA), name=name, namespace=NAMESPACE), "spec": spec}


def assert_foreign_metadata_kept(obj: dict, own_labels: dict) -> None:
    metadata = obj["metadata"]
    assert metadata["labels"] == dict(FOREIGN_METADATA["labels"], **own_labels)
    assert metadata["annotations"] == FOREIGN_METADATA["annotations"]
    assert metadata["ownerReferences"] == FOREIGN_METADATA["ownerReferences"]


@pytest.fixture(scope="module")
def updated(cluster, run_playbook):
    """Objects written by another client, then changed by each writing module and by the role (a module task that
    fails fails its own test only)."""
    cluster.ensure_namespace(NAMESPACE)
    objects = [
        (ISTIO + "gateways", with_foreign_metadata("gw", "Gateway", "networking.istio.io/v1",
                                                    {"selector": {"istio": "ingressgateway"}, "servers": [SERVER]})),
        (ISTIO + "virtualservices", with_foreign_metadata("vs", "VirtualService", "networking.istio.io/v1",
                                                           {"hosts": ["a.example.com"], "http": ROUTE})),
        (ISTIO + "virtualservices", with_foreign_metadata("vs-role", "VirtualService", "networking.istio.io/v1",
                                                           {"hosts": ["r.example.com"], "http": ROUTE})),
        (SERVICES, with_foreign_metadata("app", "Service", "v1", {
            "type": "LoadBalancer", "selector": {"app": "app"}, "sessionAffinity": "ClientIP",
            "ports": [{"name": "http", "port": 80, "targetPort": 8080}]})),
    ]
    for collection, body in objects:
        cluster.api("DELETE", collection + "/" + body["metadata"]["name"])
        status, stored = cluster.api("POST", collection, body)
        assert status == 201, stored
    run = run_playbook([
        {"name": "gateway", "ignore_errors": True, "meshsmith.istio.gateway": {
            "name": "gw", "namespace": NAMESPACE, "labels": {"mine": "gw"}, "selector": {"istio": "ingressgateway"},
            "servers": [dict(SERVER, hosts=["b.example.com"])]}},
        {"name": "virtual_service", "ignore_errors": True, "meshsmith.istio.virtual_service": {
            "name": "vs", "namespace": NAMESPACE, "labels": {"mine": "vs"}, "hosts": ["b.example.com"], "http": ROUTE}},
        {"name": "service_type", "ignore_errors": True, "meshsmith.istio.service_type": {"name": "app", "namespace": NAMESPACE, "type": "ClusterIP"}},
        {"name": "role", "ansible.builtin.include_role": {"name": "meshsmith.istio.ingress_gateway"}, "vars": {
            "ingress_gateway_gateways": [],
            "ingress_gateway_virtual_services": [{"name": "vs-role", "namespace": NAMESPACE, "labels": {"mine": "role"},
                                                  "hosts": ["s.example.com"], "http": ROUTE}]}},
    ])
    assert run.rc == 0, run.stdout + run.stderr
    return run


def succeeded(run, task: str) -> None:
    assert run.task(task).status == "ok", run.task(task).result.get("msg")


def test_gateway_keeps_foreign_metadata(cluster, updated):
    succeeded(updated, "gateway")
    gateway = cluster.get(ISTIO + "gateways/gw")
    assert gateway["spec"]["servers"][0]["hosts"] == ["b.example.com"], "the change was made"
    assert_foreign_metadata_kept(gateway, {"mine": "gw"})


def test_virtual_service_keeps_foreign_metadata(cluster, updated):
    succeeded(updated, "virtual_service")
    virtual_service = cluster.get(ISTIO + "virtualservices/vs")
    assert virtual_service["spec"]["hosts"] == ["b.example.com"]
    assert_foreign_metadata_kept(virtual_service, {"mine": "vs"})


def test_service_type_keeps_foreign_metadata_and_unmanaged_fields(cluster, updated):
    succeeded(updated, "service_type")
    service = cluster.get(SERVICES + "/app")
    assert service["spec"]["type"] == "ClusterIP"
    assert_foreign_metadata_kept(service, {})
    assert service["spec"]["sessionAffinity"] == "ClientIP"
    assert service["spec"]["selector"] == {"app": "app"}
    assert service["spec"]["ports"][0]["targetPort"] == 8080


def test_role_keeps_foreign_metadata(cluster, updated):
    virtual_service = cluster.get(ISTIO + "virtualservices/vs-role")
    assert virtual_service["spec"]["hosts"] == ["s.example.com"]
    assert_foreign_metadata_kept(virtual_service, {"mine": "role"})
