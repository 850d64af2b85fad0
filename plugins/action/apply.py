# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of ``meshsmith.istio.apply``: the manifests are read, parsed and checked on the controller.

``src`` and ``template`` are read (and rendered) here; every document of ``definition``, ``src`` or ``template`` is
parsed and checked (``bulk/documents.py``: names, labels, istiod's rules) before the module runs, so a bad document
fails the task before any request. The module gets the checked set as one JSON text in ``definition``
(``bulk/prepared.py``), in place of the manifests: one string crosses AnsiballZ's argument handling far faster than
hundreds of documents, and the module's code stays small (Ansible packs and compiles every module_utils file a
module imports, on every run). A failure naming ``definition`` (text that is not YAML) is reported with the file it
came from."""

from __future__ import annotations

import os
from typing import cast

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase

from ansible_collections.meshsmith.istio.plugins.module_utils.bulk.documents import (
    ManifestError,
    prepare_set,
    text_origin,
)
from ansible_collections.meshsmith.istio.plugins.module_utils.bulk.prepared import MANIFEST_OPTIONS
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.args import AUTH_ARG_SPEC
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import (
    InvalidOption,
    check_options,
    invalid_option_fields,
    namespace_name,
)
from ansible_collections.meshsmith.istio.plugins.modules.apply import ARGUMENT_SPEC

try:  # ansible-core 2.19+: text read from a file is templated only once marked as trusted
    from ansible.template import trust_as_template
except ImportError:
    trust_as_template = None

MANIFEST_SUFFIXES = (".yaml", ".yml")
# The connection options as the module declares them, without their K8S_AUTH_* fallbacks: the module, on its host,
# reads those variables, not the controller.
CONNECTION_ARG_SPEC = {name: {key: value for key, value in cast(dict, spec).items() if key != "fallback"}
                       for name, spec in AUTH_ARG_SPEC.items()}


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        origins: list = []
        try:
            # the options as the module will see them (Ansible's checks and defaults), the names the documents
            # default to checked as the module checks them
            params = self.validate_argument_spec(argument_spec=dict(ARGUMENT_SPEC, **CONNECTION_ARG_SPEC),
                                                 mutually_exclusive=[MANIFEST_OPTIONS],
                                                 required_one_of=[MANIFEST_OPTIONS])[1]
            check_options(params, dict(namespace=namespace_name))
            if params["src"] is not None:
                origins, texts = self._texts_of_src(params["src"])
                manifests = texts[0] if len(texts) == 1 else texts
            elif params["template"] is not None:
                origins, manifests = self._rendered_template(params["template"], task_vars or {})
            else:
                manifests = params["definition"]
            prepared, warnings = prepare_set(manifests, params["namespace"], params["api_version"],
                                             check_specs=params["state"] == "present")
        except (AnsibleError, OSError) as err:
            result.update(failed=True, msg=to_text(err))
            return result
        except InvalidOption as err:  # bad documents (every error of every document) or a bad namespace
            result.update(failed=True, changed=False, **invalid_option_fields(err, str))
            return result
        except ManifestError as err:
            result.update(failed=True, changed=False, msg=_named_origin(str(err), origins), **err.failure_fields)
            return result
        module_args = {name: value for name, value in self._task.args.items() if name not in MANIFEST_OPTIONS}
        module_args["definition"] = prepared.to_json()
        result.update(self._execute_module(module_name=self._task.action, module_args=module_args,
                                           task_vars=task_vars))
        if warnings:
            result["warnings"] = [str(warning) for warning in warnings] + list(result.get("warnings") or [])
        return result

    def _texts_of_src(self, src: str) -> tuple:
        """``(origins, texts)`` of a file, or of a directory's ``*.yaml``/``*.yml`` files in name order."""
        path = self._find_needle("files", src)
        files = [os.path.join(path, name) for name in sorted(os.listdir(path)) if name.endswith(MANIFEST_SUFFIXES)] \
            if os.path.isdir(path) else [path]
        texts = []
        for name in files:
            with open(name, encoding="utf-8") as stream:
                texts.append(stream.read())
        return ["src %s" % name for name in files], texts or [""]

    def _rendered_template(self, template: str, task_vars: dict) -> tuple:
        """``(origins, text)``: the Jinja template ``template`` rendered with the task's variables."""
        path = self._find_needle("templates", template)
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
        if trust_as_template is not None:
            templar = self._templar.copy_with_new_env(available_variables=task_vars)
            rendered = templar.template(trust_as_template(text), preserve_trailing_newlines=True,
                                        escape_backslashes=False)
        else:  # ansible-core < 2.19
            self._templar.available_variables = task_vars
            rendered = self._templar.do_template(text, preserve_trailing_newlines=True, escape_backslashes=False)
        return ["template %s" % path], str(rendered)


def _named_origin(msg: str, origins: list) -> str:
    """The module's message with the text it names (``definition``, ``definition[2]``) named by its file."""
    for index, origin in enumerate(origins):
        for written in (text_origin("definition", index), "definition") if len(origins) == 1 else \
                (text_origin("definition", index),):
            if msg.startswith(written + ": "):
                return origin + msg[len(written):]
    return msg
