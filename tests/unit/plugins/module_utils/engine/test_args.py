# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""No module option may shadow a connection option: module_defaults for the group set them for every module."""

from __future__ import annotations

import importlib

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.args import AUTH_ARG_SPEC, merge_option_specs
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.info import info_argument_spec
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.resource import resource_argument_spec
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import GATEWAY, VIRTUAL_SERVICE

MODULES_WITH_OWN_SPEC = ("service_type", "ingress_info", "route_check")


def test_merge_refuses_an_option_defined_twice() -> None:
    with pytest.raises(ValueError, match="option defined twice: host"):
        merge_option_specs(AUTH_ARG_SPEC, {"host": {"type": "str"}, "port": {"type": "int"}})


def test_merge_keeps_every_option() -> None:
    assert merge_option_specs({"a": {}}, {"b": {}}, {"c": {}}) == {"a": {}, "b": {}, "c": {}}


@pytest.mark.parametrize("module_name", MODULES_WITH_OWN_SPEC)
def test_module_options_leave_the_connection_options_alone(module_name: str) -> None:
    module = importlib.import_module("ansible_collections.meshsmith.istio.plugins.modules." + module_name)
    merge_option_specs(AUTH_ARG_SPEC, module.ARGUMENT_SPEC)


@pytest.mark.parametrize("resource", [GATEWAY, VIRTUAL_SERVICE], ids=lambda resource: resource.kind)
def test_engine_options_leave_the_connection_options_alone(resource) -> None:
    merge_option_specs(AUTH_ARG_SPEC, resource_argument_spec(resource))
    merge_option_specs(AUTH_ARG_SPEC, info_argument_spec(resource))
