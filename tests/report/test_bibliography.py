"""The BibLaTeX bibliography: outlets and date windows in the entries, and in both renders."""
from __future__ import annotations

import subprocess

import pypandoc

from exodus.report import bibliography
from tests.render_kit import REPO, require, require_module

GUARDIAN = {"id": "g", "title": "‘We’re scared’: T <b>x</b> {{< var y >}} #set page(fill: red) 50%",
            "outlet_shown": "unknown", "original_outlet": "The Guardian", "original_outlet_basis": "stated",
            "author": "unknown", "published": None, "published_basis": "bounded",
            "published_not_before": "2022-09-24", "published_not_after": "2022-09-28", "url": None, "language": "en"}
AFP = {"id": "a", "title": "Russians who fled cautiously return home", "outlet_shown": "Hyrra",
       "original_outlet": "AFP", "original_outlet_basis": "resolved", "author": "unknown",
       "published": "2023-08-19", "published_basis": "stated", "published_not_before": "2023-08-19",
       "published_not_after": "2023-08-19", "url": "https://example.org/a_b?c=1&d={2}", "language": "en"}
NOBODY = {"id": "m", "title": "Men are fleeing Russia to escape being forced to fight", "outlet_shown": "unknown",
          "original_outlet": "unknown", "original_outlet_basis": "unknown", "author": "unknown", "published": None,
          "published_basis": "bounded", "published_not_before": "2022-10-01", "published_not_after": None,
          "url": None, "language": "en"}


def test_entries_carry_outlet_credit_and_date_window():
    g, a, m = (bibliography.entry(s) for s in (GUARDIAN, AFP, NOBODY))
    assert "journaltitle = {The Guardian}" in g and "date = {2022-09-24/2022-09-28}" in g
    assert "journaltitle = {AFP via Hyrra}" in a and "date = {2023-08-19}" in a
    assert "url = {https://example.org/a_b?c=1&d=%7B2%7D}" in a
    # Unknown outlet: no journaltitle or author is invented; an open window has no date field (a list
    # would print "2022–"), its note says it in words
    assert "journaltitle" not in m and "author" not in m and "date =" not in m
    # a page that is not the outlet's own: its headline is the republished one
    assert "headline as printed on the republished page" in g and "headline as printed" not in m
    assert "no outlet, byline or URL" in m and "1 October 2022 or later" in m
    # Curated text is escaped: braces and TeX specials cannot open a group or a command.
    assert r"\{\{\textless{} var y \textgreater{}\}\} \#set page(fill: red) 50\%" in g


def _citeproc(bib: str, tmp_path, cites: str = "[@g] [@a] [@m]") -> str:
    (tmp_path / "r.bib").write_text(bib, encoding="utf-8")
    return pypandoc.convert_text(f"{cites}\n\n# Refs\n", "plain", format="markdown",
                                 extra_args=["--citeproc", "--bibliography", str(tmp_path / "r.bib"), "-M", "lang=en-GB",
                                             "--csl", str(REPO / "assets" / "references-typst.csl")])


def test_html_citations_name_outlet_and_window_in_the_style_the_pdf_uses(tmp_path):
    out = " ".join(_citeproc(bibliography.build([GUARDIAN, AFP, NOBODY]), tmp_path).split())
    assert "(The Guardian 2022) (AFP via Hyrra 2023) (Men are fleeing Russia, n.d.)" in out
    refs = out.split("Refs", 1)[1]
    assert "24–28 September 2022" in refs and "published 19 August 2023" in refs
    assert "1 October 2022 or later" in refs and "2022–" not in refs  # an open window is said in words
    assert "‘‘" not in refs and "“‘" not in refs  # a title that opens with a quote is not quoted again
    assert "{{< var y >}}" in out  # shown as written


def test_pdf_bibliography_names_outlet_and_window(tmp_path):
    typst = require_module("typst")
    (tmp_path / "r.bib").write_text(bibliography.build([GUARDIAN, AFP, NOBODY]), encoding="utf-8")
    (tmp_path / "s.csl").write_bytes((REPO / "assets" / "references-typst.csl").read_bytes())
    (tmp_path / "t.typ").write_text('@g @a @m\n#bibliography("r.bib", style: "s.csl")\n', encoding="utf-8")
    typst.compile(str(tmp_path / "t.typ"), output=str(tmp_path / "t.pdf"), root=str(tmp_path))
    text = " ".join(subprocess.run([require("pdftotext"), str(tmp_path / "t.pdf"), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert "The Guardian 2022" in text and "AFP via Hyrra 2023" in text
    assert "24–28 September 2022" in text and "published 19 August 2023" in text
    assert "#set page(fill: red)" in text


def test_the_html_and_pdf_reference_lists_are_the_same_text(tmp_path):
    """Both renderers read one style: same entries, same order, same words (no open dash, no doubled quotes)."""
    typst = require_module("typst")
    sources = [GUARDIAN, AFP, NOBODY, {**GUARDIAN, "id": "t", "title": "‘Tonight I will cross the border’: x"}]
    bib = bibliography.build(sources)
    # Known limit: typst letters one outlet's same-year entries (2022a, 2022b) in citation order, citeproc
    # in list order; they agree when the first cited comes first in the list, as in the report.
    html = " ".join(_citeproc(bib, tmp_path, "[@t] [@g] [@a] [@m]").split("Refs", 1)[1].split())
    (tmp_path / "r.bib").write_text(bib, encoding="utf-8")
    (tmp_path / "s.csl").write_bytes((REPO / "assets" / "references-typst.csl").read_bytes())
    (tmp_path / "t.typ").write_text('@t @g @a @m\n#bibliography("r.bib", style: "s.csl", title: none)\n',
                                    encoding="utf-8")
    typst.compile(str(tmp_path / "t.typ"), output=str(tmp_path / "t.pdf"), root=str(tmp_path))
    pdf = subprocess.run([require("pdftotext"), str(tmp_path / "t.pdf"), "-"], capture_output=True, text=True,
                         check=True).stdout
    pdf = " ".join(pdf.split("\n", 1)[1].replace("-\n", "").split())  # the cite line, then the list
    assert pdf == html, f"\nHTML: {html}\nPDF:  {pdf}"
