"""kubesim.deployments: ReplicaSets and statuses the simulated Deployment controller writes."""

from __future__ import annotations

import pytest

from kubesim.deployments import deployment_status, new_replica_set, template_hash, without_hash

TEMPLATE = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx"}]}}


def deployment(replicas: int = 4, strategy: dict | None = None, **spec) -> dict:
    return {"metadata": {"name": "web", "namespace": "ns", "uid": "u-1", "generation": 3},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}}, "template": TEMPLATE,
                     "strategy": strategy or {"type": "RollingUpdate",
                                              "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
                     **spec}}


def test_template_hash_is_stable_vowel_free_and_follows_the_template():
    changed = {**TEMPLATE, "spec": {"containers": [{"name": "web", "image": "nginx:2"}]}}
    assert template_hash(TEMPLATE) == template_hash({"spec": TEMPLATE["spec"], "metadata": TEMPLATE["metadata"]})
    assert template_hash(TEMPLATE) != template_hash(changed)
    assert set(template_hash(TEMPLATE)) <= set("bcdfghjklmnpqrstvwxz2456789")


def test_replica_set_template_equals_the_deployments_ignoring_the_hash_label():
    replica_set = new_replica_set(deployment(), 7)
    assert without_hash(replica_set["spec"]["template"]) == without_hash(TEMPLATE)
    assert replica_set["metadata"]["annotations"] == {"deployment.kubernetes.io/desired-replicas": "4",
                                                      "deployment.kubernetes.io/max-replicas": "5",
                                                      "deployment.kubernetes.io/revision": "7"}


def test_replica_set_inherits_user_annotations_but_not_kubectls():
    source = deployment()
    source["metadata"]["annotations"] = {"team": "a", "kubectl.kubernetes.io/last-applied-configuration": "{}",
                                         "deployment.kubernetes.io/revision": "2"}
    annotations = new_replica_set(source, 3)["metadata"]["annotations"]
    assert annotations["team"] == "a" and annotations["deployment.kubernetes.io/revision"] == "3"
    assert "kubectl.kubernetes.io/last-applied-configuration" not in annotations


@pytest.mark.parametrize("strategy, ready, available", [
    (None, 3, "True"),  # 25% of 4 may be unavailable
    (None, 2, "False"),
    ({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}, 3, "False"),
    ({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}}, 3, "True"),  # fencepost: 1
    ({"type": "Recreate"}, 3, "False"),
])
def test_available_condition_follows_max_unavailable(strategy, ready, available):
    source = deployment(strategy=strategy)
    current = {"metadata": {"name": "web-abc"}, "spec": {"replicas": ready}}
    status = deployment_status(source, current, "2026-01-01T00:00:00Z")
    assert status["observedGeneration"] == 3 and status["readyReplicas"] == ready
    assert status["conditions"][0]["status"] == available


def test_unchanged_condition_keeps_its_timestamps():
    source = deployment()
    current = {"metadata": {"name": "web-abc"}, "spec": {"replicas": 4}}
    first = deployment_status(source, current, "2026-01-01T00:00:00Z")
    again = deployment_status({**source, "status": first}, current, "2026-01-02T00:00:00Z")
    assert again == first
