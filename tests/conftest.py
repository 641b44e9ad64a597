"""Shared fixtures: a throw-away copy of the tiny dataset, and a runner for pipeline commands."""
import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")  # charts are drawn headless in every test
REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini"


def run_module(module: str, root: Path, *args: str) -> subprocess.CompletedProcess:
    """Run `python -m exodus.<module>` (e.g. "stages.validate") against another repository root."""
    env = {**os.environ, "EXODUS_ROOT": str(root)}
    return subprocess.run(
        [sys.executable, "-m", f"exodus.{module}", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )


@pytest.fixture
def mini_root(tmp_path: Path) -> Path:
    """A repository root whose data/ is the tiny fixture dataset with the real schema and units."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    for name in ("datapackage.json", "units.csv"):
        shutil.copy(REPO / "data" / name, data / name)
    return tmp_path


def run_make(root: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run `make <args>` in a project copy, as a user would type it (values passed as make arguments)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "FILE", "ID")}
    env["EXODUS_ROOT"] = str(root)
    return subprocess.run(["make", "--no-print-directory", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def built_report(tmp_path_factory) -> Path:
    """A copy of the whole project with the report built once per test run: tests that read a built project
    share it, tests that change one copy it first. Under parallel test processes the first to ask builds it
    (in its own process) and the others wait for it, under a lock in the run's shared temporary folder."""
    import fcntl

    from exodus.pipeline import runner
    from exodus.tools import bench
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    shared = tmp_path_factory.getbasetemp().parent if worker else tmp_path_factory.getbasetemp()
    home = shared / "built-report"
    with (shared / "built-report.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (home / "built").is_file():
            shutil.rmtree(home, ignore_errors=True)  # a build that failed half-way is made again
            root = bench.project_copy(home / "project")
            assert runner.build("report", root) == 0
            (home / "built").write_text("the report in project/ is built\n", encoding="utf-8")
    return home / "project"


def copy_built(built: Path, dest: Path) -> Path:
    """A copy of a built project, its caches included, to change and build again: faster than a cold build,
    and every such test also checks that an incremental build is right."""
    shutil.copytree(built, dest, symlinks=True)
    return dest


@pytest.fixture
def make_root(tmp_path: Path) -> Path:
    """A copy of the whole project (code, Makefile, data) sharing this checkout's virtual environment."""
    from exodus.tools import bench
    root = bench.project_copy(tmp_path / "project")
    (root / ".venv").symlink_to(REPO / ".venv", target_is_directory=True)
    return root


def read_rows(path: Path) -> list[dict]:
    """A CSV table's rows as dicts."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def set_field(root: Path, table: str, row_id: str, **changes: str) -> None:
    """Edit one row of data/<table>.csv as a user editing the table would (csv module, LF line endings)."""
    path = root / "data" / f"{table}.csv"
    rows = read_rows(path)
    assert row_id in [r["id"] for r in rows], row_id
    for r in rows:
        if r["id"] == row_id:
            r.update(changes)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

