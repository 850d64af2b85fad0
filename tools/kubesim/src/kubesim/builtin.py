"""The resource types kubesim serves without any CRD, and the type record shared with CRDs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]


@dataclass(frozen=True)
class ResourceType:
    """One resource (plural) of one group, served at one or more versions."""

    group: str
    versions: tuple[str, ...]
    plural: str
    kind: str
    namespaced: bool
    short_names: tuple[str, ...] = ()
    singular: str = ""
    categories: tuple[str, ...] = ()
    subresources: tuple[str, ...] = ()
    # version -> openAPIV3Schema for custom resources; empty for built-ins
    schemas: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    custom: bool = False
    storage: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.group, self.plural)

    def api_version(self, version: str) -> str:
        return f"{self.group}/{version}" if self.group else version

    @property
    def storage_version(self) -> str:
        return self.storage or self.versions[0]

    def has_status(self) -> bool:
        return "status" in self.subresources


def _t(group: str, version: str, plural: str, kind: str, namespaced: bool = True,
       short: tuple[str, ...] = (), subresources: tuple[str, ...] = (), categories: tuple[str, ...] = ()) -> ResourceType:
    return ResourceType(group, (version,), plural, kind, namespaced, short, kind.lower(), categories, subresources)


BUILTIN_TYPES: tuple[ResourceType, ...] = (
    _t("", "v1", "namespaces", "Namespace", False, ("ns",), ("status", "finalize")),
    _t("", "v1", "services", "Service", True, ("svc",), ("status",), ("all",)),
    _t("", "v1", "endpoints", "Endpoints", True, ("ep",)),
    _t("", "v1", "configmaps", "ConfigMap", True, ("cm",)),
    _t("", "v1", "secrets", "Secret", True),
    _t("", "v1", "serviceaccounts", "ServiceAccount", True, ("sa",)),
    _t("", "v1", "pods", "Pod", True, ("po",), ("status",), ("all",)),
    _t("", "v1", "events", "Event", True, ("ev",)),
    _t("apps", "v1", "deployments", "Deployment", True, ("deploy",), ("status", "scale"), ("all",)),
    _t("apps", "v1", "replicasets", "ReplicaSet", True, ("rs",), ("status", "scale"), ("all",)),
    _t("rbac.authorization.k8s.io", "v1", "roles", "Role"),
    _t("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding"),
    _t("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", False),
    _t("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", False),
    _t("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", False,
       ("crd", "crds"), ("status",), ("api-extensions",)),
    _t("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration",
       False, (), (), ("api-extensions",)),
    _t("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration",
       False, (), (), ("api-extensions",)),
    _t("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", True, ("pdb",), ("status",)),
    _t("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", True, ("hpa",), ("status",),
       ("all",)),
)

# Built-in kinds that carry ``metadata.generation`` (custom resources always do).
GENERATION_KINDS = frozenset({"Deployment", "ReplicaSet", "PodDisruptionBudget", "HorizontalPodAutoscaler",
                              "CustomResourceDefinition", "ValidatingWebhookConfiguration",
                              "MutatingWebhookConfiguration"})
