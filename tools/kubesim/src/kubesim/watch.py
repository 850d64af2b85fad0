"""A minimal ``?watch=true`` stream: ADDED events for what exists, then live changes, as JSON lines."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web

from kubesim import selectors
from kubesim.builtin import ResourceType
from kubesim.engine import Engine, Target
from kubesim.status import bad_request

DEFAULT_TIMEOUT = 1800.0
STREAM_STATUS = "kubesim.stream_status"  # request key: status of a stream that is already answering
Event = tuple[str, ResourceType, dict[str, Any]]


class WatchHub:
    """Fans committed changes out to open watch streams."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.queues: set[asyncio.Queue[Event | None]] = set()
        engine.listeners.append(self._publish)

    def _publish(self, event: str, rtype: ResourceType, obj: dict[str, Any]) -> None:
        for queue in self.queues:
            queue.put_nowait((event, rtype, obj))

    def close(self) -> None:
        """End every stream (on shutdown)."""
        for queue in self.queues:
            queue.put_nowait(None)

    async def stream(self, request: web.Request, target: Target) -> web.StreamResponse:
        query = request.query
        try:
            labels = selectors.parse_label_selector(query.get("labelSelector", ""))
            fields = selectors.parse_field_selector(query.get("fieldSelector", ""),
                                                    selectors.supported_fields(target.rtype.kind))
        except selectors.SelectorError as error:
            raise bad_request(str(error)) from None

        def wanted(obj: dict[str, Any]) -> bool:
            return (not target.namespace or obj["metadata"].get("namespace") == target.namespace) \
                and labels.matches(obj["metadata"].get("labels")) and fields.matches(selectors.selectable_fields(obj))

        queue: asyncio.Queue[Event | None] = asyncio.Queue()
        self.queues.add(queue)
        response = web.StreamResponse(headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
        await response.prepare(request)
        request[STREAM_STATUS] = response.status
        try:
            if query.get("resourceVersion", "") in ("", "0") or query.get("sendInitialEvents") == "true":
                listing = self.engine.list(target)
                for item in listing["items"]:
                    if wanted(item):
                        await _send(response, "ADDED", item)
                if query.get("sendInitialEvents") == "true":
                    await _send(response, "BOOKMARK", _bookmark(target, listing["metadata"]["resourceVersion"]))
            await self._follow(response, queue, target, wanted, float(query.get("timeoutSeconds", DEFAULT_TIMEOUT)))
        except ConnectionResetError:  # the client went away: the normal end of most watches
            pass
        finally:
            self.queues.discard(queue)
        return response

    async def _follow(self, response: web.StreamResponse, queue: asyncio.Queue[Event | None], target: Target,
                      wanted: Any, timeout: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (remaining := deadline - loop.time()) > 0:
            try:
                item = await asyncio.wait_for(queue.get(), remaining)
            except asyncio.TimeoutError:
                return
            if item is None:
                return
            event, rtype, obj = item
            if rtype.key == target.rtype.key:
                rendered = self.engine.render(rtype, target.version, obj)
                if wanted(rendered):
                    await _send(response, event, rendered)


def _bookmark(target: Target, resource_version: str) -> dict[str, Any]:
    """The bookmark that ends the initial events of a streaming list (``sendInitialEvents=true``)."""
    return {"kind": target.rtype.kind, "apiVersion": target.rtype.api_version(target.version),
            "metadata": {"resourceVersion": resource_version,
                         "annotations": {"k8s.io/initial-events-end": "true"}}}


async def _send(response: web.StreamResponse, event: str, obj: dict[str, Any]) -> None:
    await response.write(json.dumps({"type": event, "object": obj}, separators=(",", ":")).encode() + b"\n")
