"""Simulated controllers: LoadBalancer ingress, Deployment status, namespace deletion."""

from __future__ import annotations

from kubesim_helpers import gateway, gateways_path, wait_for

pytest_plugins = ["kubesim.pytest_plugin"]

MERGE = "application/merge-patch+json"


def lb_service(name: str) -> dict:
    return {"metadata": {"name": name}, "spec": {"type": "LoadBalancer", "selector": {"app": name},
                                                 "ports": [{"name": "http", "port": 80}]}}


def ingress(kubesim, ns: str, name: str):
    body = kubesim.api("GET", f"/api/v1/namespaces/{ns}/services/{name}")[1]
    return body["status"]["loadBalancer"].get("ingress")


def test_load_balancer_hostname_appears_after_delay_and_clears(kubesim, ns):
    created = kubesim.api("POST", f"/api/v1/namespaces/{ns}/services", lb_service("proxy"))[1]
    assert created["status"] == {"loadBalancer": {}}
    hostnames = wait_for(lambda: ingress(kubesim, ns, "proxy"))
    assert hostnames == [{"hostname": f"proxy.{ns}.lb.kubesim.local"}]
    kubesim.api("PATCH", f"/api/v1/namespaces/{ns}/services/proxy", {"spec": {"type": "ClusterIP"}}, MERGE)
    wait_for(lambda: ingress(kubesim, ns, "proxy") is None)


def deployment_body(image: str = "nginx", replicas: int = 2) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "proxy"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "proxy"}},
                     "template": {"metadata": {"labels": {"app": "proxy"}},
                                  "spec": {"containers": [{"name": "nginx", "image": image}]}}}}


def replica_sets(kubesim, ns: str) -> dict[str, dict]:
    """The namespace's ReplicaSets by the image of their pod template."""
    items = kubesim.api("GET", f"/apis/apps/v1/namespaces/{ns}/replicasets?labelSelector=app%3Dproxy")[1]["items"]
    return {rs["spec"]["template"]["spec"]["containers"][0]["image"]: rs for rs in items}


def rolled_out(kubesim, path: str) -> dict | None:
    """The Deployment once its controller has observed its current generation."""
    body = kubesim.api("GET", path)[1]
    return body if body.get("status", {}).get("observedGeneration") == body["metadata"]["generation"] else None


def test_deployment_becomes_available(kubesim, ns):
    path = f"/apis/apps/v1/namespaces/{ns}/deployments"
    kubesim.api("POST", path, deployment_body())
    status = wait_for(lambda: kubesim.api("GET", f"{path}/proxy")[1].get("status", {}).get("readyReplicas"))
    assert status == 2
    body = kubesim.api("GET", f"{path}/proxy")[1]
    assert body["status"]["observedGeneration"] == 1 and body["status"]["availableReplicas"] == 2
    assert {"type": "Available", "status": "True"}.items() <= body["status"]["conditions"][0].items()
    kubesim.api("PATCH", f"{path}/proxy", {"spec": {"replicas": 3}}, MERGE)
    wait_for(lambda: kubesim.api("GET", f"{path}/proxy")[1]["status"]["observedGeneration"] == 2)
    assert kubesim.api("GET", f"{path}/proxy")[1]["status"]["readyReplicas"] == 3


def test_deployment_gets_a_ready_replica_set_that_helm_and_kubectl_recognise(kubesim, ns):
    path = f"/apis/apps/v1/namespaces/{ns}/deployments"
    kubesim.api("POST", path, deployment_body())
    deployment = wait_for(lambda: rolled_out(kubesim, f"{path}/proxy"))
    (replica_set,) = replica_sets(kubesim, ns).values()
    meta, pod_hash = replica_set["metadata"], replica_set["metadata"]["labels"]["pod-template-hash"]
    assert meta["name"] == f"proxy-{pod_hash}"
    assert meta["ownerReferences"] == [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "proxy",
                                        "uid": deployment["metadata"]["uid"], "controller": True,
                                        "blockOwnerDeletion": True}]
    assert meta["annotations"]["deployment.kubernetes.io/revision"] == "1"
    assert deployment["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    assert replica_set["spec"]["selector"] == {"matchLabels": {"app": "proxy", "pod-template-hash": pod_hash}}
    assert replica_set["spec"]["template"]["metadata"]["labels"] == {"app": "proxy", "pod-template-hash": pod_hash}
    assert replica_set["spec"]["template"]["spec"] == deployment["spec"]["template"]["spec"]
    assert replica_set["status"] == {"replicas": 2, "fullyLabeledReplicas": 2, "readyReplicas": 2,
                                     "availableReplicas": 2, "observedGeneration": meta["generation"]}
    progressing = deployment["status"]["conditions"][1]
    assert (progressing["type"], progressing["reason"]) == ("Progressing", "NewReplicaSetAvailable")
    assert progressing["message"] == f'ReplicaSet "{meta["name"]}" has successfully progressed.'


def test_template_change_rolls_to_a_new_replica_set_and_back(kubesim, ns):
    path = f"/apis/apps/v1/namespaces/{ns}/deployments"
    kubesim.api("POST", path, deployment_body("nginx:1"))
    wait_for(lambda: rolled_out(kubesim, f"{path}/proxy"))
    kubesim.api("PUT", f"{path}/proxy", deployment_body("nginx:2"))
    deployment = wait_for(lambda: rolled_out(kubesim, f"{path}/proxy"))
    found = replica_sets(kubesim, ns)
    revisions = {image: rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] for image, rs in found.items()}
    assert revisions == {"nginx:1": "1", "nginx:2": "2"}
    assert (found["nginx:1"]["spec"]["replicas"], found["nginx:1"]["status"]) == (0, {
        "replicas": 0, "observedGeneration": 2})
    assert found["nginx:2"]["status"]["readyReplicas"] == 2
    assert deployment["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"

    kubesim.api("PUT", f"{path}/proxy", deployment_body("nginx:1"))
    deployment = wait_for(lambda: rolled_out(kubesim, f"{path}/proxy"))
    found = replica_sets(kubesim, ns)
    assert len(found) == 2, "a rollback reuses the ReplicaSet of that template"
    assert found["nginx:1"]["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"
    assert (found["nginx:1"]["spec"]["replicas"], found["nginx:2"]["spec"]["replicas"]) == (2, 0)
    assert deployment["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"


def test_old_replica_sets_beyond_the_history_limit_are_deleted(kubesim, ns):
    path = f"/apis/apps/v1/namespaces/{ns}/deployments"
    body = deployment_body("nginx:1")
    body["spec"]["revisionHistoryLimit"] = 1
    kubesim.api("POST", path, body)
    for image in ("nginx:2", "nginx:3"):
        wait_for(lambda: rolled_out(kubesim, f"{path}/proxy"))
        kubesim.api("PATCH", f"{path}/proxy", {"spec": {"template": {"spec": {"containers": [
            {"name": "nginx", "image": image}]}}}}, MERGE)
    wait_for(lambda: rolled_out(kubesim, f"{path}/proxy"))
    assert sorted(replica_sets(kubesim, ns)) == ["nginx:2", "nginx:3"]


def test_deleted_replica_set_is_replaced_and_deleting_the_deployment_deletes_them(kubesim, ns):
    path = f"/apis/apps/v1/namespaces/{ns}/deployments"
    kubesim.api("POST", path, deployment_body())
    wait_for(lambda: rolled_out(kubesim, f"{path}/proxy"))
    (first,) = replica_sets(kubesim, ns).values()
    kubesim.api("DELETE", f"/apis/apps/v1/namespaces/{ns}/replicasets/{first['metadata']['name']}")
    replaced = wait_for(lambda: replica_sets(kubesim, ns).get("nginx"))
    assert replaced["metadata"]["uid"] != first["metadata"]["uid"] and replaced["status"]["readyReplicas"] == 2

    unowned = {"metadata": {"name": "unowned", "labels": {"app": "proxy"}},
               "spec": {"selector": {"matchLabels": {"app": "proxy"}}, "template": {
                   "metadata": {"labels": {"app": "proxy"}}, "spec": {"containers": [{"name": "x", "image": "x"}]}}}}
    assert kubesim.api("POST", f"/apis/apps/v1/namespaces/{ns}/replicasets", unowned)[0] == 201
    kubesim.api("DELETE", f"{path}/proxy")
    wait_for(lambda: "nginx" not in replica_sets(kubesim, ns))
    assert list(replica_sets(kubesim, ns)) == ["x"], "only the Deployment's own ReplicaSets are collected"


def test_paused_deployment_gets_no_replica_set(kubesim, ns):
    path = f"/apis/apps/v1/namespaces/{ns}/deployments"
    body = deployment_body()
    body["spec"]["paused"] = True
    kubesim.api("POST", path, body)
    deployment = wait_for(lambda: rolled_out(kubesim, f"{path}/proxy"))
    assert replica_sets(kubesim, ns) == {}
    assert [(c["type"], c["status"], c["reason"]) for c in deployment["status"]["conditions"]] == [
        ("Available", "False", "MinimumReplicasUnavailable"), ("Progressing", "Unknown", "DeploymentPaused")]
    kubesim.api("PATCH", f"{path}/proxy", {"spec": {"paused": False}}, MERGE)
    deployment = wait_for(lambda: rolled_out(kubesim, f"{path}/proxy"))
    assert deployment["status"]["readyReplicas"] == 2 and list(replica_sets(kubesim, ns)) == ["nginx"]


def test_deleting_a_namespace_deletes_its_content(kubesim):
    kubesim.api("POST", "/api/v1/namespaces", {"metadata": {"name": "doomed"}})
    kubesim.api("POST", gateways_path("doomed"), gateway("gw", "doomed"))
    kubesim.api("POST", "/api/v1/namespaces/doomed/configmaps", {"metadata": {"name": "cm"}})
    kubesim.api("POST", "/apis/apps/v1/namespaces/doomed/deployments", deployment_body())
    wait_for(lambda: replica_sets(kubesim, "doomed"))
    status, body = kubesim.api("DELETE", "/api/v1/namespaces/doomed")
    assert status == 200 and body["status"]["phase"] == "Terminating"
    wait_for(lambda: kubesim.api("GET", "/api/v1/namespaces/doomed")[0] == 404)
    assert kubesim.api("GET", gateways_path("doomed", "gw"))[0] == 404
    kubesim.api("POST", "/api/v1/namespaces", {"metadata": {"name": "doomed"}})
    assert kubesim.api("GET", gateways_path("doomed"))[1]["items"] == []
    assert kubesim.api("GET", "/api/v1/namespaces/doomed/configmaps")[1]["items"] == []
    assert replica_sets(kubesim, "doomed") == {}
    kubesim.api("DELETE", "/api/v1/namespaces/doomed")
