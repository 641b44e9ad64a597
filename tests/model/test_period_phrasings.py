"""Period wording as news copy writes it: every phrasing in the table dates its figure as tabled (issue 17, item 1).

Each row is a sentence, one figure in it, the source's publication day or window (not_after blank: an open
window), and the period a careful reader gives that figure: its wording and the days it fixes, blank where
the wording or the window does not fix them. The draft reads it (exodus.model.reading) as validation does.
"""
import csv
from pathlib import Path

import pytest

from exodus.model.reading import Sentence, read_sentence

TABLE = Path(__file__).resolve().parent.parent / "fixtures" / "period_phrasings.csv"
ROWS = list(csv.DictReader(TABLE.open(encoding="utf-8")))


def test_the_table_holds_at_least_eighty_period_phrasings():
    assert len({(r["sentence"], r["figure"]) for r in ROWS}) >= 80


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['figure']}|{r['sentence'][:50]}" for r in ROWS])
def test_period_phrasing_dates_its_figure_as_tabled(row):
    items = read_sentence(Sentence(0, row["sentence"]), row["not_before"] or None, row["not_after"] or None)
    claim = next((i for i in items if i.kind == "claim" and i.text == row["figure"]), None)
    assert claim is not None, [(i.kind, i.text) for i in items]
    p = claim.period
    got = (p.text if p else "", p.start.isoformat() if p and p.start else "", p.end.isoformat() if p and p.end else "")
    assert got == (row["period_text"], row["period_start"], row["period_end"])
