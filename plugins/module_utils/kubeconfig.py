# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where to connect and how to authenticate: auth options, ``K8S_AUTH_*``, kubeconfig or in-cluster.

Precedence (as kubernetes.core): an option set on the task, else its ``K8S_AUTH_*`` variable. When
``host`` comes with credentials (token, username/password or client certificate) no kubeconfig is read.
Otherwise the kubeconfig (option ``kubeconfig``, else ``KUBECONFIG``, else ``~/.kube/config``) is loaded
for ``context`` (else its current context), or the in-cluster service account when no kubeconfig exists;
explicitly set options then override what it says.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass, field, replace
from typing import Mapping, Optional

from ansible_collections.meshsmith.istio.plugins.module_utils.args import AUTH_ENV_VARS

IN_CLUSTER_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token"
IN_CLUSTER_CA = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"
FALSE_STRINGS = ("0", "false", "no")


class KubeConfigError(ValueError):
    """The connection settings cannot be worked out (missing or broken kubeconfig, unknown context...)."""


@dataclass(frozen=True)
class Connection:
    """Everything needed to open an authenticated HTTPS connection to one API server."""

    server: str
    token: Optional[str] = None
    username: Optional[str] = None
    password: Optional[str] = None
    ca_file: Optional[str] = None
    ca_data: Optional[str] = None
    client_cert_file: Optional[str] = None
    client_key_file: Optional[str] = None
    client_cert_data: Optional[bytes] = None
    client_key_data: Optional[bytes] = None
    verify: bool = True
    proxy: Optional[str] = None
    no_proxy: Optional[str] = None
    impersonate_user: Optional[str] = None
    impersonate_groups: tuple = field(default_factory=tuple)


def effective_auth(params: Mapping, environ: Mapping) -> dict:
    """Auth options as set on the task, falling back to their ``K8S_AUTH_*`` variables."""
    auth = {}
    for option, variables in AUTH_ENV_VARS.items():
        value = params.get(option)
        if value is None:
            value = next((environ[name] for name in variables if environ.get(name) is not None), None)
            if value is not None and option == "validate_certs":
                value = value.lower() not in FALSE_STRINGS
            elif value is not None and option == "impersonate_groups":
                value = [group for group in value.split(",") if group]
        auth[option] = value
    return auth


def resolve_connection(params: Mapping, environ: Optional[Mapping] = None, home: Optional[str] = None) -> Connection:
    """The connection described by the auth options, the environment (default ``os.environ``) and kubeconfig
    (see module docstring)."""
    environ = os.environ if environ is None else environ
    auth = effective_auth(params, environ)
    if auth["host"] and (
        auth["api_key"] or (auth["username"] and auth["password"]) or (auth["client_cert"] and auth["client_key"])
    ):
        base = Connection(server=auth["host"])
    else:
        base = _load_base_connection(auth, environ, home or os.path.expanduser("~"))
    return _override(base, auth)


def _load_base_connection(auth: dict, environ: Mapping, home: str) -> Connection:
    source = auth["kubeconfig"] or environ.get("KUBECONFIG") or os.path.join(home, ".kube", "config")
    if isinstance(source, dict):
        return connection_from_kubeconfig(source, auth["context"], base_dir=os.getcwd())
    paths = [path for path in str(source).split(os.pathsep) if path]
    existing = [path for path in paths if os.path.exists(path)]
    if existing:
        return connection_from_kubeconfig(merge_kubeconfig_files(existing), auth["context"])
    if auth["kubeconfig"] or auth["context"]:
        raise KubeConfigError("kubeconfig file %s not found" % source)
    if environ.get("KUBERNETES_SERVICE_HOST"):
        return in_cluster_connection(environ)
    raise KubeConfigError(
        "No Kubernetes connection configured: no kubeconfig at %s, not running in a cluster, and no host with "
        "credentials (set the kubeconfig option or K8S_AUTH_KUBECONFIG, or host with api_key)" % source
    )


def merge_kubeconfig_files(paths: list) -> dict:
    """Merge kubeconfig files as kubectl does: the first file wins per named entry and for current-context.

    File references inside each file are made absolute relative to that file's directory."""
    merged: dict = {"clusters": [], "users": [], "contexts": []}
    seen: dict = {"clusters": set(), "users": set(), "contexts": set()}
    for path in paths:
        config = load_kubeconfig_file(path)
        base_dir = os.path.dirname(os.path.abspath(path))
        if not merged.get("current-context"):
            merged["current-context"] = config.get("current-context")
        for section in ("clusters", "users", "contexts"):
            for entry in config.get(section) or []:
                if entry.get("name") not in seen[section]:
                    seen[section].add(entry.get("name"))
                    merged[section].append(_absolute_paths(entry, base_dir))
    return merged


def load_kubeconfig_file(path: str) -> dict:
    """Parse one kubeconfig file (YAML, C loader when available); PyYAML is imported only when one is read."""
    try:
        import yaml
    except ImportError as err:
        raise KubeConfigError("Reading kubeconfig %s needs the PyYAML Python package" % path) from err
    try:
        with open(path, "rb") as stream:
            config = yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    except (OSError, yaml.YAMLError) as err:
        raise KubeConfigError("Cannot read kubeconfig %s: %s" % (path, err)) from err
    if not isinstance(config, dict):
        raise KubeConfigError("kubeconfig %s is not a mapping" % path)
    return config


_PATH_KEYS = {"cluster": ("certificate-authority",), "user": ("client-certificate", "client-key", "tokenFile")}


def _absolute_paths(entry: dict, base_dir: str) -> dict:
    """A copy of a named kubeconfig entry with its file references made absolute relative to ``base_dir``."""
    for section, keys in _PATH_KEYS.items():
        body = entry.get(section)
        if isinstance(body, dict) and any(body.get(key) for key in keys):
            body = dict(body)
            for key in keys:
                if body.get(key):
                    body[key] = os.path.join(base_dir, os.path.expanduser(body[key]))
            entry = dict(entry, **{section: body})
    return entry


def _named(config: dict, section: str, name: str) -> dict:
    for entry in config.get(section) or []:
        if entry.get("name") == name:
            return entry.get(section[:-1]) or {}
    raise KubeConfigError("%s %r not found in kubeconfig" % (section[:-1], name))


def connection_from_kubeconfig(config: dict, context: Optional[str] = None, base_dir: str = ".") -> Connection:
    """The connection of ``context`` (default: the current context) of a parsed kubeconfig."""
    context_name = context or config.get("current-context")
    if not context_name:
        raise KubeConfigError("kubeconfig has no current-context; set the context option")
    context_entry = _named(config, "contexts", context_name)
    cluster = _absolute_paths({"cluster": _named(config, "clusters", context_entry.get("cluster", ""))}, base_dir)["cluster"]
    user = {}
    if context_entry.get("user"):
        user = _absolute_paths({"user": _named(config, "users", context_entry["user"])}, base_dir)["user"]
    if not cluster.get("server"):
        raise KubeConfigError("cluster of context %r has no server" % context_name)
    connection = Connection(
        server=cluster["server"],
        token=user.get("token") or _read_text(user.get("tokenFile")),
        username=user.get("username"),
        password=user.get("password"),
        ca_file=cluster.get("certificate-authority"),
        ca_data=_decode(cluster.get("certificate-authority-data"), text=True),
        client_cert_file=user.get("client-certificate"),
        client_key_file=user.get("client-key"),
        client_cert_data=_decode(user.get("client-certificate-data")),
        client_key_data=_decode(user.get("client-key-data")),
        verify=not cluster.get("insecure-skip-tls-verify", False),
        proxy=cluster.get("proxy-url"),
        impersonate_user=user.get("as"),
        impersonate_groups=tuple(user.get("as-groups") or ()),
    )
    if user.get("exec") or user.get("auth-provider"):
        connection = _with_plugin_credentials(connection, config, context_name)
    return connection


def _with_plugin_credentials(connection: Connection, config: dict, context_name: str) -> Connection:
    """Credentials from an exec or auth-provider plugin, obtained through the kubernetes client (lazy import)."""
    try:
        from kubernetes import client as kube_client, config as kube_config
    except ImportError as err:
        raise KubeConfigError(
            "The kubeconfig user of context %r uses an exec/auth-provider plugin, which needs the "
            "kubernetes Python package" % context_name
        ) from err
    configuration = kube_client.Configuration()
    kube_config.load_kube_config_from_dict(config, context=context_name, client_configuration=configuration)
    authorization = (configuration.api_key or {}).get("authorization") or ""
    return replace(
        connection,
        token=authorization.split(" ", 1)[-1] or connection.token,
        client_cert_file=configuration.cert_file or connection.client_cert_file,
        client_key_file=configuration.key_file or connection.client_key_file,
    )


def in_cluster_connection(environ: Mapping, token_file: str = IN_CLUSTER_TOKEN, ca_file: str = IN_CLUSTER_CA) -> Connection:
    """The pod's service account connection (KUBERNETES_SERVICE_HOST/PORT and the mounted token)."""
    host = environ["KUBERNETES_SERVICE_HOST"]
    if ":" in host:
        host = "[%s]" % host
    token = _read_text(token_file)
    if not token:
        raise KubeConfigError("In-cluster service account token %s is missing or empty" % token_file)
    return Connection(
        server="https://%s:%s" % (host, environ.get("KUBERNETES_SERVICE_PORT", "443")), token=token, ca_file=ca_file
    )


def _override(base: Connection, auth: dict) -> Connection:
    """``base`` with every explicitly set auth option applied on top."""
    overrides = {
        "server": auth["host"],
        "token": auth["api_key"],
        "username": auth["username"],
        "password": auth["password"],
        "verify": auth["validate_certs"],
        "proxy": auth["proxy"],
        "no_proxy": auth["no_proxy"],
        "impersonate_user": auth["impersonate_user"],
        "impersonate_groups": tuple(auth["impersonate_groups"]) if auth["impersonate_groups"] else None,
    }
    if auth["ca_cert"]:
        overrides.update(ca_file=auth["ca_cert"], ca_data=None)
    if auth["client_cert"]:
        overrides.update(client_cert_file=auth["client_cert"], client_cert_data=None)
    if auth["client_key"]:
        overrides.update(client_key_file=auth["client_key"], client_key_data=None)
    connection = replace(base, **{key: value for key, value in overrides.items() if value is not None})
    return replace(connection, server=connection.server.rstrip("/"))


def _decode(data: Optional[str], text: bool = False):
    if not data:
        return None
    decoded = base64.b64decode(data)
    return decoded.decode("ascii") if text else decoded


def _read_text(path: Optional[str]) -> Optional[str]:
    if not path:
        return None
    try:
        with open(path) as stream:
            return stream.read().strip() or None
    except OSError:
        return None
