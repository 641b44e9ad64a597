"""The PDF's table of figures: every figure the text uses, once, in order, with its citation line."""
from __future__ import annotations

import pypandoc

from exodus.report import cite, figure_table

ED = cite.Edition("R", "1.0.0")
SRC = {"s": {"id": "s", "outlet_shown": "The Paper", "original_outlet": "unknown", "published": "2022-09-27",
             "published_basis": "stated"}}
CLAIMS = {"a": {"id": "a", "source_id": "s", "quote": "About 5 left.", "number_text": "5", "value": 5.0,
                "low": None, "high": None, "hedge": "about", "unit": "person"}}
DERIVED = {"d": {"id": "d", "value": 2.5, "low": None, "high": None, "unit": "person", "hedge": "about",
                 "formula": "a / 2", "source_ids": ["s"], "claim_ids": ["a"],
                 "description": "Derived, not reported: half of those who left. Assumes halves."}}
TEXT = ("{{< var claim.a >}} then {{< var derived.d >}} and {{< var claim.a >}} again; "
        "{{{< var claim.shown_as_written >}}}; a list links [x](#claim-a).")


def test_uses_in_order_each_once_skipping_escaped_shortcodes():
    assert figure_table.used(TEXT) == [("claim", "a"), ("derived", "d")]


def test_rows_carry_anchor_citation_line_and_derived_label():
    table = figure_table.build(TEXT, CLAIMS, DERIVED, {}, SRC, ED)
    assert "| []{#claim-a}**about 5** |" in table
    assert "| []{#derived-d}**about 2\\.5** [derived]{.derived-label} |" in table
    html = " ".join(pypandoc.convert_text(table, "html", format="markdown").split())
    assert '<span id="claim-a"></span><strong>about 5</strong>' in html
    assert "Cite as: about 5, according to unknown: “About 5 left.” The Paper, 27 September 2022. In: R, " \
           "version 1.0.0, entry “claim-a” (the report has no published address yet)." in html
    assert ("Cite as: about 2.5, half of those who left: derived by this report from about 5 as reported by "
            "The Paper, 27 September 2022; no article states it.") in html


def test_a_variable_without_a_row_is_left_to_the_render_to_report():
    table = figure_table.build("{{< var claim.gone >}} {{< var claim.a >}}", CLAIMS, DERIVED, {}, SRC, ED)
    assert "gone" not in table and "{#claim-a}" in table
