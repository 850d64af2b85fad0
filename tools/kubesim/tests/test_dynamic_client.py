"""The official kubernetes Python client (DynamicClient) against kubesim."""

from __future__ import annotations

import pytest
from kubernetes import client, config, dynamic
from kubernetes.client.rest import ApiException

from kubesim_helpers import gateway

pytest_plugins = ["kubesim.pytest_plugin"]


@pytest.fixture(scope="module")
def dyn(kubesim):
    api_client = config.new_client_from_config(config_file=str(kubesim.kubeconfig))
    return dynamic.DynamicClient(api_client)


def test_crud_with_dynamic_client(dyn, ns):
    gateways = dyn.resources.get(api_version="networking.istio.io/v1", kind="Gateway")
    created = gateways.create(body=gateway("gw", ns), namespace=ns)
    assert created.metadata.generation == 1
    fetched = gateways.get(name="gw", namespace=ns)
    assert fetched.spec.servers[0].port.number == 80
    patched = gateways.patch(name="gw", namespace=ns, body={"metadata": {"labels": {"a": "b"}}},
                             content_type="application/merge-patch+json")
    assert patched.metadata.labels.a == "b"
    listing = gateways.get(namespace=ns, label_selector="a=b")
    assert [item.metadata.name for item in listing.items] == ["gw"]
    gateways.delete(name="gw", namespace=ns)
    with pytest.raises(dynamic.exceptions.NotFoundError):
        gateways.get(name="gw", namespace=ns)


def test_invalid_resource_raises_422(dyn, ns):
    gateways = dyn.resources.get(api_version="networking.istio.io/v1", kind="Gateway")
    with pytest.raises(dynamic.exceptions.UnprocessibleEntityError) as error:
        gateways.create(body=gateway("gw", ns, port={"name": "http"}), namespace=ns)
    assert "spec.servers[0].port.number: Required value" in str(error.value.body)


def test_server_side_apply_with_dynamic_client(dyn, ns):
    gateways = dyn.resources.get(api_version="networking.istio.io/v1", kind="Gateway")
    first = gateways.server_side_apply(body=gateway("gw", ns), namespace=ns, field_manager="test")
    again = gateways.server_side_apply(body=gateway("gw", ns), namespace=ns, field_manager="test")
    assert first.metadata.resourceVersion == again.metadata.resourceVersion


def test_typed_core_client(kubesim, ns):
    api = client.CoreV1Api(config.new_client_from_config(config_file=str(kubesim.kubeconfig)))
    api.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="cm"), data={"k": "v"}))
    assert api.read_namespaced_config_map("cm", ns).data == {"k": "v"}
    with pytest.raises(ApiException) as error:
        api.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="cm")))
    assert error.value.status == 409
