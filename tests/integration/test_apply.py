# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""meshsmith.istio.apply on kubesim: input forms, validation before any write, request budget, update semantics,
check mode and diff, prune, per-object failures and 409s under load. Namespaces ``apply-*``."""

from __future__ import annotations

import pytest
import yaml

ISTIO = "/apis/networking.istio.io/v1"
ROUTE = [{"route": [{"destination": {"host": "proxy", "port": {"number": 80}}}]}]
WRITES = ("POST", "PUT", "PATCH", "DELETE")


def path(namespace: str, plural: str, name: str = "") -> str:
    return "%s/namespaces/%s/%s%s" % (ISTIO, namespace, plural, "/" + name if name else "")


def gateway(name: str, namespace: str, host: str = "*", **metadata) -> dict:
    return {"apiVersion": "networking.istio.io/v1", "kind": "Gateway",
            "metadata": dict(metadata, name=name, namespace=namespace),
            "spec": {"selector": {"istio": "ingressgateway"},
                     "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": [host]}]}}


def virtual_service(name: str, namespace: str, host: str = "a.example.com", **metadata) -> dict:
    return {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
            "metadata": dict(metadata, name=name, namespace=namespace),
            "spec": {"hosts": [host], "gateways": ["istio-system/default-gateway"], "http": ROUTE}}


def destination_rule(name: str, namespace: str) -> dict:
    return {"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule",
            "metadata": {"name": name, "namespace": namespace},
            "spec": {"host": "proxy", "trafficPolicy": {"tls": {"mode": "ISTIO_MUTUAL"}}}}


def apply_task(label: str, **options) -> dict:
    return {"name": label, "meshsmith.istio.apply": options, "ignore_errors": True}


def writes(task) -> list:
    return [(method, call) for method, call in task.calls() if method in WRITES]


def labels_of(cluster, object_path: str) -> dict:
    return cluster.get(object_path)["metadata"].get("labels") or {}


@pytest.fixture(autouse=True)
def kubesim_only(cluster):
    if not cluster.is_kubesim:
        pytest.skip("request counts and fault injection need kubesim")
    cluster.kubesim.clear_faults()
    yield
    cluster.kubesim.clear_faults()


def test_each_definition_form_creates_then_a_rerun_is_one_list_per_kind(cluster, run_playbook):
    namespace = "apply-forms"
    cluster.ensure_namespace(namespace)
    text = yaml.safe_dump_all([gateway("gw", namespace), virtual_service("vs", namespace)])
    run = run_playbook([
        apply_task("yaml text", definition=text),
        apply_task("one mapping", definition=destination_rule("dr", namespace)),
        apply_task("a list, documents without namespace", namespace=namespace,
                   definition=[virtual_service("listed-%d" % index, None, "l%d.example.com" % index)
                               for index in range(2)]),
        apply_task("yaml text again", definition=text),
    ])
    created = run.task("yaml text")
    assert created.status == "ok", created.result.get("msg")
    assert [(entry["kind"], entry["name"], entry["action"]) for entry in created.result["objects"]] == [
        ("Gateway", "gw", "created"), ("VirtualService", "vs", "created")]
    assert created.result["counts"] == {"created": 2, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0}
    assert sorted(writes(created)) == [("POST", path(namespace, "gateways")), ("POST", path(namespace, "virtualservices"))]
    assert run.task("one mapping").result["objects"][0]["action"] == "created"
    assert cluster.get(path(namespace, "destinationrules", "dr"))["spec"]["trafficPolicy"]["tls"]["mode"] == "ISTIO_MUTUAL"
    listed = run.task("a list, documents without namespace")
    assert listed.result["counts"]["created"] == 2
    assert cluster.get(path(namespace, "virtualservices", "listed-1"))["spec"]["hosts"] == ["l1.example.com"]

    again = run.task("yaml text again")
    assert (again.status, again.result["changed"]) == ("ok", False)
    assert again.result["counts"]["unchanged"] == 2
    assert again.calls() == [("GET", ISTIO), ("GET", path(namespace, "gateways")),
                             ("GET", path(namespace, "virtualservices"))], "discovery, then one LIST per kind, no write"


def test_istiod_warnings_of_the_documents_reach_the_task_result(cluster, run_playbook):
    namespace = "apply-warnings"
    cluster.ensure_namespace(namespace)
    rule = destination_rule("dr", namespace)
    rule["spec"]["workloadSelector"] = {"matchLabels": {}}
    task = run_playbook([apply_task("warned", definition=[rule])]).task("warned")
    assert task.status == "ok", task.result.get("msg")
    assert any("document 1 (DestinationRule apply-warnings/dr) spec.workloadSelector" in warning and
               "selects every workload" in warning for warning in task.result.get("warnings", [])), task.result


def test_src_directory_and_template_with_variables(cluster, run_playbook, tmp_path):
    namespace = "apply-files"
    cluster.ensure_namespace(namespace)
    manifests = tmp_path / "manifests"
    manifests.mkdir()
    (manifests / "a-gateway.yaml").write_text(yaml.safe_dump(gateway("gw", namespace)))
    (manifests / "b-routes.yml").write_text(yaml.safe_dump_all(
        [virtual_service("one", namespace, "one.example.com"), virtual_service("two", namespace, "two.example.com")]))
    (manifests / "notes.txt").write_text("not a manifest")
    template = tmp_path / "routes.yaml.j2"
    template.write_text("{% for team in teams %}\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\n"
                        "metadata: {name: '{{ team }}', namespace: " + namespace + "}\n"
                        "spec:\n  hosts: ['{{ team }}.{{ domain }}']\n  http:\n"
                        "    - route: [{destination: {host: '{{ team }}'}}]\n{% endfor %}\n")
    run = run_playbook([
        apply_task("src directory", src=str(manifests)),
        apply_task("one src file", src=str(manifests / "a-gateway.yaml")),
        dict(apply_task("template", template=str(template)), vars={"teams": ["red", "blue"], "domain": "shop.test"}),
    ])
    directory = run.task("src directory")
    assert directory.status == "ok", directory.result.get("msg")
    assert [entry["name"] for entry in directory.result["objects"]] == ["gw", "one", "two"]
    assert run.task("one src file").result["counts"]["unchanged"] == 1
    rendered = run.task("template")
    assert rendered.status == "ok", rendered.result.get("msg")
    assert rendered.result["counts"]["created"] == 2
    assert cluster.get(path(namespace, "virtualservices", "blue"))["spec"]["hosts"] == ["blue.shop.test"]


def test_a_bad_document_fails_the_set_before_any_request_naming_document_and_field(cluster, run_playbook):
    namespace = "apply-invalid"
    bad_gateway = gateway("gw", namespace)
    bad_gateway["spec"]["servers"][0]["port"]["protocol"] = "SMTP"
    bad_route = virtual_service("vs", namespace)
    bad_route["spec"]["http"] = [{"route": ROUTE[0]["route"], "redirect": {"uri": "/x"}}]
    run = run_playbook([apply_task("bad", definition=[
        virtual_service("fine", namespace), bad_gateway, bad_route,
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "Web"}}])])
    task = run.task("bad")
    assert task.status == "failed"
    assert task.calls() == [], "nothing is sent, not even the discovery"
    options = [error["option"] for error in task.result["errors"]]
    assert "document 2 (Gateway apply-invalid/gw) spec.servers[0].port.protocol" in options
    assert any(option.startswith("document 3 (VirtualService apply-invalid/vs) spec.http[0]") for option in options)
    assert "document 4 (Deployment default/Web) apiVersion" in options
    assert "document 4 (Deployment default/Web) metadata.name" in options
    assert not any(option.startswith("document 1 ") for option in options)
    assert "document 2 (Gateway apply-invalid/gw) spec.servers[0].port.protocol" in task.result["msg"]


def test_an_unserved_kind_fails_before_any_write(cluster, run_playbook):
    document = dict(virtual_service("vs", "apply-unserved"), kind="Telescope")
    task = run_playbook([apply_task("unserved", definition=[virtual_service("ok", "apply-unserved"), document])]) \
        .task("unserved")
    assert task.status == "failed"
    assert "document 2 (Telescope apply-unserved/vs): the cluster serves no Telescope at networking.istio.io/v1" \
        in task.result["msg"]
    assert writes(task) == [] and task.calls() == [("GET", ISTIO)]


def test_update_keeps_foreign_metadata_and_fields_with_check_mode_and_diff(cluster, run_playbook):
    namespace = "apply-update"
    cluster.ensure_namespace(namespace)
    seeded = virtual_service("vs", namespace, labels={"team": "core"}, annotations={"example.com/owner": "ops"})
    cluster.api("POST", path(namespace, "virtualservices"), seeded)
    wanted = virtual_service("vs", namespace, "b.example.com", labels={"tier": "web"})
    run = run_playbook([apply_task("update", definition=wanted, apply_set="web")], check_first=True)
    checked, applied = run.task("update (check)"), run.task("update")
    for task in (checked, applied):
        assert task.status == "ok", task.result.get("msg")
        assert task.result["objects"][0]["action"] == "updated"
        diff = task.result["objects"][0]["diff"]
        assert diff["before"]["spec"]["hosts"] == ["a.example.com"] and diff["after"]["spec"]["hosts"] == ["b.example.com"]
    assert writes(checked) == [("PUT", path(namespace, "virtualservices", "vs") + "?dryRun=All")]
    assert checked.result["diff"] == applied.result["diff"]
    assert applied.result["diff"][0]["before_header"] == "VirtualService apply-update/vs"
    stored = cluster.get(path(namespace, "virtualservices", "vs"))
    assert stored["metadata"]["labels"] == {"team": "core", "tier": "web", "meshsmith.istio/apply-set": "web"}
    assert stored["metadata"]["annotations"] == {"example.com/owner": "ops"}
    assert stored["spec"]["hosts"] == ["b.example.com"]


def test_prune_deletes_only_owned_objects_no_longer_declared(cluster, run_playbook):
    namespace = "apply-prune"
    cluster.ensure_namespace(namespace)
    other = "apply-prune-other"
    cluster.ensure_namespace(other)
    cluster.api("POST", path(namespace, "virtualservices"), virtual_service("unlabelled", namespace))
    cluster.api("POST", path(other, "virtualservices"),
                virtual_service("other-set", other, labels={"meshsmith.istio/apply-set": "someone-else"}))
    full = [virtual_service("keep", namespace), virtual_service("drop", namespace), destination_rule("drop-dr", namespace),
            virtual_service("elsewhere", other)]
    first = run_playbook([apply_task("full set", definition=full, apply_set="shop", prune=True)]).task("full set")
    assert first.result["counts"]["created"] == 4, first.result.get("msg")

    kept = [full[0]]
    run = run_playbook([apply_task("shrink", definition=kept, apply_set="shop", prune=True)], check_first=True)
    checked, pruned = run.task("shrink (check)"), run.task("shrink")
    for task in (checked, pruned):
        assert task.status == "ok", task.result.get("msg")
        assert task.result["counts"] == {"created": 0, "updated": 0, "unchanged": 1, "deleted": 3, "failed": 0}
        assert sorted(header["before_header"] for header in task.result["diff"]) == [
            "DestinationRule apply-prune/drop-dr", "VirtualService apply-prune-other/elsewhere",
            "VirtualService apply-prune/drop"]
        assert all(diff["after"] == {} for diff in task.result["diff"])
    assert sorted(writes(checked)) == sorted((method, call + "?dryRun=All") for method, call in writes(pruned))
    assert sorted(writes(pruned)) == sorted([("DELETE", path(namespace, "destinationrules", "drop-dr")),
                                             ("DELETE", path(namespace, "virtualservices", "drop")),
                                             ("DELETE", path(other, "virtualservices", "elsewhere"))])
    lists = [call for method, call in pruned.calls() if method == "GET" and call != ISTIO]
    assert len(lists) == len(set(lists)) and all("/namespaces/" not in call for call in lists), \
        "one cluster-wide LIST per kind"
    assert cluster.get(path(namespace, "virtualservices", "keep"))
    assert cluster.get(path(namespace, "virtualservices", "unlabelled")), "objects without the label are never pruned"
    assert cluster.get(path(other, "virtualservices", "other-set")), "another set's objects are never pruned"
    assert cluster.get(path(namespace, "virtualservices", "drop")) is None
    assert cluster.get(path(namespace, "destinationrules", "drop-dr")) is None


def test_state_absent_deletes_the_declared_objects(cluster, run_playbook):
    namespace = "apply-absent"
    cluster.ensure_namespace(namespace)
    cluster.api("POST", path(namespace, "virtualservices"), virtual_service("vs", namespace))
    documents = [virtual_service("vs", namespace), virtual_service("never-created", namespace)]
    task = run_playbook([apply_task("absent", definition=documents, state="absent")]).task("absent")
    assert task.status == "ok", task.result.get("msg")
    assert [entry["action"] for entry in task.result["objects"]] == ["deleted", "unchanged"]
    assert writes(task) == [("DELETE", path(namespace, "virtualservices", "vs"))]


def test_failed_writes_are_reported_per_object_and_prune_is_skipped(cluster, run_playbook):
    namespace = "apply-partial"
    cluster.ensure_namespace(namespace)
    cluster.api("POST", path(namespace, "virtualservices"),
                virtual_service("owned", namespace, labels={"meshsmith.istio/apply-set": "partial"}))
    cluster.kubesim.fault(method="POST", path=path(namespace, "virtualservices") + "$", status=422, count=1)
    documents = [virtual_service("vs-%d" % index, namespace) for index in range(4)] + [
        virtual_service("elsewhere", "apply-partial-missing")]
    task = run_playbook([apply_task("partial", definition=documents, apply_set="partial", prune=True)]).task("partial")
    assert task.status == "failed"
    actions = [entry["action"] for entry in task.result["objects"]]
    assert actions.count("created") == 3 and actions.count("failed") == 2
    failed = {entry["name"]: entry["msg"] for entry in task.result["objects"] if entry["action"] == "failed"}
    assert failed["elsewhere"] == ('Failed to create VirtualService apply-partial-missing/elsewhere: namespace '
                                   '"apply-partial-missing" does not exist (create it first)')
    assert task.result["msg"].startswith("2 of 5 objects failed: ")
    assert "Written in this run: VirtualService apply-partial/vs-" in task.result["msg"]
    assert "Prune skipped (1 objects)" in task.result["msg"]
    assert cluster.get(path(namespace, "virtualservices", "owned")), "no prune after a failed write"


def test_conflicts_under_load_are_reread_per_object(cluster, run_playbook):
    namespace = "apply-conflict"
    cluster.ensure_namespace(namespace)
    names = ["vs-%02d" % index for index in range(30)]
    run_playbook([apply_task("seed", definition=[virtual_service(name, namespace) for name in names])])
    cluster.kubesim.fault(method="PUT", path=path(namespace, "virtualservices") + "/", status=409, count=6)
    task = run_playbook([apply_task("update all", concurrency=16, definition=[
        virtual_service(name, namespace, "b.example.com") for name in names])]).task("update all")
    assert task.status == "ok", task.result.get("msg")
    assert task.result["counts"]["updated"] == 30
    puts = [entry["status"] for entry in task.requests if entry["method"] == "PUT"]
    assert sorted(puts) == [200] * 30 + [409] * 6
    item_gets = [entry for entry in task.requests if entry["method"] == "GET" and "/virtualservices/" in entry["path"]]
    assert len(item_gets) == 6, "each conflict re-reads that object only"
    assert all(cluster.get(path(namespace, "virtualservices", name))["spec"]["hosts"] == ["b.example.com"]
               for name in names)


def test_connection_options_go_to_the_module_under_any_of_their_names(cluster, run_playbook):
    namespace = "apply-connection"
    cluster.ensure_namespace(namespace)
    run = run_playbook([apply_task("aliases", definition=[virtual_service("vs", namespace)], verify_ssl=True,
                                   request_timeout=20),
                        apply_task("bad type", definition=[], request_timeout="soon")])
    assert run.task("aliases").status == "ok", run.task("aliases").result.get("msg")
    assert run.task("aliases").result["counts"]["created"] == 1
    bad = run.task("bad type")
    assert bad.status == "failed" and "request_timeout" in bad.result["msg"] and bad.calls() == []


def test_bad_options_fail_before_any_request(cluster, run_playbook):
    run = run_playbook([
        apply_task("prune without set", definition=[], prune=True),
        apply_task("concurrency", definition=[], concurrency=0),
        apply_task("set name", definition=[], apply_set="not a label!"),
        apply_task("not yaml", definition="kind: [unclosed"),
    ])
    assert "missing: apply_set" in run.task("prune without set").result["msg"]
    assert run.task("concurrency").result["msg"] == "concurrency: must be between 1 and 64, got 0"
    assert run.task("set name").result["msg"].startswith("apply_set: 'not a label!' is not a valid label value")
    assert run.task("not yaml").result["msg"].startswith("definition: not valid YAML")
    assert all(task.status == "failed" and task.calls() == [] for task in run.tasks)
