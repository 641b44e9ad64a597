"""Build every chart into figures/: PNG, SVG, a CSV of the plotted rows, and figures.json."""
from __future__ import annotations

import json
from pathlib import Path

from exodus import paths
from exodus.charts import data as chart_data
from exodus.model import csv_out
from exodus.stages import derive

TABLES = ("sources", "metrics", "claims", "people", "events")
ORDER = ("exodus_scale", "mobilisation", "timeline", "cost_of_leaving", "people", "source_metric_grid")


def version(path: Path = paths.ROOT / "VERSION") -> str:
    """Report version from the VERSION file at the repository root."""
    return Path(path).read_text(encoding="utf-8").strip()


def report_title(path: Path = paths.DATAPACKAGE) -> str:
    return json.loads(Path(path).read_text(encoding="utf-8"))["title"]


def chart_rows(fig_id: str, t: dict[str, list[dict]], derived: list) -> tuple[list[dict], dict]:
    """Rows a chart plots, plus facts for its caption."""
    if fig_id == "exodus_scale":
        return chart_data.exodus_rows(t["claims"], t["metrics"], derived), {}
    if fig_id == "mobilisation":
        return chart_data.mobilisation_rows(t["claims"], t["metrics"]), {}
    if fig_id == "cost_of_leaving":
        return chart_data.cost_rows(t["claims"], t["metrics"], derived), {}
    if fig_id == "timeline":
        rows = chart_data.timeline_rows(t["events"], t["sources"], t["claims"])
        undated = sum(1 for e in t["events"] if not e.get("date") or e.get("date_precision") == "unknown")
        return rows, {"undated": undated}
    if fig_id == "people":
        return chart_data.people_rows(t["people"], t["sources"]), {}
    if fig_id == "source_metric_grid":
        return chart_data.grid_rows(t["claims"], t["metrics"], t["sources"]), {}
    raise KeyError(f"no chart {fig_id!r}; known: {', '.join(ORDER)}")


def _ids(rows: list[dict], field: str) -> list[str]:
    return sorted({i for r in rows for i in str(r.get(field) or "").split(";") if i})


def provenance(fig_id: str, rows: list[dict], sources: list[dict]) -> dict:
    """Ids a chart rests on and the outlets behind them."""
    source_ids = _ids(rows, "source_ids") or _ids(rows, "source_id")
    return {
        "claim_ids": _ids(rows, "claim_ids"),
        "derived_ids": sorted(r["id"] for r in rows if r.get("kind") == "derived"),
        "people_ids": sorted(r["id"] for r in rows) if fig_id == "people" else [],
        "event_ids": sorted(r["id"] for r in rows if r.get("lane") == "event"),
        "source_ids": source_ids,
        "outlets": chart_data.outlets(source_ids, sources),
    }


def footer(fig_id: str, prov: dict, report: str, ver: str) -> str:
    """Source line for a chart: outlets, claim ids, and what else it rests on."""
    from exodus.charts import text as figure_text  # draws in the plotting stack; only needed when drawing
    other = []
    if prov["derived_ids"]:
        other.append(f"Derived (data/derived.csv): {', '.join(prov['derived_ids'])}.")
    if prov["people_ids"]:
        other.append(f"People table: {len(prov['people_ids'])} accounts.")
    if prov["event_ids"]:
        other.append(f"Events table: {len(prov['event_ids'])} dated events; sources table: publication dates.")
    return figure_text.source_line(prov["outlets"], prov["claim_ids"], report, ver, " ".join(other))


def csv_rows(rows: list[dict]) -> tuple[list[str], list[dict]]:
    """Plotted rows as written to figures/<id>.csv, numbers formatted like build/derived.csv."""
    fields = list(rows[0]) if rows else ["id"]
    fmt = lambda v: csv_out.number(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v  # noqa: E731
    return fields, [{k: fmt(r.get(k)) for k in fields} for r in rows]


def save(fig, out_dir: Path, fig_id: str, creator: str) -> list[Path]:
    """PNG and SVG with no timestamps or version strings, so rebuilding gives identical bytes."""
    import matplotlib.pyplot as plt

    from exodus.charts import theme as chart_theme
    out_dir.mkdir(parents=True, exist_ok=True)
    png, svg = out_dir / f"{fig_id}.png", out_dir / f"{fig_id}.svg"
    with chart_theme.style():
        fig.savefig(png, format="png", dpi=chart_theme.DPI,
                    metadata={"Software": None, "Creator": creator})
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": creator})
    plt.close(fig)
    return [png, svg]


def build(t: dict[str, list[dict]], derived: list, out_dir: Path, ver: str, report: str,
          only: tuple[str, ...] = ORDER) -> dict:
    """Draw and write the charts; returns the figures.json content."""
    from exodus.charts import draw as charts
    from exodus.charts import text as figure_text
    from exodus.charts import theme as chart_theme
    out_dir = Path(out_dir)
    meta = {}
    for fig_id in only:
        rows, extra = chart_rows(fig_id, t, derived)
        prov = provenance(fig_id, rows, t["sources"])
        line = footer(fig_id, prov, report, ver)
        with chart_theme.style():
            fig = charts.CHARTS[fig_id](rows, line)
        save(fig, out_dir, fig_id, f"{report} {ver}")
        fields, out_rows = csv_rows(rows)
        csv_out.write(out_dir / f"{fig_id}.csv", fields, out_rows)
        meta[fig_id] = {
            "id": fig_id, "title": figure_text.TITLES[fig_id], "caption": figure_text.caption(fig_id, rows, extra),
            "alt": figure_text.alt(fig_id, rows), "cite": figure_text.cite(fig_id, report, ver, prov["outlets"]),
            "source_line": line, "png": f"{fig_id}.png", "svg": f"{fig_id}.svg", "csv": f"{fig_id}.csv",
            "rows": len(rows), "version": ver, **prov,
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
    for fig_id in ORDER:
        rows, extra = chart_rows(fig_id, t, derived)
        planned[fig_id] = {"rows": rows, "extra": extra, "provenance": provenance(fig_id, rows, t["sources"])}
    return planned


def main(out_dir: Path = paths.FIGURES) -> None:
    import matplotlib
    matplotlib.use("Agg")  # headless, and the renderer every PNG was checked with
    t = derive.load_tables(names=TABLES)
    derived = derive.build(t)
    meta = build(t, derived, out_dir, version(), report_title())
    print(f"{len(meta)} figures -> {paths.rel(Path(out_dir))}: {', '.join(sorted(meta))}")



if __name__ == "__main__":
    main()
