# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""gateway options become the Istio spec, bad input fails naming the option before any request, and
``servers_mode: merge`` adds or takes off only the task's hosts, with check mode and diff."""

from __future__ import annotations

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import GATEWAY
from ansible_collections.meshsmith.istio.plugins.modules import gateway
from ansible_collections.meshsmith.istio.tests.unit.plugins.modules.harness import spec_from

HTTP = {"number": 80, "name": "http", "protocol": "HTTP"}
SELECTOR = {"istio": "ingressgateway"}


def server(*hosts, port=None):
    return {"port": dict(port or HTTP), "hosts": list(hosts)}


def live_gateway(*servers, labels=None):
    metadata = {"name": "shared", "namespace": "istio-system"}
    if labels:
        metadata["labels"] = labels
    return {"apiVersion": "networking.istio.io/v1", "kind": "Gateway", "metadata": metadata,
            "spec": {"selector": SELECTOR, "servers": list(servers)}}


def bound_virtual_service(host, gateways=("istio-system/shared",), namespace="shop"):
    return {"kind": "VirtualService", "metadata": {"name": "shop", "namespace": namespace},
            "spec": {"hosts": [host], "gateways": list(gateways),
                     "http": [{"route": [{"destination": {"host": "shop"}}]}]}}


def task(servers, **options):
    return dict({"name": "shared", "namespace": "istio-system", "selector": SELECTOR, "servers": servers}, **options)


def stored_servers(cluster):
    return cluster.stored("Gateway", "istio-system", "shared")["spec"]["servers"]


def test_snake_case_options_become_istio_names():
    options = {"selector": SELECTOR, "servers": [{
        "port": {"number": 443, "name": "https", "protocol": "HTTPS"},
        "hosts": ["shop.example.com"],
        "default_endpoint": "127.0.0.1:8443",
        "tls": {"mode": "SIMPLE", "credential_name": "shop-cert", "min_protocol_version": "TLSV1_2",
                "cipher_suites": ["ECDHE-RSA-AES256-GCM-SHA384"]},
    }, {
        "port": HTTP, "hosts": ["shop.example.com"], "tls": {"https_redirect": True},
    }, {
        "port": {"number": 8443, "name": "files", "protocol": "HTTPS"}, "hosts": ["files.example.com"],
        "tls": {"mode": "MUTUAL", "tls_certificates": [{"server_certificate": "/etc/c.pem", "private_key": "/etc/k.pem"}],
                "ca_certificates": "/etc/ca.pem"},
    }]}
    assert spec_from(GATEWAY, options) == {"selector": SELECTOR, "servers": [{
        "port": {"number": 443, "name": "https", "protocol": "HTTPS"},
        "hosts": ["shop.example.com"],
        "defaultEndpoint": "127.0.0.1:8443",
        "tls": {"mode": "SIMPLE", "credentialName": "shop-cert", "minProtocolVersion": "TLSV1_2",
                "cipherSuites": ["ECDHE-RSA-AES256-GCM-SHA384"]},
    }, {
        "port": HTTP, "hosts": ["shop.example.com"], "tls": {"httpsRedirect": True},
    }, {
        "port": {"number": 8443, "name": "files", "protocol": "HTTPS"}, "hosts": ["files.example.com"],
        "tls": {"mode": "MUTUAL", "tlsCertificates": [{"serverCertificate": "/etc/c.pem", "privateKey": "/etc/k.pem"}],
                "caCertificates": "/etc/ca.pem"},
    }]}


def test_istio_camel_case_keys_are_accepted_as_written():
    spec = {"servers": [{"port": {"number": 443, "name": "https", "protocol": "HTTPS"}, "hosts": ["*"],
                         "defaultEndpoint": "127.0.0.1:8443",
                         "tls": {"mode": "SIMPLE", "credentialName": "c", "subjectAltNames": ["shop"]}}]}
    assert spec_from(GATEWAY, spec) == spec


@pytest.mark.parametrize("options, option, message", [
    ({"servers": [server("*", port={"number": 80, "name": "kafka", "protocol": "KAFKA"})]},
     "servers[0].port.protocol", "servers[0].port.protocol: invalid protocol 'KAFKA'"),
    ({"servers": [server("*", port={"number": 443, "name": "https", "protocol": "HTTPS"})]},
     "servers[0].tls", "servers[0].tls: "),
    ({"servers": [server("*", port=dict(HTTP, target_port=8080))]},
     "servers[0].port.target_port", "servers[0].port.target_port: "),
    ({"servers": [server("a.example.com", port={"number": 80, "protocol": "HTTP"})], "servers_mode": "merge",
      "state": "absent"}, "servers[0].port", "servers[0].port: number and name are required"),
    ({"servers": [server(port=HTTP)], "servers_mode": "merge", "state": "absent"},
     "servers[0].hosts", "servers[0].hosts: the hosts to remove are required"),
])
def test_invalid_spec_fails_naming_the_option_before_any_request(run_main, no_requests, options, option, message):
    result = run_main(gateway, dict({"name": "shared", "namespace": "istio-system"}, **options))
    assert (result["failed"], result["option"]) == (True, option)
    assert result["msg"].startswith(message)


@pytest.mark.parametrize("options, option", [
    ({"name": "../x"}, "name"),
    ({"namespace": "Istio-System"}, "namespace"),
    ({"purge_labels": True, "servers_mode": "merge"}, "purge_labels"),
])
def test_every_failure_before_a_request_has_the_same_shape(run_main, no_requests, options, option):
    """Names, metadata and spec errors alike: ``msg``, ``option`` and ``errors``, the list of every error."""
    result = run_main(gateway, dict(task([server("shop.example.com")]), **options))
    assert (result["failed"], result["option"]) == (True, option)
    assert [error["option"] for error in result["errors"]] == [option]
    assert result["msg"] == "%s: %s" % (option, result["errors"][0]["msg"])


def test_every_error_of_the_spec_is_reported_at_once(run_main, no_requests):
    servers = [server("*", port={"number": 80, "name": "web", "protocol": "KAFKA"}),
               server("*", port={"number": 443, "name": "web", "protocol": "HTTPS"})]
    result = run_main(gateway, task(servers))
    assert result["failed"] is True
    options = [error["option"] for error in result["errors"]]
    assert "servers[0].port.protocol" in options and len(options) >= 2
    assert all(error["msg"] in result["msg"] for error in result["errors"])


def test_create_then_rerun_changes_nothing_with_one_get(run_main, cluster_with):
    cluster = cluster_with()
    created = run_main(gateway, task([server("shop.example.com")]))
    assert (created["changed"], created["method"]) == (True, "created")
    assert stored_servers(cluster) == [server("shop.example.com")]
    assert "diff" not in created

    cluster.requests.clear()
    rerun = run_main(gateway, task([server("shop.example.com")]))
    assert (rerun["changed"], rerun["method"], [request[0] for request in cluster.requests]) == (False, "unchanged", ["GET"])


def test_check_mode_create_is_a_dry_run_and_the_diff_shows_the_new_gateway(run_main, cluster_with):
    cluster = cluster_with()
    result = run_main(gateway, task([server("shop.example.com")]), check_mode=True, diff=True)
    assert (result["changed"], result["method"]) == (True, "created")
    assert cluster.writes == [("POST", "/apis/networking.istio.io/v1/namespaces/istio-system/gateways", True)]
    assert cluster.stored("Gateway", "istio-system", "shared") is None
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["spec"]["servers"] == [server("shop.example.com")]


def test_replace_mode_drops_servers_the_task_does_not_list(run_main, cluster_with):
    other = server("*", port={"number": 81, "name": "other", "protocol": "HTTP"})
    cluster = cluster_with([live_gateway(server("a.example.com"), other)])
    result = run_main(gateway, task([server("b.example.com")]))
    assert (result["changed"], result["method"]) == (True, "updated")
    assert stored_servers(cluster) == [server("b.example.com")]


def test_merge_adds_the_tasks_hosts_and_keeps_other_servers(run_main, cluster_with):
    other = server("*", port={"number": 81, "name": "other", "protocol": "HTTP"})
    cluster = cluster_with([live_gateway(server("a.example.com"), other)])
    result = run_main(gateway, task([server("b.example.com")], servers_mode="merge"), diff=True)
    assert (result["changed"], result["method"]) == (True, "updated")
    assert stored_servers(cluster) == [server("a.example.com", "b.example.com"), other]
    assert result["diff"]["before"]["spec"]["servers"][0]["hosts"] == ["a.example.com"]
    assert result["diff"]["after"]["spec"]["servers"][0]["hosts"] == ["a.example.com", "b.example.com"]


def test_merge_of_hosts_already_there_is_one_get(run_main, cluster_with):
    cluster = cluster_with([live_gateway(server("a.example.com", "b.example.com"))])
    result = run_main(gateway, task([server("b.example.com")], servers_mode="merge"))
    assert (result["changed"], [request[0] for request in cluster.requests]) == (False, ["GET"])


def test_merge_in_check_mode_sends_a_dry_run_and_stores_nothing(run_main, cluster_with):
    cluster = cluster_with([live_gateway(server("a.example.com"))])
    result = run_main(gateway, task([server("b.example.com")], servers_mode="merge"), check_mode=True, diff=True)
    assert result["changed"] is True
    assert [(write[0], write[2]) for write in cluster.writes] == [("PUT", True)]
    assert stored_servers(cluster) == [server("a.example.com")]
    assert result["diff"]["after"]["spec"]["servers"] == [server("a.example.com", "b.example.com")]


def test_merge_creates_a_gateway_labelled_as_the_collections(run_main, cluster_with):
    cluster = cluster_with()
    run_main(gateway, task([server("a.example.com")], servers_mode="merge"))
    labels = cluster.stored("Gateway", "istio-system", "shared")["metadata"]["labels"]
    assert labels == {"app.kubernetes.io/managed-by": "meshsmith.istio"}


def test_merge_refuses_to_change_another_applications_server(run_main, cluster_with):
    cluster = cluster_with([live_gateway(server("a.example.com"))])
    result = run_main(gateway, task([server("b.example.com", port=dict(HTTP, protocol="HTTP2"))], servers_mode="merge"))
    assert (result["failed"], result["option"]) == (True, "servers[0]")
    assert "differs in port" in result["msg"]
    assert cluster.writes == []


def test_merge_refuses_another_selector(run_main, cluster_with):
    cluster = cluster_with([live_gateway(server("a.example.com"))])
    result = run_main(gateway, task([server("b.example.com")], servers_mode="merge", selector={"istio": "egress"}))
    assert (result["failed"], result["option"]) == (True, "selector")
    assert cluster.writes == []


def test_merge_absent_removes_the_tasks_hosts_but_keeps_one_a_virtual_service_needs(run_main, cluster_with):
    cluster = cluster_with([live_gateway(server("a.example.com", "b.example.com", "c.example.com")),
                            bound_virtual_service("c.example.com")])
    result = run_main(gateway, task([server("b.example.com", "c.example.com")], servers_mode="merge", state="absent"),
                      diff=True)
    assert (result["changed"], result["method"]) == (True, "updated")
    assert stored_servers(cluster) == [server("a.example.com", "c.example.com")]
    assert result["diff"]["before"]["spec"]["servers"][0]["hosts"] == ["a.example.com", "b.example.com", "c.example.com"]


def test_merge_absent_deletes_the_collections_gateway_once_nothing_references_it(run_main, cluster_with):
    owned = live_gateway(server("a.example.com"), labels={"app.kubernetes.io/managed-by": "meshsmith.istio"})
    # a bare gateway name means the VirtualService's own namespace: istio-system/other, not this Gateway
    cluster = cluster_with([owned, bound_virtual_service("a.example.com", gateways=["shared"])])
    result = run_main(gateway, task([server("a.example.com")], servers_mode="merge", state="absent"))
    assert (result["changed"], result["method"]) == (True, "deleted")
    assert cluster.stored("Gateway", "istio-system", "shared") is None


def test_merge_absent_keeps_the_collections_gateway_while_a_virtual_service_references_it(run_main, cluster_with):
    owned = live_gateway(server("a.example.com"), labels={"app.kubernetes.io/managed-by": "meshsmith.istio"})
    cluster = cluster_with([owned, bound_virtual_service("a.example.com", gateways=["shared"], namespace="istio-system")])
    result = run_main(gateway, task([server("a.example.com")], servers_mode="merge", state="absent"))
    assert (result["changed"], cluster.writes) == (False, [])
    assert stored_servers(cluster) == [server("a.example.com")]


def test_merge_absent_never_deletes_a_gateway_it_did_not_create(run_main, cluster_with):
    cluster = cluster_with([live_gateway(server("a.example.com"))])
    result = run_main(gateway, task([server("a.example.com")], servers_mode="merge", state="absent"))
    assert (result["changed"], result["method"]) == (False, "unchanged")
    assert stored_servers(cluster) == [server("a.example.com")]
    assert cluster.writes == []
