"""Byte-stable CSV writing and number formatting shared by the build outputs."""
from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

from exodus import atomic

SIGNIFICANT = 6  # enough for every figure in the articles, few enough to hide float noise
# A cell starting with one of these is read as a formula by spreadsheets (OWASP "CSV injection");
# "'" is included so that neutralising stays reversible: a leading "'" always means one was added.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


def number(x) -> str:
    """A number as written in outputs: '' for none or unbounded, integers without '.0'."""
    if x is None or (isinstance(x, float) and math.isinf(x)):
        return ""
    rounded = float(f"{float(x):.{SIGNIFICANT}g}")
    if rounded == int(rounded) and abs(rounded) < 1e15:
        return str(int(rounded))
    return repr(rounded)


def ids(values) -> str:
    """Ids joined as the tables join them: sorted, ';'-separated."""
    return ";".join(sorted(set(values)))


def neutralise(cell):
    """A cell a spreadsheet shows as text, never runs: "'" before a formula start; numbers stay numbers."""
    if not isinstance(cell, str) or not cell.startswith(FORMULA_START) or _PLAIN_NUMBER.fullmatch(cell):
        return cell
    return "'" + cell


def restore(cell: str) -> str:
    """The text neutralise() was given (for build stages reading an exported CSV back)."""
    return cell[1:] if cell.startswith("'") and not _PLAIN_NUMBER.fullmatch(cell) else cell


def render(fields: list[str], rows: list[dict], exported: bool = False) -> str:
    """CSV text with LF line endings and every field present; exported tables are made spreadsheet-safe."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    clean = neutralise if exported else (lambda v: v)
    for row in rows:
        writer.writerow({f: "" if row.get(f) is None else clean(row.get(f)) for f in fields})
    return out.getvalue()


def write(path: Path, fields: list[str], rows: list[dict]) -> Path:
    """Write rows to path (creating its folder) as UTF-8 without BOM."""
    return atomic.write_bytes(Path(path), render(fields, rows).encode("utf-8"))


def write_exported(path: Path, fields: list[str], rows: list[dict]) -> Path:
    """Write a table meant for download: like write(), with every formula-like cell neutralised."""
    return atomic.write_bytes(Path(path), render(fields, rows, exported=True).encode("utf-8"))
