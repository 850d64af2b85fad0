# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of ``meshsmith.istio.apply``: ``src`` and ``template`` are read (and rendered) on the controller and
handed to the module as ``definition``: the YAML text as written (one string per file), which the module splits
itself - one string crosses JSON and AnsiballZ's argument handling far faster than hundreds of parsed documents.
A failure naming ``definition`` (text that is not YAML) is reported with the file it came from."""

from __future__ import annotations

import os

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase

from ansible_collections.meshsmith.istio.plugins.module_utils.bulk.documents import text_origin

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
        origins: list = []
        try:
            if module_args.get("src") is not None:
                origins, texts = self._texts_of_src(module_args.pop("src"))
                module_args["definition"] = texts[0] if len(texts) == 1 else texts
            elif module_args.get("template") is not None:
                origins, text = self._rendered_template(module_args.pop("template"), task_vars or {})
                module_args["definition"] = text
        except (AnsibleError, OSError) as err:
            result.update(failed=True, msg=to_text(err))
            return result
        result.update(self._execute_module(module_name=self._task.action, module_args=module_args,
                                           task_vars=task_vars))
        if result.get("failed") and origins and isinstance(result.get("msg"), str):
            result["msg"] = _named_origin(result["msg"], origins)
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
