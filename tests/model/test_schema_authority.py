"""One schema authority: the build's reader and frictionless give the same verdict on the same data and schema."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_module

FRICTIONLESS = Path(sys.executable).parent / "frictionless"


def frictionless_valid(root) -> bool:
    result = subprocess.run([str(FRICTIONLESS), "validate", "datapackage.json"], cwd=root / "data",
                            capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode == 0


def build_valid(root) -> tuple[bool, str]:
    result = run_module("stages.validate", root)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode == 0, result.stderr


def edit_schema(root, resource: str, field: str, **constraints) -> None:
    path = root / "data" / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    for r in package["resources"]:
        if r["name"] == resource:
            for f in r["schema"]["fields"]:
                if f["name"] == field:
                    f.setdefault("constraints", {}).update(constraints)
    path.write_text(json.dumps(package, indent=2), encoding="utf-8")


def edit_bytes(root, table: str, fn) -> None:
    path = root / "data" / f"{table}.csv"
    path.write_bytes(fn(path.read_bytes()))


def sub(old: bytes, new: bytes):
    def fn(data: bytes) -> bytes:
        assert old in data, old
        return data.replace(old, new, 1)
    return fn


FIXTURES = {
    "the fixture as committed": (lambda r: None, True),
    "spreadsheet-saved: byte-order mark and CRLF": (lambda r: edit_bytes(r, "claims", lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n")), True),
    "maxLength respected": (lambda r: edit_schema(r, "metrics", "label", maxLength=200), True),
    "maxLength exceeded": (lambda r: edit_schema(r, "metrics", "label", maxLength=5), False),
    "minLength not reached": (lambda r: edit_schema(r, "metrics", "counts", minLength=500), False),
    "pattern": (lambda r: edit_bytes(r, "sources", sub(b",en,", b",EN,")), False),
    "enum": (lambda r: edit_bytes(r, "events", sub(b",2022-09-21,day,", b",2022-09-21,days,")), False),
    "a unit not in the units table": (lambda r: edit_bytes(r, "metrics", sub(b",person,", b",persons,")), False),
    "a new unit as one row of the units table": (lambda r: (edit_bytes(r, "units", lambda b: b + b"vehicle,vehicles,,,,a count of vehicles\n"),
                                                            edit_bytes(r, "metrics", lambda b: b + b"queue,Queue at a border,vehicle,Vehicles waiting\n")), True),
    "a units table without the unit a claim uses": (lambda r: edit_bytes(r, "units", sub(b"person_per_day,people a day", b"person_per_week,people a week")), False),
    "required": (lambda r: edit_bytes(r, "metrics", sub(b",Border entries,", b",,")), False),
    "minimum": (lambda r: edit_bytes(r, "claims", sub(b'Kazakhstan since Sept. 21, the ministry said.",,', b'Kazakhstan since Sept. 21, the ministry said.",0,')), False),
    "date maximum": (lambda r: edit_bytes(r, "events", sub(b",2022-09-21,day,", b",9999-09-21,day,")), False),
    "type": (lambda r: edit_bytes(r, "claims", sub(b",100000,,100000,", b",ten,,100000,")), False),
    "duplicated header column": (lambda r: edit_bytes(r, "events", sub(b"id,source_id,quote,occurrence,", b"id,source_id,quote,quote,")), False),
    "extra column": (lambda r: edit_bytes(r, "metrics", sub(b"counts\n", b"counts,extra\n")), False),
    "unknown foreign key": (lambda r: edit_bytes(r, "events", sub(b"announcement,mini,", b"announcement,nowhere,")), False),
}


@pytest.mark.parametrize("case", list(FIXTURES))
def test_build_and_frictionless_agree(mini_root, case):
    breakage, expected = FIXTURES[case]
    breakage(mini_root)
    ours, stderr = build_valid(mini_root)
    assert ours == expected, stderr
    assert frictionless_valid(mini_root) == expected


@pytest.mark.parametrize("constraint, value", [("exclusiveMinimum", 0), ("jsonSchema", {"type": "string"})])
def test_a_constraint_the_build_does_not_enforce_is_refused(mini_root, constraint, value):
    edit_schema(mini_root, "metrics", "label", **{constraint: value})
    ok, stderr = build_valid(mini_root)
    assert not ok
    assert (f"data/datapackage.json:0:0: resource 'metrics', field 'label': constraint(s) {constraint} not enforced by the build; "
            "supported: enum, maxLength, maximum, minLength, minimum, pattern, required, unique") in stderr


def test_a_foreign_key_the_build_cannot_enforce_is_refused(mini_root):
    path = mini_root / "data" / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    claims = next(r for r in package["resources"] if r["name"] == "claims")
    claims["schema"]["foreignKeys"].append({"fields": ["unit"], "reference": {"resource": "unit_table", "fields": ["id"]}})
    path.write_text(json.dumps(package, indent=2), encoding="utf-8")
    ok, stderr = build_valid(mini_root)
    assert not ok
    assert ("data/datapackage.json:0:0: resource 'claims': a foreign key must name one of its fields and one field of "
            "another resource of the package; got 'unit' -> unit_table.id") in stderr


def test_an_unsupported_type_is_refused(mini_root):
    path = mini_root / "data" / "datapackage.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"name": "occurrence",\n            "type": "integer"', '"name": "occurrence",\n            "type": "boolean"', 1), encoding="utf-8")
    ok, stderr = build_valid(mini_root)
    assert not ok and "field 'occurrence': type 'boolean' is not supported; expected one of date, integer, number, string" in stderr


def test_a_spreadsheet_csv_in_another_encoding_says_how_to_save_it(mini_root):
    edit_bytes(mini_root, "metrics", lambda b: b.decode("utf-8").encode("utf-16"))
    ok, stderr = build_valid(mini_root)
    assert not ok and "data/metrics.csv:1:1: is UTF-16 text; expected UTF-8: save it as 'CSV UTF-8 (Comma delimited)' (Excel)" in stderr


def test_make_check_shows_frictionless_report(make_root):
    from tests.conftest import run_make
    result = run_make(make_root, "check")
    assert result.returncode == 0, result.stderr
    for name in ("sources", "metrics", "claims", "people", "events", "exclusions"):
        assert f"│ {name}" in result.stdout
    makefile = (make_root / "Makefile").read_text(encoding="utf-8")
    check_recipe = makefile.split("\ncheck:", 1)[1].split("\n\n", 1)[0]
    assert "frictionless validate" in check_recipe and "/dev/null" not in check_recipe
