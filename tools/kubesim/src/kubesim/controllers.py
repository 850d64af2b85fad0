"""Simulated controllers: load balancer status, Deployments with their ReplicaSets, garbage collection, and
istiod's Gateway API controller (its GatewayClass, each Gateway's Deployment and Service, Gateway/route status).

Each reacts to committed changes (engine listener) by scheduling an asyncio task that re-reads the objects and
writes, so clients see the result appear shortly after their write, as on a real cluster.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Callable

from kubesim import deployments, gateway_api
from kubesim.builtin import ResourceType
from kubesim.engine import CRD_KEY, NAMESPACE_KEY, Engine, Target, WriteOptions, now
from kubesim.status import ApiError

LOG = logging.getLogger("kubesim")
LB_DOMAIN = "lb.kubesim.local"
# A Service annotated "true" keeps its load balancer address pending ("false": assigned even with --lb-pending).
LB_PENDING_ANNOTATION = "kubesim.meshsmith.io/lb-pending"
# Seconds between a Deployment change and its rollout: none, so helm --wait passes at its first check.
DEPLOYMENT_DELAY = 0.0
DEPLOYMENTS = ("apps", "deployments")
REPLICA_SETS = ("apps", "replicasets")
SERVICES = ("", "services")
SERVICE_ACCOUNTS = ("", "serviceaccounts")
# Route kinds whose status the Gateway API controller writes, by plural.
ROUTE_KINDS = {"httproutes": "HTTPRoute", "grpcroutes": "GRPCRoute"}


def lb_hostname(name: str, namespace: str, domain: str = LB_DOMAIN) -> str:
    """The stable hostname a LoadBalancer Service is given: ``<name>.<namespace>.<domain>``."""
    return f"{name}.{namespace}.{domain}"


class Controllers:
    """Schedules controller work after relevant changes."""

    def __init__(self, engine: Engine, lb_delay: float, lb_pending: bool = False,
                 namespace_termination: float = 0.0, gateway_api_controller: bool = True,
                 lb_domain: str = LB_DOMAIN) -> None:
        self.engine = engine
        self.lb_domain = lb_domain
        self.lb_delay = lb_delay
        self.lb_pending = lb_pending
        self.namespace_termination = namespace_termination
        self.gateway_api_controller = gateway_api_controller
        self._gateway_api_sync_pending = False
        self._tasks: set[asyncio.Task[None]] = set()
        engine.listeners.append(self.on_change)
        self._gateway_api_changed()  # CRDs loaded before serving (--load)

    def on_change(self, event: str, rtype: ResourceType, obj: dict[str, Any]) -> None:
        meta = obj["metadata"]
        if self._concerns_gateway_api(rtype, obj):
            self._gateway_api_changed()
        if event == "DELETED":
            self._deleted(rtype, obj)
        elif rtype.key == ("", "services"):
            self._service_changed(rtype, obj)
        elif rtype.key == ("", "namespaces") and meta.get("deletionTimestamp"):
            self._later(self.namespace_termination, self.engine.finish_namespace, meta["name"], meta["uid"])
        elif rtype.key == DEPLOYMENTS and (obj.get("status") or {}).get("observedGeneration") != meta.get("generation"):
            self._later(DEPLOYMENT_DELAY, self._sync_deployment, self._target(rtype, obj), meta["uid"])

    def _deleted(self, rtype: ResourceType, obj: dict[str, Any]) -> None:
        """Collect the dependents of a deleted object; a Deployment replaces a ReplicaSet deleted under it."""
        meta = obj["metadata"]
        if meta.get("namespace"):
            self._later(0, self._collect_garbage, meta["namespace"], meta["uid"])
        deployment_type = self.engine.registry.get(*DEPLOYMENTS)
        if rtype.key != REPLICA_SETS or deployment_type is None:
            return
        for ref in meta.get("ownerReferences") or ():
            if ref.get("controller") and ref.get("kind") == "Deployment":
                target = Target(deployment_type, "v1", meta["namespace"], ref.get("name", ""))
                self._later(DEPLOYMENT_DELAY, self._sync_deployment, target, ref.get("uid", ""))

    def _service_changed(self, rtype: ResourceType, obj: dict[str, Any]) -> None:
        is_lb = obj.get("spec", {}).get("type") == "LoadBalancer"
        has_ingress = bool(obj.get("status", {}).get("loadBalancer", {}).get("ingress"))
        if is_lb and not has_ingress and not self._lb_pending(obj):
            self._later(self.lb_delay, self._write_lb_status, self._target(rtype, obj), obj["metadata"]["uid"])
        elif has_ingress and not is_lb:
            self._later(0, self._write_lb_status, self._target(rtype, obj), obj["metadata"]["uid"])

    def _concerns_gateway_api(self, rtype: ResourceType, obj: dict[str, Any]) -> bool:
        """Whether a change can alter what Istio's Gateway API controller writes."""
        if rtype.group == gateway_api.GROUP:
            return True
        if rtype.key == CRD_KEY:
            return obj.get("spec", {}).get("group") == gateway_api.GROUP
        labels = obj["metadata"].get("labels") or {}
        return (rtype.key in (SERVICES, NAMESPACE_KEY) or gateway_api.MANAGED_LABEL in labels) \
            and self.engine.registry.get(gateway_api.GROUP, "gateways") is not None

    def _gateway_api_changed(self) -> None:
        """Schedule one resync of the Gateway API objects (changes until it runs are handled by that one)."""
        if self.gateway_api_controller and not self._gateway_api_sync_pending:
            self._gateway_api_sync_pending = True
            self._later(0, self._sync_gateway_api)

    def _lb_pending(self, service: dict[str, Any]) -> bool:
        """Whether this Service's load balancer address stays pending (its annotation, else --lb-pending)."""
        annotation = (service["metadata"].get("annotations") or {}).get(LB_PENDING_ANNOTATION)
        return self.lb_pending if annotation is None else annotation == "true"

    # ---- the work, run by tasks ------------------------------------------------------------------------------
    def _write_lb_status(self, target: Target, uid: str) -> None:
        service = self._current(target, uid)
        if service is None:
            return
        status = service.get("status") or {}
        meta = service["metadata"]
        if service.get("spec", {}).get("type") != "LoadBalancer":
            self.engine.write_status(target, {**status, "loadBalancer": {}})
            return
        if self._lb_pending(service):
            return
        ingress = [{"hostname": lb_hostname(meta["name"], meta["namespace"], self.lb_domain)}]
        self.engine.write_status(target, {**status, "loadBalancer": {"ingress": ingress}})

    def _sync_deployment(self, target: Target, uid: str) -> None:
        """Roll the Deployment out at once: its current ReplicaSet scaled up, the others to zero, statuses set."""
        deployment = self._current(target, uid)
        replica_set_type = self.engine.registry.get(*REPLICA_SETS)
        if deployment is None or replica_set_type is None:
            return
        owned = sorted((rs for rs in self.engine.store.items(*REPLICA_SETS, target.namespace)
                        if deployments.controlled_by(rs, uid)),
                       key=lambda rs: (rs["metadata"]["creationTimestamp"], rs["metadata"]["name"]))
        template = deployments.without_hash(deployment["spec"].get("template") or {})
        current = next((rs for rs in owned if deployments.without_hash(rs["spec"]["template"]) == template), None)
        if not deployment["spec"].get("paused"):
            newest = max((deployments.revision(rs) for rs in owned), default=0)
            number = newest if current is not None and deployments.revision(current) == newest else newest + 1
            desired = deployments.new_replica_set(deployment, number)
            old = [rs for rs in owned if rs is not current]
            current = self._save_replica_set(replica_set_type, current, desired)
            self._retire(replica_set_type, old, deployment["spec"].get("revisionHistoryLimit", 10))
        annotations = {deployments.REVISION: str(deployments.revision(current))} if current else None
        self.engine.write_status(target, deployments.deployment_status(deployment, current, now()), annotations)

    def _save_replica_set(self, rtype: ResourceType, existing: dict[str, Any] | None,
                          desired: dict[str, Any]) -> dict[str, Any]:
        """Create the current ReplicaSet, or give the existing one the desired replicas and annotations."""
        namespace = desired["metadata"]["namespace"]
        if existing is None:
            saved = self.engine.create(Target(rtype, "v1", namespace), desired, WriteOptions())
        else:
            meta = {**existing["metadata"], "annotations": desired["metadata"]["annotations"]}
            body = {**existing, "metadata": meta, "spec": {**existing["spec"], "replicas": desired["spec"]["replicas"]}}
            saved = self.engine.update(Target(rtype, "v1", namespace, meta["name"]), body, WriteOptions())
        return self._write_replica_set_status(rtype, saved)

    def _retire(self, rtype: ResourceType, old: list[dict[str, Any]], history_limit: int) -> None:
        """Scale old ReplicaSets to zero; delete the oldest beyond the Deployment's revisionHistoryLimit."""
        by_revision = sorted(old, key=deployments.revision)
        for index, replica_set in enumerate(by_revision):
            target = Target(rtype, "v1", replica_set["metadata"]["namespace"], replica_set["metadata"]["name"])
            if index < len(by_revision) - history_limit:
                self.engine.delete(target, {}, WriteOptions())
            elif replica_set["spec"].get("replicas") != 0:
                scaled = self.engine.update(target, {**replica_set, "spec": {**replica_set["spec"], "replicas": 0}},
                                            WriteOptions())
                self._write_replica_set_status(rtype, scaled)

    def _write_replica_set_status(self, rtype: ResourceType, replica_set: dict[str, Any]) -> dict[str, Any]:
        meta = replica_set["metadata"]
        target = Target(rtype, "v1", meta["namespace"], meta["name"])
        self.engine.write_status(target, deployments.replica_set_status(replica_set))
        return self.engine.get(target)

    def _sync_gateway_api(self) -> None:
        """istiod's Gateway API controllers: the default GatewayClass and its status, each handled Gateway's
        ServiceAccount, Service and Deployment, then the routes' and Gateways' status. Writes only differences."""
        self._gateway_api_sync_pending = False
        registry, store, stamp = self.engine.registry, self.engine.store, now()
        class_type = registry.get(gateway_api.GROUP, "gatewayclasses")
        if class_type is None:
            return
        if store.get(gateway_api.GROUP, "gatewayclasses", "", gateway_api.DEFAULT_CLASS) is None:
            self._attempt(self.engine.create, Target(class_type, class_type.storage_version),
                          gateway_api.default_gateway_class(), WriteOptions())
        classes = {c["metadata"]["name"]: c for c in store.items(gateway_api.GROUP, "gatewayclasses")}
        for gateway_class in classes.values():
            if gateway_api.is_ours(gateway_class):
                self._attempt(self.engine.write_status, self._target(class_type, gateway_class),
                              gateway_api.gateway_class_status(gateway_class, stamp))
        gateway_type = registry.get(gateway_api.GROUP, "gateways")
        if gateway_type is None:
            return
        gateways = [g for g in store.items(gateway_api.GROUP, "gateways")
                    if gateway_api.is_ours(classes.get(g["spec"].get("gatewayClassName", "")))]
        for gateway in gateways:
            self._deploy_gateway(gateway)
        cluster = self._gateway_api_cluster(classes)
        attached: dict[tuple[str, str, str], int] = {}
        for plural, kind in ROUTE_KINDS.items():
            route_type = registry.get(gateway_api.GROUP, plural)
            if route_type is None:
                continue
            for route in store.items(gateway_api.GROUP, plural):
                status, listeners = gateway_api.route_status(route, kind, cluster, stamp)
                self._attempt(self.engine.write_status, self._target(route_type, route), status)
                for key in listeners:
                    attached[key] = attached.get(key, 0) + 1
        for gateway in gateways:
            meta = gateway["metadata"]
            service = store.get(*SERVICES, meta["namespace"], gateway_api.managed_name(gateway))
            counts = {listener: n for (namespace, name, listener), n in attached.items()
                      if (namespace, name) == (meta["namespace"], meta["name"])}
            self._attempt(self.engine.write_status, self._target(gateway_type, gateway),
                          gateway_api.gateway_status(gateway, service, counts, stamp),
                          {gateway_api.CONTROLLER_VERSION_ANNOTATION: gateway_api.CONTROLLER_VERSION})

    def _deploy_gateway(self, gateway: dict[str, Any]) -> None:
        """Create or correct the ServiceAccount, Service and Deployment of a Gateway (deploymentcontroller.go)."""
        meta = gateway["metadata"]
        service = self.engine.store.get(*SERVICES, meta["namespace"], gateway_api.managed_name(gateway))
        for key, desired in ((SERVICE_ACCOUNTS, gateway_api.managed_service_account(gateway)),
                             (SERVICES, gateway_api.managed_service(gateway, service)),
                             (DEPLOYMENTS, gateway_api.managed_deployment(gateway))):
            rtype = self.engine.registry.get(*key)
            if rtype is None:
                continue
            existing = self.engine.store.get(*key, meta["namespace"], desired["metadata"]["name"])
            if existing is None:
                self._attempt(self.engine.create, Target(rtype, rtype.storage_version, meta["namespace"]), desired,
                              WriteOptions())
            else:
                self._attempt(self.engine.update, self._target(rtype, existing),
                              gateway_api.merged(existing, desired), WriteOptions())

    def _gateway_api_cluster(self, classes: dict[str, dict[str, Any]]) -> gateway_api.Cluster:
        """What route and Gateway statuses depend on, read from the store."""
        store = self.engine.store
        return gateway_api.Cluster(
            classes=classes,
            gateways={(g["metadata"]["namespace"], g["metadata"]["name"]): g
                      for g in store.items(gateway_api.GROUP, "gateways")},
            services={(s["metadata"]["namespace"], s["metadata"]["name"]): s for s in store.items(*SERVICES)},
            namespace_labels={n["metadata"]["name"]: n["metadata"].get("labels") or {}
                              for n in store.items(*NAMESPACE_KEY)},
            grants=list(store.items(gateway_api.GROUP, "referencegrants")))

    @staticmethod
    def _attempt(write: Callable[..., Any], *args: Any) -> None:
        """One controller write; a refusal (object gone, namespace terminating) leaves the rest of the sync going."""
        try:
            write(*args)
        except ApiError as error:
            LOG.debug("gateway controller write refused: %s", error.body.get("message"))

    def _collect_garbage(self, namespace: str, owner_uid: str) -> None:
        """Background deletion: remove the objects of the namespace whose only owner was ``owner_uid``."""
        if self.engine.store.get("", "namespaces", "", namespace) is None:
            return
        for group, plural, _namespace, name in self.engine.store.keys_in_namespace(namespace):
            obj = self.engine.store.get(group, plural, namespace, name)
            rtype = self.engine.registry.get(group, plural)
            refs = (obj or {}).get("metadata", {}).get("ownerReferences") or []
            if rtype is not None and refs and all(ref.get("uid") == owner_uid for ref in refs):
                self.engine.delete(Target(rtype, rtype.storage_version, namespace, name), {}, WriteOptions())

    # ---- scheduling -----------------------------------------------------------------------------------------
    @staticmethod
    def _target(rtype: ResourceType, obj: dict[str, Any]) -> Target:
        meta = obj["metadata"]
        return Target(rtype, rtype.storage_version, meta.get("namespace", ""), meta["name"])

    def _current(self, target: Target, uid: str) -> dict[str, Any] | None:
        """The object as stored now, or None when it is gone or was replaced by another of the same name."""
        try:
            obj = self.engine.get(target)
        except ApiError:
            return None
        return obj if obj["metadata"]["uid"] == uid else None

    def _later(self, delay: float, work: Callable[..., None], *args: Any) -> None:
        task = asyncio.get_running_loop().create_task(self._run(delay, work, *args))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _run(delay: float, work: Callable[..., None], *args: Any) -> None:
        await asyncio.sleep(delay)
        try:
            work(*args)
        except ApiError as error:  # the world changed under the controller; the next event retries
            LOG.debug("controller %s gave up: %s", getattr(work, "__name__", work), error.body.get("message"))

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
