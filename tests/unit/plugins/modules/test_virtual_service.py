# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""virtual_service options become the Istio spec, and bad input fails naming the option before any request."""

from __future__ import annotations

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import VIRTUAL_SERVICE
from ansible_collections.meshsmith.istio.plugins.modules import virtual_service
from ansible_collections.meshsmith.istio.tests.unit.plugins.modules.harness import spec_from as built_spec

SEED_SPEC = {
    "hosts": ["*"],
    "gateways": ["istio-system/default-gateway"],
    "http": [{"route": [{"destination": {"host": "proxy", "port": {"number": 80}}}]}],
}


def spec_from(options: dict) -> dict:
    return built_spec(VIRTUAL_SERVICE, options)


def test_seed_options_give_the_seed_spec():
    assert spec_from(SEED_SPEC) == SEED_SPEC


def test_snake_case_options_become_istio_names():
    options = {
        "hosts": ["shop.example.com"],
        "export_to": ["."],
        "http": [{
            "match": [{"uri": {"prefix": "/api"}, "ignore_uri_case": True, "query_params": {"v": {"exact": "2"}}}],
            "route": [{"destination": {"host": "api"}}],
            "cors_policy": {"allow_origins": [{"exact": "https://shop.example.com"}], "max_age": "24h"},
            "retries": {"attempts": 3, "per_try_timeout": "2s", "retry_on": "5xx"},
            "rewrite": {"uri_regex_rewrite": {"match": "^/api(/.*)", "rewrite": r"\1"}},
            "mirror": {"host": "shadow"},
            "mirror_percentage": {"value": 5},
            "mirror_percent": 5,
        }, {
            "direct_response": {"status": 503, "body": {"string": "down"}},
            "fault": {"abort": {"http_status": 503}, "delay": {"fixed_delay": "1s"}},
        }],
        "tls": [{"match": [{"sni_hosts": ["shop.example.com"], "destination_subnets": ["10.0.0.0/8"]}],
                 "route": [{"destination": {"host": "shop"}}]}],
        "tcp": [{"match": [{"source_subnet": "10.0.0.0/8", "source_namespace": "prod"}],
                 "route": [{"destination": {"host": "db"}}]}],
    }
    assert spec_from(options) == {
        "hosts": ["shop.example.com"],
        "exportTo": ["."],
        "http": [{
            "match": [{"uri": {"prefix": "/api"}, "ignoreUriCase": True, "queryParams": {"v": {"exact": "2"}}}],
            "route": [{"destination": {"host": "api"}}],
            "corsPolicy": {"allowOrigins": [{"exact": "https://shop.example.com"}], "maxAge": "24h"},
            "retries": {"attempts": 3, "perTryTimeout": "2s", "retryOn": "5xx"},
            "rewrite": {"uriRegexRewrite": {"match": "^/api(/.*)", "rewrite": r"\1"}},
            "mirror": {"host": "shadow"},
            "mirrorPercentage": {"value": 5.0},
            "mirrorPercent": 5,
        }, {
            "directResponse": {"status": 503, "body": {"string": "down"}},
            "fault": {"abort": {"httpStatus": 503}, "delay": {"fixedDelay": "1s"}},
        }],
        "tls": [{"match": [{"sniHosts": ["shop.example.com"], "destinationSubnets": ["10.0.0.0/8"]}],
                 "route": [{"destination": {"host": "shop"}}]}],
        "tcp": [{"match": [{"sourceSubnet": "10.0.0.0/8", "sourceNamespace": "prod"}],
                 "route": [{"destination": {"host": "db"}}]}],
    }


def test_istio_camel_case_keys_are_accepted_as_written():
    spec = {
        "hosts": ["shop.example.com"],
        "exportTo": ["."],
        "http": [{"directResponse": {"status": 200}, "corsPolicy": {"allowMethods": ["GET"]}},
                 {"route": [{"destination": {"host": "shop"}}], "mirrorPercentage": {"value": 1.5},
                  "mirror": {"host": "shadow"}}],
    }
    assert spec_from(spec) == spec


def test_free_form_maps_keep_their_keys():
    """Header names and label keys are data, not option names: never camelCased."""
    spec = {
        "hosts": ["reviews"],
        "http": [{
            "match": [{"headers": {"x_user_id": {"exact": "7"}}, "sourceLabels": {"app_name": "web"},
                       "withoutHeaders": {"x_skip_me": {}}}],
            "route": [{"destination": {"host": "reviews"},
                       "headers": {"request": {"set": {"x_forwarded_by": "mesh"}}}}],
            "headers": {"response": {"add": {"cache_control": "no-store"}, "remove": ["x_powered_by"]}},
        }],
    }
    assert spec_from(spec) == spec


def test_unset_options_are_left_out():
    assert spec_from({"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews"}}]}]}) == {
        "hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews"}}]}]}


def run_module(run_main, options: dict) -> dict:
    """Run the module with ``options`` and return its JSON result."""
    return run_main(virtual_service, dict(options, name="proxy", namespace="default"))


@pytest.mark.parametrize("options, message", [
    ({"hosts": ["*"], "gateways": ["mesh"], "http": SEED_SPEC["http"]}, "hosts[0]: wildcard host '*'"),
    ({"hosts": ["*"], "gateways": ["istio-system/default-gateway"],
      "http": [{"route": [{"destination": {"host": "a"}, "weight": 0}, {"destination": {"host": "b"}, "weight": 0}]}]},
     "http[0].route: the destination weights add up to 0"),
    ({"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews"}}], "timeout": "ten"}]},
     "http[0].timeout: invalid duration 'ten'"),
])
def test_invalid_spec_fails_before_any_request(run_main, no_requests, options, message):
    result = run_module(run_main, options)
    assert result["failed"] is True
    assert result["msg"].startswith(message)


def test_unknown_option_fails_naming_it(run_main, no_requests):
    result = run_module(run_main, {"hosts": ["reviews"], "http": [{"rout": []}]})
    assert result["failed"] is True
    assert "module: http.rout." in result["msg"]
