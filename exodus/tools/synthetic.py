"""Synthetic data sets of any size, shaped like the curated tables, for scaling measurements."""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import shutil
import sys
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
    for name in ("places", "units"):  # the gazetteer additions and the units are data, not synthetic
        shutil.copy(paths.table(name), data / f"{name}.csv")
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


# Columns that name a row of another table: the copy of a row names the copy of what it named.
LINKS = {"claims": ("competes_with",), "people": ("companion_of",), "events": ("anchor",)}
COPIED = ("claims", "people", "events", "exclusions", "statements")
IDENT = re.compile(r"\b[a-z][a-z0-9_]*\b")


def copy_id(ident: str, k: int) -> str:
    """The id of copy k of a row (copy 0 keeps the curated id, so report.qmd and charts.yml still resolve)."""
    return ident if k == 0 else f"{ident}_x{k}"


def _read(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _renamed(value: str, ids: set[str], k: int) -> str:
    """Every id of `ids` in a cell (a list separated by ';', a formula) as copy k names it."""
    return IDENT.sub(lambda m: copy_id(m.group(0), k) if m.group(0) in ids else m.group(0), value)


def replicate(source: Path, dest: Path, times: int) -> Path:
    """Write into dest/ a copy of the data folder `source` holding every article and every row `times`
    times: copy k of an article is its own source (its own file, id and checksum) and the rows quoting it
    quote copy k, so every quote stays grounded in its own text and the coverage audit still holds."""
    if times < 1:
        raise ValueError(f"times must be at least 1, not {times}")
    shutil.copytree(source, dest, dirs_exist_ok=True)
    fields, sources = _read(source / "sources.csv")
    tables = {name: _read(source / f"{name}.csv") for name in COPIED}
    ids = {r["id"] for _, rows in tables.values() for r in rows} | {r["id"] for r in sources}
    out = []
    for k in range(times):
        for row in sources:
            path = row["path"] if k == 0 else re.sub(r"(\.txt)?$", f"_x{k}\\1", row["path"], count=1)
            if k:
                shutil.copyfile(source / row["path"], dest / path)
            out.append({**row, "id": copy_id(row["id"], k), "path": path})
    _write(dest / "sources.csv", fields, out)
    for name, (cols, rows) in tables.items():
        copies = [{**r, "id": copy_id(r["id"], k), "source_id": copy_id(r["source_id"], k),
                   **{c: _renamed(r[c], ids, k) for c in LINKS.get(name, ()) if r.get(c)}}
                  for k in range(times) for r in rows]
        _write(dest / f"{name}.csv", cols, copies)
    cols, derived = _read(source / "derived.csv")
    # A formula over claims is copied with them; a count over the people table already counts every copy.
    over_claims = [r for r in derived if set(IDENT.findall(r["formula"])) & ids]
    extra = [{**r, "id": copy_id(r["id"], k), "formula": _renamed(r["formula"], ids, k)}
             for k in range(1, times) for r in over_claims]
    _write(dest / "derived.csv", cols, derived + extra)
    _narrative_unchecked(dest / "narrative.yml")
    return dest


def _narrative_unchecked(path: Path) -> None:
    """The report's sentences describe the curated articles, not N copies of them ("five news articles"):
    in a copy each bound sentence is listed as exempt instead, so the build it times runs to the end."""
    if not path.is_file():
        return
    import yaml

    spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    checks = spec.pop("checks", None) or []
    spec["exempt"] = (spec.get("exempt") or []) + [
        {"says": c["says"], "why": f"synthetic copy: check {c.get('id')} describes the curated articles"}
        for c in checks if isinstance(c, dict) and c.get("says")]
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=10_000), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m exodus.tools.synthetic", description=__doc__)
    parser.add_argument("times", type=int, help="how many copies of every article and row")
    parser.add_argument("dest", type=Path, help="the data folder to write (created; must not exist yet)")
    args = parser.parse_args(argv)
    if args.dest.exists():
        parser.error(f"{args.dest} exists; give a new folder")
    replicate(paths.DATA, args.dest, args.times)
    print(f"wrote {args.dest}: {args.times} copies of every article and row of {paths.rel(paths.DATA)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
