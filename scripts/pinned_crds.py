#!/usr/bin/env python3
"""The Istio and Gateway API CRDs the project pins: where they are found, and how they are fetched.

One resolver for the demo, kubesim's ``--load`` in tests, the stand-in charts (tests/charts/stage.py) and the
benchmarks. A bundle's CRDs come from the first of:

1. an explicit directory: ``$ISTIO_CRDS_DIR`` / ``$GATEWAY_API_CRDS_DIR`` (nothing else is tried when it is set);
2. the shared test data: ``$ISTIO_SHARED_DIR/crds`` / ``$GATEWAY_API_SHARED_DIR/crds``, by default
   ``<repo>/../shared/istio/crds`` / ``<repo>/../shared/gateway-api/crds``;
3. the download cache ``.venv/share/crds/<bundle>/``, one file per CRD, filled by ``make venv`` (or ``ensure``)
   from the upstream release URL (``$ISTIO_CRDS_URL`` / ``$GATEWAY_API_CRDS_URL`` override it, ``file://``
   included) once the file's sha256 matches the pin. A file already saved as ``.venv/share/crds/<file name>``
   is used instead of the URL, so an air-gapped machine only needs that one file.

Standard library only: scripts/setup_venv.py runs it on the system Python.

    python scripts/pinned_crds.py [istio] [gateway-api]   # print the resolved directories, downloading if needed
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

REPO_ROOT = Path(__file__).resolve().parents[1]
DOWNLOAD_TIMEOUT_SECONDS = 60
CACHE_STAMP = ".sha256"  # in a bundle's cache directory: the pin it was split from
CRD_KIND = re.compile(r"^kind:\s*CustomResourceDefinition\s*$", re.MULTILINE)
METADATA_BLOCK = re.compile(r"^metadata:[ \t]*\n((?:[ \t]+.*\n|[ \t]*\n)*)", re.MULTILINE)
METADATA_NAME = re.compile(r"^  name:\s*['\"]?([a-z0-9.-]+)['\"]?\s*$", re.MULTILINE)


class CrdsUnavailable(Exception):
    """The CRDs are neither on disk nor downloadable (or the download does not match its pin)."""


@dataclass(frozen=True)
class CrdBundle:
    """One pinned upstream file of CRDs and the settings that locate it."""

    name: str  # the cache folder and the name the shared data uses
    title: str
    url: str
    sha256: str
    file_name: str  # the upstream file, as saved in the cache
    crd_file_pattern: str  # one CRD per file: {name} (plural.group), {plural}, {group}
    dir_env: str
    shared_env: str
    url_env: str


ISTIO = CrdBundle(
    name="istio",
    title="Istio 1.30.3",
    url="https://raw.githubusercontent.com/istio/istio/1.30.3/manifests/charts/base/files/crd-all.gen.yaml",
    sha256="dcb43ff6b9af2f629b80b6a82597f5a91db259c757e66cc5353ac007da28351a",
    file_name="istio-1.30.3-crd-all.gen.yaml",
    crd_file_pattern="{name}.yaml",
    dir_env="ISTIO_CRDS_DIR",
    shared_env="ISTIO_SHARED_DIR",
    url_env="ISTIO_CRDS_URL",
)
GATEWAY_API = CrdBundle(
    name="gateway-api",
    title="Gateway API v1.5.1 (standard channel)",
    url="https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/standard-install.yaml",
    sha256="751002b3b91a87f7ae3bd2517c79a47a8d7ed6702901808a1cf9bd97d284f9b8",
    file_name="gateway-api-v1.5.1-standard-install.yaml",
    crd_file_pattern="{group}_{plural}.yaml",
    dir_env="GATEWAY_API_CRDS_DIR",
    shared_env="GATEWAY_API_SHARED_DIR",
    url_env="GATEWAY_API_CRDS_URL",
)
BUNDLES = {bundle.name: bundle for bundle in (ISTIO, GATEWAY_API)}


def cache_root(repo_root: Path = REPO_ROOT) -> Path:
    """Where downloaded bundles and their split CRDs live."""
    return repo_root / ".venv" / "share" / "crds"


def holds_crds(path: Path) -> bool:
    """True when ``path`` is a directory with at least one ``*.yaml`` file."""
    return path.is_dir() and any(path.glob("*.yaml"))


def holds_pinned_cache(bundle: CrdBundle, path: Path) -> bool:
    """True when ``path`` holds the CRDs split from the currently pinned file."""
    stamp = path / CACHE_STAMP
    return holds_crds(path) and stamp.is_file() and stamp.read_text().strip() == bundle.sha256


def on_disk_candidates(bundle: CrdBundle, env: Mapping[str, str], repo_root: Path) -> list[Path]:
    """The directories that take precedence over the download cache, in order."""
    if env.get(bundle.dir_env):
        return [Path(env[bundle.dir_env])]
    shared = env.get(bundle.shared_env) or repo_root.parent / "shared" / bundle.name
    return [Path(shared) / "crds"]


def find(bundle: CrdBundle, env: Mapping[str, str] = os.environ, repo_root: Path = REPO_ROOT) -> Path | None:
    """The directory holding the bundle's CRDs, without downloading anything; None when there is none."""
    found = next((path for path in on_disk_candidates(bundle, env, repo_root) if holds_crds(path)), None)
    if found is not None or env.get(bundle.dir_env):
        return found
    cached = cache_root(repo_root) / bundle.name
    return cached if holds_pinned_cache(bundle, cached) else None


def crd_documents(bundle: CrdBundle, text: str) -> dict[str, str]:
    """The CustomResourceDefinition documents of a multi-document YAML text, by their file name (others dropped)."""
    documents: dict[str, str] = {}
    for document in re.split(r"^---[ \t]*$\n?", text, flags=re.MULTILINE):
        metadata = METADATA_BLOCK.search(document)
        name = METADATA_NAME.search(metadata.group(1)) if metadata else None
        if not CRD_KIND.search(document) or name is None:
            continue
        plural, _, group = name.group(1).partition(".")
        file_name = bundle.crd_file_pattern.format(name=name.group(1), plural=plural, group=group)
        documents[file_name] = document if document.endswith("\n") else document + "\n"
    return documents


def read_source(bundle: CrdBundle, saved: Path, url: str) -> bytes:
    """The bundle's bytes: the file saved in the cache when there is one, else the URL."""
    if saved.is_file():
        return saved.read_bytes()
    with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response:
        return response.read()


def download(bundle: CrdBundle, root: Path, url: str) -> Path:
    """Fetch the bundle, check its sha256 and split it into ``root/<bundle>/``; nothing is cached on a mismatch."""
    saved = root / bundle.file_name
    data = read_source(bundle, saved, url)
    digest = hashlib.sha256(data).hexdigest()
    if digest != bundle.sha256:
        source = saved if saved.is_file() else url
        raise CrdsUnavailable(f"{bundle.title} CRDs: {source} has sha256 {digest}, not the pinned {bundle.sha256}; "
                              "nothing was cached (a wrong or changed file: remove it and fetch it again)")
    documents = crd_documents(bundle, data.decode("utf-8"))
    if not documents:
        raise CrdsUnavailable(f"{bundle.title} CRDs: {url} holds no CustomResourceDefinition")
    root.mkdir(parents=True, exist_ok=True)
    target = root / bundle.name
    with tempfile.TemporaryDirectory(dir=root) as scratch:
        staged = Path(scratch) / bundle.name
        staged.mkdir()
        for file_name, document in documents.items():
            (staged / file_name).write_text(document)
        (staged / CACHE_STAMP).write_text(bundle.sha256 + "\n")
        if not saved.is_file():
            (Path(scratch) / bundle.file_name).write_bytes(data)
            os.replace(Path(scratch) / bundle.file_name, saved)
        shutil.rmtree(target, ignore_errors=True)
        os.replace(staged, target)
    return target


def missing_message(bundle: CrdBundle, reason: str, env: Mapping[str, str], repo_root: Path) -> str:
    """The one message that says what to download and where to put it."""
    looked = ", ".join(str(path) for path in on_disk_candidates(bundle, env, repo_root))
    return (f"{bundle.title} CRDs not found ({looked}): {reason}. Download {bundle.url} "
            f"(sha256 {bundle.sha256}) to {cache_root(repo_root) / bundle.file_name} and run the command again, "
            f"or set {bundle.dir_env} to a directory of its CRD YAML files.")


def ensure(bundle: CrdBundle, env: Mapping[str, str] = os.environ, repo_root: Path = REPO_ROOT) -> Path:
    """The bundle's CRD directory, downloaded into the cache when no directory holds them; CrdsUnavailable else."""
    found = find(bundle, env, repo_root)
    if found is not None:
        return found
    if env.get(bundle.dir_env):
        raise CrdsUnavailable(f"{bundle.dir_env}={env[bundle.dir_env]} holds no CRD *.yaml files")
    url = env.get(bundle.url_env) or bundle.url
    try:
        return download(bundle, cache_root(repo_root), url)
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", None) or err
        raise CrdsUnavailable(missing_message(bundle, f"downloading {url} failed ({reason})", env, repo_root)) from err


def for_tests(bundle: CrdBundle, skip: Callable[[str], NoReturn], fail: Callable[[str], NoReturn],
              env: Mapping[str, str] = os.environ, repo_root: Path = REPO_ROOT) -> Path:
    """The bundle's CRD directory for a test, never downloading: else ``skip`` saying why (``fail`` under CI=true)."""
    found = find(bundle, env, repo_root)
    if found is None:
        reason = missing_message(bundle, "make venv did not download them", env, repo_root)
        if env.get("CI") == "true":
            fail(reason)
        skip(reason)
    return found


def main(argv: list[str]) -> int:
    """Print each named bundle's CRD directory (all bundles by default), downloading where needed."""
    unknown = [name for name in argv if name not in BUNDLES]
    if unknown:
        print(f"pinned_crds.py: unknown bundles {unknown}; choose from {sorted(BUNDLES)}", file=sys.stderr)
        return 2
    status = 0
    for name in argv or list(BUNDLES):
        try:
            print(ensure(BUNDLES[name]))
        except CrdsUnavailable as err:
            print(f"pinned_crds.py: {err}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
