"""A canary through subsets (shared harness: session kubesim, or the cluster of KUBECONFIG): with its DestinationRule
route_check finds the route and the service_type_switch role switches; without it route_check reports IST0101 for
each subset and the role refuses, writing nothing to the Service."""

from __future__ import annotations

NAMESPACE = "e2-canary"
HOST = "canary.example.com"
INGRESS = {"istio": "e2-canary-ingress"}
SERVICES = f"/api/v1/namespaces/{NAMESPACE}/services"
DESTINATION_RULES = f"/apis/networking.istio.io/v1/namespaces/{NAMESPACE}/destinationrules"
OBJECTS = [
    ("/apis/apps/v1/namespaces/%s/deployments" % NAMESPACE,
     {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "ingress", "namespace": NAMESPACE},
      "spec": {"selector": {"matchLabels": INGRESS}, "template": {
          "metadata": {"labels": INGRESS}, "spec": {"containers": [{"name": "istio-proxy", "image": "proxyv2"}]}}}}),
    (SERVICES, {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "ingress", "namespace": NAMESPACE},
                "spec": {"selector": INGRESS, "ports": [{"name": "http2", "port": 80, "targetPort": 8080}]}}),
    (SERVICES, {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": NAMESPACE},
                "spec": {"type": "LoadBalancer", "selector": {"app": "web"},
                         "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}}),
    (f"/apis/networking.istio.io/v1/namespaces/{NAMESPACE}/gateways",
     {"apiVersion": "networking.istio.io/v1", "kind": "Gateway", "metadata": {"name": "canary", "namespace": NAMESPACE},
      "spec": {"selector": INGRESS, "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"},
                                                 "hosts": [HOST]}]}}),
    (f"/apis/networking.istio.io/v1/namespaces/{NAMESPACE}/virtualservices",
     {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": {"name": "web", "namespace": NAMESPACE},
      "spec": {"hosts": [HOST], "gateways": ["canary"], "http": [{"route": [
          {"destination": {"host": "web", "subset": "v1"}, "weight": 90},
          {"destination": {"host": "web", "subset": "v2"}, "weight": 10}]}]}}),
]
DESTINATION_RULE = {"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule",
                    "metadata": {"name": "web", "namespace": NAMESPACE},
                    "spec": {"host": "web", "subsets": [{"name": "v1", "labels": {"version": "v1"}},
                                                        {"name": "v2", "labels": {"version": "v2"}}]}}
TASKS = [
    {"name": "Check the canary route", "register": "canary", "meshsmith.istio.route_check": {
        "request_host": HOST, "gateway_selector": INGRESS, "namespaces": [NAMESPACE], "fail_on": "never"}},
    {"name": "Switch", "block": [
        {"name": "Run the role", "ansible.builtin.include_role": {"name": "meshsmith.istio.service_type_switch"},
         "vars": {"service_type_switch_services": [{"name": "web", "namespace": NAMESPACE}]}},
        {"name": "Record", "ansible.builtin.set_fact": {"outcome": "switched"}},
    ], "rescue": [{"name": "Record the refusal", "ansible.builtin.set_fact": {"outcome": "{{ ansible_failed_result.msg }}"}}]},
    {"name": "Report", "ansible.builtin.debug": {"var": "outcome"}},
]


def test_canary_subsets_route_with_their_destination_rule_and_not_without(cluster, run_playbook) -> None:
    cluster.ensure_namespace(NAMESPACE)
    for path, body in OBJECTS + [(DESTINATION_RULES, DESTINATION_RULE)]:
        cluster.api("DELETE", "%s/%s" % (path, body["metadata"]["name"]))
    for path, body in OBJECTS:
        cluster.api("POST", path, body)

    without = run_playbook(TASKS, diff=False)

    assert without.rc == 0, without.stdout[-4000:] + without.stderr
    checked = without.task("Check the canary route").result
    assert [(f["code"], f["field"], f["message"]) for f in checked["findings"]] == [
        ("IST0101", "http[0].route[%d].destination" % index,
         'Referenced host+subset in destinationrule not found: "web+%s"' % subset)
        for index, subset in enumerate(("v1", "v2"))]
    assert {"namespace": NAMESPACE, "name": "web", "port": 80} not in checked["routed_services"]
    assert without.task("Report").result["outcome"].startswith(
        f"Refusing to switch Service {NAMESPACE}/web to ClusterIP: no VirtualService bound to an existing Gateway "
        "routes to it yet (a route only through a subset that no DestinationRule defines does not count)")
    assert cluster.get(f"{SERVICES}/web")["spec"]["type"] == "LoadBalancer"
    if cluster.is_kubesim:
        assert not [call for task in without.tasks for call in task.calls() if call[0] not in ("GET", "LIST")
                    and "dryRun=All" not in call[1]], "nothing is written without the DestinationRule"

    cluster.api("POST", DESTINATION_RULES, DESTINATION_RULE)
    with_rule = run_playbook(TASKS, diff=False)

    assert with_rule.rc == 0, with_rule.stdout[-4000:] + with_rule.stderr
    checked = with_rule.task("Check the canary route").result
    assert checked["findings"] == []
    assert checked["summary"] == (
        f"http://{HOST}/ → Gateway {NAMESPACE}/canary → VirtualService {NAMESPACE}/web http[0] → "
        f"Service {NAMESPACE}/web:80 subset v1 (weight 90) + Service {NAMESPACE}/web:80 subset v2 (weight 10)")
    assert {"namespace": NAMESPACE, "name": "web", "port": 80} in checked["routed_services"]
    assert with_rule.task("Report").result["outcome"] == "switched"
    assert cluster.get(f"{SERVICES}/web")["spec"]["type"] == "ClusterIP"
