# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection settings: option > K8S_AUTH_* > kubeconfig (option, KUBECONFIG, ~/.kube/config) > in-cluster."""

from __future__ import annotations

import base64
import re
import sys

import pytest
import yaml

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.args import AUTH_ARG_SPEC
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kubeconfig import (
    KubeConfigError,
    effective_auth,
    in_cluster_connection,
    resolve_connection,
)

NO_PARAMS = dict.fromkeys(AUTH_ARG_SPEC)
CA_PEM, CERT_PEM, KEY_PEM = (b"-----BEGIN %s-----\nMIIB\n-----END %s-----\n" % (kind, kind)
                             for kind in (b"CERTIFICATE", b"CERTIFICATE", b"PRIVATE KEY"))


def params(**values):
    return dict(NO_PARAMS, **values)


def kubeconfig(path, server="https://one:6443", token="one-token", context="one", extra_contexts=()):
    config = {
        "apiVersion": "v1", "kind": "Config", "current-context": context,
        "clusters": [{"name": context, "cluster": {"server": server, "certificate-authority": "ca.crt"}}],
        "users": [{"name": context, "user": {"token": token}}],
        "contexts": [{"name": context, "context": {"cluster": context, "user": context}}],
    }
    for name, other_server in extra_contexts:
        config["clusters"].append({"name": name, "cluster": {
            "server": other_server, "insecure-skip-tls-verify": True,
            "certificate-authority-data": base64.b64encode(CA_PEM).decode(),
        }})
        config["users"].append({"name": name, "user": {"client-certificate-data": base64.b64encode(CERT_PEM).decode(),
                                                       "client-key-data": base64.b64encode(KEY_PEM).decode()}})
        config["contexts"].append({"name": name, "context": {"cluster": name, "user": name}})
    path.write_text(yaml.safe_dump(config))
    return str(path)


def test_options_win_over_environment_variables():
    auth = effective_auth(params(host="https://option"), {"K8S_AUTH_HOST": "https://env", "K8S_AUTH_API_KEY": "tok"})
    assert (auth["host"], auth["api_key"]) == ("https://option", "tok")


def test_environment_variables_use_kubernetes_core_names_and_parsing():
    env = {"K8S_AUTH_VERIFY_SSL": "no", "K8S_AUTH_SSL_CA_CERT": "/ca", "K8S_AUTH_CERT_FILE": "/c", "K8S_AUTH_KEY_FILE": "/k",
           "K8S_AUTH_IMPERSONATE_GROUPS": "g1,g2,"}
    auth = effective_auth(NO_PARAMS, env)
    assert (auth["validate_certs"], auth["ca_cert"], auth["client_cert"], auth["client_key"], auth["impersonate_groups"]) == \
        (False, "/ca", "/c", "/k", ["g1", "g2"])
    assert effective_auth(NO_PARAMS, {"K8S_AUTH_VALIDATE_CERTS": "yes"})["validate_certs"] is True


def test_host_with_token_reads_no_kubeconfig(tmp_path):
    connection = resolve_connection(params(host="https://direct/", api_key="abc"), {"KUBECONFIG": str(tmp_path / "missing")})
    assert (connection.server, connection.token, connection.verify) == ("https://direct", "abc", True)


def test_without_pyyaml_only_reading_a_kubeconfig_fails(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "yaml", None)  # import yaml now raises ImportError
    connection = resolve_connection(params(host="https://direct/", api_key="abc"), {})
    assert connection.server == "https://direct"
    path = kubeconfig(tmp_path / "config")
    with pytest.raises(KubeConfigError, match=re.escape("Reading kubeconfig %s needs the PyYAML Python package" % path)):
        resolve_connection(params(kubeconfig=path), {})


def test_kubeconfig_env_var_then_home(tmp_path):
    env_file = kubeconfig(tmp_path / "env-config", server="https://env:6443")
    home = tmp_path / "home"
    (home / ".kube").mkdir(parents=True)
    kubeconfig(home / ".kube" / "config", server="https://home:6443")
    assert resolve_connection(NO_PARAMS, {"KUBECONFIG": env_file}, str(home)).server == "https://env:6443"
    assert resolve_connection(NO_PARAMS, {}, str(home)).server == "https://home:6443"
    option_file = kubeconfig(tmp_path / "option-config", server="https://option:6443")
    assert resolve_connection(params(kubeconfig=option_file), {"KUBECONFIG": env_file}, str(home)).server == "https://option:6443"
    assert resolve_connection(NO_PARAMS, {"K8S_AUTH_KUBECONFIG": option_file, "KUBECONFIG": env_file}).server == \
        "https://option:6443"


def test_kubeconfig_values_relative_paths_and_overrides(tmp_path):
    path = kubeconfig(tmp_path / "config")
    connection = resolve_connection(params(kubeconfig=path), {})
    assert (connection.token, connection.ca_file) == ("one-token", str(tmp_path / "ca.crt"))
    overridden = resolve_connection(params(kubeconfig=path, api_key="other", validate_certs=False), {})
    assert (overridden.server, overridden.token, overridden.verify) == ("https://one:6443", "other", False)


def test_context_selects_cluster_user_and_embedded_data(tmp_path):
    path = kubeconfig(tmp_path / "config", extra_contexts=[("two", "https://two:6443")])
    connection = resolve_connection(params(kubeconfig=path, context="two"), {})
    assert (connection.server, connection.verify, connection.ca_data) == ("https://two:6443", False, CA_PEM.decode())
    assert (connection.client_cert_data, connection.client_key_data, connection.token) == (CERT_PEM, KEY_PEM, None)
    assert resolve_connection(NO_PARAMS, {"K8S_AUTH_CONTEXT": "two", "KUBECONFIG": path}).server == "https://two:6443"


def test_merged_kubeconfig_files_first_wins(tmp_path):
    first = kubeconfig(tmp_path / "first", server="https://first:6443", context="shared")
    second = kubeconfig(tmp_path / "second", server="https://second:6443", context="shared",
                        extra_contexts=[("only-second", "https://only:6443")])
    env = {"KUBECONFIG": "%s:%s:%s" % (tmp_path / "absent", first, second)}
    assert resolve_connection(NO_PARAMS, env).server == "https://first:6443"
    assert resolve_connection(params(context="only-second"), env).server == "https://only:6443"


def test_kubeconfig_as_a_dictionary():
    config = yaml.safe_load(
        "current-context: c\nclusters: [{name: c, cluster: {server: 'https://dict'}}]\n"
        "users: [{name: u, user: {username: admin, password: secret}}]\n"
        "contexts: [{name: c, context: {cluster: c, user: u}}]\n")
    connection = resolve_connection(params(kubeconfig=config), {})
    assert (connection.server, connection.username, connection.password) == ("https://dict", "admin", "secret")


@pytest.mark.parametrize("values, message", [
    ({"context": "nope"}, "context 'nope' not found in kubeconfig"),
    ({"kubeconfig": "/nonexistent/config"}, "kubeconfig file /nonexistent/config not found"),
])
def test_configuration_errors_are_clear(tmp_path, values, message):
    values = dict(values)
    values.setdefault("kubeconfig", kubeconfig(tmp_path / "config"))
    with pytest.raises(KubeConfigError, match=message):
        resolve_connection(params(**values), {})


def test_nothing_configured_outside_a_cluster(tmp_path):
    with pytest.raises(KubeConfigError, match="No Kubernetes connection configured"):
        resolve_connection(NO_PARAMS, {}, str(tmp_path))


def test_in_cluster_when_no_kubeconfig(tmp_path):
    token, ca = tmp_path / "token", tmp_path / "ca.crt"
    token.write_text("sa-token\n")
    connection = in_cluster_connection({"KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "443"},
                                       str(token), str(ca))
    assert (connection.server, connection.token, connection.ca_file) == ("https://[fd00::1]:443", "sa-token", str(ca))
