# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The table format of the istiod validation cases (test_istiod_*_cases.py) and how a verdict is checked.

Each row is one case of istio/istio ``pkg/config/validation/validation_test.go``,
``virtualservice_test.go`` or ``agent/validation_test.go`` (commit ``ISTIO_COMMIT``): the Go test and
case name as its pytest id, the case's Go fields with the protobuf structs written as the camelCase
spec the validator receives (oneofs flattened, durations as strings, wrappers unwrapped), istiod's
verdict and, where the Go case names one, the fragment of istiod's message. The test files turn the
fields into a whole Gateway or VirtualService spec, as istiod's test helper would have validated them.
"""

from __future__ import annotations

import base64
from typing import Callable, Optional

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.common import InvalidSpec
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import InvalidOption

ISTIO_COMMIT = "86c9f01fd735fb01d8192f5bcaf0d424afb7f14c"

# (error expected, warning expected: True, False, or None where the Go table has no warning column)
VALID = (False, None)
ERROR = (True, None)
VALID_QUIET = (False, False)
ERROR_QUIET = (True, False)
VALID_WARNED = (False, True)
ERROR_WARNED = (True, True)


def istiod(case_id: str, fields: dict, expect: tuple, istiod_says: Optional[str] = None):
    """One ported case; ``istiod_says`` is the Go case's expected message fragment (for the reader)."""
    return pytest.param(fields, expect, id=case_id)


def b64(text: str) -> str:
    """A ``[]byte`` field as protobuf JSON writes it."""
    return base64.b64encode(text.encode()).decode()


def assert_istiod_verdict(validate: Callable[[], list], expect: tuple) -> None:
    """``validate()`` refuses exactly when istiod does, and warns when istiod does (if the case says)."""
    error_expected, warning_expected = expect
    errors: list[InvalidOption] = []
    try:
        warnings = validate()
    except InvalidSpec as err:
        errors, warnings = err.errors, err.warnings
    if error_expected:
        assert errors, "istiod refuses this case, the validator accepted it"
        assert all(error.path and error.message for error in errors)
    else:
        assert not errors, "istiod accepts this case, the validator refused it: %s" % "; ".join(map(str, errors))
    if warning_expected is not None:
        assert bool(warnings) == warning_expected, "warnings: %s" % (warnings,)


def our_verdict(case_id: str, expect: tuple, deviations: dict[str, tuple[tuple, str]]) -> tuple:
    """istiod's verdict, or the collection's where it deliberately differs (``deviations``: verdict, reason)."""
    return deviations[case_id][0] if case_id in deviations else expect


def skip_unported(case_id: str, skipped: dict[str, str]) -> None:
    """Skip a case listed in ``skipped`` (Go test name or full case id) with its reason."""
    reason = skipped.get(case_id) or skipped.get(case_id.split("/", 1)[0])
    if reason:
        pytest.skip(reason)
