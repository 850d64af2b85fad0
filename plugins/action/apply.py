# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of ``meshsmith.istio.apply``: ``src`` and ``template`` are read (and rendered) on the controller,
split into documents, and handed to the module as ``definition``."""

from __future__ import annotations

import os

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase

from ansible_collections.meshsmith.istio.plugins.module_utils.bulk.documents import ManifestError, split_documents

try:  # ansible-core 2.19+: text read from a file is templated only once marked as trusted
    from ansible.template import trust_as_template
except ImportError:
    trust_as_template = None

MANIFEST_SUFFIXES = (".yaml", ".yml")


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        module_args = dict(self._task.args)
        try:
            if module_args.get("src") is not None:
                module_args["definition"] = self._documents_of_src(module_args.pop("src"))
            elif module_args.get("template") is not None:
                module_args["definition"] = self._rendered_template(module_args.pop("template"), task_vars or {})
        except (AnsibleError, ManifestError, OSError) as err:
            result.update(failed=True, msg=to_text(err))
            return result
        result.update(self._execute_module(module_name=self._task.action, module_args=module_args,
                                           task_vars=task_vars))
        return result

    def _documents_of_src(self, src: str) -> list:
        """The documents of a file, or of a directory's ``*.yaml``/``*.yml`` files in name order."""
        path = self._find_needle("files", src)
        files = [os.path.join(path, name) for name in sorted(os.listdir(path)) if name.endswith(MANIFEST_SUFFIXES)] \
            if os.path.isdir(path) else [path]
        documents: list = []
        for name in files:
            with open(name, encoding="utf-8") as stream:
                documents.extend(split_documents(stream.read(), "src %s" % name))
        return documents

    def _rendered_template(self, template: str, task_vars: dict) -> list:
        """The documents of the Jinja template ``template``, rendered with the task's variables."""
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
        return split_documents(rendered, "template %s" % path)
