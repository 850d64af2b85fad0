"""Many applications on one Gateway.

Module level (session kubesim): meshsmith.istio.gateway with servers_mode=merge on a Gateway another team
created and on one the collection created, each step first in check mode, with kubesim's request log.
Playbook level (own kubesim, stand-in charts): expose.yml and teardown.yml for two applications on a foreign
Gateway and on one expose.yml creates, each step checked with meshsmith.istio.route_check for both hosts.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

import pytest
import yaml

from test_playbooks import Chain, ChainCluster, Run, fresh_chain_cluster

NAMESPACE = "shared-gw"
API = "/apis/networking.istio.io/v1"
GATEWAYS = "%s/namespaces/%s/gateways" % (API, NAMESPACE)
VIRTUAL_SERVICES = "%s/namespaces/%s/virtualservices" % (API, NAMESPACE)
ALL_VIRTUAL_SERVICES = API + "/virtualservices"
OWNER = {"app.kubernetes.io/managed-by": "meshsmith.istio"}
SELECTOR = {"istio": "ingressgateway"}
HTTP = {"number": 80, "name": "http", "protocol": "HTTP"}
HTTPS_SERVER = {"port": {"number": 443, "name": "https", "protocol": "HTTPS"}, "hosts": ["secure.example.com"],
                "tls": {"mode": "SIMPLE", "credentialName": "secure-cert"}}


def merge_task(title: str, gateway: str, *hosts: str, state: str = "present", **options) -> dict:
    server = {"port": HTTP, "hosts": list(hosts)}
    return {"name": title, "ignore_errors": True, "meshsmith.istio.gateway": {
        "name": gateway, "namespace": NAMESPACE, "servers_mode": "merge", "state": state, "servers": [server],
        **({"selector": SELECTOR} if state == "present" else {}), **options}}


def gateway_object(name: str, servers: list, labels: Optional[dict] = None) -> dict:
    metadata = {"name": name, "namespace": NAMESPACE, **({"labels": labels} if labels else {})}
    return {"apiVersion": "networking.istio.io/v1", "kind": "Gateway", "metadata": metadata,
            "spec": {"selector": SELECTOR, "servers": servers}}


def bind_virtual_service(cluster, name: str, gateway: str, host: str) -> None:
    cluster.seed(VIRTUAL_SERVICES, {
        "apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": {"name": name, "namespace": NAMESPACE},
        "spec": {"hosts": [host], "gateways": [gateway], "http": [{"route": [{"destination": {"host": name}}]}]}})


def expect_removal(run, cluster, step: str, method: str, write: str) -> dict:
    """``<step>`` reads its Gateway and lists the VirtualServices, then sends ``write`` (check mode: as a dry run);
    both report ``method`` with the same diff. Returns the real run's result."""
    item = gateway_path(step)
    requests = [("GET", item), ("GET", ALL_VIRTUAL_SERVICES), (write, item)]
    return cluster.expect_step(run, step, method, requests).result


def gateway_path(step: str) -> str:
    return "%s/%s" % (GATEWAYS, step)


@dataclass
class MergeStep:
    """One merge-mode task on a Gateway of its own (named after the step), stored directly beforehand."""

    hosts: tuple[str, ...]  # the task's server hosts
    before: Optional[list] = None  # the Gateway's servers before the step; None: no Gateway
    owned: bool = False  # created by the collection (ownership label), else another team's
    bound: Optional[str] = None  # the host of a VirtualService bound to the Gateway during the step
    state: str = "present"


HTTP_A, HTTP_B = {"port": HTTP, "hosts": ["a.example.com"]}, {"port": HTTP, "hosts": ["b.example.com"]}
STAR = {"port": HTTP, "hosts": ["*"]}
# Another team's Gateway (HTTPS server, no ownership label): apps A and B merge their hosts in; A leaves; B tries to
# leave while its VirtualService is still bound, then leaves after it is gone.
FOREIGN_STEPS = {
    "add-a": MergeStep(("a.example.com",), [HTTPS_SERVER]),
    "add-a-again": MergeStep(("a.example.com",), [HTTPS_SERVER, HTTP_A]),
    "add-b": MergeStep(("b.example.com",), [HTTPS_SERVER, HTTP_A], bound="b.example.com"),
    "remove-a": MergeStep(("a.example.com",), [HTTPS_SERVER, {"port": HTTP, "hosts": ["a.example.com", "b.example.com"]}],
                          bound="b.example.com", state="absent"),
    "remove-b-while-bound": MergeStep(("b.example.com",), [HTTPS_SERVER, HTTP_B], bound="b.example.com", state="absent"),
    "remove-b": MergeStep(("b.example.com",), [HTTPS_SERVER, HTTP_B], state="absent"),
}
# The collection creates the Gateway for A; B binds to it with the same host "*"; A leaves, then B.
OWNED_STEPS = {
    "create-for-a": MergeStep(("*",)),
    "owned-remove-a": MergeStep(("*",), [STAR], owned=True, bound="*", state="absent"),
    "owned-remove-b": MergeStep(("*",), [STAR], owned=True, state="absent"),
    "owned-remove-again": MergeStep(("*",), state="absent"),
}


@pytest.fixture(scope="module")
def merges(cluster, run_playbook):
    """Every merge step in one playbook, each first in check mode; each step's Gateway (and the VirtualService bound
    to it) is stored directly beforehand, not left by an earlier step."""
    cluster.ensure_namespace(NAMESPACE)
    steps = {**FOREIGN_STEPS, **OWNED_STEPS}
    for name, step in steps.items():
        cluster.api("DELETE", gateway_path(name))
        cluster.api("DELETE", "%s/vs-%s" % (VIRTUAL_SERVICES, name))
        if step.before is not None:
            cluster.seed(GATEWAYS, gateway_object(name, step.before, OWNER if step.owned else None))
        if step.bound:  # named bare on a foreign Gateway, with its namespace on an owned one: both forms count
            bind_virtual_service(cluster, "vs-" + name, "%s/%s" % (NAMESPACE, name) if step.owned else name, step.bound)
    run = run_playbook([merge_task(name, name, *step.hosts, state=step.state) for name, step in steps.items()],
                       check_first=True)
    assert run.rc == 0, run.stdout + run.stderr
    return run


def test_merge_adds_a_server_and_keeps_the_foreign_https_server(merges, cluster):
    added = cluster.expect_step(merges, "add-a", "updated", [("GET", gateway_path("add-a")), ("PUT", gateway_path("add-a"))])
    assert added.result["result"]["spec"]["servers"] == [HTTPS_SERVER, {"port": HTTP, "hosts": ["a.example.com"]}]
    assert "labels" not in added.result["result"]["metadata"]  # not the collection's: no ownership label
    cluster.expect_step(merges, "add-a-again", "unchanged", [("GET", gateway_path("add-a-again"))])
    added = cluster.expect_step(merges, "add-b", "updated", [("GET", gateway_path("add-b")), ("PUT", gateway_path("add-b"))])
    assert added.result["diff"]["after"]["spec"]["servers"][1] == {"port": HTTP, "hosts": ["a.example.com", "b.example.com"]}


def test_removal_takes_only_the_tasks_hosts_and_never_deletes_a_foreign_gateway(merges, cluster):
    result = expect_removal(merges, cluster, "remove-a", "updated", "PUT")
    assert result["result"]["spec"]["servers"] == [HTTPS_SERVER, {"port": HTTP, "hosts": ["b.example.com"]}]
    kept = merges.task("remove-b-while-bound")
    kept.expect(False, "unchanged")  # B's VirtualService still serves b.example.com through it
    cluster.expect_requests(kept, [("GET", gateway_path("remove-b-while-bound")), ("GET", ALL_VIRTUAL_SERVICES)])
    result = expect_removal(merges, cluster, "remove-b", "updated", "PUT")
    assert result["result"]["spec"]["servers"] == [HTTPS_SERVER]
    assert cluster.get(gateway_path("remove-b"))["spec"]["servers"] == [HTTPS_SERVER]


def test_created_gateway_carries_the_ownership_label(merges, cluster):
    item = gateway_path("create-for-a")
    created = cluster.expect_step(merges, "create-for-a", "created", [("GET", item), ("POST", GATEWAYS)])
    assert created.result["result"]["metadata"]["labels"] == OWNER
    assert created.result["diff"]["after"]["metadata"]["labels"] == OWNER


def test_owned_gateway_keeps_a_host_still_bound_then_is_deleted_when_unreferenced(merges, cluster):
    kept = merges.task("owned-remove-a")
    kept.expect(False, "unchanged")  # B's VirtualService still serves "*" through it
    cluster.expect_requests(kept, [("GET", gateway_path("owned-remove-a")), ("GET", ALL_VIRTUAL_SERVICES)])
    result = expect_removal(merges, cluster, "owned-remove-b", "deleted", "DELETE")
    assert result["diff"]["after"] == {} and result["diff"]["before"]["metadata"]["labels"] == OWNER
    cluster.expect_step(merges, "owned-remove-again", "unchanged", [("GET", gateway_path("owned-remove-again"))])
    assert cluster.get(gateway_path("owned-remove-b")) is None


def test_merge_refuses_another_selector_or_server_settings_after_one_get(cluster, run_playbook):
    cluster.ensure_namespace(NAMESPACE)
    item = GATEWAYS + "/strict-gateway"
    assert cluster.api("POST", GATEWAYS, gateway_object("strict-gateway", [{"port": HTTP, "hosts": ["x.example.com"]}]))[0] == 201
    redirect = copy.deepcopy(merge_task("other tls", "strict-gateway", "y.example.com"))
    redirect["meshsmith.istio.gateway"]["servers"][0]["tls"] = {"httpsRedirect": True}
    run = run_playbook([merge_task("other selector", "strict-gateway", "y.example.com", selector={"istio": "other"}), redirect])
    selector, tls = run.task("other selector"), run.task("other tls")
    assert selector.status == tls.status == "failed"
    assert selector.result["msg"].startswith("selector: Gateway %s/strict-gateway selects" % NAMESPACE)
    assert tls.result["msg"].startswith("servers[0]: the server of port 80 (http) on Gateway")
    assert "differs in tls" in tls.result["msg"]
    for task in (selector, tls):
        cluster.expect_requests(task, [("GET", item)])
    assert cluster.get(item)["spec"]["servers"] == [{"port": HTTP, "hosts": ["x.example.com"]}]


def test_absent_in_merge_mode_needs_the_servers_before_any_request(cluster, run_playbook):
    run = run_playbook([{"name": "no servers", "ignore_errors": True, "meshsmith.istio.gateway": {
        "name": "any", "namespace": NAMESPACE, "servers_mode": "merge", "state": "absent"}}])
    task = run.task("no servers")
    assert task.status == "failed"
    assert task.result["msg"].startswith("servers: state=absent with servers_mode=merge needs the servers")
    cluster.expect_requests(task, [])


# --- playbooks/expose.yml and teardown.yml for two applications -------------------------------------------

SHARED = "/apis/networking.istio.io/v1/namespaces/istio-system/gateways/default-gateway"
APPS = {"A": ("proxy", "a.example.com"), "B": ("shop", "b.example.com")}


def add_application_shop(cluster: ChainCluster) -> None:
    """App B: a Deployment and a LoadBalancer Service ``default/shop``, like the seed's ``proxy``."""
    labels = {"app": "shop"}
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "shop", "namespace": "default"},
                  "spec": {"replicas": 1, "selector": {"matchLabels": labels}, "template": {
                      "metadata": {"labels": labels},
                      "spec": {"containers": [{"name": "shop", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}]}}}}
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "shop", "namespace": "default"},
               "spec": {"type": "LoadBalancer", "selector": labels, "ports": [{"name": "http", "port": 80}]}}
    for path, body in (("/apis/apps/v1/namespaces/default/deployments", deployment),
                       ("/api/v1/namespaces/default/services", service)):
        status, answer = cluster.sim.api("POST", path, body)
        assert status == 201, answer


def install_istio(cluster: ChainCluster, tmp: Path) -> None:
    playbook = tmp / "install.yml"
    playbook.write_text(yaml.safe_dump([{"hosts": "localhost", "connection": "local", "gather_facts": False, "roles": [
        {"role": "meshsmith.istio.istio_install",
         "vars": {"istio_install_%s_chart_ref" % chart: str(cluster.charts / chart) for chart in ("base", "istiod", "gateway")}}]}]))
    run = cluster.run(str(playbook))
    assert run.rc == 0, run.stdout


def play(cluster: ChainCluster, playbook: str, app: str) -> Run:
    """expose.yml or teardown.yml for application ``app`` (A or B)."""
    service, host = APPS[app]
    return cluster.run("playbooks/%s.yml" % playbook, "istio_charts_dir=%s" % cluster.charts, "app_service=%s" % service,
                       '{"ingress_hosts": ["%s"]}' % host)


def step(cluster: ChainCluster, playbook: str, app: str) -> Run:
    """``play``, which must succeed."""
    run = play(cluster, playbook, app)
    assert run.rc == 0, "%s.yml for %s failed:\n%s" % (playbook, app, run.stdout)
    return run


def routes(check, cluster: ChainCluster) -> dict:
    """For each app's host, the Service route_check finds behind the ingress gateway (None: no route)."""
    kubeconfig = str(cluster.sim.kubeconfig)
    run = check([{"name": app, "meshsmith.istio.route_check": {"url": "http://%s/" % host, "fail_on": "never",
                                                                 "kubeconfig": kubeconfig}}
                 for app, (_service, host) in APPS.items()])
    found = {}
    for app in APPS:
        task = run.task(app)
        assert task.status == "ok", task.result.get("msg")
        route = task.result["route"]
        found[app] = route and route["destinations"][0]["service_name"]
    return found


@pytest.fixture(scope="module")
def foreign_chain(tmp_path_factory: pytest.TempPathFactory, istio_crds_dir: Path, attach_kubesim) -> Iterator[Chain]:
    """Another team's ``istio-system/default-gateway`` (HTTPS server, no ownership label): expose A, expose B,
    teardown A, teardown B, with the run, the routes of both hosts and the Gateway after each step, as long as the
    steps succeed."""
    tmp = tmp_path_factory.mktemp("shared-foreign")
    with fresh_chain_cluster(tmp, istio_crds_dir) as cluster:
        install_istio(cluster, tmp)
        add_application_shop(cluster)
        team_gateway = {"apiVersion": "networking.istio.io/v1", "kind": "Gateway",
                        "metadata": {"name": "default-gateway", "namespace": "istio-system"},
                        "spec": {"selector": {"istio": "ingressgateway"}, "servers": [HTTPS_SERVER]}}
        assert cluster.sim.api("POST", SHARED.rsplit("/", 1)[0], team_gateway)[0] == 201
        check = attach_kubesim(cluster.sim)[1]
        after = Chain()
        for name, playbook, app in CHAIN_STEPS:
            if after.runs():
                run = play(cluster, playbook, app)
                after.add(name, (run, routes(check, cluster), cluster.get(SHARED)), run.rc == 0)
        yield after


CHAIN_STEPS = (("expose A", "expose", "A"), ("expose B", "expose", "B"),
               ("teardown A", "teardown", "A"), ("teardown B", "teardown", "B"))


@pytest.mark.parametrize("name", [name for name, _playbook, _app in CHAIN_STEPS])
def test_each_step_of_the_chain_succeeds(foreign_chain, name):
    run = foreign_chain.step(name)[0]
    assert run.rc == 0, run.stdout


def test_each_app_keeps_its_route_until_its_own_teardown(foreign_chain):
    assert foreign_chain.step("expose A")[1] == {"A": "proxy", "B": None}
    assert foreign_chain.step("expose B")[1] == {"A": "proxy", "B": "shop"}
    assert foreign_chain.step("teardown A")[1] == {"A": None, "B": "shop"}
    assert foreign_chain.step("teardown B")[1] == {"A": None, "B": None}


def test_the_foreign_gateway_keeps_its_https_server_and_is_never_deleted(foreign_chain):
    http_server = {"port": HTTP}
    expected = {
        "expose A": [HTTPS_SERVER, dict(http_server, hosts=["a.example.com"])],
        "expose B": [HTTPS_SERVER, dict(http_server, hosts=["a.example.com", "b.example.com"])],
        "teardown A": [HTTPS_SERVER, dict(http_server, hosts=["b.example.com"])],
        "teardown B": [HTTPS_SERVER],
    }
    for name, servers in expected.items():
        gateway = foreign_chain.step(name)[2]
        assert gateway is not None, name
        assert gateway["spec"]["servers"] == servers, name
        assert "labels" not in gateway["metadata"], name


def test_a_gateway_expose_created_is_deleted_after_the_last_teardown_only(tmp_path: Path, istio_crds_dir: Path):
    with fresh_chain_cluster(tmp_path, istio_crds_dir) as cluster:
        add_application_shop(cluster)
        step(cluster, "expose", "A")
        created = cluster.get(SHARED)
        step(cluster, "expose", "B")
        step(cluster, "teardown", "A")
        after_a = cluster.get(SHARED)
        last = step(cluster, "teardown", "B")
        after_b = cluster.get(SHARED)
    assert created["metadata"]["labels"] == OWNER
    assert after_a["spec"]["servers"] == [{"port": HTTP, "hosts": ["b.example.com"]}]
    assert after_b is None
    assert "DELETE %s" % SHARED in last.writes
