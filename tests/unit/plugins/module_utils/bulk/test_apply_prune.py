# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A prune deletes only what still carries the set's label, also after a 409 made it read the object again."""

from __future__ import annotations

from ansible_collections.meshsmith.istio.plugins.module_utils.bulk.converge import APPLY_SET_LABEL, Change, converge
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import VIRTUAL_SERVICE
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.client import ApiError

KIND = VIRTUAL_SERVICE.at()


def virtual_service(resource_version: str, labels: dict) -> dict:
    return {"apiVersion": KIND.api_version, "kind": "VirtualService",
            "metadata": {"name": "old", "namespace": "shop", "resourceVersion": resource_version, "labels": labels},
            "spec": {"hosts": ["a.example.com"]}}


class RacingCluster:
    """Answers the listed resourceVersion's DELETE with 409: someone changed the object after the LIST."""

    def __init__(self, current: dict) -> None:
        self.current = current
        self.deletes: list = []

    def get(self, path: str) -> dict:
        return self.current

    def delete(self, path: str, body: dict, dry_run: bool = False) -> None:
        self.deletes.append(body["preconditions"]["resourceVersion"])
        if body["preconditions"]["resourceVersion"] != self.current["metadata"]["resourceVersion"]:
            raise ApiError(409, "Conflict", "the object has been modified", method="DELETE")


def prune(cluster: RacingCluster, listed: dict) -> list:
    return converge(cluster, [Change(KIND, "shop", "old", listed)], "present", "web", False, 4)


def test_a_prune_keeps_an_object_that_left_the_set_after_the_list() -> None:
    cluster = RacingCluster(virtual_service("2", {"team": "other"}))  # another tool took it over: label gone
    [result] = prune(cluster, virtual_service("1", {APPLY_SET_LABEL: "web"}))
    assert cluster.deletes == ["1"]
    assert result.error is None and result.outcome.method == "unchanged"


def test_a_prune_deletes_an_object_still_in_the_set_after_the_409() -> None:
    cluster = RacingCluster(virtual_service("2", {APPLY_SET_LABEL: "web", "tier": "x"}))
    [result] = prune(cluster, virtual_service("1", {APPLY_SET_LABEL: "web"}))
    assert cluster.deletes == ["1", "2"]
    assert result.outcome.method == "deleted"
