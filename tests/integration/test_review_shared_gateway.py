"""Taking hosts off a shared Gateway that does not hold them: one GET, no cluster-wide LIST, nothing written.

A re-run of teardown.yml for an application already gone (on a Gateway another team created) must cost what every
other no-op costs.
"""

from __future__ import annotations

from test_shared_gateway import GATEWAYS, HTTP, HTTPS_SERVER, gateway_object, merge_task


def test_removing_hosts_a_foreign_gateway_lacks_is_one_get(cluster, run_playbook):
    cluster.ensure_namespace("shared-gw")
    item = GATEWAYS + "/review-team-gateway"
    servers = [HTTPS_SERVER, {"port": HTTP, "hosts": ["x.example.com"]}]
    assert cluster.api("POST", GATEWAYS, gateway_object("review-team-gateway", servers))[0] == 201
    run = run_playbook([merge_task("remove a host it lacks", "review-team-gateway", "gone.example.com",
                                   state="absent")], check_first=True)
    assert run.rc == 0, run.stdout + run.stderr
    cluster.expect_step(run, "remove a host it lacks", "unchanged", [("GET", item)])
    assert cluster.get(item)["spec"]["servers"] == servers
