# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make ``ansible_collections.meshsmith.istio`` importable under plain pytest.

``ansible-test units`` already runs the tests from an ``ansible_collections/`` tree; plain pytest finds the
collection through ``ANSIBLE_COLLECTIONS_PATH`` or the repository's ``.venv/collections`` (which links the
repository in as ``ansible_collections/meshsmith/istio``).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def _collection_roots():
    for entry in os.environ.get("ANSIBLE_COLLECTIONS_PATH", "").split(os.pathsep):
        if entry:
            yield Path(entry)
    yield REPO_ROOT / ".venv" / "collections"


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:
        return False


if not _importable("ansible_collections.meshsmith.istio"):  # ansible-test makes it importable
    root = next((path for path in _collection_roots() if (path / "ansible_collections" / "meshsmith" / "istio").is_dir()
                 or (path / "meshsmith" / "istio").is_dir()), None)
    if root is not None:
        sys.path.insert(0, str(root.parent if root.name == "ansible_collections" else root))


@pytest.fixture(scope="session")
def pinned_crds():
    """scripts/pinned_crds.py, which finds the pinned CRDs; skipped where it is not (ansible-test units runs a copy
    of the collection without scripts/)."""
    sys.path.insert(0, str(REPO_ROOT / "scripts"))
    try:
        import pinned_crds
    except ImportError:
        pytest.skip("scripts/pinned_crds.py is not in this copy of the collection")
    finally:
        sys.path.pop(0)
    return pinned_crds


@pytest.fixture(scope="session")
def istio_crds_dir(pinned_crds) -> Path:
    """The official Istio CRDs as scripts/pinned_crds.py finds them; skipped when absent (a failure when CI=true)."""
    return pinned_crds.for_tests(pinned_crds.ISTIO, pytest.skip, pytest.fail)
