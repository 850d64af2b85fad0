#!/usr/bin/env python3
"""Run every test and gate of the collection (``make test``), stopping at the first red one.

Each gate runs only when its inputs exist (a gate for molecule scenarios skips while there are none) and
prints its wall time; a summary table ends every run, including a failed one. pytest's exit code 5
("no tests collected") counts as a skip, never a failure.

    scripts/run_tests.py                 # every gate
    scripts/run_tests.py sanity units    # only the named gates, in the standard order
    scripts/run_tests.py --list          # the gates and what they check
    scripts/run_tests.py --keep-going    # every gate, even after a failure

Runs with .venv/bin/python (``make venv`` first). ansible-test needs the collection at
``.../ansible_collections/meshsmith/istio``: the gates that use it work on a copy of the collection's files in
``.tmp/ansible_collections/meshsmith/istio`` with kubernetes.core beside it, synced at every run.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = REPO_ROOT / ".venv" / "bin"
OLDEST_VENV_BIN = REPO_ROOT / ".venv-oldest" / "bin"
COLLECTIONS_PATH = REPO_ROOT / ".venv" / "collections"
SCRATCH = REPO_ROOT / ".tmp"
TEST_ROOT = SCRATCH / "ansible_collections"
TEST_COLLECTION = TEST_ROOT / "meshsmith" / "istio"
BUILD_DIR = SCRATCH / "build"
PYTHON_VERSION = "3.11"
PYTEST_NO_TESTS_COLLECTED = 5

# Who runs which tests/ folder; a folder holding Python tests outside these sets fails the layout gate.
PYTEST_SUITES = {"kubesim", "integration"}
ANSIBLE_TEST_FOLDERS = {"unit", "sanity", "output"}
DATA_FOLDERS = {"charts", "fixtures"}
# Files ansible-test needs although galaxy.yml's build_ignore keeps them out of the artefact.
ANSIBLE_TEST_INPUTS = ("tests/config.yml", "tests/unit/*", "tests/sanity/*")
LINTED_PYTHON = ("plugins", "tools/kubesim/src", "tools/kubesim/tests", "scripts", "tests", "benchmarks")
# The documentation site (`make docs`): sources in docs/site/ and docs/docsite/, everything generated under .tmp/docs/.
DOCS_SITE = REPO_ROOT / "docs" / "site"
DOCS_BUILD = SCRATCH / "docs"
# Markdown pages of the repository shown on the site, by their page name there.
DOCS_MARKDOWN_PAGES = {"README.md": "overview.md", "docs/architecture.md": "project/architecture.md",
                       "docs/benchmarks.md": "project/benchmarks.md"}
MARKDOWN_LINK = re.compile(r"\]\((?P<target>[^)\s#]+)(?P<anchor>#[^)\s]*)?\)")


@dataclass
class Step:
    """One command of a gate."""

    argv: list[str | Path]
    cwd: Path = REPO_ROOT
    env: dict[str, str] = field(default_factory=dict)
    allowed_codes: tuple[int, ...] = (0,)
    quiet: bool = False  # discard stdout (errors still show on stderr)


@dataclass
class Plan:
    """What a gate will do: its steps, or why it skips."""

    steps: list[Step] = field(default_factory=list)
    skip_reason: str = ""
    failure: str = ""


@dataclass
class Gate:
    """A named check: ``plan`` looks at the tree and says what to run."""

    name: str
    summary: str
    plan: Callable[[], Plan]


@dataclass
class Outcome:
    """How a gate ended."""

    gate: str
    status: str
    seconds: float
    note: str = ""


def skip(reason: str) -> Plan:
    """A plan that runs nothing."""
    return Plan(skip_reason=reason)


def fail(reason: str) -> Plan:
    """A plan that fails without running anything."""
    return Plan(failure=reason)


def existing(paths: tuple[str, ...] | list[str]) -> list[str]:
    """The given repo-relative paths that exist."""
    return [path for path in paths if (REPO_ROOT / path).exists()]


def python_files(folder: Path) -> list[Path]:
    """Python files below a folder."""
    return sorted(folder.rglob("*.py")) if folder.is_dir() else []


def has_pytest_files(folder: Path) -> bool:
    """True when a folder holds pytest test modules."""
    return any(path.name.startswith("test_") or path.name.endswith("_test.py") for path in python_files(folder))


def tool(name: str, bin_dir: Path = VENV_BIN) -> str:
    """Absolute path of a venv executable."""
    return str(bin_dir / name)


def tool_environment(bin_dir: Path = VENV_BIN) -> dict[str, str]:
    """Environment for every gate: the venv's tools first on PATH, both collections resolvable."""
    path = os.pathsep.join([str(bin_dir), str(VENV_BIN), os.environ.get("PATH", "")])
    return {"PATH": path, "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS_PATH), "PYTHONDONTWRITEBYTECODE": "1"}


# --- the ansible_collections/ layout for ansible-test, mypy and the build ------------------------------------


def collection_files() -> list[str]:
    """Repo-relative files of the collection: git-tracked or untracked-but-not-ignored, minus build_ignore."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO_ROOT, capture_output=True, text=True, check=True,
    ).stdout.split("\0")
    ignore = yaml.safe_load((REPO_ROOT / "galaxy.yml").read_text()).get("build_ignore", [])

    def wanted(path: str) -> bool:
        if any(fnmatch.fnmatch(path, pattern) for pattern in ANSIBLE_TEST_INPUTS):
            return True
        parts = Path(path).parts
        prefixes = ["/".join(parts[: depth + 1]) for depth in range(len(parts))]
        return not any(fnmatch.fnmatch(prefix, pattern) for prefix in prefixes for pattern in ignore)

    return sorted(path for path in listed if path and wanted(path) and (REPO_ROOT / path).is_file())


def build_test_collection() -> None:
    """Sync .tmp/ansible_collections/meshsmith/istio with the collection's files, kubernetes.core beside it.

    The copy is a git repository of its own: ansible-test lists files through the nearest repository above the
    collection and would otherwise find this one, where .tmp/ is ignored, and test nothing. ansible-test's
    output and venvs (tests/output/) survive between runs.
    """
    wanted = collection_files()
    kept = {*wanted, ".git", "tests/output"}
    if TEST_COLLECTION.exists():
        for path in sorted(TEST_COLLECTION.rglob("*"), reverse=True):
            relative = path.relative_to(TEST_COLLECTION).as_posix()
            if any(relative == keep or relative.startswith(keep + "/") for keep in (".git", "tests/output")):
                continue
            if path.is_file() and relative not in kept:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    for relative in wanted:
        source, target = REPO_ROOT / relative, TEST_COLLECTION / relative
        if not target.exists() or target.read_bytes() != source.read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    if not (TEST_COLLECTION / ".git").exists():
        subprocess.run(["git", "init", "--quiet", TEST_COLLECTION], check=True)
        (TEST_COLLECTION / ".git" / "info" / "exclude").write_text("/tests/output/\n")
    kubernetes_core = TEST_ROOT / "kubernetes" / "core"
    if not kubernetes_core.is_symlink():
        kubernetes_core.parent.mkdir(parents=True, exist_ok=True)
        kubernetes_core.symlink_to(COLLECTIONS_PATH / "ansible_collections" / "kubernetes" / "core")


def seed_get_pip() -> None:
    """Make ansible-test's per-test venvs bootstrap pip offline.

    ansible-test downloads ``get-pip-<version>.py`` from the internet unless ``~/.ansible/test/cache`` holds it.
    The stand-in bootstraps pip with the standard library's ensurepip, then runs ``pip install`` with the
    arguments ansible-test gives (the pinned pip version), minus get-pip's own options. ansible-test strips the
    environment, so pip reads its index and certificate settings from the machine's pip config files.
    """
    requirements = Path(
        subprocess.run([tool("python"), "-c", "import ansible_test, os; print(os.path.dirname(ansible_test.__file__))"],
                       capture_output=True, text=True, check=True).stdout.strip()
    ) / "_internal" / "python_requirements.py"
    pip_version = next(
        line.split("'")[1] for line in requirements.read_text().splitlines() if line.strip().startswith("pip='")
    )
    cache = Path.home() / ".ansible" / "test" / "cache" / f"get_pip_{pip_version.replace('.', '_')}.py"
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(
        '"""Offline stand-in for get-pip.py, written by meshsmith.istio scripts/run_tests.py."""\n'
        "import subprocess\nimport sys\n\n"
        "GET_PIP_ONLY = {'--no-setuptools', '--no-wheel'}\n\n"
        "# In a child process: ensurepip points PIP_CONFIG_FILE at /dev/null in the environment of its caller.\n"
        "subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade'])\n"
        "arguments = [argument for argument in sys.argv[1:] if argument not in GET_PIP_ONLY]\n"
        "sys.exit(subprocess.call([sys.executable, '-m', 'pip', 'install', *arguments]))\n"
    )


def ansible_test(command: str, *extra: str) -> Step:
    """An ansible-test command run in the test collection with per-test venvs."""
    return Step([tool("ansible-test"), command, "--python", PYTHON_VERSION, "--venv", "--color", "no", *extra],
                cwd=TEST_COLLECTION)


# --- gate plans ------------------------------------------------------------------------------------------------


def plan_layout() -> Plan:
    """Every tests/ folder holding Python tests is run by some gate."""
    orphans = [folder.name for folder in sorted((REPO_ROOT / "tests").glob("*"))
               if folder.is_dir() and folder.name not in {*PYTEST_SUITES, *ANSIBLE_TEST_FOLDERS, *DATA_FOLDERS}
               and has_pytest_files(folder)]
    if orphans:
        folders = ", ".join(f"tests/{name}" for name in orphans)
        return fail(f"{folders}: pytest files that no gate runs; add the folder to PYTEST_SUITES in {Path(__file__).name}")
    return Plan()


def plan_ruff() -> Plan:
    """Ruff lint over every Python source of the repository."""
    targets = existing(LINTED_PYTHON)
    return Plan([Step([tool("ruff"), "check", "--no-cache", *targets])]) if targets else skip("no Python sources yet")


def plan_mypy() -> Plan:
    """mypy over the collection's plugins (as ansible_collections.meshsmith.istio.*), kubesim and scripts/."""
    steps = []
    if python_files(REPO_ROOT / "plugins"):
        build_test_collection()
        steps.append(Step([tool("mypy"), "--config-file", str(REPO_ROOT / "pyproject.toml"),
                           "ansible_collections/meshsmith/istio/plugins"], cwd=SCRATCH))
    kubesim_src = REPO_ROOT / "tools" / "kubesim" / "src"
    if python_files(kubesim_src):
        steps.append(Step([tool("mypy"), "--config-file", str(REPO_ROOT / "pyproject.toml"), "kubesim"],
                          cwd=kubesim_src))
    steps.append(Step([tool("mypy"), "--config-file", str(REPO_ROOT / "pyproject.toml"),
                       *python_files(REPO_ROOT / "scripts")]))
    for step in steps:  # one cache for the three runs, whatever their working directory
        step.env["MYPY_CACHE_DIR"] = str(SCRATCH / "mypy-cache")
    return Plan(steps)


def plan_changelog() -> Plan:
    """antsibull-changelog: fragments and changelog.yaml."""
    return Plan([
        Step([tool("antsibull-changelog"), "lint"]),
        Step([tool("antsibull-changelog"), "lint-changelog-yaml", "changelogs/changelog.yaml"]),
    ])


def site_markdown(source: str, page: str, repository: str) -> str:
    """A repository Markdown file as a site page: links to other shown pages stay on the site, the rest go to GitHub."""

    def relink(match: re.Match[str]) -> str:
        target = match["target"]
        if "://" in target or target.startswith("mailto:"):
            return match[0]
        resolved = os.path.normpath(Path(source).parent / target)
        shown = DOCS_MARKDOWN_PAGES.get(resolved)
        link = (os.path.relpath(shown, Path(page).parent) if shown
                else f"{repository}/{'tree' if (REPO_ROOT / resolved).is_dir() else 'blob'}/main/{resolved}")
        return f"]({link}{match['anchor'] or ''})"

    return MARKDOWN_LINK.sub(relink, (REPO_ROOT / source).read_text())


def prepare_docs_site() -> Path:
    """Sync the Sphinx source tree .tmp/docs/rst with docs/site/rst and the repository's Markdown pages.

    A page whose Markdown file does not exist yet gets a stub saying so. antsibull-docs writes the plugin, role
    and playbook pages into collections/ there. Unchanged files keep their time stamps, so Sphinx rebuilds only
    what changed.
    """
    source_tree = DOCS_BUILD / "rst"
    repository = yaml.safe_load((REPO_ROOT / "galaxy.yml").read_text())["repository"]
    pages = {path.relative_to(DOCS_SITE / "rst").as_posix(): path.read_text()
             for path in (DOCS_SITE / "rst").rglob("*") if path.is_file()}
    for source, page in DOCS_MARKDOWN_PAGES.items():
        pages[page] = (site_markdown(source, page, repository) if (REPO_ROOT / source).exists()
                       else f"# {Path(source).stem.capitalize()}\n\n`{source}` is not written yet.\n")
    if source_tree.exists():
        for path in source_tree.rglob("*"):
            relative = path.relative_to(source_tree).as_posix()
            if path.is_file() and not relative.startswith("collections/") and relative not in pages:
                path.unlink()
    for relative, text in pages.items():
        target = source_tree / relative
        if not target.exists() or target.read_text() != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
    source_tree.chmod(0o755)  # antsibull-docs refuses a destination others can write to
    return source_tree


def plan_docs() -> Plan:
    """antsibull-docs: documentation syntax, then the documentation site (HTML in .tmp/docs/html)."""
    if not existing(["plugins/modules", "roles", "playbooks"]):
        return skip("no modules, roles or playbooks yet")
    build_test_collection()
    test_tree = {"ANSIBLE_COLLECTIONS_PATH": str(SCRATCH)}
    source_tree = prepare_docs_site()
    return Plan([
        # antsibull-docs silently passes over a plugin whose DOCUMENTATION is not YAML; ansible-doc does not.
        Step([tool("ansible-doc"), "--metadata-dump", "meshsmith.istio"], env=test_tree, quiet=True),
        Step([tool("antsibull-docs"), "lint-collection-docs", "--plugin-docs", "."], cwd=TEST_COLLECTION, env=test_tree),
        Step([tool("antsibull-docs"), "--config-file", DOCS_SITE / "antsibull-docs.cfg", "collection", "--use-current",
              "--fail-on-error", "--cleanup", "everything", "--dest-dir", source_tree, "meshsmith.istio"],
             env=test_tree, quiet=True),
        # Offline (no intersphinx), so any warning is a defect: -W fails the build on it.
        Step([tool("sphinx-build"), "-b", "html", "-c", DOCS_SITE, "-d", DOCS_BUILD / "doctrees", "-W",
              "--keep-going", "-q", source_tree, DOCS_BUILD / "html"]),
    ])


def plan_ansible_lint() -> Plan:
    """ansible-lint with the production profile, offline."""
    if not existing(["roles", "playbooks", "extensions", "examples"]):
        return skip("no roles, playbooks or examples yet")
    return Plan([Step([tool("ansible-lint"), "--offline", "--profile", "production"])])


def built_tarball() -> Path:
    """Where the build gate writes the collection artefact."""
    version = yaml.safe_load((REPO_ROOT / "galaxy.yml").read_text())["version"]
    return BUILD_DIR / f"meshsmith-istio-{version}.tar.gz"


def build_step() -> Step:
    """ansible-galaxy collection build into .tmp/build."""
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    return Step([tool("ansible-galaxy"), "collection", "build", "--output-path", BUILD_DIR, "--force"])


def plan_build() -> Plan:
    """ansible-galaxy collection build, then galaxy-importer on the artefact (offline, as Galaxy imports it)."""
    shutil.rmtree(BUILD_DIR, ignore_errors=True)
    importer_config = SCRATCH / "galaxy-importer.cfg"
    importer_config.parent.mkdir(parents=True, exist_ok=True)
    importer_config.write_text("[galaxy-importer]\nrun_ansible_test = False\nrun_ansible_lint = False\n"
                               "check_required_tags = True\ncheck_changelog = True\n")
    return Plan([
        build_step(),
        Step([tool("python"), "-m", "galaxy_importer.main", built_tarball()], cwd=BUILD_DIR,  # writes importer_result.json
             env={"GALAXY_IMPORTER_CONFIG": str(importer_config)}),
    ])


def plan_execution_environment() -> Plan:
    """ansible-builder: the example EE's build context, and meta/execution-environment.yml as an EE build reads it.

    ``ansible-builder create`` writes a build context without a container engine. Inside an EE build, builder's
    introspection reads the installed collection's meta/execution-environment.yml; running that introspection
    on the installed artefact proves the file names requirements that exist and are picked up.
    """
    steps = [Step([tool("ansible-builder"), "create", "--file", definition, "--output-filename", "Containerfile",
                   "--context", SCRATCH / "ee-context" / definition.replace("/", "_").removesuffix(".yml")])
             for definition in existing(["execution-environment.yml"])]
    if (REPO_ROOT / "meta" / "execution-environment.yml").exists():
        installed = SCRATCH / "ee-introspection"
        shutil.rmtree(installed, ignore_errors=True)
        introspect = Path(tool("python")).parents[1].glob("lib/python*/site-packages/ansible_builder/"
                                                           "_target_scripts/introspect.py")
        merged = installed / "requirements.txt"
        marker = "from collection meshsmith.istio"
        check = (f"import sys; text = open(sys.argv[1]).read(); print(text); "
                 f"sys.exit(0 if {marker!r} in text else 'EE introspection found no requirements of meshsmith.istio')")
        if not built_tarball().exists():
            steps.append(build_step())
        steps += [
            Step([tool("ansible-galaxy"), "collection", "install", "--no-deps", "--force", "-p", installed,
                  built_tarball()]),
            Step([tool("python"), next(introspect), "introspect", installed, "--write-pip", merged]),
            Step([tool("python"), "-c", check, merged]),
        ]
    return Plan(steps) if steps else skip("no execution environment definitions yet")


def pytest_plan(suite: str, bin_dir: Path = VENV_BIN) -> Plan:
    """pytest over one tests/ folder; exit code 5 (nothing collected) is a skip."""
    folder = REPO_ROOT / "tests" / suite
    if not has_pytest_files(folder):
        return skip(f"tests/{suite} has no tests yet")
    return Plan([Step([tool("python", bin_dir), "-m", "pytest", "-q", "-p", "no:cacheprovider", f"tests/{suite}"],
                      env=tool_environment(bin_dir), allowed_codes=(0, PYTEST_NO_TESTS_COLLECTED))])


def plan_units() -> Plan:
    """ansible-test units over tests/unit, then plain pytest in the checkout.

    ansible-test strips the environment and runs in the copied tree, where the shared Istio data
    (ISTIO_SHARED_DIR or ../shared/istio) cannot be found, so the tests that read it skip there; the
    pytest pass runs them for real (and fails under CI=true when the data is missing).
    """
    plain_pytest = pytest_plan("unit")
    if plain_pytest.skip_reason:
        return plain_pytest
    build_test_collection()
    seed_get_pip()
    return Plan([ansible_test("units"), *plain_pytest.steps])


def plan_sanity() -> Plan:
    """ansible-test sanity, every test, no ignore entries allowed."""
    ignores = sorted(str(path.relative_to(REPO_ROOT)) for path in (REPO_ROOT / "tests" / "sanity").glob("ignore-*.txt")
                     if path.read_text().strip())
    if ignores:
        return fail(f"sanity ignore entries are not allowed: {ignores}")
    build_test_collection()
    seed_get_pip()
    return Plan([ansible_test("sanity")])


def plan_integration_oldest() -> Plan:
    """The integration tests again on the oldest supported ansible-core (.venv-oldest)."""
    if not has_pytest_files(REPO_ROOT / "tests" / "integration"):
        return skip("tests/integration has no tests yet")
    setup = Step([sys.executable, REPO_ROOT / "scripts" / "setup_venv.py", "--oldest"])
    return Plan([setup, *pytest_plan("integration", OLDEST_VENV_BIN).steps])


def plan_molecule() -> Plan:
    """molecule test over every scenario in extensions/molecule/."""
    scenarios = sorted((REPO_ROOT / "extensions" / "molecule").glob("*/molecule.yml"))
    if not scenarios:
        return skip("no molecule scenarios yet")
    # Run from the root: with galaxy.yml there, molecule looks for scenarios in extensions/molecule/.
    return Plan([Step([tool("molecule"), "test", "--all"])])


GATES = [
    Gate("layout", "every tests/ folder with Python tests is run by a gate", plan_layout),
    Gate("ruff", "ruff check on plugins, kubesim, scripts and tests", plan_ruff),
    Gate("mypy", "mypy on plugins, kubesim and scripts", plan_mypy),
    Gate("changelog", "antsibull-changelog lint", plan_changelog),
    Gate("docs", "ansible-doc metadata, antsibull-docs lint-collection-docs, the docs site (make docs)",
         plan_docs),
    Gate("ansible-lint", "ansible-lint --offline --profile production", plan_ansible_lint),
    Gate("build", "ansible-galaxy collection build + galaxy-importer", plan_build),
    Gate("ee", "ansible-builder create + EE introspection of meta/execution-environment.yml",
         plan_execution_environment),
    Gate("kubesim", "pytest tests/kubesim", lambda: pytest_plan("kubesim")),
    Gate("units", "ansible-test units", plan_units),
    Gate("sanity", "ansible-test sanity (no ignores)", plan_sanity),
    Gate("integration", "pytest tests/integration on ansible-core of .venv", lambda: pytest_plan("integration")),
    Gate("integration-oldest", "pytest tests/integration on the oldest ansible-core", plan_integration_oldest),
    Gate("molecule", "molecule test --all", plan_molecule),
]


# --- running -----------------------------------------------------------------------------------------------------


def banner(text: str) -> None:
    """A visible section header."""
    print(f"\n=== {text} {'=' * max(3, 100 - len(text))}", flush=True)


def run_gate(gate: Gate) -> Outcome:
    """Plan and run one gate, timing it."""
    banner(f"{gate.name}: {gate.summary}")
    started = time.monotonic()
    plan = gate.plan()
    if plan.skip_reason:
        print(f"skipped: {plan.skip_reason}", flush=True)
        return Outcome(gate.name, "skipped", time.monotonic() - started, plan.skip_reason)
    if plan.failure:
        print(plan.failure, flush=True)
        return Outcome(gate.name, "FAILED", time.monotonic() - started, plan.failure)
    skipped_steps = 0
    for step in plan.steps:
        print("$ " + " ".join(str(arg) for arg in step.argv), flush=True)
        env = {**os.environ, **tool_environment(), **step.env}
        stdout = subprocess.DEVNULL if step.quiet else None
        code = subprocess.run([str(arg) for arg in step.argv], cwd=step.cwd, env=env, stdout=stdout, check=False).returncode
        if code not in step.allowed_codes:
            return Outcome(gate.name, "FAILED", time.monotonic() - started, f"exit code {code}")
        skipped_steps += code == PYTEST_NO_TESTS_COLLECTED
    if skipped_steps:
        return Outcome(gate.name, "skipped", time.monotonic() - started, "pytest collected no tests")
    return Outcome(gate.name, "passed", time.monotonic() - started)


def print_summary(outcomes: list[Outcome], not_run: list[str], total: float) -> None:
    """The final table: every gate, its status and time."""
    banner("summary")
    for outcome in outcomes:
        note = f"  ({outcome.note})" if outcome.note else ""
        print(f"{outcome.gate:<20} {outcome.status:<8} {outcome.seconds:7.1f}s{note}")
    for name in not_run:
        print(f"{name:<20} {'not run':<8}")
    print(f"{'total':<20} {'':<8} {total:7.1f}s")


def main() -> int:
    """Run the selected gates in order; stop at the first failure."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gates", nargs="*", help="gates to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the gates and exit")
    parser.add_argument("--keep-going", action="store_true", help="run every gate even after a failure")
    args = parser.parse_args()
    if args.list:
        for gate in GATES:
            print(f"{gate.name:<20} {gate.summary}")
        return 0
    unknown = sorted(set(args.gates) - {gate.name for gate in GATES})
    if unknown:
        parser.error(f"unknown gates {unknown}; choose from {[gate.name for gate in GATES]}")
    selected = [gate for gate in GATES if not args.gates or gate.name in args.gates]
    started = time.monotonic()
    outcomes: list[Outcome] = []
    for index, gate in enumerate(selected):
        outcomes.append(run_gate(gate))
        if outcomes[-1].status == "FAILED" and not args.keep_going:
            print_summary(outcomes, [later.name for later in selected[index + 1:]], time.monotonic() - started)
            print(f"\nmake test: FAILED at gate '{gate.name}'", flush=True)
            return 1
    print_summary(outcomes, [], time.monotonic() - started)
    failed = [outcome.gate for outcome in outcomes if outcome.status == "FAILED"]
    print(f"\nmake test: FAILED gates {failed}" if failed else "\nmake test: all gates passed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
