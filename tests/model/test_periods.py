"""Period wording resolved against the publication day or window, and left open where the window cannot decide."""
import datetime as dt

import pytest

from exodus.model.periods import find_dates, find_period

D = dt.date


@pytest.mark.parametrize("sentence,nb,na,text,start,end", [
    ("Thousands crossed last week.", "2022-09-28", "2022-09-28", "last week", D(2022, 9, 19), D(2022, 9, 25)),
    ("He found a seat on Monday.", "2022-09-26", "2022-10-02", "on Monday", D(2022, 9, 26), D(2022, 9, 26)),
    ("100,000 entered since Putin announced the call-up on Sept. 21.", "2022-09-26", "2022-10-02",
     "since Putin announced the call-up on Sept. 21", D(2022, 9, 21), None),
    ("Entries reached 200,000 as of early October.", "2022-10-12", "2022-10-12", "as of early October", None, D(2022, 10, 10)),
    ("It was done in October 2022, officials said.", "2023-08-19", "2023-08-19", "in October 2022", D(2022, 10, 1), D(2022, 10, 31)),
    ("5,000 a day since 21 September.", "2022-10-01", "2022-10-01", "since 21 September", D(2022, 9, 21), None),
    ("Queues grew over the past week.", "2022-10-12", "2022-10-12", "over the past week", D(2022, 10, 6), D(2022, 10, 12)),
    ("The news broke yesterday.", "2022-10-12", "2022-10-12", "yesterday", D(2022, 10, 11), D(2022, 10, 11)),
])
def test_period_hints_resolve_against_publication(sentence, nb, na, text, start, end):
    p = find_period(sentence, nb, na)
    assert (p.text, p.start, p.end) == (text, start, end)


def test_a_weekday_the_window_cannot_fix_stays_open():
    p = find_period("Protests began on Wednesday.", "2022-09-24", "2022-09-30")
    assert p.text == "on Wednesday" and p.start is None and p.end is None and p.precision == "unknown"


def test_a_year_in_the_wording_is_stated():
    assert find_period("In 2024 they planned to study.", None, None).stated


def test_dates_in_a_sentence_are_found_once_each():
    found = find_dates("ALMATY, Oct 12 - the ministry said on Tuesday that 5,000 left in October 2022.", "2022-10-12", "2022-10-12")
    assert [(p.text, p.start) for _, _, p in found] == [
        ("Oct 12", D(2022, 10, 12)), ("on Tuesday", D(2022, 10, 11)), ("in October 2022", D(2022, 10, 1))]
