# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each option is declared once, and the other authorities agree with it:

- for EVERY module in plugins/modules, its DOCUMENTATION options (doc fragments included) are the argument spec
  the module really runs with (names, types, elements, choices, required, defaults, aliases, suboptions);
- for every resource type a module uses, its declaration (``ResourceType.options``) covers the spec of the CRD
  exactly: every CRD spec field has an option, no option lacks a CRD field, with the same types.

The CRDs come from the shared test data (``ISTIO_SHARED_DIR``, ``GATEWAY_API_SHARED_DIR``) or the download cache,
as scripts/pinned_crds.py finds them; skipped when absent, except with ``CI=true``.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import yaml
from ansible.module_utils import basic

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.descriptor import ResourceType
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.options import Option

REPO_ROOT = Path(__file__).resolve().parents[2]
COLLECTION = "ansible_collections.meshsmith.istio.plugins"
MODULE_NAMES = sorted(path.stem for path in (REPO_ROOT / "plugins" / "modules").glob("*.py") if path.stem != "__init__")
# The CRD bundle (scripts/pinned_crds.py) that defines the kinds of an API group.
CRD_BUNDLES = {"networking.istio.io": "istio", "gateway.networking.k8s.io": "gateway-api"}
# CRD types as option types; ``x-kubernetes-int-or-string`` fields are options of type ``raw``.
OPTION_TYPES = {"string": "str", "integer": "int", "boolean": "bool", "number": "float", "object": "dict",
                "array": "list"}
# Deliberate differences between a declaration and its CRD: (kind, spec path) -> why.
EXCEPTIONS = {
    ("VirtualService", "spec.http.mirror_percent"):
        "Istio's deprecated snake_case twin of mirrorPercent; option mirror_percent sets mirrorPercent",
}


def import_module(name: str):
    return importlib.import_module("%s.modules.%s" % (COLLECTION, name))


class _Captured(Exception):
    pass


def argument_spec_of(name: str, monkeypatch) -> dict:
    """The argument spec the module ``name`` builds its AnsibleModule with (its ``main`` stops right there)."""
    def capture(self, argument_spec, **kwargs):
        raise _Captured(argument_spec)

    monkeypatch.setattr(basic.AnsibleModule, "__init__", capture)
    with pytest.raises(_Captured) as captured:
        import_module(name).main()
    return captured.value.args[0]


def documented_options(name: str) -> dict:
    """The options of the module's DOCUMENTATION with its doc fragments merged in as ansible-doc merges them
    (an option of the module replaces the fragment's option of the same name)."""
    doc = yaml.safe_load(import_module(name).DOCUMENTATION)
    options: dict = {}
    for fragment in doc.get("extends_documentation_fragment") or []:
        module_name, _dot, variable = fragment.split(".", 2)[2].partition(".")
        fragment_class = importlib.import_module("%s.doc_fragments.%s" % (COLLECTION, module_name)).ModuleDocFragment
        options.update(yaml.safe_load(getattr(fragment_class, (variable or "documentation").upper())).get("options") or {})
    options.update(doc.get("options") or {})
    return options


def doc_tree(options: dict) -> dict:
    """What an options tree of DOCUMENTATION says about each option, in the argument spec's terms."""
    return {name: dict(type=option.get("type", "str"), elements=option.get("elements"),
                       choices=option.get("choices"), required=option.get("required", False),
                       default=option.get("default"), aliases=sorted(option.get("aliases") or []),
                       options=doc_tree(option["suboptions"]) if option.get("suboptions") else None)
            for name, option in options.items()}


def spec_tree(spec: dict) -> dict:
    """The same for an argument spec."""
    return {name: dict(type=option.get("type", "str"), elements=option.get("elements"),
                       choices=list(option["choices"]) if option.get("choices") else None,
                       required=option.get("required", False), default=option.get("default"),
                       aliases=sorted(option.get("aliases") or []),
                       options=spec_tree(option["options"]) if option.get("options") else None)
            for name, option in spec.items()}


def differences(documented: dict, spec: dict, path: str = "") -> list:
    """Where two trees (``doc_tree``, ``spec_tree``) disagree, as readable lines."""
    found = []
    for name in sorted(set(documented) | set(spec)):
        where = path + name
        if name not in spec:
            found.append("%s: documented, not in the argument spec" % where)
        elif name not in documented:
            found.append("%s: in the argument spec, not documented" % where)
        else:
            for field in ("type", "elements", "choices", "required", "default", "aliases"):
                if documented[name][field] != spec[name][field]:
                    found.append("%s: %s is %r in DOCUMENTATION, %r in the argument spec"
                                 % (where, field, documented[name][field], spec[name][field]))
            found.extend(differences(documented[name]["options"] or {}, spec[name]["options"] or {}, where + "."))
    return found


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_documentation_is_the_argument_spec(name, monkeypatch):
    assert differences(doc_tree(documented_options(name)), spec_tree(argument_spec_of(name, monkeypatch))) == []


def test_documentation_check_sees_a_difference():
    documented = doc_tree({"tls": {"type": "dict", "suboptions": {"mode": {"type": "str", "choices": ["A"]}}}})
    spec = spec_tree({"tls": {"type": "dict", "options": {"mode": {"type": "str", "choices": ["A", "B"]},
                                                          "ca_crl": {"type": "str"}}}})
    assert differences(documented, spec) == [
        "tls.ca_crl: in the argument spec, not documented",
        "tls.mode: choices is ['A'] in DOCUMENTATION, ['A', 'B'] in the argument spec",
    ]


def resource_types() -> list:
    """Every resource type a module runs with, once."""
    found = {}
    for name in MODULE_NAMES:
        for value in vars(import_module(name)).values():
            if isinstance(value, ResourceType) and value.options:
                found[(value.group, value.plural)] = value
    return [pytest.param(resource, id=resource.kind) for resource in found.values()]


def crd_spec_schemas(resource: ResourceType, pinned_crds) -> dict:
    """The spec schema of each served version of the CRD of ``resource``."""
    bundle = pinned_crds.BUNDLES[CRD_BUNDLES[resource.group]]
    directory = pinned_crds.for_tests(bundle, pytest.skip, pytest.fail)
    crd_file = bundle.crd_file_pattern.format(name="%s.%s" % (resource.plural, resource.group),
                                              plural=resource.plural, group=resource.group)
    crd = yaml.safe_load((directory / crd_file).read_text())
    return {version["name"]: version["schema"]["openAPIV3Schema"]["properties"]["spec"]
            for version in crd["spec"]["versions"] if version["name"] in resource.versions}


def option_type(schema: dict) -> str:
    return "raw" if schema.get("x-kubernetes-int-or-string") else OPTION_TYPES.get(schema.get("type", ""), "?")


def mismatches(schema: dict, options: tuple, path: str = "spec") -> list:
    """Where the declaration ``options`` and the CRD ``schema`` (an object's) disagree."""
    declared = {option.key: option for option in options if option.in_spec}
    properties = schema.get("properties") or {}
    found = ["%s.%s: no option for this CRD field" % (path, key) for key in sorted(set(properties) - set(declared))]
    found += ["%s.%s: option %r has no CRD field" % (path, key, declared[key].name)
              for key in sorted(set(declared) - set(properties))]
    for key in sorted(set(properties) & set(declared)):
        found.extend(_field_mismatches(properties[key], declared[key], "%s.%s" % (path, key)))
    return found


def _field_mismatches(schema: dict, option: Option, path: str) -> list:
    if option_type(schema) != option.type:
        return ["%s: option type %s, CRD type %s" % (path, option.type, option_type(schema))]
    if option.type == "list":
        schema = schema.get("items") or {}
        if option_type(schema) != (option.elements or "str"):
            return ["%s: option elements %s, CRD items %s" % (path, option.elements, option_type(schema))]
    if schema.get("properties"):
        return mismatches(schema, option.suboptions, path)
    if option.suboptions:
        return ["%s: option has suboptions, the CRD field is a free-form map" % path]
    return []


@pytest.mark.parametrize("resource", resource_types())
def test_declaration_is_the_crd_schema(resource, pinned_crds):
    for version, schema in crd_spec_schemas(resource, pinned_crds).items():
        found = [line for line in mismatches(schema, resource.options)
                 if (resource.kind, line.partition(":")[0]) not in EXCEPTIONS]
        assert found == [], version


def test_crd_check_sees_a_mismatch():
    schema = {"properties": {"tls": {"type": "object", "properties": {
        "mode": {"type": "string"}, "httpsRedirect": {"type": "boolean"}}}}}
    options = (Option("tls", "dict", suboptions=(Option("mode", "int"), Option("ca_crl"))),
               Option("servers_mode", in_spec=False))
    assert mismatches(schema, options) == [
        "spec.tls.httpsRedirect: no option for this CRD field",
        "spec.tls.caCrl: option 'ca_crl' has no CRD field",
        "spec.tls.mode: option type int, CRD type str",
    ]
