"""Evaluate the named formulas of data/derived.csv over the claims into build/derived.csv."""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from exodus import paths
from exodus.model import csv_out, tables, units
from exodus.model.vocabulary import ID_PATTERN
from exodus.stages import formulas

DEF_FIELDS = ["id", "formula", "unit", "metric", "description"]
OUT_FIELDS = ["id", "value", "low", "high", "unit", "metric", "formula", "claim_ids", "people_ids",
              "source_ids", "hedge", "description", "marker"]
# Every row of build/derived.csv is computed, never reported: the report styles figures by this
# field (variables.py gives them the class it names) so none passes for a figure an article gives.
MARKER = "derived"
INPUT_TABLES = ("sources", "metrics", "claims", "people")


class DerivedError(Exception):
    """A definition that cannot be used, located as file:row:column like tables.Problem."""

    def __init__(self, path: Path, row: int, field: str, text: str, message: str):
        self.path, self.row, self.field, self.text = paths.rel(path), row, field, text
        col = DEF_FIELDS.index(field) + 1 if field in DEF_FIELDS else 0
        self.column = col
        shown = f" (in {text[:200]!r}{'…' if len(text) > 200 else ''})" if text else ""
        super().__init__(f"{self.path}:{row}:{col}: " + (f"[{field}] " if field else "") + message + shown)


@dataclass(frozen=True)
class Definition:
    """One row of data/derived.csv and the line it starts on."""

    id: str
    formula: str
    unit: str
    metric: str
    description: str
    line: int
    path: Path


@dataclass(frozen=True)
class Derived:
    """An evaluated definition."""

    definition: Definition
    quantity: formulas.Quantity

    @property
    def id(self) -> str:
        return self.definition.id


def load_tables(folder: Path | None = None, names=INPUT_TABLES) -> dict[str, list[dict]]:
    """Curated tables through exodus.model.tables; a folder (test fixtures) replaces data/."""
    if folder is None:
        return {n: tables.load(n) for n in names}
    out = {}
    for n in names:
        table, problems = tables.read(n, path=Path(folder) / f"{n}.csv")
        if problems:
            raise tables.ValidationError(problems)
        out[n] = table.rows
    return out


def read_definitions(path: Path | None = None) -> list[Definition]:
    """Rows of the definitions file; DerivedError on a malformed file or row."""
    path = Path(path or paths.DERIVED_DEFS)
    if path == paths.DERIVED_DEFS:
        try:
            paths.contained(path, "the derived-figures table")
        except paths.OutsideData as e:
            raise DerivedError(path, 0, "", "", str(e)) from None
    if not path.is_file():
        raise DerivedError(path, 0, "", "", f"file is missing; expected columns {','.join(DEF_FIELDS)}")
    problems: list[tables.Problem] = []
    text = tables.decode(paths.rel(path), path.read_bytes(), problems)
    if text is None:
        p = problems[0]
        raise DerivedError(path, p.row, "", "", f"{p.message} (column {p.column})")
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    defs, seen, start = [], {}, 1
    try:
        header = next(reader, None)
        if header != DEF_FIELDS:
            raise DerivedError(path, 1, "", ",".join(header or []), f"header must be {','.join(DEF_FIELDS)}")
        start = reader.line_num + 1
        for record in reader:
            defs.append(_definition(path, start, record, seen))
            start = reader.line_num + 1
    except csv.Error as e:
        raise DerivedError(path, start, "", "", f"malformed CSV ({e}); check for an unbalanced double quote") from None
    return defs


def _definition(path: Path, start: int, record: list[str], seen: dict) -> Definition:
    """One definition row, checked; remembers its id in seen."""
    if len(record) != len(DEF_FIELDS):
        raise DerivedError(path, start, "", ",".join(record), f"has {len(record)} columns; expected {len(DEF_FIELDS)}")
    d = Definition(*(r.strip() for r in record), line=start, path=path)
    if not ID_PATTERN.fullmatch(d.id):
        raise DerivedError(path, start, "id", d.id, "id must be snake_case (^[a-z][a-z0-9_]*$)")
    if d.id in seen:
        raise DerivedError(path, start, "id", d.id, f"duplicate id; first defined on line {seen[d.id]}")
    if not ID_PATTERN.fullmatch(d.metric):
        raise DerivedError(path, start, "metric", d.metric, "metric must be a snake_case id")
    try:
        units.parse(d.unit)
    except ValueError as e:
        raise DerivedError(path, start, "unit", d.unit, str(e)) from None
    seen[d.id] = start
    return d


def evaluate_all(defs: list[Definition], claims: list[dict], metrics: list[dict],
                 people: list[dict], errors: list[DerivedError] | None = None) -> list[Derived]:
    """Evaluate every definition (in file order), resolving references between them. With an `errors`
    list, every definition that fails is added to it (once) and the others are still evaluated."""
    by_id = {d.id: d for d in defs}
    claims_by_id = {c["id"]: c for c in claims}

    def failed(e: DerivedError) -> None:
        if errors is None:
            raise e
        if str(e) not in {str(x) for x in errors}:
            errors.append(e)
    for d in defs:
        if d.id in claims_by_id:
            failed(DerivedError(d.path, d.line, "id", d.id, "id is already a claim id; derived ids must differ"))
    done: dict[str, formulas.Quantity] = {}
    stack: list[str] = []
    ctx = formulas.Context(claims_by_id, {m["id"]: m for m in metrics}, people,
                           derived_ids=set(by_id))

    def resolve(name: str) -> formulas.Quantity:
        if name in done:
            return done[name]
        d = by_id[name]
        if name in stack:
            cycle = " -> ".join(stack[stack.index(name):] + [name])
            raise DerivedError(d.path, d.line, "formula", d.formula, f"cycle among derived figures: {cycle}")
        stack.append(name)
        try:
            q = formulas.evaluate(d.formula, ctx)
        except formulas.FormulaError as e:
            raise DerivedError(d.path, d.line, "formula", e.text, str(e)) from None
        stack.pop()
        bad = _not_finite(q.interval)
        if bad:
            raise DerivedError(d.path, d.line, "formula", d.formula, f"result is not a finite number ({bad}); check for overflow or division by a tiny value")
        declared = units.parse(d.unit)
        if q.unit != declared:
            raise DerivedError(d.path, d.line, "unit", d.unit,
                               f"formula gives {units.show(q.unit)!r}, not the declared unit")
        registered = ctx.metrics.get(d.metric)
        if registered is not None and units.parse(registered["unit"]) != declared:
            raise DerivedError(d.path, d.line, "metric", d.metric,
                               f"metric is registered in {registered['unit']!r}, not {d.unit!r}")
        # The declared metric names the new quantity, so later formulas combine it by that name.
        done[name] = formulas.Quantity(q.interval, q.unit, d.metric, q.claim_ids, q.people_ids,
                                       q.source_ids, q.derived_ids)
        return done[name]

    ctx.derived = resolve
    out = []
    for d in defs:
        stack.clear()  # a failure leaves the chain it was resolving
        try:
            out.append(Derived(d, resolve(d.id)))
        except DerivedError as e:
            failed(e)
    return out


def _not_finite(interval) -> str:
    """What is wrong with an evaluated interval's numbers, or '' (open bounds are ±inf by convention)."""
    value, low, high = interval.value, interval.low, interval.high
    if any(x is not None and math.isnan(x) for x in (value, low, high)):
        return "NaN"
    if value is not None and math.isinf(value):
        return f"value {value}"
    if low == math.inf or high == -math.inf:
        return f"bounds {low} to {high}"
    return ""


def to_row(item: Derived) -> dict:
    """One output row of build/derived.csv."""
    d, q = item.definition, item.quantity
    return {
        "id": d.id,
        "value": csv_out.number(q.interval.value),
        "low": csv_out.number(q.interval.low),
        "high": csv_out.number(q.interval.high),
        "unit": d.unit,
        "metric": d.metric,
        "formula": d.formula,
        "claim_ids": csv_out.ids(q.claim_ids),
        "people_ids": csv_out.ids(q.people_ids),
        "source_ids": csv_out.ids(q.source_ids),
        "hedge": q.interval.hedge,
        "description": d.description,
        "marker": MARKER,
    }


def build(tables_: dict[str, list[dict]], defs_path: Path | None = None) -> list[Derived]:
    """Derived figures from loaded tables and a definitions file."""
    defs = read_definitions(defs_path)
    return evaluate_all(defs, tables_["claims"], tables_["metrics"], tables_.get("people", []))


def main(out_dir: Path | None = None, loaded: dict[str, list[dict]] | None = None) -> list[Derived]:
    """Write build/derived.csv and build/discrepancies.csv; reuses tables a caller already validated."""
    from exodus.stages import discrepancies  # imported here so derive stays usable on its own

    out_dir = out_dir or paths.BUILD

    loaded = loaded or load_tables()
    with tables.collector_paused():  # indexes and groups over every claim, none of them cyclic
        derived = build(loaded)
        csv_out.write_exported(Path(out_dir) / "derived.csv", OUT_FIELDS, [to_row(d) for d in derived])
        found = discrepancies.find(loaded["claims"], derived, loaded.get("sources", []))
        csv_out.write(Path(out_dir) / "discrepancies.csv", discrepancies.FIELDS, found)
    print(f"{len(derived)} derived figures, {len(found)} discrepancies -> {paths.rel(Path(out_dir))}")
    return derived


def cli() -> int:
    """`python -m exodus.stages.derive`: bad data is a located message and exit status 1, never a traceback."""
    import sys
    try:
        main()
    except (DerivedError, tables.ValidationError) as e:
        print(e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(cli())
