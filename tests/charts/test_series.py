"""Several reports of one metric and place are a series over time with as-of dates, never look-alike bars."""
import copy
import csv

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from exodus.charts import figures  # noqa: E402
from exodus.model import asof  # noqa: E402
from exodus.stages import derive  # noqa: E402
from tests.charts.test_charts import FIX, find  # noqa: E402

CUR = figures.curation(FIX / "charts.yml")


@pytest.fixture(scope="module")
def tables():
    """The fixture tables plus a second Kazakhstan entries figure, from a later article."""
    t = copy.deepcopy(derive.load_tables(FIX, names=figures.TABLES))
    first = next(c for c in t["claims"] if c["id"] == "kazakhstan_entries")
    t["sources"].append({**t["sources"][0], "id": "kz_update", "published": "2022-10-04", "published_basis": "stated",
                         "published_not_before": "2022-10-04", "published_not_after": "2022-10-04"})
    t["claims"].append({**first, "id": "kazakhstan_entries_october", "source_id": "kz_update", "value": 200000.0,
                        "low": 200000.0, "high": None, "hedge": "more than", "number_text": "200,000"})
    return t


def test_two_reports_for_one_place_form_a_series_with_as_of_dates(tables, tmp_path):
    derived = derive.build(tables, FIX / "derived.csv")
    meta = figures.build(tables, derived, tmp_path, "0.1.0", "Test report", only=("exodus_scale",), cur=CUR)
    with (tmp_path / "exodus_scale.csv").open(encoding="utf-8") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    first, second = rows["kazakhstan_entries"], rows["kazakhstan_entries_october"]
    assert first["series"] == second["series"] == "border_entries:Kazakhstan"
    source = next(s for s in tables["sources"] if s["id"] == first["source_ids"])
    expected = asof.as_of(next(c for c in tables["claims"] if c["id"] == "kazakhstan_entries"), source)
    assert expected.known and (first["as_of"], first["as_of_basis"]) == (expected.iso(), expected.basis)
    assert (second["as_of"], second["as_of_basis"]) == ("2022-10-04", "publication date")
    assert rows["three_countries_fled"]["as_of"] and rows["three_countries_fled"]["series"] == ""
    assert "Kazakhstan" in meta["exodus_scale"]["alt"] and "as of 4 Oct 2022" in meta["exodus_scale"]["alt"]


def test_a_series_is_drawn_as_points_on_a_date_axis_not_bars(tables):
    from tests.charts.test_charts import draw
    derived = derive.build(tables, FIX / "derived.csv")
    fig, rows = draw("exodus_scale", tables, derived)
    later = find(fig, "kazakhstan_entries_october")
    assert later.__class__.__name__ == "Line2D" and later.get_marker() == "^"  # a floor: 'more than'
    assert list(later.get_xdata()) == [mdates.date2num(mdates.datetime.date(2022, 10, 4))]
    assert list(later.get_ydata()) == [200000]
    earlier = find(fig, "kazakhstan_entries")
    assert earlier.get_marker() == "v"  # a ceiling: 'nearly'
    assert earlier.axes is later.axes and "Kazakhstan" in earlier.axes.get_title(loc="left")
    assert earlier.get_xdata()[0] < later.get_xdata()[0]
    assert find(fig, "kazakhstan_entries:label").get_text() == "nearly 100,000"
    assert not [b for b in fig.findobj(lambda a: a.get_gid() == "kazakhstan_entries") if hasattr(b, "get_width")]
    # the other places stay bars, each labelled with when its figure was true
    bar = find(fig, "three_countries_fled")
    assert hasattr(bar, "get_width")
    plt.close(fig)


def test_every_committed_chart_csv_that_plots_claims_says_when_each_was_true():
    from exodus import paths
    plotted = 0
    for path in sorted(paths.FIGURES.glob("*.csv")):
        with path.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        claims = [r for r in rows if r.get("kind") == "claim"]
        if claims:
            plotted += 1
            assert all(r["as_of"] and r["as_of_basis"] for r in claims), path.name
    assert plotted >= 3
