# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""route_check reads the DestinationRules (one more LIST), fails on a subset none defines (IST0101) and returns the
Services the Gateways' routes reach (``routed_services``), which the switch's guard asks for; its request options
fail as every option does (msg, option, errors)."""

from __future__ import annotations

from ansible_collections.meshsmith.istio.plugins.modules import route_check
from ansible_collections.meshsmith.istio.tests.unit.plugins.module_utils.routes.test_route_analysis import (
    seed,
    virtual_service,
)
from ansible_collections.meshsmith.istio.tests.unit.plugins.module_utils.routes.test_route_subsets import (
    destination_rule,
)

CANARY = virtual_service(http=[{"route": [{"destination": {"host": "proxy", "subset": "v1"}, "weight": 90},
                                          {"destination": {"host": "proxy", "subset": "v2"}, "weight": 10}]}])
PROXY = {"namespace": "default", "name": "proxy", "port": 80}


def test_a_canary_with_its_destination_rule_routes_to_the_service(run_main, cluster_with):
    cluster_with(seed(CANARY, destination_rule(host="proxy", subsets=("v1", "v2"))))
    result = run_main(route_check, {"url": "http://203.0.113.10/"})
    assert result["findings"] == []
    assert result["summary"].endswith("Service default/proxy:80 subset v1 (weight 90) + "
                                      "Service default/proxy:80 subset v2 (weight 10)")
    assert result["routed_services"] == [PROXY]


def test_a_subset_without_destination_rule_fails_naming_host_and_subset(run_main, cluster_with):
    cluster_with(seed(CANARY, destination_rule(host="proxy", subsets=("v1",))))
    result = run_main(route_check, {"url": "http://203.0.113.10/"})
    assert result["failed"] is True
    assert result["findings"] == [{
        "code": "IST0101", "severity": "error", "resource": "VirtualService default/proxy",
        "field": "http[0].route[1].destination",
        "message": 'Referenced host+subset in destinationrule not found: "proxy+v2"'}]
    assert ('[IST0101] VirtualService default/proxy http[0].route[1].destination: Referenced host+subset in '
            'destinationrule not found: "proxy+v2"') in result["msg"]
    assert result["routed_services"] == [PROXY]  # through v1


def test_without_any_destination_rule_no_service_is_routed(run_main, cluster_with):
    cluster_with(seed(CANARY))
    result = run_main(route_check, {"fail_on": "never"})
    assert [finding["field"] for finding in result["findings"]] == ["http[0].route[0].destination",
                                                                    "http[0].route[1].destination"]
    assert result["routed_services"] == []


def test_destination_rules_are_optional_like_service_entries(run_main, cluster_with):
    cluster = cluster_with(seed(), unserved=["destinationrules", "serviceentries"])
    result = run_main(route_check, {})
    assert (result["findings"], result["routed_services"]) == ([], [PROXY])
    assert "/apis/networking.istio.io/v1/destinationrules" in [request[1] for request in cluster.requests]


def test_request_options_fail_in_the_shape_of_every_option_error(run_main, no_requests):
    result = run_main(route_check, {"request_host": "shop.example.com", "port": 0})
    assert (result["option"], result["errors"]) == (
        "port", [{"option": "port", "msg": "must be between 1 and 65535, got 0"}])
