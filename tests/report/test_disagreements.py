"""Every discrepancy the derive stage records is listed for the reader, with what it sets against what."""
from exodus.report import appendix, evidence

CLAIMS = {
    "a": {"id": "a", "subject": "men ordered", "number_text": "300", "value": 300, "low": 300, "high": 300, "hedge": "exact", "unit": "person",
          "attributed_to": "a ministry", "source_id": "s"},
    "b": {"id": "b", "subject": "men allowed", "number_text": "1,000", "value": 1000, "low": 1000, "high": 1000, "hedge": "exact", "unit": "person",
          "attributed_to": "a newspaper", "source_id": "s"},
}
DERIVED = {"r": {"id": "r", "value": 62.5, "low": None, "high": None, "hedge": "about", "unit": "RUB/GBP", "formula": "a / b",
                 "description": "Derived, not reported: rubles per pound. Assumes a rate."}}
SOURCES = {"s": {"id": "s", "title": "T", "outlet_shown": "unknown", "original_outlet": "X", "original_outlet_basis": "stated",
                 "published": "", "published_not_before": "", "published_not_after": ""}}
WHERE = evidence.Where({"claim": CLAIMS, "derived": DERIVED}, None, "evidence/")


def test_each_discrepancy_lists_its_claims_and_derived_figures():
    rows = [
        {"description": "Claims marked competing differ", "claim_ids": "a;b", "derived_ids": ""},
        {"description": "Two rates differ by 18%", "claim_ids": "", "derived_ids": "r"},
    ]
    text = appendix.disagreements(rows, CLAIMS, DERIVED, SOURCES, WHERE)
    assert text.count("\n- ") + text.startswith("- ") == 2
    # In-document for the PDF's table of figures; the HTML follows data-evidence to the evidence page.
    assert '(#claim-a){data-evidence="evidence/s.html"}' in text and '(#claim-b){data-evidence="evidence/s.html"}' in text
    assert '(#derived-r){data-evidence="evidence/derived.html"}' in text
    assert "a newspaper" in text and "about 62" in text.replace("\\", "")
    # a reader sees what each figure counts, never a raw id in running text (ids stay in the anchors)
    shown = text.replace("(#claim-a)", "").replace("(#claim-b)", "").replace("(#derived-r)", "")
    assert "[a]" not in shown and "[b]" not in shown and "Claims marked competing" not in shown


def test_no_discrepancy_is_said_plainly():
    assert "No two claims" in appendix.disagreements([], CLAIMS, DERIVED, SOURCES, WHERE)


def _contrasts(n: int) -> list[dict]:
    return [{"kind": "contrast", "claim_ids": "a;b", "derived_ids": ""} for _ in range(n)]


def test_the_report_lists_a_dozen_of_each_kind_and_counts_the_rest_which_their_page_lists():
    found = _contrasts(appendix.SHOWN_DISCREPANCIES + 3) + [{"claim_ids": "a;b", "derived_ids": ""}]
    short = appendix.disagreements(found, CLAIMS, DERIVED, SOURCES, WHERE, appendix.SHOWN_DISCREPANCIES)
    assert ("\n" + short).count("\n- ") == appendix.SHOWN_DISCREPANCIES + 1  # the one disagreement, a dozen contrasts
    assert ('[These are the first contrasts; every one is listed on [the disagreements page]'
            '(evidence/disagreements.html)' in short)
    assert ('[These are the first contrasts; every one is listed on the disagreements page of the HTML edition.]'
            '{.content-hidden' in short)
    assert "first disagreements" not in short  # one disagreement: all of it shown
    page = appendix.disagreements_page(found, CLAIMS, DERIVED, SOURCES, WHERE)
    assert page.startswith("---\n") and "format: html" in page and ("\n" + page).count("\n- ") == len(found)
    # From the page (in evidence/), an entry's page is a sibling.
    assert '(#claim-a){data-evidence="s.html"}' in page and "first contrasts" not in page


def test_the_disagreements_page_is_made_only_when_the_report_shortens_its_list():
    t = {"sources": [], "metrics": [], "claims": [], "people": [], "events": []}
    pages = lambda n: {k for k in appendix.build(t, {}, [], _contrasts(n)) if k.startswith("evidence/")}
    assert "evidence/disagreements.qmd" not in pages(appendix.SHOWN_DISCREPANCIES)
    assert "evidence/disagreements.qmd" in pages(appendix.SHOWN_DISCREPANCIES + 1)


def test_a_discrepancy_the_narrative_names_is_among_those_the_report_lists():
    later = {"kind": "contrast", "claim_ids": "a;b", "derived_ids": "r"}
    found = _contrasts(appendix.SHOWN_DISCREPANCIES + 5)
    others = [{**d, "claim_ids": "", "derived_ids": "r"} for d in found]
    ordered = appendix.named_first(others + [later], "Shoigu ordered {{< var claim.a >}} men.")
    assert ordered[0] is later and ordered[1:] == others  # the rest keep their recorded order
    assert appendix.named_first(others + [later], "No figure named.") == others + [later]
