"""The downloads' columns of an article's own words open in a spreadsheet as written, the way their READMEs
tell; the CSVs themselves stay plain."""
from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from exodus.charts import bundles
from exodus.model import spreadsheets
from exodus.report import data_package
from tests.charts.test_csv_injection import calc
from tests.render_kit import REPO

PACKAGE_CSVS = ["claims.csv", "events.csv", "people.csv", "statements.csv"]
CHART_CSVS = ["figures/exodus_scale.csv", "figures/cost_of_leaving.csv"]


def _rows(path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames), list(reader)


def test_the_wording_columns_are_the_ones_named_text_and_calc_is_told_to_read_them_as_text():
    header = ["id", "quote", "number_text", "value", "date_text", "date"]
    assert spreadsheets.text_columns(header) == ["number_text", "date_text"]
    assert spreadsheets.calc_import(header) == "44,34,76,1,3/2/5/2"
    assert spreadsheets.advice({"x.csv": ["id", "value"]}) == []


def test_opened_with_a_double_click_calc_changes_the_figures_as_written(tmp_path):
    """Why the READMEs say anything: Calc's own reading turns "100,000" into 100000 and "Sept. 21" into a date."""
    header, rows = _rows(REPO / "data" / "claims.csv")
    seen = calc(REPO / "data" / "claims.csv", tmp_path)
    changed = {r["number_text"] for r, c in zip(rows, seen) if c["number_text"] != (r["number_text"], False)}
    assert {"100,000", "80%"} <= changed


@pytest.mark.parametrize("name", PACKAGE_CSVS + CHART_CSVS)
def test_imported_as_the_readme_says_every_wording_cell_keeps_its_words(name, tmp_path):
    path = REPO / name if name.startswith("figures/") else REPO / "data" / name
    header, rows = _rows(path)
    columns = spreadsheets.text_columns(header)
    assert columns, f"{name} has no column of written words"
    seen = calc(path, tmp_path, spreadsheets.calc_import(header))
    assert len(seen) == len(rows)
    for row, cells in zip(rows, seen):
        for column in columns:
            assert cells[column] == (row[column], False), (name, row.get("id"), column)
    if "value" in header:  # the numbers beside them stay numbers
        assert all(cells["value"][1] for cells in seen if cells["value"][0])


def test_the_data_package_and_chart_bundle_readmes_tell_how_and_the_csvs_stay_plain(tmp_path):
    readme = data_package.readme(REPO).decode("utf-8")
    assert "## Opening the CSV files in a spreadsheet" in readme
    assert "`number_text`" in readme and "`claims.csv`" in readme and "`date_text`" in readme
    index = json.loads((REPO / "figures" / "figures.json").read_text(encoding="utf-8"))
    meta = {**index["figures"]["exodus_scale"], "id": "exodus_scale"}
    with zipfile.ZipFile(io.BytesIO(bundles.bundle_bytes(REPO / "figures", meta, "R", "1"))) as z:
        text = z.read("exodus_scale/README.md").decode("utf-8")
        assert z.read("exodus_scale/exodus_scale.csv") == (REPO / "figures" / "exodus_scale.csv").read_bytes()
    assert "Opening the CSV files in a spreadsheet" in text and "`number_text` in `exodus_scale.csv`" in text
    meta = {**index["figures"]["people"], "id": "people"}
    with zipfile.ZipFile(io.BytesIO(bundles.bundle_bytes(REPO / "figures", meta, "R", "1"))) as z:
        assert "Opening the CSV" not in z.read("people/README.md").decode("utf-8")  # no wording column, no advice
    assert '"100,000"' in (REPO / "figures" / "exodus_scale.csv").read_text(encoding="utf-8")
