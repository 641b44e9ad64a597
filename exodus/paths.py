"""Every path the pipeline uses, resolved relative to the repository root."""
import os
from pathlib import Path

ROOT = Path(os.environ.get("EXODUS_ROOT", Path(__file__).resolve().parent.parent))
DATA = ROOT / "data"
SOURCES_DIR = DATA / "sources"
DATAPACKAGE = DATA / "datapackage.json"
DERIVED_DEFS = DATA / "derived.csv"
BUILD = ROOT / "build"
CACHE = BUILD / "cache"  # one folder per cache; the runner passes the real one to staged builds (EXODUS_CACHE)
# Generated report inputs, committed: Quarto expands includes before its pre-render runs.
GENERATED = ROOT / "_generated"
FIGURES = ROOT / "figures"
OUTPUT = ROOT / "_output"
REPORT_QMD = ROOT / "report.qmd"
VARIABLES = ROOT / "_variables.yml"


def table(name: str) -> Path:
    """Path of a curated table, e.g. table("claims") -> data/claims.csv."""
    return DATA / f"{name}.csv"


def rel(path: Path, root: Path | None = None) -> str:
    """Path as shown in messages: relative to the root (the project's, unless another is given) when possible."""
    root = Path(root or ROOT)
    # The path as named, links not followed: a link is shown where it sits, not where it points.
    for base, given in ((Path(os.path.abspath(root)), Path(os.path.abspath(path))), (root.resolve(), Path(path).resolve())):
        try:
            return str(given.relative_to(base))
        except ValueError:
            continue
    return str(path)


class OutsideData(ValueError):
    """An input path that is absolute, climbs with '..', is a link, or resolves outside data/."""


def inside_data(relative: str, what: str = "file") -> Path:
    """data/<relative>, refusing absolute paths, '..', symbolic links and anything resolving outside data/.

    Inputs are read only from inside data/: a link or '..' could publish any file of the machine.
    """
    given = Path(relative)
    if not relative or given.is_absolute() or given.drive:
        raise OutsideData(f"{what} {relative!r} is an absolute path; expected a path relative to data/")
    if ".." in given.parts:
        raise OutsideData(f"{what} {relative!r} contains '..'; expected a path inside data/")
    return contained(DATA / given, what)


def contained(path: Path, what: str = "file") -> Path:
    """path itself, if it lies in data/, neither it nor a folder between it and data/ is a link,
    and it resolves inside data/."""
    path = Path(path)
    try:
        parts = path.relative_to(DATA).parts
    except ValueError:
        raise OutsideData(f"{what} {path} is not inside data/; expected a file inside data/") from None
    probe = DATA
    for part in parts:
        probe = probe / part
        if probe.is_symlink():
            raise OutsideData(f"{what} {rel(probe.parent)}/{part} is a symbolic link (to {os.readlink(probe)}); "
                              "expected a regular file inside data/, not a link")
    try:
        path.resolve().relative_to(DATA.resolve())
    except ValueError:
        raise OutsideData(f"{what} {rel(path)} resolves outside data/; expected a file inside data/") from None
    return path
