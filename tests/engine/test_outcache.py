"""The PDF is written and compiled again only when what it rests on changed; an unchanged one is reused."""
from __future__ import annotations

from pathlib import Path

import pytest

from exodus.engine import outcache, parse, render

HTML_ONLY = '\n::: {.content-visible when-format="html"}\nA note only the HTML shows.\n:::\n'


def pdf_render(root: Path, cache: Path, capsys) -> tuple[bytes, str]:
    render.render(["typst"], pre_render=False, root=root, cache=cache)
    return (root / "_output" / "report.pdf").read_bytes(), capsys.readouterr().out


QUARTO = """project:
  output-dir: _output
  render: [report.qmd]
format:
  typst:
    papersize: a5
"""
REPORT = """---
title: A tiny report
---

# Flows

![Flows](figures/flows.svg){#fig-flows}

See @fig-flows.

Some text both formats show.
"""
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>'


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    (root / "figures").mkdir(parents=True)
    (root / "_quarto.yml").write_text(QUARTO, encoding="utf-8")
    (root / "report.qmd").write_text(REPORT, encoding="utf-8")
    (root / "figures" / "flows.svg").write_bytes(SVG)
    return root


def test_reused_after_an_html_only_edit_and_compiled_after_a_figure_or_text_edit(project, tmp_path, capsys):
    cache = tmp_path / "cache" / "parse"
    first, said = pdf_render(project, cache, capsys)
    assert "compiled to PDF" in said
    with (project / "report.qmd").open("a", encoding="utf-8") as fh:
        fh.write(HTML_ONLY)
    again, said = pdf_render(project, cache, capsys)
    assert "the last output reused" in said and "compiled to PDF" not in said and again == first
    svg = project / "figures" / "flows.svg"
    svg.write_bytes(svg.read_bytes().replace(b"</svg>", b"<!-- redrawn --></svg>"))
    _, said = pdf_render(project, cache, capsys)
    assert "compiled to PDF" in said
    with (project / "report.qmd").open("a", encoding="utf-8") as fh:
        fh.write("\nA sentence both formats show.\n")
    _, said = pdf_render(project, cache, capsys)
    assert "compiled to PDF" in said


def test_the_key_covers_the_document_arguments_resources_and_files(tmp_path):
    (tmp_path / "figures").mkdir()
    fig, lua = tmp_path / "figures" / "a.svg", tmp_path / "f.lua"
    fig.write_text("<svg/>"), lua.write_text("-- filter")
    key = lambda doc="d", args=("--x",), extra=("v1",): outcache.digest(doc, list(args), [tmp_path / "figures"],
                                                                     [lua], list(extra))
    base = key()
    assert base == key()
    assert len({base, key(doc="e"), key(args=("--y",)), key(extra=("v2",))}) == 4
    fig.write_text("<svg></svg>")
    assert key() != base
    changed = key()
    lua.write_text("-- filter changed")
    assert key() != changed


def test_an_entry_is_stored_whole_and_fetched_into_a_folder(tmp_path):
    made = tmp_path / "made"
    made.mkdir()
    (made / "a.pdf").write_bytes(b"%PDF-1.7"), (made / "a.typ").write_text("= A")
    store, out = tmp_path / "store", tmp_path / "out"
    out.mkdir()
    assert not outcache.fetch(store, "k" * 64, ["a.pdf", "a.typ"], out)
    outcache.store(store, "k" * 64, [made / "a.pdf", made / "a.typ"])
    outcache.store(store, "k" * 64, [made / "a.pdf", made / "a.typ"])  # a second store of one key is harmless
    assert outcache.fetch(store, "k" * 64, ["a.pdf", "a.typ"], out) and (out / "a.pdf").read_bytes() == b"%PDF-1.7"
    assert not outcache.fetch(None, "k" * 64, ["a.pdf"], out)
    assert [p.name for p in store.iterdir()] == ["k" * 64]


def test_the_build_prunes_an_output_entry_no_build_used_lately(tmp_path):
    import os

    from exodus.pipeline import runner
    made = tmp_path / "made.pdf"
    made.write_bytes(b"%PDF-1.7")
    outputs = tmp_path / "cache" / render.OUTPUTS
    outcache.store(outputs, "a" * 64, [made])
    outcache.store(outputs, "b" * 64, [made])
    now = 1_800_000_000.0
    os.utime(outputs / ("a" * 64), (now - 15 * 86400, now - 15 * 86400))
    os.utime(outputs / ("b" * 64), (now - 13 * 86400, now - 13 * 86400))
    assert runner.prune(tmp_path / "cache", days=14, now=now) == [outputs / ("a" * 64)]


EVIDENCE = """---
title: Evidence
format: html
---

# Sources

A claim's note, as written.
"""


def test_an_edit_to_one_page_renders_that_page_alone_and_gives_the_bytes_a_cold_render_gives(project, tmp_path, capsys):
    (project / "evidence").mkdir()
    (project / "evidence" / "a.qmd").write_text(EVIDENCE, encoding="utf-8")
    (project / "_quarto.yml").write_text(QUARTO.replace("render: [report.qmd]", "render: [report.qmd, evidence/*.qmd]")
                                         + "  html:\n    toc: false\n", encoding="utf-8")
    cache = tmp_path / "cache" / "parse"
    render.render(["html"], pre_render=False, root=project, cache=cache)
    assert capsys.readouterr().out.count("written in") == 2
    (project / "evidence" / "a.qmd").write_text(EVIDENCE.replace("as written", "as corrected"), encoding="utf-8")
    render.render(["html"], pre_render=False, root=project, cache=cache)
    said = capsys.readouterr().out
    assert "render: html: report: what it rests on is unchanged; the last output reused" in said
    assert said.count("written in") == 1 and "as corrected" in (project / "_output" / "evidence" / "a.html").read_text()
    warm = {p: (project / "_output" / p).read_bytes() for p in ("report.html", "evidence/a.html")}
    render.render(["html"], pre_render=False, root=project, cache=None)  # cold, no cache at all
    assert {p: (project / "_output" / p).read_bytes() for p in warm} == warm


def test_a_page_rests_on_the_figures_it_names_and_not_on_the_others(tmp_path):
    (tmp_path / "figures").mkdir()
    for name in ("flows.svg", "flows.png", "flows.narrow.png", "other.png"):
        (tmp_path / "figures" / name).write_bytes(b"x")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "style.css").write_text("p {}")
    said = "![Flows](figures/flows){#fig-flows}\0--css\0/somewhere/assets/style.css"
    found = [p.relative_to(tmp_path).as_posix() for p in render.resources(tmp_path, said)]
    assert found == ["figures/flows.narrow.png", "figures/flows.png", "figures/flows.svg", "assets/style.css"]


READS_VARS = """function Pandoc(doc)
  local vars = doc.meta["_quarto-vars"]
  doc.blocks:insert(pandoc.Para(pandoc.utils.stringify(vars and vars.shown or "")))
  return doc
end
"""


def test_a_changed_variable_re_renders_only_pages_whose_text_or_filters_use_it(project, tmp_path, capsys):
    (project / "_variables.yml").write_text("shown: one\nunused: two\n", encoding="utf-8")
    (project / "report.qmd").write_text(REPORT + "\nThe count is {{< var shown >}}.\n", encoding="utf-8")
    quarto = QUARTO + "  html:\n    toc: false\n"
    (project / "_quarto.yml").write_text(quarto, encoding="utf-8")
    cache = tmp_path / "cache" / "parse"
    html = lambda: (render.render(["html"], pre_render=False, root=project, cache=cache),
                    capsys.readouterr().out)[1]
    html()
    (project / "_variables.yml").write_text("shown: one\nunused: three\n", encoding="utf-8")
    assert "the last output reused" in html()
    (project / "_variables.yml").write_text("shown: uno\nunused: three\n", encoding="utf-8")
    said = html()
    assert "written in" in said and "count is uno" in (project / "_output" / "report.html").read_text()
    # A filter that reads the variables from the metadata makes every change count.
    (project / "reads.lua").write_text(READS_VARS, encoding="utf-8")
    (project / "_quarto.yml").write_text(quarto.replace("format:", "filters: [reads.lua]\nformat:"), encoding="utf-8")
    html()
    (project / "_variables.yml").write_text("shown: dos\nunused: three\n", encoding="utf-8")
    (project / "report.qmd").write_text(REPORT + "\nNo variable in the text.\n", encoding="utf-8")
    html()
    (project / "_variables.yml").write_text("shown: tres\nunused: three\n", encoding="utf-8")
    assert "written in" in html() and "tres" in (project / "_output" / "report.html").read_text()


def test_two_pages_with_the_same_text_each_get_their_own_file(project, tmp_path):
    (project / "evidence").mkdir()
    for name in ("a", "b"):
        (project / "evidence" / f"{name}.qmd").write_text(EVIDENCE, encoding="utf-8")
    (project / "_quarto.yml").write_text(QUARTO.replace("render: [report.qmd]", "render: [report.qmd, evidence/*.qmd]")
                                         + "  html:\n    toc: false\n", encoding="utf-8")
    cache = tmp_path / "cache" / "parse"
    for _ in range(2):
        render.render(["html"], pre_render=False, root=project, cache=cache)
        assert sorted(p.name for p in (project / "_output" / "evidence").iterdir()) == ["a.html", "b.html"]


def test_a_proved_build_s_output_serves_an_unproved_build_but_not_the_reverse(project, tmp_path, capsys):
    cache = tmp_path / "cache" / "parse"
    render.render(["typst"], pre_render=False, root=project, cache=cache, verify=True)
    capsys.readouterr()
    render.render(["typst"], pre_render=False, root=project, cache=cache)  # as make html after make report
    said = capsys.readouterr().out
    assert "the last output reused" in said and "read" not in said
    with (project / "report.qmd").open("a", encoding="utf-8") as fh:
        fh.write("\nA new sentence.\n")
    render.render(["typst"], pre_render=False, root=project, cache=cache)
    capsys.readouterr()
    render.render(["typst"], pre_render=False, root=project, cache=cache, verify=True)
    said = capsys.readouterr().out
    assert "read " in said and "compiled to PDF" not in said  # read and proved; the same reading's PDF kept


@pytest.mark.parametrize("least,said", [(1, "read 1 chunk(s), 1 by pandoc"), (10 ** 6, "read 2 chunk(s), 2 by pandoc, proved 3 of 3 joints")])
def test_a_new_page_of_a_large_project_is_read_whole_and_of_a_small_one_in_chunks(project, tmp_path, capsys,
                                                                                  monkeypatch, least, said):
    monkeypatch.setattr(render, "WHOLE_FROM_DOCUMENTS", least)
    monkeypatch.setattr(parse, "_MEMO", {})  # readings an earlier test kept in memory: this render reads anew
    render.render(["typst"], pre_render=False, root=project, cache=tmp_path / "cache" / "parse", verify=True)
    assert f"render: typst: {said}" in capsys.readouterr().out
