# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Regular expressions as Envoy runs them: RE2 through ``google-re2`` (module ``re2``).

Python's ``re`` accepts what Envoy refuses (lookaround, backreferences), and Envoy rejects a route
with such a regex, so both the validation and route_check's matching go through RE2. Without
``google-re2`` every function here reports that the library is missing instead of guessing.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from importlib.util import find_spec
from typing import Iterator

from ansible.module_utils.basic import missing_required_lib

# google-re2 is imported on first use (only a task with a regex needs it): whether it is installed is looked up
# without loading it.
HAS_RE2 = find_spec("re2") is not None


def _re2():
    import re2  # pylint: disable=import-outside-toplevel

    return re2


# istiod refuses longer regexes (validateStringRegexp): Envoy's program-size limit, approximated by length.
_MAX_REGEX_LENGTH = 1024
_STDERR_FD = 2
_RE2_MISSING = missing_required_lib("google-re2", reason="to check regexes as Envoy does (RE2)")


class RE2Unavailable(RuntimeError):
    """google-re2 is not installed."""

    def __init__(self) -> None:
        super().__init__(_RE2_MISSING)


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """RE2 logs refused patterns to file descriptor 2 (from C++); keep that out of the module's output."""
    try:
        saved = os.dup(_STDERR_FD)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), _STDERR_FD)
            yield
    finally:
        os.dup2(saved, _STDERR_FD)
        os.close(saved)


def re2_error(pattern: str) -> str | None:
    """Why istiod or Envoy refuses ``pattern`` (too long, not RE2 syntax), or None. RE2Unavailable without re2."""
    if len(pattern) > _MAX_REGEX_LENGTH:
        return "regex is too large, max length allowed is %d" % _MAX_REGEX_LENGTH
    if not HAS_RE2:
        raise RE2Unavailable()
    re2 = _re2()
    with _quiet_stderr():
        try:
            re2.compile(pattern)
        except re2.error as err:
            return "invalid RE2 regex %r: %s; Envoy uses RE2 syntax (https://github.com/google/re2/wiki/Syntax)" \
                % (pattern, _re2_reason(err))
    return None


def _re2_reason(err: Exception) -> str:
    """The text of a ``re2.error`` (google-re2 gives it as bytes)."""
    reason = err.args[0] if err.args else err
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)


def re2_fullmatch(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """Whether RE2 ``pattern`` matches all of ``value`` (Envoy's safe_regex). A pattern RE2 refuses matches
    nothing: Envoy rejects the route that holds it."""
    if not HAS_RE2:
        raise RE2Unavailable()
    re2 = _re2()
    with _quiet_stderr():
        try:
            compiled = re2.compile("(?i)" + pattern if ignore_case else pattern)
        except re2.error:
            return False
    return compiled.fullmatch(value) is not None
