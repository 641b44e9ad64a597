"""The declared pipeline: each stage reads only what it declares, writes what it declares, and refuses to
run on missing upstream outputs."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from exodus.pipeline import fingerprint, stages
from exodus.tools import bench
from tests.conftest import REPO

PRERENDER = [s for s in stages.STAGES if s.name in stages.TARGETS["prerender"]]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = bench.project_copy(tmp_path_factory.mktemp("declared") / "project")
    done = subprocess.run([sys.executable, "-m", "exodus.pipeline", "report"], cwd=root, capture_output=True,
                          text=True, env={**os.environ, "EXODUS_ROOT": str(root)}, timeout=900)
    assert done.returncode == 0, done.stderr
    return root


def worker(root: Path, names: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "EXODUS_ROOT": str(root), "EXODUS_CACHE": str(root / "build" / "cache")}
    return subprocess.run([sys.executable, "-m", "exodus.pipeline", "--stages", names], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)


def test_every_stage_named_in_a_target_is_declared_once():
    names = [s.name for s in stages.STAGES]
    assert len(names) == len(set(names))
    for target, wanted in stages.TARGETS.items():
        assert set(wanted) <= set(names), target


def test_stage_functions_exist_and_take_a_context():
    import importlib
    import inspect
    for s in stages.STAGES:
        module, _, function = s.run.partition(":")
        fn = getattr(importlib.import_module(module), function)
        assert list(inspect.signature(fn).parameters) == ["ctx"], s.name


@pytest.mark.parametrize("stage", PRERENDER + [stages.by_name()["html"]], ids=lambda s: s.name)
def test_a_stage_alone_with_only_its_declared_inputs_writes_every_declared_output(built, tmp_path, stage):
    root = tmp_path / "alone"
    for src in fingerprint.matching(built, stage.inputs):
        if src.relative_to(built).parts[0] == "exodus":
            continue  # the code is linked whole below
        dest = root / src.relative_to(built)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest)
    (root / "exodus").symlink_to(REPO / "exodus", target_is_directory=True)
    done = worker(root, stage.name)
    assert done.returncode == 0, done.stderr[-3000:]
    for pattern in stage.outputs:
        assert fingerprint.matching(root, [pattern]), f"{stage.name} did not write {pattern}"


def test_a_stage_without_its_upstream_output_names_what_is_missing(built, tmp_path):
    root = tmp_path / "no-derived"
    shutil.copytree(built / "data", root / "data")
    (root / "exodus").symlink_to(REPO / "exodus", target_is_directory=True)
    done = worker(root, "variables")
    assert done.returncode != 0
    assert "stage variables needs build/derived.csv" in done.stderr and "made by stage derive" in done.stderr
    assert not (root / "_variables.yml").exists()


def test_chart_cache_key_covers_every_module_the_charts_import():
    figures = stages.by_name()["figures"]
    files = {str(p.relative_to(REPO)) for p in fingerprint.code_closure(REPO, figures.code)}
    for needed in ("exodus/charts/draw.py", "exodus/charts/theme.py", "exodus/model/csv_out.py",
                   "exodus/model/wording.py", "exodus/stages/derive.py"):
        assert needed in files


def test_the_engine_imports_nothing_else_from_the_project():
    closure = fingerprint.code_closure(REPO, ["exodus.engine.render"])
    outside = [str(p.relative_to(REPO)) for p in closure
               if not str(p.relative_to(REPO)).startswith("exodus/engine/") and p.name != "__init__.py"]
    assert outside == []


def test_every_output_a_stage_declares_is_published_by_make_report(built):
    for s in stages.stages_for("report"):
        for pattern in s.outputs:
            assert fingerprint.matching(built, [pattern]), pattern
