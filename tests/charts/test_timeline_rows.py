"""Timeline rows: one mark per happening, dates at their precision, a window that fits the story."""
import copy

import pytest

from exodus.charts import figures
from exodus.stages import derive
from tests.charts.test_charts import FIX

CUR = figures.curation(FIX / "charts.yml")


@pytest.fixture()
def t():
    t = copy.deepcopy(derive.load_tables(FIX, names=figures.TABLES))
    base = next(e for e in t["events"] if e["id"] == "mobilisation_announced")
    t["events"] += [
        {**base, "id": "announced_again", "source_id": "hyrra_afp_returnees", "date_basis": "resolved"},
        {**base, "id": "promise_in_march", "event": "A promise", "date": "2022-03-08"},
        {**base, "id": "decree_year", "event": "The decree", "date": "2022-01-01", "date_precision": "year"},
    ]
    return t


def _rows(t, cur=CUR):
    rows, extra = figures.chart_rows("timeline", t, [], cur)
    return {r["id"]: r for r in rows}, extra


def _with_group(events):
    cur = copy.deepcopy(CUR)
    cur.charts["timeline"].options["same_happening"] = [{"label": "Putin announces", "events": events}]
    return cur


def test_events_that_denote_one_happening_are_one_mark_with_all_their_sources(t):
    rows, extra = _rows(t, _with_group(["mobilisation_announced", "announced_again"]))
    mark = rows["mobilisation_announced"]
    assert "announced_again" not in rows
    assert mark["label"] == "Putin announces" and mark["shape"] == "point"
    assert mark["event_ids"] == "announced_again;mobilisation_announced"
    assert mark["source_ids"] == "hyrra_afp_returnees;men_fleeing_russia"
    assert mark["basis"] == "stated"  # one member states the day


def test_a_group_of_different_dates_is_refused_naming_the_chart_and_key(t):
    with pytest.raises(ValueError, match="chart 'timeline', key 'same_happening'.*promise_in_march 2022-03-08"):
        _rows(t, _with_group(["mobilisation_announced", "promise_in_march"]))


def test_a_year_is_listed_not_drawn_and_the_window_keeps_to_the_story(t):
    rows, extra = _rows(t)
    assert rows["decree_year"]["drawn"] == "no: coarse" and rows["mobilisation_began_quarter"]["drawn"] == "no: coarse"
    assert rows["promise_in_march"]["drawn"] == "no: outside"
    assert rows["mobilisation_completed_reported"]["shape"] == "bracket"
    assert (rows["mobilisation_completed_reported"]["start"], rows["mobilisation_completed_reported"]["end"]) == \
        ("2022-10-01", "2022-10-31")
    assert (extra["window_start"], extra["window_end"]) == ("2022-09-21", "2022-10-31")
    assert "The decree (2022" in extra["coarse_list"] and "A promise (8 March 2022" in extra["outside_list"]
    assert extra["coarse"] == 2 and extra["outside"] >= 1


def test_an_event_bounded_from_its_anchor_is_drawn_over_those_days_only(t):
    # "a few days after" the announcement: the month is its precision, not the span drawn
    t["events"].append({**t["events"][0], "id": "left_a_few_days_after", "event": "He left", "date": "2022-09-01",
                        "date_precision": "month", "not_before": "2022-09-22", "not_after": "2022-09-30"})
    rows, _ = _rows(t)
    assert (rows["left_a_few_days_after"]["start"], rows["left_a_few_days_after"]["end"]) == ("2022-09-22", "2022-09-30")
