# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A destination subset no DestinationRule defines is istioctl's IST0101 (DestinationRuleAnalyzer): on istioctl's own
test inputs, on the same cases written out here, and on what istioctl leaves out (mirrors, exportTo, wildcards)."""

from __future__ import annotations

import pytest
import yaml

from ansible_collections.meshsmith.istio.plugins.module_utils.routes import analysis as checks
from ansible_collections.meshsmith.istio.plugins.module_utils.routes.model import Inventory
from ansible_collections.meshsmith.istio.tests.unit.plugins.module_utils.routes import test_route_analysis
from ansible_collections.meshsmith.istio.tests.unit.plugins.module_utils.routes.test_route_analysis import load

testdata = test_route_analysis.testdata  # the shared analyzer test data (fixture), as test_route_analysis finds it

ISTIOCTL_INPUT = "virtualservice_destinationrules.yaml"
# istioctl's expectation for that file (analyzers_test.go, case virtualServiceDestinationRules)
ISTIOCTL_EXPECTED = [("IST0101", "VirtualService default/reviews-bogussubset"),
                     ("IST0101", "VirtualService default/reviews-mirror-bogussubset")]


def destination_rule(host="reviews", namespace="default", subsets=("v1",), name="reviews", export_to=None) -> dict:
    spec = {"host": host, "subsets": [{"name": subset, "labels": {"version": subset}} for subset in subsets]}
    if export_to is not None:
        spec["exportTo"] = list(export_to)
    return {"kind": "DestinationRule", "metadata": {"name": name, "namespace": namespace}, "spec": spec}


def routing(name: str, subset: str, host="reviews", namespace="default", mirror=None, export_to=None) -> dict:
    """A mesh VirtualService routing to ``host`` ``subset`` (and mirroring to ``mirror``: (host, subset))."""
    rule = {"route": [{"destination": {"host": host, "subset": subset}}]}
    if mirror:
        rule["mirror"] = {"host": mirror[0], "subset": mirror[1]}
    spec = {"hosts": ["reviews"], "http": [rule]}
    if export_to is not None:
        spec["exportTo"] = list(export_to)
    return {"kind": "VirtualService", "metadata": {"name": name, "namespace": namespace}, "spec": spec}


def subset_findings(objects: list) -> list:
    return [(f["resource"], f["field"], f["message"])
            for f in checks.check_destination_subsets(Inventory.from_objects(objects))]


def test_reports_what_istioctl_reports_on_its_own_input(testdata):
    if not (testdata / ISTIOCTL_INPUT).is_file():
        pytest.skip("%s is not among the shared analyzer test data (%s)" % (ISTIOCTL_INPUT, testdata))
    found = checks.check_destination_subsets(load(testdata, ISTIOCTL_INPUT))
    assert sorted((f["code"], f["resource"]) for f in found) == sorted(ISTIOCTL_EXPECTED)


# The cases of istioctl's input file, one object each: the base case, a bogus subset, the FQDN form, a mirror, a
# mirror to a bogus subset.
ISTIOCTL_CASES = [
    destination_rule(),
    routing("reviews", "v1"),
    routing("reviews-bogussubset", "bogus"),
    routing("reviews-fqdn", "v1", host="reviews.default.svc.cluster.local"),
    routing("reviews-mirror", "v1", mirror=("reviews", "v1")),
    routing("reviews-mirror-bogussubset", "v1", mirror=("reviews", "bogus")),
]


def test_istioctl_cases_report_the_bogus_subsets_with_host_and_subset():
    assert subset_findings(ISTIOCTL_CASES) == [
        ("VirtualService default/reviews-bogussubset", "http[0].route[0].destination",
         'Referenced host+subset in destinationrule not found: "reviews+bogus"'),
        ("VirtualService default/reviews-mirror-bogussubset", "http[0].mirror",
         'Referenced mirror+subset in destinationrule not found: "reviews+bogus"'),
    ]


def test_every_subset_is_missing_without_the_destination_rule():
    assert [resource for resource, _field, _message in subset_findings(ISTIOCTL_CASES[1:])] == [
        "VirtualService default/%s" % name
        for name in ("reviews", "reviews-bogussubset", "reviews-fqdn", "reviews-mirror", "reviews-mirror",
                     "reviews-mirror-bogussubset", "reviews-mirror-bogussubset")
    ]


def test_findings_of_analyze_carry_istioctl_code_and_severity():
    found = [f for f in checks.analyze(Inventory.from_objects(ISTIOCTL_CASES)) if "in destinationrule" in f["message"]]
    assert len(found) == 2 and {(f["code"], f["severity"]) for f in found} == {("IST0101", "error")}


@pytest.mark.parametrize("objects, missing", [
    # short names resolve in each object's own namespace: a DestinationRule "reviews" in another namespace is
    # another host, while its FQDN form names this one
    ([destination_rule(namespace="other"), routing("vs", "v1")], True),
    ([destination_rule(host="reviews.default.svc.cluster.local", namespace="other"), routing("vs", "v1")], False),
    ([destination_rule(), routing("vs", "v1", namespace="other", host="reviews.default.svc.cluster.local")], False),
    # subsets by name
    ([destination_rule(subsets=("v1", "v2")), routing("vs", "v2")], False),
    ([destination_rule(subsets=("v1",)), destination_rule(name="reviews-v2", subsets=("v2",)), routing("vs", "v2")],
     False),
    # a wildcard host covers the hosts it matches
    ([destination_rule(host="*.default.svc.cluster.local"), routing("vs", "v1")], False),
    ([destination_rule(host="*.example.com"), routing("vs", "v1")], True),
    # exportTo: the DestinationRule must be visible wherever the VirtualService applies
    ([destination_rule(namespace="other", host="reviews.default.svc.cluster.local", export_to=["."]),
      routing("vs", "v1")], True),
    ([destination_rule(export_to=["."]), routing("vs", "v1")], False),
    ([destination_rule(export_to=["."]), routing("vs", "v1", export_to=["default", "shop"])], True),
    ([destination_rule(export_to=["default", "shop"]), routing("vs", "v1", export_to=["default", "shop"])], False),
], ids=["other-namespace-short-name", "other-namespace-fqdn", "fqdn-destination", "second-subset",
        "second-rule", "wildcard", "wildcard-elsewhere", "not-exported", "exported-to-own",
        "vs-exported-further", "both-exported"])
def test_destination_rules_are_found_by_host_subset_name_and_export(objects, missing):
    assert bool(subset_findings(objects)) is missing


def test_mirrors_and_tcp_routes_are_checked_too():
    virtual_service = {"kind": "VirtualService", "metadata": {"name": "vs", "namespace": "default"}, "spec": {
        "hosts": ["reviews"],
        "http": [{"route": [{"destination": {"host": "reviews"}}],
                  "mirrors": [{"destination": {"host": "reviews", "subset": "shadow"}, "percentage": {"value": 5}}]}],
        "tcp": [{"route": [{"destination": {"host": "reviews", "subset": "v9"}}]}],
    }}
    assert subset_findings([destination_rule(), virtual_service]) == [
        ("VirtualService default/vs", "tcp[0].route[0].destination",
         'Referenced host+subset in destinationrule not found: "reviews+v9"'),
        ("VirtualService default/vs", "http[0].mirrors[0].destination",
         'Referenced mirror+subset in destinationrule not found: "reviews+shadow"'),
    ]


def test_inventory_sorts_destination_rules_from_manifests():
    manifests = yaml.safe_load_all(yaml.safe_dump_all(ISTIOCTL_CASES[:2]))
    assert [rule["metadata"]["name"] for rule in Inventory.from_objects(manifests).destination_rules] == ["reviews"]
