"""Stage the offline stand-in Istio charts into a scratch directory.

Helm reads only files inside a chart, so the stand-in ``base`` chart installs the CRDs it finds in its own
``files/`` folder. This script copies ``base``, ``istiod`` and ``gateway`` to DEST and puts the Istio CRD
YAML files into ``DEST/base/files/``; the repository copy of the charts never holds them.

Usage: python tests/charts/stage.py DEST [--crds DIR]
Then: ansible-playbook playbooks/expose.yml -e istio_charts_dir=DEST
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

CHARTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = CHARTS_DIR.parents[1]
CHART_NAMES = ("base", "istiod", "gateway")

sys.path.insert(0, str(REPO_ROOT / "scripts"))
import pinned_crds  # noqa: E402  (scripts/ is no package)


def default_crds_dir() -> Path:
    """The Istio CRDs directory as scripts/pinned_crds.py resolves it (downloaded into .venv when needed)."""
    try:
        return pinned_crds.ensure(pinned_crds.ISTIO)
    except pinned_crds.CrdsUnavailable as err:
        raise FileNotFoundError(str(err)) from err


def stage_charts(dest: Path, crds_dir: Path | None = None) -> Path:
    """Copy the stand-in charts to ``dest`` (replacing earlier copies) with the CRDs from ``crds_dir`` inside
    ``base/files``; return ``dest``."""
    crds_dir = crds_dir or default_crds_dir()
    crd_files = sorted(crds_dir.glob("*.yaml"))
    if not crd_files:
        raise FileNotFoundError(f"no Istio CRD *.yaml files in {crds_dir}")
    dest.mkdir(parents=True, exist_ok=True)
    for name in CHART_NAMES:
        # Replaced, not merged: a file left from an older staging would still be rendered by Helm.
        shutil.rmtree(dest / name, ignore_errors=True)
        shutil.copytree(CHARTS_DIR / name, dest / name, ignore=shutil.ignore_patterns("files"))
    files_dir = dest / "base" / "files"
    files_dir.mkdir(exist_ok=True)
    for crd_file in crd_files:
        shutil.copyfile(crd_file, files_dir / crd_file.name)
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path, help="directory to create base/, istiod/ and gateway/ in")
    parser.add_argument("--crds", type=Path, default=None, help="directory of Istio CRD *.yaml files")
    args = parser.parse_args(argv)
    try:
        print(stage_charts(args.dest.resolve(), args.crds))
    except FileNotFoundError as err:
        print(f"stage.py: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
