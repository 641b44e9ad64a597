"""The benchmark's scale rows: the whole report built from N copies of every article, and how each measure grows."""
from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import shutil
import subprocess
from pathlib import Path

SIZES = (1, 10)  # 100 is opt-in (BENCH_SIZES=1,10,100): 16 minutes of CPU (cold build 869 CPU-s) and 800 MB
TARGET_SIZE = 100
CHARTED_CLAIM = "georgia_crossings_per_day"  # drawn in a chart and carried into a derived figure
# (measure, key in a size's row, unit, limit at TARGET_SIZE or None) in the order the table shows them.
MEASURES = (("cold build, wall", "cold_s", "s", 60.0), ("cold build, CPU", "cold_cpu", "CPU-s", None),
            ("peak memory (largest process)", "peak_mb", "MB", 1024.0),
            ("one-claim notes edit, wall", "edit_s", "s", 5.0), ("one-claim notes edit, CPU", "edit_cpu", "CPU-s", None),
            ("charted figure corrected, wall", "chart_s", "s", 5.0),
            ("charted figure corrected, CPU", "chart_cpu", "CPU-s", None),
            ("first page (report.html)", "page_bytes", "bytes", 2_000_000.0), ("PDF pages", "pdf_pages", "pages", None))
LINEAR, FLAT = 1.15, 0.15  # growth exponents: cold cost at most linear; an edit's cost not growing at all


def _rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, fields: list[str], rows: list[dict]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def correct_figure(root: Path, claim_id: str = CHARTED_CLAIM) -> str:
    """Correct one reported figure as a curator would: the number in the article's sentence, the text's
    checksum, the claim's number, value and bounds, and every row quoting that sentence. Returns the new
    number as worded. The claim's number must be digits, with or without thousands commas."""
    data = root / "data"
    fields, claims = _rows(data / "claims.csv")
    claim = next(r for r in claims if r["id"] == claim_id)
    old = claim["number_text"]
    value = int(old.replace(",", ""))
    new = f"{value + 10 ** (len(str(value)) - 1):{',' if ',' in old else ''}}"
    old_quote, new_quote = claim["quote"], claim["quote"].replace(old, new)
    src_fields, sources = _rows(data / "sources.csv")
    source = next(r for r in sources if r["id"] == claim["source_id"])
    text_path = data / source["path"]
    text_path.write_bytes(text_path.read_bytes().replace(old_quote.encode(), new_quote.encode()))
    source["sha256"] = hashlib.sha256(text_path.read_bytes()).hexdigest()
    _write(data / "sources.csv", src_fields, sources)
    for r in (r for r in claims if r["id"] == claim_id):
        r.update(number_text=new, **{k: new.replace(",", "") for k in ("value", "low", "high") if r[k] == str(value)})
    for name in ("claims", "people", "events", "exclusions", "statements"):
        cols, rows = (fields, claims) if name == "claims" else _rows(data / f"{name}.csv")
        quoting = [r for r in rows if r["source_id"] == claim["source_id"] and r["quote"]
                   and r["quote"] in old_quote and old in r["quote"]]
        for r in quoting:
            r["quote"] = r["quote"].replace(old, new)
        if quoting:  # a table left as it was keeps its bytes
            _write(data / f"{name}.csv", cols, rows)
    return new


def redrawn(run_stdout: str) -> int:
    """How many charts the figures stage redrew, from its summary line."""
    m = re.search(r"^stage figures\s+[\d.]+s\s+(\d+) redrawn", run_stdout, re.M)
    return int(m.group(1)) if m else 0


def pdf_pages(pdf: Path) -> int | None:
    """Pages of a PDF by pdfinfo (poppler); None where it is not installed or the PDF is missing."""
    tool = shutil.which("pdfinfo")
    if not tool or not pdf.is_file():
        return None
    out = subprocess.run([tool, str(pdf)], capture_output=True, text=True).stdout
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else None


def exponent(a: float | None, b: float | None, size_a: int, size_b: int) -> float | None:
    """k in measure ~ size^k between two sizes (1.0 = linear, 0 = flat); None when either is missing."""
    if not a or not b or size_a == size_b:
        return None
    return math.log(b / a) / math.log(size_b / size_a)


def growth(rows: list[dict], key: str) -> float | None:
    """A measure's growth exponent between the two largest sizes measured."""
    if len(rows) < 2:
        return None
    a, b = rows[-2], rows[-1]
    return exponent(a.get(key), b.get(key), a["size"], b["size"])


def at_target(rows: list[dict], key: str) -> tuple[float | None, str]:
    """The measure at TARGET_SIZE: measured when that size ran, else projected from the largest size by its
    growth exponent (said so); None when neither is possible."""
    top = rows[-1]
    if top["size"] == TARGET_SIZE:
        return top.get(key), "measured"
    k = growth(rows, key)
    if k is None or top.get(key) is None:
        return None, "not measured"
    return top[key] * (TARGET_SIZE / top["size"]) ** k, f"projected from {top['size']}x (exponent {k:.2f})"


def targets(rows: list[dict]) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) for the scale targets."""
    out = []
    for name, key, unit, limit in MEASURES:
        if limit is None or key == "page_bytes":
            continue
        value, how = at_target(rows, key)
        shown = "-" if value is None else f"{value:,.1f} {unit} ({how})"
        verdict = "not measured" if value is None else ("met" if value <= limit else "NOT met")
        out.append((f"{name} at {TARGET_SIZE}x the articles <= {limit:,.0f} {unit}", shown,
                    verdict + (" (projected)" if value is not None and how != "measured" else "")))
    pages = [r["page_bytes"] for r in rows if r.get("page_bytes")]
    if pages:
        out.append(("first page <= 2 MB at every size measured", f"{max(pages):,} bytes at most",
                    "met" if max(pages) <= 2_000_000 else "NOT met"))
    for key, limit, what in (("cold_cpu", LINEAR, "cold build CPU grows at most linearly"),
                             ("edit_cpu", FLAT, "one-claim edit CPU does not grow")):
        k = growth(rows, key)
        out.append((f"{what} (exponent <= {limit})", "-" if k is None else f"{k:.2f}",
                    "not measured" if k is None else ("met" if k <= limit else "NOT met")))
    return out


def table(rows: list[dict]) -> list[str]:
    """One column per size, one row per measure, and the growth exponent between the two largest sizes."""
    head = "| measure | " + " | ".join(f"{r['size']}x ({r['sources']} articles, {r['claims']} claims)" for r in rows)
    lines = [head + " | growth exponent |", "| --- |" + " ---: |" * (len(rows) + 1)]
    for name, key, unit, _ in MEASURES:
        cells = ["-" if r.get(key) is None else (f"{r[key]:,.0f}" if unit in ("bytes", "pages", "MB")
                                                 else f"{r[key]:.2f}") for r in rows]
        k = growth(rows, key)
        lines.append(f"| {name} ({unit}) | " + " | ".join(cells) + f" | {'-' if k is None else f'{k:.2f}'} |")
    return lines


def parse_sizes(text: str) -> list[int]:
    """'1,10,100' -> [1, 10, 100]: how many copies of every article each scale row builds."""
    try:
        sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        sizes = []
    if not sizes or sizes[0] < 1:
        raise ValueError(f"sizes are whole numbers of copies, 1 or more, comma-separated, not {text!r}")
    return sizes
