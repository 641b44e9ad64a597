"""A stored reading is trusted only as far as its shape and the chunk's own text: an edited cache file
cannot put markup on the page, and a cache that cannot be written is skipped with one warning."""
from __future__ import annotations

import json
import os

import pytest

from exodus.engine import parse, project, render
from tests.conftest import REPO

TEXT = "# A\n\nNearly 100,000 crossed.\n\n# B\n\nSee [the map](https://example.org/map).\n"


@pytest.fixture
def cached(tmp_path):
    parse._MEMO.clear()
    yield parse.Reader(render.pandoc_path(), "", tmp_path / "parse")
    parse._MEMO.clear()


def tamper(cache, edit) -> None:
    """Rewrite every stored reading's blocks with edit(blocks), as someone with write access to build/ could."""
    for f in cache.glob("*.json"):
        rec = json.loads(f.read_text(encoding="utf-8"))
        if "blocks" not in rec:
            continue  # a mark (a page read before, a plan proved), not a reading
        rec["blocks"] = json.dumps(edit(json.loads(rec["blocks"])), ensure_ascii=False, separators=(",", ":"))
        f.write_text(json.dumps(rec), encoding="utf-8")
    parse._MEMO.clear()  # a new process: only the folder remains


def test_a_stored_reading_with_a_script_its_text_lacks_is_read_again(cached):
    good = parse.read(TEXT, cached)
    tamper(cached.cache, lambda blocks: blocks + [{"t": "RawBlock", "c": ["html", "<script>alert(1)</script>"]}])
    assert parse.read(TEXT, cached) == good and "<script>" not in good


def test_a_page_read_whole_is_read_again_when_its_stored_reading_gains_a_script(cached):
    good = parse.read(TEXT, cached, {}, verify=True, page="evidence/a.qmd")
    tamper(cached.cache, lambda blocks: blocks + [{"t": "RawBlock", "c": ["html", "<script>alert(1)</script>"]}])
    stats = {}
    assert parse.read(TEXT, cached, stats, verify=True, page="evidence/a.qmd") == good and "<script>" not in good
    assert stats["read"] > 0  # the stored reading was refused


def test_a_stored_link_target_its_text_lacks_is_read_again(cached):
    good = parse.read(TEXT, cached)
    tamper(cached.cache, lambda blocks: json.loads(json.dumps(blocks).replace("https://example.org/map",
                                                                                 "javascript:alert(1)")))
    assert parse.read(TEXT, cached) == good


def test_a_stored_event_handler_attribute_is_read_again(cached):
    good = parse.read(TEXT, cached)
    tamper(cached.cache, lambda blocks: [{"t": "Div", "c": [["", [], [["onmouseover", "alert(1)"]]], blocks]}])
    assert parse.read(TEXT, cached) == good


@pytest.mark.parametrize("rec", [{"blocks": 5, "api": [1], "cites": 0, "heads": []},
                                 {"blocks": "[]", "api": "1.23", "cites": 0, "heads": []},
                                 {"blocks": "[]", "api": [1], "cites": "0", "heads": [["a"]]},
                                 {"blocks": "{}", "api": [1], "cites": 0, "heads": []}])
def test_a_stored_reading_of_the_wrong_shape_counts_as_missing(cached, rec):
    good = parse.read(TEXT, cached)
    for f in cached.cache.glob("*.json"):
        f.write_text(json.dumps(rec), encoding="utf-8")
    parse._MEMO.clear()
    assert parse.read(TEXT, cached) == good


def test_a_stored_reading_that_is_a_link_is_not_followed(cached, tmp_path):
    good = parse.read(TEXT, cached)
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps({"blocks": json.dumps([{"t": "RawBlock", "c": ["html", "<b>outside</b>"]}]),
                                   "api": [1, 23], "cites": 0, "heads": []}), encoding="utf-8")
    for f in cached.cache.glob("*.json"):
        f.unlink()
        os.symlink(outside, f)
    parse._MEMO.clear()
    assert parse.read(TEXT, cached) == good


def test_a_cache_that_cannot_be_written_is_skipped_with_one_warning(tmp_path, capsys):
    parse._MEMO.clear()
    (tmp_path / "build").write_text("a file where the cache folder should be")
    reader = parse.Reader(render.pandoc_path(), "", tmp_path / "build" / "cache" / "parse")
    text = "".join(f"# H{i}\n\nText {i}.\n\n" for i in range(6))
    assert json.loads(parse.read(text, reader)) == json.loads(parse._pandoc(reader, text))
    assert capsys.readouterr().err.count("cannot be written") == 1
    parse._MEMO.clear()


def test_every_stored_reading_of_the_report_passes_the_check(tmp_path, cached):
    proj = project.load(REPO)
    _, lines = render.document(proj, REPO / "report.qmd")
    text = "\n".join(line.text for line in lines) + "\n"
    for ext in ("png", ""):
        reader = parse.Reader(render.pandoc_path(), ext, tmp_path / (ext or "none"))
        parse._MEMO.clear()
        parse.read(text, reader)
        parse._MEMO.clear()
        stats = {}
        parse.read(text, reader, stats)
        assert stats["read"] == 0, f"{ext!r}: {stats['read']} stored readings of the report refused"


def test_a_reading_stored_under_another_key_or_edited_to_the_same_blocks_is_read_again(cached, monkeypatch):
    from exodus.engine import seal

    monkeypatch.setattr(seal, "_KEY", [b"k" * 32])  # another user's key, or a cache restored from elsewhere
    good = parse.read(TEXT, cached)
    monkeypatch.setattr(seal, "_KEY", [b"m" * 32])
    parse._MEMO.clear()
    stats = {}
    assert parse.read(TEXT, cached, stats) == good and stats["read"] == stats["chunks"]  # nothing trusted
    for f in cached.cache.glob("*.json"):  # the same blocks, pieces split apart: each piece in the text
        rec = json.loads(f.read_text(encoding="utf-8"))
        rec["blocks"] = rec["blocks"].replace('{"t":"Str","c":"Nearly"}', '{"t":"RawInline","c":["html","N"]}')
        f.write_text(json.dumps(rec), encoding="utf-8")
    parse._MEMO.clear()
    stats = {}
    assert parse.read(TEXT, cached, stats) == good and stats["read"] > 0
