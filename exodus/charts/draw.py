"""One function per chart, each drawing prepared rows into a matplotlib Figure with its source line."""
from __future__ import annotations

import datetime as dt
import re
import textwrap

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from exodus.charts import theme as theme
from exodus.model import wording
from exodus.model.vocabulary import LOWER_HEDGES, UNIT_WORDS, UPPER_HEDGES

LOWER, UPPER = LOWER_HEDGES, UPPER_HEDGES


class MixedMetricError(ValueError):
    """Rows of different metrics were about to share one axis."""


def ensure_one_metric(rows: list[dict]) -> str:
    """The single metric of an axis' rows; figures of different metrics never share an axis."""
    found = sorted({r["metric"] for r in rows})
    if len(found) != 1:
        raise MixedMetricError(f"one axis would mix metrics {', '.join(found)}; "
                               "state a conversion with as_metric() in data/derived.csv first")
    return found[0]


def number(x: float) -> str:
    """A figure as the report words it; '?' where there is none."""
    return "?" if x is None else wording.number(x)


def value_text(row: dict) -> str:
    """What the bar says, in the article's own hedge."""
    if row["value"] is None:
        return f"“{row['number_text'] or 'vague'}”\n(read as {number(row['low'])}–{number(row['high'])})"
    hedge = "" if row["hedge"] == "exact" else f"{row['hedge']} "
    suffix = " (derived)" if row["kind"] == "derived" else ""
    return f"{hedge}{number(row['value'])}{suffix}"


def _reach(row: dict) -> float:
    return max(x for x in (row["value"], row["low"], row["high"]) if x is not None)


def _groups(rows: list[dict]) -> list[list[dict]]:
    """Rows grouped by panel, panels in order of first appearance."""
    order: dict[str, list[dict]] = {}
    for r in rows:
        order.setdefault(r["panel"], []).append(r)
    return list(order.values())


def hedged_bars(ax, rows: list[dict], xmax: float, nbins: int = 5) -> None:
    """Horizontal bars whose ends show the hedge: arrow for a floor, cap for a ceiling, band for vague."""
    ensure_one_metric(rows)
    ys = np.arange(len(rows))[::-1]
    for y, r in zip(ys, rows):
        colour = theme.DERIVED if r["kind"] == "derived" else theme.CLAIM
        hatch = "////" if r["kind"] == "derived" else None
        if r["value"] is None or (r["kind"] == "derived" and r["low"] is not None and r["high"] is not None
                                  and r["low"] > 0 and r["low"] != r["high"]):
            # A vague quantity is only the interval its wording allows: a floating band.
            ax.barh(y, r["high"] - r["low"], left=r["low"], height=0.55, color=theme.VAGUE, alpha=0.55,
                    hatch="xx", edgecolor=colour, linewidth=0.8, gid=r["id"])
            if r["value"] is not None:
                ax.plot([r["value"]], [y], "o", color=colour, gid=f"{r['id']}:value")
            end = r["high"]
        else:
            ax.barh(y, r["value"], height=0.55, color=colour, hatch=hatch, edgecolor="white" if hatch else colour,
                    linewidth=0.5, gid=r["id"])
            end = r["value"]
            if r["hedge"] in LOWER or (r["kind"] == "derived" and r["hedge"] == "at least"):
                # Open-ended: the figure is a floor, so the bar continues as an arrow.
                tip = r["value"] + 0.12 * xmax
                ax.annotate("", xy=(tip, y), xytext=(r["value"], y), gid=f"{r['id']}:open",
                            arrowprops=dict(arrowstyle="-|>", color=colour, lw=1.6, linestyle=(0, (3, 2))))
                end = tip
            elif r["hedge"] in UPPER or (r["kind"] == "derived" and r["hedge"] == "at most"):
                # A ceiling: "nearly 100,000" stops short of the cap drawn at 100,000.
                cap = r["high"] if r["high"] is not None else r["value"]
                ax.plot([cap, cap], [y - 0.38, y + 0.38], color=theme.INK, lw=2.2, solid_capstyle="butt",
                        gid=f"{r['id']}:ceiling")
        ax.text(end + 0.015 * xmax, y, value_text(r), va="center", ha="left", fontsize=8, color=theme.INK,
                gid=f"{r['id']}:label")
    ax.set_yticks(ys, [textwrap.fill(r["label"], 28) for r in rows], fontsize=8.5)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlim(0, xmax)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10]))
    ax.xaxis.set_major_formatter(FuncFormatter(theme.thousands))
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="y", visible=False)


def hedge_legend(fig, rows: list[dict]) -> None:
    """Key to the hedge marks actually drawn, below the panels."""
    handles = []
    if any(r["value"] is not None and r["kind"] == "claim" for r in rows):
        handles.append(Patch(color=theme.CLAIM, label="figure as reported"))
    if any(r["hedge"] in LOWER or (r["kind"] == "derived" and r["hedge"] == "at least") for r in rows):
        handles.append(Line2D([], [], color=theme.INK, ls=(0, (3, 2)), marker=">", ms=5,
                              label="a floor: 'more than', 'at least'"))
    if any(r["hedge"] in UPPER or (r["kind"] == "derived" and r["hedge"] == "at most") for r in rows):
        handles.append(Line2D([], [], color=theme.INK, ls="", marker="|", ms=10, mew=2.2,
                              label="a ceiling: 'nearly', 'up to'"))
    if any(r["value"] is None for r in rows):
        handles.append(Patch(facecolor=theme.VAGUE, alpha=0.55, hatch="xx", edgecolor=theme.CLAIM,
                             label="vague: the range the wording allows"))
    if any(r["kind"] == "derived" for r in rows):
        handles.append(Patch(facecolor=theme.DERIVED, hatch="////", edgecolor="white", label="derived in this report"))
    if handles:
        fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=7, frameon=False,
                   handlelength=1.8, columnspacing=1.0)


def _panel_title(rows: list[dict]) -> str:
    r = rows[0]
    return f"{r['metric_label']} · {UNIT_WORDS.get(r['unit'], r['unit'])}"


def _stacked_panels(rows: list[dict], title: str, footer: str, share_by_unit: bool = True):
    groups = _groups(rows)
    heights = [len(g) + 1.3 for g in groups]
    fig = plt.figure(figsize=(theme.WIDTH, 1.2 + 0.42 * sum(heights)), layout="constrained")
    axes = fig.subplots(len(groups), 1, gridspec_kw={"height_ratios": heights}, squeeze=False)[:, 0]
    # Panels in one unit share a scale so lengths compare; each remains its own labelled axis.
    reach: dict[str, float] = {}
    for g in groups:
        key = g[0]["unit"] if share_by_unit else g[0]["panel"]
        reach[key] = max(reach.get(key, 0), max(_reach(r) for r in g))
    for ax, g in zip(axes, groups):
        key = g[0]["unit"] if share_by_unit else g[0]["panel"]
        hedged_bars(ax, g, reach[key] * 1.7)  # room right of the bars for the arrow and the label
        ax.set_title(_panel_title(g), fontsize=9)
    fig.suptitle(title, x=0.01, ha="left", fontsize=12, fontweight="bold")
    hedge_legend(fig, rows)
    theme.add_footer(fig, footer)
    return fig


def exodus_scale(rows: list[dict], footer: str):
    """(a) Reported scale of the exodus by destination; totals and per-day rates in separate panels."""
    totals = [r for r in rows if r["unit"] != "person_per_day"]
    rates = [r for r in rows if r["unit"] == "person_per_day"]
    return _stacked_panels(totals + rates, "How many left: reported figures by destination", footer)


def mobilisation(rows: list[dict], footer: str):
    """(b) Men ordered, reportedly allowed and mobilised, beside the men who left."""
    return _stacked_panels(rows, "The mobilisation and the exodus: men called up vs men who left", footer)


def cost_of_leaving(rows: list[dict], footer: str):
    """(d) Prices and savings in rubles and pounds (one axis each), with the exchange rates they imply."""
    rates = [r for r in rows if r["kind"] == "derived"]
    pairs = [[r for r in rows if r["kind"] == "claim" and r["panel"].startswith(f"{d['id']}:")] for d in rates]
    fig = plt.figure(figsize=(theme.WIDTH, 1.6 + 1.35 * len(rates)), layout="constrained")
    grid = fig.add_gridspec(len(rates), 3, width_ratios=[1, 1, 1.25])
    currencies = ("RUB", "GBP")
    reach = {u: max((_reach(r) for r in rows if r["unit"] == u), default=1) * 1.7 for u in currencies}
    for i, pair in enumerate(pairs):
        for j, unit in enumerate(currencies):
            ax = fig.add_subplot(grid[i, j])
            cell = [r for r in pair if r["unit"] == unit]
            if cell:
                hedged_bars(ax, cell, reach[unit], nbins=3)  # narrow panels: few ticks, no clashes
                ax.set_yticks([])
                ax.set_title(f"{cell[0]['label']}\nin {UNIT_WORDS[unit]}", fontsize=8, fontweight="normal")
    ax = fig.add_subplot(grid[:, 2])
    hedged_bars(ax, rates, max(_reach(r) for r in rates) * 1.6)
    ax.set_yticks(ax.get_yticks(), [r["label"].replace(", ", ",\n") for r in rates], fontsize=8)
    ax.set_title("Implied exchange rate\n(rubles per pound, derived)", fontsize=8, fontweight="normal")
    values = [r["value"] for r in rates if r["value"]]
    if len(values) >= 2:
        gap = max(values) / min(values) - 1
        ax.text(0.98, 0.02, f"the two conversions are {gap:.0%} apart", transform=ax.transAxes, ha="right",
                va="bottom", fontsize=8, color=theme.MUTED, gid="rate_gap")
    fig.suptitle("The cost of leaving: what the articles quote, and the ruble–pound rates behind them",
                 x=0.01, ha="left", fontsize=11, fontweight="bold")
    hedge_legend(fig, rows)
    theme.add_footer(fig, footer)
    return fig


def _date(text: str) -> float:
    return mdates.date2num(dt.date.fromisoformat(text))


def timeline(rows: list[dict], footer: str):
    """(c) Dated events (spans show their precision) and when each source was published."""
    events = [r for r in rows if r["lane"] == "event"]
    pubs = [r for r in rows if r["lane"] == "source"]
    fig = plt.figure(figsize=(theme.WIDTH, 1.6 + 0.26 * (len(events) + len(pubs) + 4)), layout="constrained")
    axes = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [len(events) + 1, len(pubs) + 1]})
    lo = min(_date(r["start"]) for r in rows) - 45
    hi = max(_date(r["end"]) for r in rows) + 45
    mid = (lo + hi) / 2
    for ax, lane in zip(axes, (events, pubs)):
        ys = np.arange(len(lane))[::-1]
        for y, r in zip(ys, lane):
            start, end = _date(r["start"]), _date(r["end"]) + 1
            colour = theme.PRECISION_COLOUR.get(r["precision"], theme.CLAIM)
            if end - start > 1.5:
                ax.barh(y, end - start, left=start, height=0.5, color=colour, alpha=0.6, gid=r["id"])
            else:
                filled = r["basis"] == "stated"
                ax.plot([start], [y], "o", ms=5, color=colour, mfc=colour if filled else "white", gid=r["id"])
            if r.get("open_end"):
                # "Not before" with no end: a short dashed arrow says "or later"; the label follows it.
                tip = end + 0.12 * (hi - lo)
                ax.annotate("", xy=(tip, y), xytext=(end, y), gid=f"{r['id']}:open",
                            arrowprops=dict(arrowstyle="-|>", color=colour, lw=1.2, linestyle=(0, (3, 2))))
                end = tip
            text = r["label"] if len(r["label"]) <= 90 else r["label"][:88] + "…"
            right = start < mid
            ax.text(end + 8 if right else start - 8, y, text, ha="left" if right else "right", va="center",
                    fontsize=7, color=theme.INK, gid=f"{r['id']}:label")
        ax.set_yticks([])
        ax.set_ylim(-0.7, len(lane) - 0.3)
        ax.grid(axis="y", visible=False)
    axes[0].set_title(f"Dated events ({len(events)}; spans show month, quarter or year precision; "
                      "hollow = resolved from relative wording)", fontsize=8.5)
    axes[1].set_title("When each article was published (bar = window inferred from the text)", fontsize=8.5)
    axes[1].set_xlim(lo, hi)
    axes[1].xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    axes[1].xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    handles = [Patch(color=c, alpha=0.6, label=p) for p, c in theme.PRECISION_COLOUR.items()
               if any(r["precision"] == p for r in events)]
    if handles:
        axes[0].legend(handles=handles, title="date precision", fontsize=7, title_fontsize=7, loc="upper right")
    fig.suptitle("Timeline: what happened when, and when it was reported", x=0.01, ha="left",
                 fontsize=12, fontweight="bold")
    theme.add_footer(fig, footer)
    return fig


def people_accounts(rows: list[dict], footer: str):
    """(e) Every individual account: age (where stated), status and destination."""
    fig = plt.figure(figsize=(theme.WIDTH, 1.6 + 0.3 * len(rows)), layout="constrained")
    ax = fig.add_subplot()
    ys = np.arange(len(rows))[::-1]
    ages = [r["age"] for r in rows if r["age"] is not None]
    lo, hi = (min(ages) - 8, max(ages) + 30) if ages else (0, 60)
    for y, r in zip(ys, rows):
        colour, marker = theme.STATUS_STYLE.get(r["status"], theme.OTHER_STATUS)
        dest = re.sub(r"\s*\([^)]*\)", "", r["destination"]).strip() or "no destination stated"
        dest = dest if len(dest) <= 60 else dest[:58] + "…"
        if r["age"] is not None:
            ax.plot([r["age"]], [y], marker, ms=7, color=colour, mec="white", mew=0.6, gid=r["id"])
            x, text = r["age"] + 1.2, f"→ {dest}"
        else:
            ax.plot([lo + 1.5], [y], marker, ms=7, mfc="white", color=colour, gid=f"{r['id']}:no_age")
            x, text = lo + 2.7, f"(age not stated) → {dest}"
        ax.text(x, y, text, fontsize=7.5, va="center", color=theme.INK, gid=f"{r['id']}:destination")
    ax.set_yticks(ys, [f"{r['name']} ({r['outlet']})" for r in rows], fontsize=8)
    ax.set_xlim(lo, hi)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlabel("age in years, as stated (destination as written, remarks in parentheses omitted)", fontsize=8)
    ax.grid(axis="y", visible=False)
    present = {r["status"] for r in rows}
    statuses = [s for s in theme.STATUS_STYLE if s in present] + sorted(present - set(theme.STATUS_STYLE))
    style = lambda s: theme.STATUS_STYLE.get(s, theme.OTHER_STATUS)  # noqa: E731
    ax.legend(handles=[Line2D([], [], ls="", marker=style(s)[1], color=style(s)[0], label=s) for s in statuses],
              title="status at the time of the article", fontsize=7.5, title_fontsize=7.5, loc="lower left",
              bbox_to_anchor=(0, 1.0), ncol=min(4, len(statuses)), frameon=False, alignment="left")
    fig.suptitle(f"The people: all {len(rows)} individual accounts in the articles", x=0.01, ha="left",
                 fontsize=12, fontweight="bold")
    theme.add_footer(fig, footer)
    return fig


def source_metric_grid(rows: list[dict], footer: str):
    """(f) Which source reports which metric: number of claims in each cell."""
    metrics = sorted({(r["metric_label"], r["metric"]) for r in rows})
    sources = list(dict.fromkeys((r["source_id"], r["outlet"]) for r in rows))  # row order: by publication
    counts = {(r["metric"], r["source_id"]): r["claims"] for r in rows}
    matrix = np.array([[counts.get((m, s), 0) for s, _ in sources] for _, m in metrics], dtype=float)
    fig = plt.figure(figsize=(theme.WIDTH, 1.8 + 0.22 * len(metrics)), layout="constrained")
    ax = fig.add_subplot()
    cmap = sns.light_palette(theme.CLAIM, as_cmap=True)
    sns.heatmap(matrix, ax=ax, cmap=cmap, mask=matrix == 0, annot=True, fmt=".0f", cbar=False, linewidths=0.6,
                linecolor=theme.GRID, vmin=0, vmax=max(1.0, matrix.max()), annot_kws={"fontsize": 7.5})
    ax.set_xticks(np.arange(len(sources)) + 0.5, [f"{o}: {s}" for s, o in sources],
                  rotation=25, ha="left", rotation_mode="anchor", fontsize=7.5)
    ax.set_yticks(np.arange(len(metrics)) + 0.5, [label for label, _ in metrics], rotation=0, fontsize=7.5)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    ax.grid(False)
    ax.set_facecolor("white")
    fig.suptitle("Which source reports what: claims per source and metric", x=0.01, ha="left",
                 fontsize=12, fontweight="bold")
    theme.add_footer(fig, footer)
    return fig


CHARTS = {"exodus_scale": exodus_scale, "mobilisation": mobilisation, "timeline": timeline,
          "cost_of_leaving": cost_of_leaving, "people": people_accounts, "source_metric_grid": source_metric_grid}
