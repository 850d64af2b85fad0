# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DestinationRule rules istio's test tables do not cover: every error of a spec at once with its camelCase path,
tunnel, proxyProtocol, configmap:// credentials, maglev, warmup, workload selectors and the CRD's enums."""

from __future__ import annotations

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.common import InvalidSpec
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.destination_rule import (
    validate_destination_rule,
)


def errors_of(spec: dict, namespace: str = "shop") -> dict:
    """{path: message} of every error ``spec`` has."""
    with pytest.raises(InvalidSpec) as caught:
        validate_destination_rule("reviews", namespace, spec)
    return {error.path: error.message for error in caught.value.errors}


def test_every_error_is_reported_at_once_with_api_paths():
    errors = errors_of({
        "host": "reviews..shop",
        "trafficPolicy": {"connectionPool": {"tcp": {"maxConnections": -1}}, "loadBalancer": {"simple": "FASTEST"}},
        "subsets": [{"name": "v_1"}, {"name": "v2", "labels": {"version": "v 2"}}],
    })
    assert set(errors) == {
        "host",
        "trafficPolicy.connectionPool.tcp.maxConnections",
        "trafficPolicy.loadBalancer.simple",
        "subsets[0].name",
        "subsets[1].labels['version']",
    }
    assert "FASTEST" in errors["trafficPolicy.loadBalancer.simple"]


def test_a_canary_rule_is_valid_without_warnings():
    spec = {
        "host": "reviews.shop.svc.cluster.local",
        "trafficPolicy": {"tls": {"mode": "ISTIO_MUTUAL"}, "loadBalancer": {"consistentHash": {"useSourceIp": True}}},
        "subsets": [{"name": "v1", "labels": {"version": "v1"}},
                    {"name": "v2", "labels": {"version": "v2"}, "trafficPolicy": {"loadBalancer": {"simple": "RANDOM"}}}],
        "exportTo": ["."],
    }
    assert validate_destination_rule("reviews", "shop", spec) == []


@pytest.mark.parametrize("policy, path", [
    ({"tunnel": {"protocol": "GET", "targetHost": "proxy.example.com", "targetPort": 8080}}, "trafficPolicy.tunnel.protocol"),
    ({"tunnel": {"targetHost": "not a host", "targetPort": 8080}}, "trafficPolicy.tunnel.targetHost"),
    ({"tunnel": {"targetHost": "10.0.0.1", "targetPort": 0}}, "trafficPolicy.tunnel.targetPort"),
    ({"tunnel": {"targetHost": "proxy.example.com", "targetPort": 8080}, "proxyProtocol": {"version": "V1"}},
     "trafficPolicy"),
    ({"proxyProtocol": {"version": "V3"}}, "trafficPolicy.proxyProtocol.version"),
    ({"retryBudget": {"percent": 120}}, "trafficPolicy.retryBudget.percent"),
    ({"tls": {"mode": "PERMISSIVE"}}, "trafficPolicy.tls.mode"),
    ({"tls": {"mode": "SIMPLE", "credentialName": "configmap://other/ca"}}, "trafficPolicy.tls.credentialName"),
    ({"tls": {"mode": "SIMPLE", "credentialName": "configmap://ca-only"}}, "trafficPolicy.tls.credentialName"),
    ({"connectionPool": {"http": {"h2UpgradePolicy": "ALWAYS"}}}, "trafficPolicy.connectionPool.http.h2UpgradePolicy"),
    ({"connectionPool": {"tcp": {"idleTimeout": "1.5ms"}}}, "trafficPolicy.connectionPool.tcp.idleTimeout"),
    ({"loadBalancer": {"simple": "RANDOM", "consistentHash": {"useSourceIp": True}}}, "trafficPolicy.loadBalancer"),
    ({"loadBalancer": {"consistentHash": {"useSourceIp": True, "httpHeaderName": "x-user"}}},
     "trafficPolicy.loadBalancer.consistentHash"),
    ({"loadBalancer": {"consistentHash": {"useSourceIp": True, "maglev": {"tableSize": 5000011}}}},
     "trafficPolicy.loadBalancer.consistentHash.maglev.tableSize"),
    ({"loadBalancer": {"consistentHash": {"useSourceIp": True, "maglev": {}}}},
     "trafficPolicy.loadBalancer.consistentHash.maglev.tableSize"),
    ({"loadBalancer": {"consistentHash": {"minimumRingSize": 1024, "ringHash": {"minimumRingSize": 1024}}}},
     "trafficPolicy.loadBalancer.consistentHash.minimumRingSize"),
    ({"loadBalancer": {"warmup": {"minimumPercent": 10}}}, "trafficPolicy.loadBalancer.warmup.duration"),
    ({"loadBalancer": {"warmup": {"duration": "10s", "aggression": 0}}}, "trafficPolicy.loadBalancer.warmup.aggression"),
    ({"loadBalancer": {"warmupDurationSecs": "0s"}}, "trafficPolicy.loadBalancer.warmupDurationSecs"),
    ({"portLevelSettings": [{"port": {"number": 80}}]}, "trafficPolicy.portLevelSettings[0]"),
    ({"portLevelSettings": [None]}, "trafficPolicy.portLevelSettings[0]"),
    ({"outlierDetection": {"consecutive5xxErrors": -1}}, "trafficPolicy.outlierDetection.consecutive5xxErrors"),
])
def test_traffic_policy_errors_name_the_field(policy, path):
    assert path in errors_of({"host": "reviews", "trafficPolicy": policy})


def test_configmap_credential_in_its_own_namespace_is_valid():
    spec = {"host": "reviews", "trafficPolicy": {"tls": {"mode": "SIMPLE", "credentialName": "configmap://shop/ca"}}}
    assert validate_destination_rule("reviews", "shop", spec) == []


@pytest.mark.parametrize("labels, path", [
    ({"app": "re*"}, "workloadSelector.matchLabels['app']"),
    ({"": "reviews"}, "workloadSelector.matchLabels['']"),
    ({"app": "x" * 64}, "workloadSelector.matchLabels['app']"),
])
def test_workload_selector_refuses_wildcards_and_empty_keys(labels, path):
    assert path in errors_of({"host": "reviews", "workloadSelector": {"matchLabels": labels}})


def test_null_subset_and_bad_name_are_errors():
    errors = errors_of({"host": "reviews", "subsets": [None], "exportTo": ["*"]}, namespace="shop")
    assert "subsets[0]" in errors


def test_name_must_be_a_dns1123_subdomain():
    with pytest.raises(InvalidSpec) as caught:
        validate_destination_rule("Reviews_Rule", "shop", {"host": "reviews"})
    assert [error.path for error in caught.value.errors] == ["name"]
