# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""meshsmith.istio.service_type through real ansible-playbook runs, on the session cluster (kubesim 1.30, or
the cluster of KUBECONFIG) and on a kubesim of its own behaving like a pre-1.20 server (--kube-version 1.19).

The seed: a LoadBalancer Service with node ports, ``externalTrafficPolicy: Local``,
``loadBalancerSourceRanges`` and labels/annotations set by someone else. It must become ClusterIP in one
task on both server versions, a re-run must be one GET, and back to LoadBalancer it must get the address
that ingress_info reports.
"""

from __future__ import annotations

from typing import Any, Callable

import pytest

pytestmark = pytest.mark.module_logic  # not run on the oldest ansible-core (README, Tests)

NAMESPACE = "svc-type"
LB_SOURCE_RANGES = ["203.0.113.0/24"]


class Target:
    """Where the scenario runs: the session cluster (kubesim 1.30, or the cluster of KUBECONFIG) or a
    kubesim of its own; ``auth`` holds the module options that point a task at it."""

    def __init__(self, version: str, cluster: Any, run_playbook: Callable, auth: dict) -> None:
        self.version, self.cluster, self._run_playbook, self.auth = version, cluster, run_playbook, auth

    def api(self, method: str, path: str, body: Any = None) -> tuple:
        return self.cluster.api(method, path, body)

    def run(self, tasks: list) -> list:
        """Run ``tasks`` with ``auth`` added to each; returns each task's ``TaskRun``."""
        for task in tasks:
            module = next(key for key in task if key.startswith("meshsmith.istio."))
            task[module] = dict(task[module], **self.auth)
        run = self._run_playbook(tasks)
        assert run.rc == 0, run.stdout + run.stderr
        return run.tasks


@pytest.fixture(scope="module", params=["1.30", "1.19"])
def target(request, cluster, run_playbook):
    if request.param == "1.30":
        cluster.ensure_namespace(NAMESPACE)
        for name in ("naive", "proxy", "slow"):
            cluster.api("DELETE", service_path(NAMESPACE, name))
        yield Target("1.30" if cluster.is_kubesim else "real", cluster, run_playbook, {})
        return
    own_cluster, own_run_playbook, kubeconfig = request.getfixturevalue("kubesim_1_19")
    own_cluster.ensure_namespace(NAMESPACE)
    yield Target("1.19", own_cluster, own_run_playbook, {"kubeconfig": kubeconfig})


def service_path(namespace: str, name: str = "") -> str:
    return "/api/v1/namespaces/%s/services%s" % (namespace, "/" + name if name else "")


def seed_service(target: Target, name: str, service_type: str = "LoadBalancer", node_port: int | None = None) -> dict:
    """Create Service ``name`` as another client would; a LoadBalancer gets node ports (the first one
    ``node_port`` when given), ``externalTrafficPolicy: Local`` (so a healthCheckNodePort) and source ranges."""
    spec = {
        "type": service_type,
        "selector": {"app": name},
        "ports": [
            {"name": "http", "port": 80, "targetPort": 8080},
            {"name": "https", "port": 443, "targetPort": 8443},
        ],
    }
    if service_type == "LoadBalancer":
        spec.update(externalTrafficPolicy="Local", loadBalancerSourceRanges=LB_SOURCE_RANGES)
        if node_port:
            spec["ports"][0]["nodePort"] = node_port
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": name,
            "labels": {"app": name, "owner": "another-team"},
            "annotations": {"example.com/managed-by": "someone-else"},
        },
        "spec": spec,
    }
    status, body = target.api("POST", service_path(NAMESPACE), service)
    assert status in (200, 201), body
    return body


def stored(target: Target, name: str) -> dict:
    status, body = target.api("GET", service_path(NAMESPACE, name))
    assert status == 200, body
    return body


def switch_task(name: str, service_type: str, **options) -> dict:
    return {"meshsmith.istio.service_type": dict(name=name, namespace=NAMESPACE, type=service_type, **options)}


def test_naive_type_change_is_refused_so_the_module_must_clear_fields(target):
    """Negative control: changing only the type is refused (1.19 keeps node ports; no version drops source ranges)."""
    if target.version == "real":
        pytest.skip("the exact refusal is checked on kubesim")
    live = seed_service(target, "naive")
    live["spec"]["type"] = "ClusterIP"
    status, body = target.api("PUT", service_path(NAMESPACE, "naive"), live)
    assert status == 422, body
    if target.version == "1.19":
        assert "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'" in body["message"]
    assert "oadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'" in body["message"]


def test_load_balancer_to_cluster_ip_and_back(target):
    seeded = seed_service(target, "proxy", node_port=30080)
    assert seeded["spec"]["healthCheckNodePort"] and seeded["spec"]["ports"][1]["nodePort"]
    path = service_path(NAMESPACE, "proxy")

    # check mode first, then the real switch (both with --diff)
    checked_run, switched_run = target.run([
        dict(switch_task("proxy", "ClusterIP"), check_mode=True),
        switch_task("proxy", "ClusterIP"),
    ])
    target.cluster.expect_requests(checked_run, [("GET", path), ("PUT", path + "?dryRun=All")])  # stores nothing
    target.cluster.expect_requests(switched_run, [("GET", path), ("PUT", path)])
    checked, switched = checked_run.result, switched_run.result
    assert checked["changed"] is True and switched["changed"] is True
    diff = checked["diff"]
    assert diff["before"]["spec"]["type"] == "LoadBalancer"
    assert diff["before"]["spec"]["loadBalancerSourceRanges"] == LB_SOURCE_RANGES
    assert diff["before"]["spec"]["externalTrafficPolicy"] == "Local"
    assert diff["after"]["spec"]["type"] == "ClusterIP"
    assert {"loadBalancerSourceRanges", "externalTrafficPolicy", "healthCheckNodePort"}.isdisjoint(diff["after"]["spec"])
    assert [port.get("nodePort") for port in diff["after"]["spec"]["ports"]] == [None, None]
    assert "selector" not in diff["after"]["spec"], "the diff shows only what a type switch is about"
    assert switched["diff"] == diff

    service = stored(target, "proxy")
    spec = service["spec"]
    assert spec["type"] == "ClusterIP"
    for field in ("externalTrafficPolicy", "healthCheckNodePort", "loadBalancerSourceRanges",
                  "allocateLoadBalancerNodePorts", "loadBalancerIP", "loadBalancerClass"):
        assert field not in spec, field
    assert all("nodePort" not in port for port in spec["ports"])
    assert spec["clusterIP"] == seeded["spec"]["clusterIP"]
    assert spec["selector"] == {"app": "proxy"}
    assert [(p["name"], p["port"], p["targetPort"]) for p in spec["ports"]] == [("http", 80, 8080), ("https", 443, 8443)]
    assert service["metadata"]["labels"] == {"app": "proxy", "owner": "another-team"}
    assert service["metadata"]["annotations"]["example.com/managed-by"] == "someone-else"
    assert switched["result"]["spec"] == spec
    assert switched["addresses"] == []

    # the same task again: one GET, nothing written
    (rerun,) = target.run([switch_task("proxy", "ClusterIP")])
    assert (rerun.result["changed"], rerun.result["method"]) == (False, "unchanged")
    target.cluster.expect_requests(rerun, [("GET", path)])

    # back to LoadBalancer: the module waits for the address, ingress_info reports the same one
    to_lb, info = target.run([
        switch_task("proxy", "LoadBalancer", wait=True, wait_timeout=60),
        {"meshsmith.istio.ingress_info": {"selector": {"app": "proxy"}, "service_namespace": NAMESPACE}},
    ])
    to_lb, info = to_lb.result, info.result
    assert to_lb["changed"] is True and to_lb["result"]["spec"]["type"] == "LoadBalancer"
    assert to_lb["addresses"] and info["addresses"] == to_lb["addresses"]
    assert info["service"] == {"namespace": NAMESPACE, "name": "proxy", "type": "LoadBalancer"}
    address = to_lb["addresses"][0]
    assert info["urls"] == ["http://%s/" % address, "https://%s/" % address]
    if target.version != "real":
        assert address == "proxy.%s.lb.kubesim.local" % NAMESPACE
    assert all(port["nodePort"] for port in stored(target, "proxy")["spec"]["ports"])


def test_missing_service_and_wait_timeout_are_clear_errors(target):
    seed_service(target, "slow", service_type="ClusterIP")
    missing, timed_out = target.run([
        dict(switch_task("absent", "ClusterIP"), ignore_errors=True),
        dict(switch_task("slow", "LoadBalancer", wait=True, wait_timeout=0), ignore_errors=True),
    ])
    assert missing.status == "failed" and missing.result["msg"] == "Service %s/absent not found" % NAMESPACE
    assert timed_out.status == "failed"
    assert timed_out.result["msg"] == (
        "Timed out after 0s waiting for a load balancer address on Service %s/slow" % NAMESPACE)
    assert timed_out.result["result"]["spec"]["type"] == "LoadBalancer"
    target.cluster.expect_requests(missing, [("GET", service_path(NAMESPACE, "absent"))])
    slow = service_path(NAMESPACE, "slow")
    target.cluster.expect_requests(timed_out, [("GET", slow), ("PUT", slow)])
