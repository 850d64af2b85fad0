# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A read-only user (kubesim ``--user reader:TOKEN:view``, kubeconfig context ``kubesim-reader``): a no-op is one
GET and passes; a change fails with kube-apiserver's 403, naming the user, verb and object; nothing is written.

Check mode with a read-only user: a change is a write the server would refuse, so the truthful answer is the 403.
kube-apiserver authorizes ``dryRun=All`` writes like real ones, so that is what check mode answers once it asks the
server (issue 9 item 6); until then it only reads and predicts ``changed``, which the last test marks as expected
to fail.
"""

from __future__ import annotations

from typing import Iterator

import pytest

pytestmark = pytest.mark.module_logic  # not run on the oldest ansible-core (README, Tests)

NAMESPACE = "rbac"
NAME = "shared"
ITEM = "/apis/networking.istio.io/v1/namespaces/%s/gateways/%s" % (NAMESPACE, NAME)
HTTP_SERVER = {"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}
READER_TOKEN = "reader-token-for-tests"


@pytest.fixture(scope="module")
def reader_cluster(tmp_path_factory, istio_crds_dir, attach_kubesim) -> Iterator[tuple]:
    """A kubesim of its own with a ``view`` user; the Gateway created by the admin through the collection."""
    from kubesim.testing import KubeSim

    with KubeSim(tmp_path_factory.mktemp("kubesim-rbac"), load=[istio_crds_dir],
                 extra_args=["--user", "reader:%s:view" % READER_TOKEN]) as sim:
        other, run = attach_kubesim(sim)
        other.ensure_namespace(NAMESPACE)
        created = run([gateway_task("create", str(sim.kubeconfig), context="kubesim")])
        assert created.rc == 0, created.stdout + created.stderr
        yield sim, other, run


def gateway_task(title: str, kubeconfig: str, context: str = "kubesim-reader", hosts: tuple = ("*",),
                 **task) -> dict:
    options = {"name": NAME, "namespace": NAMESPACE, "selector": {"istio": "ingressgateway"},
               "servers": [{**HTTP_SERVER, "hosts": list(hosts)}], "kubeconfig": kubeconfig, "context": context}
    return {"name": title, "meshsmith.istio.gateway": options, "ignore_errors": True, **task}


def test_read_only_no_op_is_one_get(reader_cluster):
    sim, cluster, run = reader_cluster
    result = run([gateway_task("no-op", str(sim.kubeconfig))])
    task = result.task("no-op")
    task.expect(False, "unchanged")
    cluster.expect_requests(task, [("GET", ITEM)])
    assert [entry["user"] for entry in task.requests] == ["reader"]


def test_read_only_change_fails_with_the_servers_403(reader_cluster):
    sim, cluster, run = reader_cluster
    before = cluster.get(ITEM)
    result = run([gateway_task("change", str(sim.kubeconfig), hosts=("web.example.com",))])
    task = result.task("change")
    assert task.status == "failed"
    message = task.result["msg"]
    assert "403 Forbidden" in message, message
    assert ('gateways.networking.istio.io "%s" is forbidden: User "reader" cannot update resource "gateways" in API '
            'group "networking.istio.io" in the namespace "%s"' % (NAME, NAMESPACE)) in message
    assert "Traceback" not in result.stdout + result.stderr
    assert [method for method, _path in task.calls()] == ["GET", "PUT"]
    assert cluster.get(ITEM)["metadata"]["resourceVersion"] == before["metadata"]["resourceVersion"]


def test_read_only_change_in_check_mode_fails_with_the_403(reader_cluster):
    sim, cluster, run = reader_cluster
    result = run([gateway_task("check", str(sim.kubeconfig), hosts=("web.example.com",))], check=True)
    task = result.task("check")
    assert task.status == "failed" and "403 Forbidden" in task.result["msg"]
    assert all("dryRun=All" in path for method, path in task.calls() if method != "GET")
