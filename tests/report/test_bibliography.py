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
    # Unknown outlet: no journaltitle or author is invented; the window is open-ended.
    assert "journaltitle" not in m and "author" not in m and "date = {2022-10-01/}" in m
    assert "no outlet, byline or URL" in m and "1 October 2022 or later" in m
    # Curated text is escaped: braces and TeX specials cannot open a group or a command.
    assert r"\{\{\textless{} var y \textgreater{}\}\} \#set page(fill: red) 50\%" in g


def _citeproc(bib: str, tmp_path) -> str:
    (tmp_path / "r.bib").write_text(bib, encoding="utf-8")
    return pypandoc.convert_text("[@g] [@a] [@m]\n\n# Refs\n", "plain", format="markdown",
                                 extra_args=["--citeproc", "--bibliography", str(tmp_path / "r.bib")])


def test_html_citations_name_outlet_and_window_never_nd(tmp_path):
    out = " ".join(_citeproc(bibliography.build([GUARDIAN, AFP, NOBODY]), tmp_path).split())
    assert "(The Guardian 2022)" in out and "(AFP via Hyrra 2023)" in out
    assert "September 24–28" in out and "August 19" in out
    assert "n.d." not in out
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
