# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Messages a user reads when the API refuses or cannot be reached."""

from __future__ import annotations

from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.client import ApiConnectionError, ApiError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.module import (
    api_error_message,
    argument_check_message,
)

TARGET = "Gateway istio-system/default-gateway"


def test_invalid_lists_the_servers_field_causes():
    err = ApiError(422, "Invalid", "long server message",
                   ({"field": "spec.servers[0].port.number", "message": "Required value"},
                    {"field": "spec.servers[0].hosts", "message": "Required value"}), method="PUT")
    assert api_error_message(err, "%s %s" % (err.verb, TARGET)) == (
        "Failed to update Gateway istio-system/default-gateway: 422 Invalid: "
        "spec.servers[0].port.number: Required value; spec.servers[0].hosts: Required value")


def test_unauthorized_and_forbidden_explain_what_to_check():
    unauthorized = api_error_message(ApiError(401, "Unauthorized", "Unauthorized"), "read " + TARGET)
    assert unauthorized.startswith("Failed to read Gateway istio-system/default-gateway: 401 Unauthorized: ")
    assert "api_key" in unauthorized and "kubeconfig" in unauthorized
    forbidden = ApiError(403, "Forbidden", 'gateways.networking.istio.io is forbidden: User "jane" cannot create')
    assert api_error_message(forbidden, "create " + TARGET) == (
        'Failed to create Gateway istio-system/default-gateway: 403 Forbidden: '
        'gateways.networking.istio.io is forbidden: User "jane" cannot create')


def test_connection_errors_keep_their_own_message():
    err = ApiConnectionError("https://h", "Cannot connect to the API server at https://h (4 attempts): refused")
    assert api_error_message(err, "read " + TARGET) == \
        "Failed to read Gateway istio-system/default-gateway: Cannot connect to the API server at https://h (4 attempts): refused"


SERVERS_SPEC = {"servers": {"type": "list", "elements": "dict", "options": {
    "port": {"type": "dict", "options": {"number": {"type": "int"}}}}}}


def test_argument_check_message_names_the_option_of_a_string_given_for_a_dict():
    errors = ArgumentSpecValidator(SERVERS_SPEC).validate({"servers": "port 80"}).errors
    assert errors.msg == "dictionary requested, could not parse JSON or key=value"  # Ansible's own first error
    assert argument_check_message(errors, errors.msg).startswith("Elements value for option 'servers' is of type ")


def test_argument_check_message_keeps_a_first_error_that_names_the_option():
    errors = ArgumentSpecValidator(SERVERS_SPEC).validate({"servers": [{"port": {"number": "x"}}]}).errors
    assert argument_check_message(errors, errors.msg) == errors.msg
    assert "'servers -> port'" in errors.msg
