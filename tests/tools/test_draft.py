"""make draft: rows in the tables' own columns, drafted from the wording of a registered source."""
import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run_module

ARTICLE = REPO / "tests" / "fixtures" / "articles" / "test_fixture_wire_brief.txt"


def draft(root: Path, source_id: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "EXODUS_ROOT": str(root), "ID": source_id}
    return subprocess.run([sys.executable, "-m", "exodus.tools.draft"], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def drafted(mini_root):
    result = run_module("tools.add_source", mini_root, str(ARTICLE), "--id", "wire", "--published", "2022-10-12")
    assert result.returncode == 0, result.stderr
    result = draft(mini_root, "wire")
    assert result.returncode == 0, result.stderr
    return mini_root / "build" / "drafts"


def test_claim_rows_read_the_whole_figure_and_resolve_periods(drafted, mini_root):
    claims = rows(drafted / "wire.csv")
    header = (mini_root / "data" / "claims.csv").read_text(encoding="utf-8").splitlines()[0]
    assert (drafted / "wire.csv").read_text(encoding="utf-8").splitlines()[0] == header
    got = [(c["number_text"], c["value"], c["low"], c["high"], c["hedge"], c["place"], c["period_text"],
            c["period_start"], c["period_end"]) for c in claims]
    assert got == [
        ("200,000", "200000", "", "200000", "nearly", "Kazakhstan", "as of early October", "", "2022-10-10"),
        ("4,000 to 5,000", "", "4000", "5000", "range", "Georgia", "over the past week", "2022-10-06", "2022-10-12"),
        ("300-400 thousand", "", "300000", "400000", "range", "Russia", "since 21 September", "2022-09-21", ""),
    ]
    text = ARTICLE.read_text(encoding="utf-8")
    for c in claims:
        assert c["quote"] in text and c["quote"].count(c["number_text"]) == 1
        assert c["quote"].endswith(".")  # the whole sentence
        assert c["metric"] == c["attributed_to"] == c["attribution_type"] == c["subject"] == ""


def test_a_rate_after_a_figure_is_noted_with_the_per_day_units_of_the_units_table(mini_root, tmp_path):
    units = mini_root / "data" / "units.csv"
    units.write_text(units.read_text(encoding="utf-8") + "vehicle_per_day,vehicles a day,,,,a rate\n", encoding="utf-8")
    article = tmp_path / "rate.txt"
    article.write_text("Queue at the border\n\nOfficials said 6,000 a day crossed into Georgia. About 300 trucks waited.\n",
                       encoding="utf-8")
    assert run_module("tools.add_source", mini_root, str(article), "--id", "rate", "--published", "2022-10-12").returncode == 0
    assert draft(mini_root, "rate").returncode == 0
    notes = {c["number_text"]: c["notes"] for c in rows(mini_root / "build" / "drafts" / "rate.csv")}
    assert ("A rate follows the figure ('a day'): a unit per day from data/units.csv: person_per_day (people a day), "
            "vehicle_per_day (vehicles a day).") in notes["6,000"]
    assert "a day" not in notes["300"]


def test_people_and_events_are_drafted_beside_the_claims(drafted):
    people = [(p["name"], p["age_text"], p["destination"]) for p in rows(drafted / "wire.people.csv")]
    assert people == [("unnamed", "29", "Bishkek"), ("Pavel", "41", "Norway")]
    events = [(e["date_text"], e["date"], e["date_precision"], e["date_basis"]) for e in rows(drafted / "wire.events.csv")]
    assert events == [("Oct 12", "2022-10-12", "day", "resolved"), ("on Tuesday", "2022-10-11", "day", "resolved"),
                      ("21 September", "2022-09-21", "day", "resolved")]


def test_candidates_list_each_figure_once(drafted, mini_root):
    audit = run_module("stages.audit", mini_root, "--source", "wire")
    listed = [line.split(": ")[1].split(" uncovered")[0] for line in audit.stdout.splitlines()]
    assert listed == ["'Oct 12'", "'nearly 200,000'", "'4,000 to 5,000'", "'300-400 thousand'", "'21 September'", "'29'", "'41'"]
    # make candidates and make draft read the text by one rule: the dates listed are the dates drafted as events
    dates = [line.split(": ")[1].split(" uncovered")[0].strip("'") for line in audit.stdout.splitlines() if "(a date" in line]
    drafted_dates = [e["date_text"] for e in rows(drafted / "wire.events.csv")]
    assert dates == ["Oct 12", "21 September"] and set(dates) <= set(drafted_dates)


@pytest.mark.parametrize("value", ["", "x; touch pwned", "../etc", "Wire"])
def test_the_id_is_checked_before_anything_is_read(mini_root, value):
    result = draft(mini_root, value)
    assert result.returncode == 2 and "is not a source id" in result.stderr
    assert not (mini_root / "build").exists() and not (REPO / "pwned").exists()


def test_an_unregistered_id_names_the_known_sources(mini_root):
    result = draft(mini_root, "nowhere")
    assert result.returncode == 1 and "no source 'nowhere'" in result.stderr and "mini" in result.stderr


def test_sentences_are_exact_substrings_and_abbreviations_do_not_end_them():
    from exodus.tools.draft import occurrence, sentences
    text = "Head\n\nThey left on Sept. 21, Mr. Ivanov said. \u201cWe ran.\u201d They left. They left.\n"
    found = sentences(text)
    assert [s.text for s in found] == ["Head", "They left on Sept. 21, Mr. Ivanov said.", "\u201cWe ran.\u201d", "They left.", "They left."]
    assert all(text[s.start:s.start + len(s.text)] == s.text for s in found)
    assert [occurrence(text, s.text, s.start) for s in found[-2:]] == [1, 2]
