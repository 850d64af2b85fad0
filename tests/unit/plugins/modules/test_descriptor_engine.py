# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A kind of any API group is one descriptor: the engine runs a module for it (here the Gateway API's HTTPRoute,
cluster-scoped and namespaced alike), with api_version choices, names, paths and errors from the descriptor."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.descriptor import ResourceType
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.info import run_info_module
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.options import Option, list_option
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.resource import run_resource_module
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import InvalidOption


def refuse_empty_hostnames(name, namespace, spec):
    for index, hostname in enumerate(spec.get("hostnames") or []):
        if not hostname:
            raise InvalidOption("hostnames[%d]" % index, "must not be empty")
    return [InvalidOption("parentRefs", "no parent Gateway")] if not spec.get("parentRefs") else []


HTTP_ROUTE = ResourceType(
    "gateway.networking.k8s.io", ("v1", "v1beta1"), "httproutes", "HTTPRoute",
    (list_option("parent_refs", Option("name", required=True), Option("section_name")),
     list_option("hostnames", elements="str", unordered=True),
     list_option("rules", list_option("backend_refs", Option("name"), Option("port", "int")))),
    refuse_empty_hostnames,
)
MODULE = SimpleNamespace(main=lambda: run_resource_module(HTTP_ROUTE))
ROUTE_PATH = "/apis/gateway.networking.k8s.io/v1/namespaces/web/httproutes/shop"


def test_versions_give_kinds_and_api_version_choices():
    assert HTTP_ROUTE.api_versions == ["gateway.networking.k8s.io/v1", "gateway.networking.k8s.io/v1beta1"]
    assert HTTP_ROUTE.at().path("web", "shop") == ROUTE_PATH
    assert HTTP_ROUTE.at("gateway.networking.k8s.io/v1beta1").api_version == "gateway.networking.k8s.io/v1beta1"
    with pytest.raises(ValueError, match="api_version must be one of gateway.networking.k8s.io/v1, "):
        HTTP_ROUTE.at("networking.istio.io/v1")
    assert HTTP_ROUTE.unordered_lists == ("hostnames",)


def test_the_engine_creates_then_leaves_a_kind_of_another_group(run_main, cluster_with):
    cluster = cluster_with()
    args = {"name": "shop", "namespace": "web", "hostnames": ["b.example.com", "a.example.com"],
            "parentRefs": [{"name": "gw", "sectionName": "http"}], "rules": [{"backend_refs": [{"name": "shop"}]}]}
    created = run_main(MODULE, args)
    assert (created["changed"], created["method"]) == (True, "created")
    assert cluster.requests == [("GET", ROUTE_PATH, False), ("POST", ROUTE_PATH.rsplit("/", 1)[0], False)]
    assert created["result"]["spec"] == {"parentRefs": [{"name": "gw", "sectionName": "http"}],
                                         "hostnames": ["b.example.com", "a.example.com"],
                                         "rules": [{"backendRefs": [{"name": "shop"}]}]}
    reordered = run_main(MODULE, dict(args, hostnames=["a.example.com", "b.example.com"]))
    assert (reordered["changed"], len(cluster.requests)) == (False, 3)  # a set: one GET, no write


def test_errors_fail_before_any_request_and_warnings_name_options(run_main, cluster_with, no_requests):
    result = run_main(MODULE, {"name": "shop", "namespace": "web", "hostnames": [""]})
    assert (result["failed"], result["option"], result["msg"]) == (True, "hostnames[0]", "hostnames[0]: must not be empty")
    cluster_with()
    warned = run_main(MODULE, {"name": "shop", "namespace": "web", "hostnames": ["a.example.com"]})
    # the API field path shown as the option (ansible-core 2.19 returns each warning as a WarningSummary)
    assert [warning["event"]["msg"] if isinstance(warning, dict) else warning for warning in warned["warnings"]] == \
        ["parent_refs: no parent Gateway"]


def test_info_module_of_a_kind_of_another_group(run_main, cluster_with):
    cluster = cluster_with()
    result = run_main(SimpleNamespace(main=lambda: run_info_module(HTTP_ROUTE)),
                      {"namespace": "web", "api_version": "gateway.networking.k8s.io/v1beta1"})
    assert result["resources"] == []
    assert cluster.requests == [("LIST", "/apis/gateway.networking.k8s.io/v1beta1/namespaces/web/httproutes", False)]
    refused = run_main(SimpleNamespace(main=lambda: run_info_module(HTTP_ROUTE)), {"api_version": "v1"})
    assert refused["failed"] and "api_version" in refused["msg"]
