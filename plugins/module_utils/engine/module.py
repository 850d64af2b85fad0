# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``KubeModule``: an AnsibleModule with the auth options, names checked up front, a lazily built API client, and
every failure mapped in one place (``KubeModule.failures``)."""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator, Optional, Union

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible.module_utils.errors import DeprecationError, NoLogError

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.args import AUTH_ARG_SPEC, merge_option_specs
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.client import (
    HAS_URLLIB3,
    ApiConnectionError,
    ApiError,
    KubeClient,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kinds import InvalidPath
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kubeconfig import (
    KubeConfigError,
    effective_auth,
    kubeconfig_secrets,
    url_secrets,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import (
    InvalidOption,
    OptionRules,
    check_options,
    invalid_option_fields,
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


def argument_check_message(errors: Iterable[Exception], message: str) -> str:
    """The message of a failed argument check: Ansible's (``message``, its first error) unless that error names no
    option. A string where a dict is expected fails first in Ansible's no_log or deprecation scan, whose text
    ("dictionary requested, could not parse JSON or key=value") names none; the type check's error that follows
    names the option."""
    errors = list(errors)
    if errors and isinstance(errors[0], (NoLogError, DeprecationError)):
        return next((str(error) for error in errors if not isinstance(error, (NoLogError, DeprecationError))), message)
    return message


class KubeModule(AnsibleModule):
    """AnsibleModule plus ``AUTH_ARG_SPEC``, ``client`` (built on first use) and ``failures``.

    ``option_rules`` says which options are names, namespaces, labels or annotations (see ``names.py``): they are
    checked, and stored as they will be sent, before anything else happens. ``option_path`` turns the API field
    path of an error into the option path a user wrote (a resource module's declaration, see ``options.py``;
    by default, ``str``, paths are shown as they are). ``connections``: how many requests the module sends at
    once (the client's pool size). ``prepare_params`` rewrites the parameters as given before Ansible validates
    them (say a ``definition`` turned into options); the InvalidOption it raises fails the task.
    Every failure goes through ``failures``, the one place exceptions become failed tasks.
    """

    connections = 1

    def __init__(self, argument_spec: dict, option_rules: Optional[OptionRules] = None,
                 option_path: Callable[[str], str] = str,
                 prepare_params: Optional[Callable[[dict], dict]] = None, **kwargs) -> None:
        self._prepare_params = prepare_params
        self._unprepared: Optional[InvalidOption] = None
        self._checking_arguments = True
        super().__init__(argument_spec=merge_option_specs(AUTH_ARG_SPEC, argument_spec), **kwargs)
        self._checking_arguments = False
        self.option_path = option_path
        # Credentials written in the host or proxy URL (https://user:password@...) or in a kubeconfig dictionary
        # never reach any output; the kubeconfig's names and server stay readable in messages.
        auth = effective_auth(self.params, os.environ)
        self.no_log_values.update(
            url_secrets(auth["host"]) + url_secrets(auth["proxy"]) + kubeconfig_secrets(auth["kubeconfig"]))
        with self.failures("check the options"):
            if self._unprepared:
                raise self._unprepared
            check_options(self.params, option_rules or {})
        if not HAS_URLLIB3:
            self.fail_json(msg=missing_required_lib("urllib3"))
        self._client: Optional[KubeClient] = None

    def fail_json(self, msg: str, **kwargs: Any) -> None:
        """AnsibleModule's ``fail_json``; during Ansible's argument check, with the message that names the option."""
        result = getattr(self, "validation_result", None)
        if self._checking_arguments and result is not None:
            msg = argument_check_message(result.errors, msg)
        super().fail_json(msg=msg, **kwargs)

    def _load_params(self) -> None:
        """AnsibleModule's parameters, rewritten by ``prepare_params``; its error is raised once the module is set
        up (the parameters stay as given meanwhile)."""
        super()._load_params()
        if self._prepare_params:
            try:
                self.params: dict = self._prepare_params(self.params)
            except InvalidOption as err:
                self._unprepared = err

    @property
    def client(self) -> KubeClient:
        """The API client, built on first use; KubeConfigError for connection settings that cannot work."""
        if self._client is None:
            try:
                self._client = KubeClient.from_params(self.params, connections=self.connections)
            except OSError as err:
                raise KubeConfigError(str(err)) from err
        return self._client

    @contextmanager
    def failures(self, action: Union[str, Callable[[ApiError], str]], *user_errors: type[Exception],
                 **extra) -> Iterator[None]:
        """Fail the task, in one shape per cause, for what the block raises: InvalidOption (``msg``, ``option``,
        ``errors``), ApiError (``Failed to <action>: ...``, ``status``, ``reason``; ``action`` may be a function of
        the error, and an ``api_action`` inside names its own), KubeConfigError, and InvalidPath or one of
        ``user_errors`` (their text). ``extra`` goes into every failure (say ``changed``)."""
        reported_as_text: tuple[type[Exception], ...] = (InvalidPath,) + user_errors
        try:
            yield
        except InvalidOption as err:
            self.fail_json(**invalid_option_fields(err, self.option_path), **extra)
        except ApiError as err:
            described = err.action or (action(err) if callable(action) else action)
            self.fail_json(msg=api_error_message(err, described), status=err.status, reason=err.reason, **extra)
        except KubeConfigError as err:
            self.fail_json(msg="Cannot configure the Kubernetes connection: %s" % err, **extra)
        except reported_as_text as err:
            self.fail_json(msg=str(err), **dict(extra, **getattr(err, "failure_fields", {})))
