"""Strict reading of the curated CSV tables against the datapackage.json schema."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from exodus import paths

MAX_FIELD = 20_000  # a quote is a sentence; anything longer is a paste accident
MAX_SOURCE_BYTES = 100_000  # fourteen times the longest article (7 kB), a 16,000-word feature; keeps a build under a minute
MAX_ROWS = 200_000  # twice the benchmark's 100,000 claims; beyond it checks stop being interactive
# Every constraint and type the reader enforces; a schema asking for anything else is refused, so
# datapackage.json can never hold a rule that frictionless enforces and the build silently ignores.
CONSTRAINTS = {"required", "unique", "enum", "pattern", "minimum", "maximum", "minLength", "maxLength"}
TYPES = {"string", "integer", "number", "date"}
SAVE_AS = ("save it as 'CSV UTF-8 (Comma delimited)' (Excel) or Text CSV with character set "
           "'Unicode (UTF-8)' and field delimiter ',' (LibreOffice)")
csv.field_size_limit(sys.maxsize)  # so an oversized field reaches the explicit length check


@dataclass(frozen=True, order=True)
class Problem:
    """One validation failure, located as file:row:column."""

    file: str
    row: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}:{self.column}"
        return f"{where}: [{self.field}] {self.message}" if self.field else f"{where}: {self.message}"


class ValidationError(Exception):
    """Raised with every problem found, so one run reports them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Table:
    """A loaded table: typed rows plus where each row and column came from."""

    name: str
    path: Path
    fields: list[str]
    rows: list[dict]
    lines: list[int]  # line number in the file where each row starts

    def where(self, index: int, field: str = "") -> tuple[str, int, int, str]:
        col = self.fields.index(field) + 1 if field in self.fields else 0
        return paths.rel(self.path), self.lines[index], col, field


def load_schema(path: Path = paths.DATAPACKAGE) -> dict[str, dict]:
    """Resources of the data package keyed by name."""
    package = json.loads(Path(path).read_text(encoding="utf-8"))
    return {r["name"]: r for r in package["resources"]}


def _checker(field: dict):
    """Compile one field's type and constraints into a function returning (value, error)."""
    kind = field.get("type", "string")
    cons = field.get("constraints", {})
    required = cons.get("required", False)
    enum = cons.get("enum")
    pattern = re.compile(cons["pattern"]) if "pattern" in cons else None
    lo, hi = cons.get("minimum"), cons.get("maximum")
    shortest, longest = cons.get("minLength"), cons.get("maxLength")

    def check(raw: str):
        if raw == "":
            return None, ("is required but empty" if required else None)
        if raw != raw.strip():
            return None, f"has leading or trailing white space: {raw!r}"
        if kind == "integer":
            if not re.fullmatch(r"-?\d+", raw):
                return None, f"{raw!r} is not an integer"
            value = int(raw)
        elif kind == "number":
            try:
                value = float(raw)
            except ValueError:
                return None, f"{raw!r} is not a number (plain digits, '.' for decimals, no thousands separators)"
            if value != value or value in (float("inf"), float("-inf")):
                return None, f"{raw!r} is not a finite number"
        elif kind == "date":
            try:
                value = dt.date.fromisoformat(raw).isoformat()
            except ValueError:
                return None, f"{raw!r} is not a valid date (expected YYYY-MM-DD, a day that exists)"
            if value != raw:
                return None, f"{raw!r} is not a date in YYYY-MM-DD form"
        else:
            value = raw
        if enum is not None and value not in enum:
            return None, f"{raw!r} is not one of: {', '.join(enum)}"
        if pattern is not None and not pattern.fullmatch(value):
            return None, f"{raw!r} does not match the pattern {pattern.pattern}"
        if longest is not None and len(raw) > longest:
            return None, f"is {len(raw):,} characters long; the schema allows at most {longest:,} (maxLength)"
        if shortest is not None and len(raw) < shortest:
            return None, f"is {len(raw):,} characters long; the schema asks for at least {shortest:,} (minLength)"
        if lo is not None and value < lo:
            return None, f"{raw!r} is below the minimum {lo}"
        if hi is not None and value > hi:
            return None, f"{raw!r} is above the maximum {hi}"
        return value, None

    return check


def decode(shown: str, data: bytes, problems: list[Problem]) -> str | None:
    """UTF-8 text with LF line endings; a spreadsheet's byte-order mark and CRLF endings are accepted."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(Problem(shown, 1, 1, "", f"is UTF-16 text; expected UTF-8: {SAVE_AS}"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        start = e.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        line = data[:start].count(b"\n") + 1
        col = start - (data.rfind(b"\n", 0, start) + 1) + 1
        problems.append(Problem(shown, line, col, "", f"byte 0x{data[start]:02x} is not valid UTF-8; {SAVE_AS}"))
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.append(Problem(shown, line, 1, "", f"has NUL bytes (UTF-16 or binary data?); expected UTF-8 text: {SAVE_AS}"))
        return None
    text = text.replace("\r\n", "\n")
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        problems.append(Problem(shown, line, 1, "", "has a carriage return that ends no line (old Mac CR line endings?); save with LF or CRLF line endings"))
        return None
    return text


def schema_problems(resource: dict, shown: str = "data/datapackage.json") -> list[Problem]:
    """Types and constraints the schema asks for that this reader does not enforce."""
    problems = []
    for f in resource["schema"]["fields"]:
        kind, unknown = f.get("type", "string"), set(f.get("constraints", {})) - CONSTRAINTS
        where = f"resource {resource['name']!r}, field {f['name']!r}"
        if kind not in TYPES:
            problems.append(Problem(shown, 0, 0, "", f"{where}: type {kind!r} is not supported; expected one of {', '.join(sorted(TYPES))}"))
        if unknown:
            problems.append(Problem(shown, 0, 0, "", f"{where}: constraint(s) {', '.join(sorted(unknown))} not enforced by the build; supported: {', '.join(sorted(CONSTRAINTS))}"))
    return problems


def read(name: str, schema: dict[str, dict] | None = None, path: Path | None = None) -> tuple[Table, list[Problem]]:
    """Read one table, returning the typed rows and every problem found (never raising on bad data)."""
    schema = schema or load_schema()
    resource = schema[name]
    fields = [f["name"] for f in resource["schema"]["fields"]]
    problems: list[Problem] = schema_problems(resource)
    if path is None:
        try:
            path = paths.inside_data(resource["path"], f"the {name} table")
        except paths.OutsideData as e:
            return Table(name, paths.DATA / resource["path"], fields, [], []), [Problem(paths.rel(paths.DATA / resource["path"]), 0, 0, "", str(e))]
    path = Path(path)
    shown = paths.rel(path)
    table = Table(name, path, fields, [], [])
    if problems:
        return table, problems
    if not path.exists():
        return table, [Problem(shown, 0, 0, "", f"file is missing; expected the {name} table with columns {','.join(fields)}")]
    if not path.is_file():
        return table, [Problem(shown, 0, 0, "", f"is not a regular file; expected the {name} table with columns {','.join(fields)}")]
    text = decode(shown, path.read_bytes(), problems)
    if text is None:
        return table, problems
    checkers = [_checker(f) for f in resource["schema"]["fields"]]
    uniques = [f["name"] for f in resource["schema"]["fields"] if f.get("constraints", {}).get("unique")]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    # Enumerated and key-like values repeat on every row: one shared string each keeps memory flat.
    shared = [bool(f.get("constraints", {}).get("enum")) or f["name"] in ("source_id", "metric", "unit")
              for f in resource["schema"]["fields"]]
    required = [f.get("constraints", {}).get("required", False) for f in resource["schema"]["fields"]]
    enums = [{sys.intern(v): sys.intern(v) for v in f["constraints"]["enum"]} if f.get("constraints", {}).get("enum") else None
             for f in resource["schema"]["fields"]]
    # Text columns with no constraint beyond "no stray white space" skip the checker call.
    plains = [f.get("type", "string") == "string" and not (set(f.get("constraints", {})) - {"required"})
              and f["name"] not in ("source_id", "metric", "unit") for f in resource["schema"]["fields"]]
    try:
        header = next(reader, None)
    except csv.Error as e:
        return table, [Problem(shown, 1, 0, "", f"malformed CSV header: {e}")]
    if header is None:
        return table, [Problem(shown, 1, 0, "", f"file is empty; expected a header row: {','.join(fields)}")]
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        said = "; ".join(f"column {h!r} appears twice (columns {', '.join(str(i + 1) for i, x in enumerate(header) if x == h)})" for h in twice)
        return table, [Problem(shown, 1, 0, "", f"header: {said}; expected each column once: {','.join(fields)}")]
    if header != fields:
        hint = ""
        if len(header) == 1 and any(d in header[0] for d in ";\t|"):
            hint = "; the file seems to use another delimiter than ','"
        missing = [f for f in fields if f not in header]
        extra = [h for h in header if h not in fields]
        detail = (f"missing {missing}" if missing else "") + (f" unexpected {extra}" if extra else "")
        detail = detail.strip() or "columns in the wrong order"
        return table, [Problem(shown, 1, 0, "", f"header does not match the schema ({detail}){hint}; expected: {','.join(fields)}")]
    records, starts = [], []
    line = reader.line_num + 1
    body_lines = text.count("\n") - 1
    if text.endswith("\n") and "\n\n" not in text and '"' not in text.split("\n", 1)[0]:
        try:
            fast = list(reader)
        except csv.Error:
            fast = None  # the careful loop below finds and reports the malformed record
        # With one record per line (no field spans lines), a record's line is its index + 2.
        if fast is not None and len(fast) == body_lines:
            reader = iter(())
            for i, record in enumerate(fast):
                if len(record) != len(fields):
                    problems.append(Problem(shown, i + 2, 0, "", f"has {len(record)} columns; expected {len(fields)} ({','.join(fields)})"))
                else:
                    records.append(record)
                    starts.append(i + 2)
        else:  # a malformed or multi-line record: the careful loop re-reads from the top
            reader = csv.reader(io.StringIO(text, newline=""), strict=True)
            next(reader)
    while True:
        start = line
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            problems.append(Problem(shown, start, 0, "", f"malformed CSV ({e}); check for an unbalanced double quote"))
            break
        line = getattr(reader, "line_num", 0) + 1
        if not record:
            problems.append(Problem(shown, start, 0, "", "blank line; remove it"))
        elif len(record) != len(fields):
            problems.append(Problem(shown, start, 0, "", f"has {len(record)} columns; expected {len(fields)} ({','.join(fields)})"))
        else:
            records.append(record)
            starts.append(start)
    if len(records) > MAX_ROWS:
        return table, problems + [Problem(shown, starts[MAX_ROWS], 0, "", f"has {len(records):,} rows; a table may hold at most {MAX_ROWS:,} (split it or raise MAX_ROWS in exodus/model/tables.py)")]
    # Column by column: one tight loop per field is far cheaper than a call per cell.
    columns = []
    for col, (field, check, plain, share, raws) in enumerate(
            zip(fields, checkers, plains, shared, zip(*records) if records else [()] * len(fields)), start=1):
        if plain:
            values = list(raws)
            odd = [i for i, v in enumerate(values) if not v or len(v) > MAX_FIELD or v[0] <= " " or v[-1] <= " "]
        else:
            values, odd = [None] * len(raws), []
            enum = enums[col - 1]
            for i, raw in enumerate(raws):
                if not raw and not required[col - 1]:
                    continue  # blank optional cell: stays None
                if enum is not None and raw in enum:
                    values[i] = enum[raw]  # known enum value: the shared string, no checker call
                else:
                    odd.append(i)
        for i in odd:
            raw = raws[i]
            if len(raw) > MAX_FIELD:
                problems.append(Problem(shown, starts[i], col, field, f"is {len(raw):,} characters long; expected at most {MAX_FIELD:,}"))
                values[i] = None
                continue
            value, err = check(raw)
            if err:
                problems.append(Problem(shown, starts[i], col, field, err))
            values[i] = sys.intern(value) if share and isinstance(value, str) else value
        columns.append(values)
    has_rows = bool(records)
    del records  # the columns hold every value now; keeping both would double the peak
    for u in uniques:
        first: dict = {}
        for i, v in enumerate(columns[fields.index(u)]):
            if v is None:
                continue
            if v in first:
                problems.append(Problem(shown, starts[i], fields.index(u) + 1, u, f"duplicate {u} {v!r}; first used on line {first[v]}"))
            else:
                first[v] = starts[i]
    table.rows = [dict(zip(fields, vals)) for vals in zip(*columns)] if has_rows else []
    table.lines = starts
    return table, problems


def load(name: str) -> list[dict]:
    """Rows of a table, raising ValidationError when the file does not match its schema."""
    table, problems = read(name)
    if problems:
        raise ValidationError(problems)
    return table.rows
