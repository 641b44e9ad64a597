"""One date rule set: relative wording resolved against a reference day, and windows that never contradict events."""
import datetime as dt

import pytest

from exodus.model import dates, tables
from exodus.stages.validate import check_dates

THU = dt.date(2022, 9, 22)  # the day after the Wednesday 21 September 2022 announcement
MON = dt.date(2022, 9, 26)

# (wording, reference day, first day, last day)
RULES = [
    ("on Wednesday", THU, "2022-09-21", "2022-09-21"),
    ("on Thursday", THU, "2022-09-22", "2022-09-22"),          # on or before the reference day
    ("By Wednesday evening", MON, "2022-09-21", "2022-09-21"),
    ("last Wednesday", MON, "2022-09-21", "2022-09-21"),        # that weekday of the week before
    ("until Friday", MON, "2022-09-30", "2022-09-30"),          # looking ahead
    ("on Monday", MON, "2022-09-26", "2022-09-26"),
    ("last week", MON, "2022-09-19", "2022-09-25"),
    ("Earlier this week", THU, "2022-09-19", "2022-09-25"),
    ("for next week", THU, "2022-09-26", "2022-10-02"),
    ("tomorrow", THU, "2022-09-23", "2022-09-23"),
    ("Sept. 21", MON, "2022-09-21", "2022-09-21"),
    ("March 8", MON, "2022-03-08", "2022-03-08"),
    ("In April", dt.date(2023, 8, 19), "2023-04-01", "2023-04-30"),
    ("scheduled in September", dt.date(2023, 8, 19), "2023-09-01", "2023-09-30"),
    ("in September last year", dt.date(2023, 8, 19), "2022-09-01", "2022-09-30"),
    ("last fall", dt.date(2023, 8, 19), "2022-09-01", "2022-11-30"),
    ("third quarter of 2022", MON, "2022-07-01", "2022-09-30"),
    ("in October 2022", MON, "2022-10-01", "2022-10-31"),
]


@pytest.mark.parametrize("text,day,first,last", RULES, ids=[r[0] for r in RULES])
def test_rules(text, day, first, last):
    span = dates.resolve(text, day)
    assert (span.first.isoformat(), span.last.isoformat()) == (first, last)


def test_wording_outside_the_rules_is_not_guessed():
    for text in ("before the war", "a few weeks later", "over the past week", "the same evening"):
        assert dates.resolve(text, MON) is None


def test_a_unique_reading_must_be_carried_by_the_event():
    window = dates.window_days("2022-09-22", "2022-09-25")
    assert "expected that date" in dates.contradiction("on Thursday", None, "unknown", window)
    assert dates.contradiction("on Thursday", "2022-09-22", "day", window) is None
    assert "but the event says" in dates.contradiction("on Thursday", "2022-09-23", "day", window)


def test_a_reading_that_varies_across_the_window_stays_unresolved():
    window = dates.window_days("2022-09-22", "2022-09-25")
    assert dates.contradiction("tomorrow", None, "unknown", window) is None
    assert "does not fix" in dates.contradiction("tomorrow", "2022-09-23", "day", window)


def test_a_window_that_starts_before_its_own_last_week_allows_is_caught():
    # "last week" dated the week of 19 September: a window from Saturday 24 September reads it as the week of the 12th
    assert dates.contradiction("last week", "2022-09-19", "week", dates.window_days("2022-09-24", "2022-09-28"))
    assert dates.contradiction("last week", "2022-09-19", "week", dates.window_days("2022-09-26", "2022-09-27")) is None


def test_coarser_or_finer_resolutions_that_nest_do_not_contradict():
    hyrra = dates.window_days("2023-08-19", "2023-08-19")
    assert dates.contradiction("last fall", "2022-01-01", "year", hyrra) is None          # season kept at year precision
    assert dates.contradiction("in September last year", "2022-09-21", "day", hyrra) is None  # day from another source


def test_publication_windows_and_event_dates_in_the_data_never_contradict():
    t = {n: tables.read(n)[0] for n in ("events", "sources")}
    assert check_dates(t["events"], t["sources"]) == []


def test_moving_a_window_earlier_breaks_the_events_it_dates(tmp_path):
    sources, _ = tables.read("sources")
    events, _ = tables.read("events")
    for row in sources.rows:
        if row["id"] == "guardian_scared_want_to_run":
            row["published_not_before"] = "2022-09-24"  # the window before issue 10
    problems = check_dates(events, sources)
    assert problems and any("last week" in str(p) or "last Wednesday" in str(p) for p in problems)


def test_claim_periods_follow_the_same_rules():
    from exodus.stages.validate import check_claim_periods
    claims, _ = tables.read("claims")
    sources, _ = tables.read("sources")
    assert check_claim_periods(claims, sources) == []
    for row in claims.rows:
        if row["id"] == "gtc_baltic_states_no_asylum":  # "Thursday": left blank before issue 10
            row["period_start"] = row["period_end"] = None
    problems = check_claim_periods(claims, sources)
    assert len(problems) == 1 and "'Thursday' names 2022-09-22" in str(problems[0])


def test_an_event_bounded_from_its_anchor_is_worded_by_its_days_not_its_month():
    from exodus.model import wording
    event = {"date": "2022-09-01", "date_precision": "month", "not_before": "2022-09-22", "not_after": "2022-09-30",
             "date_text": "a few days after the Kremlin announced a mobilisation in September last year"}
    assert wording.event_text(event) == "22–30 September 2022"
    assert wording.event_text({**event, "not_before": None, "not_after": None}) == "September 2022"


def test_an_open_window_that_cannot_fix_a_date_says_what_to_do():
    days = dates.window_days("2022-10-11", None)  # an open window: not before 11 October 2022
    why = dates.contradiction("on Tuesday", "2022-10-11", "day", days)
    assert "leave date blank with date_precision 'unknown' (make draft does)" in why
    assert "narrow the source's publication window in sources.csv" in why
    assert dates.contradiction("on Tuesday", None, "unknown", days) is None  # what make draft writes passes
