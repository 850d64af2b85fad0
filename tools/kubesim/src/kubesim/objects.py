"""Kind-specific preparation of objects before they are stored (defaults, server-set status, validation)."""

from __future__ import annotations

import base64
import re
from typing import Any

from kubesim import cel, schema, services
from kubesim.builtin import ResourceType
from kubesim.registry import type_from_crd
from kubesim.status import invalid

_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_DNS1035 = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
LABEL_MSG = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
             "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
             "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
SUBDOMAIN_MSG = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
                 "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation "
                 "is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
DNS1035_MSG = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
               "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
               "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")
# Schema failures after which the API server does not run the CEL rules (hasBlockingErr).
BLOCKING_REASONS = ("FieldValueTypeInvalid", "FieldValueNotSupported")
_NAME_RULES = {"Namespace": (_LABEL, LABEL_MSG, 63), "Service": (_DNS1035, DNS1035_MSG, 63)}


def name_causes(kind: str, name: str) -> list[dict[str, Any]]:
    """Causes for an invalid metadata.name (empty when valid)."""
    if not name:
        return [{"reason": "FieldValueRequired", "message": "Required value: name or generateName is required",
                 "field": "metadata.name"}]
    pattern, message, limit = _NAME_RULES.get(kind, (_SUBDOMAIN, SUBDOMAIN_MSG, 253))
    if len(name) > limit:
        message = f"must be no more than {limit} characters"
    elif pattern.match(name):
        return []
    return [{"reason": "FieldValueInvalid", "message": f'Invalid value: "{name}": {message}', "field": "metadata.name"}]


def unknown_fields(before: Any, after: Any, path: str = "") -> list[str]:
    """Dotted paths present in ``before`` but pruned from ``after``."""
    if isinstance(before, dict) and isinstance(after, dict):
        found: list[str] = []
        for key, value in before.items():
            child = f"{path}.{key}" if path else key
            found += [child] if key not in after else unknown_fields(value, after[key], child)
        return found
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [p for i, (b, a) in enumerate(zip(before, after)) for p in unknown_fields(b, a, f"{path}[{i}]")]
    return []


class Preparer:
    """Turns a submitted object into the object to store, per kind."""

    def __init__(self, allocator: services.Allocator, kube_version: tuple[int, int], dry_run: bool) -> None:
        self.allocator = allocator
        self.kube_version = kube_version
        self.dry_run = dry_run

    def prepare(self, rtype: ResourceType, version: str, obj: dict[str, Any],
                old: dict[str, Any] | None) -> tuple[dict[str, Any], list[str]]:
        """The object to store and the unknown (pruned) field paths; raises ApiError on invalid input."""
        name = obj["metadata"].get("name", "")
        causes = name_causes(rtype.kind, name) if old is None else []
        if causes:
            raise invalid(rtype.kind, rtype.group, name, causes)
        if rtype.custom:
            return self._custom(rtype, version, obj, old)
        handler = getattr(self, f"_{rtype.kind.lower()}", None)
        return (handler(obj, old) if handler else obj), []

    def _custom(self, rtype: ResourceType, version: str, obj: dict[str, Any],
                old: dict[str, Any] | None) -> tuple[dict[str, Any], list[str]]:
        head: dict[str, Any] = {k: obj[k] for k in ("apiVersion", "kind", "metadata") if k in obj}
        version_schema = rtype.schemas.get(version) or {}
        pruned, causes = schema.validate_and_prune(schema.apply_defaults(obj, version_schema), version_schema)
        if not any(c["reason"] in BLOCKING_REASONS for c in causes):
            causes += cel.validate(cel.rule_tree(version_schema), {**pruned, **head}, old, is_root=True)
        if causes:
            raise invalid(rtype.kind, rtype.group, head["metadata"].get("name", ""), causes)
        unknown = [p for p in unknown_fields(obj, pruned) if p.split(".")[0] not in head]
        return {**pruned, **head}, unknown

    def _service(self, obj: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
        try:
            if old is None:
                return services.prepare_create(obj, self.allocator, self.kube_version, self.dry_run)
            return services.prepare_update(old, obj, self.allocator, self.kube_version, self.dry_run)
        except services.Invalid as error:
            raise invalid("Service", "", obj["metadata"]["name"], error.causes) from None

    @staticmethod
    def _namespace(obj: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
        name = obj["metadata"]["name"]
        obj["metadata"].setdefault("labels", {})["kubernetes.io/metadata.name"] = name
        obj.setdefault("spec", {}).setdefault("finalizers", ["kubernetes"])
        obj["status"] = (old or {}).get("status") or {"phase": "Active"}
        return obj

    @staticmethod
    def _secret(obj: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
        obj.setdefault("type", "Opaque")
        for key, value in (obj.pop("stringData", None) or {}).items():
            obj.setdefault("data", {})[key] = base64.b64encode(str(value).encode()).decode()
        return obj

    @staticmethod
    def _deployment(obj: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
        spec = obj.setdefault("spec", {})
        name = obj["metadata"]["name"]
        selector = (spec.get("selector") or {}).get("matchLabels")
        labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        if not spec.get("selector"):
            raise invalid("Deployment", "apps", name, [{"reason": "FieldValueRequired", "message": "Required value",
                                                        "field": "spec.selector"}])
        if selector and any(labels.get(k) != v for k, v in selector.items()):
            raise invalid("Deployment", "apps", name, [{
                "reason": "FieldValueInvalid", "field": "spec.template.metadata.labels",
                "message": f"Invalid value: {labels!r}: `selector` does not match template `labels`"}])
        spec.setdefault("replicas", 1)
        spec.setdefault("revisionHistoryLimit", 10)
        spec.setdefault("progressDeadlineSeconds", 600)
        spec.setdefault("strategy", {"type": "RollingUpdate",
                                     "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}})
        return obj

    @staticmethod
    def _customresourcedefinition(obj: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
        spec = obj.get("spec") or {}
        names = spec.get("names") or {}
        expected = f'{names.get("plural")}.{spec.get("group")}'
        if obj["metadata"]["name"] != expected:
            raise invalid("CustomResourceDefinition", "apiextensions.k8s.io", obj["metadata"]["name"], [{
                "reason": "FieldValueInvalid", "field": "metadata.name",
                "message": f'Invalid value: "{obj["metadata"]["name"]}": must be spec.names.plural+"."+spec.group'}])
        names.setdefault("singular", names.get("kind", "").lower())
        names.setdefault("listKind", f'{names.get("kind")}List')
        rtype = type_from_crd(obj)
        stored = sorted(set(((old or {}).get("status") or {}).get("storedVersions", [])) | {rtype.storage_version})
        condition = {"lastTransitionTime": obj["metadata"].get("creationTimestamp", ""), "status": "True"}
        obj["status"] = {
            "acceptedNames": dict(names),
            "conditions": [
                {**condition, "type": "NamesAccepted", "reason": "NoConflicts", "message": "no conflicts found"},
                {**condition, "type": "Established", "reason": "InitialNamesAccepted",
                 "message": "the initial names have been accepted"}],
            "storedVersions": stored,
        }
        return obj
