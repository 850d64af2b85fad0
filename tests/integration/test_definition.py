# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``definition`` on gateway and virtual_service through real ansible-playbook runs: a pasted manifest creates the
object (check mode first, with the diff), a re-run is one GET, and a bad manifest fails naming its field with no
request sent."""

from __future__ import annotations

import pytest
import yaml

pytestmark = pytest.mark.module_logic  # not run on the oldest ansible-core (README, Tests)

NAMESPACE = "definition"
GATEWAY_ITEM = "/apis/networking.istio.io/v1/namespaces/%s/gateways/shop-gateway" % NAMESPACE
VS_ITEM = "/apis/networking.istio.io/v1beta1/namespaces/%s/virtualservices/shop" % NAMESPACE

GATEWAY_MANIFEST = """\
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: shop-gateway
  namespace: %s
  labels:
    team: web
spec:
  selector:
    istio: ingressgateway
  servers:
    - port: {number: 443, name: https, protocol: HTTPS}
      hosts: [shop.example.com]
      tls: {mode: SIMPLE, credentialName: shop-cert}
""" % NAMESPACE

# As `kubectl get -o yaml` prints it: server-written metadata and status are ignored.
VIRTUAL_SERVICE_MANIFEST = {
    "apiVersion": "networking.istio.io/v1beta1", "kind": "VirtualService",
    "metadata": {"name": "shop", "namespace": NAMESPACE, "resourceVersion": "1", "uid": "x", "generation": 1},
    "spec": {"hosts": ["shop.example.com"], "gateways": ["shop-gateway"],
             "http": [{"match": [{"uri": {"prefix": "/api"}, "ignoreUriCase": True}],
                       "route": [{"destination": {"host": "shop", "port": {"number": 8080}}}]}]},
    "status": {},
}


def task(title: str, module: str, **options) -> dict:
    return {"name": title, "meshsmith.istio." + module: options, "ignore_errors": True}


@pytest.fixture(scope="module")
def run(cluster, run_playbook):
    cluster.ensure_namespace(NAMESPACE)
    cluster.api("DELETE", GATEWAY_ITEM)
    cluster.api("DELETE", VS_ITEM)
    steps = [
        task("create gateway", "gateway", definition=GATEWAY_MANIFEST),
        task("re-create gateway", "gateway", definition=yaml.safe_load(GATEWAY_MANIFEST)),
        task("create virtual service", "virtual_service", definition=VIRTUAL_SERVICE_MANIFEST),
        task("re-create virtual service", "virtual_service", definition=VIRTUAL_SERVICE_MANIFEST,
             name="shop", namespace=NAMESPACE),
    ]
    result = run_playbook(steps, check_first=True)
    assert result.rc == 0, result.stdout + result.stderr
    yield result
    # the shared cluster's other tests list Gateways and VirtualServices across namespaces
    cluster.api("DELETE", GATEWAY_ITEM)
    cluster.api("DELETE", VS_ITEM)


def test_a_yaml_manifest_creates_the_gateway_with_the_diff(run, cluster) -> None:
    created = cluster.expect_step(run, "create gateway", "created",
                                  [("GET", GATEWAY_ITEM), ("POST", GATEWAY_ITEM.rsplit("/", 1)[0])])
    stored = cluster.get(GATEWAY_ITEM)
    assert stored["metadata"]["labels"] == {"team": "web"}
    assert stored["spec"] == yaml.safe_load(GATEWAY_MANIFEST)["spec"]
    assert created.result["diff"]["after"]["spec"] == stored["spec"]


def test_a_copied_manifest_creates_the_virtual_service_at_its_api_version(run, cluster) -> None:
    cluster.expect_step(run, "create virtual service", "created",
                        [("GET", VS_ITEM), ("POST", VS_ITEM.rsplit("/", 1)[0])])
    assert cluster.get(VS_ITEM)["spec"] == VIRTUAL_SERVICE_MANIFEST["spec"]


@pytest.mark.parametrize("step, item", [("re-create gateway", GATEWAY_ITEM),
                                        ("re-create virtual service", VS_ITEM)])
def test_a_rerun_is_one_get(run, cluster, step: str, item: str) -> None:
    cluster.expect_step(run, step, "unchanged", [("GET", item)])


def manifest(**spec) -> dict:
    return {"apiVersion": "networking.istio.io/v1", "kind": "Gateway", "metadata": {"name": "bad"}, "spec": spec}


HTTP_SERVER = {"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}
BAD = [
    ("wrong api version", dict(definition=dict(manifest(), apiVersion="gateway.networking.k8s.io/v1")),
     "definition.apiVersion", "definition.apiVersion: must be one of networking.istio.io/v1, "
                              "networking.istio.io/v1beta1, networking.istio.io/v1alpha3, got "
                              "'gateway.networking.k8s.io/v1'"),
    ("unknown field", dict(definition=manifest(servers=[dict(HTTP_SERVER, tsl={})])),
     "definition.spec.servers[0].tsl", "definition.spec.servers[0].tsl: unknown field"),
    ("istiod rule", dict(definition=manifest(servers=[dict(HTTP_SERVER, port=dict(HTTP_SERVER["port"],
                                                                                 protocol="KAFKA"))])),
     "definition.spec.servers[0].port.protocol", "definition.spec.servers[0].port.protocol: invalid protocol"),
    ("bad label", dict(definition=dict(manifest(servers=[HTTP_SERVER]), metadata={"name": "bad",
                                                                                 "labels": {"a": "b c"}})),
     'definition.metadata.labels["a"]', 'definition.metadata.labels["a"]: "b c" is not a valid label value'),
    ("mixed options", dict(definition=manifest(servers=[HTTP_SERVER]), selector={"istio": "ingressgateway"}),
     "definition", "definition: cannot be combined with the option selector; put it in definition.spec"),
    ("name disagrees", dict(definition=manifest(servers=[HTTP_SERVER]), name="good"),
     "name", "name: 'good' disagrees with definition.metadata.name 'bad'"),
]


@pytest.fixture(scope="module")
def failures(cluster, run_playbook):
    return run_playbook([task(name, "gateway", namespace=NAMESPACE, **options) for name, options, _, _ in BAD])


@pytest.mark.parametrize("name, option, message", [(name, option, message) for name, _, option, message in BAD])
def test_a_bad_manifest_fails_naming_the_field_before_any_request(failures, name: str, option: str,
                                                                   message: str) -> None:
    failed = failures.task(name)
    assert failed.status == "failed"
    assert failed.result["msg"].startswith(message), failed.result["msg"]
    assert failed.result["option"] == option
    assert failed.requests == []
