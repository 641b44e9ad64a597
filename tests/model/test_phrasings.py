"""Figures as newsrooms write them: every phrasing in the table reads to its value, bounds, hedge and unit."""
import csv
from pathlib import Path

import pytest

from exodus.model.numbers import read_figure
from exodus.model.spans import find_figures

TABLE = Path(__file__).resolve().parent.parent / "fixtures" / "phrasings.csv"
ROWS = list(csv.DictReader(TABLE.open(encoding="utf-8")))


def _number(text: str):
    return None if text == "" else float(text)


def test_the_table_covers_at_least_a_hundred_phrasings():
    assert len({r["phrasing"] for r in ROWS}) >= 100


@pytest.mark.parametrize("row", ROWS, ids=[r["phrasing"] for r in ROWS])
def test_phrasing_reads_as_tabled(row):
    reading = read_figure(row["phrasing"])
    assert reading is not None, f"{row['phrasing']!r} is not read"
    for field in ("value", "low", "high"):
        expected, got = _number(row[field]), getattr(reading, field)
        assert (got is None) == (expected is None), f"{field}: expected {expected}, got {got}"
        if expected is not None:
            assert got == pytest.approx(expected, rel=1e-12), field
    assert reading.hedge == row["hedge"]
    assert (reading.unit or "") == row["unit"]


@pytest.mark.parametrize("text", ["lots", "more than", "Sept. 21", "45-20", "", "far from", "between 7 and 3"])
def test_non_figures_are_refused(text):
    assert read_figure(text) is None


@pytest.mark.parametrize("sentence,whole,number_text", [
    ("The ministry said nearly 1 million people left.", "nearly 1 million", "1 million"),
    ("Some 300-400 thousand went to Georgia.", "Some 300-400 thousand", "300-400 thousand"),
    ("Officials counted between 600,000 and 700,000 by Friday.", "between 600,000 and 700,000", "between 600,000 and 700,000"),
    ("At 4,000 to 5,000 a day, queues grew.", "4,000 to 5,000", "4,000 to 5,000"),
    ("Prices rose 3.5 times in a week.", "3.5 times", "3.5 times"),
    ("One in five men had left.", "One in five", "One in five"),
    ("The total is far from 100,000, he said.", "far from 100,000", "100,000"),
    ("They each had 300,000 rubles saved.", "300,000 rubles", "300,000 rubles"),
    ("Several hundred protesters were held.", "Several hundred", "Several hundred"),
    ("Tickets cost \u00a34,800 on Monday.", "\u00a34,800", "\u00a34,800"),
])
def test_a_figure_in_running_text_is_found_whole(sentence, whole, number_text):
    found = find_figures(sentence)
    assert [f.text for f in found] == [whole]
    assert found[0].number_text == number_text
    assert sentence[found[0].start:found[0].end] == whole


def test_figures_side_by_side_stay_apart():
    found = find_figures("Kazakhstan counted 200,000 and Georgia 53,000, two of the five neighbours.")
    assert [f.text for f in found] == ["200,000", "53,000", "two", "five"]
