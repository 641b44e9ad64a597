"""Draft rows for wordings of fresh articles (wire copy, a live blog, a feature): each figure drafted with the value
written, the hedge its words set and the bounds validation accepts; what counts nothing is an exclusion."""
import pytest

from exodus.model.numbers import read_figure
from exodus.stages.validate import check_reading
from exodus.tools.draft import draft

SOURCE = {"id": "fresh", "title": "", "published": "2022-10-05", "published_not_before": "2022-10-05",
          "published_not_after": "2022-10-05"}

# (sentence, claims as (number_text, value, low, high, hedge, unit), ages drafted as people, exclusions' texts)
CASES = [
    ("Flight prices: a one-way ticket from Moscow to Yerevan now costs 120,000 roubles.",
     [("120,000 roubles", "120000", "120000", "120000", "exact", "RUB")], [], ["one"]),
    ("One-way economy tickets sold for 95,000 roubles, compared with about 20,000 roubles before.",
     [("95,000 roubles", "95000", "95000", "95000", "exact", "RUB"),
      ("20,000 roubles", "20000", "15000", "25000", "about", "RUB")], [], ["One"]),
    ("Igor, 31, arrived after a two-day drive.", [], ["31"], ["two"]),
    ("She does not know what became of them once they crossed the border again.", [], [], ["once"]),
    ("The teacher says that perhaps a dozen of her guests have already gone back.",
     [("a dozen", "12", "11.5", "12.5", "about", "")], [], []),
    ("Mongolia says 3,500 Russians entered, most of them men aged 25 to 40.",
     [("3,500", "3500", "3500", "3500", "exact", ""), ("25 to 40", "", "25", "40", "range", "")], [], []),
    # variants the rules were not tuned to
    ("Maybe 40 drivers waited after a three-hour queue; a room cost about 500 lari, and men aged 18-35 left.",
     [("40", "40", "35", "45", "about", ""), ("500 lari", "500", "450", "550", "about", "GEL"),
      ("18-35", "", "18", "35", "range", "")], [], ["three"]),
    ("A six-seat minibus charged some 3,000 tenge, a 19-year-old said.",
     [("3,000 tenge", "3000", "2500", "3500", "about", "KZT")], ["19"], ["six"]),
]


@pytest.mark.parametrize("sentence,claims,ages,excluded", CASES, ids=[c[0][:40] for c in CASES])
def test_fresh_wording_is_drafted_as_written_and_validation_accepts_it(sentence, claims, ages, excluded):
    rows = draft(SOURCE, sentence + "\n")
    got = [(r["number_text"], r["value"], r["low"], r["high"], r["hedge"], r["unit"]) for r in rows["claims"]]
    assert got == claims
    assert [p["age"] for p in rows["people"]] == ages
    assert [x["number_text"] for x in rows["exclusions"]] == excluded
    for r in rows["claims"]:
        assert "Validation would refuse" not in r["notes"], r["notes"]
        row = {**r, **{k: float(r[k]) if r[k] else None for k in ("value", "low", "high")}}
        assert check_reading(row, read_figure(r["number_text"])) == []
