"""`make add-source` and `make candidates`: values never reach a shell, bad files are refused before anything is written."""
import hashlib
import os

import pytest

from exodus.model import tables
from tests.conftest import run_make, run_module

ARTICLE = "Queue at the border\n\nMore than 5,000 cars waited at Verkhnii Lars on Sunday.\n"


def data_state(root) -> dict[str, str]:
    """sha256 of every file under data/, to prove a refused command wrote nothing."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "data").rglob("*")) if p.is_file()}


def refused(result, *phrases: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr


@pytest.mark.parametrize("value", ['x`touch pwned_tick`', 'x$(touch pwned_dollar)', 'x"; touch pwned_quote; "',
                                   "x'; touch pwned_single; '", "$(shell touch pwned_make)"])
def test_make_add_source_runs_nothing_written_in_a_value(make_root, value):
    before = data_state(make_root)
    for args in ([f"FILE={value}", "ID=ok_id"], [f"FILE={make_root / 'README.md'}", f"ID={value}"]):
        result = run_make(make_root, "add-source", *args)
        refused(result)
    assert not list(make_root.glob("pwned*")) and not list(make_root.parent.glob("pwned*"))
    assert data_state(make_root) == before


def test_make_add_source_takes_a_file_name_with_shell_characters_literally(make_root, tmp_path):
    article = tmp_path / 'odd `name` $(x) "q".txt'
    article.write_text(ARTICLE, encoding="utf-8")
    result = run_make(make_root, "add-source", f"FILE={article}", "ID=border_queue")
    assert "registered border_queue" in result.stdout, result.stderr
    assert (make_root / "data" / "sources" / "border_queue.txt").read_bytes() == article.read_bytes()


@pytest.mark.parametrize("value", ["a`touch pwned_c`", "a$(touch pwned_c)", 'a"; touch pwned_c; "'])
def test_make_candidates_refuses_an_id_with_shell_syntax(make_root, value):
    result = run_make(make_root, "candidates", f"ID={value}")
    refused(result, "must be snake_case")
    assert not list(make_root.glob("pwned*"))


def test_make_candidates_names_an_unknown_source(make_root):
    result = run_make(make_root, "candidates", "ID=guardian_tonight_cross_bordr")
    refused(result, "unknown source 'guardian_tonight_cross_bordr'", "registered sources: ")
    assert "covered" not in result.stdout


def test_make_candidates_lists_a_known_source_as_covered(make_root):
    result = run_make(make_root, "candidates", "ID=dw_fleeing_war")
    assert result.returncode == 0 and "all" in result.stdout and "covered" in result.stdout, result.stderr


@pytest.mark.parametrize("kind, message", [
    ("directory", "is a directory; expected the article as a UTF-8 text file"),
    ("missing", "no such file; expected the article as a UTF-8 text file"),
    ("empty", "is empty; expected the article's text"),
    ("blank", "is empty; expected the article's text"),
    ("device", "is not a regular file"),
    ("utf16", "contains NUL bytes"),
])
def test_make_add_source_refuses_what_is_not_an_article_and_registers_nothing(make_root, tmp_path, kind, message):
    target = {"directory": tmp_path, "missing": tmp_path / "nope.txt", "device": "/dev/null"}.get(kind)
    if target is None:
        target = tmp_path / f"{kind}.txt"
        target.write_bytes({"empty": b"", "blank": b"\n  \n", "utf16": ARTICLE.encode("utf-16-le")}[kind])
    before = data_state(make_root)
    result = run_make(make_root, "add-source", f"FILE={target}", "ID=new_article")
    refused(result, message)
    assert data_state(make_root) == before


def test_make_add_source_without_an_id_says_how_to_call_it(make_root, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    refused(run_make(make_root, "add-source", f"FILE={article}"), "make add-source FILE=path/to/article.txt ID=snake_case_id")


def test_make_add_source_puts_the_row_on_its_own_line_when_sources_csv_lacks_a_final_newline(make_root, tmp_path):
    table = make_root / "data" / "sources.csv"
    table.write_bytes(table.read_bytes().rstrip(b"\n"))
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = run_make(make_root, "add-source", f"FILE={article}", "ID=border_queue")
    assert "registered border_queue" in result.stdout, result.stderr
    lines = table.read_text(encoding="utf-8").split("\n")
    assert lines[-2].startswith("border_queue,sources/border_queue.txt,") and lines[-1] == ""
    assert lines[-3].startswith("guardian_tonight_cross_border,")
    assert [r["id"] for r in tables.read("sources", path=table)[0].rows][-2:] == ["guardian_tonight_cross_border", "border_queue"]


def test_make_add_source_stores_a_crlf_article_with_lf_and_the_check_accepts_it(make_root, tmp_path):
    article = tmp_path / "crlf.txt"
    article.write_bytes(ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    result = run_make(make_root, "add-source", f"FILE={article}", "ID=border_queue")
    assert "line endings converted from CRLF/CR to LF" in result.stdout, result.stderr
    stored = (make_root / "data" / "sources" / "border_queue.txt").read_bytes()
    assert stored == ARTICLE.encode("utf-8") and b"\r" not in stored
    check = run_module("stages.validate", make_root)
    assert check.returncode == 0, check.stderr


def test_check_refuses_a_stored_source_with_carriage_returns(mini_root):
    text = mini_root / "data" / "sources" / "mini.txt"
    text.write_bytes(text.read_bytes().replace(b"\n", b"\r\n"))
    table = mini_root / "data" / "sources.csv"
    old = hashlib.sha256(text.read_bytes().replace(b"\r\n", b"\n")).hexdigest()
    table.write_text(table.read_text(encoding="utf-8").replace(old, hashlib.sha256(text.read_bytes()).hexdigest()), encoding="utf-8")
    result = run_module("stages.validate", mini_root)
    refused(result, "data/sources.csv:2:2: [path] sources/mini.txt has a carriage return on line 1", ".gitattributes")


def test_a_value_is_passed_to_python_verbatim(make_root, tmp_path):
    """The exact bytes typed after ID= reach Python: shown back in the error, $ and quotes included."""
    result = run_make(make_root, "candidates", "ID=$(HOME)`x`\"'")
    refused(result, "source id '$(HOME)`x`\"\\'' must be snake_case")
    assert os.environ.get("HOME", "/") not in result.stderr.split("must be")[0]


def test_add_source_refuses_an_option_the_schema_rejects_and_registers_nothing(make_root, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    before = data_state(make_root)
    result = run_module("tools.add_source", make_root, str(article), "--id", "border_queue", "--published", "9999-99-99", "--language", "English")
    refused(result, "nothing registered", "--published: '9999-99-99' is not a valid date", "--language: 'English' does not match the pattern")
    assert data_state(make_root) == before


@pytest.mark.parametrize("kind, head, message", [
    ("picture", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "contains NUL bytes at offset 8 (UTF-16 or a binary file?)"),
    ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "is not UTF-8 text (invalid byte 0xe2 at offset 10)"),
])
def test_make_add_source_refuses_a_large_binary_file_for_not_being_text(make_root, tmp_path, kind, head, message):
    target = tmp_path / f"{kind}.txt"
    target.write_bytes(head + bytes(range(1, 256)) * 1000)  # 255 kB: over the size limit as well
    before = data_state(make_root)
    result = run_make(make_root, "add-source", f"FILE={target}", "ID=new_article")
    refused(result, message)
    assert "a source text may be at most" not in result.stderr and data_state(make_root) == before
