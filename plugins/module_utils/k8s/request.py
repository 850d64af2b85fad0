# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""API requests built without sending them (as lightkube's ``prepare_request``): pure and testable without I/O;
``KubeClient.send`` sends them. Paths come from ``Kind.path``, the one path builder."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping, Optional
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
