"""Citation lines for one figure, the report's own citation and its version everywhere."""
from __future__ import annotations

import re

import pytest
import yaml

from exodus.model import citations, wording
from exodus.model.mdsafe import literal
from exodus.report import cite
from tests.render_kit import REPO

ED = cite.Edition("The Report", "1.2.0", "2026-11-22")
SOURCE = {"id": "s", "outlet_shown": "unknown", "original_outlet": "unknown", "published": None, "title": "Men are fleeing",
          "published_basis": "bounded", "published_not_before": "2022-09-26", "published_not_after": "2022-10-02"}
CLAIM = {"id": "kz", "source_id": "s", "quote": "The ministry said nearly 98,000 Russians had entered.",
         "number_text": "nearly 98,000", "value": 98000.0, "low": None, "high": 98000.0, "hedge": "nearly",
         "unit": "person"}


def test_claim_line_says_what_it_counts_who_where_when_and_how_to_find_the_article():
    claim = {**CLAIM, "subject": "Russians who entered Kazakhstan", "place": "Kazakhstan", "attributed_to": "the ministry",
             "period_start": "2022-09-21", "period_end": "2022-09-27"}
    line = citations.claim_line(claim, SOURCE, ED)
    assert line == ("Cite as: nearly 98,000, Russians who entered Kazakhstan; place: Kazakhstan; period: 21–27 September "
                    "2022, according to the ministry: “The ministry said nearly 98,000 Russians had entered.” "
                    "“Men are fleeing” (outlet not named), 26 September–2 October 2022, date not printed. "
                    "In: The Report, version 1.2.0, entry “claim-kz” (the report has no published address yet).")
    url = cite.Edition("R", "1", url="https://example.org/r/report.html")
    # The entry's address is its evidence page, beside the report page.
    assert citations.claim_line(claim, SOURCE, url).endswith("In: R, version 1, https://example.org/r/evidence/s.html#claim-kz.")
    assert "report.html#" not in line  # no relative link that resolves nowhere once pasted elsewhere


def test_short_quote_keeps_the_words_around_the_figure_verbatim():
    words = [f"w{i}" for i in range(60)]
    words[40] = "98,000"
    out = citations.short_quote(" ".join(words), "98,000", words=12)
    assert out.startswith("…") and out.endswith("…") and "98,000" in out
    assert out.strip("…") in " ".join(words)
    assert citations.short_quote("short and whole", "x") == "short and whole"


def test_date_range_words():
    assert wording.date_range("2022-09-22", "2022-09-25") == "22–25 September 2022"
    assert wording.date_range("2022-09-26", "2022-10-02") == "26 September–2 October 2022"
    assert wording.date_range("2022-12-30", "2023-01-02") == "30 December 2022–2 January 2023"
    assert wording.date_range("2022-10-01", None) == "1 October 2022 or later"
    assert wording.date_range(None, None) == ""


def test_report_citation_has_release_date_and_version_never_nd():
    cff = {"title": "The Report", "version": "1.2.0", "date-released": "2026-11-22",
           "authors": [{"name": "Team"}], "license": "CC-BY-4.0"}
    line = cite.report_citation(cff, cite.edition(cff, "1.2.0"))
    assert line == ("Team (2026). The Report. Version 1.2.0, released 22 November 2026. Licence CC-BY-4.0. "
                    "Not yet published at a fixed address.")
    published = cite.edition(cff, "1.2.0", {"website": {"site-url": "https://example.org/exodus/"}})
    assert cite.report_citation(cff, published).endswith("CC-BY-4.0. https://example.org/exodus/report.html")
    text = cite.build(cff, {}, "1.2.0")
    assert "n.d." not in text and "date = {2026-11-22}" in text


def test_version_and_release_agree_across_version_citation_and_report():
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    front = yaml.safe_load((REPO / "report.qmd").read_text(encoding="utf-8").split("---")[1])
    version = (REPO / "VERSION").read_text(encoding="utf-8").strip()
    assert cff["version"] == version == front["citation"]["version"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert str(cff["date-released"]) == str(front["date"])
    for key in ("author", "date", "citation", "google-scholar", "license", "lang"):
        assert key in front, key


def test_the_page_cites_the_report_once_under_both_renderers():
    # Quarto appends its own citation from `citation:` unless appendix-cite-as is false; the engine never
    # does, so with the option off both renderers print only the "How to cite" section.
    front = yaml.safe_load((REPO / "report.qmd").read_text(encoding="utf-8").split("---")[1])
    assert "citation" not in front or front.get("appendix-cite-as") is False
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    settings = yaml.safe_load((REPO / "_quarto.yml").read_text(encoding="utf-8"))
    text = cite.build(cff, {}, str(cff["version"]), settings=settings)
    line = literal(cite.report_citation(cff, cite.edition(cff, str(cff["version"]), settings)))
    assert text.count(line) == 1 and text.count("**The report.**") == 1


def test_citation_cff_names_the_address_quarto_sets_and_none_when_it_sets_none():
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    settings = yaml.safe_load((REPO / "_quarto.yml").read_text(encoding="utf-8"))
    cite.check_cff(cff, cite.edition(cff, str(cff["version"]), settings))  # the repository's own files agree
    published = {"website": {"site-url": "https://example.org/x/", "repo-url": "https://example.org/repo"}}
    with pytest.raises(ValueError, match="CITATION.cff: url is 'unset' but _quarto.yml's website sets"):
        cite.check_cff(cff, cite.edition(cff, "1", published))
    cite.check_cff({**cff, "url": "https://example.org/x/report.html", "repository-code": "https://example.org/repo"},
                   cite.edition(cff, "1", published))
