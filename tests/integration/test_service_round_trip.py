# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""service_type round trip: LoadBalancer → ClusterIP → LoadBalancer gives the Service back its source ranges,
traffic policy and load balancer class (kept in one annotation meanwhile), on a current server (kubesim 1.30 or
the cluster of KUBECONFIG) and on a pre-1.20 one (kubesim --kube-version 1.19); each second run is one GET."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.module_logic  # not run on the oldest ansible-core (README, Tests)

NAMESPACE = "svc-round-trip"
PATH = "/api/v1/namespaces/%s/services/web" % NAMESPACE
RESTORE_ANNOTATION = "meshsmith.istio/restore-load-balancer"
SETTINGS = {"externalTrafficPolicy": "Local", "loadBalancerSourceRanges": ["203.0.113.0/24"],
            "loadBalancerClass": "example.com/internal"}


@pytest.fixture(scope="module", params=["current", "1.19"])
def server(request, cluster, run_playbook):
    """``(cluster, run_playbook, auth options)`` for a fresh ``NAMESPACE``, on the session cluster or a 1.19 kubesim."""
    if request.param == "current":
        cluster.ensure_namespace(NAMESPACE)
        cluster.api("DELETE", PATH)
        yield cluster, run_playbook, {}
        return
    own_cluster, own_run_playbook, kubeconfig = request.getfixturevalue("kubesim_1_19")
    own_cluster.ensure_namespace(NAMESPACE)
    yield own_cluster, own_run_playbook, {"kubeconfig": kubeconfig}


def switch(name: str, service_type: str, auth: dict) -> dict:
    return {"name": name, "meshsmith.istio.service_type": dict(name="web", namespace=NAMESPACE, type=service_type, **auth)}


def test_load_balancer_to_cluster_ip_and_back_restores_ranges_policy_and_class(server):
    cluster, run_playbook, auth = server
    seed = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": NAMESPACE},
            "spec": dict(SETTINGS, type="LoadBalancer", selector={"app": "web"}, ports=[{"port": 80, "targetPort": 8080}])}
    status, seeded = cluster.api("POST", "/api/v1/namespaces/%s/services" % NAMESPACE, seed)
    assert status in (200, 201), seeded

    run = run_playbook([switch("off", "ClusterIP", auth), switch("off again", "ClusterIP", auth)])
    assert run.rc == 0, run.stdout + run.stderr
    off, off_again = run.tasks
    cluster.expect_requests(off, [("GET", PATH), ("PUT", PATH)])
    cluster_ip = cluster.get(PATH)
    assert cluster_ip["spec"]["type"] == "ClusterIP" and set(SETTINGS).isdisjoint(cluster_ip["spec"])
    # without allocateLoadBalancerNodePorts: true, which 1.30 defaults (and defaults again on the way back)
    assert json.loads(cluster_ip["metadata"]["annotations"][RESTORE_ANNOTATION]) == {"spec": SETTINGS}
    assert off.result["diff"]["after"]["metadata"]["annotations"] == {
        RESTORE_ANNOTATION: cluster_ip["metadata"]["annotations"][RESTORE_ANNOTATION]}
    off_again.expect(False, "unchanged")
    cluster.expect_requests(off_again, [("GET", PATH)])

    run = run_playbook([dict(switch("back (check)", "LoadBalancer", auth), check_mode=True),
                        switch("back", "LoadBalancer", auth), switch("back again", "LoadBalancer", auth)])
    assert run.rc == 0, run.stdout + run.stderr
    checked, back, back_again = run.tasks
    cluster.expect_requests(checked, [("GET", PATH), ("PUT", PATH + "?dryRun=All")])
    assert {field: checked.result["result"]["spec"].get(field) for field in SETTINGS} == SETTINGS
    cluster.expect_requests(back, [("GET", PATH), ("PUT", PATH)])
    restored = cluster.get(PATH)
    assert {field: restored["spec"].get(field) for field in SETTINGS} == SETTINGS
    assert RESTORE_ANNOTATION not in (restored["metadata"].get("annotations") or {})
    assert restored["spec"]["healthCheckNodePort"] and restored["spec"]["ports"][0]["nodePort"], "allocated anew"
    assert back.result["diff"]["after"]["spec"]["loadBalancerSourceRanges"] == SETTINGS["loadBalancerSourceRanges"]
    back_again.expect(False, "unchanged")
    cluster.expect_requests(back_again, [("GET", PATH)])
