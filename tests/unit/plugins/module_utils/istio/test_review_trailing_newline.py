# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A value ending in a line break is refused as istiod refuses it: Go's ``$`` does not match before a trailing
newline, Python's ``$`` does, so every name, host, header name and label of a spec is checked to its very end."""

from __future__ import annotations

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.common import InvalidSpec
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.gateway import validate_gateway
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.virtual_service import (
    validate_virtual_service,
)

ROUTE = [{"destination": {"host": "proxy"}}]
HOST = "a.example.com"


def virtual_service(**spec):
    return dict({"hosts": [HOST], "http": [{"route": ROUTE}]}, **spec)


VIRTUAL_SERVICES = {
    "host": (virtual_service(hosts=[HOST + "\n"]), "hosts[0]"),
    "gateway reference": (virtual_service(gateways=["istio-system/gw\n"]), "gateways[0]"),
    "header name": (virtual_service(http=[{"match": [{"headers": {"x-a\n": {"exact": "1"}}}], "route": ROUTE}]),
                    "http[0].match[0].headers"),
    "source label value": (virtual_service(http=[{"match": [{"sourceLabels": {"app": "v1\n"}}], "route": ROUTE}]),
                           "http[0].match[0].sourceLabels"),
    "subset": (virtual_service(http=[{"route": [{"destination": {"host": "proxy", "subset": "v1\n"}}]}]),
               "http[0].route[0].destination.subset"),
}


@pytest.mark.parametrize("spec, path", VIRTUAL_SERVICES.values(), ids=list(VIRTUAL_SERVICES))
def test_virtual_service_value_with_trailing_newline_is_refused(spec, path):
    with pytest.raises(InvalidSpec) as raised:
        validate_virtual_service("vs", "default", spec)
    assert raised.value.path.startswith(path)


@pytest.mark.parametrize("name, namespace", [("vs\n", "default"), ("vs", "default\n")], ids=["name", "namespace"])
def test_virtual_service_name_with_trailing_newline_is_refused(name, namespace):
    with pytest.raises(InvalidSpec):
        validate_virtual_service(name, namespace, virtual_service())


def test_gateway_host_with_trailing_newline_is_refused():
    server = {"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": [HOST + "\n"]}
    with pytest.raises(InvalidSpec) as raised:
        validate_gateway("gw", "default", {"servers": [server]})
    assert raised.value.path == "servers[0].hosts[0]"


def without_newlines(value):
    if isinstance(value, dict):
        return {without_newlines(key): without_newlines(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_newlines(item) for item in value]
    return value.replace("\n", "") if isinstance(value, str) else value


@pytest.mark.parametrize("spec", [spec for spec, _path in VIRTUAL_SERVICES.values()], ids=list(VIRTUAL_SERVICES))
def test_same_values_without_the_newline_pass(spec):
    assert validate_virtual_service("vs", "default", without_newlines(spec)) == []
