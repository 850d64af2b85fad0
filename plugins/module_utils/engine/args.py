# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Argument specs shared by the modules; documented in the doc fragments of the same names."""

from __future__ import annotations

# Named, aliased and typed as in kubernetes.core, so tasks and module_defaults carry over unchanged.
AUTH_ARG_SPEC = {
    "kubeconfig": {"type": "raw"},  # its secrets are masked one by one (see KubeModule)
    "context": {"type": "str"},
    "host": {"type": "str"},
    "api_key": {"type": "str", "no_log": True},
    "username": {"type": "str"},
    "password": {"type": "str", "no_log": True},
    "validate_certs": {"type": "bool", "aliases": ["verify_ssl"]},
    "ca_cert": {"type": "path", "aliases": ["ssl_ca_cert"]},
    "client_cert": {"type": "path", "aliases": ["cert_file"]},
    "client_key": {"type": "path", "aliases": ["key_file"], "no_log": True},
    "proxy": {"type": "str"},
    "no_proxy": {"type": "str"},
    "impersonate_user": {"type": "str"},
    "impersonate_groups": {"type": "list", "elements": "str"},
    "request_timeout": {"type": "float", "default": 30.0},
    "retries": {"type": "int", "default": 3},
}

# Environment variables read when an option is not set, as kubernetes.core reads them:
# K8S_AUTH_ + the option name, or + the name of kubernetes.core's client setting.
AUTH_ENV_VARS = {
    "kubeconfig": ("K8S_AUTH_KUBECONFIG",),
    "context": ("K8S_AUTH_CONTEXT",),
    "host": ("K8S_AUTH_HOST",),
    "api_key": ("K8S_AUTH_API_KEY",),
    "username": ("K8S_AUTH_USERNAME",),
    "password": ("K8S_AUTH_PASSWORD",),
    "validate_certs": ("K8S_AUTH_VALIDATE_CERTS", "K8S_AUTH_VERIFY_SSL"),
    "ca_cert": ("K8S_AUTH_CA_CERT", "K8S_AUTH_SSL_CA_CERT"),
    "client_cert": ("K8S_AUTH_CLIENT_CERT", "K8S_AUTH_CERT_FILE"),
    "client_key": ("K8S_AUTH_CLIENT_KEY", "K8S_AUTH_KEY_FILE"),
    "proxy": ("K8S_AUTH_PROXY",),
    "no_proxy": ("K8S_AUTH_NO_PROXY",),
    "impersonate_user": ("K8S_AUTH_IMPERSONATE_USER",),
    "impersonate_groups": ("K8S_AUTH_IMPERSONATE_GROUPS",),
}


def api_version_option(api_versions: list) -> dict:
    """The ``api_version`` option of a module reading or writing a kind served at ``api_versions`` (default first)."""
    return {"type": "str", "default": api_versions[0], "choices": list(api_versions)}


# The options of every resource module besides its kind's own (``api_version`` comes from its descriptor).
# ``name`` is required unless ``definition`` (a manifest, see definition.py) gives it.
RESOURCE_ARG_SPEC = {
    "name": {"type": "str"},
    "definition": {"type": "raw"},
    "namespace": {"type": "str", "default": "default"},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
    "labels": {"type": "dict"},
    "annotations": {"type": "dict"},
    "purge_labels": {"type": "bool", "default": False},
    "purge_annotations": {"type": "bool", "default": False},
}

# The options of every info module besides ``api_version``.
INFO_ARG_SPEC = {
    "name": {"type": "str"},
    "namespace": {"type": "str"},
    "label_selectors": {"type": "list", "elements": "str", "default": []},
    "field_selectors": {"type": "list", "elements": "str", "default": []},
}


def merge_option_specs(*specs: dict) -> dict:
    """One argument spec from several; an option defined twice (say a module's own ``host`` shadowing the
    API server's) is a programming error, raised rather than silently overridden."""
    merged: dict = {}
    for spec in specs:
        clashes = sorted(set(merged) & set(spec))
        if clashes:
            raise ValueError("option defined twice: %s" % ", ".join(clashes))
        merged.update(spec)
    return merged
