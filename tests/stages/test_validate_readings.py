"""Validation accepts every reading's hedge (ranges, denials), checks units the wording fixes, places and misplaced dates."""
import csv
from pathlib import Path

import pytest

from tests.conftest import run_module

TEXT = ("Wire test\n\nBetween 600,000 and 700,000 men left, far from 100,000 as claimed. "
        "Tickets rose 3.5 times to \u00a34,800.\n")


def append(root: Path, table: str, **row: str) -> int:
    """Append a row (missing fields blank); returns its line number in the file."""
    path = root / "data" / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        fields = next(csv.reader(fh))
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=fields, lineterminator="\n").writerow(row)
    return len(path.read_text(encoding="utf-8").splitlines())


def claim(**over: str) -> dict:
    base = dict(id="wire_range", source_id="wire", quote="Between 600,000 and 700,000 men left, far from 100,000 as claimed.",
                number_text="Between 600,000 and 700,000", low="600000", high="700000", hedge="range", unit="person",
                metric="border_entries", subject="men who left", attributed_to="unknown outlet", attribution_type="outlet",
                status="single")
    return {**base, **over}


@pytest.fixture
def wire(mini_root, tmp_path):
    article = tmp_path / "wire.txt"
    article.write_text(TEXT, encoding="utf-8")
    assert run_module("tools.add_source", mini_root, str(article), "--id", "wire").returncode == 0
    return mini_root


def test_a_range_claim_and_a_denial_are_valid(wire):
    append(wire, "claims", **claim())
    append(wire, "claims", **claim(id="wire_denied", number_text="100,000", low="", high="", hedge="denied"))
    result = run_module("stages.validate", wire)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("over,column,message", [
    (dict(hedge="exact", value="600000"), "hedge", "is a range; expected hedge 'range'"),
    (dict(low="600", high="700"), "low", "implies low=600000 high=700000"),
    (dict(id="wire_denied", number_text="100,000", low="100000", high="", hedge="denied"), "value", "bounds nothing"),
    (dict(id="wire_denied", number_text="100,000", low="100000", high="", hedge="more than", value="100000"), "hedge", "expected hedge 'denied'"),
    (dict(quote="Tickets rose 3.5 times to \u00a34,800.", number_text="\u00a34,800", value="4800", low="4800", high="4800",
          hedge="exact", unit="person"), "unit", "fixes the unit 'GBP'"),
])
def test_a_claim_that_contradicts_its_wording_is_refused_at_its_cell(wire, over, column, message):
    line = append(wire, "claims", **claim(**over))
    result = run_module("stages.validate", wire)
    assert result.returncode == 1
    hits = [l for l in result.stderr.splitlines() if l.startswith(f"data/claims.csv:{line}:") and f"[{column}]" in l]
    assert any(message in l for l in hits), result.stderr


def test_an_excluded_date_is_refused_saying_dates_belong_in_events(wire):
    line = append(wire, "exclusions", id="wire_date", source_id="mini", quote="since Sept. 21", number_text="21",
                  reason="date", note="a date")
    result = run_module("stages.validate", wire)
    assert result.returncode == 1
    refusal = next(l for l in result.stderr.splitlines() if l.startswith(f"data/exclusions.csv:{line}:6:"))
    assert "[reason]" in refusal and "record it in data/events.csv" in refusal


@pytest.mark.parametrize("destination,ok", [("Norway", True), ("Bishkek", True), ("Atlantis", False), ("Georgia or Armenia", False)])
def test_a_destination_must_name_one_known_place(wire, destination, ok):
    line = append(wire, "people", id="wire_person", source_id="wire", quote="Tickets rose 3.5 times to \u00a34,800.",
                  name="unnamed", destination=destination, status="fled")
    result = run_module("stages.validate", wire)
    refusal = [l for l in result.stderr.splitlines() if l.startswith(f"data/people.csv:{line}:11: [destination]")]
    if ok:
        assert not refusal, result.stderr
    else:
        assert refusal and "data/places.csv" in refusal[0]


@pytest.mark.parametrize("quote, hedge", [
    ("Officials counted more than 1,000 people.", "more than"), ("OFFICIALS COUNTED MORE THAN 1,000.", "more than"),
    ("Just Over 1,000 left.", "more than"), ("It cost upwards of $1,000.", "more than"), ("Some estimated an 1,000", "about"),
    ("left, far from 1,000.", "denied"), ("counted more than\u00a01,000 people.", "more than"),  # any white space
    ("It cost more than \u00a31,000 in Moscow.", "more than"), ("It cost well over \u20ac1,000 at the border.", "more than"),
    ("Crowds of over-1,000 people.", None), ("The moreover 1,000", None), ("The ministry said 1,000 people.", None),
    ("Almost exactly 1,000", "about"), ("\u00c9tait nearly 1,000", "nearly"), ("nearly1,000", None),
])
def test_the_hedge_words_before_a_figure_are_read_in_any_case_and_spacing(quote, hedge):
    from exodus.stages.validate import hedge_in_wording
    assert hedge_in_wording(quote, "1,000") == hedge


def test_a_period_its_wording_fixes_must_be_given_and_met():
    from exodus import paths
    from exodus.model.tables import Table
    from exodus.stages.validate import check_claim_periods

    def table(name, rows):
        return Table(name, paths.table(name), list(rows[0]), rows, list(range(2, len(rows) + 2)))

    sources = table("sources", [{"id": "g", "published_not_before": "2022-09-26", "published_not_after": "2022-09-27"},
                                {"id": "open", "published_not_before": None, "published_not_after": None}])
    rows = [{"id": f"c{i}", "source_id": "g", "period_text": None, "period_start": None, "period_end": None} for i in range(5)]
    rows[1].update(period_text="last week")  # the week of 19 September from either day of the window
    rows[2].update(period_text="last week", period_start="2022-09-19", period_end="2022-09-25")
    rows[3].update(period_text="last week", period_start="2022-10-03")
    rows[4].update(period_text="last week", source_id="open")  # no window: nothing fixed
    found = [(p.row, p.column, p.message) for p in check_claim_periods(table("claims", rows), sources)]
    assert found == [(3, 4, "'last week' names 2022-09-19 to 2022-09-25 for every day of the source's window; "
                            "expected period_start/period_end, not blank"),
                     (5, 4, "period 2022-10-03 to … misses 2022-09-19 to 2022-09-25, which 'last week' names under the date rules")]
