"""Helpers for render tests: a throwaway copy of the render fixture project and tool checks."""
from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from exodus.tools import external

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "render"
FIXTURE_STAGES = "figure_blocks,variables,bibliography,appendix,cite,fonts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def make_project(where: Path) -> Path:
    """A renderable project root: fixture files, the real datapackage.json and units, and the engine.

    exodus/ and assets/ are linked, not copied, so the test exercises the code under test;
    _quarto.yml refers to filters and assets by project-relative path, as Quarto would.
    """
    root = where / "project"
    shutil.copytree(FIXTURE, root)
    for name in ("datapackage.json", "units.csv"):
        shutil.copy(REPO / "data" / name, root / "data" / name)
    (root / "exodus").symlink_to(REPO / "exodus", target_is_directory=True)
    (root / "assets").symlink_to(REPO / "assets", target_is_directory=True)
    (root / "build").mkdir()
    # build/derived.csv normally comes from the derive stage; the fixture pins it.
    shutil.move(root / "derived.csv", root / "build" / "derived.csv")
    shutil.move(root / "discrepancies.csv", root / "build" / "discrepancies.csv")
    # A clone holds its generated includes (Quarto expands them before pre-render): write them once.
    from exodus.pipeline import runner
    assert runner.in_place(FIXTURE_STAGES, root) == 0, f"the fixture's stages failed in {root}"
    return root


def run_render(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m exodus.engine.render` against another project root."""
    env = {**os.environ, "EXODUS_ROOT": str(root)}
    return subprocess.run([sys.executable, "-m", "exodus.engine.render", "--root", str(root), *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)


def require(tool: str) -> str:
    """Path of an external tool found on PATH; missing is a failure under CI=true, a skip elsewhere."""
    found = external.find(tool)
    if found:
        return found
    missing(f"{tool} is not on PATH; `make sysdeps` (as root) installs it, or install it with your package manager")


def missing(message: str):
    """Skip a test whose tool is missing, saying which; under CI=true every tool must be there: fail."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI=true: required tools must be present)")
    pytest.skip(message)


def require_module(name: str):
    """Import a Python module; missing is a failure under CI=true, a skip elsewhere."""
    try:
        return importlib.import_module(name)
    except ImportError:
        missing(f"Python module {name} is not installed; `make test` installs requirements-test.txt")


def pdf_text(pdf: Path) -> str:
    """Text of a PDF with whitespace normalised (line breaks fall anywhere in typeset text)."""
    exe = require("pdftotext")
    out = subprocess.run([exe, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.replace("\u2060", "").split())
