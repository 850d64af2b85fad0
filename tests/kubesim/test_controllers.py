"""Simulated controllers: LoadBalancer ingress, Deployment status, namespace deletion."""

from __future__ import annotations

import time

from kubesim_helpers import gateway, gateways_path

pytest_plugins = ["kubesim.pytest_plugin"]

MERGE = "application/merge-patch+json"


def wait_for(check, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def lb_service(name: str) -> dict:
    return {"metadata": {"name": name}, "spec": {"type": "LoadBalancer", "selector": {"app": name},
                                                 "ports": [{"name": "http", "port": 80}]}}


def ingress(kubesim, ns: str, name: str):
    body = kubesim.api("GET", f"/api/v1/namespaces/{ns}/services/{name}")[1]
    return body["status"]["loadBalancer"].get("ingress")


def test_load_balancer_hostname_appears_after_delay_and_clears(kubesim, ns):
    _, created = kubesim.api("POST", f"/api/v1/namespaces/{ns}/services", lb_service("proxy"))
    assert created["status"] == {"loadBalancer": {}}
    hostnames = wait_for(lambda: ingress(kubesim, ns, "proxy"))
    assert hostnames == [{"hostname": f"proxy.{ns}.lb.kubesim.local"}]
    kubesim.api("PATCH", f"/api/v1/namespaces/{ns}/services/proxy", {"spec": {"type": "ClusterIP"}}, MERGE)
    wait_for(lambda: ingress(kubesim, ns, "proxy") is None)


def test_deployment_becomes_available(kubesim, ns):
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "proxy"},
                  "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "proxy"}},
                           "template": {"metadata": {"labels": {"app": "proxy"}},
                                        "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}}
    path = f"/apis/apps/v1/namespaces/{ns}/deployments"
    kubesim.api("POST", path, deployment)
    status = wait_for(lambda: kubesim.api("GET", f"{path}/proxy")[1].get("status", {}).get("readyReplicas"))
    assert status == 2
    body = kubesim.api("GET", f"{path}/proxy")[1]
    assert body["status"]["observedGeneration"] == 1 and body["status"]["availableReplicas"] == 2
    assert {"type": "Available", "status": "True"}.items() <= body["status"]["conditions"][0].items()
    kubesim.api("PATCH", f"{path}/proxy", {"spec": {"replicas": 3}}, MERGE)
    wait_for(lambda: kubesim.api("GET", f"{path}/proxy")[1]["status"]["observedGeneration"] == 2)
    assert kubesim.api("GET", f"{path}/proxy")[1]["status"]["readyReplicas"] == 3


def test_deleting_a_namespace_deletes_its_content(kubesim):
    kubesim.api("POST", "/api/v1/namespaces", {"metadata": {"name": "doomed"}})
    kubesim.api("POST", gateways_path("doomed"), gateway("gw", "doomed"))
    kubesim.api("POST", "/api/v1/namespaces/doomed/configmaps", {"metadata": {"name": "cm"}})
    status, body = kubesim.api("DELETE", "/api/v1/namespaces/doomed")
    assert status == 200 and body["status"]["phase"] == "Terminating"
    assert kubesim.api("GET", "/api/v1/namespaces/doomed")[0] == 404
    assert kubesim.api("GET", gateways_path("doomed", "gw"))[0] == 404
    kubesim.api("POST", "/api/v1/namespaces", {"metadata": {"name": "doomed"}})
    assert kubesim.api("GET", gateways_path("doomed"))[1]["items"] == []
    assert kubesim.api("GET", "/api/v1/namespaces/doomed/configmaps")[1]["items"] == []
    kubesim.api("DELETE", "/api/v1/namespaces/doomed")
