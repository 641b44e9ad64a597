"""Byte-stable CSV writing and number formatting shared by the build outputs."""
from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from exodus import atomic

SIGNIFICANT = 6  # enough for every figure in the articles, few enough to hide float noise


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


def render(fields: list[str], rows: list[dict]) -> str:
    """CSV text with LF line endings and every field present."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({f: "" if row.get(f) is None else row.get(f) for f in fields})
    return out.getvalue()


def write(path: Path, fields: list[str], rows: list[dict]) -> Path:
    """Write rows to path (creating its folder) as UTF-8 without BOM."""
    return atomic.write_bytes(Path(path), render(fields, rows).encode("utf-8"))
