"""Build every chart into figures/: PNG, SVG, a CSV of the plotted rows, and figures.json."""
from __future__ import annotations

import json
from pathlib import Path

from exodus import paths
from exodus.charts import data as chart_data
from exodus.context import StageError
from exodus.model import citations, csv_out, vocabulary

TABLES = ("sources", "metrics", "claims", "people", "events")


def curation(path: Path | None = None, drawings: bool = True):
    """data/charts.yml, validated against the row builders and (unless drawings=False, for work that
    draws nothing and so need not import matplotlib) the drawings it names."""
    from exodus.charts import spec
    from exodus.charts.data import KINDS
    cur = spec.load(path)
    if drawings:
        from exodus.charts.draw import DRAW
        spec.check_registries(cur, KINDS, DRAW)
    else:
        spec.check_registries(cur, KINDS, None)
    return cur


def order(cur=None) -> tuple[str, ...]:
    """Chart ids in the order data/charts.yml lists them."""
    return tuple((cur or curation()).charts)


def version(path: Path | None = None) -> str:
    """Report version from the VERSION file at the repository root."""
    return Path(path or paths.ROOT / "VERSION").read_text(encoding="utf-8").strip()


def report_title(path: Path | None = None) -> str:
    return json.loads(Path(path or paths.DATAPACKAGE).read_text(encoding="utf-8"))["title"]


def filler(t: dict[str, list[dict]], cur):
    from exodus.charts.spec import Filler
    return Filler(t, cur.common, cur.where)


def chart_rows(fig_id: str, t: dict[str, list[dict]], derived: list, cur=None) -> tuple[list[dict], dict]:
    """Rows a chart plots, plus facts (counts, dates) its texts may name as {chart.NAME}."""
    from exodus.charts.data import KINDS
    cur = cur or curation()
    if fig_id not in cur.charts:
        raise KeyError(f"no chart {fig_id!r} in {cur.where}; known: {', '.join(cur.charts)}")
    spec = cur.charts[fig_id]
    fill = filler(t, cur)
    fill.check(spec)
    return KINDS[spec.kind](spec, t, derived, lambda tpl, key="", **kw: fill.fill(tpl, {}, spec.id, key, **kw))


def _ids(rows: list[dict], field: str) -> list[str]:
    return sorted({i for r in rows for i in str(r.get(field) or "").split(";") if i})


def provenance(fig_id: str, rows: list[dict], sources: list[dict]) -> dict:
    """Ids a chart rests on and the outlets behind them."""
    source_ids = _ids(rows, "source_ids") or _ids(rows, "source_id")
    return {
        "claim_ids": _ids(rows, "claim_ids"),
        "derived_ids": sorted(r["id"] for r in rows if r.get("kind") == "derived"),
        "people_ids": sorted(r["id"] for r in rows if "status" in r),
        "event_ids": _ids([r for r in rows if r.get("lane") == "event"], "event_ids"),
        "source_ids": source_ids,
        "outlets": chart_data.outlets(source_ids, sources),
    }


def footer(fig_id: str, prov: dict, report: str, ver: str) -> str:
    """Source line for a chart: outlets, the tables it rests on (no ids, no counts: it stays one line or
    two at any size), and the edition."""
    from exodus.charts import text as figure_text  # draws in the plotting stack; only needed when drawing
    tables = [name for name, key in (("claims", "claim_ids"), ("derived figures", "derived_ids"),
                                     ("people", "people_ids"), ("events", "event_ids")) if prov[key]]
    rests = f"Data: {', '.join(tables)} from the report's tables, each row with its id in the chart's download." \
        if tables else ""
    return figure_text.source_line(prov["outlets"], rests, report, ver)


def printed(row: dict) -> dict:
    """A plotted row as the report prints it: a one-sided bound leaves the other end blank ("nearly X" has
    no low, though the chart draws its bar from zero), and a derived floor or ceiling keeps only the bound
    the report prints ("at least 4,000"), not the point value inside it."""
    bound, out = vocabulary.bound_of(row.get("hedge")), dict(row)
    if bound == "ceiling":
        out["low"] = None
    if bound == "floor":
        out["high"] = None
    if row.get("kind") == "derived" and out.get({"floor": "low", "ceiling": "high"}.get(bound, "")) is not None:
        out["value"] = None
    return out


def credits(source_ids: str, sources: dict[str, dict]) -> str:
    """Each source's credit as every citation words it, in the order of the row's source ids."""
    return "; ".join(citations.credit(sources.get(i)) for i in str(source_ids or "").split(";") if i)


def csv_rows(rows: list[dict], sources: list[dict] | None = None) -> tuple[list[str], list[dict]]:
    """Plotted rows as written to figures/<id>.csv, numbers formatted like build/derived.csv, with each
    source's credit beside its id (it replaces the chart's own outlet column: one wording of a credit)."""
    fields = [f for f in (list(rows[0]) if rows else ["id"]) if f not in ("outlet", "outlets")]
    if "source_ids" in fields:
        fields.insert(fields.index("source_ids") + 1, "source_credits")
    by_id = {s["id"]: s for s in sources or []}
    fmt = lambda v: csv_out.number(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v  # noqa: E731
    shown = [{**printed(r), "source_credits": credits(r.get("source_ids"), by_id)} for r in rows]
    return fields, [{k: fmt(r.get(k)) for k in fields} for r in shown]


def mark_ticks(fig) -> None:
    """Give axis tick labels an id in the SVG (<g id="tick_x_...">): a scale mark such as "10,000" on an
    axis is then told apart from a figure the chart reports, by a reader's tools and by the tests."""
    for n, ax in enumerate(fig.axes):
        for axis in (ax.xaxis, ax.yaxis):
            for i, tick in enumerate(axis.get_major_ticks()):
                tick.label1.set_gid(f"tick_{axis.axis_name}_{n}_{i}")


def save(fig, out_dir: Path, fig_id: str, creator: str, dpi: int | None = None) -> list[Path]:
    """The chart drawn once, to SVG, and the PNG rasterised from that SVG; neither carries a timestamp or
    a version string, so rebuilding gives identical bytes."""
    import matplotlib.pyplot as plt

    from exodus.charts import raster
    from exodus.charts import theme as chart_theme
    out_dir.mkdir(parents=True, exist_ok=True)
    png, svg = out_dir / f"{fig_id}.png", out_dir / f"{fig_id}.svg"
    mark_ticks(fig)
    with chart_theme.style():
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": creator})
    plt.close(fig)
    raster.svg_to_png(svg, png, dpi or chart_theme.DPI, creator)
    return [png, svg]


def save_narrow(fig, out_dir: Path, fig_id: str, creator: str) -> Path:
    """The phone's rendering as a PNG only (<id>.narrow.png), rasterised from an SVG drawn in a scratch
    folder as the wide chart is; the PDF and the downloads use the wide chart."""
    import tempfile

    from exodus.charts import theme as chart_theme
    with tempfile.TemporaryDirectory(prefix="narrow-", dir=out_dir) as tmp:
        png, _ = save(fig, Path(tmp), fig_id, creator, chart_theme.NARROW_DPI)
        target = Path(out_dir) / f"{fig_id}.narrow.png"
        png.replace(target)
    return target


def min_font_pt(fig) -> float:
    """Smallest font size of any visible text in the drawn figure, in points."""
    sizes = [a.get_fontsize() for a in fig.findobj(lambda a: hasattr(a, "get_fontsize") and hasattr(a, "get_text"))
             if a.get_visible() and a.get_text().strip()]
    return min(sizes) if sizes else 0.0


class ChartError(StageError):
    """A chart could not be drawn or laid out; the message names the chart and its entry."""


def laid_out(spec, work, *args):
    """Run a drawing or saving step, turning any failure inside matplotlib (an unsatisfiable layout, a
    text too long for its figure) into a ChartError naming the chart. The message is plain text, so the
    error crosses the worker pool intact (kiwisolver's own errors hold objects that cannot be pickled)."""
    from exodus.charts import theme as chart_theme
    try:
        with chart_theme.style():
            return work(*args)
    except StageError:  # already one located line (a chart error, or a curation mistake found while drawing)
        raise
    except Exception as e:  # noqa: BLE001 - any library failure becomes a located error
        raise ChartError(f"{spec.where}: chart {spec.id!r} (draw: {spec.draw}): cannot be drawn or laid out: "
                         f"{type(e).__name__}: {str(e)[:300]}") from None


def build(t: dict[str, list[dict]], derived: list, out_dir: Path, ver: str, report: str,
          only: tuple[str, ...] | None = None, cur=None) -> dict:
    """Draw and write the charts; returns the figures.json content."""
    from exodus.charts import draw as charts
    from exodus.charts import text as figure_text
    from exodus.charts import theme as chart_theme
    cur = cur or curation()
    out_dir = Path(out_dir)
    meta = {}
    for fig_id in only or order(cur):
        spec = cur.charts[fig_id]
        rows, extra = chart_rows(fig_id, t, derived, cur)
        words = figure_text.Words(spec, filler(t, cur), extra)
        prov = provenance(fig_id, rows, t["sources"])
        line = footer(fig_id, prov, report, ver)
        fig = laid_out(spec, charts.DRAW[spec.draw], rows, words, line)
        smallest = min_font_pt(fig)
        size = [float(x) for x in fig.get_size_inches()]  # exact: multiples of theme.HEIGHT_STEP
        laid_out(spec, save, fig, out_dir, fig_id, f"{report} {ver}")
        with chart_theme.narrow():
            phone = laid_out(spec, charts.DRAW[spec.draw], rows, words, line)
            narrow = {"png_narrow": f"{fig_id}.narrow.png", "min_font_pt_narrow": min_font_pt(phone),
                      "size_in_narrow": [float(x) for x in phone.get_size_inches()]}
            laid_out(spec, save_narrow, phone, out_dir, fig_id, f"{report} {ver}")
        fields, out_rows = csv_rows(rows, t["sources"])
        csv_out.write_exported(out_dir / f"{fig_id}.csv", fields, out_rows)
        meta[fig_id] = {
            "id": fig_id, "title": words.title, "caption": words.caption,
            "alt": figure_text.alt(fig_id, spec.draw, words.title, rows),
            "cite": figure_text.cite(fig_id, words.title, report, ver, prov["outlets"]),
            "source_line": line, "png": f"{fig_id}.png", "svg": f"{fig_id}.svg", "csv": f"{fig_id}.csv",
            "rows": len(rows), "version": ver, "min_font_pt": smallest, "size_in": size,
            "dpi": chart_theme.DPI, **narrow, **prov,
            **figure_text.caption_sources(words, rows, prov["source_ids"]),
        }
    write_index(out_dir, meta, report, ver)
    return meta


def write_index(out_dir: Path, meta: dict, report: str, ver: str) -> None:
    """figures/figures.json: every chart's title, caption, alt text, citation and provenance."""
    text = json.dumps({"report": report, "version": ver, "figures": meta}, sort_keys=True, indent=2,
                      ensure_ascii=False)
    (Path(out_dir) / "figures.json").write_bytes((text + "\n").encode("utf-8"))


def plan(t: dict[str, list[dict]], derived: list) -> dict[str, dict]:
    """What each chart would plot and rest on, computed without drawing: the key for redrawing it."""
    planned = {}
    cur = curation(drawings=False)  # a drawing named wrongly changes the key, and drawing then refuses it
    for fig_id in order(cur):
        rows, extra = chart_rows(fig_id, t, derived, cur)
        spec = cur.charts[fig_id]
        planned[fig_id] = {"rows": rows, "extra": extra, "provenance": provenance(fig_id, rows, t["sources"]),
                           "curation": [spec.kind, spec.draw, spec.title, spec.caption, spec.options,
                                        cur.common]}
    return planned
