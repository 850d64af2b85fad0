"""Status bodies and the error type that carries them, shaped like kube-apiserver's."""

from __future__ import annotations

from typing import Any

REASONS = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    406: "NotAcceptable",
    409: "Conflict",
    410: "Expired",
    415: "UnsupportedMediaType",
    422: "Invalid",
    429: "TooManyRequests",
    500: "InternalError",
    503: "ServiceUnavailable",
    504: "Timeout",
}


def status_body(code: int, message: str, reason: str | None = None,
                details: dict[str, Any] | None = None) -> dict[str, Any]:
    """A failure ``Status`` object as the real server writes it."""
    body: dict[str, Any] = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason if reason is not None else REASONS.get(code, ""),
        "code": code,
    }
    if details:
        body["details"] = details
    if not body["reason"]:
        del body["reason"]
    return body


def success_status(name: str, group: str, kind: str, uid: str) -> dict[str, Any]:
    """The ``Status`` returned by a delete of an object that had no finalizers to run."""
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
            "details": {"name": name, "group": group, "kind": kind, "uid": uid}}


class ApiError(Exception):
    """An API failure that becomes a Status response."""

    def __init__(self, code: int, message: str, reason: str | None = None,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.body = status_body(code, message, reason, details)


def _details(name: str, group: str, kind: str, causes: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    details: dict[str, Any] = {"name": name, "group": group, "kind": kind} if name else {"group": group, "kind": kind}
    if not group:
        del details["group"]
    if causes:
        details["causes"] = causes
    return details


def qualified(plural: str, group: str) -> str:
    """``gateways.networking.istio.io`` or ``services`` for the core group."""
    return f"{plural}.{group}" if group else plural


def not_found(plural: str, group: str, name: str) -> ApiError:
    return ApiError(404, f'{qualified(plural, group)} "{name}" not found', "NotFound",
                    _details(name, group, plural))


def already_exists(plural: str, group: str, name: str) -> ApiError:
    return ApiError(409, f'{qualified(plural, group)} "{name}" already exists', "AlreadyExists",
                    _details(name, group, plural))


def conflict(plural: str, group: str, name: str, why: str) -> ApiError:
    return ApiError(409, f'Operation cannot be fulfilled on {qualified(plural, group)} "{name}": {why}',
                    "Conflict", _details(name, group, plural))


STALE = "the object has been modified; please apply your changes to the latest version and try again"


def invalid(kind: str, group: str, name: str, causes: list[dict[str, Any]]) -> ApiError:
    """422 with one cause per field, message like the real server's aggregate."""
    parts = [f'{c["field"]}: {c["message"]}' if c.get("field") else c["message"] for c in causes]
    joined = parts[0] if len(parts) == 1 else "[" + ", ".join(parts) + "]"
    return ApiError(422, f'{qualified(kind, group)} "{name}" is invalid: {joined}', "Invalid",
                    _details(name, group, kind, causes))


def forbidden(plural: str, group: str, name: str, why: str) -> ApiError:
    """403 as ``apierrors.NewForbidden`` words it (no name: the collection is named alone)."""
    subject = f'{qualified(plural, group)} "{name}"' if name else qualified(plural, group)
    details: dict[str, Any] = {"name": name, "group": group, "kind": plural}
    return ApiError(403, f"{subject} is forbidden: {why}", "Forbidden",
                    {k: v for k, v in details.items() if v})


def bad_request(message: str) -> ApiError:
    return ApiError(400, message, "BadRequest")


def method_not_allowed() -> ApiError:
    return ApiError(405, "the server does not allow this method on the requested resource", "MethodNotAllowed")


def invalid_options(kind: str, field: str, reason: str, message: str) -> ApiError:
    """422 for bad request options (``PatchOptions``, ``CreateOptions``...), as the real server words it."""
    return ApiError(422, f'{kind}.meta.k8s.io "" is invalid: {field}: {message}', "Invalid",
                    {"group": "meta.k8s.io", "kind": kind,
                     "causes": [{"reason": reason, "message": message, "field": field}]})
