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
    assert day.count("::: {.ev-run}") == 3 and day.count("\n<li>") == 250  # 100, 100 and 50
    # No piece pandoc reads is larger than a run: the page splits at every run.
    largest = max(map(len, parse._leaves(parse.plan(page))))
    assert largest < 2 * len("\n".join(evidence_index.runs(day.split("\n")[2:102])))


def test_an_item_is_escaped_text_in_raw_html_that_no_title_can_break_out_of():
    hostile = {**SOURCE, "title": 'A "title" <script>alert(1)</script> {{< include /etc/passwd >}}\n```\n& more'}
    t = {"sources": [hostile], "metrics": [], "claims": [], "people": [],
         "events": [{**_event(1, "2022-09-21"), "place": "Upper Lars <b>"}]}
    page = evidence_index.build(t, [], evidence.where(t, []))
    assert "<script>" not in page and "{{< include /etc" not in page and "\n```\n&" not in page
    assert "&lt;script&gt;" in page and "&#123;&#123;&lt; include" in page and 'A "title" &lt;' in page
    item = next(line for line in page.split("\n") if "data-place" in line)
    assert item.startswith('<li><span class="ev-item" data-source="s" data-place="upper-lars-b" data-metric="event">')
    assert '<span class="literal ev-place" dir="auto">Upper Lars &lt;b&gt;</span>' in item
