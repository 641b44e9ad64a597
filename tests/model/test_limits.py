"""Documented limits: a source text's size, a field's length, a table's rows; the limit passes, one more fails clearly."""
import csv
import hashlib
import json
import re

import pytest

from exodus.model import tables
from tests.conftest import REPO, run_make, run_module


def write_table(path, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def read_table(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("extra, ok", [(0, True), (1, False)])
def test_field_length_limit(mini_root, extra, ok):
    path = mini_root / "data" / "claims.csv"
    rows = read_table(path)
    rows[0]["notes"] = "x" * (tables.MAX_FIELD + extra)
    write_table(path, rows)
    result = run_module("stages.validate", mini_root)
    if ok:
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode == 1
        assert "data/claims.csv:2:21: [notes] is 20,001 characters long; expected at most 20,000" in result.stderr


@pytest.mark.parametrize("extra, ok", [(0, True), (1, False)])
def test_table_row_limit(mini_root, extra, ok):
    path = mini_root / "data" / "metrics.csv"
    rows = read_table(path)
    rows += [{"id": f"filler_{i}", "label": "Filler", "unit": "person", "counts": "Nothing"}
             for i in range(tables.MAX_ROWS + extra - len(rows))]
    write_table(path, rows)
    result = run_module("stages.validate", mini_root)
    if ok:
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode == 1
        assert (f"data/metrics.csv:{tables.MAX_ROWS + 2}:0: has {tables.MAX_ROWS + 1:,} rows; "
                f"a table may hold at most {tables.MAX_ROWS:,}") in result.stderr


def article(size: int) -> bytes:
    head = b"Long article\n\nNo figures here, only words.\n"
    return head + b"word " * ((size - len(head)) // 5) + b"w" * ((size - len(head)) % 5)


@pytest.mark.parametrize("extra, ok", [(0, True), (1, False)])
def test_source_size_limit_at_registration(make_root, tmp_path, extra, ok):
    path = tmp_path / "long.txt"
    path.write_bytes(article(tables.MAX_SOURCE_BYTES + extra))
    assert path.stat().st_size == tables.MAX_SOURCE_BYTES + extra
    result = run_make(make_root, "add-source", f"FILE={path}", "ID=long_article")
    if ok:
        assert "registered long_article" in result.stdout, result.stderr
        assert run_module("stages.validate", make_root).returncode == 0
    else:
        assert result.returncode != 0 and "Traceback" not in result.stderr
        assert f"is {tables.MAX_SOURCE_BYTES + 1:,} bytes; a source text may be at most {tables.MAX_SOURCE_BYTES:,} bytes" in result.stderr
        assert not (make_root / "data" / "sources" / "long_article.txt").exists()


def test_source_size_limit_at_check_time(mini_root):
    text = mini_root / "data" / "sources" / "mini.txt"
    old = hashlib.sha256(text.read_bytes()).hexdigest()
    text.write_bytes(text.read_bytes() + b" " * (tables.MAX_SOURCE_BYTES + 1 - text.stat().st_size))
    table = mini_root / "data" / "sources.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(old, hashlib.sha256(text.read_bytes()).hexdigest()), encoding="utf-8")
    result = run_module("stages.validate", mini_root)
    assert result.returncode == 1
    assert f"data/sources.csv:2:2: [path] source file 'sources/mini.txt' is {tables.MAX_SOURCE_BYTES + 1:,} bytes; a source text may be at most {tables.MAX_SOURCE_BYTES:,} bytes" in result.stderr


def test_limits_are_documented_in_readme_and_datapackage():
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    package = json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))["description"]
    for text in (readme, package):
        assert f"{tables.MAX_SOURCE_BYTES:,} bytes" in text
        assert f"{tables.MAX_FIELD:,} characters" in text
        assert f"{tables.MAX_ROWS:,} rows" in text
    assert re.search(r"formula.{0,40}2,000 characters", readme)
