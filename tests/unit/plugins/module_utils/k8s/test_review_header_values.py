# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Values sent in HTTP headers (token, impersonation) are checked with the other connection settings: a line break
fails with a message naming the option or kubeconfig entry and never showing the value, before any request."""

from __future__ import annotations

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.args import AUTH_ARG_SPEC
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kubeconfig import KubeConfigError, resolve_connection

HOST = "https://api.example.com:6443"
SECRET = "s3cr3t\nX-Injected: 1"


def params(**values):
    return dict(dict.fromkeys(AUTH_ARG_SPEC), **values)


def kubeconfig(**user):
    return {
        "apiVersion": "v1", "kind": "Config", "current-context": "one",
        "clusters": [{"name": "one", "cluster": {"server": HOST}}],
        "users": [{"name": "one", "user": dict({"token": "good"}, **user)}],
        "contexts": [{"name": "one", "context": {"cluster": "one", "user": "one"}}],
    }


@pytest.mark.parametrize("options, named", [
    (dict(host=HOST, api_key=SECRET), "api_key"),
    (dict(host=HOST, api_key="good", impersonate_user="bob\r\nX-Injected: 1"), "impersonate_user"),
    (dict(host=HOST, api_key="good", impersonate_groups=["ok", "devs\nX-Injected: 1"]), "impersonate_groups"),
    (dict(kubeconfig=kubeconfig(token=SECRET)), "kubeconfig user 'one' token"),
    (dict(kubeconfig=kubeconfig(**{"as": "bob\nX-Injected: 1"})), "kubeconfig user 'one' as"),
    (dict(kubeconfig=kubeconfig(**{"as-groups": ["devs\x00"]})), "kubeconfig user 'one' as-groups"),
], ids=["api_key", "impersonate_user", "impersonate_groups", "kubeconfig token", "kubeconfig as",
        "kubeconfig as-groups"])
def test_header_value_with_control_character_is_refused(options, named):
    with pytest.raises(KubeConfigError) as raised:
        resolve_connection(params(**options), environ={})
    message = str(raised.value)
    assert message.startswith(named + ": must not contain a line break")
    assert "s3cr3t" not in message and "X-Injected" not in message


def test_ordinary_header_values_pass():
    connection = resolve_connection(params(host=HOST, api_key="good", impersonate_user="bob",
                                           impersonate_groups=["devs"]), environ={})
    assert (connection.token, connection.impersonate_user, connection.impersonate_groups) == ("good", "bob", ("devs",))


def test_exec_plugin_token_with_a_line_break_names_the_plugin(tmp_path):
    pytest.importorskip("kubernetes")  # the exec plugin runs through the kubernetes client
    plugin = tmp_path / "token-plugin"
    plugin.write_text('#!/bin/sh\nprintf \'{"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",'
                      ' "status": {"token": "s3cr3t\\\\nX-Injected: 1"}}\'\n')
    plugin.chmod(0o755)
    exec_user = {"exec": {"apiVersion": "client.authentication.k8s.io/v1", "command": str(plugin),
                          "interactiveMode": "Never"}}
    config = kubeconfig()
    config["users"][0]["user"] = exec_user
    with pytest.raises(KubeConfigError) as raised:
        resolve_connection(params(kubeconfig=config), environ={})
    assert str(raised.value).startswith("kubeconfig user 'one' exec plugin: must not contain a line break")
    assert "s3cr3t" not in str(raised.value)
