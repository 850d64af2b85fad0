# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The REST client: retry policy, error messages, proxy bypass, headers (with a scripted connection pool)."""

from __future__ import annotations

import json

import pytest
from urllib3.exceptions import NewConnectionError, ReadTimeoutError

from ansible_collections.meshsmith.istio.plugins.module_utils.k8s import client as client_module
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.client import (
    ApiConnectionError,
    ApiError,
    KubeClient,
    api_error_from_response,
    bypasses_proxy,
    retry_delay,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kubeconfig import Connection

INVALID = {
    "kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "Invalid", "code": 422,
    "message": 'Gateway.networking.istio.io "gw" is invalid: spec.servers[0].port.number: Required value',
    "details": {"causes": [{"reason": "FieldValueRequired", "message": "Required value",
                            "field": "spec.servers[0].port.number"}]},
}


class Response:
    def __init__(self, status, body=None, headers=None):
        self.status = status
        self.data = json.dumps(body).encode() if body is not None else b""
        self.headers = headers or {}


class ScriptedPool:
    """Answers requests from a list of responses or exceptions, recording each request."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests = []

    def request(self, method, url, body=None, headers=None, timeout=None):
        self.requests.append((method, url, body, dict(headers)))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
def sleeps(monkeypatch):
    recorded: list = []
    monkeypatch.setattr(client_module.time, "sleep", recorded.append)
    return recorded


def make_client(*answers, retries=3, **connection):
    kube = KubeClient(Connection(server="https://api.example:6443", token="t0k", **connection), 5.0, retries)
    kube.pool = ScriptedPool(*answers)
    return kube


def test_retry_delay_backs_off_exponentially_and_honours_retry_after():
    assert [retry_delay(attempt) for attempt in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0]
    assert retry_delay(0, "3") == 3.0
    assert retry_delay(0, "3600") == 30.0  # capped
    assert retry_delay(1, "Wed, 21 Oct 2015 07:28:00 GMT") == 1.0  # HTTP dates fall back to backoff


def test_429_and_5xx_are_retried_with_retry_after(sleeps):
    kube = make_client(Response(429, headers={"Retry-After": "2"}), Response(503), Response(200, {"kind": "Gateway"}))
    assert kube.get("/apis/x") == {"kind": "Gateway"}
    assert sleeps == [2.0, 1.0]
    assert len(kube.pool.requests) == 3


def test_retries_are_bounded(sleeps):
    kube = make_client(*[Response(500)] * 3, retries=2)
    with pytest.raises(ApiError) as raised:
        kube.get("/apis/x")
    assert raised.value.status == 500
    assert len(kube.pool.requests) == 3 and len(sleeps) == 2


def test_client_errors_are_not_retried(sleeps):
    kube = make_client(Response(422, INVALID))
    with pytest.raises(ApiError) as raised:
        kube.replace("/apis/x", {"spec": {}})
    assert str(raised.value) == "422 Invalid: spec.servers[0].port.number: Required value"
    assert raised.value.verb == "update"
    assert sleeps == []


def test_connection_refused_is_retried_then_explained(sleeps):
    refused = NewConnectionError(None, "Failed to establish a new connection: [Errno 111] Connection refused")  # type: ignore[arg-type]
    kube = make_client(refused, refused, retries=1)
    with pytest.raises(ApiConnectionError) as raised:
        kube.get("/apis/x")
    message = str(raised.value)
    assert message.startswith("Cannot connect to the API server at https://api.example:6443 (2 attempts): ")
    assert "Connection refused" in message


def test_timeout_names_request_timeout(sleeps):
    kube = make_client(ReadTimeoutError(None, "/apis/x", "read timed out"), retries=0)  # type: ignore[arg-type]
    with pytest.raises(ApiConnectionError) as raised:
        kube.get("/apis/x")
    assert raised.value.timed_out
    assert str(raised.value) == "The API server at https://api.example:6443 did not answer within 5.0s (request_timeout), 1 attempt"


def test_get_returns_none_on_404_and_list_sends_selectors(sleeps):
    kube = make_client(Response(404, {"kind": "Status", "reason": "NotFound", "code": 404}),
                       Response(200, {"items": [{"metadata": {"name": "a"}}]}))
    assert kube.get("/apis/x/y") is None
    assert kube.list("/apis/x", label_selector="app=a,tier=web") == [{"metadata": {"name": "a"}}]
    assert kube.pool.requests[1][1] == "https://api.example:6443/apis/x?labelSelector=app%3Da%2Ctier%3Dweb"


def test_writes_send_json_and_dry_run(sleeps):
    kube = make_client(Response(201, {"ok": 1}), Response(200, {}))
    kube.create("/apis/x", {"a": 1}, dry_run=True)
    kube.patch("/apis/x/y", {"a": 2})
    (method, url, body, headers), patch = kube.pool.requests
    assert (method, url, json.loads(body), headers["Content-Type"]) == (
        "POST", "https://api.example:6443/apis/x?dryRun=All", {"a": 1}, "application/json")
    assert patch[3]["Content-Type"] == "application/merge-patch+json"
    assert headers["Authorization"] == "Bearer t0k"


def test_impersonation_sends_one_header_per_group():
    kube = KubeClient(Connection(server="https://h", impersonate_user="jane", impersonate_groups=("a", "b")))
    assert kube.headers["Impersonate-User"] == "jane"
    assert kube.headers.getlist("Impersonate-Group") == ["a", "b"]


def test_error_without_status_body():
    err = api_error_from_response(502, b"<html>bad gateway</html>", "GET")
    assert (err.status, err.reason, str(err)) == (502, "Error", "502 Error: <html>bad gateway</html>")
    assert str(api_error_from_response(403, b"")) == "403 Forbidden: no details returned"


@pytest.mark.parametrize("host, no_proxy, bypass", [
    ("api.example.com", "example.com", True),
    ("api.example.com", ".example.com", True),
    ("example.com", "example.com", True),
    ("api.example.org", "example.com,localhost", False),
    ("10.1.2.3", "10.0.0.0/8", True),
    ("11.1.2.3", "10.0.0.0/8", False),
    ("anything", "*", True),
    ("anything", None, False),
])
def test_bypasses_proxy(host, no_proxy, bypass):
    assert bypasses_proxy(host, no_proxy) is bypass
