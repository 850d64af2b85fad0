"""What the Deployment controller writes: ReplicaSets per pod template, their status, the Deployment's status.

Pure functions over JSON-shaped objects, after ``pkg/controller/deployment`` (sync.go, util/deployment_util.go).
kubesim has no pods: every replica of the current ReplicaSet counts as ready and available at once, and old
ReplicaSets are scaled to zero in the same step.
"""

from __future__ import annotations

import json
from typing import Any

HASH_LABEL = "pod-template-hash"
REVISION = "deployment.kubernetes.io/revision"
DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"
# Annotations of a Deployment that its ReplicaSets do not inherit (the controller's own and kubectl's).
NOT_COPIED = frozenset({REVISION, DESIRED_REPLICAS, MAX_REPLICAS, "deployment.kubernetes.io/revision-history",
                        "kubectl.kubernetes.io/last-applied-configuration"})
_SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"  # k8s.io/apimachinery/pkg/util/rand.SafeEncodeString


def template_hash(template: dict[str, Any]) -> str:
    """The ``pod-template-hash`` of a pod template: FNV-1a (32 bit) in Kubernetes' vowel-free encoding."""
    digest = 0x811C9DC5
    for byte in json.dumps(template, sort_keys=True, separators=(",", ":")).encode():
        digest = ((digest ^ byte) * 0x01000193) & 0xFFFFFFFF
    return "".join(_SAFE_ALPHABET[int(digit) % len(_SAFE_ALPHABET)] for digit in str(digest))


def without_hash(template: dict[str, Any]) -> dict[str, Any]:
    """A pod template minus the hash label (deploymentutil.EqualIgnoreHash compares templates this way)."""
    metadata = template.get("metadata") or {}
    labels = {k: v for k, v in (metadata.get("labels") or {}).items() if k != HASH_LABEL}
    return {**template, "metadata": {**metadata, "labels": labels}}


def controlled_by(obj: dict[str, Any], owner_uid: str) -> bool:
    """Whether ``obj`` has a controller ownerReference to the object with ``owner_uid``."""
    return any(ref.get("controller") and ref.get("uid") == owner_uid
               for ref in obj["metadata"].get("ownerReferences") or ())


def revision(obj: dict[str, Any]) -> int:
    """The ``deployment.kubernetes.io/revision`` annotation as a number (0 when absent or malformed)."""
    value = (obj["metadata"].get("annotations") or {}).get(REVISION, "0")
    return int(value) if value.isdigit() else 0


def max_surge(deployment: dict[str, Any]) -> int:
    """How many pods above ``replicas`` a rolling update may create (percentages round up)."""
    spec = deployment["spec"]
    strategy = spec.get("strategy") or {}
    if strategy.get("type") != "RollingUpdate":
        return 0
    surge = (strategy.get("rollingUpdate") or {}).get("maxSurge", "25%")
    if isinstance(surge, str) and surge.endswith("%"):
        return -(-int(surge[:-1]) * spec.get("replicas", 1) // 100)
    return int(surge)


def replica_set_annotations(deployment: dict[str, Any], number: int) -> dict[str, str]:
    """The annotations the controller gives the Deployment's current ReplicaSet at revision ``number``."""
    copied = {k: v for k, v in (deployment["metadata"].get("annotations") or {}).items() if k not in NOT_COPIED}
    replicas = deployment["spec"].get("replicas", 1)
    return {**copied, DESIRED_REPLICAS: str(replicas), MAX_REPLICAS: str(replicas + max_surge(deployment)),
            REVISION: str(number)}


def new_replica_set(deployment: dict[str, Any], number: int) -> dict[str, Any]:
    """The ReplicaSet a Deployment's current pod template needs, at revision ``number``."""
    meta, spec = deployment["metadata"], deployment["spec"]
    template = spec.get("template") or {}
    pod_hash = template_hash(template)
    template_meta = template.get("metadata") or {}
    labels = {**(template_meta.get("labels") or {}), HASH_LABEL: pod_hash}
    selector = spec.get("selector") or {}
    return {
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {
            "name": f'{meta["name"]}-{pod_hash}', "namespace": meta["namespace"], "labels": labels,
            "annotations": replica_set_annotations(deployment, number),
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": meta["name"],
                                 "uid": meta["uid"], "controller": True, "blockOwnerDeletion": True}]},
        "spec": {"replicas": spec.get("replicas", 1),
                 "selector": {**selector, "matchLabels": {**(selector.get("matchLabels") or {}), HASH_LABEL: pod_hash}},
                 "template": {**template, "metadata": {**template_meta, "labels": labels}}},
    }


def replica_set_status(replica_set: dict[str, Any]) -> dict[str, Any]:
    """Status of a ReplicaSet whose every replica is ready and available (Go's omitempty drops the zeros)."""
    replicas = replica_set["spec"].get("replicas", 1)
    status: dict[str, Any] = {"replicas": replicas}
    if replicas:
        status.update(fullyLabeledReplicas=replicas, readyReplicas=replicas, availableReplicas=replicas)
    status["observedGeneration"] = replica_set["metadata"].get("generation", 1)
    return status


def _condition(kind: str, reason: str, message: str, previous: list[dict[str, Any]], stamp: str,
               status: str = "True") -> dict[str, Any]:
    """A Deployment condition: the previous one when nothing in it changed; lastTransitionTime kept while the
    status stays the same."""
    old = next((c for c in previous if c.get("type") == kind), {})
    if (old.get("status"), old.get("reason"), old.get("message")) == (status, reason, message):
        return old
    since = old.get("lastTransitionTime", stamp) if old.get("status") == status else stamp
    return {"type": kind, "status": status, "lastUpdateTime": stamp, "lastTransitionTime": since,
            "reason": reason, "message": message}


def deployment_status(deployment: dict[str, Any], current: dict[str, Any] | None, stamp: str) -> dict[str, Any]:
    """Status of a Deployment once ``current`` (its newest ReplicaSet, None when paused before any) is rolled out."""
    replicas = current["spec"].get("replicas", 1) if current else 0
    counts = {"replicas": replicas, "updatedReplicas": replicas, "readyReplicas": replicas,
              "availableReplicas": replicas}
    status: dict[str, Any] = {"observedGeneration": deployment["metadata"].get("generation", 1),
                              **{k: v for k, v in counts.items() if v}}
    previous = (deployment.get("status") or {}).get("conditions") or []
    wanted = deployment["spec"].get("replicas", 1)
    if replicas >= wanted - _max_unavailable(deployment):
        available = _condition("Available", "MinimumReplicasAvailable", "Deployment has minimum availability.",
                               previous, stamp)
    else:
        available = _condition("Available", "MinimumReplicasUnavailable",
                               "Deployment does not have minimum availability.", previous, stamp, "False")
    if deployment["spec"].get("paused"):
        progressing = _condition("Progressing", "DeploymentPaused", "Deployment is paused", previous, stamp,
                                 "Unknown")
    else:
        name = current["metadata"]["name"] if current else ""
        progressing = _condition("Progressing", "NewReplicaSetAvailable",
                                 f'ReplicaSet "{name}" has successfully progressed.', previous, stamp)
    status["conditions"] = [available, progressing]
    return status


def _max_unavailable(deployment: dict[str, Any]) -> int:
    """deploymentutil.MaxUnavailable: pods a rolling update may take down (percentages round down)."""
    spec = deployment["spec"]
    replicas = spec.get("replicas", 1)
    strategy = spec.get("strategy") or {}
    if strategy.get("type") != "RollingUpdate" or not replicas:
        return 0
    unavailable = (strategy.get("rollingUpdate") or {}).get("maxUnavailable", "25%")
    if isinstance(unavailable, str) and unavailable.endswith("%"):
        unavailable = int(unavailable[:-1]) * replicas // 100
    return min(int(unavailable), replicas) or (0 if max_surge(deployment) else 1)
