"""Cells read column by column in bulk are refused exactly as the per-cell checker refuses them, at any row."""
import csv

import pytest

from exodus.model import tables
from tests.conftest import REPO

SCHEMA = tables.load_schema(REPO / "data" / "datapackage.json")
FIELDS = [f["name"] for f in SCHEMA["claims"]["schema"]["fields"]]
GOOD = {"source_id": "src_1", "quote": "Officials counted 1,000 crossings.", "number_text": "1,000", "value": "1000",
        "low": "1000", "high": "1000", "hedge": "exact", "unit": "person", "metric": "border_entries",
        "subject": "people", "place": "post", "period_start": "2022-09-21", "attributed_to": "officials",
        "attribution_type": "official", "status": "single"}


def write_claims(path, n: int, changes: dict[int, dict]) -> None:
    """n valid claims (ids c_000000 ...), row i (0-based) changed as changes[i] says."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        for i in range(n):
            writer.writerow({**dict.fromkeys(FIELDS, ""), **GOOD, "id": f"c_{i:06d}", **changes.get(i, {})})


def read(path):
    table, problems = tables.read("claims", SCHEMA, path)
    return table, [f"{p.row}:{p.column}: [{p.field}] {p.message}" for p in problems]


def test_a_duplicate_id_in_the_99_999th_row_is_reported_with_its_line(tmp_path):
    path = tmp_path / "claims.csv"
    write_claims(path, 100_000, {99_998: {"id": "c_000005"}})
    table, problems = read(path)
    assert problems == ["100000:1: [id] duplicate id 'c_000005'; first used on line 7"]
    assert len(table.rows) == 100_000 and table.rows[-1]["id"] == "c_099999"


@pytest.mark.parametrize("field, raw, message", [
    ("id", "Bad_Id", "'Bad_Id' does not match the pattern ^[a-z][a-z0-9_]*$"),
    ("id", "c_x ", "has leading or trailing white space: 'c_x '"),
    ("id", "", "is required but empty"),
    ("id", "c" * 20_001, "is 20,001 characters long; expected at most 20,000"),
    ("value", "1,000", "'1,000' is not a number (plain digits, '.' for decimals, no thousands separators)"),
    ("value", "inf", "'inf' is not a finite number"),
    ("value", "9" * 400, f"'{'9' * 400}' is not a finite number"),
    ("value", " 5", "has leading or trailing white space: ' 5'"),
    ("hedge", "roughly", "'roughly' is not one of: "),
    ("hedge", "", "is required but empty"),
    ("source_id", "src_1\u00a0", "has leading or trailing white space: 'src_1\\xa0'"),
    ("metric", "", "is required but empty"),
    ("period_start", "2022-02-30", "'2022-02-30' is not a valid date (expected YYYY-MM-DD, a day that exists)"),
    ("period_start", "1899-12-31", "'1899-12-31' is below the minimum 1900-01-01"),
    ("occurrence", "0", "'0' is below the minimum 1"),
    ("occurrence", "1.5", "'1.5' is not an integer"),
    ("competes_with", "c_1;;c_2", "'c_1;;c_2' does not match the pattern"),
    ("quote", "q" * 20_001, "is 20,001 characters long; expected at most 20,000"),
    ("quote", " Officials", "has leading or trailing white space: ' Officials'"),
])
def test_a_bad_cell_is_refused_in_its_row_and_column_however_many_share_its_text(tmp_path, field, raw, message):
    path = tmp_path / "claims.csv"
    # The same bad text on two far-apart rows: each is reported, though a repeated cell is checked once.
    write_claims(path, 3_000, {5: {field: raw}, 2_998: {field: raw}})
    _, problems = read(path)
    col = FIELDS.index(field) + 1
    assert [p.split(": ", 1)[0] for p in problems] == [f"7:{col}", f"3000:{col}"]
    assert all(f"[{field}] {message}" in p for p in problems), problems


def test_cells_read_in_bulk_keep_the_checker_types_and_values(tmp_path):
    path = tmp_path / "claims.csv"
    write_claims(path, 4, {1: {"value": "\u0661\u0662\u0663", "low": "0.25", "high": ""},
                           2: {"occurrence": "2", "period_start": "", "competes_with": "c_000001"}})
    table, problems = read(path)
    assert problems == []
    rows = table.rows
    assert rows[0]["value"] == 1000.0 and isinstance(rows[0]["value"], float)
    assert (rows[1]["value"], rows[1]["low"], rows[1]["high"]) == (123.0, 0.25, None)
    assert rows[2]["occurrence"] == 2 and isinstance(rows[2]["occurrence"], int) and rows[0]["occurrence"] is None
    assert rows[0]["period_start"] == "2022-09-21" and rows[2]["period_start"] is None
    assert rows[2]["competes_with"] == "c_000001" and rows[0]["notes"] is None
    assert rows[0]["unit"] is rows[3]["unit"]  # a repeated key-like value is one shared string
