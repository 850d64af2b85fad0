"""HTTP layer: authentication, request log, faults, routing of API paths onto the engine."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

import yaml
from aiohttp import web

from kubesim import decoding, discovery, openapi, protobuf, tables
from kubesim.admin import Admin, fault_error
from kubesim.auth import User, authenticate, authorize, request_verb, unauthorized
from kubesim.engine import Engine, Target, WriteOptions
from kubesim.status import ApiError, bad_request, invalid_options, method_not_allowed
from kubesim.watch import STREAM_STATUS, WatchHub

LOG = logging.getLogger("kubesim")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
BODY_TYPES = ("application/json", "application/yaml", protobuf.CONTENT_TYPE)


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(text=json.dumps(body, separators=(",", ":")), status=status,
                        content_type="application/json", headers=headers)


def error_response(error: ApiError, headers: dict[str, str] | None = None) -> web.Response:
    return json_response(error.body, error.code, headers)


@dataclass(frozen=True)
class Route:
    """An API path split into its parts; ``target`` is None for discovery documents."""

    group: str
    version: str
    target: Target | None
    collection: bool


def unknown_resource() -> ApiError:
    return ApiError(404, "the server could not find the requested resource", "NotFound", {})


def resolve(engine: Engine, path: str) -> Route:
    """Map /api/v1/... or /apis/G/V/... onto a resource type, namespace, name and subresource."""
    parts = [p for p in path.split("/") if p]
    if parts[:2] == ["api", "v1"]:
        group, version, rest = "", "v1", parts[2:]
    elif parts[0] == "apis" and len(parts) == 2:
        return Route(parts[1], "", None, False)
    elif parts[0] == "apis" and len(parts) >= 3:
        group, version, rest = parts[1], parts[2], parts[3:]
    else:
        raise unknown_resource()
    if not rest:
        return Route(group, version, None, False)
    namespace = ""
    if rest[0] == "namespaces" and len(rest) >= 3:
        rtype = engine.registry.find(group, version, rest[2])
        if rtype is not None and rtype.namespaced:
            namespace, rest = rest[1], rest[2:]
    rtype = engine.registry.find(group, version, rest[0])
    if rtype is None or len(rest) > 3 or (rtype.namespaced and not namespace and len(rest) > 1):
        raise unknown_resource()
    name = rest[1] if len(rest) > 1 else ""
    subresource = rest[2] if len(rest) > 2 else ""
    if subresource and subresource not in rtype.subresources:
        raise unknown_resource()
    return Route(group, version, Target(rtype, version, namespace, name, subresource), len(rest) == 1)


async def read_body(request: web.Request) -> Any:
    """The decoded request body; no Content-Type means JSON, as kube-apiserver assumes."""
    content_type = request.content_type if "Content-Type" in request.headers else "application/json"
    raw = await request.read()
    if content_type not in BODY_TYPES:
        raise ApiError(415, f"the body of the request was in an unknown format - accepted media types include: "
                            f"{', '.join(BODY_TYPES)}", "UnsupportedMediaType")
    try:
        if content_type == protobuf.CONTENT_TYPE:
            return protobuf.decode(raw)
        if content_type == "application/json":
            return decoding.load_json(raw)
        return decoding.load_yaml(raw)
    except protobuf.ProtobufError as error:
        raise ApiError(415, f"kubesim cannot decode this protobuf body: {error}; send JSON",
                       "UnsupportedMediaType") from None
    except (ValueError, yaml.YAMLError) as error:
        raise bad_request(f"couldn't get version/kind; json parse error: {error}") from None


def write_options(request: web.Request) -> WriteOptions:
    query = request.query
    dry_run = query.getall("dryRun", [])
    if any(value != "All" for value in dry_run):
        options = {"POST": "CreateOptions", "PUT": "UpdateOptions", "PATCH": "PatchOptions"}
        values = ", ".join(json.dumps(v) for v in dry_run)
        raise invalid_options(options.get(request.method, "DeleteOptions"), "dryRun", "FieldValueNotSupported",
                              f'Unsupported value: []string{{{values}}}: supported values: "All"')
    return WriteOptions(dry_run=bool(dry_run), field_manager=query.get("fieldManager", ""),
                        field_validation=query.get("fieldValidation", ""))


class ApiServer:
    """The aiohttp application: discovery, resources, admin API."""

    def __init__(self, engine: Engine, users: list[User], kube_version: str, admin: Admin) -> None:
        self.engine = engine
        self.users = users
        self.kube_version = kube_version
        self.admin = admin
        self.watches = WatchHub(engine)

    def build(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware], client_max_size=64 * 1024 * 1024)
        app.add_routes(self.admin.routes())
        app.add_routes([web.get("/version", self._version), web.get("/api", self._core_versions),
                        web.get("/apis", self._groups),
                        web.get("/openapi/v3", self._openapi_v3),
                        web.get("/openapi/v3/{path:.+}", self._openapi_v3_path),
                        web.route("*", "/api/{path:.*}", self._api), web.route("*", "/apis/{path:.*}", self._api),
                        web.route("*", "/{path:.*}", self._not_found)])
        return app

    # ---- middleware: auth, request log, faults ----------------------------------------------------------------
    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        user = authenticate(request.headers.get("Authorization", ""), self.users)
        if request.path.startswith("/_kubesim/"):
            if user is None:
                return error_response(unauthorized())
            if not user.admin:
                return error_response(ApiError(403, f'User "{user.name}" cannot use the kubesim admin API',
                                               "Forbidden"))
            return await handler(request)
        status = 0
        try:
            if user is None:
                response: web.StreamResponse = error_response(unauthorized())
            else:
                request["user"] = user
                response = await self._serve_api(request, handler)
            status = response.status
            return response
        finally:
            self._log(request, status or request.get(STREAM_STATUS, 0))

    async def _serve_api(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        fault = self.admin.take_fault(request.method, request.path)
        if fault is not None:
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if fault.drop:
                if request.transport is not None:
                    request.transport.abort()
                raise asyncio.CancelledError()
            if fault.status is not None:
                headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else None
                return error_response(fault_error(fault), headers)
        try:
            return await handler(request)
        except ApiError as error:
            return error_response(error)
        except web.HTTPException:
            raise
        except Exception as error:  # a kubesim bug: answer like the real server does on a panic
            LOG.exception("internal error serving %s %s", request.method, request.path)
            return error_response(ApiError(500, f"Internal error occurred: {error!r}", "InternalError"))

    def _log(self, request: web.Request, status: int) -> None:
        headers = {k: ("Bearer <redacted>" if k.lower() == "authorization" else v) for k, v in request.headers.items()}
        user = request.get("user")
        self.admin.record({"method": request.method, "path": request.path, "query": request.query_string,
                           "user": user.name if user is not None else "",
                           "content_type": request.headers.get("Content-Type", ""), "status": status,
                           "headers": headers})

    # ---- discovery --------------------------------------------------------------------------------------------
    async def _version(self, request: web.Request) -> web.Response:
        return json_response(discovery.version_info(self.kube_version))

    async def _core_versions(self, request: web.Request) -> web.Response:
        return json_response(discovery.core_versions())

    async def _groups(self, request: web.Request) -> web.Response:
        return json_response(discovery.group_list(self.engine.registry))

    async def _openapi_v3(self, request: web.Request) -> web.Response:
        return json_response(openapi.v3_index(self.engine.registry))

    async def _openapi_v3_path(self, request: web.Request) -> web.Response:
        document = openapi.v3_document(self.engine.registry, request.match_info["path"])
        if document is None:
            raise unknown_resource()
        return json_response(document)

    async def _not_found(self, request: web.Request) -> web.Response:
        raise unknown_resource()

    # ---- resources --------------------------------------------------------------------------------------------
    async def _api(self, request: web.Request) -> web.StreamResponse:
        route = resolve(self.engine, request.path)
        if route.target is None:
            return self._discovery(route, request)
        target = route.target
        method = request.method
        watch = request.query.get("watch") in ("1", "true")
        authorize(request["user"], request_verb(method, route.collection, watch), target.rtype.plural,
                  target.subresource, target.rtype.group, target.namespace, target.name)
        if method == "GET":
            if route.collection:
                if watch:
                    return await self.watches.stream(request, target)
                result = self.engine.list(target, request.query.get("labelSelector", ""),
                                          request.query.get("fieldSelector", ""))
            else:
                result = self.engine.get(target)
            return json_response(tables.maybe_table(result, request.headers.get("Accept", "")))
        if route.collection and method == "POST":
            opts = write_options(request)
            return self._written(self.engine.create(target, await read_body(request), opts), 201, opts)
        if route.collection and method == "DELETE":
            opts = write_options(request)
            return self._written(self.engine.delete_collection(target, request.query.get("labelSelector", ""),
                                                               opts), 200, opts)
        if route.collection:
            raise method_not_allowed()
        return await self._item_write(request, target)

    async def _item_write(self, request: web.Request, target: Target) -> web.Response:
        opts = write_options(request)
        if request.method == "PUT":
            return self._written(self.engine.update(target, await read_body(request), opts), 200, opts)
        if request.method == "PATCH":
            force = request.query.get("force") in ("1", "true")
            code, result = self.engine.patch(target, await request.read(), request.content_type, opts, force)
            return self._written(result, code, opts)
        if request.method == "DELETE":
            options = await read_body(request) if request.can_read_body else {}
            return self._written(self.engine.delete(target, options or {}, opts), 200, opts)
        raise method_not_allowed()

    @staticmethod
    def _written(result: dict[str, Any], code: int, opts: WriteOptions) -> web.Response:
        headers = {"Warning": ", ".join(f'299 - {json.dumps(w)}' for w in opts.warnings)} if opts.warnings else None
        return json_response(result, code, headers)

    def _discovery(self, route: Route, request: web.Request) -> web.Response:
        registry = self.engine.registry
        if request.method != "GET":
            raise method_not_allowed()
        if not route.version:
            document = discovery.group(registry, route.group)
        else:
            document = discovery.resource_list(registry, route.group, route.version)
        if document is None:
            raise unknown_resource()
        return json_response(document)
