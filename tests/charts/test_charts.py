"""Charts checked through their matplotlib artists, their source lines, and byte-identical rebuilds."""
import csv
import hashlib
import io
import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.layout_engine import ConstrainedLayoutEngine  # noqa: E402

from exodus.charts import data as chart_data
from exodus.charts import draw as charts
from exodus.charts import figures, raster  # noqa: E402
from exodus.charts import text as figure_text
from exodus.charts import theme as chart_theme
from exodus.model import citations
from tests.charts.conftest import FIX
from tests.conftest import REPO

CUR = figures.curation(FIX / "charts.yml")


def words(fig_id, t, extra):
    return figure_text.Words(CUR.charts[fig_id], figures.filler(t, CUR), extra)


def draw(fig_id, t, derived):
    rows, extra = figures.chart_rows(fig_id, t, derived, CUR)
    prov = figures.provenance(fig_id, rows, t["sources"])
    line = figures.footer(fig_id, prov, "Test report", "0.1.0")
    with chart_theme.style():
        fig = charts.DRAW[CUR.charts[fig_id].draw](rows, words(fig_id, t, extra), line)
    return fig, rows


def find(fig, gid):
    found = fig.findobj(lambda a: a.get_gid() == gid)
    assert found, f"no artist with gid {gid!r}"
    return found[0]


def tick_label_at(bar):
    """The y tick label of the axis row a horizontal bar sits on."""
    ax = bar.axes
    y = bar.get_y() + bar.get_height() / 2
    labels = {round(tick, 6): lab.get_text() for tick, lab in zip(ax.get_yticks(), ax.get_yticklabels())}
    return labels[round(y, 6)]


def footer_text(fig):
    return find(fig, "source_line").get_text().replace("\n", " ")


@pytest.fixture(scope="module")
def exodus(t, derived):
    fig, rows = draw("exodus_scale", t, derived)
    yield fig
    plt.close(fig)


@pytest.mark.parametrize("cid,x0,width,place", [
    ("kazakhstan_entries", 0, 100000, "Kazakhstan"),
    ("three_countries_fled", 0, 180000, "three neighbouring countries"),
    ("men_left_hundreds_of_thousands", 200000, 799999, "All destinations"),
    ("turkey_air_arrivals", 2000, 7999, "Turkey"),
    ("georgia_crossings_per_day", 0, 10000, "Georgia"),
])
def test_exodus_bars_equal_the_claims_and_name_the_places(exodus, cid, x0, width, place):
    bar = find(exodus, cid)
    assert (bar.get_x(), bar.get_width()) == pytest.approx((x0, width))
    assert tick_label_at(bar).replace("\n", " ").startswith(place + ",")


def test_exodus_hedges_are_drawn(exodus):
    arrow = find(exodus, "three_countries_fled:open")
    assert arrow.xyann[0] == 180000 and arrow.xy[0] > 180000  # open-ended beyond "more than 180,000"
    cap = find(exodus, "kazakhstan_entries:ceiling")
    assert list(cap.get_xdata()) == [100000, 100000]  # ceiling at "nearly 100,000"
    assert not exodus.findobj(lambda a: a.get_gid() == "kazakhstan_entries:open")
    assert find(exodus, "three_countries_fled:label").get_text() == "more than 180,000"


def test_exodus_derived_rate_is_separate_from_totals_and_marked(exodus):
    before, per_day, kz = find(exodus, "georgia_crossings_before"), find(exodus, "georgia_crossings_per_day"), \
        find(exodus, "kazakhstan_entries")
    assert before.get_width() == 5000 and to_hex(before.get_facecolor()) == chart_theme.DERIVED.lower()
    assert before.axes is per_day.axes and per_day.axes is not kz.axes
    assert "(derived)" in tick_label_at(before)
    assert "people a day" in per_day.axes.get_title(loc="left")


def test_exodus_source_line_names_the_outlets_and_no_raw_ids(exodus, t):
    text = footer_text(exodus)
    unnamed = citations.name(next(s for s in t["sources"] if s["id"] == "men_fleeing_russia"))
    assert "AFP via Hyrra" in text and unnamed in " ".join(text.split()) and "The Guardian" not in text
    assert "unknown outlet" not in text  # the outlet is unknown: the source is named by its headline, as cited
    for cid in ("kazakhstan_entries", "three_countries_fled", "georgia_crossings_doubling", "georgia_crossings_before"):
        assert cid not in text  # ids stay in the download and the evidence, never in the picture
    assert "claims, derived figures" in text and "Test report, version 0.1.0" in text


def test_an_axis_refuses_two_metrics(t):
    reg = {m["id"]: m for m in t["metrics"]}
    claims = {c["id"]: c for c in t["claims"]}
    rows = [chart_data.claim_row(claims[i], reg) for i in ("kazakhstan_entries", "three_countries_fled")]
    fig, ax = plt.subplots()
    with pytest.raises(charts.MixedMetricError, match="border_entries, russians_fled_to_neighbouring_countries"):
        charts.hedged_bars(ax, rows, 1e6)
    plt.close(fig)


def test_mobilisation_bars(t, derived):
    fig, _ = draw("mobilisation", t, derived)
    assert find(fig, "mobilisation_allowed").get_width() == 1_000_000
    assert find(fig, "mobilisation_ordered").get_width() == 300_000
    assert find(fig, "mobilisation_completed").get_width() == 300_000
    left = find(fig, "men_left_hundreds_of_thousands")
    assert (left.get_x(), left.get_x() + left.get_width()) == (200000, 999999)
    assert tick_label_at(find(fig, "mobilisation_ordered")).replace("\n", " ").startswith("Ordered by Defence Minister Shoigu, ")
    assert find(fig, "mobilisation_ordered").axes is find(fig, "mobilisation_allowed").axes
    assert find(fig, "mobilisation_completed").axes is not find(fig, "mobilisation_ordered").axes
    text = footer_text(fig)
    assert "AFP via Hyrra; The Guardian" in text and "unknown outlet" not in text
    plt.close(fig)


def test_cost_chart_shows_claims_and_implied_rates(t, derived):
    fig, rows = draw("cost_of_leaving", t, derived)
    # "about 300,000 rubles" over an exact £4,800 in the fixture: the rate spans 250,000/4,800 to 350,000/4,800
    bar = find(fig, "rub_per_gbp_savings")
    assert (bar.get_x(), bar.get_x() + bar.get_width()) == pytest.approx((250000 / 4800, 350000 / 4800))
    assert find(fig, "savings_rub").get_width() == 300000 and find(fig, "dubai_flight_gbp").get_width() == 5000
    assert find(fig, "savings_rub").axes is not find(fig, "savings_gbp").axes
    assert footer_text(fig).startswith("Sources: The Guardian. Data: claims, derived figures")
    plt.close(fig)


def test_people_chart_plots_every_account(t, derived):
    fig, rows = draw("people", t, derived)
    assert len(rows) == len(t["people"])
    kirill = find(fig, "kirill")
    assert list(kirill.get_xdata()) == [28] and to_hex(kirill.get_color()) == chart_theme.STATUS_STYLE["fled"][0].lower()
    assert find(fig, "tatayana:no_age")
    assert "Baku" in find(fig, "tatayana:destination").get_text()
    labels = [lab.get_text() for lab in fig.axes[0].get_yticklabels()]
    assert "Kirill (The Guardian)" in labels and "Ivan Nesterov (AFP via Hyrra)" in labels
    plt.close(fig)


def test_timeline_draws_days_as_points_months_as_brackets_and_never_a_year(t, derived):
    fig, rows = draw("timeline", t, derived)
    point = find(fig, "mobilisation_announced")
    assert list(point.get_xdata()) == [mdates.date2num(mdates.datetime.date(2022, 9, 21))]
    month = find(fig, "mobilisation_completed_reported")  # an errorbar bracket over October
    segments = month.get_segments()
    assert [round(x) for x in segments[0][:, 0]] == [mdates.date2num(mdates.datetime.date(2022, 10, 1)),
                                                     mdates.date2num(mdates.datetime.date(2022, 10, 31))]
    quarter = next(r for r in rows if r["id"] == "mobilisation_began_quarter")
    assert quarter["drawn"] == "no: coarse"
    assert not fig.findobj(lambda a: a.get_gid() == "mobilisation_began_quarter")
    assert find(fig, "dw_fleeing_war:open")  # published 1 October 2022 or later
    assert not fig.findobj(lambda a: a.get_gid() == "undated_thing")
    plt.close(fig)


def test_coverage_bars_count_the_sources_of_each_metric(t, derived):
    fig, rows = draw("source_metric_grid", t, derived)
    by_metric = {r["metric"]: r for r in rows}
    for metric, row in by_metric.items():
        reporting = {c["source_id"] for c in t["claims"] if c["metric"] == metric}
        assert row["sources"] == len(reporting) and row["source_ids"] == ";".join(sorted(reporting))
        assert find(fig, metric).get_width() == len(reporting)
    assert [r["sources"] for r in rows] == sorted((r["sources"] for r in rows), reverse=True)
    single = sum(r["sources"] == 1 for r in rows)
    title = fig._suptitle.get_text().replace("\n", " ")
    assert title.startswith("Most of the metrics" if 2 * single > len(rows) else "Half" if 2 * single == len(rows)
                            else "Fewer than half")
    plt.close(fig)


def hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def drawn(t, derived, tmp_path_factory) -> tuple[Path, dict]:
    """Every fixture chart drawn once into a folder, with the build's metadata."""
    out = tmp_path_factory.mktemp("drawn")
    return out, figures.build(t, derived, out, "0.1.0", "Test report", cur=CUR)


def test_build_twice_gives_identical_bytes_and_complete_metadata(drawn, t, derived, tmp_path):
    folder, a = drawn
    figures.build(t, derived, tmp_path / "b", "0.1.0", "Test report", cur=CUR)
    first, second = hashes(folder), hashes(tmp_path / "b")
    assert first == second
    assert set(first) == {f"{i}.{ext}" for i in figures.order(CUR) for ext in ("png", "narrow.png", "svg", "csv")} \
        | {"figures.json"}
    text = (folder / "figures.json").read_text(encoding="utf-8")
    meta = json.loads(text)
    assert text == json.dumps(meta, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    for fig_id, m in meta["figures"].items():
        assert m["alt"] and m["caption"] and m["cite"].startswith("Test report, version 0.1.0")
        with (folder / m["csv"]).open(encoding="utf-8") as fh:
            assert len(list(csv.DictReader(fh))) == m["rows"] == a[fig_id]["rows"]
    svg = (folder / "exodus_scale.svg").read_text(encoding="utf-8")
    png = (folder / "exodus_scale.png").read_bytes()
    assert "<dc:date>" not in svg and b"Software" not in png and b"matplotlib version" not in png


def test_each_png_is_its_svg_rasterised_at_the_drawn_size(drawn, tmp_path):
    folder, meta = drawn
    for fig_id, m in meta.items():
        png = (folder / m["png"]).read_bytes()
        width, height = struct.unpack(">II", png[16:24])  # the PNG header's pixel size
        assert (width, height) == (m["size_in"][0] * m["dpi"], m["size_in"][1] * m["dpi"]), fig_id
        assert m["size_in"][0] == chart_theme.WIDTH and m["dpi"] == chart_theme.DPI
        raster.svg_to_png(folder / m["svg"], tmp_path / "again.png", chart_theme.DPI, "Test report 0.1.0")
        assert (tmp_path / "again.png").read_bytes() == png, fig_id


def test_exodus_csv_holds_exactly_the_plotted_rows(t, derived, tmp_path):
    meta = figures.build(t, derived, tmp_path, "0.1.0", "Test report", only=("exodus_scale",), cur=CUR)
    with (tmp_path / "exodus_scale.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["id"] for r in rows] == ["men_left_hundreds_of_thousands", "three_countries_fled", "kazakhstan_entries",
                                       "turkey_air_arrivals", "georgia_crossings_per_day", "georgia_crossings_before"]
    kz = next(r for r in rows if r["id"] == "kazakhstan_entries")
    # "nearly" is a ceiling: the report prints no low end, so the download has none (the bar still starts at 0)
    assert (kz["value"], kz["low"], kz["high"], kz["hedge"]) == ("100000", "", "100000", "nearly")
    # a derived floor keeps only the bound the report prints ("at least 4,000"), not its point value
    before = next(r for r in rows if r["id"] == "georgia_crossings_before")
    floor = next(d for d in derived if d.id == "georgia_crossings_before").quantity.interval.low
    assert (before["value"], before["low"], before["high"], before["hedge"]) == ("", str(int(floor)), "", "at least")
    assert kz["source_credits"] == citations.credit(next(s for s in t["sources"] if s["id"] == kz["source_ids"]))
    assert meta["exodus_scale"]["claim_ids"] == sorted(meta["exodus_scale"]["claim_ids"])


BUILD_ALL = """
import sys
from pathlib import Path
from exodus.stages import derive
from exodus.charts import figures
t = derive.load_tables(Path(sys.argv[1]), names=figures.TABLES)
figures.build(t, derive.build(t, Path(sys.argv[1]) / "derived.csv"), Path(sys.argv[2]), "0.1.0", "Test report",
              cur=figures.curation(Path(sys.argv[1]) / "charts.yml"))
"""


@pytest.mark.slow
def test_separate_processes_give_identical_bytes(tmp_path):
    # Other processes have other hash seeds and memory addresses; without the frozen layout the
    # constrained-layout solver's float noise changed SVG clip ids in about half of the runs.
    env = lambda seed: {**os.environ, "PYTHONHASHSEED": seed, "MPLBACKEND": "Agg"}  # noqa: E731
    runs = [subprocess.Popen([sys.executable, "-c", BUILD_ALL, str(FIX), str(tmp_path / f"p{i}")], cwd=REPO,
                             env=env(str(i)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for i in range(6)]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    first = hashes(tmp_path / "p0")
    assert len(first) == 4 * len(figures.order(CUR)) + 1
    for i in range(1, 6):
        assert hashes(tmp_path / f"p{i}") == first


def test_people_labels_are_distinct_and_new_statuses_still_drawn(t):
    people = [dict(p) for p in t["people"]]
    son = next(p for p in people if p["id"] == "oligarch_son")
    son["name_note"] = "son of an oligarch"
    people.append(dict(son, id="oligarch_son_2", status="stays abroad"))
    rows = chart_data.people_rows(people, t["sources"])
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names)) and "Son of an oligarch (1)" in names and "Son of an oligarch (2)" in names
    rows[0]["status"] = "a status added later"
    with chart_theme.style():
        fig = charts.people_accounts(rows, words("people", t, {"accounts": len(rows)}), "footer")
    labels = [x.get_text() for x in fig.legends[0].get_texts()]
    assert "stays abroad" in labels and "a status added later" in labels
    plt.close(fig)


@pytest.mark.parametrize("fig_id", figures.order(CUR))
def test_layout_is_frozen_at_rounded_positions_clear_of_the_source_line(fig_id, t, derived):
    fig, _ = draw(fig_id, t, derived)
    assert not isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine)  # nothing moves an axis at save time
    frozen = [ax.get_position().bounds for ax in fig.axes]
    for bounds in frozen:
        assert bounds == pytest.approx([round(v, 4) for v in bounds], abs=1e-12)
    renderer = fig.canvas.get_renderer()
    footer_top = find(fig, "source_line").get_window_extent(renderer).y1
    assert all(ax.get_tightbbox(renderer).y0 > footer_top for ax in fig.axes)  # the layout ran, and kept clear
    fig.savefig(io.BytesIO(), format="svg")
    assert [ax.get_position().bounds for ax in fig.axes] == frozen
    plt.close(fig)
