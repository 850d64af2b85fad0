# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Regexes Envoy (RE2) refuses, in every regex option of virtual_service: each task fails with a message naming
the option path, without a traceback, and the whole run sends zero API requests (as test_bad_input_matrix.py)."""

from __future__ import annotations

import pytest
from test_bad_input_matrix import VIRTUAL_SERVICE, module, run_matrix

pytestmark = pytest.mark.module_logic  # not run on the oldest ansible-core (README, Tests)

ROUTE = {"route": [{"destination": {"host": "proxy", "port": {"number": 80}}}]}


def matching(**match) -> dict:
    return module("virtual_service", dict(VIRTUAL_SERVICE, http=[dict(ROUTE, match=[match])]))


def with_route(**route) -> dict:
    return module("virtual_service", dict(VIRTUAL_SERVICE, http=[dict(ROUTE, **route)]))


LOOKAHEAD = "^/(?!admin).*"
# (case id, task, text the failure message must contain: the option path)
CASES = [
    ("uri lookahead (istio#56807)", matching(uri={"regex": LOOKAHEAD}), "http[0].match[0].uri.regex: invalid RE2 regex"),
    ("uri lookbehind", matching(uri={"regex": "(?<=/v1)/users"}), "http[0].match[0].uri.regex: "),
    ("uri backreference", matching(uri={"regex": "/(a+)/\\1"}), "http[0].match[0].uri.regex: "),
    ("uri possessive quantifier", matching(uri={"regex": "/a++"}), "http[0].match[0].uri.regex: "),
    ("uri atomic group", matching(uri={"regex": "(?>/api)"}), "http[0].match[0].uri.regex: "),
    ("uri unbalanced bracket", matching(uri={"regex": "/api/[a-z"}), "missing ]"),
    ("uri repetition over 1000", matching(uri={"regex": "a{1001}"}), "invalid repetition size"),
    ("uri longer than 1024", matching(uri={"regex": "a" * 1025}), "max length allowed is 1024"),
    ("uri empty regex", matching(uri={"regex": ""}), "http[0].match[0].uri.regex: regex match should not be empty"),
    ("uri bare star", matching(uri={"regex": "*"}), "no argument for repetition operator"),
    ("scheme lookahead", matching(scheme={"regex": "(?=https)"}), "http[0].match[0].scheme.regex: "),
    ("method conditional", matching(method={"regex": "(?(1)GET|POST)"}), "http[0].match[0].method.regex: "),
    ("authority backreference", matching(authority={"regex": "(www)\\.\\1"}), "http[0].match[0].authority.regex: "),
    ("header lookahead", matching(headers={"x-user": {"regex": "(?!bob).*"}}), "http[0].match[0].headers['x-user'].regex: "),
    ("header star is not a regex", matching(headers={"x-user": {"regex": "*"}}), "http[0].match[0].headers['x-user'].regex: "),
    ("without_headers lookahead", matching(without_headers={"x-debug": {"regex": "(?!0)"}}),
     "http[0].match[0].without_headers['x-debug'].regex: "),
    ("query_params backreference", matching(query_params={"id": {"regex": "(\\d)\\1"}}),
     "http[0].match[0].query_params['id'].regex: "),
    ("uri_regex_rewrite lookahead", with_route(rewrite={"uri_regex_rewrite": {"match": "^/(?!v2)(.*)", "rewrite": "/v2/\\1"}}),
     "http[0].rewrite.uri_regex_rewrite.match: "),
    ("cors allow_origins lookahead", with_route(cors_policy={"allow_origins": [{"regex": "https://(?!evil\\.).*"}]}),
     "http[0].cors_policy.allow_origins[0].regex: "),
    ("camelCase withoutHeaders", matching(withoutHeaders={"x-debug": {"regex": "\\k<name>"}}),
     "without_headers['x-debug'].regex: "),
    ("several bad regexes, one failure", module("virtual_service", dict(VIRTUAL_SERVICE, http=[
        dict(ROUTE, match=[{"uri": {"regex": LOOKAHEAD}}, {"headers": {"x-a": {"regex": "(?=a)"}}}]),
        dict(ROUTE, match=[{"authority": {"regex": "(a)\\1"}}]),
    ])), "3 invalid options: http[0].match[0].uri.regex: "),
]


@pytest.fixture(scope="module")
def outcomes(cluster, tmp_path_factory) -> dict:
    return run_matrix(cluster, tmp_path_factory.mktemp("bad-input-regex"), CASES)


@pytest.mark.parametrize("case_id, text", [(case[0], case[2]) for case in CASES], ids=[case[0] for case in CASES])
def test_bad_regex_fails_naming_the_option(outcomes: dict, case_id: str, text: str):
    outcome = outcomes[case_id]
    assert outcome["failed"] is True, outcome
    assert text in outcome["msg"]
    assert "Traceback" not in outcome.get("module_stderr", "") + outcome.get("exception", "")
    assert outcome["option"] == outcome["errors"][0]["option"]
    assert all(error["option"] in outcome["msg"] and error["msg"] in outcome["msg"] for error in outcome["errors"])
    assert outcome.get("changed") is not True


def test_several_bad_regexes_are_listed_in_one_failure(outcomes: dict):
    errors = outcomes["several bad regexes, one failure"]["errors"]
    assert [error["option"] for error in errors] == [
        "http[0].match[0].uri.regex", "http[0].match[1].headers['x-a'].regex", "http[1].match[0].authority.regex",
    ]
