# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""routed_services: the Services a route of an existing Gateway reaches, as the service_type_switch role's guard
asks; each case is one thing that makes a route count or not."""

from __future__ import annotations

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.routes.model import Inventory
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.routed import routed_services
from ansible_collections.meshsmith.istio.tests.unit.plugins.module_utils.routes.test_route_analysis import (
    PROXY_SERVICE,
    gateway,
    seed,
    virtual_service,
)
from ansible_collections.meshsmith.istio.tests.unit.plugins.module_utils.routes.test_route_subsets import (
    destination_rule,
)

PROXY = {"namespace": "default", "name": "proxy", "port": 80}


def routed(objects: list) -> list:
    return routed_services(Inventory.from_objects(objects))


def to(host: str, **destination) -> list:
    """http rules routing everything to ``host``."""
    return [{"route": [{"destination": dict(destination, host=host)}]}]


def service(name: str, namespace: str = "default", ports=(80,), annotations=None) -> dict:
    metadata = {"name": name, "namespace": namespace}
    if annotations:
        metadata["annotations"] = annotations
    return {"kind": "Service", "metadata": metadata,
            "spec": {"selector": {"app": name}, "ports": [{"port": port} for port in ports]}}


def test_the_seed_route_reaches_the_proxy_service():
    assert routed(seed()) == [PROXY]


@pytest.mark.parametrize("objects", [
    # host forms of the same Service
    seed(virtual_service(http=to("proxy.default.svc.cluster.local"))),
    seed(virtual_service(namespace="shop", http=to("proxy.default.svc.cluster.local"))),
    # a bare gateway name is the VirtualService's own namespace
    seed(gateway(namespace="default"), virtual_service(gateways=["default-gateway"])),
    # the only port of the Service when the destination names none
    seed(virtual_service(http=to("proxy"))),
    # one matching rule among rules for the mesh only
    seed(virtual_service(gateways=["mesh", "istio-system/default-gateway"], http=[
        {"match": [{"gateways": ["mesh"]}], "route": [{"destination": {"host": "other"}}]},
        {"match": [{"gateways": ["istio-system/default-gateway"], "uri": {"prefix": "/"}}],
         "route": [{"destination": {"host": "proxy"}}]}])),
    # a subset the DestinationRule defines
    seed(destination_rule(host="proxy", subsets=("v1", "v2")), virtual_service(http=to("proxy", subset="v2"))),
], ids=["fqdn", "fqdn-from-other-namespace", "bare-gateway-name", "single-port", "rule-for-the-gateway",
        "defined-subset"])
def test_routes_that_reach_the_service(objects):
    assert routed(objects) == [PROXY]


@pytest.mark.parametrize("objects", [
    seed(virtual_service(gateways=["default-gateway"])),  # the Gateway is in istio-system, not default
    seed(virtual_service(gateways=["mesh"])),
    seed(virtual_service(hosts=["shop.example.com"]), gateway(hosts=["other.example.com"])),  # IST0132
    seed(gateway(hosts=["shop/*"])),  # the Gateway offers its hosts to namespace shop only
    seed(virtual_service(http=[dict(to("proxy")[0], match=[{"gateways": ["mesh"]}])], gateways=[
        "mesh", "istio-system/default-gateway"])),
    seed(virtual_service(http=to("proxy", port={"number": 8080}))),  # IST0101 port
    seed(virtual_service(http=to("proxy", subset="v2"))),  # IST0101 subset: no DestinationRule
    seed(destination_rule(host="proxy", subsets=("v1",)), virtual_service(http=to("proxy", subset="v2"))),
    seed(virtual_service(http=to("proxy.shop.svc.cluster.local"))),  # another namespace's Service
    [obj for obj in seed() if obj is not PROXY_SERVICE and obj["metadata"]["name"] != "proxy"] + [
        service("proxy", ports=(80, 443)), virtual_service(http=to("proxy"))],  # IST0112: which port?
], ids=["gateway-not-found", "mesh-only", "host-not-offered", "host-offered-elsewhere", "rule-for-the-mesh",
        "wrong-port", "missing-destination-rule", "missing-subset", "other-service", "port-needed"])
def test_routes_that_do_not_reach_the_service(objects):
    assert PROXY not in routed(objects)


def test_export_to_hides_the_virtual_service_or_the_service_from_the_gateway():
    hidden_route = dict(virtual_service(), spec=dict(virtual_service()["spec"], exportTo=["."]))
    assert routed(seed(hidden_route)) == []
    exported = dict(virtual_service(), spec=dict(virtual_service()["spec"], exportTo=[".", "istio-system"]))
    assert routed(seed(exported)) == [PROXY]
    private = service("proxy", annotations={"networking.istio.io/exportTo": "shop"})
    assert routed(seed(private, virtual_service(http=to("proxy")))) == []


def test_a_service_entry_host_reaches_no_service():
    entry = {"kind": "ServiceEntry", "metadata": {"name": "api", "namespace": "default"},
             "spec": {"hosts": ["api.example.com"], "ports": [{"number": 443, "name": "https", "protocol": "TLS"}]}}
    assert routed(seed(entry, virtual_service(http=to("api.example.com")))) == []


def delegating(namespace: str = "default") -> dict:
    return virtual_service(http=[{"match": [{"uri": {"prefix": "/shop"}}],
                                  "delegate": {"name": "shop-routes", "namespace": namespace}}])


def delegate(namespace: str = "shop", hosts=(), export_to=None) -> dict:
    routes = virtual_service(name="shop-routes", namespace=namespace, hosts=hosts, gateways=(), http=to("cart"))
    if export_to is not None:
        routes["spec"]["exportTo"] = export_to
    return routes


@pytest.mark.parametrize("objects, reached", [
    # the delegate's destinations resolve in its own namespace
    ([delegating("shop"), delegate(), service("cart", "shop")], [{"namespace": "shop", "name": "cart", "port": 80}]),
    ([delegating("shop"), delegate(), service("cart", "default")], []),
    ([delegating("shop"), delegate(export_to=["."]), service("cart", "shop")], []),  # not exported to the root's
    ([delegating("shop"), delegate(hosts=["cart"]), service("cart", "shop")], []),  # has hosts: no delegate
    ([delegating("default"), delegate(), service("cart", "shop")], []),  # the delegate is not in default
], ids=["delegate", "delegate-host-elsewhere", "delegate-not-exported", "delegate-with-hosts", "delegate-not-found"])
def test_delegates_bring_their_routes(objects, reached):
    assert routed(seed(*objects)) == reached


def test_each_service_and_port_once_in_order():
    two_port = service("shop", ports=(8443, 80))
    http = [{"route": [{"destination": {"host": host, "port": {"number": port}}}]}
            for host, port in (("shop", 8443), ("proxy", 80), ("shop", 80), ("proxy", 80))]
    tcp_route = {"route": [{"destination": {"host": "shop", "port": {"number": 80}}}]}
    routes = virtual_service(http=http)
    routes["spec"]["tcp"] = [tcp_route]
    assert routed(seed(two_port, routes)) == [PROXY, {"namespace": "default", "name": "shop", "port": 80},
                                              {"namespace": "default", "name": "shop", "port": 8443}]
