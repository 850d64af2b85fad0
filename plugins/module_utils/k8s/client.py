# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A small Kubernetes REST client: JSON over HTTPS with urllib3, bounded retries, readable errors.

It deliberately avoids the ``kubernetes`` package (slow to import, discovery round trips): callers give
absolute API paths (see ``kinds.py``).
"""

from __future__ import annotations

import json
import os
import ssl
import time
from typing import Any, Mapping, Optional
from urllib.parse import urlsplit

try:
    import urllib3
    from urllib3.exceptions import ConnectTimeoutError, HTTPError, NewConnectionError, ReadTimeoutError, SSLError

    HAS_URLLIB3 = True
except ImportError:
    HAS_URLLIB3 = False

from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kubeconfig import (
    Connection,
    KubeConfigError,
    checked_timeout,
    resolve_connection,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.request import (
    JSON,
    PATCH_CONTENT_TYPES,
    ApiConnectionError,
    ApiError,
    Request,
    api_request,
)

RETRIABLE_STATUSES = frozenset((429, 500, 502, 503, 504))
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 10.0
RETRY_AFTER_CAP_SECONDS = 30.0
USER_AGENT = "meshsmith.istio"


def api_error_from_response(status: int, data: bytes, method: Optional[str] = None) -> ApiError:
    """The ApiError for an error response, read from its ``Status`` body when it has one."""
    try:
        body = json.loads(data) if data else {}
    except ValueError:
        body = {}
    if not isinstance(body, dict) or body.get("kind") != "Status":
        text = data.decode("utf-8", "replace").strip()[:500] if data else ""
        return ApiError(status, _HTTP_REASONS.get(status, "Error"), text or "no details returned", method=method)
    details = body.get("details") or {}
    return ApiError(
        status,
        body.get("reason") or _HTTP_REASONS.get(status, "Error"),
        body.get("message") or "",
        tuple(cause for cause in details.get("causes") or () if isinstance(cause, dict)),
        method,
        details if isinstance(details, dict) else None,
    )


_HTTP_REASONS = {
    400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 405: "MethodNotAllowed",
    409: "Conflict", 410: "Gone", 415: "UnsupportedMediaType", 422: "Invalid", 429: "TooManyRequests",
    500: "InternalError", 503: "ServiceUnavailable", 504: "Timeout",
}


def retry_delay(attempt: int, retry_after: Optional[str] = None) -> float:
    """Seconds to wait before retry number ``attempt + 1``: the server's Retry-After (capped) when it gives
    one in seconds, else exponential backoff from 0.5 s capped at 10 s."""
    if retry_after is not None:
        try:
            return min(max(float(retry_after), 0.0), RETRY_AFTER_CAP_SECONDS)
        except ValueError:
            pass
    return min(BACKOFF_BASE_SECONDS * 2 ** attempt, BACKOFF_CAP_SECONDS)


def bypasses_proxy(host: str, no_proxy: Optional[str]) -> bool:
    """Whether ``host`` is excluded from proxying by a comma-separated ``no_proxy`` list
    (exact names, domain suffixes with or without a leading dot, IP addresses, CIDR ranges, ``*``)."""
    import ipaddress  # only proxy users need it

    for entry in (item.strip() for item in (no_proxy or "").split(",")):
        if not entry:
            continue
        if entry == "*" or host == entry or host.endswith("." + entry.lstrip(".")):
            return True
        try:
            if ipaddress.ip_address(host) in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def _ssl_context(connection: Connection) -> ssl.SSLContext:
    """The TLS settings of ``connection``; KubeConfigError naming the option or kubeconfig entry of a CA,
    client certificate or key that cannot be read or is not PEM."""
    try:
        context = ssl.create_default_context(cafile=connection.ca_file, cadata=connection.ca_data)
    except (OSError, ValueError) as err:  # ssl.SSLError is an OSError
        raise KubeConfigError("%s: cannot load the CA certificate: %s" % (connection.origin("ca"), _reason(err))) from None
    if not connection.verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if connection.client_cert_file or connection.client_cert_data:
        import tempfile  # only client-certificate users need it

        with tempfile.TemporaryDirectory() as directory:
            cert_file = connection.client_cert_file or _write(directory, "client.crt", connection.client_cert_data or b"")
            key_file = connection.client_key_file or (
                _write(directory, "client.key", connection.client_key_data) if connection.client_key_data else None)
            for setting, path in (("client_cert", cert_file), ("client_key", key_file)):
                if path and not os.access(path, os.R_OK):
                    raise KubeConfigError("%s: cannot read %s" % (connection.origin(setting), path))
            try:
                context.load_cert_chain(cert_file, key_file)
            except (OSError, ValueError) as err:
                raise KubeConfigError("%s and %s: not a PEM certificate and its private key: %s" % (
                    connection.origin("client_cert"), connection.origin("client_key"), _reason(err))) from None
    return context


def _reason(err: Exception) -> str:
    """The text of an OSError/SSLError without its errno prefix."""
    return getattr(err, "strerror", None) or getattr(err, "reason", None) or str(err)


def _write(directory: str, name: str, data: bytes) -> str:
    path = os.path.join(directory, name)
    with open(path, "wb") as stream:
        stream.write(data)
    return path


class KubeClient:
    """JSON requests to one API server; paths are absolute API paths such as ``/api/v1/namespaces``.

    Safe to share between threads (urllib3's pools are); ``connections`` is how many connections the pool keeps
    open, at least the number of threads sending requests at once (more would be opened and thrown away).
    """

    def __init__(self, connection: Connection, request_timeout: float = 30.0, retries: int = 3,
                 connections: int = 1) -> None:
        self.connection = connection
        self.retries = max(retries, 0)
        self.timeout = urllib3.Timeout(connect=request_timeout, read=request_timeout)
        self.request_timeout = request_timeout
        self.headers = self._base_headers(connection)
        pool_options: dict[str, Any] = dict(
            ssl_context=_ssl_context(connection),
            cert_reqs=ssl.CERT_REQUIRED if connection.verify else ssl.CERT_NONE,
            assert_hostname=None if connection.verify else False,
            retries=False,
            maxsize=max(connections, 1),
        )
        if connection.tls_server_name:  # SNI and the certificate's name check use it instead of the URL's host
            pool_options["server_hostname"] = connection.tls_server_name
        host = urlsplit(connection.server).hostname or ""
        if connection.proxy and not bypasses_proxy(host, connection.no_proxy):
            proxy_headers = urllib3.util.make_headers(proxy_basic_auth=connection.proxy_auth) if connection.proxy_auth else None
            self.pool: urllib3.PoolManager = urllib3.ProxyManager(connection.proxy, proxy_headers=proxy_headers,
                                                                  **pool_options)
        else:
            self.pool = urllib3.PoolManager(**pool_options)

    @classmethod
    def from_params(cls, params: Mapping, environ: Optional[Mapping] = None, connections: int = 1) -> KubeClient:
        """A client for the auth options of a module (see ``kubeconfig.resolve_connection``); every option is
        checked (KubeConfigError) before any request."""
        timeout = checked_timeout(params.get("request_timeout", 30.0))
        return cls(resolve_connection(params, environ), timeout, params.get("retries", 3), connections)

    @property
    def sends_credentials(self) -> bool:
        """Whether requests carry any credentials (a token, basic auth or a client certificate)."""
        return "Authorization" in self.headers or bool(self.connection.client_cert_file or self.connection.client_cert_data)

    @staticmethod
    def _base_headers(connection: Connection):
        headers = urllib3.HTTPHeaderDict({"Accept": "application/json", "User-Agent": USER_AGENT})
        if connection.token:
            headers["Authorization"] = "Bearer %s" % connection.token
        elif connection.username and connection.password:
            headers.update(urllib3.util.make_headers(basic_auth="%s:%s" % (connection.username, connection.password)))
        if connection.impersonate_user:
            headers["Impersonate-User"] = connection.impersonate_user
        for group in connection.impersonate_groups:
            headers.add("Impersonate-Group", group)
        return headers

    def get(self, path: str) -> Optional[dict]:
        """The object at ``path``, or None when it does not exist."""
        try:
            return self.request("GET", path)
        except ApiError as err:
            if err.status == 404:
                return None
            raise

    def list(self, path: str, label_selector: Optional[str] = None, field_selector: Optional[str] = None) -> list:
        """The items of the collection at ``path`` matching the selectors (one request)."""
        query = {"labelSelector": label_selector, "fieldSelector": field_selector}
        return self.request("GET", path, query=query).get("items") or []

    def create(self, path: str, body: dict, dry_run: bool = False) -> dict:
        return self.request("POST", path, body=body, dry_run=dry_run)

    def replace(self, path: str, body: dict, dry_run: bool = False) -> dict:
        return self.request("PUT", path, body=body, dry_run=dry_run)

    def patch(self, path: str, body, patch_type: str = "merge", dry_run: bool = False) -> dict:
        return self.request("PATCH", path, body=body, dry_run=dry_run, content_type=PATCH_CONTENT_TYPES[patch_type])

    def delete(self, path: str, body: Optional[dict] = None, dry_run: bool = False) -> dict:
        return self.request("DELETE", path, body=body, dry_run=dry_run)

    def request(self, method: str, path: str, body=None, query: Optional[dict] = None, dry_run: bool = False,
                content_type: str = JSON) -> dict:
        """Send one API request (see ``send``) and return the decoded JSON body."""
        return self.send(api_request(method, path, body, query, dry_run, content_type))

    def send(self, request: Request) -> dict:
        """Send ``request`` (retried on 429, 5xx and connection errors) and return the decoded JSON body."""
        method = request.method
        url = self.connection.server + request.target
        headers = self.headers.copy()
        if self.connection.token_refresher is not None:  # an exec/auth-provider token, renewed once expired
            token = self.connection.token_refresher()
            if token:
                headers["Authorization"] = "Bearer %s" % token
        headers.update(request.headers)
        payload = request.payload
        attempt = 0
        while True:
            try:
                response = self.pool.request(method, url, body=payload, headers=headers, timeout=self.timeout)
            except SSLError as err:
                raise ApiConnectionError(self.connection.server, "TLS handshake with the API server at %s failed "
                                         "(check %s): %s" % (self.connection.server, self._tls_settings(), err),
                                         method=method) from err
            except HTTPError as err:
                if attempt >= self.retries:
                    raise self._connection_error(err, attempt, method) from err
            else:
                if response.status < 400:
                    return json.loads(response.data) if response.data else {}
                if response.status not in RETRIABLE_STATUSES or attempt >= self.retries:
                    error = api_error_from_response(response.status, response.data, method)
                    error.credentials_sent = self.sends_credentials
                    raise error
                time.sleep(retry_delay(attempt, response.headers.get("Retry-After")))
                attempt += 1
                continue
            time.sleep(retry_delay(attempt))
            attempt += 1

    def _tls_settings(self) -> str:
        """The settings a failed TLS handshake depends on, for its message."""
        name = self.connection.tls_server_name
        return "ca_cert, validate_certs and the kubeconfig cluster's tls-server-name %r" % name if name else \
            "ca_cert and validate_certs"

    def _connection_error(self, err: Exception, attempt: int, method: str) -> ApiConnectionError:
        server = self.connection.server
        tries = "%d attempt%s" % (attempt + 1, "s" if attempt else "")
        # urllib3 makes NewConnectionError (refused, unresolvable...) a ConnectTimeoutError subclass.
        if isinstance(err, (ReadTimeoutError, ConnectTimeoutError)) and not isinstance(err, NewConnectionError):
            return ApiConnectionError(
                server, "The API server at %s did not answer within %ss (request_timeout), %s"
                % (server, self.request_timeout, tries), timed_out=True, method=method)
        reason = getattr(err, "reason", None) or err
        return ApiConnectionError(
            server, "Cannot connect to the API server at %s (%s): %s" % (server, tries, reason), method=method)
