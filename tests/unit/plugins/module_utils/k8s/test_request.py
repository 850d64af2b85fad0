# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Requests are built without I/O: method, path with query, body and Content-Type as the client sends them."""

from __future__ import annotations

from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kinds import SERVICE
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.request import api_request


def test_a_list_keeps_only_the_selectors_given():
    request = api_request("GET", SERVICE.path(), query={"labelSelector": "app=web", "fieldSelector": None})
    assert request.target == "/api/v1/services?labelSelector=app%3Dweb"
    assert request.payload is None and request.headers == {}


def test_a_dry_run_write_carries_its_body_and_content_type():
    request = api_request("PATCH", SERVICE.path("default", "web"), {"spec": {"type": "NodePort"}}, dry_run=True,
                          content_type="application/merge-patch+json")
    assert (request.method, request.target) == ("PATCH", "/api/v1/namespaces/default/services/web?dryRun=All")
    assert request.payload == b'{"spec": {"type": "NodePort"}}'
    assert request.headers == {"Content-Type": "application/merge-patch+json"}


def test_an_empty_body_is_still_sent():
    assert api_request("POST", SERVICE.path("default"), {}).payload == b"{}"
