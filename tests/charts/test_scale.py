"""Charts at many reports, checked through their artists: bounded text, no overprinted labels, a key for
every mark drawn, print sizes, and a located error for a chart that cannot be laid out."""
import contextlib
import copy
import datetime as dt
import itertools
import pickle

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from exodus.charts import draw as charts  # noqa: E402
from exodus.charts import figures, timeline_data  # noqa: E402
from exodus.charts import text as figure_text  # noqa: E402
from exodus.charts import theme as chart_theme  # noqa: E402
from exodus.stages import derive  # noqa: E402
from tests.charts.test_charts import CUR, FIX, draw  # noqa: E402


def _shift(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat() if day else day


def multiplied(t: dict, times: int, step_days: int = 0) -> dict:
    """The fixture tables with every source and row `times` times. With step_days, copy k is published
    k * step_days later and its figures are k tenths larger, so each copy is a distinct report in time."""
    out = copy.deepcopy(t)
    for k in range(1, times):
        sid = lambda i, k=k: f"{i}_x{k}"  # noqa: E731
        days, factor = k * step_days, 1 + k / 10 if step_days else 1
        for s in t["sources"]:
            out["sources"].append({**s, "id": sid(s["id"]), **{f: _shift(s.get(f), days) for f in
                                   ("published", "published_not_before", "published_not_after")}})
        for c in t["claims"]:
            scaled = {f: (c[f] * factor if isinstance(c.get(f), (int, float)) else c.get(f)) for f in ("value", "low", "high")}
            dates = {f: _shift(c.get(f), days) for f in ("period_start", "period_end")}
            out["claims"].append({**c, **scaled, **dates, "id": sid(c["id"]), "source_id": sid(c["source_id"])})
        for e in t["events"]:
            out["events"].append({**e, "id": sid(e["id"]), "source_id": sid(e["source_id"])})
        for p in t["people"]:
            out["people"].append({**p, "id": sid(p["id"]), "source_id": sid(p["source_id"]),
                                  "companion_of": sid(p["companion_of"]) if p.get("companion_of") else p.get("companion_of")})
    return out


def texts(fig) -> list:
    """Every visible, non-empty text of a drawn figure with its extent on the canvas."""
    renderer = fig.canvas.get_renderer()
    fig.draw_without_rendering()
    # Tick labels of ticks outside an axis' view are kept by matplotlib but never drawn: leave them out.
    axes = [axis for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)]
    ticks = {id(t.label1) for axis in axes for t in axis.get_major_ticks() + axis.get_minor_ticks()}
    shown = {id(t.label1) for axis in axes for t, loc in zip(axis.get_major_ticks(), axis.get_majorticklocs())
             if min(axis.get_view_interval()) - 1e-9 <= loc <= max(axis.get_view_interval()) + 1e-9}
    found = fig.findobj(lambda a: isinstance(a, matplotlib.text.Text) and a.get_visible() and a.get_text().strip()
                        and (id(a) not in ticks or id(a) in shown))
    return [(a, a.get_window_extent(renderer)) for a in found]


def overlapping(fig) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap by more than a pixel each way."""
    placed = texts(fig)
    clash = []
    for (a, box_a), (b, box_b) in itertools.combinations(placed, 2):
        dx = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
        dy = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
        if dx > 1 and dy > 1:
            clash.append((a.get_text()[:40], b.get_text()[:40]))
    return clash


SIZES = [(1, 0), (5, 0), (20, 3), (20, 45)]  # copies, days between copies (45: a series over two years)


@pytest.mark.parametrize("times,step", SIZES)
@pytest.mark.parametrize("fig_id", figures.order(CUR))
def test_no_chart_text_overlaps_and_every_chart_fits_the_print_page(fig_id, times, step, t, derived):
    tables = multiplied(t, times, step)
    fig, rows = draw(fig_id, tables, derive.build(tables, FIX / "derived.csv") if times > 1 else derived)
    try:
        assert overlapping(fig) == []
        width, height = fig.get_size_inches()
        assert height <= chart_theme.MAX_HEIGHT
        smallest = figures.min_font_pt(fig)
        assert smallest >= chart_theme.SMALL
        assert smallest * chart_theme.PDF_COLUMN / width >= chart_theme.MIN_PRINT_PT
    finally:
        plt.close(fig)


@pytest.mark.parametrize("times,step", SIZES[::2])
@pytest.mark.parametrize("fig_id", figures.order(CUR))
def test_the_phone_rendering_fits_its_width_with_no_text_overlapping(fig_id, times, step, t, derived):
    tables = multiplied(t, times, step)
    with chart_theme.narrow():
        fig, rows = draw(fig_id, tables, derive.build(tables, FIX / "derived.csv") if times > 1 else derived)
    try:
        assert tuple(fig.get_size_inches())[0] == chart_theme.NARROW["WIDTH"]
        assert overlapping(fig) == []
        assert figures.min_font_pt(fig) >= chart_theme.SMALL
        canvas = fig.bbox
        for text, box in texts(fig):  # nothing drawn off the picture's edges
            assert box.x0 >= canvas.x0 - 1 and box.x1 <= canvas.x1 + 1, text.get_text()[:60]
    finally:
        plt.close(fig)
    assert chart_theme.WIDTH == 7.25  # the wide sizes are back after the block


@pytest.mark.parametrize("fig_id", figures.order(CUR))
def test_source_line_and_alt_text_do_not_grow_with_the_reports(fig_id, t, derived):
    big = multiplied(t, 20, 3)
    rows1, _ = figures.chart_rows(fig_id, t, derived, CUR)
    rows20, _ = figures.chart_rows(fig_id, big, derive.build(big, FIX / "derived.csv"), CUR)
    lines = [figures.footer(fig_id, figures.provenance(fig_id, r, tables["sources"]), "Test report", "0.1.0")
             for r, tables in ((rows1, t), (rows20, big))]
    assert len(lines[1]) <= len(lines[0]) + len(" and other outlets")
    assert not any(c["id"] in lines[1] for c in big["claims"])
    alt = figure_text.alt(fig_id, CUR.charts[fig_id].draw, "Title", rows20)
    assert len(alt) < 5000
    if fig_id != "timeline":  # the timeline's alt text names only the marks it draws, already bounded
        assert len(rows20) <= figure_text.ALT_ITEMS or figure_text.REST in alt


@pytest.mark.parametrize("fig_id", figures.order(CUR))
def test_a_caption_cites_a_dozen_articles_and_counts_the_rest(fig_id, t, derived):
    big = multiplied(t, 20, 3)
    rows, extra = figures.chart_rows(fig_id, big, derive.build(big, FIX / "derived.csv"), CUR)
    every = figures.provenance(fig_id, rows, big["sources"])["source_ids"]
    words = figure_text.Words(CUR.charts[fig_id], figures.filler(big, CUR), extra)
    cited = figure_text.caption_sources(words, rows, every)
    if len(every) <= figure_text.CAPTION_SOURCES:
        assert cited == {"caption_sources": every, "caption_more": ""}
        return
    shown = cited["caption_sources"]
    assert len(shown) == figure_text.CAPTION_SOURCES and shown == sorted(shown) and set(shown) <= set(every)
    assert cited["caption_more"] == "and the other articles, each named in the chart's data download"
    # The articles cited are those behind the most plotted rows.
    behind = lambda i: sum(i in str(r.get("source_ids") or r.get("source_id") or "").split(";") for r in rows)
    assert min(map(behind, shown)) >= max(behind(i) for i in every if i not in shown)


def test_reports_of_one_figure_on_one_date_are_one_mark_counting_them(t, derived):
    tables = multiplied(t, 5)
    fig, rows = draw("exodus_scale", tables, derive.build(tables, FIX / "derived.csv"))
    kz = next(r for r in rows if r["id"] == "kazakhstan_entries")
    assert kz["reports"] == 5 and kz["series"] == "" and len(kz["claim_ids"].split(";")) == 5
    labels = [a.get_text() for a in fig.findobj(lambda a: getattr(a, "get_gid", lambda: None)() == "kazakhstan_entries:label")]
    assert labels == ["nearly 100,000 (5 reports)"]
    plt.close(fig)


def legend_texts(fig) -> list[str]:
    return [x.get_text() for lg in fig.legends for x in lg.get_texts()]


def test_a_series_keys_every_marker_it_draws_and_labels_a_long_one_sparingly(t, derived):
    tables = multiplied(t, 20, 3)
    fig, rows = draw("exodus_scale", tables, derive.build(tables, FIX / "derived.csv"))
    keys = legend_texts(fig)
    words = figure_text.Words(CUR.charts["exodus_scale"], figures.filler(tables, CUR), {})
    for marker, key in charts.SERIES_MARKS:
        drawn = fig.findobj(lambda a, m=marker: isinstance(a, matplotlib.lines.Line2D) and a.get_marker() == m
                            and (a.get_gid() or "").count(":") == 0 and a.axes is not None)
        assert bool(drawn) == (words.common(key) in keys), key
    assert any(words.common(key) in keys for _, key in charts.SERIES_MARKS)
    gids = {a.get_gid() for a in fig.findobj(lambda a: a.get_gid() is not None)}
    drawn = {}
    for r in rows:
        if r["series"] and r["id"] in gids:
            drawn.setdefault(r["series"], []).append(r)
    assert drawn and all(len(s) == 20 for s in drawn.values())
    for series in drawn.values():
        labelled = [r for r in series if f"{r['id']}:label" in gids]
        assert 2 <= len(labelled) <= 4  # first, latest, highest, lowest; every point keeps its marker
    plt.close(fig)


def test_a_report_with_no_as_of_date_is_counted_under_its_series_not_a_crash(t, derived):
    tables = copy.deepcopy(t)
    kz = next(c for c in tables["claims"] if c["id"] == "kazakhstan_entries")
    tables["sources"].append({**tables["sources"][0], "id": "undated", "published": None, "published_basis": "unknown",
                              "published_not_before": None, "published_not_after": None})
    tables["claims"] += [{**kz, "id": "kz_undated", "source_id": "undated", "period_start": None, "period_end": None},
                         {**kz, "id": "kz_later", "source_id": tables["sources"][0]["id"], "value": 200000.0}]
    fig, rows = draw("exodus_scale", tables, derived)
    undated = next(r for r in rows if r["id"] == "kz_undated")
    assert undated["series"] and not charts._dated(undated)
    note = [a.get_text() for a in fig.findobj(lambda a: (getattr(a, "get_gid", lambda: None)() or "").endswith(":note"))]
    assert any("not placed in time" in n for n in note)
    assert not fig.findobj(lambda a: getattr(a, "get_gid", lambda: None)() == "kz_undated")
    plt.close(fig)


def test_a_chart_that_cannot_be_laid_out_is_an_error_naming_it(t, derived, tmp_path):
    @charts.drawing("test_unsatisfiable")
    def cramped(rows, words, footer):
        fig = chart_theme.figure(0.5)
        fig.subplots(3, 1)
        chart_theme.add_footer(fig, footer * 400)  # more lines than the figure is tall
        return fig
    try:
        cur = copy.deepcopy(CUR)
        spec = cur.charts["people"]
        cur.charts["people"] = type(spec)(spec.id, spec.kind, "test_unsatisfiable", spec.title, spec.caption,
                                          spec.options, spec.where)
        with pytest.raises(figures.ChartError) as err:
            figures.build(t, derived, tmp_path, "0.1.0", "Test report", only=("people",), cur=cur)
    finally:
        del charts.DRAW["test_unsatisfiable"]
    message = str(err.value)
    assert "chart 'people'" in message and "test_unsatisfiable" in message and "charts.yml" in message
    assert str(pickle.loads(pickle.dumps(err.value))) == message  # crosses a worker pool intact


def test_happenings_from_new_sources_group_by_date_and_wording_unless_separated():
    events = [
        {"id": "a", "source_id": "s1", "event": "Kremlin announced a mobilisation"},
        {"id": "b", "source_id": "s2", "event": "Putin announces the partial mobilization"},
        {"id": "c", "source_id": "s3", "event": "Defence Minister Shoigu orders the call-up of reservists"},
        {"id": "d", "source_id": "s4", "event": "Putin's speech announcing the partial mobilisation"},
        {"id": "e", "source_id": "s5", "event": "Putin announces the partial mobilisation", "date": "2022-09-22"},
    ]
    for e in events:
        e.update({"date": e.get("date", "2022-09-21"), "date_precision": "day", "date_basis": "stated"})

    class Spec(dict):
        where, id = "charts.yml", "timeline"

        def get(self, key, default=None):
            return dict.get(self, key, default)

    def marks(spec):
        rows = timeline_data.event_marks(spec, events, {}, lambda key, what: ValueError(what))
        return sorted(r["event_ids"] for r in rows)

    assert marks(Spec()) == ["a;b;d", "c", "e"]  # another date is another happening
    assert marks(Spec(separate=["d"])) == ["a;b", "c", "d", "e"]
    assert marks(Spec(same_happening=[{"label": "Order", "events": ["c"]}])) == ["a;b;d", "c", "e"]
    # a curated group takes in a new source's report of the same happening
    assert marks(Spec(same_happening=[{"label": "Announced", "events": ["d"]}])) == ["a;b;d", "c", "e"]


def off_the_edges(fig) -> list[tuple[str, float]]:
    """Texts closer than theme.EDGE_PT to any edge of the figure (or past it), with their distance in pt."""
    canvas, found = fig.bbox, []
    for text, box in texts(fig):
        gap = min(box.x0 - canvas.x0, canvas.x1 - box.x1, box.y0 - canvas.y0, canvas.y1 - box.y1) * 72 / fig.dpi
        if gap < chart_theme.EDGE_PT:
            found.append((text.get_text()[:60], round(gap, 1)))
    return found


def _drawn(fig_id, tables, derived, cur, narrow):
    rows, extra = figures.chart_rows(fig_id, tables, derived, cur)
    line = figures.footer(fig_id, figures.provenance(fig_id, rows, tables["sources"]), "Test report", "0.1.0")
    words = figure_text.Words(cur.charts[fig_id], figures.filler(tables, cur), extra)
    with chart_theme.style(), (chart_theme.narrow() if narrow else contextlib.nullcontext()):
        return charts.DRAW[cur.charts[fig_id].draw](rows, words, line)


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "phone"])
@pytest.mark.parametrize("times", [1, 5])
@pytest.mark.parametrize("fig_id", figures.order(CUR))
def test_every_chart_text_keeps_clear_of_the_figure_edges(fig_id, times, narrow, t, derived):
    """Five same-date reports lengthen a value label ("(read as 200,000–999,999) (5 reports)"): the axis
    widens for it instead of the label running to the edge."""
    tables = multiplied(t, times)
    fig = _drawn(fig_id, tables, derive.build(tables, FIX / "derived.csv") if times > 1 else derived, CUR, narrow)
    try:
        assert off_the_edges(fig) == []
    finally:
        plt.close(fig)


@pytest.fixture(scope="module")
def project():
    from exodus import paths
    tables = derive.load_tables(paths.DATA, names=figures.TABLES)
    return tables, derive.build(tables, paths.DATA / "derived.csv"), figures.curation(paths.DATA / "charts.yml")


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "phone"])
@pytest.mark.parametrize("fig_id", figures.order(figures.curation()))
def test_every_chart_in_figures_keeps_its_text_clear_of_the_edges(fig_id, narrow, project):
    tables, derived, cur = project
    fig = _drawn(fig_id, tables, derived, cur, narrow)
    try:
        assert off_the_edges(fig) == [] and overlapping(fig) == []
    finally:
        plt.close(fig)
