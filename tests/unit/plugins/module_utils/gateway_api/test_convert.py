# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""gateway_api_convert's conversion: the seed's pair, Istio's Bookinfo pair and a VirtualService using every
http route feature convert to the exact Gateway API manifests; what has no equivalent is listed per object."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from ansible_collections.meshsmith.istio.plugins.module_utils.gateway_api.convert import convert, gateway_duration
from ansible_collections.meshsmith.istio.plugins.module_utils.gateway_api.sources import (
    InvalidDefinitions,
    parse_definitions,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import InvalidOption
from ansible_collections.meshsmith.istio.plugins.modules import gateway_api_convert

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[4]
ISTIO_SHARED_DIR = Path(os.environ.get("ISTIO_SHARED_DIR", REPO_ROOT.parent / "shared" / "istio"))
BOOKINFO = ISTIO_SHARED_DIR / "corpus" / "samples__bookinfo__networking__bookinfo-gateway.yaml"
SELECTOR_NOTE = ("a Gateway API Gateway selects no existing workload: the GatewayClass's implementation provisions "
                 "one (Istio: Deployment and Service %s-istio); the selected pods keep serving the Istio Gateway "
                 "until it is removed")


def seed_pair() -> list:
    """The seed's Gateway and VirtualService, as the ingress_gateway role creates them from its defaults."""
    defaults = yaml.safe_load((REPO_ROOT / "roles" / "ingress_gateway" / "defaults" / "main.yml").read_text())
    pair = []
    for kind, key in (("Gateway", "ingress_gateway_gateways"), ("VirtualService", "ingress_gateway_virtual_services")):
        for item in defaults[key]:
            spec = {field: value for field, value in item.items() if field not in ("name", "namespace")}
            pair.append(dict(apiVersion="networking.istio.io/v1", kind=kind, spec=spec,
                             metadata=dict(name=item["name"], namespace=item["namespace"])))
    return pair


def test_seed_pair_converts_to_a_gateway_and_an_http_route():
    result = convert(seed_pair())

    # the module documents exactly this result as its sample
    assert result.manifests == yaml.safe_load(gateway_api_convert.RETURN)["manifests"]["sample"]
    assert result.not_converted == [dict(kind="Gateway", namespace="istio-system", name="default-gateway",
                                         path="spec.selector", reason=SELECTOR_NOTE % "default-gateway")]
    assert result.warnings == []


def test_bookinfo_pair_converts_with_its_five_path_matches():
    if not BOOKINFO.is_file():
        message = "Istio corpus not found at %s (set ISTIO_SHARED_DIR)" % BOOKINFO
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    sources, warnings = parse_definitions(BOOKINFO.read_text())

    result = convert(sources)

    assert warnings == []
    assert result.manifests == yaml.safe_load("""
- apiVersion: gateway.networking.k8s.io/v1
  kind: Gateway
  metadata: {name: bookinfo-gateway, namespace: default}
  spec:
    gatewayClassName: istio
    listeners:
      - {name: http-8080, port: 8080, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
- apiVersion: gateway.networking.k8s.io/v1
  kind: HTTPRoute
  metadata: {name: bookinfo, namespace: default}
  spec:
    parentRefs: [{name: bookinfo-gateway}]
    rules:
      - matches:
          - path: {type: Exact, value: /productpage}
          - path: {type: PathPrefix, value: /static}
          - path: {type: Exact, value: /login}
          - path: {type: Exact, value: /logout}
          - path: {type: PathPrefix, value: /api/v1/products}
        backendRefs: [{name: productpage, port: 9080}]
""")
    assert [(entry["kind"], entry["path"]) for entry in result.not_converted] == [("Gateway", "spec.selector")]


# A Gateway and a VirtualService using what converts and what does not, and their expected conversion.
SHOP = yaml.safe_load((HERE / "shop-istio.yaml").read_text())
SHOP_MANIFESTS = (HERE / "shop-gateway-api.yaml").read_text()
SHOP_NOT_CONVERTED = [
    ("Gateway", "spec.selector"),
    ("Gateway", "spec.servers[0].tls.httpsRedirect"),
    ("Gateway", "spec.servers[1].tls.minProtocolVersion"),
    ("Gateway", "spec.servers[2].tls.mode"),
    ("Gateway", "spec.servers[4].tls.mode"),
    ("VirtualService", "spec.exportTo"),
    ("VirtualService", "spec.tcp"),
    ("VirtualService", "spec.gateways[1]"),
    ("VirtualService", "spec.http[0].fault"),
    ("VirtualService", "spec.http[0].retries"),
    ("VirtualService", "spec.http[0].match[2].sourceLabels"),
    ("VirtualService", "spec.http[0].corsPolicy.allowOrigins[1]"),
    ("VirtualService", "spec.http[0].route[0].destination.subset"),
    ("VirtualService", "spec.http[3].directResponse"),
    ("VirtualService", "spec.http[4].match[0].authority"),
    ("VirtualService", "spec.http[4].match"),
    ("VirtualService", "spec.http[5].route[0].destination.host"),
    ("VirtualService", "spec.http[5].route"),
]


@pytest.fixture(scope="module")
def shop():
    sources, warnings = parse_definitions(SHOP)
    assert warnings == []
    return convert(sources)


def test_every_convertible_feature_is_converted(shop):
    assert shop.manifests == yaml.safe_load(SHOP_MANIFESTS)


def test_what_has_no_equivalent_is_listed_per_object_and_field(shop):
    assert [(entry["kind"], entry["path"]) for entry in shop.not_converted] == SHOP_NOT_CONVERTED
    assert {(entry["namespace"], entry["name"]) for entry in shop.not_converted} == {
        ("shop", "shop-gateway"), ("shop", "shop")}
    reasons = {entry["path"]: entry["reason"] for entry in shop.not_converted}
    assert reasons["spec.http[0].match[2].sourceLabels"] == "no HTTPRoute match condition: match not converted"
    assert reasons["spec.http[4].match"] == ("no match could be converted: rule not converted "
                                             "(it would match every request)")
    assert reasons["spec.tcp"] == "TCPRoute is not in the Gateway API v1.5.1 standard channel: not converted"


def test_regex_matches_warn_only_for_another_gateway_class():
    sources, _warnings = parse_definitions(SHOP)

    assert convert(sources, "istio").warnings == []
    assert [warning.split(":")[0] for warning in convert(sources, "other-class").warnings] == [
        "RegularExpression matches are implementation-specific in the Gateway API"]
    assert convert(sources, "other-class").manifests[0]["spec"]["gatewayClassName"] == "other-class"


def test_a_virtual_service_whose_gateway_is_not_converted_warns():
    _gateway, virtual_service = seed_pair()

    result = convert([virtual_service])

    assert result.warnings == [
        "VirtualService default/proxy: Gateway istio-system/default-gateway is not among the converted Gateways; "
        "its HTTPRoute refers to a Gateway API Gateway of that name"]
    assert [manifest["kind"] for manifest in result.manifests] == ["HTTPRoute"]


def test_a_mesh_only_virtual_service_writes_no_route():
    _gateway, virtual_service = seed_pair()
    mesh_only = dict(virtual_service, spec=dict(virtual_service["spec"], gateways=[]))

    result = convert([mesh_only])

    assert result.manifests == []
    assert [entry["path"] for entry in result.not_converted] == ["spec.gateways"]


def test_routes_beyond_sixteen_rules_are_split_in_order():
    _gateway, virtual_service = seed_pair()
    routes = [dict(match=[dict(uri=dict(exact="/p%d" % index))], route=virtual_service["spec"]["http"][0]["route"])
              for index in range(20)]

    result = convert([dict(virtual_service, spec=dict(virtual_service["spec"], http=routes))])

    assert [(manifest["metadata"]["name"], len(manifest["spec"]["rules"])) for manifest in result.manifests] == [
        ("proxy", 16), ("proxy-2", 4)]
    assert result.manifests[1]["spec"]["rules"][0]["matches"] == [dict(path=dict(type="Exact", value="/p16"))]


def test_hosts_beyond_sixteen_are_listed_not_written():
    _gateway, virtual_service = seed_pair()
    hosts = ["h%d.example.com" % index for index in range(18)]

    result = convert([dict(virtual_service, spec=dict(virtual_service["spec"], hosts=hosts))])

    assert result.manifests[0]["spec"]["hostnames"] == hosts[:16]
    assert [(entry["path"], entry["reason"]) for entry in result.not_converted] == [
        ("spec.hosts", "an HTTPRoute holds at most 16 hostnames: h16.example.com, h17.example.com not converted")]


@pytest.mark.parametrize("export_to, listed", [(["*"], False), (["."], True)])
def test_export_to_is_listed_unless_it_is_the_default(export_to, listed):
    _gateway, virtual_service = seed_pair()

    result = convert([dict(virtual_service, spec=dict(virtual_service["spec"], exportTo=export_to))])

    assert [entry["path"] for entry in result.not_converted] == (["spec.exportTo"] if listed else [])


@pytest.mark.parametrize("seconds, text", [(1.5, "1s500ms"), (90, "1m30s"), (0.25, "250ms"), (7200, "2h"), (0, "0s")])
def test_gateway_duration(seconds, text):
    assert gateway_duration(seconds) == text


def test_definitions_skip_other_kinds_with_a_warning_and_default_the_namespace():
    sources, warnings = parse_definitions("""
apiVersion: v1
kind: Service
metadata: {name: productpage}
---
apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata: {name: gw}
spec:
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
""")

    assert [source["metadata"] for source in sources] == [dict(name="gw")]
    assert convert(sources).manifests[0]["metadata"] == dict(name="gw", namespace="default")
    assert warnings == ["definitions[0]: v1 Service is not an Istio Gateway or VirtualService: skipped"]


@pytest.mark.parametrize("definitions, path, message", [
    (42, "definitions", "must be a list of manifests or a YAML string, got int"),
    ("a: [", "definitions", "not valid YAML"),
    (["x"], "definitions[0]", "must be a manifest (a mapping), got str"),
    ([dict(apiVersion="networking.istio.io/v1", kind="Gateway", metadata=dict(name="Bad_Name"), spec={})],
     "definitions[0].metadata.name", "is not a valid Gateway name"),
    ([dict(apiVersion="networking.istio.io/v1", kind="VirtualService", metadata=dict(name="vs"),
           spec=dict(hosts=["a.example.com"], http=[dict(route=[dict(destination=dict(host="a"), weight=-1)])]))],
     "definitions[0].spec.http[0].route[0].weight", ""),
    ([dict(apiVersion="networking.istio.io/v1", kind="Gateway", metadata=dict(name="gw", namespace=7), spec={})],
     "definitions[0].metadata.namespace", "must be a string"),
])
def test_bad_definitions_fail_naming_the_document_and_field(definitions, path, message):
    with pytest.raises(InvalidOption) as raised:
        parse_definitions(definitions)

    assert raised.value.path == path
    assert message in str(raised.value)


def test_every_bad_definition_is_reported_at_once():
    bad = dict(apiVersion="networking.istio.io/v1", kind="Gateway", metadata=dict(name="BAD"), spec={})

    with pytest.raises(InvalidDefinitions) as raised:
        parse_definitions([bad, "x", bad])

    assert [error.path for error in raised.value.errors] == [
        "definitions[0].metadata.name", "definitions[1]", "definitions[2].metadata.name"]
