"""Correct one reported figure in the data and the old number disappears from every output.

The copy changes the source text, its checksum and the claim, as a curator correcting a figure would;
the build must then show the new figure everywhere (report, PDF, charts, figures.json) and carry it
into the figures derived from it.
"""
import csv
import hashlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_built
from tests.render_kit import pdf_text

OLD, NEW = "10,000", "12,000"
CLAIM = "georgia_crossings_per_day"
DERIVED = "georgia_crossings_before"
OLD_NUMBER = re.compile(r"(?<![\d.,])10,?000(?![\d,]*\d)")


def _edit_csv(path: Path, key: str, match, update) -> None:
    text = path.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    fields = list(rows[0])
    for row in rows:
        if match(row):
            update(row)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def correct_the_figure(root: Path) -> None:
    sources = root / "data" / "sources.csv"
    row = next(r for r in csv.DictReader(io.StringIO(sources.read_text(encoding="utf-8"))) if r["id"] == "men_fleeing_russia")
    text_path = root / "data" / row["path"]
    text = text_path.read_bytes()
    assert text.count(OLD.encode()) == 1
    text_path.write_bytes(text.replace(OLD.encode(), NEW.encode()))
    digest = hashlib.sha256(text_path.read_bytes()).hexdigest()
    _edit_csv(sources, "id", lambda r: r["id"] == "men_fleeing_russia", lambda r: r.update(sha256=digest))

    def fix(r):
        r["quote"] = r["quote"].replace(OLD, NEW)
        for field in ("number_text", "value", "low", "high"):
            r[field] = r[field].replace(OLD, NEW).replace(OLD.replace(",", ""), NEW.replace(",", ""))
    _edit_csv(root / "data" / "claims.csv", "id", lambda r: OLD in r["quote"], fix)
    for table in ("exclusions", "events", "people"):
        _edit_csv(root / "data" / f"{table}.csv", "id", lambda r: OLD in r.get("quote", ""),
                  lambda r: r.update(quote=r["quote"].replace(OLD, NEW)))


def derived_value(root: Path, key: str) -> str:
    rows = csv.DictReader(io.StringIO((root / "build" / "derived.csv").read_text(encoding="utf-8")))
    return next(r["value"] for r in rows if r["id"] == key)


@pytest.fixture(scope="module")
def corrected(built_report, tmp_path_factory) -> tuple[Path, str]:
    root = copy_built(built_report, tmp_path_factory.mktemp("figure-change") / "project")
    env = {**os.environ, "EXODUS_ROOT": str(root)}
    before = derived_value(root, DERIVED)
    correct_the_figure(root)
    again = subprocess.run([sys.executable, "-m", "exodus.pipeline", "report"], cwd=root, env=env,
                           capture_output=True, text=True, timeout=1200)
    assert again.returncode == 0, again.stderr[-3000:]
    return root, before


def test_the_old_number_appears_in_no_output(corrected):
    root, _ = corrected
    outputs = [root / "_output" / "report.html", root / "_variables.yml", root / "figures" / "figures.json"]
    outputs += sorted((root / "figures").glob("*.svg")) + sorted((root / "figures").glob("*.csv"))
    outputs += sorted((root / "_generated").glob("*"))
    for path in outputs:
        text = re.sub(r"data:[^\"')]+", "", path.read_text(encoding="utf-8"))
        # An axis tick that happens to read 10,000 is a scale mark, not the reported figure.
        text = re.sub(r'<g id="tick_[^"]*">.*?</g>', "", text, flags=re.S)
        assert not OLD_NUMBER.findall(text), f"{path.relative_to(root)} still shows {OLD}"
    # In the PDF ticks cannot be told apart from text: look for the figure as the report words it.
    assert f"at least {OLD}" not in pdf_text(root / "_output" / "report.pdf")


def test_the_new_number_and_the_figures_derived_from_it_reach_the_report(corrected):
    root, before = corrected
    html = (root / "_output" / "report.html").read_text(encoding="utf-8")
    assert NEW in html and NEW in pdf_text(root / "_output" / "report.pdf")
    after = derived_value(root, DERIVED)
    assert float(after) != float(before)
    assert float(after) == pytest.approx(float(before) * 12 / 10)
