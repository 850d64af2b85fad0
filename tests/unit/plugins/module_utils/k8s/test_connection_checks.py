# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection settings are checked before any request (clear messages naming the option, credentials in URLs
masked), exec/auth-provider tokens are sent, tls-server-name and proxy credentials are used."""

from __future__ import annotations

import base64
import json
import math
import sys
import threading

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.args import AUTH_ARG_SPEC
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.client import ApiError, KubeClient
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kubeconfig import (
    Connection,
    KubeConfigError,
    checked_timeout,
    checked_url,
    kubeconfig_secrets,
    redact_url,
    resolve_connection,
    url_secrets,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.module import api_error_message

NO_PARAMS = dict(dict.fromkeys(AUTH_ARG_SPEC), request_timeout=30.0, retries=3)
PEM = base64.b64encode(b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n").decode()


def params(**values):
    return dict(NO_PARAMS, **values)


def config(cluster=None, user=None, context=None, **top):
    """A one-context kubeconfig dictionary with ``cluster``/``user``/``context`` fields added, replaced or (None)
    removed."""
    def entry(defaults: dict, changes) -> dict:
        return {key: value for key, value in dict(defaults, **(changes or {})).items() if value is not None}

    return dict({
        "current-context": "c",
        "clusters": [{"name": "c", "cluster": entry({"server": "https://api.example:6443"}, cluster)}],
        "users": [{"name": "u", "user": entry({"token": "t0k"}, user)}],
        "contexts": [{"name": "c", "context": entry({"cluster": "c", "user": "u"}, context)}],
    }, **top)


@pytest.mark.parametrize("value", [0, -1, math.inf, -math.inf, math.nan, "soon", None])
def test_request_timeout_must_be_finite_and_positive(value):
    with pytest.raises(KubeConfigError, match="request_timeout must be a finite number of seconds greater than 0"):
        checked_timeout(value)


def test_request_timeout_is_checked_before_anything_else():
    with pytest.raises(KubeConfigError, match="request_timeout"):
        KubeClient.from_params(params(host="https://h", api_key="t", request_timeout=math.nan), {})
    assert checked_timeout(0.5) == 0.5


@pytest.mark.parametrize("kubeconfig, message", [
    (["not", "a", "mapping"], "kubeconfig must be a file path or a kubeconfig dictionary, got list"),
    (42, "kubeconfig must be a file path or a kubeconfig dictionary, got int"),
    (config(clusters={"c": {}}), "kubeconfig: clusters must be a list, got dict"),
    (config(users="u"), "kubeconfig: users must be a list, got str"),
    (config(contexts=[["c"]]), r"kubeconfig: contexts\[0\] must be a mapping with a name"),
    (config(contexts=[{"context": {"cluster": "c"}}]), r"contexts\[0\] must be a mapping with a name"),
    (config(clusters=[{"name": "c", "cluster": "https://x"}]), r"clusters\[0\] \(cluster 'c'\): cluster must be a mapping"),
    (config(cluster={"server": 6443}), "cluster 'c'.*server must be a string"),
    (config(cluster={"insecure-skip-tls-verify": "yes"}), "insecure-skip-tls-verify must be true or false"),
    (config(user={"as-groups": "admins"}), "as-groups must be a list of strings"),
    (config(user={"token": ["a"]}), "user 'u'.*token must be a string"),
    (config(user={"exec": "aws"}), "user 'u'.*exec must be a mapping"),
    (config(user={"exec": {"args": ["x"]}}), "exec.command must be a string"),
    (config(user={"auth-provider": {"config": {}}}), "auth-provider.name must be a string"),
    (config(**{"current-context": ["c"]}), "current-context must be a string"),
    (config(**{"current-context": None}), "kubeconfig has no current-context; set the context option"),
    (config(**{"current-context": "other"}), "context 'other' not found in kubeconfig"),
    (config(contexts=[]), "context 'c' not found in kubeconfig: it has no contexts"),
    (config(clusters=[]), "cluster 'c' not found in kubeconfig: it has no clusters"),
    (config(users=[]), "user 'u' not found in kubeconfig: it has no users"),
    (config(context={"cluster": None}), "kubeconfig context 'c' names no cluster"),
    (config(cluster={"server": ""}), "cluster of context 'c' has no server"),
    (config(cluster={"certificate-authority-data": "not base64!"}),
     "kubeconfig cluster 'c' certificate-authority-data is not valid base64"),
    (config(cluster={"certificate-authority-data": base64.b64encode(b"\x00\xff").decode()}),
     "kubeconfig cluster 'c' certificate-authority-data is not a base64-encoded PEM block"),
    (config(user={"client-certificate-data": "%%%"}), "kubeconfig user 'u' client-certificate-data is not valid base64"),
    (config(user={"client-key-data": base64.b64encode(b"key").decode()}),
     "kubeconfig user 'u' client-key-data is not a base64-encoded PEM block"),
    (config(cluster={"server": "api.example:6443"}), "kubeconfig cluster 'c' server: 'api.example:6443' is not a "
                                                     "valid URL: the scheme must be https or http"),
    (config(cluster={"proxy-url": "socks5://proxy:1080"}), "kubeconfig cluster 'c' proxy-url: .* the scheme must be http"),
])
def test_malformed_kubeconfig_dict_is_explained(kubeconfig, message):
    with pytest.raises(KubeConfigError, match=message):
        resolve_connection(params(kubeconfig=kubeconfig), {})


def test_a_context_without_a_user_needs_no_users_section():
    kubeconfig = config(users=[], context={"user": None})
    assert resolve_connection(params(kubeconfig=kubeconfig), {}).server == "https://api.example:6443"


@pytest.mark.parametrize("option, value, message", [
    ("host", "::::", r"host: '::::' is not a valid URL: the scheme must be https or http"),
    ("host", "https://", "host: 'https://' is not a valid URL: it needs a host name"),
    ("host", "https://api:notaport", r"host: 'https://api:notaport' is not a valid URL \(Port could not be cast"),
    ("host", "https://api:99999", r"host: 'https://api:99999' is not a valid URL \(Port out of range"),
    ("host", "https://api example", "needs a host name and no spaces"),
    ("host", "https://api/?watch=1", "host: 'https://api/[?]watch=1' must not have a query or fragment"),
    ("host", "ftp://api", "host: 'ftp://api' is not a valid URL: the scheme must be https or http"),
    ("proxy", "::::", "proxy: '::::' is not a valid URL: the scheme must be http or https"),
    ("proxy", "socks5h://p:1080", "proxy: 'socks5h://p:1080' is not a valid URL: the scheme must be http or https"),
    ("proxy", "http://p:port", r"proxy: 'http://p:port' is not a valid URL \(Port could not be cast"),
])
def test_malformed_urls_name_the_option(option, value, message):
    values = dict(host="https://api.example", api_key="t0k")
    values[option] = value
    with pytest.raises(KubeConfigError, match=message):
        resolve_connection(params(**values), {})


@pytest.mark.parametrize("url, shown", [
    ("https://admin:s3cret@api.example:6443/x", "https://***@api.example:6443/x"),
    ("http://tok3n@proxy:3128", "http://***@proxy:3128"),
    ("admin:s3cret@api.example", "***@api.example"),
    ("https://a:b@c@api", "https://***@api"),
    ("https://api.example/with@sign", "https://api.example/with@sign"),
    ("::::", "::::"),
])
def test_redact_url_hides_userinfo(url, shown):
    assert redact_url(url) == shown


def test_url_secrets_are_the_password_or_the_lone_user():
    assert url_secrets("https://admin:s%40cret@api") == ["s%40cret", "s@cret"]
    assert url_secrets("http://tok3n@proxy:3128") == ["tok3n"]
    assert url_secrets("https://api") == url_secrets(None) == []


def test_kubeconfig_secrets_are_credentials_only():
    user = {"token": "tok", "password": "pw", "username": "jane", "client-key-data": "KEY",
            "auth-provider": {"name": "oidc", "config": {"id-token": "jwt"}},
            "exec": {"command": "aws", "env": [{"name": "AWS_PROFILE", "value": "prod"}]}}
    users = [{"name": "a", "user": user}, {"name": "broken", "user": "text"}, "not an entry"]
    assert sorted(kubeconfig_secrets(config(users=users))) == ["KEY", "jwt", "prod", "pw", "tok"]
    assert kubeconfig_secrets("/path/to/kubeconfig") == kubeconfig_secrets({"users": "x"}) == []


def test_credentials_in_a_malformed_url_never_appear_in_the_message():
    with pytest.raises(KubeConfigError) as raised:
        resolve_connection(params(host="https://admin:s3cret@api:port", api_key="t"), {})
    assert "s3cret" not in str(raised.value) and "***@api:port" in str(raised.value)
    with pytest.raises(KubeConfigError) as raised:
        checked_url("socks5://user:pw@proxy", "proxy", ("http",))
    assert "pw" not in str(raised.value)


def test_host_userinfo_becomes_basic_auth_and_leaves_the_url():
    connection = resolve_connection(params(host="https://admin:s%40cret@api.example:6443/", username="x",
                                           password="y"), {})
    assert (connection.server, connection.username, connection.password) == ("https://api.example:6443", "x", "y")
    kubeconfig = config(cluster={"server": "https://admin:s%40cret@api.example"}, user={"token": None})
    connection = resolve_connection(params(kubeconfig=kubeconfig), {})
    assert (connection.server, connection.username, connection.password) == ("https://api.example", "admin", "s@cret")


def test_proxy_userinfo_becomes_proxy_authorization():
    connection = resolve_connection(params(host="https://api", api_key="t", proxy="http://me:pw@proxy:3128"), {})
    assert (connection.proxy, connection.proxy_auth) == ("http://proxy:3128", "me:pw")
    kube = KubeClient(connection)
    assert kube.pool.proxy_headers["proxy-authorization"] == "Basic " + base64.b64encode(b"me:pw").decode()
    assert "pw" not in kube.pool.proxy.url


def test_tls_server_name_is_used_for_sni_and_the_certificate_check():
    kube = KubeClient(resolve_connection(params(kubeconfig=config(cluster={"tls-server-name": "kubernetes"})), {}))
    assert kube.connection.tls_server_name == "kubernetes"
    assert kube.pool.connection_pool_kw["server_hostname"] == "kubernetes"
    assert "server_hostname" not in KubeClient(Connection(server="https://h")).pool.connection_pool_kw


@pytest.mark.parametrize("values, message", [
    ({"ca_cert": "/nonexistent/ca.crt"}, "ca_cert: cannot load the CA certificate: No such file or directory"),
    ({"ca_cert": "{garbage}"}, "ca_cert: cannot load the CA certificate: "),
    ({"client_cert": "/nonexistent/c.crt", "client_key": "/nonexistent/c.key"}, "client_cert: cannot read /nonexistent/c.crt"),
    ({"client_cert": "{garbage}", "client_key": "{garbage}"},
     "client_cert and client_key: not a PEM certificate and its private key: "),
])
def test_unusable_tls_files_name_the_option(tmp_path, values, message):
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a certificate")
    values = {key: value.format(garbage=garbage) for key, value in values.items()}
    with pytest.raises(KubeConfigError, match=message):
        KubeClient.from_params(params(host="https://h", api_key="t", **values), {})


def test_unusable_kubeconfig_ca_data_names_the_kubeconfig_entry():
    broken = base64.b64encode(b"-----BEGIN CERTIFICATE-----\nnot base64 inside\n-----END CERTIFICATE-----\n").decode()
    with pytest.raises(KubeConfigError, match="kubeconfig cluster 'c' certificate-authority-data: cannot load the CA"):
        KubeClient.from_params(params(kubeconfig=config(cluster={"certificate-authority-data": broken})), {})


def test_401_says_when_no_credentials_were_sent():
    anonymous = ApiError(401, "Unauthorized", "Unauthorized")
    anonymous.credentials_sent = False
    message = api_error_message(anonymous, "read Gateway ns/gw")
    assert message.startswith("Failed to read Gateway ns/gw: 401 Unauthorized: no credentials were sent")
    assert "rejected" not in message
    rejected = api_error_message(ApiError(401, "Unauthorized", "Unauthorized"), "read Gateway ns/gw")
    assert "rejected the credentials" in rejected


def test_client_knows_whether_it_sends_credentials():
    assert KubeClient(Connection(server="https://h", token="t")).sends_credentials
    assert KubeClient(Connection(server="https://h", username="u", password="p")).sends_credentials
    assert not KubeClient(Connection(server="https://h")).sends_credentials


def exec_user(tmp_path, status: dict, api_version="client.authentication.k8s.io/v1", exit_code=0) -> dict:
    """A kubeconfig user whose exec plugin (a Python script) prints an ExecCredential with ``status``."""
    script = tmp_path / "credential-plugin"
    credential = {"apiVersion": api_version, "kind": "ExecCredential", "status": status}
    script.write_text("#!%s\nimport json, sys\nprint(json.dumps(%r))\nsys.exit(%d)\n"
                      % (sys.executable, credential, exit_code))
    script.chmod(0o755)
    return {"token": None, "exec": {"apiVersion": "client.authentication.k8s.io/v1", "command": str(script),
                                    "interactiveMode": "Never"}}


def test_exec_plugin_token_is_sent_as_bearer(tmp_path):
    pytest.importorskip("kubernetes")
    kube = KubeClient.from_params(params(kubeconfig=config(user=exec_user(tmp_path, {"token": "from-exec"}))), {})
    assert kube.headers["Authorization"] == "Bearer from-exec"


def test_expired_exec_token_is_refreshed_before_a_request(tmp_path):
    pytest.importorskip("kubernetes")
    status = {"token": "from-exec", "expirationTimestamp": "2000-01-01T00:00:00Z"}
    user = exec_user(tmp_path, status)
    kube = KubeClient.from_params(params(kubeconfig=config(user=user)), {})
    script = user["exec"]["command"]
    with open(script, "w") as stream:  # the plugin now hands out a new token
        stream.write("#!%s\nimport json\nprint(json.dumps(%r))\n" % (sys.executable, {
            "apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential", "status": {"token": "renewed"}}))

    class Pool:
        def request(self, method, url, body=None, headers=None, timeout=None):
            self.authorization = headers["Authorization"]
            return type("Response", (), {"status": 200, "data": b"{}", "headers": {}})()

    kube.pool = Pool()
    kube.request("GET", "/api")
    assert kube.pool.authorization == "Bearer renewed"


def test_concurrent_requests_renew_an_expired_exec_token_once(tmp_path):
    pytest.importorskip("kubernetes")
    user = exec_user(tmp_path, {"token": "from-exec", "expirationTimestamp": "2000-01-01T00:00:00Z"})
    kube = KubeClient.from_params(params(kubeconfig=config(user=user)), {}, connections=8)
    runs = tmp_path / "runs"
    renewed = {"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
               "status": {"token": "renewed", "expirationTimestamp": "2999-01-01T00:00:00Z"}}
    with open(user["exec"]["command"], "w") as stream:  # a slow plugin: every request arrives while it runs
        stream.write("#!%s\nimport json, time\nopen(%r, 'a').write('run\\n')\ntime.sleep(0.3)\nprint(json.dumps(%r))\n"
                     % (sys.executable, str(runs), renewed))
    sent = []

    class Pool:
        def request(self, method, url, body=None, headers=None, timeout=None):
            sent.append(headers["Authorization"])
            return type("Response", (), {"status": 200, "data": b"{}", "headers": {}})()

    kube.pool = Pool()
    threads = [threading.Thread(target=kube.request, args=("GET", "/api")) for _thread in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert runs.read_text().count("run") == 1
    assert sent == ["Bearer renewed"] * 8


@pytest.mark.parametrize("status, exit_code, message", [
    ({}, 0, "kubeconfig user 'u': its exec plugin gave no credentials: exec: missing token"),
    ({"token": "x"}, 3, "kubeconfig user 'u': its exec plugin gave no credentials: exec: process returned 3"),
])
def test_failed_exec_plugin_is_explained(tmp_path, status, exit_code, message):
    pytest.importorskip("kubernetes")
    with pytest.raises(KubeConfigError, match=message):
        resolve_connection(params(kubeconfig=config(user=exec_user(tmp_path, status, exit_code=exit_code))), {})


def oidc_id_token(claims: dict) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return "%s.%s.signature" % (part({"alg": "RS256"}), part(claims))


def test_oidc_auth_provider_id_token_is_sent_as_bearer():
    pytest.importorskip("kubernetes")
    token = oidc_id_token({"sub": "jane", "exp": 4102444800})
    provider = {"name": "oidc", "config": {"id-token": token, "idp-issuer-url": "https://issuer.example"}}
    connection = resolve_connection(params(kubeconfig=config(user={"token": None, "auth-provider": provider})), {})
    assert connection.token == token
