"""Exported CSVs (figures/*.csv, build/derived.csv) never carry a live spreadsheet formula; curated data stays verbatim."""
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from exodus.model import csv_out, derived_table
from tests.conftest import copy_built, read_rows, set_field
from tests.render_kit import require

HYPERLINK = '=HYPERLINK("http://example.invalid/x","Click")'
DDE = "-2+3+cmd|' /C calc'!A0"
AT = "@SUM(1+1)"
PLUS = "+1+1 Kazakhstan"
SUM = "=SUM(A1:A2) Kazakhstan"
NON_ASCII = "Въезды в Казахстан — £5, “quoted” and ‘single’"
NAME = "Никита “Ник” £"


read = read_rows


@pytest.fixture(scope="module")
def built(built_report, tmp_path_factory):
    root = copy_built(built_report, tmp_path_factory.mktemp("inject") / "project")
    set_field(root, "claims", "mfr_turkey_air_arrivals_thousands", place=HYPERLINK)  # a place no narrative check binds
    set_field(root, "people", "mfr_sergei", name=AT)  # a destination must name a place; a name is free text
    set_field(root, "people", "dw_nikita", name=NAME)
    set_field(root, "events", "dw_mobilisation_decree_2022", event=DDE)
    with (root / "data" / "derived.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"shortfall,kazakhstan_entries - kazakhstan_entries * 2,person,x_shortfall,{PLUS}\n")
        fh.write(f"summed,kazakhstan_entries * 1,person,x_summed,{SUM}\n")
        fh.write(f"copied,kazakhstan_entries * 1,person,x_copied,\"{NON_ASCII}\"\n")
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


class _Cells(HTMLParser):
    """The table LibreOffice Calc writes: each cell's text and whether Calc holds it as a number (sdval)."""

    def __init__(self):
        super().__init__()
        self.rows, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag == "td":
            self._cell = ["", "sdval" in dict(attrs)]

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[0] += data

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.rows[-1].append(tuple(self._cell))
            self._cell = None


def calc(csv_path: Path, tmp: Path, infilter: str = "44,34,76,1") -> list[dict]:
    """The CSV as LibreOffice Calc opens it (UTF-8, comma-separated, its default reading of cells, or the
    import options given), read back from Calc's HTML export: one dict per row of column -> (text shown,
    held as a number)."""
    soffice = require("soffice")
    tmp.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
                             f"--infilter=Text - txt - csv (StarCalc):{infilter}", "--convert-to", "html",
                             "--outdir", str(tmp), str(csv_path)], capture_output=True, text=True, timeout=180,
                            env={**os.environ, "HOME": str(tmp)})
    page = tmp / (csv_path.stem + ".html")
    assert result.returncode == 0 and page.is_file(), result.stderr[-2000:]
    parser = _Cells()
    parser.feed(page.read_text(encoding="utf-8"))
    header = [text for text, _ in parser.rows[0]]
    return [dict(zip(header, row)) for row in parser.rows[1:] if row]


def test_derived_csv_opens_in_a_spreadsheet_with_numbers_as_numbers_and_text_as_text(built, tmp_path):
    rows = {r["id"][0]: r for r in calc(built / "build" / "derived.csv", tmp_path)}
    assert rows["shortfall"]["value"] == ("-100000", True)  # a negative number stays a number
    assert rows["summed"]["value"][1] and rows["copied"]["low"][1]
    # formula-like text stays text, never evaluated; Calc shows the neutralising apostrophe (Excel hides it)
    assert rows["shortfall"]["description"] == ("'" + PLUS, False)
    assert rows["summed"]["description"] == ("'" + SUM, False)
    assert rows["copied"]["description"] == (NON_ASCII, False)  # Cyrillic, £ and curly quotes survive


def test_chart_csvs_open_in_a_spreadsheet_with_numbers_as_numbers_and_text_as_text(built, tmp_path):
    scale = calc(built / "figures" / "exodus_scale.csv", tmp_path / "scale")
    kz = next(r for r in scale if r["id"][0] == "kazakhstan_entries")
    assert kz["value"] == ("100000", True) and kz["high"] == ("100000", True) and kz["low"] == ("", False)
    vague = next(r for r in scale if r["id"][0] == "men_left_hundreds_of_thousands")
    assert vague["number_text"] == ("hundreds of thousands", False) and vague["value"] == ("", False)
    assert vague["low"] == ("200000", True)
    assert any(r["label"][0].startswith("'" + HYPERLINK) and not r["label"][1] for r in scale)
    assert all(r["source_credits"][0] and not r["source_credits"][1] for r in scale)
    people = {r["id"][0]: r for r in calc(built / "figures" / "people.csv", tmp_path / "people")}
    assert people["mfr_sergei"]["name"] == ("'" + AT, False)
    assert people["dw_nikita"]["name"] == (NAME, False) and people["dw_nikita"]["age"] == ("", False)
    assert all(r["age"][1] for r in people.values() if r["age"][0])  # every stated age is a number
    timeline = calc(built / "figures" / "timeline.csv", tmp_path / "timeline")
    assert any(r["label"] == ("'" + DDE, False) for r in timeline)
