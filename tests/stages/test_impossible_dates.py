"""A day the month does not have ("September 31") is a located error in make check and a note in make draft, never a traceback."""
import csv
import os
import subprocess
import sys

from tests.conftest import REPO, run_module

SENTENCE = "Officials said 5,000 people crossed on September 31, the ministry said."


def _append(path, row):
    fields = next(csv.reader(path.open(encoding="utf-8")))
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=fields, lineterminator="\n").writerow(row)


def _registered(root, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(f"Border report\n\n{SENTENCE}\n", encoding="utf-8")
    assert run_module("tools.add_source", root, str(article), "--id", "odd", "--published", "2022-10-12").returncode == 0


def test_an_event_dated_september_31_is_a_located_error_in_check(mini_root, tmp_path):
    _registered(mini_root, tmp_path)
    events = mini_root / "data" / "events.csv"
    _append(events, {"id": "odd_day", "source_id": "odd", "quote": SENTENCE, "date_text": "September 31",
                     "event": "Crossing", "date": "2022-09-30", "date_precision": "day", "date_basis": "resolved",
                     "anchor": "published 2022-10-12"})
    line = len(events.read_text(encoding="utf-8").splitlines())
    result = run_module("stages.validate", mini_root)
    assert "Traceback" not in result.stderr and result.returncode == 1
    assert f"events.csv:{line}:" in result.stderr
    assert "'September 31' names no calendar day (September has 30 days)" in result.stderr


def test_a_claim_period_of_september_31_is_a_located_error_in_check(mini_root, tmp_path):
    _registered(mini_root, tmp_path)
    claims = mini_root / "data" / "claims.csv"
    fields = next(csv.reader(claims.open(encoding="utf-8")))
    row = dict.fromkeys(fields, "")
    row.update(id="odd_crossed", source_id="odd", quote=SENTENCE, number_text="5,000", value="5000", low="5000",
               high="5000", hedge="exact", unit="person", metric=next(csv.DictReader((mini_root / "data" / "metrics.csv").open()))["id"],
               subject="People crossing", period_text="on September 31", attributed_to="Officials",
               attribution_type="official", status="single")
    _append(claims, row)
    result = run_module("stages.validate", mini_root)
    assert "Traceback" not in result.stderr
    assert "'on September 31' names no calendar day (September has 30 days)" in result.stderr


def test_make_draft_notes_september_31_instead_of_crashing(mini_root, tmp_path):
    _registered(mini_root, tmp_path)
    env = {**os.environ, "EXODUS_ROOT": str(mini_root), "ID": "odd"}
    result = subprocess.run([sys.executable, "-m", "exodus.tools.draft"], cwd=REPO, env=env, capture_output=True, text=True)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    drafts = mini_root / "build" / "drafts"
    events = list(csv.DictReader((drafts / "odd.events.csv").open(encoding="utf-8")))
    odd = next(e for e in events if "31" in e["date_text"])
    assert odd["date"] == "" and odd["date_precision"] == "unknown" and "names no calendar day" in odd["notes"]
    claim = next(csv.DictReader((drafts / "odd.csv").open(encoding="utf-8")))
    assert claim["period_start"] == claim["period_end"] == "" and "names no calendar day" in claim["notes"]
