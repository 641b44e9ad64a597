"""Reports of one metric and place form a series in as-of order; the latest is computable."""
from exodus.model import asof, series

SOURCES = {"window": {"published_not_before": "2022-09-26", "published_not_after": "2022-10-02"},
           "nov": {"published": "2022-11-29"}, "oct": {"published": "2022-10-04"},
           "open": {"published_not_before": "2022-10-01"}, "undated": {}}


def report(cid, source, place="Kazakhstan", **extra):
    return {"id": cid, "source_id": source, "metric": "border_entries", "place": place, "hedge": "exact", **extra}


def test_a_series_is_ordered_by_as_of_and_the_latest_is_the_last_dated_report():
    claims = [report("nov", "nov"), report("sept", "window"), report("oct", "oct"),
              report("other_place", "nov", place="Georgia"), report("undated", "undated")]
    assert [c["id"] for c in series.reports(claims, SOURCES, "border_entries", "kazakhstan")] == \
        ["sept", "oct", "nov", "undated"]
    assert series.latest(claims, SOURCES, "border_entries", "Kazakhstan")["id"] == "nov"
    assert series.latest(claims, SOURCES, "border_entries", "Mongolia") is None
    assert list(series.group(claims, SOURCES)) == [("border_entries", "kazakhstan")]


def test_a_period_end_beats_the_publication_date_and_a_denied_figure_is_no_report():
    claims = [report("nov", "nov"), report("said_in_nov_of_december", "oct", period_end="2022-12-31"),
              report("denied", "open", hedge="denied")]
    assert series.latest(claims, SOURCES, "border_entries", "Kazakhstan")["id"] == "said_in_nov_of_december"


def test_an_open_window_sorts_after_closed_ones():
    claims = [report("open", "open"), report("nov", "nov")]
    assert [c["id"] for c in series.reports(claims, SOURCES, "border_entries", "Kazakhstan")] == ["nov", "open"]


def test_as_of_dates_overlap_only_when_they_can_be_one_day():
    window = asof.AsOf("2022-09-26", "2022-10-02", asof.WINDOW)
    assert series.overlap(window, asof.AsOf("2022-10-02", "2022-10-02", asof.PUBLISHED))
    assert not series.overlap(window, asof.AsOf("2022-10-03", "2022-10-03", asof.PUBLISHED))
    assert series.overlap(window, asof.AsOf("2022-09-01", None, asof.WINDOW))
    assert not series.overlap(window, asof.AsOf("2022-10-05", None, asof.WINDOW))
    assert series.overlap(window, asof.AsOf(None, None, asof.UNKNOWN))
