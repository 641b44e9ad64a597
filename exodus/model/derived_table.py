"""Typed reading of build/derived.csv, the derived-figures table another stage writes."""
from __future__ import annotations

import csv
import re
from pathlib import Path

from exodus import paths
from exodus.model import csv_out
from exodus.model.vocabulary import ID_PATTERN

COLUMNS = ["id", "value", "low", "high", "unit", "metric", "formula", "claim_ids",
           "source_ids", "hedge", "description"]
_NUMERIC = ("value", "low", "high")
_ID = ID_PATTERN


def default_path() -> Path:
    """Where the derive stage writes its output."""
    return paths.BUILD / "derived.csv"


def split_ids(cell: str) -> list[str]:
    """Ids from a list cell; ';' is the data package convention, ',' and spaces tolerated."""
    return [p for p in re.split(r"[;,\s]+", cell or "") if p]


def parse(text: str, shown: str = "build/derived.csv") -> list[dict]:
    """Rows of a derived table; raises ValueError naming file:line for anything malformed."""
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"{shown}:1: missing columns {missing}; expected {','.join(COLUMNS)}")
    rows = []
    for line, raw in enumerate(reader, start=2):
        row = {k: csv_out.restore((raw.get(k) or "").strip()) for k in COLUMNS}
        if not _ID.fullmatch(row["id"]):
            raise ValueError(f"{shown}:{line}: id {row['id']!r} must match ^[a-z][a-z0-9_]*$")
        for k in _NUMERIC:
            try:
                row[k] = float(row[k]) if row[k] else None
            except ValueError:
                raise ValueError(f"{shown}:{line}: {k} {row[k]!r} is not a number") from None
        row["claim_ids"] = split_ids(row["claim_ids"])
        row["source_ids"] = split_ids(row["source_ids"])
        row["people_ids"] = split_ids(raw.get("people_ids") or "")
        # Older tables lack the column; every row of this table is derived all the same.
        row["marker"] = (raw.get("marker") or "derived").strip()
        rows.append(row)
    return rows


def load(path: Path | None = None) -> list[dict]:
    """Derived rows, or [] when the derive stage has not produced its table."""
    path = Path(path) if path else default_path()
    if not path.exists():
        return []
    return parse(path.read_text(encoding="utf-8"), paths.rel(path))
