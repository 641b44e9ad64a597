"""The evidence index at any size: events under their dates, every list in runs pandoc reads in bounded pieces."""
from exodus.engine import parse
from exodus.report import evidence, evidence_index

SOURCE = {"id": "s", "title": "An article", "path": "s.txt"}


def _event(i: int, date: str | None, precision: str = "day") -> dict:
    return {"id": f"e{i:04d}", "source_id": "s", "event": f"Happening {i}", "date": date, "date_precision": precision,
            "date_text": "on that day", "place": ""}


def test_events_are_listed_under_their_dates_in_runs_of_a_hundred():
    events = [_event(i, "2022-09-21") for i in range(250)] + [_event(900, "2022-10-01", "month"), _event(901, None)]
    t = {"sources": [SOURCE], "metrics": [], "claims": [], "people": [], "events": events}
    page = evidence_index.build(t, [], evidence.where(t, []))
    section = page[page.index("## Events by date"):]
    assert section.count("### ") == 3 and "### 21 September 2022 {#date-21-september-2022 .unnumbered}" in section
    assert "### October 2022 {#date-october-2022 .unnumbered}" in section and "### Date not known" in section
    day = section[section.index("### 21 September"):section.index("### October")]
    assert day.count("::: {.ev-run}") == 3 and day.count("\n- [") == 250  # 100, 100 and 50
    # No piece pandoc reads is larger than a run: the page splits at every run.
    largest = max(map(len, parse._leaves(parse.plan(page))))
    assert largest < 2 * len("\n".join(evidence_index.runs(day.split("\n")[2:102])))
