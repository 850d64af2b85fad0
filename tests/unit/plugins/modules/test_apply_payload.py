# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What Ansible packs into apply's payload: every module_utils file the module imports, found as Ansible's
``recursive_finder`` finds them (every import statement, at any depth), is packed and compiled on each task. The
YAML parser, the validators and the descriptors run in the action plugin on the controller instead."""

from __future__ import annotations

import ast
from pathlib import Path

COLLECTION_ROOT = Path(__file__).resolve().parents[4]
PREFIX = "ansible_collections.meshsmith.istio."
CONTROLLER_ONLY = ("plugins.module_utils.bulk.documents", "plugins.module_utils.istio.descriptors",
                   "plugins.module_utils.istio.validation", "plugins.module_utils.engine.options")


def imported_collection_files(module: str, at_import: bool = False) -> dict:
    """``{dotted name: size}`` of the collection files ``module`` (dotted, below the collection) imports,
    transitively: every import statement as Ansible packs them, or (``at_import``) those run when it is imported."""
    found: dict = {}
    pending = [module]
    while pending:
        name = pending.pop()
        path = COLLECTION_ROOT.joinpath(*name.split(".")).with_suffix(".py")
        if name in found or not path.is_file():
            continue
        source = path.read_text()
        found[name] = len(source)
        for node in (_run_at_import(ast.parse(source)) if at_import else ast.walk(ast.parse(source))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PREFIX):
                pending.append(node.module[len(PREFIX):])
            elif isinstance(node, ast.Import):
                pending.extend(alias.name[len(PREFIX):] for alias in node.names if alias.name.startswith(PREFIX))
    return found


def _run_at_import(node: ast.AST):
    """The nodes run when the module is imported: not function bodies, nor ``if TYPE_CHECKING:`` blocks."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        type_checking = isinstance(child, ast.If) and isinstance(child.test, ast.Name) and child.test.id == "TYPE_CHECKING"
        for statement in child.orelse if type_checking else [child]:
            yield statement
            yield from _run_at_import(statement)


def test_the_apply_module_packs_neither_the_yaml_reader_nor_the_validators():
    packed = imported_collection_files("plugins.modules.apply")
    assert "plugins.module_utils.bulk.converge" in packed and "plugins.module_utils.k8s.client" in packed
    assert [name for name in packed if name.startswith(CONTROLLER_ONLY)] == []
    assert not any("yaml" in name for name in packed)


def test_the_action_plugin_checks_the_documents_on_the_controller():
    controller = imported_collection_files("plugins.action.apply", at_import=True)
    assert "plugins.module_utils.bulk.documents" in controller and "plugins.module_utils.istio.descriptors" in controller
    assert "plugins.module_utils.k8s.client" not in controller, "the controller side does not import urllib3"
