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
