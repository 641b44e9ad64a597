"""As-of dates: the claim's period end, else the source's publication date, else its window."""
import pytest

from exodus.model import asof


@pytest.mark.parametrize("claim,source,expected,iso,text", [
    ({"period_end": "2022-09-21"}, {"published": "2023-08-19"}, ("2022-09-21", "2022-09-21", asof.PERIOD_END),
     "2022-09-21", "as of 21 Sep 2022"),
    ({"period_end": ""}, {"published": "2023-08-19"}, ("2023-08-19", "2023-08-19", asof.PUBLISHED),
     "2023-08-19", "as of 19 Aug 2023"),
    ({}, {"published": "", "published_not_before": "2022-09-26", "published_not_after": "2022-10-02"},
     ("2022-09-26", "2022-10-02", asof.WINDOW), "2022-09-26/2022-10-02", "between 26 Sep and 2 Oct 2022"),
    ({}, {"published_not_before": "2022-12-30", "published_not_after": "2023-01-02"},
     ("2022-12-30", "2023-01-02", asof.WINDOW), "2022-12-30/2023-01-02", "between 30 Dec 2022 and 2 Jan 2023"),
    ({}, {"published_not_before": "2022-10-01"}, ("2022-10-01", None, asof.WINDOW), "2022-10-01/..",
     "on or after 1 Oct 2022"),
    ({}, {}, (None, None, asof.UNKNOWN), "", "date unknown"),
])
def test_as_of_prefers_the_period_then_the_publication_date_then_its_window(claim, source, expected, iso, text):
    a = asof.as_of(claim, source)
    assert (a.start, a.end, a.basis) == expected
    assert a.iso() == iso
    assert asof.text(a) == text


def test_a_window_is_drawn_at_its_middle_and_ordered_by_its_last_day():
    a = asof.as_of({}, {"published_not_before": "2022-09-26", "published_not_after": "2022-10-02"})
    assert asof.midpoint(a) == "2022-09-29"
    later = asof.as_of({}, {"published": "2022-10-05"})
    assert sorted([later, a], key=asof.AsOf.sort_key) == [a, later]
