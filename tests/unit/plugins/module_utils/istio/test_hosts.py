# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Host and selector semantics (istio's pkg/config/host, Kubernetes equality selectors)."""

from __future__ import annotations

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.istio.hosts import (
    host_covers,
    hosts_overlap,
    labels_match,
    selector_text,
    server_hosts_for_namespace,
    to_fqdn,
)


@pytest.mark.parametrize("wide, narrow, covered", [
    ("shop.example.com", "shop.example.com", True),
    ("shop.example.com", "cart.example.com", False),
    ("*.example.com", "shop.example.com", True),
    ("*.example.com", "a.b.example.com", True),
    ("*.example.com", "example.com", False),  # the wildcard needs a label before the dot
    ("*.example.com", "badexample.com", False),
    ("*.example.com", "*.shop.example.com", True),
    ("*.shop.example.com", "*.example.com", False),  # a narrower wildcard does not cover a wider one
    ("*.com", "*.example.com", True),
    ("*", "anything.example.com", True),
    ("*", "*.example.com", True),
    ("shop.example.com", "*.example.com", False),  # a name never covers a wildcard
    ("*.example.com", "*", False),
])
def test_host_covers(wide, narrow, covered):
    assert host_covers(wide, narrow) is covered


@pytest.mark.parametrize("first, second, overlap", [
    ("shop.example.com", "shop.example.com", True),
    ("shop.example.com", "cart.example.com", False),
    ("*.example.com", "shop.example.com", True),
    ("shop.example.com", "*.example.com", True),
    ("*.example.com", "*.shop.example.com", True),
    ("*.shop.example.com", "*.example.com", True),
    ("*.a.example.com", "*.b.example.com", False),
    ("*", "shop.example.com", True),
    ("*.com", "*.example.com", True),
    ("*.example.com", "example.com", False),
    ("*.example.com", "example.org", False),
    ("*.example.com", "shop.example.org", False),
])
def test_hosts_overlap_is_symmetric_wildcard_matching(first, second, overlap):
    for pair in ((first, second), (second, first)):
        assert hosts_overlap(*pair) is overlap


@pytest.mark.parametrize("host, fqdn", [
    ("reviews", "reviews.shop.svc.cluster.local"),
    ("reviews.other", "reviews.other"),
    ("*", "*"),
    ("*.example.com", "*.example.com"),
])
def test_to_fqdn_qualifies_short_names_only(host, fqdn):
    assert to_fqdn(host, "shop") == fqdn


def test_server_hosts_for_namespace_reads_namespace_forms():
    server = {"hosts": ["plain.example.com", "./own.example.com", "shop/shop.example.com", "*/any.example.com"]}
    assert server_hosts_for_namespace(server, "istio-system", "shop") == [
        "plain.example.com", "shop.example.com", "any.example.com",
    ]
    assert server_hosts_for_namespace(server, "istio-system", "istio-system") == [
        "plain.example.com", "own.example.com", "any.example.com",
    ]


@pytest.mark.parametrize("selector, labels, selected", [
    ({"istio": "ingressgateway"}, {"istio": "ingressgateway", "app": "gw"}, True),
    ({"istio": "ingressgateway", "app": "gw"}, {"istio": "ingressgateway"}, False),
    ({"istio": "ingressgateway"}, {"istio": "eastwestgateway"}, False),
    ({"istio": "ingressgateway"}, None, False),
    ({}, {"app": "x"}, True),  # an empty selector selects everything
    (None, None, True),
])
def test_labels_match(selector, labels, selected):
    assert labels_match(selector, labels) is selected


def test_selector_text_sorts_keys_like_kubectl():
    assert selector_text({"istio": "ingressgateway", "app": "gw"}) == "app=gw,istio=ingressgateway"
    assert selector_text(None) == ""
