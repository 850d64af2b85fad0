# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ingress_info's k8s_gateway: a Programmed Gateway's status.addresses, else its Service's load balancer address; its
listeners give the URLs and the ports the Service does not expose."""

from __future__ import annotations

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.services.ingress import describe_ingress
from ansible_collections.meshsmith.istio.plugins.module_utils.services.k8s_gateway import (
    k8s_gateway_addresses,
    listener_servers,
)

LISTENERS = [{"name": "http", "port": 80, "protocol": "HTTP", "hostname": "shop.example.com"},
             {"name": "https", "port": 443, "protocol": "HTTPS"},
             {"name": "alt", "port": 8080, "protocol": "HTTP"}]


def gateway(programmed: bool, addresses=("203.0.113.7",)) -> dict:
    return {"metadata": {"name": "edge", "namespace": "shop"}, "spec": {"gatewayClassName": "istio", "listeners": LISTENERS},
            "status": {"conditions": [{"type": "Programmed", "status": str(programmed)}],
                       "addresses": [{"type": "IPAddress", "value": value} for value in addresses]}}


def service(ingress=()) -> dict:
    return {"metadata": {"name": "edge-istio", "namespace": "shop"},
            "spec": {"type": "LoadBalancer", "ports": [{"name": "http", "port": 80}, {"name": "https", "port": 443}]},
            "status": {"loadBalancer": {"ingress": [{"hostname": host} for host in ingress]}}}


@pytest.mark.parametrize("programmed, status_addresses, lb, expected", [
    (True, ("203.0.113.7",), ("edge.lb.example",), ["203.0.113.7"]),
    (False, ("10.0.0.12",), ("edge.lb.example",), ["edge.lb.example"]),  # cluster IP in status while pending
    (False, ("10.0.0.12",), (), []),
])
def test_addresses_from_the_status_once_programmed_else_from_the_service(programmed, status_addresses, lb, expected):
    assert k8s_gateway_addresses(gateway(programmed, status_addresses), service(lb)) == expected


def test_listeners_give_urls_and_unexposed_ports_as_istio_servers_do():
    result = describe_ingress(service(), listener_servers(gateway(True)), ["203.0.113.7"])
    assert result["urls"] == ["http://203.0.113.7/", "https://203.0.113.7/"]
    assert result["unexposed_servers"] == [{"port": {"number": 8080, "name": "alt", "protocol": "HTTP"}, "hosts": ["*"]}]
