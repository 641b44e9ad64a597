"""The variables a page prints reach its metadata as pandoc reads them, read in pieces and kept between renders."""
from __future__ import annotations

import json
import subprocess

import pytest

from exodus.engine import metavars, parse, project, render

VARIABLES = {
    "claim": {f"c{i}": f'[about {i}\\,000](#claim-c{i}){{.claim data-claim="c{i}"}}' for i in range(7)},
    "derived": {"two_paragraphs": "First *one*.\n\nSecond one.\n", "flag": True, "count": 12, "empty": {},
                "list": ["a *b*", "c"], "quoted": "It's \"said\" -- so."},
    "report": "Reported figures",
}


@pytest.fixture
def reader(tmp_path):
    parse._MEMO.clear()
    return parse.Reader(render.pandoc_path(), "png", tmp_path / "cache")


def test_variables_read_in_pieces_are_what_pandoc_reads_from_the_whole_file(reader, monkeypatch):
    monkeypatch.setattr(metavars, "PIECE", 3)
    whole, _ = metavars._pandoc(reader, render.yaml_dump({metavars.KEY: VARIABLES}))
    assert len(metavars.leaves(VARIABLES)) > 3 * metavars.PIECE  # several pieces
    assert metavars.read(VARIABLES, reader, render.yaml_dump) == whole
    assert whole["c"]["derived"]["c"]["two_paragraphs"]["t"] == "MetaBlocks"  # not flattened into inlines


def test_a_second_render_reads_only_the_piece_an_edit_changed(reader, monkeypatch):
    monkeypatch.setattr(metavars, "PIECE", 3)
    calls = []
    real = metavars._pandoc
    monkeypatch.setattr(metavars, "_pandoc", lambda r, text: calls.append(text) or real(r, text))
    metavars.read(VARIABLES, reader, render.yaml_dump)
    first = len(calls)
    parse._MEMO.clear()  # a new process: only the files under the cache remain
    edited = {**VARIABLES, "claim": {**VARIABLES["claim"], "c1": "[about one](#claim-c1)"}}
    value = metavars.read(edited, reader, render.yaml_dump)
    assert first == -(-len(metavars.leaves(VARIABLES)) // 3) and len(calls) == first + 1
    assert value["c"]["claim"]["c"]["c1"] == metavars._pandoc(reader, render.yaml_dump({metavars.KEY: edited}))[0][
        "c"]["claim"]["c"]["c1"]


def test_a_stored_piece_edited_to_carry_markup_is_read_again(reader):
    honest = metavars.read(VARIABLES, reader, render.yaml_dump)
    tampered = 0
    for stored in reader.cache.glob("*.json"):
        rec = json.loads(stored.read_text(encoding="utf-8"))
        edited = rec["blocks"].replace('"Str","c":"Second"', '"RawInline","c":["html","<script>x()</script>"]')
        tampered += edited != rec["blocks"]
        stored.write_text(json.dumps({**rec, "blocks": edited}), encoding="utf-8")
    assert tampered == 1
    parse._MEMO.clear()
    assert metavars.read(VARIABLES, reader, render.yaml_dump) == honest


SHOW_VARS = """function Pandoc(doc)
  local vars = doc.meta["_quarto-vars"]
  doc.blocks:insert(pandoc.Para(pandoc.utils.stringify(vars.derived.two_paragraphs) .. "|" ..
                                pandoc.utils.stringify(vars.claim.c3)))
  return doc
end
"""


def test_a_page_is_written_the_same_from_variables_read_apart(reader, tmp_path):
    doc = subprocess.run([reader.pandoc, "--from", "markdown", "--to", "json"], input="# Title\n\nText.\n",
                         capture_output=True, text=True, check=True).stdout
    (tmp_path / "show.lua").write_text(SHOW_VARS, encoding="utf-8")
    write = lambda source, meta: subprocess.run(
        [reader.pandoc, "--from", "json", "--to", "html5", "--standalone", "--metadata-file", str(meta),
         "--metadata", "title=T", "--lua-filter", str(tmp_path / "show.lua")], input=source, capture_output=True,
        text=True, check=True).stdout
    (tmp_path / "with.yaml").write_text(render.yaml_dump({metavars.KEY: VARIABLES}), encoding="utf-8")
    (tmp_path / "without.yaml").write_text(render.yaml_dump({}), encoding="utf-8")
    injected = metavars.inject(doc, metavars.read(VARIABLES, reader, render.yaml_dump))
    page = write(injected, tmp_path / "without.yaml")
    assert page == write(doc, tmp_path / "with.yaml") and "First one.Second one.|about 3,000" in page


def _page(root, text: str):
    (root / "page.qmd").write_text(text, encoding="utf-8")
    proj = project.Project(root, [], [], ["page.qmd"], "_output", [], {"html": {}})
    return render.document(proj, root / "page.qmd", {"shown": "one", "other": "two"})[0]


def test_only_a_page_that_prints_a_variable_carries_them_unless_a_filter_names_them(tmp_path):
    assert metavars.KEY not in _page(tmp_path, "No variable here.\n")
    assert _page(tmp_path, "It is {{< var shown >}}.\n")[metavars.KEY] == {"shown": "one", "other": "two"}
    (tmp_path / "reads.lua").write_text('-- reads doc.meta["_quarto-vars"]\nlocal v = "_quarto-vars"\n',
                                        encoding="utf-8")
    proj = project.Project(tmp_path, [], [], ["page.qmd"], "_output", ["reads.lua"], {"html": {}})
    (tmp_path / "page.qmd").write_text("No variable here.\n", encoding="utf-8")
    assert metavars.KEY in render.document(proj, tmp_path / "page.qmd", {"shown": "one"})[0]
    # A name in a Lua comment is not a use.
    (tmp_path / "reads.lua").write_text("-- the filter ignores _quarto-vars\nreturn {}\n", encoding="utf-8")
    assert metavars.KEY not in render.document(proj, tmp_path / "page.qmd", {"shown": "one"})[0]


def test_the_readme_gives_the_sizes_the_engine_reads_in():
    from tests.conftest import REPO
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert f"pieces of {metavars.PIECE} kept by their text" in readme
    assert f"No pandoc run reads much more than {parse.RUN_CHARS:,} characters" in readme
