"""Admin API under /_kubesim/: the request log and fault injection."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from kubesim.status import ApiError, status_body

FAULT_FIELDS = ("method", "path", "status", "count", "delay", "retry_after", "drop")


@dataclass
class Fault:
    """Makes the next ``count`` matching API requests fail, stall or drop."""

    path: str = ".*"
    method: str | None = None
    status: int | None = None
    count: int = 1
    delay: float = 0.0
    retry_after: int | None = None
    drop: bool = False
    pattern: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.pattern = re.compile(self.path)

    def matches(self, method: str, path: str) -> bool:
        return self.count > 0 and (self.method is None or self.method.upper() == method) \
            and self.pattern.search(path) is not None

    def describe(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FAULT_FIELDS}


@dataclass
class Admin:
    """Request log and pending faults, shared by the API middleware and the admin routes."""

    request_log: list[dict[str, Any]] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    log_file: Path | None = None

    def record(self, entry: dict[str, Any]) -> None:
        self.request_log.append(entry)
        if self.log_file is not None:
            with self.log_file.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(entry) + "\n")

    def take_fault(self, method: str, path: str) -> Fault | None:
        """The first pending fault matching the request, with one use consumed."""
        for fault in self.faults:
            if fault.matches(method, path):
                fault.count -= 1
                if fault.count <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    def routes(self) -> list[web.RouteDef]:
        return [web.get("/_kubesim/requests", self._get_requests),
                web.delete("/_kubesim/requests", self._reset_requests),
                web.get("/_kubesim/faults", self._get_faults),
                web.post("/_kubesim/faults", self._add_fault),
                web.delete("/_kubesim/faults", self._clear_faults)]

    async def _get_requests(self, request: web.Request) -> web.Response:
        return web.json_response(self.request_log)

    async def _reset_requests(self, request: web.Request) -> web.Response:
        self.request_log.clear()
        return web.json_response({"cleared": True})

    async def _get_faults(self, request: web.Request) -> web.Response:
        return web.json_response([f.describe() for f in self.faults])

    async def _add_fault(self, request: web.Request) -> web.Response:
        try:
            fields = await request.json()
            unknown = set(fields) - set(FAULT_FIELDS)
            if unknown:
                raise ValueError(f"unknown fault fields: {sorted(unknown)}")
            fault = Fault(**{k: v for k, v in fields.items() if v is not None or k == "method"})
        except (ValueError, TypeError, re.error) as error:
            return web.json_response(status_body(400, f"invalid fault: {error}"), status=400)
        self.faults.append(fault)
        return web.json_response(fault.describe(), status=201)

    async def _clear_faults(self, request: web.Request) -> web.Response:
        self.faults.clear()
        return web.json_response({"cleared": True})


def fault_error(fault: Fault) -> ApiError:
    """The Status a fault answers with."""
    assert fault.status is not None
    details = {"retryAfterSeconds": fault.retry_after} if fault.retry_after is not None else None
    return ApiError(fault.status, f"kubesim injected fault: HTTP {fault.status}", None, details)
