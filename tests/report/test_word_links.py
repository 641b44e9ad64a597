"""Word's figure links: to the published evidence page when the report has an address, plain text with one
note when it has none; read from the docx's document.xml and its relationships."""
from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml

from exodus.engine import render
from tests.render_kit import REPO

FILTER = REPO / "exodus" / "report" / "filters" / "claim_links.lua"
LINK = '[{n}](#{kind}-{k}){{data-{kind}="{k}" data-evidence="evidence/{page}.html"}}'
NOTES = REPO / "report.qmd"


def _note() -> str:
    """report.qmd's two notes on the evidence pages, as the report words them (one is kept per edition)."""
    text = NOTES.read_text(encoding="utf-8")
    return re.search(r"::: \{\.evidence-note-published\}.*?\n:::\n\n::: \{\.evidence-note-unpublished\}.*?\n:::\n",
                     text, re.S).group(0)


def _docx(tmp_path: Path, site: str) -> tuple[str, str]:
    doc = ("# Findings\n\nNearly " + LINK.format(n="100,000", kind="claim", k="kz", page="mfr") + " entered; "
           + LINK.format(n="4,000", kind="derived", k="before", page="derived") + " a day before.\n\n"
           "# Appendices\n\n" + _note())
    (tmp_path / "doc.md").write_text(doc, encoding="utf-8")
    (tmp_path / "meta.yaml").write_text(yaml.safe_dump({"title": "t", "website": {"site-url": site}}), encoding="utf-8")
    out = tmp_path / "doc.docx"
    subprocess.run([render.pandoc_path(), str(tmp_path / "doc.md"), "--metadata-file", str(tmp_path / "meta.yaml"),
                    "--lua-filter", str(FILTER), "--to", "docx", "--output", str(out)], check=True,
                   capture_output=True, text=True)
    with zipfile.ZipFile(out) as z:
        return z.read("word/document.xml").decode("utf-8"), z.read("word/_rels/document.xml.rels").decode("utf-8")


def _links(document: str, rels: str) -> list[str]:
    """Where each hyperlink of the document goes: its external address, or '#anchor' inside the file."""
    targets = dict(re.findall(r'Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
    found = []
    for attrs in re.findall(r"<w:hyperlink ([^>]*)>", document):
        rid, anchor = re.search(r'r:id="([^"]+)"', attrs), re.search(r'w:anchor="([^"]+)"', attrs)
        found.append(targets[rid.group(1)] if rid else f"#{anchor.group(1)}")
    return found


@pytest.mark.parametrize("site,folder", [("https://example.org/exodus/", "https://example.org/exodus"),
                                         ("https://example.org/exodus/report.html", "https://example.org/exodus")])
def test_with_a_published_address_each_figure_links_to_its_evidence_entry(tmp_path, site, folder):
    document, rels = _docx(tmp_path, site)
    assert _links(document, rels) == [f"{folder}/evidence/mfr.html#claim-kz",
                                      f"{folder}/evidence/derived.html#derived-before",
                                      f"{folder}/evidence/index.html"]
    assert "no published address" not in document and "HTML edition" in document


def test_without_an_address_the_figures_are_plain_text_and_one_note_says_where_the_evidence_is(tmp_path):
    document, rels = _docx(tmp_path, "")
    assert _links(document, rels) == []  # no link to an anchor that exists only on the HTML pages
    assert "100,000" in document and "4,000" in document
    assert document.count("evidence pages of the HTML edition") == 1 and "no published address yet" in document


def test_an_address_that_is_not_https_stops_the_render(tmp_path):
    with pytest.raises(subprocess.CalledProcessError) as failed:
        _docx(tmp_path, "javascript:alert(1)")
    assert "site-url must be an https:// URL" in failed.value.stderr
