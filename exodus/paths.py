"""Every path the project uses, resolved when asked against the root of the run in progress."""
from __future__ import annotations

import os
from pathlib import Path

# The checkout this code sits in: the root when no run is in progress and no other is named.
HOME = Path(__file__).resolve().parent.parent
# Where stage outputs go while a run is in progress (its scratch folder); inputs are read from the root.
_OUTPUT_DIRS = {"BUILD": "build", "GENERATED": "_generated", "FIGURES": "figures", "OUTPUT": "_output"}
_INPUTS = {"DATA": "data", "SOURCES_DIR": "data/sources", "DATAPACKAGE": "data/datapackage.json",
           "DERIVED_DEFS": "data/derived.csv", "UNITS": "data/units.csv", "REPORT_QMD": "report.qmd"}
_runs: list = []  # the contexts of runs in progress, innermost last (pipeline stages activate theirs)


def default_root() -> Path:
    """The project a command works on: EXODUS_ROOT when a caller names one, else the checkout this code
    sits in, else (an installed package) the current folder."""
    if os.environ.get("EXODUS_ROOT"):
        return Path(os.environ["EXODUS_ROOT"])
    return HOME if (HOME / "report.qmd").is_file() else Path.cwd()


def active():
    """The context of the run in progress, or None."""
    return _runs[-1] if _runs else None


class activated:
    """While open, module paths resolve against this run's root (inputs) and scratch folder (outputs)."""

    def __init__(self, ctx):
        self.ctx = ctx

    def __enter__(self):
        _runs.append(self.ctx)
        return self.ctx

    def __exit__(self, *exc):
        _runs.remove(self.ctx)


def root() -> Path:
    ctx = active()
    return Path(ctx.root) if ctx else default_root()


def outputs_root() -> Path:
    """Where outputs are written and read: the run's scratch folder, else the root."""
    ctx = active()
    return Path(ctx.scratch) if ctx and ctx.scratch else root()


def cache_root() -> Path:
    ctx = active()
    return Path(ctx.cache) if ctx and ctx.cache else root() / "build" / "cache"


def __getattr__(name: str) -> Path:
    """ROOT, DATA, SOURCES_DIR, DATAPACKAGE, DERIVED_DEFS, UNITS, REPORT_QMD (inputs, under the root);
    BUILD, GENERATED, FIGURES, OUTPUT, VARIABLES (outputs, under the scratch folder during a run); CACHE."""
    if name == "ROOT":
        return root()
    if name in _INPUTS:
        return root() / _INPUTS[name]
    if name in _OUTPUT_DIRS:
        return outputs_root() / _OUTPUT_DIRS[name]
    if name == "VARIABLES":
        return outputs_root() / "_variables.yml"
    if name == "CACHE":
        return cache_root()
    raise AttributeError(f"module 'exodus.paths' has no attribute {name!r}")


def table(name: str) -> Path:
    """Path of a curated table, e.g. table("claims") -> data/claims.csv."""
    return root() / "data" / f"{name}.csv"


def rel(path: Path, root_: Path | None = None) -> str:
    """Path as shown in messages: relative to the root (or the run's scratch folder) when possible."""
    bases = [Path(root_)] if root_ else [outputs_root(), root()]
    # The path as named, links not followed: a link is shown where it sits, not where it points.
    for base in bases:
        for b, given in ((Path(os.path.abspath(base)), Path(os.path.abspath(path))), (base.resolve(), Path(path).resolve())):
            try:
                return str(given.relative_to(b))
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
    return contained(root() / "data" / given, what)


def contained(path: Path, what: str = "file") -> Path:
    """path itself, if it lies in data/, neither it nor a folder between it and data/ is a link,
    and it resolves inside data/."""
    path, data = Path(path), root() / "data"
    try:
        parts = path.relative_to(data).parts
    except ValueError:
        raise OutsideData(f"{what} {path} is not inside data/; expected a file inside data/") from None
    probe = data
    for part in parts:
        probe = probe / part
        if probe.is_symlink():
            raise OutsideData(f"{what} {rel(probe.parent)}/{part} is a symbolic link (to {os.readlink(probe)}); "
                              "expected a regular file inside data/, not a link")
    try:
        path.resolve().relative_to(data.resolve())
    except ValueError:
        raise OutsideData(f"{what} {rel(path)} resolves outside data/; expected a file inside data/") from None
    return path
