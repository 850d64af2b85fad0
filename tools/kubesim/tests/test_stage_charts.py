"""tests/charts/stage.py: the stand-in Istio charts staged with the CRDs, replacing any earlier staging."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from kubesim_helpers import REPO_ROOT

SPEC = importlib.util.spec_from_file_location("stage", REPO_ROOT / "tests" / "charts" / "stage.py")
assert SPEC is not None and SPEC.loader is not None
stage = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(stage)


def test_staging_copies_the_crds_and_replaces_stale_chart_files(tmp_path: Path):
    crds = tmp_path / "crds"
    crds.mkdir()
    (crds / "gateways.yaml").write_text("kind: CustomResourceDefinition\n")
    dest = tmp_path / "charts"
    stale = dest / "base" / "templates" / "old.yaml"
    stale.parent.mkdir(parents=True)
    stale.write_text("kind: Stale\n")
    stage.stage_charts(dest, crds)
    assert (dest / "base" / "files" / "gateways.yaml").read_text() == "kind: CustomResourceDefinition\n"
    assert not stale.exists()
    assert sorted(p.name for p in (dest / "gateway" / "templates").iterdir()) == [
        "_helpers.tpl", "deployment.yaml", "service.yaml"]
