# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every exception a module's work raises becomes a failed task in one place (``KubeModule.failures``), one shape
per cause; anything else is a bug and stays a traceback."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.module import KubeModule
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.request import api_action
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.client import ApiError
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kinds import InvalidPath
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kubeconfig import KubeConfigError
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import InvalidOption


class UserError(Exception):
    failure_fields = {"result": {"kind": "Service"}}


def failing_with(error: Exception, inner_action=None):
    """A module whose work raises ``error`` (inside ``api_action(inner_action)`` when given)."""
    def main():
        module = KubeModule(argument_spec={}, option_path=lambda path: path.replace("httpsRedirect", "https_redirect"))
        with module.failures(lambda err: "%s Gateway ns/gw" % err.verb, UserError, changed=True):
            if inner_action:
                with api_action(inner_action):
                    raise error
            raise error
    return SimpleNamespace(main=main)


def invalid_spec() -> InvalidOption:
    err = InvalidOption("servers[0].tls.httpsRedirect", "only with http servers")
    err.errors = [err, InvalidOption("servers[1].port", "port is required")]
    return err


@pytest.mark.parametrize("error, inner_action, expected", [
    (InvalidOption("servers[0].tls.httpsRedirect", "only with http servers"), None,
     {"msg": "servers[0].tls.https_redirect: only with http servers", "option": "servers[0].tls.https_redirect",
      "errors": [{"option": "servers[0].tls.https_redirect", "msg": "only with http servers"}]}),
    (invalid_spec(), None,
     {"msg": "2 invalid options: servers[0].tls.https_redirect: only with http servers; servers[1].port: port is "
             "required", "option": "servers[0].tls.https_redirect",
      "errors": [{"option": "servers[0].tls.https_redirect", "msg": "only with http servers"},
                 {"option": "servers[1].port", "msg": "port is required"}]}),
    (ApiError(409, "Conflict", "changed", method="PUT"), None,
     {"msg": "Failed to update Gateway ns/gw: 409 Conflict: changed", "status": 409, "reason": "Conflict"}),
    (ApiError(500, "InternalError", "boom", method="GET"), "list the VirtualServices bound to Gateway ns/gw",
     {"msg": "Failed to list the VirtualServices bound to Gateway ns/gw: 500 InternalError: boom", "status": 500,
      "reason": "InternalError"}),
    (KubeConfigError("context 'x' not found"), None,
     {"msg": "Cannot configure the Kubernetes connection: context 'x' not found"}),
    (InvalidPath("No API path for 'a/b'"), None, {"msg": "No API path for 'a/b'"}),
    (UserError("Service ns/web not found"), None, {"msg": "Service ns/web not found", "result": {"kind": "Service"}}),
], ids=["option", "every option", "api", "inner api action", "kubeconfig", "path", "module's own error"])
def test_one_failure_shape_per_cause(run_main, error, inner_action, expected):
    result = run_main(failing_with(error, inner_action), {})
    assert {key: result[key] for key in expected} == expected
    assert result["failed"] is True and result["changed"] is True


def test_other_exceptions_are_bugs(run_main):
    with pytest.raises(KeyError):
        run_main(failing_with(KeyError("servers")), {})
