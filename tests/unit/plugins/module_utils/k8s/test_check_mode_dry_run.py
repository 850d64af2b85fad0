# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""reconcile() in check mode asks the server with a dry run; a 404 on a write is re-read only when the object
itself vanished, a missing namespace fails at once."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.client import ApiError, api_error_from_response
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import GATEWAY as GATEWAY_RESOURCE
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.reconcile import NamespaceNotFound, reconcile
from ansible_collections.meshsmith.istio.tests.unit.plugins.module_utils.k8s.test_reconcile import with_spec as build

GATEWAY = GATEWAY_RESOURCE.at()

NAMESPACE_MISSING = api_error_from_response(
    404, b'{"kind": "Status", "reason": "NotFound", "message": "namespaces \\"ghost\\" not found", '
         b'"details": {"name": "ghost", "kind": "namespaces"}}', "POST")
TYPE_NOT_SERVED = api_error_from_response(
    404, b'{"kind": "Status", "reason": "NotFound", "message": "the server could not find the requested resource", '
         b'"details": {}}', "POST")
VANISHED = api_error_from_response(
    404, b'{"kind": "Status", "reason": "NotFound", "message": "gateways.networking.istio.io \\"gw\\" not found", '
         b'"details": {"name": "gw", "group": "networking.istio.io", "kind": "gateways"}}', "PUT")
SCHEMA_REFUSAL = ApiError(422, "Invalid", 'Gateway.networking.istio.io "gw" is invalid', method="POST")


class ScriptedClient:
    """GET answers ``reads`` in turn (the last one repeats); each write raises the next of ``refusals`` or
    answers the body with a server default (``spec.defaulted``); records ``(method, dry_run)`` per request."""

    def __init__(self, reads, refusals=()):
        self.reads = list(reads)
        self.refusals = list(refusals)
        self.calls = []
        self.bodies = []

    def get(self, path):
        self.calls.append(("GET", False))
        return copy.deepcopy(self.reads.pop(0) if len(self.reads) > 1 else self.reads[0])

    def _write(self, method, body, dry_run):
        self.calls.append((method, dry_run))
        self.bodies.append(copy.deepcopy(body))
        if self.refusals:
            raise self.refusals.pop(0)
        answer = copy.deepcopy(body or {})
        answer.setdefault("spec", {})["defaulted"] = True
        return answer

    def create(self, path, body, dry_run=False):
        return self._write("POST", body, dry_run)

    def replace(self, path, body, dry_run=False):
        return self._write("PUT", body, dry_run)

    def delete(self, path, body, dry_run=False):
        self._write("DELETE", body, dry_run)
        return {}


def gateway(spec, resource_version="7"):
    return {"apiVersion": "networking.istio.io/v1", "kind": "Gateway",
            "metadata": {"name": "gw", "namespace": "istio-system", "resourceVersion": resource_version},
            "spec": spec}


def run(client, state="present", spec=None, check_mode=True):
    return reconcile(client, GATEWAY, "gw", "istio-system", state, build(spec or {"a": 2}), check_mode)


def test_check_mode_create_sends_a_dry_run_post_and_shows_the_servers_answer():
    client = ScriptedClient([None])
    outcome = run(client)
    assert client.calls == [("GET", False), ("POST", True)]
    assert (outcome.changed, outcome.method, outcome.warnings) == (True, "created", ())
    assert outcome.result["spec"] == {"a": 2, "defaulted": True}
    assert outcome.diff == {"before": {}, "after": {"metadata": {"name": "gw", "namespace": "istio-system"},
                                                    "spec": {"a": 2, "defaulted": True}}}


def test_check_mode_update_sends_a_dry_run_put_with_the_read_resource_version():
    client = ScriptedClient([gateway({"a": 1})])
    outcome = run(client)
    assert client.calls == [("GET", False), ("PUT", True)]
    assert client.bodies[0]["metadata"]["resourceVersion"] == "7"
    assert (outcome.method, outcome.diff["before"]["spec"], outcome.diff["after"]["spec"]) == (
        "updated", {"a": 1}, {"a": 2, "defaulted": True})


def test_check_mode_delete_sends_a_dry_run_delete_with_the_precondition():
    client = ScriptedClient([gateway({"a": 1})])
    outcome = run(client, state="absent")
    assert client.calls == [("GET", False), ("DELETE", True)]
    assert client.bodies[0]["preconditions"] == {"resourceVersion": "7"}
    assert (outcome.changed, outcome.method, outcome.result, outcome.diff["after"]) == (True, "deleted", {}, {})


@pytest.mark.parametrize("state, live", [("present", {"a": 2}), ("absent", None)])
def test_check_mode_no_op_is_one_get(state, live):
    client = ScriptedClient([gateway(live) if live else None])
    outcome = run(client, state=state)
    assert (outcome.changed, client.calls) == (False, [("GET", False)])


@pytest.mark.parametrize("live", [None, {"a": 1}])
def test_check_mode_fails_when_the_server_refuses_the_dry_run(live):
    client = ScriptedClient([gateway(live) if live else None], refusals=[SCHEMA_REFUSAL])
    with pytest.raises(ApiError) as raised:
        run(client)
    assert raised.value.status == 422
    assert [call[0] for call in client.calls] == ["GET", "POST" if live is None else "PUT"]


@pytest.mark.parametrize("refusal, missing", [
    (NAMESPACE_MISSING, 'namespace "istio-system" does not exist'),
    (TYPE_NOT_SERVED, "the server does not serve gateways (networking.istio.io/v1)"),
])
def test_check_mode_create_that_the_server_cannot_judge_yet_warns_and_answers_locally(refusal, missing):
    client = ScriptedClient([None], refusals=[refusal])
    outcome = run(client)
    assert client.calls == [("GET", False), ("POST", True)]
    assert (outcome.changed, outcome.method, outcome.result["spec"]) == (True, "created", {"a": 2})
    assert outcome.warnings == (
        "Check mode: %s, so the server could not dry-run this create; the result is computed locally and the "
        "real run fails unless an earlier task creates it" % missing,)


def test_create_into_a_missing_namespace_fails_at_once():
    client = ScriptedClient([None], refusals=[NAMESPACE_MISSING] * 7)
    with pytest.raises(NamespaceNotFound) as raised:
        run(client, check_mode=False)
    assert client.calls == [("GET", False), ("POST", False)]
    assert str(raised.value) == (
        'namespace: Namespace "istio-system" does not exist (create it first, or correct the namespace option)')
    assert (raised.value.status, raised.value.verb) == (404, "create")


def test_create_of_a_type_the_server_does_not_serve_is_not_retried():
    client = ScriptedClient([None], refusals=[TYPE_NOT_SERVED] * 7)
    with pytest.raises(ApiError) as raised:
        run(client, check_mode=False)
    assert not isinstance(raised.value, NamespaceNotFound)
    assert client.calls == [("GET", False), ("POST", False)]


@pytest.mark.parametrize("check_mode", [False, True])
def test_update_of_an_object_deleted_since_the_get_reads_again_and_creates(check_mode):
    client = ScriptedClient([gateway({"a": 1}), None], refusals=[VANISHED])
    outcome = run(client, check_mode=check_mode)
    assert client.calls == [("GET", False), ("PUT", check_mode), ("GET", False), ("POST", check_mode)]
    assert outcome.method == "created"
