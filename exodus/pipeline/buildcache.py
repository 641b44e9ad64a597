"""Content fingerprints, the build lock and atomic publishing: the parts of a build that must stay light."""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
from pathlib import Path

from exodus import paths
from exodus import atomic

# Everything a build reads. Timestamps never matter: only these files' bytes do.
INPUT_PATTERNS = [
    "data/**/*.csv", "data/**/*.json", "data/sources/*", "exodus/**/*.py", "exodus/**/*.lua",
    "assets/**/*", "report.qmd", "_quarto.yml", "VERSION", "CITATION.cff",
]
STAMP = "build-stamp.json"


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def input_files(root: Path = paths.ROOT) -> list[Path]:
    """Every input file under the root, sorted, skipping caches."""
    found = set()
    for pattern in INPUT_PATTERNS:
        for p in root.glob(pattern):
            if p.is_file() and "__pycache__" not in p.parts:
                found.add(p)
    return sorted(found)


def fingerprint(files: list[Path], root: Path = paths.ROOT, extra: str = "") -> str:
    """One digest over the relative names and contents of files (and any extra text)."""
    h = hashlib.sha256(extra.encode())
    for p in files:
        h.update(str(p.relative_to(root)).encode() + b"\0" + file_digest(p).encode() + b"\n")
    return h.hexdigest()


def read_stamp(build_dir: Path = paths.BUILD) -> dict:
    try:
        return json.loads((build_dir / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_stamp(stamp: dict, build_dir: Path = paths.BUILD) -> None:
    build_dir.mkdir(parents=True, exist_ok=True)
    atomic_write(build_dir / STAMP, json.dumps(stamp, indent=1, sort_keys=True).encode())


def outputs_intact(stamp: dict, root: Path = paths.ROOT) -> bool:
    """True when every output the stamp lists exists with the bytes it recorded."""
    outputs = stamp.get("outputs") or {}
    if not outputs:
        return False
    for rel, digest in outputs.items():
        p = root / rel
        if not p.is_file() or file_digest(p) != digest:
            return False
    return True


atomic_write = atomic.write_bytes


def publish(staged: Path, dest: Path, managed: list[str]) -> list[str]:
    """Move every staged file into dest atomically and drop managed files the build no longer makes."""
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    new_names = {p.name for p in staged.iterdir() if p.is_file()}
    for p in sorted(staged.iterdir()):
        if not p.is_file():
            continue
        target = dest / p.name
        if target.is_file() and target.read_bytes() == p.read_bytes():
            continue
        tmp = dest / f".{p.name}.{os.getpid()}.tmp"
        shutil.copyfile(p, tmp)
        os.replace(tmp, target)
        written.append(p.name)
    for pattern in managed:
        for old in dest.glob(pattern):
            if old.is_file() and old.name not in new_names:
                old.unlink()
    return written


@contextlib.contextmanager
def build_lock(build_dir: Path = paths.BUILD):
    """Serialise builds: a second build started at once waits, then sees the first one's result."""
    build_dir.mkdir(parents=True, exist_ok=True)
    with open(build_dir / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
