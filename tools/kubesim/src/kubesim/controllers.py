"""Simulated controllers: load balancer status for LoadBalancer Services, Deployment status.

Each reacts to committed changes (engine listener) by scheduling an asyncio task that re-reads the object and
writes its status, so clients see the status appear shortly after their write, as on a real cluster.
"""

from __future__ import annotations

import asyncio
from typing import Any

from kubesim.builtin import ResourceType
from kubesim.engine import Engine, Target
from kubesim.status import ApiError

LB_DOMAIN = "lb.kubesim.local"
DEPLOYMENT_DELAY = 0.05


def lb_hostname(name: str, namespace: str) -> str:
    """The stable hostname a LoadBalancer Service is given: ``<name>.<namespace>.lb.kubesim.local``."""
    return f"{name}.{namespace}.{LB_DOMAIN}"


def deployment_status(obj: dict[str, Any]) -> dict[str, Any]:
    """Status of a Deployment whose every replica is up to date, ready and available."""
    replicas = obj.get("spec", {}).get("replicas", 1)
    counts = {"replicas": replicas, "updatedReplicas": replicas, "readyReplicas": replicas,
              "availableReplicas": replicas}
    status: dict[str, Any] = {"observedGeneration": obj["metadata"].get("generation", 1),
                              **{k: v for k, v in counts.items() if v}}
    stamp = obj["metadata"].get("creationTimestamp", "")
    status["conditions"] = [
        {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable",
         "message": "Deployment has minimum availability.", "lastUpdateTime": stamp, "lastTransitionTime": stamp},
        {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable",
         "message": f'ReplicaSet "{obj["metadata"]["name"]}" has successfully progressed.',
         "lastUpdateTime": stamp, "lastTransitionTime": stamp}]
    return status


class Controllers:
    """Schedules status writes after relevant changes."""

    def __init__(self, engine: Engine, lb_delay: float) -> None:
        self.engine = engine
        self.lb_delay = lb_delay
        self._tasks: set[asyncio.Task[None]] = set()
        engine.listeners.append(self.on_change)

    def on_change(self, event: str, rtype: ResourceType, obj: dict[str, Any]) -> None:
        if event == "DELETED" or rtype.group not in ("", "apps"):
            return
        if rtype.key == ("", "services"):
            self._service_changed(rtype, obj)
        elif rtype.key == ("apps", "deployments"):
            if obj.get("status", {}).get("observedGeneration") != obj["metadata"].get("generation"):
                self._later(DEPLOYMENT_DELAY, rtype, obj, deployment_status)

    def _service_changed(self, rtype: ResourceType, obj: dict[str, Any]) -> None:
        is_lb = obj.get("spec", {}).get("type") == "LoadBalancer"
        has_ingress = bool(obj.get("status", {}).get("loadBalancer", {}).get("ingress"))
        if is_lb and not has_ingress:
            self._later(self.lb_delay, rtype, obj, self._lb_status)
        elif has_ingress and not is_lb:
            self._later(0, rtype, obj, self._lb_status)

    @staticmethod
    def _lb_status(obj: dict[str, Any]) -> dict[str, Any]:
        meta = obj["metadata"]
        if obj.get("spec", {}).get("type") != "LoadBalancer":
            return {**obj.get("status", {}), "loadBalancer": {}}
        ingress = [{"hostname": lb_hostname(meta["name"], meta["namespace"])}]
        return {**obj.get("status", {}), "loadBalancer": {"ingress": ingress}}

    def _later(self, delay: float, rtype: ResourceType, obj: dict[str, Any], compute: Any) -> None:
        meta = obj["metadata"]
        target = Target(rtype, rtype.storage_version, meta.get("namespace", ""), meta["name"])
        task = asyncio.get_running_loop().create_task(self._write(delay, target, meta["uid"], compute))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _write(self, delay: float, target: Target, uid: str, compute: Any) -> None:
        await asyncio.sleep(delay)
        try:
            current = self.engine.get(target)
        except ApiError:
            return
        if current["metadata"]["uid"] == uid:
            self.engine.write_status(target, compute(current))

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
