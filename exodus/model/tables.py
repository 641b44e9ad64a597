"""Strict reading of the curated CSV tables against the datapackage.json schema."""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gc
import io
import itertools
import json
import operator
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
# Key-like text columns: their values repeat on every row, so each is read once and shared.
SHARED = ("source_id", "metric", "unit")
_INTEGER = re.compile(r"-?\d+")
MAX_INTEGER_DIGITS = 30  # far beyond any count in the data, and far below what Python refuses to convert
_CHECK = object()  # a cell only the full checker can decide (and word the error for)


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


def load_schema(path: Path | None = None) -> dict[str, dict]:
    """Resources of the data package keyed by name."""
    package = json.loads(Path(path or paths.DATAPACKAGE).read_text(encoding="utf-8"))
    return {r["name"]: r for r in package["resources"]}


# Where a person adds a value an enumerated field refuses: the one file that lists it.
_LISTED_IN = {
    "hedge": "the hedges are the rows of exodus/model/hedges.csv (README, 'Notes on the data')",
}
# How many of a referenced table's keys an error names: enough to spot a typo, bounded however large it grows.
SHOWN_KEYS = 30


def _where_listed(name: str) -> str:
    return _LISTED_IN.get(name, f"the list is the {name!r} enum in data/datapackage.json")


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
            if not _INTEGER.fullmatch(raw):
                return None, f"{raw!r} is not an integer"
            if len(raw.lstrip("-")) > MAX_INTEGER_DIGITS:
                return None, f"is an integer of {len(raw.lstrip('-')):,} digits; expected at most {MAX_INTEGER_DIGITS}"
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
            return None, f"{raw!r} is not one of: {', '.join(enum)}; {_where_listed(field['name'])}"
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


def _shared(field: dict) -> bool:
    return bool(field.get("constraints", {}).get("enum")) or field["name"] in SHARED


class _Decided(dict):
    """Cell text -> its value (or _CHECK), each distinct text decided once: enumerated and key-like
    columns repeat a few values down 100,000 rows."""

    def __init__(self, decide):
        super().__init__()
        self.decide = decide

    def __missing__(self, raw: str):
        value = self[raw] = self.decide(raw)
        return value


def _certain(field: dict, raws: tuple[str, ...], check, share: bool) -> tuple[list, list[int]]:
    """Values of the cells that certainly pass the field's checks, read in bulk, and the indices of the
    other cells, which the full checker decides and words the errors for."""
    cons = field.get("constraints", {})
    kind, required, keys = field.get("type", "string"), cons.get("required", False), set(cons) - {"required"}
    blank = _CHECK if required else None
    if kind == "string" and not keys and field["name"] not in SHARED:
        # Free text: only a blank (when required), overlong or space-edged cell needs the checker.
        if required:
            values = list(raws)
            return values, [i for i, v in enumerate(values) if not v or len(v) > MAX_FIELD or v[0] <= " " or v[-1] <= " "]
        values = [r or None for r in raws]
        return values, [i for i, v in enumerate(values) if v and (len(v) > MAX_FIELD or v[0] <= " " or v[-1] <= " ")]
    if kind == "string" and keys <= {"unique", "pattern"} and not share and max(map(len, raws), default=0) <= MAX_FIELD:
        # Ids: distinct on every row, so tested in bulk (no stray white space, the pattern) rather than remembered.
        match = re.compile(cons["pattern"]).fullmatch if "pattern" in cons else bool
        values = [(r if r.strip() == r and match(r) else _CHECK) if r else blank for r in raws]
        return values, [i for i, v in enumerate(values) if v is _CHECK]
    if kind == "number" and not keys:
        # Plain digits are the common figure; fewer than 300 of them cannot overflow a float.
        values = [(float(r) if r.isdecimal() and len(r) < 300 else _CHECK) if r else blank for r in raws]
        return values, [i for i, v in enumerate(values) if v is _CHECK]
    enum = {sys.intern(v): sys.intern(v) for v in cons["enum"]} if cons.get("enum") else None

    def decide(raw: str):
        if not raw and not required:
            return None
        if enum is not None and raw in enum:
            return enum[raw]  # a known enum value: the shared string, no checker call
        if len(raw) > MAX_FIELD:
            return _CHECK
        value, err = check(raw)
        if err:
            return _CHECK
        return sys.intern(value) if share and isinstance(value, str) else value

    decided = _Decided(decide)
    values = list(map(decided.__getitem__, raws))
    refused = {raw for raw, value in decided.items() if value is _CHECK}
    return values, [i for i, raw in enumerate(raws) if raw in refused] if refused else []


@contextlib.contextmanager
def collector_paused():
    """The cyclic garbage collector paused while tables are built and checked: cells and rows hold no cycles,
    and the collector would otherwise walk the growing tables again and again (a third of the read time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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


def foreign_keys(resource: dict) -> list[tuple[str, str, str]]:
    """(field, referenced resource, referenced field) of each of a resource's foreign keys."""
    keys = []
    for fk in resource["schema"].get("foreignKeys", []):
        fields, ref = fk.get("fields"), fk.get("reference") or {}
        ref_fields = ref.get("fields")
        fields = [fields] if isinstance(fields, str) else fields
        ref_fields = [ref_fields] if isinstance(ref_fields, str) else ref_fields
        keys.append((fields[0] if fields and len(fields) == 1 else "", ref.get("resource") or "",
                     ref_fields[0] if ref_fields and len(ref_fields) == 1 else ""))
    return keys


def key_problems(schema: dict[str, dict], shown: str = "data/datapackage.json") -> list[Problem]:
    """Foreign keys the build cannot enforce: one field naming one field of a resource of the package."""
    problems = []
    for name, resource in schema.items():
        own = {f["name"] for f in resource["schema"]["fields"]}
        for field, target, key in foreign_keys(resource):
            known = target in schema and key in {f["name"] for f in schema[target]["schema"]["fields"]}
            if field not in own or not known:
                problems.append(Problem(shown, 0, 0, "", f"resource {name!r}: a foreign key must name one of its "
                                        f"fields and one field of another resource of the package; got {field or '?'!r} -> "
                                        f"{target or '?'}.{key or '?'}"))
    return problems


def reference_problems(loaded: dict[str, Table], schema: dict[str, dict]) -> list[Problem]:
    """Every cell of a foreign-key column whose value is not a key of the table it refers to, located,
    with the file that lists the keys (a new key is a row there). A referenced table that could not be
    read is reported on its own, not once per referring cell."""
    problems = []
    for name, table in loaded.items():
        for field, target, key in foreign_keys(schema[name]):
            ref = loaded.get(target)
            if not field or ref is None or not ref.rows:
                continue
            keys = set(map(operator.itemgetter(key), ref.rows)) - {None}
            values = list(map(operator.itemgetter(field), table.rows))
            if not set(values) - {None} - keys:
                continue  # the common case: every value known, no per-row pass
            noun, listed = target.removesuffix("s"), paths.rel(ref.path)
            shown = ", ".join(sorted(keys)[:SHOWN_KEYS]) + (", …" if len(keys) > SHOWN_KEYS else "")
            for i, value in enumerate(values):
                if value is not None and value not in keys:
                    problems.append(Problem(*table.where(i, field), f"unknown {noun} {value!r}; expected a {noun} "
                                            f"listed in {listed} (one of: {shown}); a new {noun} is a row there"))
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
    specs = resource["schema"]["fields"]
    # One record a line and a header without quotes (the common form): split lines parse faster than a stream.
    lines = text.split("\n") if text.endswith("\n") and "\n\n" not in text and '"' not in text[:text.find("\n")] else None
    reader = csv.reader(lines[:1] if lines is not None else io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as e:
        return table, [Problem(shown, 1, 0, "", f"malformed CSV header: {e}")]
    wrong = _header_problem(header, fields)
    if wrong:
        return table, [Problem(shown, 1, 0, "", wrong)]
    with collector_paused():
        records, starts = _records(shown, text, fields, reader, lines, problems)
        del reader, text, lines  # freed before the cells are built (a stream's buffer holds four bytes a character)
        if len(records) > MAX_ROWS:
            return table, problems + [Problem(shown, starts[MAX_ROWS], 0, "", f"has {len(records):,} rows; a table may hold at most {MAX_ROWS:,} (split it or raise MAX_ROWS in exodus/model/tables.py)")]
        # Column by column: one tight loop per field is far cheaper than a call per cell.
        raw_columns = list(zip(*records)) if records else [()] * len(fields)
        del records  # the columns hold every value now; keeping both would double the peak
        columns = [_column(shown, col, spec, raws, starts, problems)
                   for col, (spec, raws) in enumerate(zip(specs, raw_columns), start=1)]
        del raw_columns
        for u in (f["name"] for f in specs if f.get("constraints", {}).get("unique")):
            problems += _duplicates(shown, fields.index(u), u, columns, starts)
        table.rows = list(map(dict, map(zip, itertools.repeat(fields), zip(*columns))))
    table.lines = starts
    return table, problems


def _header_problem(header: list[str] | None, fields: list[str]) -> str:
    """What is wrong with a table's header row, or ''."""
    if header is None:
        return f"file is empty; expected a header row: {','.join(fields)}"
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        said = "; ".join(f"column {h!r} appears twice (columns {', '.join(str(i + 1) for i, x in enumerate(header) if x == h)})" for h in twice)
        return f"header: {said}; expected each column once: {','.join(fields)}"
    if header != fields:
        hint = ""
        if len(header) == 1 and any(d in header[0] for d in ";\t|"):
            hint = "; the file seems to use another delimiter than ','"
        missing = [f for f in fields if f not in header]
        extra = [h for h in header if h not in fields]
        detail = (f"missing {missing}" if missing else "") + (f" unexpected {extra}" if extra else "")
        detail = detail.strip() or "columns in the wrong order"
        return f"header does not match the schema ({detail}){hint}; expected: {','.join(fields)}"
    return ""


def _records(shown: str, text: str, fields: list[str], reader, lines: list[str] | None,
             problems: list[Problem]) -> tuple[list, list[int]]:
    """The records after the header with the line each starts on; malformed lines become problems."""
    records, starts = [], []
    line = reader.line_num + 1
    if lines is not None:
        body_lines = len(lines) - 2  # the text ends with a newline: the last piece is empty
        try:
            fast = list(csv.reader(lines[1:-1], strict=True))
        except csv.Error:
            fast = None  # the careful loop below finds and reports the malformed record
        # With one record per line (no field spans lines), a record's line is its index + 2.
        if fast is not None and len(fast) == body_lines:
            width = len(fields)
            if all(len(record) == width for record in fast):
                return fast, list(range(2, len(fast) + 2))
            for i, record in enumerate(fast):
                if len(record) != width:
                    problems.append(Problem(shown, i + 2, 0, "", f"has {len(record)} columns; expected {width} ({','.join(fields)})"))
                else:
                    records.append(record)
                    starts.append(i + 2)
            return records, starts
        # A malformed or multi-line record: the careful loop re-reads from the top.
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
        line = reader.line_num + 1
        if not record:
            problems.append(Problem(shown, start, 0, "", "blank line; remove it"))
        elif len(record) != len(fields):
            problems.append(Problem(shown, start, 0, "", f"has {len(record)} columns; expected {len(fields)} ({','.join(fields)})"))
        else:
            records.append(record)
            starts.append(start)
    return records, starts


def _column(shown: str, col: int, spec: dict, raws: tuple[str, ...], starts: list[int],
            problems: list[Problem]) -> list:
    """One column's typed values; every cell the field's checks refuse becomes a located problem."""
    name, check, share = spec["name"], _checker(spec), _shared(spec)
    values, odd = _certain(spec, raws, check, share)
    for i in odd:
        raw = raws[i]
        if len(raw) > MAX_FIELD:
            problems.append(Problem(shown, starts[i], col, name, f"is {len(raw):,} characters long; expected at most {MAX_FIELD:,}"))
            values[i] = None
            continue
        value, err = check(raw)
        if err:
            problems.append(Problem(shown, starts[i], col, name, err))
        values[i] = sys.intern(value) if share and isinstance(value, str) else value
    return values


def _duplicates(shown: str, index: int, name: str, columns: list[list], starts: list[int]) -> list[Problem]:
    """Every repeat of a unique column's value, located, with the line that first used it."""
    problems, first, column = [], {}, columns[index]
    if None not in column and len(set(column)) == len(column):
        return problems  # the common case, every value distinct: no per-row pass
    for i, v in enumerate(column):
        if v is None:
            continue
        if v in first:
            problems.append(Problem(shown, starts[i], index + 1, name, f"duplicate {name} {v!r}; first used on line {first[v]}"))
        else:
            first[v] = starts[i]
    return problems


def load(name: str) -> list[dict]:
    """Rows of a table, raising ValidationError when the file does not match its schema."""
    table, problems = read(name)
    if problems:
        raise ValidationError(problems)
    return table.rows
