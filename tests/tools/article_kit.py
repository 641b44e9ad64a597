"""Steps shared by the tests that take a new article through add-source, draft and a build in a project copy."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path


def run(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python <args>` in the copy, as its user would run it; a failure shows what it printed."""
    full = {**os.environ, "EXODUS_ROOT": str(root), **(env or {})}
    result = subprocess.run([sys.executable, *args], cwd=root, env=full, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def rows(path: Path) -> list[dict]:
    """A CSV table's rows; none when the file was not written."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def append(path: Path, new: list[dict]) -> None:
    """Rows added at the end of a table, as a user pasting them would (columns the table lacks are dropped)."""
    fields = next(csv.reader(path.open(encoding="utf-8")))
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=fields, lineterminator="\n", extrasaction="ignore").writerows(new)
