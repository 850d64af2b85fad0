"""The verbs (get, list, create, update, patch, delete) over the store, as kube-apiserver runs them."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

import yaml

from kubesim import decoding, patch, selectors, services
from kubesim.builtin import GENERATION_KINDS, ResourceType
from kubesim.objects import Preparer
from kubesim.registry import Registry, type_from_crd
from kubesim.status import (STALE, ApiError, already_exists, bad_request, conflict, forbidden, invalid,
                            invalid_options, not_found, success_status)
from kubesim.store import Store, clone

MERGE = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"
APPLY = "application/apply-patch+yaml"
PATCH_TYPES = (JSON_PATCH, MERGE, STRATEGIC, APPLY)
CRD_KEY = ("apiextensions.k8s.io", "customresourcedefinitions")
NAMESPACE_KEY = ("", "namespaces")
VOLATILE_META = ("resourceVersion", "managedFields", "generation")


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class WriteOptions:
    """Query options shared by the write verbs."""

    dry_run: bool = False
    field_manager: str = ""
    field_validation: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Target:
    """What a request addresses: a type at a version, maybe a namespace, name and subresource."""

    rtype: ResourceType
    version: str
    namespace: str = ""
    name: str = ""
    subresource: str = ""


def _spec_part(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k not in ("metadata", "status", "apiVersion", "kind")}


def _comparable(obj: dict[str, Any]) -> dict[str, Any]:
    meta = {k: v for k, v in obj.get("metadata", {}).items() if k not in VOLATILE_META}
    return {**{k: v for k, v in obj.items() if k not in ("apiVersion", "metadata")}, "metadata": meta}


class Engine:
    """Runs API verbs against the in-memory store; calls ``on_change(event, rtype, obj)`` after each commit."""

    def __init__(self, kube_version: tuple[int, int]) -> None:
        self.registry = Registry()
        self.store = Store()
        self.allocator = services.Allocator()
        self.kube_version = kube_version
        self.listeners: list[Callable[[str, ResourceType, dict[str, Any]], None]] = []

    # ---- reads -------------------------------------------------------------------------------------------
    def render(self, rtype: ResourceType, version: str, obj: dict[str, Any]) -> dict[str, Any]:
        return {"apiVersion": rtype.api_version(version), "kind": rtype.kind,
                **{k: v for k, v in obj.items() if k not in ("apiVersion", "kind")}}

    def get(self, target: Target) -> dict[str, Any]:
        obj = self._existing(target)
        return self.render(target.rtype, target.version, obj)

    def list(self, target: Target, label_selector: str = "", field_selector: str = "") -> dict[str, Any]:
        try:
            labels = selectors.parse_label_selector(label_selector)
            fields = selectors.parse_field_selector(field_selector, selectors.supported_fields(target.rtype.kind))
        except selectors.SelectorError as error:
            raise bad_request(str(error)) from None
        items = []
        rtype = target.rtype
        for obj in self.store.items(rtype.group, rtype.plural, target.namespace or None):
            rendered = self.render(rtype, target.version, obj)
            if not labels.matches(rendered["metadata"].get("labels")):
                continue
            if not fields.matches(selectors.selectable_fields(rendered)):
                continue
            items.append(rendered)
        return {"kind": f"{rtype.kind}List", "apiVersion": rtype.api_version(target.version),
                "metadata": {"resourceVersion": self.store.revision}, "items": items}

    # ---- writes ------------------------------------------------------------------------------------------
    def create(self, target: Target, body: dict[str, Any], opts: WriteOptions) -> dict[str, Any]:
        rtype = target.rtype
        obj = self._checked_body(target, body)
        meta = obj["metadata"]
        if not meta.get("name") and meta.get("generateName"):
            meta["name"] = meta["generateName"] + uuid.uuid4().hex[:5]
        self._require_namespace(target, meta.get("name", ""))
        for key in ("resourceVersion", "managedFields", "deletionTimestamp", "generation"):
            meta.pop(key, None)
        meta["uid"] = str(uuid.uuid4())
        meta["creationTimestamp"] = now()
        if rtype.has_status() and rtype.kind != "Namespace":
            obj.pop("status", None)
            if rtype.kind == "Service":
                obj["status"] = {"loadBalancer": {}}
        stored = self._prepare(target, obj, None, opts)
        if self.store.get(rtype.group, rtype.plural, target.namespace, meta.get("name", "")) is not None:
            raise already_exists(rtype.plural, rtype.group, meta["name"])
        if rtype.custom or rtype.kind in GENERATION_KINDS:
            stored["metadata"]["generation"] = 1
        return self._commit(target, stored, None, opts)

    def update(self, target: Target, body: dict[str, Any], opts: WriteOptions) -> dict[str, Any]:
        old = self._existing(target)
        obj = self._checked_body(target, body)
        if target.rtype.custom and not obj["metadata"].get("resourceVersion"):
            raise unconditional_update_refused(target)
        return self._update_with(target, old, obj, opts)

    def patch(self, target: Target, raw: bytes, content_type: str, opts: WriteOptions,
              force: bool = False) -> tuple[int, dict[str, Any]]:
        """Apply a patch of the given content type; (201, created) when an apply creates the object."""
        rtype = target.rtype
        if content_type not in PATCH_TYPES or (content_type == STRATEGIC and rtype.custom):
            accepted = ", ".join(t for t in PATCH_TYPES if not (rtype.custom and t == STRATEGIC))
            raise ApiError(415, f"the body of the request was in an unknown format - accepted media types "
                                f"include: {accepted}", "UnsupportedMediaType")
        if force and content_type != APPLY:
            raise invalid_options("PatchOptions", "force", "FieldValueForbidden",
                                  "Forbidden: may not be specified for non-apply patch")
        if content_type == APPLY and not opts.field_manager:
            raise invalid_options("PatchOptions", "fieldManager", "FieldValueRequired",
                                  "Required value: is required for apply patch")
        document = _parse_patch(raw, content_type)
        old = self.store.get(rtype.group, rtype.plural, target.namespace, target.name)
        if old is None:
            if content_type != APPLY:
                raise not_found(rtype.plural, rtype.group, target.name)
            self._require_namespace(target, target.name)
            return 201, self.create(target, document, opts)
        current = self.render(rtype, target.version, old)
        patched = _apply_patch(current, document, content_type, rtype.kind)
        obj = self._checked_body(target, patched)
        return 200, self._update_with(target, old, obj, opts)

    def delete(self, target: Target, options: dict[str, Any], opts: WriteOptions) -> dict[str, Any]:
        rtype = target.rtype
        old = self._existing(target)
        _check_preconditions(target, old, options.get("preconditions") or {})
        if opts.dry_run or (rtype.key == NAMESPACE_KEY and old["metadata"].get("deletionTimestamp")):
            return self.render(rtype, target.version, old)
        if rtype.key == NAMESPACE_KEY:
            terminating = clone(old)
            terminating["metadata"]["deletionTimestamp"] = now()
            terminating["status"] = {"phase": "Terminating"}
            return self._commit(target, terminating, old, opts)
        if old["metadata"].get("finalizers"):
            held = clone(old)
            held["metadata"].setdefault("deletionTimestamp", now())
            return self._commit(target, held, old, opts)
        self._remove(rtype, target.namespace, old)
        if rtype.custom:
            return self.render(rtype, target.version, old)
        return success_status(target.name, rtype.group, rtype.plural, old["metadata"]["uid"])

    def delete_collection(self, target: Target, label_selector: str, opts: WriteOptions) -> dict[str, Any]:
        """Delete every object of the collection matching the label selector; answers the list deleted."""
        found = self.list(target, label_selector)
        for item in found["items"]:
            self.delete(Target(target.rtype, target.version, target.namespace or item["metadata"].get("namespace", ""),
                               item["metadata"]["name"]), {}, opts)
        return found

    def finish_namespace(self, name: str, uid: str) -> None:
        """The namespace controller's last step: delete everything in a Terminating namespace, then itself."""
        namespace = self.store.get("", "namespaces", "", name)
        rtype = self.registry.get(*NAMESPACE_KEY)
        if namespace is None or rtype is None or namespace["metadata"]["uid"] != uid:
            return
        self._remove(rtype, "", namespace)

    def write_status(self, target: Target, status: Any, annotations: dict[str, str] | None = None) -> dict[str, Any]:
        """Controllers' writes of status and own annotations (no validation; stores only what changed)."""
        old = self._existing(target)
        meta = old["metadata"]
        merged = {**(meta.get("annotations") or {}), **(annotations or {})}
        if old.get("status") == status and merged == (meta.get("annotations") or {}):
            return old
        new = {**old, "status": status}
        if merged:
            new["metadata"] = {**meta, "annotations": merged}
        return self._commit(target, new, old, WriteOptions())

    # ---- internals ---------------------------------------------------------------------------------------
    def _existing(self, target: Target) -> dict[str, Any]:
        rtype = target.rtype
        obj = self.store.get(rtype.group, rtype.plural, target.namespace, target.name)
        if obj is None:
            raise not_found(rtype.plural, rtype.group, target.name)
        return obj

    def _require_namespace(self, target: Target, name: str = "") -> None:
        """404 when the namespace is missing; 403 while it is Terminating (NamespaceLifecycle admission)."""
        namespace = target.namespace
        if not namespace:
            return
        found = self.store.get("", "namespaces", "", namespace)
        if found is None:
            raise not_found("namespaces", "", namespace)
        if found["metadata"].get("deletionTimestamp"):
            raise namespace_terminating(target, name)

    def _checked_body(self, target: Target, body: Any) -> dict[str, Any]:
        rtype = target.rtype
        if not isinstance(body, dict):
            raise bad_request("the object provided is unrecognized (must be of type object)")
        obj = clone(body)
        expected = rtype.api_version(target.version)
        if obj.get("apiVersion") not in (None, "", expected) and not target.subresource:
            raise bad_request(f'the API version in the data ({obj["apiVersion"]}) does not match the expected '
                              f"API version ({expected})")
        if obj.get("kind") not in (None, "", rtype.kind) and not target.subresource:
            raise bad_request(f'the kind in the data ({obj["kind"]}) does not match the expected kind '
                              f"({rtype.kind})")
        obj["apiVersion"], obj["kind"] = expected, rtype.kind
        meta = obj.setdefault("metadata", {})
        if not isinstance(meta, dict):
            raise bad_request("metadata must be an object")
        if rtype.namespaced:
            if meta.get("namespace") and meta["namespace"] != target.namespace:
                raise bad_request("the namespace of the provided object does not match the namespace sent on "
                                  "the request")
            meta["namespace"] = target.namespace
        else:
            meta.pop("namespace", None)
        if target.name and meta.get("name") and meta["name"] != target.name:
            raise bad_request(f'the name of the object ({meta["name"]}) does not match the name on the URL '
                              f"({target.name})")
        if target.name:
            meta["name"] = target.name
        return obj

    def _prepare(self, target: Target, obj: dict[str, Any], old: dict[str, Any] | None,
                 opts: WriteOptions) -> dict[str, Any]:
        preparer = Preparer(self.allocator, self.kube_version, opts.dry_run)
        stored, unknown = preparer.prepare(target.rtype, target.version, obj, old)
        if unknown:
            fields = ", ".join(f'unknown field "{p}"' for p in unknown)
            if opts.field_validation == "Strict":
                kind = target.rtype.kind
                raise bad_request(f'{kind} in version "{target.version}" cannot be handled as a {kind}: '
                                  f"strict decoding error: {fields}")
            if opts.field_validation != "Ignore":
                opts.warnings += [f'unknown field "{p}"' for p in unknown]
        return stored

    def _update_with(self, target: Target, old: dict[str, Any], obj: dict[str, Any],
                     opts: WriteOptions) -> dict[str, Any]:
        rtype = target.rtype
        meta, old_meta = obj["metadata"], old["metadata"]
        sent_version = meta.get("resourceVersion")
        if sent_version and sent_version != old_meta["resourceVersion"]:
            raise conflict(rtype.plural, rtype.group, target.name, STALE)
        if target.subresource == "status":
            obj = {**old, "status": obj.get("status")}
        else:
            if rtype.has_status():
                obj["status"] = old.get("status")
                if obj["status"] is None:
                    del obj["status"]
            for key in ("uid", "creationTimestamp", "deletionTimestamp", "generation"):
                if key in old_meta:
                    meta[key] = old_meta[key]
            meta.pop("managedFields", None)
            obj = self._prepare(target, obj, old, opts)
        if _comparable(obj) == _comparable(old):
            return self.render(rtype, target.version, old)
        if "generation" in old_meta and _spec_part(obj) != _spec_part(old):
            obj["metadata"]["generation"] = old_meta["generation"] + 1
        return self._commit(target, obj, old, opts)

    def _commit(self, target: Target, obj: dict[str, Any], old: dict[str, Any] | None,
                opts: WriteOptions) -> dict[str, Any]:
        rtype = target.rtype
        meta = obj["metadata"]
        if opts.dry_run:
            meta["resourceVersion"] = (old or {}).get("metadata", {}).get("resourceVersion", "")
            if old is None:
                meta.pop("resourceVersion")
            return self.render(rtype, target.version, obj)
        meta["resourceVersion"] = self.store.next_revision()
        self.store.put(rtype.group, rtype.plural, meta.get("namespace", ""), meta["name"], obj)
        if rtype.key == CRD_KEY:
            self.registry.add(type_from_crd(obj))
        if meta.get("deletionTimestamp") and not meta.get("finalizers") and rtype.key != NAMESPACE_KEY:
            self._remove(rtype, meta.get("namespace", ""), obj)
        self._notify("MODIFIED" if old else "ADDED", rtype, obj)
        return self.render(rtype, target.version, obj)

    def _remove(self, rtype: ResourceType, namespace: str, obj: dict[str, Any]) -> None:
        name = obj["metadata"]["name"]
        self.store.delete(rtype.group, rtype.plural, namespace, name)
        if rtype.kind == "Service" and not rtype.group:
            services.release(obj, self.allocator)
        elif rtype.key == CRD_KEY:
            spec = obj["spec"]
            self.registry.remove(spec["group"], spec["names"]["plural"])
            self.store.drop_type(spec["group"], spec["names"]["plural"])
        elif rtype.kind == "Namespace" and not rtype.group:
            self._empty_namespace(name)
        self._notify("DELETED", rtype, obj)

    def _empty_namespace(self, namespace: str) -> None:
        for group, plural, ns, name in self.store.keys_in_namespace(namespace):
            obj = self.store.get(group, plural, ns, name)
            rtype = self.registry.get(group, plural)
            if obj is not None and rtype is not None:
                self._remove(rtype, ns, obj)
            else:
                self.store.delete(group, plural, ns, name)

    def _notify(self, event: str, rtype: ResourceType, obj: dict[str, Any]) -> None:
        for listener in self.listeners:
            listener(event, rtype, obj)


def _parse_patch(raw: bytes, content_type: str) -> Any:
    try:
        if content_type == APPLY:
            return decoding.load_yaml(raw)
        return decoding.load_json(raw or b"null")
    except (ValueError, yaml.YAMLError) as error:
        raise bad_request(f"error decoding patch: {error}") from None


def _apply_patch(current: dict[str, Any], document: Any, content_type: str, kind: str) -> dict[str, Any]:
    try:
        if content_type == MERGE:
            return patch.json_merge_patch(current, document)
        if content_type == JSON_PATCH:
            return patch.json_patch(current, document)
        if content_type == STRATEGIC:
            return patch.strategic_merge_patch(current, document, kind)
        return patch.apply_merge(current, document, kind)
    except patch.PatchError as error:
        raise ApiError(422, str(error), "Invalid") from None


def namespace_terminating(target: Target, name: str) -> ApiError:
    """403 for content created in a Terminating namespace, with the NamespaceTerminating cause."""
    rtype, namespace = target.rtype, target.namespace
    error = forbidden(rtype.plural, rtype.group, name,
                      f"unable to create new content in namespace {namespace} because it is being terminated")
    error.body["details"]["causes"] = [{"reason": "NamespaceTerminating", "field": "metadata.namespace",
                                        "message": f"namespace {namespace} is being terminated"}]
    return error


def unconditional_update_refused(target: Target) -> ApiError:
    """422 for a PUT without resourceVersion: custom resources do not allow unconditional updates (store.go)."""
    rtype = target.rtype
    return invalid(rtype.plural, rtype.group, target.name, [{
        "reason": "FieldValueInvalid", "message": "Invalid value: 0x0: must be specified for an update",
        "field": "metadata.resourceVersion"}])


def _check_preconditions(target: Target, old: dict[str, Any], preconditions: dict[str, Any]) -> None:
    meta = old["metadata"]
    for field_name, label in (("uid", "UID"), ("resourceVersion", "ResourceVersion")):
        wanted = preconditions.get(field_name)
        if wanted and wanted != meta.get(field_name):
            raise ApiError(409, f"Precondition failed: {label} in precondition: {wanted}, {label} in object meta: "
                                f"{meta.get(field_name)}", "Conflict",
                           {"name": target.name, "group": target.rtype.group, "kind": target.rtype.plural})
