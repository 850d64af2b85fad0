"""The service_type_switch role's safety check (shared harness: session kubesim, or the cluster of KUBECONFIG).

One playbook walks two Services through the cases a user meets; each refusal is captured with block/rescue, and
the request log proves that nothing was written to the Service before a real gateway route existed.
"""

from __future__ import annotations

NAMESPACE = "e2-roles"
SERVICES = f"/api/v1/namespaces/{NAMESPACE}/services"
GATEWAYS = f"/apis/networking.istio.io/v1/namespaces/{NAMESPACE}/gateways"
VIRTUAL_SERVICES = f"/apis/networking.istio.io/v1/namespaces/{NAMESPACE}/virtualservices"


def load_balancer_service(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": NAMESPACE},
            "spec": {"type": "LoadBalancer", "selector": {"app": name}, "externalTrafficPolicy": "Local",
                     "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}}


def switch(label: str, service: dict) -> dict:
    """A block running the role for one Service; the outcome (``switched`` or the failure text) lands in ``outcomes``."""
    record = "{{ outcomes | combine({%r: %s}) }}"
    return {
        "name": label,
        "block": [
            {"name": f"Run the role ({label})", "ansible.builtin.include_role": {"name": "meshsmith.istio.service_type_switch"},
             "vars": {"service_type_switch_services": [{"namespace": NAMESPACE, **service}]}},
            {"name": f"Record success ({label})", "ansible.builtin.set_fact": {"outcomes": record % (label, "'switched'")}},
        ],
        "rescue": [
            {"name": f"Record the refusal ({label})",
             "ansible.builtin.set_fact": {"outcomes": record % (label, "ansible_failed_result.msg")}},
        ],
    }


def route(gateway_ref: str) -> dict:
    return {"name": f"Route web through {gateway_ref}", "meshsmith.istio.virtual_service": {
        "name": "web", "namespace": NAMESPACE, "hosts": ["web.example.com"], "gateways": [gateway_ref],
        "http": [{"route": [{"destination": {"host": f"web.{NAMESPACE}.svc.cluster.local", "port": {"number": 80}}}]}]}}


TASKS = [
    {"name": "Start", "ansible.builtin.set_fact": {"outcomes": {}}},
    switch("no route", {"name": "web"}),
    route("missing-gateway"),
    switch("route bound to a missing Gateway", {"name": "web"}),
    {"name": "Create the Gateway the route names", "meshsmith.istio.gateway": {
        "name": "missing-gateway", "namespace": NAMESPACE, "selector": {"istio": "ingressgateway"},
        "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}]}},
    switch("routed", {"name": "web"}),
    {"name": "Remove the route", "meshsmith.istio.virtual_service": {"name": "web", "namespace": NAMESPACE, "state": "absent"}},
    switch("already switched, route gone", {"name": "web"}),
    switch("forced", {"name": "legacy", "force": True}),
    {"name": "Report", "ansible.builtin.debug": {"var": "outcomes"}},
]


def test_service_type_switch_refuses_until_a_gateway_route_exists(cluster, run_playbook) -> None:
    cluster.ensure_namespace(NAMESPACE)
    for path in (f"{VIRTUAL_SERVICES}/web", f"{GATEWAYS}/missing-gateway", f"{SERVICES}/web", f"{SERVICES}/legacy"):
        cluster.api("DELETE", path)
    for name in ("web", "legacy"):
        cluster.api("POST", SERVICES, load_balancer_service(name))

    run = run_playbook(TASKS, diff=False)

    assert run.rc == 0, run.stdout[-4000:] + run.stderr
    outcomes = run.task("Report").result["outcomes"]
    refusal = (f"Refusing to switch Service {NAMESPACE}/web to ClusterIP: no VirtualService bound to an existing "
               "Gateway routes to it yet")
    assert outcomes["no route"].startswith(refusal)
    assert "force: true" in outcomes["no route"]
    assert outcomes["route bound to a missing Gateway"].startswith(refusal)
    assert outcomes["routed"] == "switched"
    assert outcomes["already switched, route gone"] == "switched"
    assert outcomes["forced"] == "switched"
    for name in ("web", "legacy"):
        assert cluster.get(f"{SERVICES}/{name}")["spec"]["type"] == "ClusterIP"

    if cluster.is_kubesim:
        writes = [call for task in run.tasks for call in task.calls() if call[0] in {"POST", "PUT", "PATCH", "DELETE"}]
        web = ("PUT", f"{SERVICES}/web")
        assert [call for call in writes if call[1] == web[1]] == [web], "the Service is written once, when routed"
        assert writes.index(web) > writes.index(("POST", GATEWAYS)), "and only after the Gateway exists"
