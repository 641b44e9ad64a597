"""A period that the quote's own wording contradicts is a located error: the quote is read as make draft reads it."""
import datetime as dt

from exodus import paths
from exodus.model.tables import Table
from exodus.stages.validate import check_claim_periods

QUOTE = ("200,000 Russian citizens have entered the country since Russian President Vladimir Putin announced "
         "a partial mobilization on September 21.")


def _table(name, rows):
    return Table(name, paths.table(name), list(rows[0]), rows, list(range(2, len(rows) + 2)))


def _claims(*periods):
    rows = []
    for n, (text, start, end) in enumerate(periods):
        rows.append({"id": f"c{n}", "source_id": "kz", "quote": QUOTE, "number_text": "200,000", "period_text": text,
                     "period_start": start, "period_end": end})
    return _table("claims", rows)


SOURCES = _table("sources", [{"id": "kz", "published_not_before": "2022-10-04", "published_not_after": "2022-10-04"}])
SINCE = "since Russian President Vladimir Putin announced a partial mobilization on September 21"


def test_a_date_read_out_of_its_since_wording_is_a_located_error():
    claims = _claims(("on September 21", dt.date(2022, 9, 21), dt.date(2022, 9, 21)),
                     (SINCE, dt.date(2022, 9, 21), None))
    found = check_claim_periods(claims, SOURCES)
    assert [(p.row, p.field) for p in found] == [(2, "period_text")]
    assert f"the quote reads {SINCE!r} as the period of '200,000': from 2022-09-21 on (no end)" in found[0].message
    assert "period_end blank" in found[0].message


def test_the_since_wording_itself_must_be_met():
    found = check_claim_periods(_claims((SINCE, dt.date(2022, 9, 21), dt.date(2022, 9, 21))), SOURCES)
    assert found == []  # an end the text does not give is the curator's to add (an as-of from elsewhere)
    found = check_claim_periods(_claims((SINCE, dt.date(2022, 9, 22), None)), SOURCES)
    assert len(found) == 1 and "misses from 2022-09-21 on" in found[0].message
