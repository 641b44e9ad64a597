"""Every validation rule has a fixture that breaks it, and the report names file, row and column."""
import csv
import hashlib
from pathlib import Path

import pytest

from tests.conftest import run_module


def edit_row(path: Path, row_id: str, **changes: str) -> None:
    """Change fields of one row of a CSV file, keeping the file's format."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0])
    for row in rows:
        if row["id"] == row_id:
            row.update(changes)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_fixture_is_valid_and_fully_covered(mini_root):
    result = run_module("stages.validate", mini_root)
    assert result.returncode == 0, result.stderr
    audit = run_module("stages.audit", mini_root)
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert "all 7 numeric mentions" in audit.stdout


# (table, row id, changes, expected "row:column", expected words in the message)
RULES = [
    ("claims", "kz_entries", {"quote": "Nearly 100,000 Russians entered Kazakhstan"}, "2:3", "does not occur in the source"),
    ("claims", "kz_entries", {"number_text": "90,000"}, "2:5", "occurs 0 times in the quote"),
    ("claims", "kz_entries", {"value": "90000", "high": "90000"}, "2:6", "disagrees with number_text '100,000'"),
    ("claims", "kz_entries", {"hedge": "exact", "low": "100000"}, "2:9", "the quote says 'nearly'"),
    ("claims", "kz_entries", {"hedge": "more than"}, "2:9", "expected hedge 'nearly'"),
    ("claims", "kz_entries", {"low": "100001"}, "2:7", "low 100001 is above high 100000"),
    ("claims", "ge_daily", {"high": "10000"}, "3:7", "implies low=10000.0 high=None"),
    ("claims", "kz_entries", {"value": "lots"}, "2:6", "'lots' is not a number"),
    # the error says where the list lives: the one file a person edits to allow a new unit
    ("claims", "kz_entries", {"unit": "furlong"}, "2:10", "unknown unit 'furlong'; expected a unit listed in data/units.csv"),
    ("claims", "kz_entries", {"unit": "kilometre"}, "2:10", "; a new unit is a row there"),
    ("metrics", "border_entries", {"unit": "vehicle"}, "2:3", "unknown unit 'vehicle'; expected a unit listed in data/units.csv"),
    ("units", "person", {"id": "person_per_day_per_day"}, "2:1", "has more than one '/' or '_per_'; expected a name, or two names"),
    ("claims", "kz_entries", {"metric": "vibes"}, "2:11", "unknown metric 'vibes'"),
    ("claims", "kz_entries", {"unit": "person_per_day"}, "2:10", "differs from the unit of metric 'border_entries'"),
    ("claims", "kz_entries", {"hedge": "roughly"}, "2:9", "'roughly' is not one of"),
    ("claims", "kz_entries", {"source_id": "nowhere"}, "2:2", "unknown source 'nowhere'"),
    ("claims", "kz_entries", {"period_start": "2022-02-30"}, "2:15", "not a valid date"),
    ("claims", "kz_entries", {"subject": ""}, "2:12", "is required but empty"),
    ("claims", "ge_daily", {"id": "kz_entries"}, "3:1", "duplicate id 'kz_entries'"),
    ("claims", "ge_double", {"quote": "the"}, "4:4", "set occurrence (1 to 3)"),
    ("claims", "ge_double", {"occurrence": "1"}, "4:4", "occurs once; leave occurrence blank"),
    ("claims", "ge_double", {"occurrence": "2"}, "4:4", "occurrence 2 asked but the quote occurs 1 time"),
    ("claims", "kz_entries", {"status": "competing"}, "2:20", "competes_with is empty"),
    ("claims", "kz_entries", {"status": "competing", "competes_with": "ge_daily"}, "2:20", "does not name 'kz_entries' back"),
    ("claims", "income", {"number_text": "earned"}, "5:5", "cannot read 'earned' as a figure"),
    ("people", "ivan", {"age": "36"}, "2:8", "disagrees with age_text '35'"),
    ("people", "ivan", {"status": "bored"}, "2:13", "'bored' is not one of"),
    ("events", "announcement", {"date_text": "Sept. 22"}, "2:5", "occurs 0 times in the quote"),
    ("exclusions", "second_time", {"reason": "because"}, "2:6", "'because' is not one of"),
    ("events", "announcement", {"not_before": "2022-09-22"}, "2:12", "lies outside 2022-09-21 to 2022-09-21"),
    ("events", "announcement", {"date_precision": "month", "date": "2022-09-01", "not_before": "2022-09-25",
                                "not_after": "2022-09-22"}, "2:13", "not_after 2022-09-22 is before not_before"),
]


@pytest.mark.parametrize("table,row_id,changes,where,words", RULES, ids=[f"{r[0]}-{'-'.join(r[2])}-{r[4][:20]}" for r in RULES])
def test_each_rule_fails_with_location(mini_root, table, row_id, changes, where, words):
    edit_row(mini_root / "data" / f"{table}.csv", row_id, **changes)
    result = run_module("stages.validate", mini_root)
    assert result.returncode == 1
    assert f"data/{table}.csv:{where}:" in result.stderr, result.stderr
    assert words in result.stderr, result.stderr


def test_a_statement_of_an_unregistered_source_is_refused_by_its_foreign_key(mini_root):
    path = mini_root / "data" / "statements.csv"
    path.write_text(path.read_text(encoding="utf-8") + "most_men,nowhere,Most are men.,,Most,gender,,\n", encoding="utf-8")
    result = run_module("stages.validate", mini_root)
    assert result.returncode == 1
    assert ("data/statements.csv:2:2: [source_id] unknown source 'nowhere'; expected a source listed in "
            "data/sources.csv (one of: mini); a new source is a row there") in result.stderr, result.stderr


def test_tampered_source_fails_checksum(mini_root):
    source = mini_root / "data" / "sources" / "mini.txt"
    source.write_bytes(source.read_bytes().replace(b"100,000", b"200,000"))
    result = run_module("stages.validate", mini_root)
    assert result.returncode == 1
    assert "data/sources.csv:2:3: [sha256] checksum mismatch" in result.stderr
    assert hashlib.sha256(source.read_bytes()).hexdigest() in result.stderr


def test_broken_claims_file_reports_every_error_in_one_run(mini_root):
    path = mini_root / "data" / "claims.csv"
    edit_row(path, "kz_entries", value="90000", unit="furlong")
    edit_row(path, "ge_daily", source_id="nowhere")
    edit_row(path, "income", hedge="roughly", period_end="2022-13-01")
    result = run_module("stages.validate", mini_root)
    assert result.returncode == 1
    lines = [l for l in result.stderr.splitlines() if l.startswith("data/claims.csv:")]
    assert {l.split(": ")[0] for l in lines} >= {
        "data/claims.csv:2:6", "data/claims.csv:2:10", "data/claims.csv:3:2",
        "data/claims.csv:5:9", "data/claims.csv:5:16",
    }
    assert "problem(s) found" in result.stderr


def test_audit_lists_an_unclaimed_figure(mini_root):
    path = mini_root / "data" / "claims.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(l for l in lines if not l.startswith("ge_double")), encoding="utf-8")
    result = run_module("stages.audit", mini_root)
    assert result.returncode == 1
    assert "data/sources/mini.txt:3:" in result.stdout and "'double' uncovered in source mini" in result.stdout
    assert "1 figure(s) not covered by any claim, person, event or exclusion (7 numeric mentions in all)" in result.stderr


def test_checks_run_side_by_side_find_what_they_find_in_one_process(mini_root, monkeypatch):
    from exodus.stages import validate

    path = mini_root / "data" / "claims.csv"
    edit_row(path, "kz_entries", value="90000", unit="furlong")  # a value and a unit: the share of values
    edit_row(path, "ge_double", occurrence="2")  # a quote: the other share
    monkeypatch.setenv("EXODUS_ROOT", str(mini_root))
    monkeypatch.setattr(validate, "PARALLEL_FROM_ROWS", 10 ** 9)
    alone = validate.validate()[1]
    monkeypatch.setattr(validate, "PARALLEL_FROM_ROWS", 0)
    shared = validate.validate()[1]
    assert shared == alone and {p.field for p in alone} >= {"value", "unit", "occurrence"}


@pytest.mark.parametrize("rows", [0, 10 ** 9])
def test_formulas_that_fail_over_unsound_tables_are_not_kept_but_fail_over_sound_ones(mini_root, monkeypatch, rows):
    from exodus.stages import validate

    def broken(data):
        raise RuntimeError("a formula failed")

    monkeypatch.setenv("EXODUS_ROOT", str(mini_root))
    monkeypatch.setattr(validate, "PARALLEL_FROM_ROWS", rows)
    monkeypatch.setattr(validate, "check_derived", broken)
    with pytest.raises(RuntimeError, match="a formula failed"):
        validate.validate()  # sound tables: the failure is raised
    edit_row(mini_root / "data" / "claims.csv", "kz_entries", unit="furlong")
    assert {p.field for p in validate.validate()[1]} == {"unit"}  # unsound: the table's problems alone


def test_the_audit_shared_among_processes_says_what_one_process_says_in_its_order(monkeypatch):
    from exodus.context import StageError
    from exodus.stages import audit, validate

    data = validate.validate()[0]  # the project's own five articles
    said = []
    for least in (10 ** 9, 1):
        monkeypatch.setattr(audit, "PARALLEL_FROM", least)
        said.append(audit.covered(data))
    assert said[0] == said[1] and said[0].startswith("all ")
    first, last = data.tables["sources"].rows[0]["id"], data.tables["sources"].rows[-1]["id"]
    texts = dict(data.texts)
    texts[first] += "\nLater 7,777 more crossed, and most stayed.\n"
    texts[last] += "\nThen 8,888 returned.\n"
    monkeypatch.setattr(data, "texts", texts)
    said = []
    for least in (10 ** 9, 1):
        monkeypatch.setattr(audit, "PARALLEL_FROM", least)
        with pytest.raises(StageError) as e:
            audit.covered(data)
        said.append(str(e.value))
    assert said[0] == said[1] and said[0].index("7,777") < said[0].index("8,888")
