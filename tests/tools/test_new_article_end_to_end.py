"""A new article flows in with no code change: add-source, draft, the blanks filled, and the report built."""
import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from exodus.tools import bench

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
EVENT_BLANKS = {"Oct 12": "Test Wire brief filed", "on Tuesday": "Kazakhstan interior ministry statement",
                "21 September": "Mobilisation announced"}


def run(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full = {**os.environ, "EXODUS_ROOT": str(root), **(env or {})}
    result = subprocess.run([sys.executable, *args], cwd=root, env=full, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def append(path: Path, new: list[dict]) -> None:
    fields = next(csv.reader(path.open(encoding="utf-8")))
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=fields, lineterminator="\n").writerows(new)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = bench.project_copy(tmp_path_factory.mktemp("article") / "project")
    run(root, "-m", "exodus.tools.add_source", str(ARTICLE), "--id", SOURCE, "--published", "2022-10-12",
        "--outlet", "Test Wire", "--title", "Exits from Russia continue into October")
    run(root, "-m", "exodus.tools.draft", env={"ID": SOURCE})
    drafts, data = root / "build" / "drafts", root / "data"
    claims = [{**c, **CLAIM_BLANKS[c["number_text"]]} for c in rows(drafts / f"{SOURCE}.csv")]
    people = [{**p, **PEOPLE_BLANKS[p["age_text"]]} for p in rows(drafts / f"{SOURCE}.people.csv")]
    events = [{**e, "event": EVENT_BLANKS[e["date_text"]]} for e in rows(drafts / f"{SOURCE}.events.csv")]
    append(data / "claims.csv", claims)
    append(data / "people.csv", people)
    append(data / "events.csv", events)
    run(root, "-m", "exodus.pipeline", "report")  # what make report runs
    return root


def test_every_drafted_figure_reaches_the_claims_appendix_and_the_report(built):
    appendix = (built / "_generated" / "_claims.md").read_text(encoding="utf-8")
    html = (built / "_output" / "report.html").read_text(encoding="utf-8")
    for n in (1, 2, 3):
        assert f"{SOURCE}_figure_{n:02d}" in appendix and f"{SOURCE}_figure_{n:02d}" in html
    assert "300-400 thousand" in html and "4,000 to 5,000" in html
    assert "[Hedge:]{.field-label} range · [Bounds:]{.field-label} 300\\,000 to 400\\,000" in appendix
    assert (built / "_output" / "report.pdf").stat().st_size > 0
    for appendix, ids in (("_people.md", ("person_01", "person_02")), ("_events.md", ("date_01", "date_02", "date_03")),
                          ("_source-view.md", ("figure_01", "figure_02", "figure_03"))):
        text = (built / "_generated" / appendix).read_text(encoding="utf-8")
        assert all(f"{SOURCE}_{i}" in text for i in ids), appendix
    sources = (built / "_generated" / "_sources.md").read_text(encoding="utf-8")
    assert "Exits from Russia continue into October" in sources and "Test Wire" in sources


def test_the_figures_are_plotted_with_their_bounds(built):
    plotted = {r["id"]: r for r in rows(built / "figures" / "exodus_scale.csv")}
    kz, ge, left = (plotted[f"{SOURCE}_figure_{n:02d}"] for n in (1, 2, 3))
    assert (kz["value"], kz["low"], kz["high"], kz["hedge"]) == ("200000", "0", "200000", "nearly")
    assert (ge["low"], ge["high"], ge["hedge"], ge["unit"]) == ("4000", "5000", "range", "person_per_day")
    assert (left["value"], left["low"], left["high"], left["hedge"]) == ("", "300000", "400000", "range")
    assert f"{SOURCE}_figure_03" in {r["id"] for r in rows(built / "figures" / "mobilisation.csv")}


def test_each_plotted_figure_carries_its_as_of_date_and_kazakhstan_becomes_a_series(built):
    plotted = {r["id"]: r for r in rows(built / "figures" / "exodus_scale.csv")}
    kz, ge, left = (plotted[f"{SOURCE}_figure_{n:02d}"] for n in (1, 2, 3))
    assert (kz["as_of"], kz["as_of_basis"]) == ("2022-10-10", "period end")  # "as of early October"
    assert (ge["as_of"], ge["as_of_basis"]) == ("2022-10-12", "period end")  # "over the past week"
    assert (left["as_of"], left["as_of_basis"]) == ("2022-10-12", "publication date")  # "since 21 September"
    earlier = plotted["kazakhstan_entries"]
    assert earlier["as_of"] == "2022-09-26/2022-10-02" and earlier["series"] and earlier["series"] == kz["series"]
    labels = {r["id"]: r["label"] for r in rows(built / "figures" / "mobilisation.csv")}
    assert labels[f"{SOURCE}_figure_03"].endswith("as of 12 Oct 2022")


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
