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
import binascii
import logging
import math
import os
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Callable, Iterator, Mapping, Optional
from urllib.parse import unquote, urlsplit

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.args import AUTH_ENV_VARS

IN_CLUSTER_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token"
IN_CLUSTER_CA = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"
FALSE_STRINGS = ("0", "false", "no")
PROXY_SCHEMES = ("http", "https")
SERVER_SCHEMES = ("https", "http")


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
    tls_server_name: Optional[str] = None
    proxy_auth: Optional[str] = None
    token_refresher: Optional[Callable[[], Optional[str]]] = field(default=None, compare=False)
    origins: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)
    """Where ``server``, ``proxy``, ``ca``, ``client_cert``, ``client_key``, ``token`` and the impersonation
    settings came from, for messages."""

    def origin(self, setting: str) -> str:
        return self.origins.get(setting) or setting


_USERINFO = re.compile(r"^((?:[A-Za-z][A-Za-z0-9+.-]*:)?//)?([^/?#]*@)")


def redact_url(url: str) -> str:
    """``url`` with the credentials of its userinfo (``user:password@``) replaced by ``***``; never fails."""
    return _USERINFO.sub(lambda match: (match.group(1) or "") + "***@", str(url), count=1)


def url_secrets(url) -> list:
    """The secret part of a URL's userinfo: the password, or the user name when it has no password."""
    match = _USERINFO.match(url) if isinstance(url, str) else None
    if not match or not match.group(2):
        return []
    user, separator, password = match.group(2)[:-1].partition(":")
    secret = password if separator and password else user
    return sorted({secret, unquote(secret)} - {""})


_SECRET_USER_KEYS = ("token", "password", "client-key-data")


def kubeconfig_secrets(config) -> list:
    """The secrets of a kubeconfig dictionary: users' tokens, passwords, private keys, auth-provider settings and
    exec plugin environment values (names, servers and the rest stay readable in messages). Never fails."""
    secrets: list = []
    users = config.get("users") if isinstance(config, Mapping) else None
    for entry in users if isinstance(users, list) else ():
        user = entry.get("user") if isinstance(entry, Mapping) else None
        if not isinstance(user, Mapping):
            continue
        secrets += [user.get(key) for key in _SECRET_USER_KEYS]
        provider = user.get("auth-provider")
        provider_config = provider.get("config") if isinstance(provider, Mapping) else None
        secrets += list(provider_config.values()) if isinstance(provider_config, Mapping) else []
        plugin = user.get("exec")
        env = plugin.get("env") if isinstance(plugin, Mapping) else None
        secrets += [item.get("value") for item in env if isinstance(item, Mapping)] if isinstance(env, list) else []
    return [secret for secret in secrets if isinstance(secret, str) and secret]


def checked_url(url, option: str, schemes: tuple) -> tuple:
    """``(url without userinfo, "user:password" or None)`` for a valid URL with one of ``schemes``;
    KubeConfigError naming ``option`` (credentials masked) otherwise."""
    shown = redact_url(url)
    if not isinstance(url, str):
        raise KubeConfigError("%s must be a URL string, got %s" % (option, type(url).__name__))
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number from 0 to 65535
    except ValueError as err:
        raise KubeConfigError("%s: %r is not a valid URL (%s)" % (option, shown, err)) from None
    if parts.scheme.lower() not in schemes:
        raise KubeConfigError("%s: %r is not a valid URL: the scheme must be %s" % (
            option, shown, " or ".join(schemes)))
    if not parts.hostname or any(char.isspace() for char in url):
        raise KubeConfigError("%s: %r is not a valid URL: it needs a host name and no spaces" % (option, shown))
    if parts.query or parts.fragment:
        raise KubeConfigError("%s: %r must not have a query or fragment" % (option, shown))
    userinfo = None
    if "@" in parts.netloc:
        userinfo = unquote(parts.netloc.rpartition("@")[0])
        parts = parts._replace(netloc=parts.netloc.rpartition("@")[2])
    return parts.geturl(), userinfo


def checked_timeout(value) -> float:
    """``request_timeout`` as a finite number of seconds above 0, else KubeConfigError."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = math.nan
    if not math.isfinite(seconds) or seconds <= 0:
        raise KubeConfigError("request_timeout must be a finite number of seconds greater than 0, got %r" % (value,))
    return seconds


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
    (see module docstring), every value checked: KubeConfigError naming the option or kubeconfig entry."""
    environ = os.environ if environ is None else environ
    auth = effective_auth(params, environ)
    if auth["host"] and (
        auth["api_key"] or (auth["username"] and auth["password"]) or (auth["client_cert"] and auth["client_key"])
    ):
        base = Connection(server=auth["host"])
    else:
        base = _load_base_connection(auth, environ, home or os.path.expanduser("~"))
    return _checked_header_values(_checked_urls(_override(base, auth)))


def _load_base_connection(auth: dict, environ: Mapping, home: str) -> Connection:
    source = auth["kubeconfig"] or environ.get("KUBECONFIG") or os.path.join(home, ".kube", "config")
    if isinstance(source, Mapping):
        return connection_from_kubeconfig(dict(source), auth["context"], base_dir=os.getcwd())
    if not isinstance(source, str):
        raise KubeConfigError("kubeconfig must be a file path or a kubeconfig dictionary, got %s" % type(source).__name__)
    paths = [path for path in source.split(os.pathsep) if path]
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
        check_kubeconfig_shape(config, "kubeconfig %s" % path)
        base_dir = os.path.dirname(os.path.abspath(path))
        if not merged.get("current-context"):
            merged["current-context"] = config.get("current-context")
        for section in SECTIONS:
            for entry in config.get(section) or []:
                if entry["name"] not in seen[section]:
                    seen[section].add(entry["name"])
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


SECTIONS = ("clusters", "users", "contexts")
_STRING_KEYS = {
    "cluster": ("server", "certificate-authority", "certificate-authority-data", "proxy-url", "tls-server-name"),
    "user": ("token", "tokenFile", "username", "password", "client-certificate", "client-key",
             "client-certificate-data", "client-key-data", "as"),
    "context": ("cluster", "user", "namespace"),
}
_PATH_KEYS = {"cluster": ("certificate-authority",), "user": ("client-certificate", "client-key", "tokenFile")}


def check_kubeconfig_shape(config, label: str = "kubeconfig") -> None:
    """KubeConfigError (naming ``label`` and the entry) unless ``config`` has the structure of a kubeconfig:
    a mapping whose clusters, users and contexts are lists of named entries with typed fields."""
    if not isinstance(config, Mapping):
        raise KubeConfigError("%s must be a mapping, got %s" % (label, type(config).__name__))
    if not isinstance(config.get("current-context") or "", str):
        raise KubeConfigError("%s: current-context must be a string" % label)
    for section in SECTIONS:
        entries = config.get(section) or []
        if not isinstance(entries, list):
            raise KubeConfigError("%s: %s must be a list, got %s" % (label, section, type(entries).__name__))
        kind = section[:-1]
        for index, entry in enumerate(entries):
            where = "%s: %s[%d]" % (label, section, index)
            if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str) or not entry["name"]:
                raise KubeConfigError("%s must be a mapping with a name" % where)
            body = entry.get(kind) or {}
            where = "%s (%s %r)" % (where, kind, entry["name"])
            if not isinstance(body, Mapping):
                raise KubeConfigError("%s: %s must be a mapping" % (where, kind))
            for key in _STRING_KEYS[kind]:
                if body.get(key) is not None and not isinstance(body[key], str):
                    raise KubeConfigError("%s: %s must be a string" % (where, key))
            _check_entry_extras(where, kind, body)


def _check_entry_extras(where: str, kind: str, body: Mapping) -> None:
    if not isinstance(body.get("insecure-skip-tls-verify", False), bool):
        raise KubeConfigError("%s: insecure-skip-tls-verify must be true or false" % where)
    groups = body.get("as-groups") or []
    if not isinstance(groups, list) or not all(isinstance(group, str) for group in groups):
        raise KubeConfigError("%s: as-groups must be a list of strings" % where)
    for plugin in ("exec", "auth-provider"):
        if body.get(plugin) is not None and not isinstance(body[plugin], Mapping):
            raise KubeConfigError("%s: %s must be a mapping" % (where, plugin))
    if kind == "user" and body.get("exec") and not isinstance(body["exec"].get("command"), str):
        raise KubeConfigError("%s: exec.command must be a string" % where)
    if kind == "user" and body.get("auth-provider") and not isinstance(body["auth-provider"].get("name"), str):
        raise KubeConfigError("%s: auth-provider.name must be a string" % where)


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
    if not config.get(section):
        raise KubeConfigError("%s %r not found in kubeconfig: it has no %s" % (section[:-1], name, section))
    raise KubeConfigError("%s %r not found in kubeconfig" % (section[:-1], name))


def connection_from_kubeconfig(config: dict, context: Optional[str] = None, base_dir: str = ".") -> Connection:
    """The connection of ``context`` (default: the current context) of a parsed kubeconfig."""
    check_kubeconfig_shape(config)
    context_name = context or config.get("current-context")
    if not context_name:
        raise KubeConfigError("kubeconfig has no current-context; set the context option")
    context_entry = _named(config, "contexts", context_name)
    if not context_entry.get("cluster"):
        raise KubeConfigError("kubeconfig context %r names no cluster" % context_name)
    cluster_name, user_name = context_entry["cluster"], context_entry.get("user")
    cluster = _absolute_paths({"cluster": _named(config, "clusters", cluster_name)}, base_dir)["cluster"]
    user = _absolute_paths({"user": _named(config, "users", user_name)}, base_dir)["user"] if user_name else {}
    if not cluster.get("server"):
        raise KubeConfigError("cluster of context %r has no server" % context_name)
    in_cluster, in_user = "kubeconfig cluster %r " % cluster_name, "kubeconfig user %r " % user_name
    connection = Connection(
        server=cluster["server"],
        token=user.get("token") or _read_text(user.get("tokenFile")),
        username=user.get("username"),
        password=user.get("password"),
        ca_file=cluster.get("certificate-authority"),
        ca_data=_text(_decode_pem(cluster, "certificate-authority-data", in_cluster)),
        client_cert_file=user.get("client-certificate"),
        client_key_file=user.get("client-key"),
        client_cert_data=_decode_pem(user, "client-certificate-data", in_user),
        client_key_data=_decode_pem(user, "client-key-data", in_user),
        verify=not cluster.get("insecure-skip-tls-verify", False),
        proxy=cluster.get("proxy-url"),
        impersonate_user=user.get("as"),
        impersonate_groups=tuple(user.get("as-groups") or ()),
        tls_server_name=cluster.get("tls-server-name"),
        origins={
            "server": in_cluster + "server", "proxy": in_cluster + "proxy-url",
            "ca": in_cluster + ("certificate-authority-data" if cluster.get("certificate-authority-data")
                                else "certificate-authority"),
            "client_cert": in_user + ("client-certificate-data" if user.get("client-certificate-data")
                                      else "client-certificate"),
            "client_key": in_user + ("client-key-data" if user.get("client-key-data") else "client-key"),
            "token": in_user + ("token" if user.get("token") else "tokenFile"),
            "impersonate_user": in_user + "as", "impersonate_groups": in_user + "as-groups",
        },
    )
    if user.get("exec") or user.get("auth-provider"):
        connection = _with_plugin_credentials(connection, config, context_name, str(user_name))
    return connection


def _with_plugin_credentials(connection: Connection, config: dict, context_name: str, user_name: str) -> Connection:
    """Credentials from an exec or auth-provider plugin, obtained through the kubernetes client (lazy import).

    The client keeps the token as ``api_key["BearerToken"]`` (``Bearer <token>``), and installs a refresh hook
    that runs the plugin again once the token has expired."""
    try:
        from kubernetes import client as kube_client, config as kube_config
    except ImportError as err:
        raise KubeConfigError(
            "The kubeconfig user of context %r uses an exec/auth-provider plugin, which needs the "
            "kubernetes Python package" % context_name
        ) from err
    configuration = kube_client.Configuration()
    with _logged_errors() as errors:
        try:
            kube_config.load_kube_config_from_dict(config, context=context_name, client_configuration=configuration,
                                                   persist_config=False)
        except Exception as err:  # the loader raises ConfigException, ValueError, TypeError... on bad plugin config
            errors.append(str(err))
    token = _bearer_token(configuration)
    plugin = "exec" if "exec" in _named(config, "users", user_name) else "auth-provider"
    if not token and not configuration.cert_file:
        raise KubeConfigError("kubeconfig user %r: its %s plugin gave no credentials%s" % (
            user_name, plugin, ": " + "; ".join(errors) if errors else ""))

    renewal = threading.Lock()  # concurrent requests (apply's writes) run the plugin once, not once each

    def refreshed_token() -> Optional[str]:
        with renewal:
            if configuration.refresh_api_key_hook is not None:
                configuration.refresh_api_key_hook(configuration)
            return _bearer_token(configuration)

    origins = dict(connection.origins, **({"token": "kubeconfig user %r %s plugin" % (user_name, plugin)} if token else {}))
    return replace(
        connection,
        token=token or connection.token,
        origins=origins,
        token_refresher=refreshed_token if configuration.refresh_api_key_hook is not None else None,
        client_cert_file=configuration.cert_file or connection.client_cert_file,
        client_key_file=configuration.key_file or connection.client_key_file,
    )


def _bearer_token(configuration) -> Optional[str]:
    """The bearer token the kubernetes client's loader stored: ``api_key["BearerToken"]``, ``Bearer``-prefixed
    in the value or in ``api_key_prefix`` (a ``Basic`` value is not a token)."""
    value = (configuration.api_key or {}).get("BearerToken") or ""
    prefix = (configuration.api_key_prefix or {}).get("BearerToken")
    if prefix and value:
        value = "%s %s" % (prefix, value)
    return value[len("Bearer "):] or None if value.startswith("Bearer ") else None


@contextmanager
def _logged_errors() -> Iterator[list]:
    """Collect what the kubernetes client logs as errors (it logs a failed exec plugin instead of raising)."""
    messages: list = []

    class Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    root, collector = logging.getLogger(), Collector(logging.ERROR)
    root.addHandler(collector)
    try:
        yield messages
    finally:
        root.removeHandler(collector)


def in_cluster_connection(environ: Mapping, token_file: str = IN_CLUSTER_TOKEN, ca_file: str = IN_CLUSTER_CA) -> Connection:
    """The pod's service account connection (KUBERNETES_SERVICE_HOST/PORT and the mounted token)."""
    host = environ["KUBERNETES_SERVICE_HOST"]
    if ":" in host:
        host = "[%s]" % host
    token = _read_text(token_file)
    if not token:
        raise KubeConfigError("In-cluster service account token %s is missing or empty" % token_file)
    return Connection(
        server="https://%s:%s" % (host, environ.get("KUBERNETES_SERVICE_PORT", "443")), token=token, ca_file=ca_file,
        origins={"server": "KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT", "ca": "in-cluster CA %s" % ca_file},
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
    options = {"server": "host", "proxy": "proxy", "ca": "ca_cert", "client_cert": "client_cert",
               "client_key": "client_key", "token": "api_key", "impersonate_user": "impersonate_user",
               "impersonate_groups": "impersonate_groups"}
    origins = dict(base.origins, **{setting: option for setting, option in options.items() if auth[option]})
    return replace(base, origins=origins, **{key: value for key, value in overrides.items() if value is not None})


def _checked_urls(connection: Connection) -> Connection:
    """``connection`` with valid server and proxy URLs whose credentials (userinfo) are taken out of the URL:
    the server's become basic auth unless other credentials are set, the proxy's become proxy auth."""
    server, server_userinfo = checked_url(connection.server, connection.origin("server"), SERVER_SCHEMES)
    changes: dict = {"server": server.rstrip("/")}
    if server_userinfo and not (connection.token or connection.username):
        username, separator, password = server_userinfo.partition(":")
        changes.update(username=username, password=password if separator else None)
    if connection.proxy:
        changes["proxy"], changes["proxy_auth"] = checked_url(connection.proxy, connection.origin("proxy"), PROXY_SCHEMES)
    return replace(connection, **changes)


# What http.client refuses in a header value (and what could split one header into two).
_HEADER_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def _checked_header_values(connection: Connection) -> Connection:
    """``connection`` unless its token or impersonation values cannot be sent as a header (a line break or another
    control character): KubeConfigError naming the option or kubeconfig entry, never the value (it may be secret)."""
    values = [("token", connection.token), ("impersonate_user", connection.impersonate_user)]
    values += [("impersonate_groups", group) for group in connection.impersonate_groups]
    for setting, value in values:
        if isinstance(value, str) and _HEADER_UNSAFE.search(value):
            raise KubeConfigError("%s: must not contain a line break or another control character (it is sent in "
                                  "an HTTP header)" % connection.origin(setting))
    return connection


def _decode_pem(entry: Mapping, key: str, where: str) -> Optional[bytes]:
    """The PEM text of base64 ``entry[key]``; KubeConfigError naming ``where`` + ``key`` if it is not that."""
    data = entry.get(key)
    if not data:
        return None
    try:
        decoded = base64.b64decode("".join(data.split()), validate=True)
    except (binascii.Error, ValueError):
        raise KubeConfigError("%s%s is not valid base64" % (where, key)) from None
    if b"-----BEGIN " not in decoded:
        raise KubeConfigError("%s%s is not a base64-encoded PEM block (no -----BEGIN line)" % (where, key))
    return decoded


def _text(data: Optional[bytes]) -> Optional[str]:
    return data.decode("ascii", "replace") if data is not None else None


def _read_text(path: Optional[str]) -> Optional[str]:
    if not path:
        return None
    try:
        with open(path) as stream:
            return stream.read().strip() or None
    except OSError:
        return None
