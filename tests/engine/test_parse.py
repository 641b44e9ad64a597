"""Reading the document in cached chunks gives exactly pandoc's reading of the whole text."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from exodus.engine import parse, project, render
from tests.conftest import REPO

TRICKY = {
    "code fence hiding fences and headings": "Intro.\n\n```\n::: {.x}\n\n# not a heading\n:::\n```\n\n# After {#after}\n\nText.\n",
    "tilde fence and a longer closing fence": "~~~~\n# inside\n\n::: {.y}\n~~~~~\n\n::: {.z}\nbody\n:::\n",
    "comment across blank lines": "A.\n\n<!-- start\n\n# inside a comment\n\nend -->\n\n# Real\n\nB.\n",
    "nested divs with headings": "::: {.outer}\n\n# One\n\n::: {.inner}\n\n## Two\n\nx\n\n:::\n\n# Three\n\n:::\n\nafter\n",
    "list then div": "- a\n\n- b\n\n::: {.d}\nc\n:::\n\n1. one\n2. two\n\n# H\n",
    "setext headings": "Title\n=====\n\nSub\n---\n\n::: {.d}\nx\n:::\n",
    "citations numbered through the document": "A [@a].\n\n::: {.d}\nB [@b; @c] and @d.\n:::\n\n# H\n\nC [@a].\n",
    "raw html div around blank lines": "<div class=\"w\">\n\n# Inside html\n\n::: {.d}\nx\n:::\n\n</div>\n\n# Out\n",
    "raw pre block around blank lines": "<pre>\ncode\n\n# not a heading\n\n::: {.d}\n</pre>\n\n# After\n",
    "raw blockquote and list around blank lines": "<blockquote>\n\n# Quoted heading\n\n</blockquote>\n\n"
                                                  "<ul>\n<li>\n\n# In a list\n\n</li>\n</ul>\n\n# Out\n",
    "yaml block with a blank line and a comment": "# H\n\nx\n\n---\ntitle: t\n\n# a YAML comment\nkey: v\n---\n\n# I\n",
    "rule then heading": "# H\n\nx\n\n---\n\n# I\n\ny\n\n# J\n",
    "latex environment around blank lines": "# H\n\n\\begin{quote}\nx\n\n# not a heading\n\\end{quote}\n\n# I\n",
    "reference link defined elsewhere": "See [the site][s].\n\n# H\n\n[s]: https://example.org\n",
    "duplicate headings": "# Notes\n\na\n\n# Notes\n\nb\n",
    "implicit heading reference": "# Scale and destinations\n\nx\n\n# Other\n\nSee [Scale and destinations].\n",
    "yaml block in the body": "# H\n\n---\ntitle: x\n---\n\n# I\n",
    "inline note shares the citation counter": "A^[note] [@a].\n\n# H\n\nB [@b].\n",
    "images with and without an extension": "![a](fig/one)\n\n# H\n\n![b](fig/two.svg)\n\n::: {.d}\n![c](http://x.org/p)\n:::\n",
    "div fence after a paragraph line is text": "text\n::: {.x}\n\n# H\n\n:::\n\nafter\n",
    "divs back to back": "::: {.a}\nx\n:::\n::: {.b}\n\n# H\n\ny\n:::\nz\n",
    "empty div and trailing div": "::: {#refs}\n:::\n\n::: {.d}\n\n# H\n\n:::\n",
}


@pytest.fixture
def reader():
    parse._MEMO.clear()
    yield lambda ext="": parse.Reader(render.pandoc_path(), ext)
    parse._MEMO.clear()


@pytest.mark.parametrize("name", TRICKY)
@pytest.mark.parametrize("ext", ["", "png"])
def test_chunked_reading_equals_whole_reading(name, ext, reader):
    text = TRICKY[name]
    assert json.loads(parse.read(text, reader(ext))) == json.loads(parse._pandoc(reader(ext), text))


def test_the_report_reads_the_same_in_chunks_for_both_formats(reader):
    proj = project.load(REPO)
    _, lines = render.document(proj, REPO / "report.qmd")
    text = "\n".join(line.text for line in lines) + "\n"
    assert len(parse._leaves(parse.plan(text))) > 100  # an appendix entry is a chunk of its own
    for ext in ("png", "svg"):
        assert json.loads(parse.read(text, reader(ext))) == json.loads(parse._pandoc(reader(ext), text))


def test_the_plan_cuts_only_at_top_level_blocks():
    parts = parse.plan(TRICKY["nested divs with headings"])
    assert isinstance(parts[0], tuple) and parts[0][0] == "::: {.outer}"
    assert parts[1] == "\nafter\n"
    assert parse.plan(TRICKY["code fence hiding fences and headings"]) == [
        "Intro.\n\n```\n::: {.x}\n\n# not a heading\n:::\n```\n", "# After {#after}\n\nText.\n"]
    assert len(parse.plan(TRICKY["comment across blank lines"])) == 2
    for whole in ("reference link defined elsewhere", "div fence after a paragraph line is text"):
        assert parse.plan(TRICKY[whole]) == [TRICKY[whole]]


def test_a_second_render_reads_only_the_edited_chunk(tmp_path, reader, monkeypatch):
    text = "".join(f"::: {{#e{i} .entry}}\nEntry {i} cites [@s{i}].\n:::\n\n" for i in range(6))
    cached = parse.Reader(render.pandoc_path(), "", tmp_path)
    first = parse.read(text, cached)
    parse._MEMO.clear()  # a new process: only the folder remains
    read_texts = []
    real = parse._pandoc
    monkeypatch.setattr(parse, "_pandoc", lambda r, t: read_texts.append(t) or real(r, t))
    edited = text.replace("Entry 3 cites", "Entry 3, edited, cites")
    second = parse.read(edited, cached)
    assert len(read_texts) == 1 and "edited" in read_texts[0] and "Entry 2" not in read_texts[0]
    assert json.loads(second) == json.loads(real(cached, edited)) and second != first


def test_a_reading_problem_names_what_pandoc_said(reader, monkeypatch):
    monkeypatch.setattr(parse, "READ_ARGS", ("--from", "no-such-format", "--to", "json"))
    with pytest.raises(parse.ParseError, match="Unknown input format"):
        parse.read("# H\n\ntext\n", reader())


def test_a_damaged_cache_file_is_read_again(tmp_path, reader):
    text = "# A\n\none\n\n# B\n\ntwo [@x]\n"
    cached = parse.Reader(render.pandoc_path(), "", tmp_path)
    good = parse.read(text, cached)
    for f in tmp_path.glob("*.json"):
        f.write_text('["an older layout"]' if f.stat().st_size % 2 else "{not json", encoding="utf-8")
    parse._MEMO.clear()
    assert parse.read(text, cached) == good


def test_a_reading_marks_the_stored_chunks_it_used(tmp_path, reader):
    import os
    text = "# A\n\none\n\n# B\n\ntwo\n"
    cached = parse.Reader(render.pandoc_path(), "", tmp_path)
    parse.read(text, cached)
    for f in tmp_path.glob("*.json"):
        os.utime(f, (1_000_000_000, 1_000_000_000))
    parse._MEMO.clear()
    parse.read(text.replace("two", "three"), cached)
    stamps = sorted(f.stat().st_mtime > 1_000_000_000 for f in tmp_path.glob("*.json"))
    assert stamps == [False, True, True]  # "# B two" unused; "# A one" used; "# B three" new


def test_chunks_are_read_in_runs_of_about_equal_length():
    sizes = {"a": 10, "b": 10, "c": 10, "d": 100, "e": 5}
    assert parse.batches(list(sizes), sizes, 2) == [["a", "b", "c"], ["d", "e"]]
    assert parse.batches(["a", "b"], {"a": 1, "b": 1}, 2) == [["a"], ["b"]]
    assert parse.batches(["a"], {"a": 1}, 2) == [["a"]]
    assert [len(r) for r in parse.batches(list("abcdef"), dict.fromkeys("abcdef", 1), 3)] == [2, 2, 2]


def test_a_new_pandoc_with_the_old_path_size_and_date_reads_nothing_from_the_old_cache(tmp_path):
    def install(version: str) -> Path:
        staged = tmp_path / "staged"
        staged.write_text(f"#!/bin/sh\necho 'pandoc {version}'\n")
        staged.chmod(0o755)
        os.utime(staged, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
        os.replace(staged, tmp_path / "pandoc")  # as an installer does: a new file at the old path
        return tmp_path / "pandoc"

    old = parse.Reader(str(install("3.9.0")), "", tmp_path).key("# A heading\n")
    new = parse.Reader(str(install("3.9.1")), "", tmp_path).key("# A heading\n")
    assert old != new


def test_a_new_plan_is_proved_once_and_an_edit_reproves_only_the_joints_beside_it(tmp_path, reader, monkeypatch):
    text = "# One\n\nA paragraph.\n\n# Two\n\nAnother.\n\n# Three\n\nThird.\n\n# Four\n\nLast.\n"
    cached = parse.Reader(render.pandoc_path(), "", tmp_path)
    stats = {}
    first = parse.read(text, cached, stats, verify=True)
    assert stats["verified"] == "now, 5 of 5 joints read across"
    assert json.loads(first)["blocks"] == json.loads(parse._pandoc(cached, text))["blocks"]
    again = {}
    assert parse.read(text, cached, again, verify=True) == first and again["verified"] == "before"
    read = []
    real = parse._pandoc
    monkeypatch.setattr(parse, "_pandoc", lambda r, t: read.append(t) or real(r, t))
    edited, changed = {}, text.replace("Another.", "Another, edited.")
    doc = parse.read(changed, cached, edited, verify=True)
    assert edited["verified"] == "now, 2 of 5 joints read across"
    assert read[-1] == "# One\n\nA paragraph.\n\n# Two\n\nAnother, edited.\n\n# Three\n\nThird.\n"  # one window
    assert json.loads(doc)["blocks"] == json.loads(real(cached, changed))["blocks"]


def test_a_window_that_reads_differently_falls_back_to_the_whole_reading(tmp_path, reader, monkeypatch, capsys):
    text = "# One\n\nA paragraph.\n\n# Two\n\nAnother.\n\n# Three\n\nThird.\n"
    cached = parse.Reader(render.pandoc_path(), "", tmp_path)
    parse.read(text, cached, {}, verify=True)
    real = parse._assemble
    # From here the joint around "Two" reads wrongly apart, as a cut that split a construct would.
    monkeypatch.setattr(parse, "_assemble", lambda parts, recs, n: [b for b in real(parts, recs, n) if "Broken" not in b])
    edited = text.replace("Another.", "Broken.")
    stats = {}
    doc = parse.read(edited, cached, stats, verify=True)
    assert stats["verified"] == "differed" and "differed from pandoc's reading of the whole" in capsys.readouterr().err
    assert json.loads(doc)["blocks"] == json.loads(parse._pandoc(cached, edited))["blocks"]


def test_a_chunked_reading_that_differs_from_the_whole_is_replaced_by_it(tmp_path, reader, monkeypatch, capsys):
    text = "# One\n\nA paragraph.\n\n# Two\n\nAnother.\n"
    cached = parse.Reader(render.pandoc_path(), "", tmp_path)
    real = parse._assemble

    def broken(parts, recs, numbered):  # a cut point that splits a construct reads as a wrong block
        return real(parts, recs, numbered)[:-1]

    monkeypatch.setattr(parse, "_assemble", broken)
    stats = {}
    doc = parse.read(text, cached, stats, verify=True)
    assert stats["verified"] == "differed" and "differed from pandoc's reading of the whole" in capsys.readouterr().err
    assert json.loads(doc)["blocks"] == json.loads(parse._pandoc(cached, text))["blocks"]


def test_a_long_window_is_cut_into_bounded_pieces_that_keep_every_joint_inside_one():
    sizes = [10, 30, 25, 5, 40, 10, 10, 35]
    for most in (20, 50, 80, 1000):
        pieces = parse._bounded([(0, len(sizes))], sizes, most)
        assert pieces[0][0] == 0 and pieces[-1][1] == len(sizes)
        for lo, hi in pieces:
            assert hi - lo >= 2 and (sum(sizes[lo:hi]) <= most or hi - lo == 2)
        assert all(any(lo < j < hi for lo, hi in pieces) for j in range(1, len(sizes)))
    assert parse._bounded([(0, 8)], sizes, 1000) == [(0, 8)]


def test_no_pandoc_run_reads_much_more_than_the_run_length_on_a_new_page(tmp_path, monkeypatch):
    text = "\n\n".join(f"# Part {i}\n\n" + "Words of a paragraph. " * 20 for i in range(40)) + "\n"
    monkeypatch.setattr(parse, "RUN_CHARS", 2_000)
    read = []
    real = parse._pandoc
    monkeypatch.setattr(parse, "_pandoc", lambda r, t: read.append(len(t)) or real(r, t))
    cached = parse.Reader(render.pandoc_path(), "", tmp_path)
    stats = {}
    doc = parse.read(text, cached, stats, verify=True)
    assert stats["verified"] == "now, 41 of 41 joints read across"
    assert len(read) > 4 and max(read) < 2 * 2_000  # a run stops near the length; a window holds two parts
    assert json.loads(doc)["blocks"] == json.loads(real(cached, text))["blocks"]


def test_windows_read_in_one_run_each_number_their_citations_from_one(tmp_path):
    parts = [f"# Part {i}\n\nAs @fig-{i} and [@src{i}; @other{i}] show, part {i}.\n" for i in range(8)]
    text = "\n".join(parts)
    cached = parse.Reader(render.pandoc_path(), "", tmp_path)
    parse.read(text, cached, {}, verify=True)
    # Two edits far apart: two windows, read together in one pandoc run, each with its citations.
    edited = text.replace("part 1.", "part one.").replace("part 6.", "part six.")
    stats = {}
    doc = parse.read(edited, cached, stats, verify=True)
    assert stats["verified"].startswith("now, ") and "joints read across" in stats["verified"]
    assert json.loads(doc)["blocks"] == json.loads(parse._pandoc(cached, edited))["blocks"]


def test_a_new_short_page_is_read_whole_once_and_in_chunks_from_its_first_edit(tmp_path, monkeypatch):
    text = "# One\n\nA paragraph [@a].\n\n# Two\n\nAnother [@b].\n\n# Three\n\nThird.\n"
    cached = parse.Reader(render.pandoc_path(), "", tmp_path)
    read = []
    real = parse._pandoc
    monkeypatch.setattr(parse, "_pandoc", lambda r, t: read.append(t) or real(r, t))
    stats = {}
    first = parse.read(text, cached, stats, verify=True, page="evidence/a.qmd")
    assert read == [text] and stats == {"chunks": 1, "read": 1}  # one process, no proof
    assert json.loads(first)["blocks"] == json.loads(real(cached, text))["blocks"]
    read.clear()
    again = {}
    assert parse.read(text, cached, again, verify=True, page="evidence/a.qmd") == first  # the same text
    assert read == [] and again == {"chunks": 1, "read": 0}  # kept by its text
    edited, stats = text.replace("Another", "Another, edited,"), {}
    read.clear()
    doc = parse.read(edited, cached, stats, verify=True, page="evidence/a.qmd")
    # In chunks from the first edit, proved by the whole reading read beside them.
    assert stats["chunks"] > 1 and stats["verified"] == "now" and edited in read
    assert json.loads(doc)["blocks"] == json.loads(real(cached, edited))["blocks"]
    read.clear()
    again, twice = {}, edited.replace("Third.", "Third, edited.")
    doc = parse.read(twice, cached, again, verify=True, page="evidence/a.qmd")
    # Every joint was proved with the whole: the next edit reads one chunk and one window.
    assert again["read"] == 1 and again["verified"] == "now, 2 of 4 joints read across" and twice not in read
    assert json.loads(doc)["blocks"] == json.loads(real(cached, twice))["blocks"]
    other = {}
    parse.read(edited + "\n# Four\n\nMore.\n", cached, other, verify=True, page="evidence/b.qmd")
    assert other == {"chunks": 1, "read": 1}  # another page is new: read whole


def test_a_page_longer_than_a_whole_reading_is_read_in_chunks_from_the_start(tmp_path, monkeypatch):
    text = "\n\n".join(f"# Part {i}\n\n" + "Words of a paragraph. " * 20 for i in range(12)) + "\n"
    monkeypatch.setattr(parse, "RUN_CHARS", 2_000)
    monkeypatch.setattr(parse, "WHOLE_CHARS", 4_000)
    cached = parse.Reader(render.pandoc_path(), "", tmp_path)
    stats = {}
    doc = parse.read(text, cached, stats, verify=True, page="report.qmd")
    assert stats["chunks"] == 12 and stats["verified"].startswith("now")
    assert json.loads(doc)["blocks"] == json.loads(parse._pandoc(cached, text))["blocks"]


def test_a_page_read_whole_keeps_pandocs_reading_of_every_tricky_text(tmp_path):
    cached = parse.Reader(render.pandoc_path(), "png", tmp_path)
    for i, text in enumerate(TRICKY.values()):
        doc = parse.read(text, cached, {}, verify=True, page=f"p{i}.qmd")
        assert json.loads(doc)["blocks"] == json.loads(parse._pandoc(cached, text))["blocks"]
