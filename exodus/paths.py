"""Every path the pipeline uses, resolved relative to the repository root."""
import os
from pathlib import Path

ROOT = Path(os.environ.get("EXODUS_ROOT", Path(__file__).resolve().parent.parent))
DATA = ROOT / "data"
SOURCES_DIR = DATA / "sources"
DATAPACKAGE = DATA / "datapackage.json"
DERIVED_DEFS = DATA / "derived.csv"
BUILD = ROOT / "build"
# Generated report inputs, committed: Quarto expands includes before its pre-render runs.
GENERATED = ROOT / "_generated"
FIGURES = ROOT / "figures"
OUTPUT = ROOT / "_output"
REPORT_QMD = ROOT / "report.qmd"
VARIABLES = ROOT / "_variables.yml"


def table(name: str) -> Path:
    """Path of a curated table, e.g. table("claims") -> data/claims.csv."""
    return DATA / f"{name}.csv"


def rel(path: Path) -> str:
    """Path as shown in messages: relative to the root when possible."""
    try:
        return str(Path(path).resolve().relative_to(ROOT.resolve()))
    except ValueError:
        return str(path)
