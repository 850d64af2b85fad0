# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An application's ``purge_labels`` on a Gateway the collection created keeps the ownership label: otherwise the
Gateway would turn "foreign" and the last teardown would leave it behind for ever."""

from __future__ import annotations

from ansible_collections.meshsmith.istio.plugins.module_utils.istio.shared_gateway import (
    OWNER_LABEL,
    OWNER_VALUE,
    merged_gateway,
)

HTTP = {"number": 80, "name": "http", "protocol": "HTTP"}


def gateway(labels: dict, hosts: list) -> dict:
    return {"apiVersion": "networking.istio.io/v1", "kind": "Gateway",
            "metadata": {"name": "shared", "namespace": "istio-system", "labels": labels},
            "spec": {"selector": {"istio": "ingressgateway"}, "servers": [{"port": HTTP, "hosts": hosts}]}}


def test_purged_labels_keep_the_ownership_label_of_an_owned_gateway():
    live = gateway({OWNER_LABEL: OWNER_VALUE, "team": "a"}, ["a.example.com"])
    merged = merged_gateway(live, gateway({"team": "b"}, ["b.example.com"]))  # built with purge_labels: true
    assert merged["metadata"]["labels"] == {"team": "b", OWNER_LABEL: OWNER_VALUE}
    assert merged["spec"]["servers"] == [{"port": HTTP, "hosts": ["a.example.com", "b.example.com"]}]


def test_a_foreign_gateway_gets_no_ownership_label():
    live = gateway({"team": "other"}, ["a.example.com"])
    merged = merged_gateway(live, gateway({"team": "other"}, ["b.example.com"]))
    assert merged["metadata"]["labels"] == {"team": "other"}
