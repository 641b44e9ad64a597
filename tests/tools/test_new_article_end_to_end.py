"""A new article flows in with no code change: add-source, draft, the blanks filled, and the report built."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_built
from tests.tools import narrative_edits
from tests.tools.article_kit import append, rows, run

REPO = Path(__file__).resolve().parent.parent.parent
ARTICLE = REPO / "tests" / "fixtures" / "articles" / "test_fixture_wire_brief.txt"
SOURCE = "test_wire_brief"
# What a user decides for each drafted figure: everything else comes from the draft as written.
CLAIM_BLANKS = {
    "200,000": dict(metric="border_entries", unit="person", subject="Russians entering Kazakhstan",
                    attributed_to="Kazakhstan interior ministry (reported by Test Wire)", attribution_type="government"),
    "4,000 to 5,000": dict(metric="border_crossings_per_day", unit="person_per_day", subject="People crossing into Georgia at Upper Lars",
                           attributed_to="Border officials in Georgia", attribution_type="official"),
    "300-400 thousand": dict(metric="men_left_russia", unit="person", subject="Men who left Russia since the mobilisation",
                             attributed_to="Analysts (reported by Test Wire)", attribution_type="expert"),
}
PEOPLE_BLANKS = {"29": dict(occupation="programmer", status="fled", deserted="no"),
                 "41": dict(status="fled", deserted="no", route="by car")}
UPDATE = REPO / "tests" / "fixtures" / "articles" / "test_fixture_cumulative_update.txt"
UPDATE_SOURCE = "test_cumulative_update"
UPDATE_CLAIM = dict(
    id="test_update_kz_entries", source_id=UPDATE_SOURCE, number_text="400,000", value="400000", low="400000",
    quote="More than 400,000 Russian citizens have entered Kazakhstan since the mobilisation was announced, "
          "the Kazakh interior ministry said.", hedge="more than", unit="person", metric="border_entries",
    subject="Russians entering Kazakhstan", place="Kazakhstan", period_start="2022-09-21",
    attributed_to="Kazakh interior ministry (reported by Test Wire)", attribution_type="government", status="single")
EVENT_BLANKS = {"Oct 12": "Test Wire brief filed", "on Tuesday": "Kazakhstan interior ministry statement",
                "21 September": "Mobilisation announced"}





@pytest.fixture(scope="module")
def built(built_report, tmp_path_factory) -> Path:
    root = copy_built(built_report, tmp_path_factory.mktemp("article") / "project")
    run(root, "-m", "exodus.tools.add_source", str(ARTICLE), "--id", SOURCE, "--published", "2022-10-12",
        "--outlet", "Test Wire", "--title", "Exits from Russia continue into October")
    run(root, "-m", "exodus.tools.draft", env={"ID": SOURCE})
    drafts, data = root / "build" / "drafts", root / "data"
    claims = [{**c, **CLAIM_BLANKS[c["number_text"]]} for c in rows(drafts / f"{SOURCE}.csv")]
    people = [{**p, **PEOPLE_BLANKS[p["age_text"]]} for p in rows(drafts / f"{SOURCE}.people.csv")]
    events = [{**e, "event": EVENT_BLANKS[e["date_text"]]} for e in rows(drafts / f"{SOURCE}.events.csv")]
    append(data / "claims.csv", claims + [UPDATE_CLAIM])
    append(data / "people.csv", people)
    append(data / "events.csv", events)
    # A later cumulative report of Kazakhstan's entries, added with its figure decided by hand.
    run(root, "-m", "exodus.tools.add_source", str(UPDATE), "--id", UPDATE_SOURCE, "--published", "2022-11-29",
        "--outlet", "Test Wire", "--title", "Entries into Kazakhstan keep rising")
    first = subprocess.run([sys.executable, "-m", "exodus.pipeline", "report"], cwd=root, capture_output=True,
                           text=True, timeout=900, env={**os.environ, "EXODUS_ROOT": str(root)})
    assert first.returncode != 0, "the new articles falsify sentences of report.qmd; the build must stop"
    (root / "build" / "first-build.log").write_text(first.stdout + first.stderr, encoding="utf-8")
    narrative_edits.withdraw(root, first.stdout + first.stderr)  # the user rewrites the sentences the build named
    run(root, "-m", "exodus.pipeline", "report")  # what make report runs
    return root


def test_every_drafted_figure_reaches_its_evidence_page_and_the_report(built):
    page = (built / "evidence" / f"{SOURCE}.qmd").read_text(encoding="utf-8")
    html = (built / "_output" / "report.html").read_text(encoding="utf-8")
    html += (built / "_output" / "evidence" / f"{SOURCE}.html").read_text(encoding="utf-8")
    for n in (1, 2, 3):
        assert f"{SOURCE}_figure_{n:02d}" in page and f"{SOURCE}_figure_{n:02d}" in html
    assert "300-400 thousand" in html and "4,000 to 5,000" in html
    assert "[Hedge:]{.field-label} range · [Bounds:]{.field-label} 300\\,000 to 400\\,000" in page
    assert (built / "_output" / "report.pdf").stat().st_size > 0
    # Its people, events and quoted passages are on the same page, and the index lists it.
    for ids in (("person_01", "person_02"), ("date_01", "date_02", "date_03")):
        assert all(f"#{'person' if i.startswith('person') else 'event'}-{SOURCE}_{i}" in page for i in ids), ids
    assert all(f"#src-claim-{SOURCE}_figure_{n:02d}" in page for n in (1, 2, 3))
    assert "Exits from Russia continue into October" in page and "Test Wire" in page
    assert f'href="{SOURCE}.html"' in (built / "evidence" / "index.qmd").read_text(encoding="utf-8")


def test_the_figures_are_plotted_with_their_bounds(built):
    plotted = {r["id"]: r for r in rows(built / "figures" / "exodus_scale.csv")}
    kz, ge, left = (plotted[f"{SOURCE}_figure_{n:02d}"] for n in (1, 2, 3))
    assert (kz["value"], kz["low"], kz["high"], kz["hedge"]) == ("200000", "", "200000", "nearly")  # a ceiling has no low end
    assert (ge["low"], ge["high"], ge["hedge"], ge["unit"]) == ("4000", "5000", "range", "person_per_day")
    assert (left["value"], left["low"], left["high"], left["hedge"]) == ("", "300000", "400000", "range")
    # Men who left Russia are drawn with the exodus, never beside the call-up (mobilisation chart).
    assert f"{SOURCE}_figure_03" not in {r["id"] for r in rows(built / "figures" / "mobilisation.csv")}


def test_each_plotted_figure_carries_its_as_of_date_and_kazakhstan_becomes_a_series(built):
    plotted = {r["id"]: r for r in rows(built / "figures" / "exodus_scale.csv")}
    kz, ge, left = (plotted[f"{SOURCE}_figure_{n:02d}"] for n in (1, 2, 3))
    assert (kz["as_of"], kz["as_of_basis"]) == ("2022-10-10", "period end")  # "as of early October"
    assert (ge["as_of"], ge["as_of_basis"]) == ("2022-10-12", "period end")  # "over the past week"
    assert (left["as_of"], left["as_of_basis"]) == ("2022-10-12", "publication date")  # "since 21 September"
    earlier = plotted["kazakhstan_entries"]
    assert earlier["as_of"] == "2022-09-26/2022-10-02" and earlier["series"] and earlier["series"] == kz["series"]
    # A second report of men who left Russia joins AFP's as a series over time.
    assert left["series"] and left["series"] == plotted["men_left_hundreds_of_thousands"]["series"]


def test_the_new_destinations_count_in_the_people_statistics(built):
    people = {r["id"]: r for r in rows(built / "figures" / "people.csv")}
    assert people[f"{SOURCE}_person_01"]["country"] == "Kyrgyzstan"
    assert people[f"{SOURCE}_person_02"]["country"] == "Norway"
    derived = {r["id"]: r for r in rows(built / "build" / "derived.csv")}
    original = {r["id"]: r for r in rows(REPO / "data" / "derived.csv")}
    assert "people_accounts" in original
    # Accounts are the rows that accompany no one (companion_of blank): the two new people are accounts.
    accounts = [r for r in rows(REPO / "data" / "people.csv") if not r.get("companion_of")]
    assert int(derived["people_accounts"]["value"]) == len(accounts) + 2


def test_sentences_the_new_articles_falsify_stop_the_first_build_at_their_lines(built):
    log = (built / "build" / "first-build.log").read_text(encoding="utf-8")
    lines = (REPO / "report.qmd").read_text(encoding="utf-8").split("\n")
    named = {check: (n, text) for n, text, check in narrative_edits.falsified(log)}
    # A second dated article: "Only one article prints its date" is false, at each line that says it.
    n, text = named["one_dated_article"]
    assert text.strip("'\"") in lines[n - 1] and "test_wire_brief" in log
    # A count of the men who left Russia: "No article counts..." names the new claim.
    assert "also test_wire_brief_figure_03" in log and "no_count_of_the_exodus" in named
    # A later Kazakhstan report: the key figure that names the September claim is no longer the latest.
    assert "the latest report of border_entries for Kazakhstan is test_update_kz_entries" in log
    assert "kazakhstan_key_figure_is_latest" in named


def test_cumulative_reports_months_apart_are_a_series_in_date_order_not_a_disagreement(built):
    found = rows(built / "build" / "discrepancies.csv")
    assert not [r for r in found if "kazakhstan_entries" in r["claim_ids"] and r["kind"] != "contrast"], found
    plotted = [r for r in rows(built / "figures" / "exodus_scale.csv") if r["metric"] == "border_entries"
               and r["label"].startswith("Kazakhstan")]
    assert [r["id"] for r in plotted] == ["kazakhstan_entries", f"{SOURCE}_figure_01", "test_update_kz_entries"]
    assert len({r["series"] for r in plotted}) == 1


def test_the_headline_names_the_latest_report_for_kazakhstan(built):
    variables = (built / "_variables.yml").read_text(encoding="utf-8")
    assert "entries_kazakhstan: '[more than 400\\,000](#claim-test_update_kz_entries)" in variables
    html = (built / "_output" / "report.html").read_text(encoding="utf-8")
    assert 'data-claim="test_update_kz_entries"' in html
