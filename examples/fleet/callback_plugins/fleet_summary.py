# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fleet summary: one line per cluster (inventory host) when the playbook ends."""

from __future__ import annotations

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: fleet_summary
type: aggregate
short_description: One line per cluster at the end of a fleet run
description:
  - At the end of the playbook, prints one line per host (one host per cluster) with its changed count, then
    the C(url) the host recorded with C(ansible.builtin.set_stats) (with O(per_host=true)) when it succeeded, or
    the task that failed and its message.
  - Enable it with C(callbacks_enabled = fleet_summary); Ansible finds it in C(callback_plugins/) next to the playbook.
"""


def _failure_message(result: dict) -> str:
    """A failed result's message in one line: its ``msg`` (for a loop, its first failed item's) and, when the
    command it ran printed an error (``stderr``, e.g. helm's), that error's last line."""
    failed_items = [item for item in result.get("results", ()) if isinstance(item, dict) and item.get("failed")]
    failed = failed_items[0] if failed_items else result
    message_lines = str(failed.get("msg") or "").strip().splitlines() or ["no message"]
    error_lines = str(failed.get("stderr") or "").strip().splitlines()
    return message_lines[0] + (" " + error_lines[-1].strip() if error_lines else "")


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "fleet_summary"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self) -> None:
        super().__init__()
        self.failures: dict[str, str] = {}

    def _record_failure(self, result, message: str) -> None:
        self.failures.setdefault(result._host.get_name(), "%s: %s" % (result.task_name, message))

    def v2_runner_on_failed(self, result, ignore_errors: bool = False) -> None:
        if not ignore_errors:
            self._record_failure(result, _failure_message(result._result))

    def v2_runner_on_unreachable(self, result) -> None:
        self._record_failure(result, "unreachable: " + _failure_message(result._result))

    def v2_playbook_on_stats(self, stats) -> None:
        self._display.banner("FLEET SUMMARY")
        hosts = sorted(set(stats.processed) | set(self.failures))
        width = max((len(host) for host in hosts), default=0)
        for host in hosts:
            changed = stats.summarize(host)["changed"]
            if host in self.failures:
                line = "FAILED  changed=%d  %s" % (changed, self.failures[host])
            else:
                line = "ok      changed=%d  %s" % (changed, stats.custom.get(host, {}).get("url", "no url recorded"))
            self._display.display("%s  %s" % (host.ljust(width), line))
