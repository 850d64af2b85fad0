# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""API requests built without sending them (as lightkube's ``prepare_request``): pure and testable without I/O;
``KubeClient.send`` sends them. Paths come from ``Kind.path``, the one path builder. Also the errors of a request
(``ApiError``), here rather than in ``client.py`` so that code naming them does not import the HTTP library."""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator, Mapping, Optional
from urllib.parse import urlencode

JSON = "application/json"
PATCH_CONTENT_TYPES = {"merge": "application/merge-patch+json", "json": "application/json-patch+json"}


@dataclass(frozen=True)
class Request:
    """One API request: ``path`` absolute (``/api/v1/...``), ``query`` pairs in order, ``body`` a JSON value."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    body: Any = None
    content_type: str = JSON

    @property
    def target(self) -> str:
        """The path with its query string, as appended to the server URL."""
        return self.path + ("?" + urlencode(self.query) if self.query else "")

    @property
    def payload(self) -> Optional[bytes]:
        """The encoded body, None without one."""
        return None if self.body is None else json.dumps(self.body).encode("utf-8")

    @property
    def headers(self) -> dict:
        """The headers the request itself needs (the client adds Accept and credentials)."""
        return {"Content-Type": self.content_type} if self.body is not None else {}


def api_request(method: str, path: str, body: Any = None, query: Optional[Mapping[str, Optional[str]]] = None,
                dry_run: bool = False, content_type: str = JSON) -> Request:
    """The request for ``method`` on ``path``: unset query values left out, ``dryRun=All`` for a dry run."""
    pairs = [(key, value) for key, value in (query or {}).items() if value]
    if dry_run:
        pairs.append(("dryRun", "All"))
    return Request(method, path, tuple(pairs), body, content_type)


class ApiError(Exception):
    """A request the API server refused, or could not be reached for (``status`` None)."""

    def __init__(self, status: Optional[int], reason: str, message: str, causes: tuple = (),
                 method: Optional[str] = None, details: Optional[Mapping] = None) -> None:
        super().__init__(status, reason, message)
        self.status = status
        self.reason = reason
        self.message = message
        self.causes = tuple(causes)
        self.method = method
        # the Status ``details`` (``kind``, ``name``, ``group``): which object a 404 or 409 is about
        self.details = {key: value for key, value in (details or {}).items() if key != "causes"}
        self.credentials_sent = True
        self.action: Optional[str] = None  # what was being done, for messages (see engine.module.api_action)

    @property
    def verb(self) -> str:
        """What the failed request tried to do, for messages: read, create, update, patch or delete."""
        return _VERBS.get(self.method or "", "access")

    def __str__(self) -> str:
        return "%s %s: %s" % (self.status, self.reason, describe_causes(self.causes) or self.message)


class ApiConnectionError(ApiError):
    """The API server could not be reached or did not answer in time."""

    def __init__(self, server: str, message: str, timed_out: bool = False, method: Optional[str] = None) -> None:
        super().__init__(None, "Timeout" if timed_out else "ConnectionError", message, method=method)
        self.server = server
        self.timed_out = timed_out

    def __str__(self) -> str:
        return self.message


_VERBS = {"GET": "read", "POST": "create", "PUT": "update", "PATCH": "patch", "DELETE": "delete"}


def describe_causes(causes: tuple) -> str:
    """``field: message`` for each cause of a Status, joined with ``; ``."""
    return "; ".join(
        "%s: %s" % (cause["field"], cause.get("message", "")) if cause.get("field") else cause.get("message", "")
        for cause in causes
    )


@contextmanager
def api_action(action: str) -> Iterator[None]:
    """An ApiError raised inside is reported as a failure to ``action`` (the innermost ``api_action`` wins)."""
    try:
        yield
    except ApiError as err:
        err.action = err.action or action
        raise
