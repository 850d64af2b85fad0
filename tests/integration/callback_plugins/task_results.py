# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only stdout callback: prints one JSON document with every task result and, against kubesim, the API
requests each task sent (kubesim's request log is reset when a task starts and read when it ends)."""

from __future__ import annotations

import json
import os
import ssl
import urllib.request

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: task_results
type: stdout
short_description: JSON task results with the kubesim requests of each task (tests only)
description:
  - Used by tests/integration/conftest.py.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "task_results"

    def __init__(self):
        super().__init__()
        self.tasks = []
        self.kubesim_url = os.environ.get("KUBESIM_URL")
        if self.kubesim_url:
            self.ssl_context = ssl.create_default_context(cafile=os.environ["KUBESIM_CA_FILE"])
            self.token = os.environ["KUBESIM_TOKEN"]

    def _request_log(self, method):
        if not self.kubesim_url:
            return None
        request = urllib.request.Request(self.kubesim_url + "/_kubesim/requests", method=method,
                                         headers={"Authorization": "Bearer " + self.token})
        with urllib.request.urlopen(request, context=self.ssl_context, timeout=30) as response:
            body = response.read()
        return json.loads(body) if method == "GET" and body else None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._request_log("DELETE")

    def _record(self, result, status):
        self.tasks.append({"task": result.task_name, "host": result._host.get_name(), "status": status,
                           "result": result._result, "requests": self._request_log("GET")})

    def v2_runner_on_ok(self, result):
        self._record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._record(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._record(result, "unreachable")

    def v2_playbook_on_stats(self, stats):
        self._display.display(json.dumps({"tasks": self.tasks}, default=str))
