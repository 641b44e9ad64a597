"""Curated text is shown as written by every stage of the real build: matplotlib, pandoc, typst and the browser interpret none of it."""
import csv
import os
import subprocess
import sys

import pytest

from tests.conftest import copy_built, set_field
from tests.render_kit import pdf_text

MATH = r"$x^$ and $\frac$"  # two pairs of dollars, invalid mathtext: crashed the chart stage
PLACE = MATH + ' <script>alert(1)</script> #read("/etc/passwd") {{< var claim.kazakhstan_entries >}} @fig-exodus_scale *bold*'
NAME = "Ivan $5 and $10"


@pytest.fixture(scope="module")
def built(built_report, tmp_path_factory):
    root = copy_built(built_report, tmp_path_factory.mktemp("literal") / "project")
    set_field(root, "claims", "mfr_turkey_air_arrivals_thousands", place=PLACE)  # a place no narrative check binds
    set_field(root, "people", "mfr_sergei", notes=NAME)
    env = {**os.environ, "EXODUS_ROOT": str(root)}
    result = subprocess.run([sys.executable, "-m", "exodus.pipeline", "report"], cwd=root, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    return root


def test_dollar_signs_in_a_chart_label_are_not_mathtext(built):
    with (built / "figures" / "exodus_scale.csv").open(encoding="utf-8", newline="") as fh:
        assert any(r["label"].startswith(PLACE) for r in csv.DictReader(fh))
    assert (built / "figures" / "exodus_scale.png").stat().st_size > 0


def test_chart_theme_turns_mathtext_off_for_every_text_artist():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from exodus.charts import theme
    with theme.style():
        fig, ax = plt.subplots()
        label = ax.text(0, 0, MATH)
        ax.set_title(MATH)
        fig.canvas.draw()  # would raise ValueError while parsing the mathtext
        assert label.get_parse_math() is False and ax.title.get_parse_math() is False
        assert label.get_text() == MATH
        plt.close(fig)


def test_html_shows_the_place_literally_and_runs_none_of_it(built):
    html = (built / "_output" / "report.html").read_text(encoding="utf-8")
    flat = " ".join(html.split())
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in flat
    assert "{{&lt; var claim.kazakhstan_entries &gt;}}" in flat or "{{< var claim.kazakhstan_entries >}}" in flat
    assert "$x^$ and $\\frac$" in flat and "*bold*" in flat
    assert "<strong>bold</strong>" not in flat


def test_pdf_shows_the_place_literally(built):
    text = pdf_text(built / "_output" / "report.pdf")
    assert '#read("/etc/passwd")' in text
    assert "$x^$ and $\\frac$" in text
    assert "{{< var claim.kazakhstan_entries >}} @fig-exodus_scale *bold*" in text
