"""Citation lines for one figure, the report's own citation and its version everywhere."""
from __future__ import annotations

import re

import yaml

from exodus.model import wording
from exodus.report import cite
from tests.render_kit import REPO

ED = cite.Edition("The Report", "1.2.0", "2026-11-22")
SOURCE = {"id": "s", "outlet_shown": "unknown", "original_outlet": "unknown", "published": None,
          "published_basis": "bounded", "published_not_before": "2022-09-26", "published_not_after": "2022-10-02"}
CLAIM = {"id": "kz", "source_id": "s", "quote": "The ministry said nearly 98,000 Russians had entered.",
         "number_text": "nearly 98,000", "value": 98000.0, "low": None, "high": 98000.0, "hedge": "nearly",
         "unit": "person"}


def test_claim_line_names_figure_quote_outlet_window_report_version_and_anchor():
    line = cite.claim_line(CLAIM, SOURCE, ED)
    assert line == ("Cite as: nearly 98,000 (“The ministry said nearly 98,000 Russians had entered.”), "
                    "unknown outlet, 26 September–2 October 2022 (date not printed); in The Report, "
                    "version 1.2.0, report.html#claim-kz.")
    url = cite.Edition("R", "1", url="https://example.org/r/")
    assert cite.claim_line(CLAIM, SOURCE, url).endswith("https://example.org/r/#claim-kz.")


def test_short_quote_keeps_the_words_around_the_figure_verbatim():
    words = [f"w{i}" for i in range(60)]
    words[40] = "98,000"
    out = cite.short_quote(" ".join(words), "98,000", words=12)
    assert out.startswith("…") and out.endswith("…") and "98,000" in out
    assert out.strip("…") in " ".join(words)
    assert cite.short_quote("short and whole", "x") == "short and whole"


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
    assert line == "Team (2026). The Report. Version 1.2.0, released 22 November 2026. Licence CC-BY-4.0."
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
