# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""meshsmith.istio.gateway_api_convert through ansible-playbook on a kubesim with the Istio and Gateway API CRDs:
reading from the cluster (one LIST per kind), from definitions (no request), bad input (no request), and the
manifests it writes accepted by the Gateway API CRDs (schema and CEL rules), applied with kubernetes.core.k8s.

The round trip through http_route/k8s_gateway and route_check on both APIs waits for those modules (issue 11).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest
import yaml

from kubesim.testing import KubeSim

pytestmark = pytest.mark.module_logic  # not run on the oldest ansible-core (README, Tests)

REPO_ROOT = Path(__file__).resolve().parents[2]
UNIT_DATA = REPO_ROOT / "tests" / "unit" / "plugins" / "module_utils" / "gateway_api"
ISTIO_SHARED_DIR = Path(os.environ.get("ISTIO_SHARED_DIR", REPO_ROOT.parent / "shared" / "istio"))
BOOKINFO = ISTIO_SHARED_DIR / "corpus" / "samples__bookinfo__networking__bookinfo-gateway.yaml"
ISTIO = "/apis/networking.istio.io/v1"
SEED_GATEWAY = {"apiVersion": "networking.istio.io/v1", "kind": "Gateway",
                "metadata": {"name": "default-gateway", "namespace": "istio-system"},
                "spec": {"selector": {"istio": "ingressgateway"},
                         "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}]}}
SEED_VIRTUAL_SERVICE = {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
                        "metadata": {"name": "proxy", "namespace": "default"},
                        "spec": {"hosts": ["*"], "gateways": ["istio-system/default-gateway"],
                                 "http": [{"route": [{"destination": {"host": "proxy", "port": {"number": 80}}}]}]}}
SEED_MANIFESTS = [
    {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
     "metadata": {"name": "default-gateway", "namespace": "istio-system"},
     "spec": {"gatewayClassName": "istio", "listeners": [
         {"name": "http-80", "port": 80, "protocol": "HTTP", "allowedRoutes": {"namespaces": {"from": "All"}}}]}},
    {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
     "metadata": {"name": "proxy", "namespace": "default"},
     "spec": {"parentRefs": [{"name": "default-gateway", "namespace": "istio-system"}],
              "rules": [{"backendRefs": [{"name": "proxy", "port": 80}]}]}},
]


def _required(path: Path, what: str) -> Path:
    if not path.exists():
        message = "%s not found at %s" % (what, path)
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def gwapi(cluster, attach_kubesim, istio_crds_dir, gateway_api_crds_dir, tmp_path_factory) -> Iterator[tuple]:
    """(kubesim, its Cluster, run_playbook, kubeconfig path) with the Istio and Gateway API CRDs and the seed pair."""
    if not cluster.is_kubesim:
        pytest.skip("needs a kubesim with the Gateway API CRDs")
    with KubeSim(tmp_path_factory.mktemp("kubesim-gwapi"), load=[istio_crds_dir, gateway_api_crds_dir]) as sim:
        other, run = attach_kubesim(sim)
        for namespace in ("istio-system", "shop", "tools"):
            other.ensure_namespace(namespace)
        for obj in (SEED_GATEWAY, SEED_VIRTUAL_SERVICE):
            status, body = sim.api("POST", sim.object_path(obj).rsplit("/", 1)[0], obj)
            assert status == 201, body
        yield sim, other, run, str(sim.kubeconfig)


def _create(sim, manifest: dict) -> tuple:
    return sim.api("POST", sim.object_path(manifest).rsplit("/", 1)[0], manifest)


def test_from_the_cluster_one_list_per_kind_in_check_mode_too(gwapi):
    sim, other, run, kubeconfig = gwapi
    task = {"meshsmith.istio.gateway_api_convert": {"kubeconfig": kubeconfig}}

    done = run([dict(task, name="convert"), dict(task, name="convert (check)", check_mode=True)])

    for name in ("convert", "convert (check)"):
        result = done.task(name).result
        assert done.task(name).status == "ok", result.get("msg")
        assert result["changed"] is False
        assert result["manifests"] == SEED_MANIFESTS
        assert [entry["path"] for entry in result["not_converted"]] == ["spec.selector"]
        other.expect_requests(done.task(name), [("GET", ISTIO + "/gateways"), ("GET", ISTIO + "/virtualservices")])


def test_names_and_namespace_narrow_what_is_read_and_converted(gwapi):
    _sim, other, run, kubeconfig = gwapi

    done = run([{"name": "proxy only", "meshsmith.istio.gateway_api_convert": {
        "kubeconfig": kubeconfig, "namespace": "default", "names": ["proxy"]}}])

    task = done.task("proxy only")
    assert [manifest["kind"] for manifest in task.result["manifests"]] == ["HTTPRoute"]
    assert any("istio-system/default-gateway is not among the converted Gateways" in warning
               for warning in task.result.get("warnings", []))
    other.expect_requests(task, [("GET", ISTIO + "/namespaces/default/gateways"),
                                 ("GET", ISTIO + "/namespaces/default/virtualservices")])


def test_converted_seed_applies_with_kubernetes_core_k8s(gwapi):
    sim, _other, run, kubeconfig = gwapi

    done = run([
        {"name": "convert", "register": "converted",
         "meshsmith.istio.gateway_api_convert": {"kubeconfig": kubeconfig}},
        {"name": "apply", "kubernetes.core.k8s": {"kubeconfig": kubeconfig,
                                                  "definition": "{{ converted.manifests }}"}},
    ])

    assert done.task("apply").status == "ok", done.task("apply").result.get("msg")
    gateway = sim.api("GET", "/apis/gateway.networking.k8s.io/v1/namespaces/istio-system/gateways/default-gateway")
    route = sim.api("GET", "/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes/proxy")
    assert gateway[0] == 200 and gateway[1]["spec"]["listeners"][0]["name"] == "http-80"
    assert route[0] == 200 and route[1]["spec"]["parentRefs"][0]["name"] == "default-gateway"


def test_from_definitions_no_request_and_the_crds_accept_the_result(gwapi):
    sim, other, run, kubeconfig = gwapi
    bookinfo = _required(BOOKINFO, "Istio corpus (set ISTIO_SHARED_DIR)").read_text()

    done = run([{"name": "bookinfo", "meshsmith.istio.gateway_api_convert": {
        "kubeconfig": kubeconfig, "definitions": bookinfo}}])

    task = done.task("bookinfo")
    assert task.status == "ok", task.result.get("msg")
    other.expect_requests(task, [])
    assert [(manifest["kind"], manifest["metadata"]["name"]) for manifest in task.result["manifests"]] == [
        ("Gateway", "bookinfo-gateway"), ("HTTPRoute", "bookinfo")]
    assert [_create(sim, manifest)[0] for manifest in task.result["manifests"]] == [201, 201]


def test_every_converted_feature_is_valid_gateway_api(gwapi):
    sim, _other, run, kubeconfig = gwapi
    shop = yaml.safe_load((UNIT_DATA / "shop-gateway-api.yaml").read_text())

    done = run([{"name": "shop", "meshsmith.istio.gateway_api_convert": {
        "kubeconfig": kubeconfig, "definitions": yaml.safe_load((UNIT_DATA / "shop-istio.yaml").read_text())}}])

    assert done.task("shop").result["manifests"] == shop
    created = [(manifest["kind"], *_create(sim, manifest)) for manifest in shop]
    assert [(kind, status) for kind, status, _body in created] == [(manifest["kind"], 201) for manifest in shop], \
        [body.get("message") for _kind, _status, body in created]


def test_the_istio_corpus_converts_and_the_crds_accept_every_manifest(gwapi):
    """Every Gateway/VirtualService of Istio's samples and test data, converted in one task; each manifest is
    then created (after deleting a namesake from another file) and must be accepted."""
    sim, other, run, kubeconfig = gwapi
    files = sorted(_required(ISTIO_SHARED_DIR / "corpus", "Istio corpus (set ISTIO_SHARED_DIR)").glob("*.yaml"))
    corpus = "\n---\n".join(path.read_text() for path in files)

    task = run([{"name": "corpus", "meshsmith.istio.gateway_api_convert": {
        "kubeconfig": kubeconfig, "definitions": corpus}}]).task("corpus")

    assert task.status == "ok", task.result.get("msg")
    refused = []
    for manifest in task.result["manifests"]:
        other.ensure_namespace(manifest["metadata"]["namespace"])
        sim.api("DELETE", sim.object_path(manifest))
        status, body = _create(sim, manifest)
        if status != 201:
            refused.append((manifest["kind"], manifest["metadata"]["name"], body.get("message")))
    assert refused == []
    assert len(task.result["manifests"]) >= 20


BAD_INPUT = {
    "bad definition": ({"definitions": [{"apiVersion": "networking.istio.io/v1", "kind": "Gateway",
                                         "metadata": {"name": "x_y"}, "spec": {"servers": []}}]},
                       "definitions[0].metadata.name", "is not a valid Gateway name"),
    "definitions and namespace": ({"definitions": "kind: [", "namespace": "default"}, None, "mutually exclusive"),
    "bad class": ({"gateway_class_name": "Istio Class"}, "gateway_class_name", "is not a valid GatewayClass name"),
    "bad name": ({"names": ["ok", "Not-OK"]}, "names[1]", "is not a valid Gateway or VirtualService name"),
}


@pytest.fixture(scope="module")
def bad_input_run(gwapi):
    """Every BAD_INPUT case as a task of one playbook (one ansible-playbook start for all)."""
    _sim, _other, run, kubeconfig = gwapi
    return run([{"name": name, "ignore_errors": True,
                 "meshsmith.istio.gateway_api_convert": dict(options, kubeconfig=kubeconfig)}
                for name, (options, _option, _message) in BAD_INPUT.items()])


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_fails_naming_the_option_before_any_request(gwapi, bad_input_run, case):
    _options, option, message = BAD_INPUT[case]

    task = bad_input_run.task(case)

    assert task.status == "failed"
    assert message in task.result["msg"]
    assert task.result.get("option") == option
    gwapi[1].expect_requests(task, [])
