# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""destination_rule options become the Istio spec (``destination_host`` sets ``host``), and bad input fails naming
the option path before any request."""

from __future__ import annotations

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import DESTINATION_RULE
from ansible_collections.meshsmith.istio.plugins.modules import destination_rule
from ansible_collections.meshsmith.istio.tests.unit.plugins.modules.harness import spec_from as built_spec

SUBSETS = [{"name": "v1", "labels": {"version": "v1"}}, {"name": "v2", "labels": {"version": "v2"}}]


def spec_from(options: dict) -> dict:
    return built_spec(DESTINATION_RULE, options)


def test_destination_host_sets_the_host_field():
    assert spec_from({"destination_host": "reviews", "subsets": SUBSETS}) == {"host": "reviews", "subsets": SUBSETS}


def test_snake_case_options_become_istio_names():
    policy = {
        "connection_pool": {"tcp": {"max_connections": 100, "tcp_keepalive": {"time": "7200s"}},
                            "http": {"http1_max_pending_requests": 10, "h2_upgrade_policy": "UPGRADE"}},
        "load_balancer": {"consistent_hash": {"http_cookie": {"name": "user", "ttl": "0s"}},
                          "locality_lb_setting": {"failover_priority": ["topology.kubernetes.io/zone"]}},
        "outlier_detection": {"consecutive_5xx_errors": 5, "base_ejection_time": "30s"},
        "tls": {"mode": "SIMPLE", "credential_name": "client-cert", "insecure_skip_verify": False},
        "port_level_settings": [{"port": {"number": 9080}, "load_balancer": {"simple": "LEAST_REQUEST"}}],
        "proxy_protocol": {"version": "V2"},
        "retry_budget": {"percent": 25, "min_retry_concurrency": 3},
    }
    assert spec_from({"destination_host": "reviews", "traffic_policy": policy, "export_to": ["."],
                      "subsets": [dict(SUBSETS[0], traffic_policy={"tunnel": {"target_host": "x", "target_port": 80}})],
                      "workload_selector": {"match_labels": {"app": "web"}}}) == {
        "host": "reviews",
        "trafficPolicy": {
            "connectionPool": {"tcp": {"maxConnections": 100, "tcpKeepalive": {"time": "7200s"}},
                               "http": {"http1MaxPendingRequests": 10, "h2UpgradePolicy": "UPGRADE"}},
            "loadBalancer": {"consistentHash": {"httpCookie": {"name": "user", "ttl": "0s"}},
                             "localityLbSetting": {"failoverPriority": ["topology.kubernetes.io/zone"]}},
            "outlierDetection": {"consecutive5xxErrors": 5, "baseEjectionTime": "30s"},
            "tls": {"mode": "SIMPLE", "credentialName": "client-cert", "insecureSkipVerify": False},
            "portLevelSettings": [{"port": {"number": 9080}, "loadBalancer": {"simple": "LEAST_REQUEST"}}],
            "proxyProtocol": {"version": "V2"},
            "retryBudget": {"percent": 25.0, "minRetryConcurrency": 3},
        },
        "exportTo": ["."],
        "subsets": [dict(SUBSETS[0], trafficPolicy={"tunnel": {"targetHost": "x", "targetPort": 80}})],
        "workloadSelector": {"matchLabels": {"app": "web"}},
    }


def test_istio_camel_case_keys_are_accepted_as_written():
    spec = {"trafficPolicy": {"loadBalancer": {"localityLbSetting": {"distribute": [
        {"from": "us-west/zone1/*", "to": {"us-west/zone1/*": 80, "us-west/zone2/*": 20}}]}},
        "outlierDetection": {"consecutive5xxErrors": 1}}, "exportTo": ["*"]}
    assert spec_from(dict(spec, destination_host="reviews")) == dict(spec, host="reviews")


def test_export_to_compares_as_a_set():
    assert DESTINATION_RULE.unordered_lists == ("exportTo",)


def run_module(run_main, options: dict) -> dict:
    return run_main(destination_rule, dict(options, name="reviews", namespace="default"))


@pytest.mark.parametrize("options, message", [
    ({"destination_host": "reviews", "subsets": SUBSETS + [SUBSETS[0]]},
     "subsets[2].name: duplicate subset name 'v1' (also subsets[0])"),
    ({"destination_host": "reviews", "traffic_policy": {"load_balancer": {"simple": "FASTEST"}}},
     "traffic_policy.load_balancer.simple: invalid load balancer 'FASTEST'"),
    ({"destination_host": "reviews",
      "subsets": [dict(SUBSETS[0], trafficPolicy={"connectionPool": {"tcp": {"maxConnections": -1}}})]},
     "subsets[0].traffic_policy.connection_pool.tcp.max_connections: must be a non-negative integer (got -1)"),
    ({"subsets": SUBSETS}, "destination_host: empty domain name not allowed"),
])
def test_invalid_spec_fails_before_any_request(run_main, no_requests, options, message):
    result = run_module(run_main, options)
    assert result["failed"] is True
    assert result["msg"].startswith(message)


def test_host_is_the_api_server_not_the_destination(run_main, no_requests):
    """``host`` stays the connection option: given alone, the spec has no host and the task fails naming
    ``destination_host``, before any request."""
    result = run_module(run_main, {"host": "https://127.0.0.1:6443", "subsets": SUBSETS})
    assert result["failed"] is True
    assert result["msg"].startswith("destination_host: ")
