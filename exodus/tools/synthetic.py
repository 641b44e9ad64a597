"""Synthetic data sets of any size, shaped like the curated tables, for scaling measurements."""
from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

from exodus import paths


def _write(path: Path, fields: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def make_dataset(root: Path, n_claims: int, n_sources: int, n_derived: int = 100) -> Path:
    """Write a valid, fully covered data/ folder with n_claims claims spread over n_sources texts."""
    data = Path(root) / "data"
    (data / "sources").mkdir(parents=True, exist_ok=True)
    package = json.loads(paths.DATAPACKAGE.read_text(encoding="utf-8"))
    shutil.copy(paths.DATAPACKAGE, data / "datapackage.json")
    shutil.copy(paths.table("places"), data / "places.csv")  # the gazetteer additions are data, not synthetic
    fields = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in package["resources"]}
    blank = lambda name: dict.fromkeys(fields[name], "")
    per_source = -(-n_claims // n_sources)
    sources, claims = [], []
    for s in range(n_sources):
        sid = f"src_{s:05d}"
        lines = []
        for k in range(per_source):
            c = s * per_source + k
            if c >= n_claims:
                break
            value = 1000 + (c * 7919) % 900_000
            quote = f"Officials counted more than {value:,} crossings at a single post that week."
            lines.append(quote)
            row = blank("claims")
            row.update(id=f"c_{c:06d}", source_id=sid, quote=quote, number_text=f"{value:,}", value=value,
                       low=value, hedge="more than", unit="person", metric="border_entries", subject="people",
                       place=f"post {c}", attributed_to="officials", attribution_type="official", status="single")
            claims.append(row)
        text = "\n".join(lines).encode("utf-8")
        (data / "sources" / f"{sid}.txt").write_bytes(text)
        row = blank("sources")
        row.update(id=sid, path=f"sources/{sid}.txt", sha256=hashlib.sha256(text).hexdigest(), outlet_shown="unknown",
                   original_outlet="unknown", original_outlet_basis="unknown", author="unknown", title=f"Synthetic {s}",
                   published_basis="unknown", language="en")
        sources.append(row)
    _write(data / "sources.csv", fields["sources"], sources)
    _write(data / "claims.csv", fields["claims"], claims)
    _write(data / "metrics.csv", fields["metrics"], [
        {"id": "border_entries", "label": "Border entries", "unit": "person", "counts": "People entering"}])
    for name in ("people", "events", "exclusions", "statements"):
        _write(data / f"{name}.csv", fields[name], [])
    n = min(n_derived, len(claims) // 2)
    with (data / "derived.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["id", "formula", "unit", "metric", "description"])
        for i in range(n):
            # Each sum is its own quantity (two posts), so each gets its own metric.
            writer.writerow([f"d_{i:05d}", f"c_{2 * i:06d} + c_{2 * i + 1:06d}", "person", f"entries_at_posts_{i:05d}",
                             "Sum of two posts"])
    return data
