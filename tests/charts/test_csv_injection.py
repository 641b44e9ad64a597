"""Exported CSVs (figures/*.csv, build/derived.csv) never carry a live spreadsheet formula; curated data stays verbatim."""
import os
import subprocess
import sys

import pytest

from exodus.model import csv_out, derived_table
from exodus.tools import bench
from tests.conftest import read_rows, set_field

HYPERLINK = '=HYPERLINK("http://example.invalid/x","Click")'
DDE = "-2+3+cmd|' /C calc'!A0"
AT = "@SUM(1+1)"
PLUS = "+1+1 Kazakhstan"
SUM = "=SUM(A1:A2) Kazakhstan"


read = read_rows


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = bench.project_copy(tmp_path_factory.mktemp("inject") / "project")
    set_field(root, "claims", "mfr_turkey_air_arrivals_thousands", place=HYPERLINK)  # a place no narrative check binds
    set_field(root, "people", "mfr_sergei", name=AT)  # a destination must name a place; a name is free text
    set_field(root, "events", "dw_mobilisation_decree_2022", event=DDE)
    with (root / "data" / "derived.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"shortfall,kazakhstan_entries - kazakhstan_entries * 2,person,x_shortfall,{PLUS}\n")
        fh.write(f"summed,kazakhstan_entries * 1,person,x_summed,{SUM}\n")
    env = {**os.environ, "EXODUS_ROOT": str(root)}
    result = subprocess.run([sys.executable, "-m", "exodus.pipeline", "html"], cwd=root, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return root


def test_chart_csv_label_starting_with_equals_is_neutralised(built):
    labels = [r["label"] for r in read(built / "figures" / "exodus_scale.csv")]
    assert any(label.startswith("'" + HYPERLINK) for label in labels), labels
    assert not any(label.startswith(HYPERLINK) for label in labels)


def test_chart_csv_cell_starting_with_at_is_neutralised(built):
    assert "'" + AT in [r["name"] for r in read(built / "figures" / "people.csv")]


def test_chart_csv_cell_starting_with_minus_is_neutralised(built):
    labels = [r["label"] for r in read(built / "figures" / "timeline.csv")]
    assert "'" + DDE in labels and DDE not in labels


def test_derived_csv_text_cells_are_neutralised_and_negative_numbers_stay_numbers(built):
    rows = {r["id"]: r for r in read(built / "build" / "derived.csv")}
    assert rows["shortfall"]["description"] == "'" + PLUS
    assert rows["summed"]["description"] == "'" + SUM
    assert rows["shortfall"]["value"] == "-100000" and float(rows["shortfall"]["value"]) == -100000


def test_build_stages_read_the_exported_derived_csv_back_verbatim(built):
    rows = {r["id"]: r for r in derived_table.load(built / "build" / "derived.csv")}
    assert rows["shortfall"]["description"] == PLUS.strip() and rows["shortfall"]["value"] == -100000


def test_report_shows_the_text_as_curated(built):
    # a derived figure's description is shown on its evidence page, beside the report
    html = " ".join((built / "_output" / "evidence" / "derived.html").read_text(encoding="utf-8").split())
    assert "+1+1 Kazakhstan" in html and "&#39;+1+1" not in html and "'+1+1" not in html


def test_curated_tables_keep_the_text_verbatim(built):
    claims = read(built / "data" / "claims.csv")
    assert HYPERLINK in [r["place"] for r in claims]


@pytest.mark.parametrize("cell, exported", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-x", "'-x"), ("@A1", "'@A1"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("'quoted", "''quoted"), ("-12", "-12"), ("-1.5e3", "-1.5e3"), ("Kazakhstan", "Kazakhstan"), ("", ""),
])
def test_neutralise_and_restore_round_trip(cell, exported):
    assert csv_out.neutralise(cell) == exported
    assert csv_out.restore(exported) == cell
