# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``KubeModule``: an AnsibleModule with the auth options, names checked up front, a lazily built API client and
clear API errors."""

from __future__ import annotations

import os
from typing import Optional

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.args import AUTH_ARG_SPEC, merge_option_specs
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.client import (
    HAS_URLLIB3,
    ApiConnectionError,
    ApiError,
    KubeClient,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kubeconfig import (
    KubeConfigError,
    effective_auth,
    kubeconfig_secrets,
    url_secrets,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import (
    InvalidName,
    InvalidOption,
    OptionRules,
    check_options,
)


def api_error_message(err: ApiError, action: str) -> str:
    """``Failed to <action>: <what went wrong>``, with a hint for authentication and authorization errors."""
    if isinstance(err, ApiConnectionError):
        return "Failed to %s: %s" % (action, err)
    if err.status == 401 and not err.credentials_sent:
        return ("Failed to %s: 401 Unauthorized: no credentials were sent: the connection has no api_key, "
                "username/password or client certificate, and the kubeconfig user (if any) has none either" % action)
    if err.status == 401:
        return ("Failed to %s: 401 Unauthorized: the API server rejected the credentials "
                "(check api_key, username/password, client_cert or the kubeconfig user of the context)" % action)
    if err.status == 403:
        return "Failed to %s: 403 Forbidden: %s" % (action, err.message or "permission denied")
    return "Failed to %s: %s" % (action, err)


class KubeModule(AnsibleModule):
    """AnsibleModule plus ``AUTH_ARG_SPEC``, ``client`` (built on first use) and ``fail_from_api_error``.

    ``option_rules`` says which options are names, namespaces, labels or annotations (see ``names.py``): they are
    checked, and stored as they will be sent, before anything else happens. ``connections``: how many requests
    the module sends at once (the client's pool size).
    """

    connections = 1

    def __init__(self, argument_spec: dict, option_rules: Optional[OptionRules] = None, **kwargs) -> None:
        super().__init__(argument_spec=merge_option_specs(AUTH_ARG_SPEC, argument_spec), **kwargs)
        # Credentials written in the host or proxy URL (https://user:password@...) or in a kubeconfig dictionary
        # never reach any output; the kubeconfig's names and server stay readable in messages.
        auth = effective_auth(self.params, os.environ)
        self.no_log_values.update(
            url_secrets(auth["host"]) + url_secrets(auth["proxy"]) + kubeconfig_secrets(auth["kubeconfig"]))
        try:
            check_options(self.params, option_rules or {})
        except InvalidName as err:
            self.fail_invalid(err)
        if not HAS_URLLIB3:
            self.fail_json(msg=missing_required_lib("urllib3"))
        self._client: Optional[KubeClient] = None

    @property
    def client(self) -> KubeClient:
        if self._client is None:
            try:
                client = KubeClient.from_params(self.params, connections=self.connections)
            except (KubeConfigError, OSError) as err:
                self.fail_json(msg="Cannot configure the Kubernetes connection: %s" % err)
            self._client = client
        return self._client

    def fail_invalid(self, err: InvalidOption) -> None:
        """Fail the task for an invalid option: its message, the (first) option path and ``errors``, every error of
        the task (a validation that collects them raises one error holding them all in ``errors``)."""
        errors = getattr(err, "errors", None) or [err]
        self.fail_json(msg=str(err), option=err.path,
                       errors=[dict(option=error.path, msg=error.message) for error in errors])

    def fail_from_api_error(self, err: ApiError, action: str, **extra) -> None:
        """Fail the task for ``err`` raised while trying to ``action`` (``update Gateway ns/name``)."""
        self.fail_json(msg=api_error_message(err, action), status=err.status, reason=err.reason, **extra)
