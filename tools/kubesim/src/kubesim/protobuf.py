"""Decode the Kubernetes protobuf wire format for the few built-in kinds typed clients send that way.

kubectl's ``create namespace|configmap|secret`` and helm's release storage (Secrets) send
``application/vnd.kubernetes.protobuf`` bodies: the ``k8s\\x00`` magic, then a ``runtime.Unknown`` envelope
(TypeMeta, raw message). Only Namespace, ConfigMap, Secret, ServiceAccount and DeleteOptions are understood; field numbers follow
``k8s.io/api/core/v1/generated.proto`` and ``apimachinery/pkg/apis/meta/v1/generated.proto``. Zero values are
dropped, as the JSON encoding's ``omitempty`` does.
"""

from __future__ import annotations

import base64
import datetime
from typing import Any

CONTENT_TYPE = "application/vnd.kubernetes.protobuf"
MAGIC = b"k8s\x00"
Schema = dict[int, tuple[str, Any]]


class ProtobufError(ValueError):
    """The body cannot be decoded."""


TIME: Schema = {1: ("seconds", "int"), 2: ("nanos", "int")}
OWNER_REFERENCE: Schema = {5: ("apiVersion", "string"), 1: ("kind", "string"), 3: ("name", "string"),
                           4: ("uid", "string"), 6: ("controller", "bool"), 7: ("blockOwnerDeletion", "bool")}
OBJECT_META: Schema = {
    1: ("name", "string"), 2: ("generateName", "string"), 3: ("namespace", "string"), 5: ("uid", "string"),
    6: ("resourceVersion", "string"), 7: ("generation", "int"), 8: ("creationTimestamp", TIME),
    9: ("deletionTimestamp", TIME), 11: ("labels", "map"), 12: ("annotations", "map"),
    13: ("ownerReferences", [OWNER_REFERENCE]), 14: ("finalizers", ["string"]),
}
LOCAL_REFERENCE: Schema = {1: ("name", "string")}
OBJECT_REFERENCE: Schema = {1: ("kind", "string"), 2: ("namespace", "string"), 3: ("name", "string")}
KINDS: dict[str, Schema] = {
    "Namespace": {1: ("metadata", OBJECT_META), 2: ("spec", {1: ("finalizers", ["string"])}),
                  3: ("status", {1: ("phase", "string")})},
    "ConfigMap": {1: ("metadata", OBJECT_META), 2: ("data", "map"), 3: ("binaryData", "bytesmap"),
                  4: ("immutable", "bool")},
    "Secret": {1: ("metadata", OBJECT_META), 2: ("data", "bytesmap"), 3: ("type", "string"),
               4: ("stringData", "map"), 5: ("immutable", "bool")},
    "ServiceAccount": {1: ("metadata", OBJECT_META), 2: ("secrets", [OBJECT_REFERENCE]),
                       3: ("imagePullSecrets", [LOCAL_REFERENCE]), 4: ("automountServiceAccountToken", "bool")},
    "DeleteOptions": {1: ("gracePeriodSeconds", "int"),
                      2: ("preconditions", {1: ("uid", "string"), 2: ("resourceVersion", "string")}),
                      3: ("orphanDependents", "bool"), 4: ("propagationPolicy", "string"), 5: ("dryRun", ["string"])},
}
UNKNOWN: Schema = {1: ("typeMeta", {1: ("apiVersion", "string"), 2: ("kind", "string")}), 2: ("raw", "raw")}


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data):
            raise ProtobufError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def _fields(data: bytes) -> list[tuple[int, int | bytes]]:
    """(field number, value) pairs: ints for varints, bytes for length-delimited (fixed widths skipped)."""
    fields: list[tuple[int, int | bytes]] = []
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
            fields.append((number, value))
        elif wire == 2:
            length, pos = _varint(data, pos)
            fields.append((number, data[pos:pos + length]))
            pos += length
        elif wire in (1, 5):
            pos += 8 if wire == 1 else 4
        else:
            raise ProtobufError(f"unsupported wire type {wire}")
    return fields


def _time(value: dict[str, Any]) -> str | None:
    seconds = value.get("seconds", 0)
    if not seconds:
        return None
    stamp = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def _scalar(kind: str, raw: int | bytes) -> Any:
    if kind == "string":
        return bytes(raw).decode() if isinstance(raw, bytes) else raw
    if kind == "bool":
        return bool(raw)
    if kind == "int":
        return raw - (1 << 64) if isinstance(raw, int) and raw >= 1 << 63 else raw
    return raw


def _entry(raw: bytes) -> tuple[str, bytes]:
    parts = dict(_fields(raw))
    return bytes(parts.get(1, b"")).decode(), bytes(parts.get(2, b""))


def decode_message(data: bytes, schema: Schema) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for number, raw in _fields(data):
        if number not in schema:
            continue
        name, kind = schema[number]
        if kind in ("map", "bytesmap"):
            key, value = _entry(bytes(raw))
            out.setdefault(name, {})[key] = value.decode() if kind == "map" else base64.b64encode(value).decode()
        elif isinstance(kind, list):
            item = kind[0]
            out.setdefault(name, []).append(decode_message(bytes(raw), item) if isinstance(item, dict)
                                            else _scalar(item, raw))
        elif kind is TIME:
            stamp = _time(decode_message(bytes(raw), TIME))
            if stamp:
                out[name] = stamp
        elif isinstance(kind, dict):
            out[name] = decode_message(bytes(raw), kind)
        else:
            out[name] = bytes(raw) if kind == "raw" else _scalar(kind, raw)
    return {k: v for k, v in out.items() if v not in ("", 0, {}, []) or isinstance(v, bool)}


def decode(body: bytes) -> dict[str, Any]:
    """The JSON-shaped object of a protobuf-encoded request body; ProtobufError when not understood."""
    if not body.startswith(MAGIC):
        raise ProtobufError("missing protobuf envelope")
    envelope = decode_message(body[len(MAGIC):], UNKNOWN)
    type_meta = envelope.get("typeMeta", {})
    kind = type_meta.get("kind", "")
    if kind not in KINDS:
        raise ProtobufError(f"protobuf bodies are only understood for {', '.join(KINDS)}, not {kind or 'this'}")
    obj = decode_message(envelope.get("raw", b""), KINDS[kind])
    return {"apiVersion": type_meta.get("apiVersion", "v1"), "kind": kind, **obj}
