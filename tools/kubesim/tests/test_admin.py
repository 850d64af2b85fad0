"""Admin API: request log and fault injection (status, Retry-After, delay, drop, count, method filter)."""

from __future__ import annotations

import http.client
import ssl
import time

import pytest

from kubesim_helpers import gateway, gateways_path

pytest_plugins = ["kubesim.pytest_plugin"]


@pytest.fixture(autouse=True)
def no_faults(kubesim):
    kubesim.clear_faults()
    yield
    kubesim.clear_faults()


def test_request_log_records_api_requests_only(kubesim, ns):
    kubesim.reset_requests()
    kubesim.api("POST", gateways_path(ns) + "?dryRun=All", gateway("gw", ns))
    kubesim.api("GET", gateways_path(ns, "gw"))
    log = kubesim.requests()
    assert [(r["method"], r["path"], r["query"], r["status"]) for r in log] == [
        ("POST", gateways_path(ns), "dryRun=All", 201), ("GET", gateways_path(ns, "gw"), "", 404)]
    assert log[0]["content_type"] == "application/json"
    assert log[0]["headers"]["Authorization"] == "Bearer <redacted>"
    kubesim.reset_requests()
    assert kubesim.requests() == []


def test_unauthorized_without_token(kubesim):
    connection = http.client.HTTPSConnection(kubesim.url.removeprefix("https://"),
                                             context=ssl.create_default_context(cafile=str(kubesim.ca_file)))
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        connection.request("GET", "/api/v1/namespaces", headers=headers)
        response = connection.getresponse()
        assert response.status == 401
        assert b'"reason":"Unauthorized"' in response.read()
    connection.request("GET", "/_kubesim/requests")
    assert connection.getresponse().status == 401


def test_fault_with_status_and_retry_after(kubesim, ns):
    kubesim.fault(method="PUT", path="/gateways/gw$", status=409, count=1, retry_after=3)
    obj = kubesim.api("POST", gateways_path(ns), gateway("gw", ns))[1]
    assert kubesim.api("GET", gateways_path(ns, "gw"))[0] == 200
    status, body = kubesim.api("PUT", gateways_path(ns, "gw"), obj)
    assert status == 409 and body["kind"] == "Status" and body["reason"] == "Conflict"
    assert kubesim.api("PUT", gateways_path(ns, "gw"), obj)[0] == 200
    kubesim.fault(path="/gateways/gw$", status=503, count=2, retry_after=1)
    assert [kubesim.api("GET", gateways_path(ns, "gw"))[0] for attempt in range(3)] == [503, 503, 200]
    assert kubesim.requests()[-2]["status"] == 503


def test_retry_after_header_is_sent(kubesim, ns):
    kubesim.fault(path="^/version$", status=429, retry_after=7)
    connection = http.client.HTTPSConnection(kubesim.url.removeprefix("https://"),
                                             context=ssl.create_default_context(cafile=str(kubesim.ca_file)))
    connection.request("GET", "/version", headers={"Authorization": f"Bearer {kubesim.token}"})
    response = connection.getresponse()
    assert response.status == 429 and response.headers["Retry-After"] == "7"


def test_delay_only_fault_serves_normally_late(kubesim, ns):
    kubesim.fault(path="/version", delay=0.5)
    start = time.monotonic()
    status, body = kubesim.api("GET", "/version")
    assert status == 200 and body["major"] == "1"
    assert time.monotonic() - start >= 0.5
    start = time.monotonic()
    kubesim.api("GET", "/version")
    assert time.monotonic() - start < 0.5


def test_drop_closes_the_connection(kubesim, ns):
    kubesim.fault(path="/version", drop=True)
    with pytest.raises((ConnectionError, http.client.HTTPException, OSError)):
        kubesim.api("GET", "/version")
    assert kubesim.api("GET", "/version")[0] == 200


def test_invalid_fault_is_refused(kubesim):
    with pytest.raises(ValueError):
        kubesim.fault(path="(", status=500)


def test_dropped_and_streamed_requests_are_logged(kubesim, ns):
    kubesim.reset_requests()
    kubesim.fault(path="/version", drop=True)
    with pytest.raises((ConnectionError, http.client.HTTPException, OSError)):
        kubesim.api("GET", "/version")
    kubesim.api("GET", gateways_path(ns) + "?watch=true&timeoutSeconds=0.2")
    assert [(r["path"], r["status"]) for r in kubesim.requests()] == [("/version", 0), (gateways_path(ns), 200)]
