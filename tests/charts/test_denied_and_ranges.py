"""A denied figure is never drawn; a stated range is drawn by its two ends."""
from exodus.charts.data import metric_panels

METRICS = [{"id": "border_entries", "label": "Entries", "unit": "person", "counts": "entries"}]
SOURCES = [{"id": "s", "published": "2022-10-12"}]


def claim(cid: str, **over) -> dict:
    base = dict(id=cid, source_id="s", metric="border_entries", unit="person", subject="Russians", place="Kazakhstan",
                number_text="200,000", value=None, low=None, high=None, hedge="denied")
    return {**base, **over}


def test_a_denied_figure_is_left_out_and_a_range_keeps_its_ends():
    claims = [claim("far_from"), claim("between", number_text="300-400 thousand", low=300000.0, high=400000.0, hedge="range")]
    rows, _ = metric_panels({"metrics": ["border_entries"]}, {"metrics": METRICS, "sources": SOURCES, "claims": claims}, [],
                            lambda text, **_: text)
    assert [(r["id"], r["value"], r["low"], r["high"], r["hedge"], r["as_of"]) for r in rows] == [
        ("between", None, 300000.0, 400000.0, "range", "2022-10-12")]
