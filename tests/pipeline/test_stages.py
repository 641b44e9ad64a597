"""The declared pipeline: each stage reads only what it declares, writes what it declares, and refuses to
run on missing upstream outputs; stages run in this process on any root."""
import shutil
from pathlib import Path

import pytest

from exodus.pipeline import fingerprint, runner, stages
from tests.conftest import REPO

PRERENDER = [s for s in stages.STAGES if s.name in stages.TARGETS["prerender"]]


@pytest.fixture(scope="module")
def built(built_report) -> Path:
    return built_report


def in_place(root: Path, names: str, capsys) -> tuple[int, str]:
    """Run stages in this process on another root; (exit status, what they printed to stderr)."""
    code = runner.in_place(names, root)
    return code, capsys.readouterr().err


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
def test_a_stage_alone_with_only_its_declared_inputs_writes_every_declared_output(built, tmp_path, stage, capsys):
    root = tmp_path / "alone"
    for src in fingerprint.matching(built, stage.inputs):
        if src.relative_to(built).parts[0] == "exodus":
            continue  # the code is linked whole below
        dest = root / src.relative_to(built)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest)
    (root / "exodus").symlink_to(REPO / "exodus", target_is_directory=True)
    code, err = in_place(root, stage.name, capsys)
    assert code == 0, err[-3000:]
    for pattern in stage.outputs:
        assert fingerprint.matching(root, [pattern]), f"{stage.name} did not write {pattern}"


def test_a_stage_without_its_upstream_output_names_what_is_missing(built, tmp_path, capsys):
    root = tmp_path / "no-derived"
    shutil.copytree(built / "data", root / "data")
    (root / "exodus").symlink_to(REPO / "exodus", target_is_directory=True)
    code, err = in_place(root, "variables", capsys)
    assert code != 0
    assert "stage variables needs build/derived.csv" in err and "made by stage derive" in err
    assert not (root / "_variables.yml").exists()


def test_chart_cache_key_covers_every_module_the_charts_import():
    figures = stages.by_name()["figures"]
    files = {str(p.relative_to(REPO)) for p in fingerprint.code_closure(REPO, figures.code)}
    for needed in ("exodus/charts/draw.py", "exodus/charts/theme.py", "exodus/model/csv_out.py",
                   "exodus/model/wording.py", "exodus/stages/derive.py",
                   # the wording tables the modules read beside themselves are code too
                   "exodus/model/hedges.csv", "exodus/model/citations.yml"):
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
