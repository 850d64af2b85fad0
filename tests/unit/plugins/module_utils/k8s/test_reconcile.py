# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reconcile loop against an in-memory client: request counts, conflicts, check mode, diffs."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.client import ApiError
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import GATEWAY as GATEWAY_RESOURCE
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.reconcile import (
    MAX_CONFLICT_RETRIES,
    align_unordered_lists,
    diff_view,
    keep_order_if_same_set,
    merge_metadata,
    merge_string_map,
    reconcile,
)

GATEWAY = GATEWAY_RESOURCE.at()

PATH = GATEWAY.path("istio-system", "gw")


class FakeClient:
    """Stores one object; records calls; can fail the next writes with given statuses."""

    def __init__(self, stored=None, write_failures=()):
        self.stored = copy.deepcopy(stored)
        self.calls = []
        self.write_failures = list(write_failures)
        self.version = 1

    def get(self, path):
        self.calls.append(("GET", path))
        return copy.deepcopy(self.stored)

    def _write(self, method, path, body, dry_run):
        assert not dry_run, "check mode is covered by test_check_mode_dry_run.py"
        self.calls.append((method, path, copy.deepcopy(body)))
        if self.write_failures:
            status = self.write_failures.pop(0)
            raise ApiError(status, "Conflict", "the object has been modified", method=method)
        self.version += 1

    def create(self, path, body, dry_run=False):
        self._write("POST", path, body, dry_run)
        self.stored = dict(copy.deepcopy(body), metadata=dict(body["metadata"], resourceVersion=str(self.version)))
        return copy.deepcopy(self.stored)

    def replace(self, path, body, dry_run=False):
        self._write("PUT", path, body, dry_run)
        self.stored = dict(copy.deepcopy(body), metadata=dict(body["metadata"], resourceVersion=str(self.version)))
        return copy.deepcopy(self.stored)

    def delete(self, path, body, dry_run=False):
        self._write("DELETE", path, body, dry_run)
        self.stored = None
        return {}


def live(spec=None, labels=None):
    metadata = {"name": "gw", "namespace": "istio-system", "resourceVersion": "7", "uid": "u-1",
                "managedFields": [{"manager": "x"}]}
    if labels:
        metadata["labels"] = labels
    return {"apiVersion": "networking.istio.io/v1", "kind": "Gateway", "metadata": metadata, "spec": spec or {"a": 1}}


def with_spec(spec):
    def build(current):
        obj = current or {"apiVersion": "networking.istio.io/v1", "kind": "Gateway",
                          "metadata": {"name": "gw", "namespace": "istio-system"}}
        return dict(obj, spec=spec)
    return build


def methods(client):
    return [call[0] for call in client.calls]


def test_noop_is_one_get_and_no_write():
    client = FakeClient(live({"a": 1}))
    outcome = reconcile(client, GATEWAY, "gw", "istio-system", "present", with_spec({"a": 1}), False)
    assert (outcome.changed, outcome.method, methods(client)) == (False, "unchanged", ["GET"])
    assert outcome.result == live({"a": 1})


def test_create_is_get_then_post_to_the_collection_with_a_diff_from_empty():
    client = FakeClient()
    outcome = reconcile(client, GATEWAY, "gw", "istio-system", "present", with_spec({"a": 1}), False)
    assert methods(client) == ["GET", "POST"]
    assert client.calls[1][1] == GATEWAY.path("istio-system")
    assert (outcome.changed, outcome.method) == (True, "created")
    assert outcome.diff == {
        "before": {},
        "after": {"metadata": {"name": "gw", "namespace": "istio-system"}, "spec": {"a": 1}},
    }
    assert outcome.result["metadata"]["resourceVersion"] == "2"


def test_update_is_one_put_with_the_live_resource_version_and_without_managed_fields():
    client = FakeClient(live({"a": 1}))
    outcome = reconcile(client, GATEWAY, "gw", "istio-system", "present", with_spec({"a": 2}), False)
    assert methods(client) == ["GET", "PUT"]
    body = client.calls[1][2]
    assert body["metadata"]["resourceVersion"] == "7"
    assert "managedFields" not in body["metadata"]
    assert (outcome.method, outcome.diff["before"]["spec"], outcome.diff["after"]["spec"]) == ("updated", {"a": 1}, {"a": 2})


def test_conflict_rereads_rebuilds_and_retries():
    client = FakeClient(live({"a": 1}), write_failures=[409])
    outcome = reconcile(client, GATEWAY, "gw", "istio-system", "present", with_spec({"a": 2}), False)
    assert methods(client) == ["GET", "PUT", "GET", "PUT"]
    assert outcome.changed and client.stored["spec"] == {"a": 2}


def test_conflicts_are_bounded():
    client = FakeClient(live({"a": 1}), write_failures=[409] * (MAX_CONFLICT_RETRIES + 1))
    with pytest.raises(ApiError) as raised:
        reconcile(client, GATEWAY, "gw", "istio-system", "present", with_spec({"a": 2}), False)
    assert raised.value.status == 409
    assert methods(client).count("PUT") == MAX_CONFLICT_RETRIES + 1


def test_other_api_errors_are_not_retried():
    client = FakeClient(live({"a": 1}), write_failures=[422])
    with pytest.raises(ApiError):
        reconcile(client, GATEWAY, "gw", "istio-system", "present", with_spec({"a": 2}), False)
    assert methods(client) == ["GET", "PUT"]


def test_delete_uses_the_resource_version_precondition_and_shows_a_diff_to_empty():
    client = FakeClient(live({"a": 1}))
    outcome = reconcile(client, GATEWAY, "gw", "istio-system", "absent", with_spec({}), False)
    assert methods(client) == ["GET", "DELETE"]
    assert client.calls[1][2]["preconditions"] == {"resourceVersion": "7"}
    assert (outcome.changed, outcome.method, outcome.result, outcome.diff["after"]) == (True, "deleted", {}, {})
    assert outcome.diff["before"]["spec"] == {"a": 1}


@pytest.mark.parametrize("check_mode", [False, True])
def test_delete_of_an_absent_object_is_one_get(check_mode):
    client = FakeClient()
    outcome = reconcile(client, GATEWAY, "gw", "istio-system", "absent", with_spec({}), check_mode)
    assert (outcome.changed, outcome.method, methods(client)) == (False, "unchanged", ["GET"])


def test_diff_view_keeps_only_what_the_user_manages():
    assert diff_view(live({"a": 1}, labels={"x": "y"})) == {
        "metadata": {"name": "gw", "namespace": "istio-system", "labels": {"x": "y"}}, "spec": {"a": 1}}
    assert diff_view(None) == {}


@pytest.mark.parametrize("desired, current, expected", [
    (["a", "b"], ["b", "a"], ["b", "a"]),  # same set: live order kept, no diff
    (["a", "b"], ["a", "c"], ["a", "b"]),  # different: desired wins
    (["a"], None, ["a"]),
    ([{"x": 1}, {"y": 2}], [{"y": 2}, {"x": 1}], [{"y": 2}, {"x": 1}]),  # unhashable items compare too
])
def test_keep_order_if_same_set(desired, current, expected):
    assert keep_order_if_same_set(desired, current) == expected


def test_align_unordered_lists_only_touches_the_named_paths():
    desired = {"hosts": ["a", "b"], "http": [{"route": [1, 2]}], "servers": [{"hosts": ["x", "y"]}, {"hosts": ["z"]}]}
    current = {"hosts": ["b", "a"], "http": [{"route": [2, 1]}], "servers": [{"hosts": ["y", "x"]}]}
    aligned = align_unordered_lists(desired, current, ("hosts", "servers[].hosts"))
    assert aligned == {"hosts": ["b", "a"], "http": [{"route": [1, 2]}], "servers": [{"hosts": ["y", "x"]}, {"hosts": ["z"]}]}
    assert align_unordered_lists(desired, None, ("hosts", "servers[].hosts")) == desired


def test_merge_string_map():
    assert merge_string_map({"theirs": "1"}, {"ours": "2"}, purge=False) == {"theirs": "1", "ours": "2"}
    assert merge_string_map({"theirs": "1"}, {"ours": "2"}, purge=True) == {"ours": "2"}
    assert merge_string_map({"theirs": "1"}, None, purge=True) == {"theirs": "1"}  # not managed: kept


def test_merge_metadata_keeps_server_fields_and_drops_empty_maps():
    metadata = merge_metadata({"name": "gw", "uid": "u", "labels": {"a": "1"}}, {}, {"note": "x"}, purge_labels=True)
    assert metadata == {"name": "gw", "uid": "u", "annotations": {"note": "x"}}
