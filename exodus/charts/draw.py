"""Drawing functions, registered by the `draw` name data/charts.yml gives them, and the hedge marks they share."""
from __future__ import annotations

import datetime as dt
import re
import textwrap

import matplotlib.dates as mdates
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from exodus.charts import theme as theme
from exodus.model import wording
from exodus.model.vocabulary import bound_of, unit_words

DRAW: dict = {}  # draw name in data/charts.yml -> function(rows, words, footer) returning a Figure
# Limits that keep every chart within theme.MAX_HEIGHT with legible text at any number of reports:
# past them a chart draws the first rows and counts the rest.
PANEL_BARS = 12        # bars over all the panels of a hedged chart
MAX_SERIES = 3         # series panels (the ones with most reports)
SERIES_LABELS = 6      # a longer series labels its first, latest, highest and lowest points
MAX_PAIRS = 4          # currency pairs on the cost chart
MAX_PEOPLE = 20        # accounts on the people chart
MAX_METRIC_BARS = 14   # metrics on the coverage chart


def drawing(name: str):
    """Register a drawing function under the name a chart entry's `draw` key uses."""
    def add(fn):
        DRAW[name] = fn
        return fn
    return add


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
    """What the bar says, in the article's own hedge, and how many reports give it when more than one."""
    return _value_words(row) + (f" ({row['reports']} reports)" if row.get("reports", 1) > 1 else "")


def _value_words(row: dict) -> str:
    if row["value"] is None:
        return f"“{row['number_text'] or 'vague'}”\n(read as {number(row['low'])}–{number(row['high'])})"
    if row["kind"] == "derived":
        return f"{wording.derived_text(row)} (derived)"  # worded as in the report: the floor, or the range
    hedge = "" if row["hedge"] == "exact" else f"{row['hedge']} "
    return f"{hedge}{number(row['value'])}"


def top(rows: list[dict], limit: int, key) -> tuple[list[dict], int]:
    """The `limit` rows ranking first by key, in their original order, and how many were left out."""
    if len(rows) <= limit:
        return rows, 0
    kept = {id(r) for r in sorted(rows, key=key)[:limit]}
    return [r for r in rows if id(r) in kept], len(rows) - limit


def note(ax, text: str, gid: str) -> None:
    """A line under an axis saying what the axis leaves out (counted, never silently dropped). It is set as
    the axis label's last line, so the layout keeps it clear of the tick labels."""
    label, text = ax.get_xlabel(), textwrap.fill(text, theme.AXIS_TITLE_CHARS)
    ax.set_xlabel(f"{label}\n{text}" if label else text, loc="left", fontsize=theme.SMALL, color=theme.INK)
    ax.xaxis.label.set_gid(gid)


def _reach(row: dict) -> float:
    return max(x for x in (row["value"], row["low"], row["high"]) if x is not None)


def _groups(rows: list[dict]) -> list[list[dict]]:
    """Rows grouped by panel, panels in order of first appearance."""
    order: dict[str, list[dict]] = {}
    for r in rows:
        order.setdefault(r["panel"], []).append(r)
    return list(order.values())


def hedged_bars(ax, rows: list[dict], xmax: float, nbins: int | None = None) -> None:
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
            # A derived floor is drawn to its low bound ("at least 4,000"), not to the point value inside it.
            floor = r["kind"] == "derived" and r["hedge"] == "at least" and r["low"] is not None
            length = r["low"] if floor else r["value"]
            ax.barh(y, length, height=0.55, color=colour, hatch=hatch, edgecolor="white" if hatch else colour,
                    linewidth=0.5, gid=r["id"])
            end = length
            if bound_of(r["hedge"]) == "floor":
                # Open-ended: the figure is a floor, so the bar continues as an arrow.
                tip = length + 0.12 * xmax
                ax.annotate("", xy=(tip, y), xytext=(length, y), gid=f"{r['id']}:open",
                            arrowprops=dict(arrowstyle="-|>", color=colour, lw=1.6, linestyle=(0, (3, 2))))
                end = tip
            elif bound_of(r["hedge"]) == "ceiling":
                # A ceiling: "nearly 100,000" stops short of the cap drawn at 100,000.
                cap = r["high"] if r["high"] is not None else r["value"]
                ax.plot([cap, cap], [y - 0.38, y + 0.38], color=theme.INK, lw=2.2, solid_capstyle="butt",
                        gid=f"{r['id']}:ceiling")
        label = theme.fill(value_text(r), theme.VALUE_CHARS)
        ax.annotate(label, (end, y), xytext=(theme.LABEL_GAP_PT, 0), textcoords="offset points", va="center",
                    ha="left", fontsize=theme.SMALL, color=theme.INK, gid=f"{r['id']}:label")
    ax.set_yticks(ys, [theme.clip(r["label"], theme.LABEL_CHARS, theme.LABEL_LINES) for r in rows], fontsize=theme.SMALL)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlim(0, xmax)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=min(nbins or theme.TICKS, theme.TICKS), steps=[1, 2, 2.5, 5, 10]))
    ax.xaxis.set_major_formatter(FuncFormatter(theme.tick_format()))
    ax.tick_params(axis="x", labelsize=theme.SMALL)
    ax.grid(axis="y", visible=False)


SERIES_MARKS = (("^", "legend_series_floor"), ("v", "legend_series_ceiling"), ("o", "legend_series_exact"))


def _marker(row: dict) -> str:
    return "^" if bound_of(row["hedge"]) == "floor" else "v" if bound_of(row["hedge"]) == "ceiling" else "o"


def hedge_legend(fig, rows: list[dict], words) -> None:
    """Key to the marks actually drawn, below the panels: each mark kind once, only when the chart has it."""
    bars = [r for r in rows if not r.get("series")]
    series = [r for r in rows if r.get("series")]
    handles = []
    if any(r["value"] is not None and r["kind"] == "claim" for r in bars):
        handles.append(Patch(color=theme.CLAIM, label=words.common("legend_reported")))
    if any(bound_of(r["hedge"]) == "floor" for r in bars):
        handles.append(Line2D([], [], color=theme.INK, ls=(0, (3, 2)), marker=">", ms=5,
                              label=words.common("legend_floor")))
    if any(bound_of(r["hedge"]) == "ceiling" for r in bars):
        handles.append(Line2D([], [], color=theme.INK, ls="", marker="|", ms=10, mew=2.2,
                              label=words.common("legend_ceiling")))
    if any(r["value"] is None for r in bars):
        handles.append(Patch(facecolor=theme.VAGUE, alpha=0.55, hatch="xx", edgecolor=theme.CLAIM,
                             label=words.common("legend_vague")))
    if any(r["kind"] == "derived" for r in bars):
        handles.append(Patch(facecolor=theme.DERIVED, hatch="////", edgecolor="white", label=words.common("legend_derived")))
    drawn = {_marker(r) for r in series if _dated(r)}
    handles += [Line2D([], [], ls="", marker=m, ms=7, color=theme.CLAIM, label=words.common(key))
                for m, key in SERIES_MARKS if m in drawn]
    if any(r["value"] is None for r in series if _dated(r)):
        handles.append(Line2D([], [], ls="-", marker="_", ms=8, color=theme.VAGUE, label=words.common("legend_vague")))
    if any(_dated(r) and _as_of_days(r["as_of"])[0] != _as_of_days(r["as_of"])[1] for r in series):
        handles.append(Line2D([], [], ls="-", marker="|", ms=8, color=theme.CLAIM, label=words.common("legend_window")))
    if handles:
        fig.legend(handles=handles, loc="lower center", ncol=min(len(handles), theme.LEGEND_COLS), fontsize=theme.SMALL, frameon=False,
                   handlelength=1.8, columnspacing=1.0)


def _panel_title(rows: list[dict]) -> str:
    r = rows[0]
    return f"{r['metric_label']} · {unit_words(r['unit'])}"


def _date(text: str) -> float:
    return mdates.date2num(dt.date.fromisoformat(text))


def _as_of_days(iso: str) -> tuple[float | None, float | None]:
    """First and last day of an as_of value ('2022-10-02', '2022-09-26/2022-10-02', '2022-10-01/..');
    None for an end that is not known (an open window, or no date at all)."""
    start, _, end = iso.partition("/") if "/" in iso else (iso, "", iso)
    return (None if start in ("", "..") else _date(start)), (None if end in ("", "..") else _date(end))


def _dated(row: dict) -> bool:
    """A report can sit on a date axis only when both ends of its as-of are known."""
    return None not in _as_of_days(row.get("as_of") or "")


def _labelled(points: list[dict]) -> set[int]:
    """Which points of a series carry a value label: all of a short series, else the first, the latest,
    the highest and the lowest (every point keeps its marker)."""
    if len(points) <= SERIES_LABELS:
        return {id(p) for p in points}
    y = lambda p: p["y"]  # noqa: E731
    return {id(points[0]), id(points[-1]), id(max(points, key=y)), id(min(points, key=y))}


def series_panel(ax, rows: list[dict], words) -> None:
    """Several reports of one figure for one place, on a date axis: a point per report, a bracket for
    a window, the hedge as the marker (▲ floor, ▼ ceiling, a vertical range for vague), joined by steps.
    Reports whose as-of is open or unknown cannot be placed in time: they are counted under the axis."""
    ensure_one_metric(rows)
    points = []
    for r in (r for r in rows if _dated(r)):
        lo, hi = _as_of_days(r["as_of"])
        y = r["value"] if r["value"] is not None else (r["low"] + r["high"]) / 2
        points.append({"row": r, "x": (lo + hi) / 2, "lo": lo, "hi": hi, "y": y})
    points.sort(key=lambda p: (p["x"], p["y"]))
    labelled = _labelled(points)
    ends = [p["lo"] for p in points] + [p["hi"] for p in points]
    span = max(max(ends) - min(ends), 7) if ends else 7
    limits = (min(ends) - 0.1 * span, max(ends) + 0.45 * span) if ends else None  # room for the last label
    rise, lines = 5.0, 0  # each label sits above the previous one: labels never overprint, at any date
    for p in points:
        r, x, y = p["row"], p["x"], p["y"]
        ax.plot([x], [y], _marker(r), ms=8, color=theme.CLAIM, gid=r["id"])
        if p["hi"] > p["lo"]:
            ax.errorbar([x], [y], xerr=[[x - p["lo"]], [p["hi"] - x]], fmt="none", ecolor=theme.CLAIM, capsize=4,
                        gid=f"{r['id']}:window")
        if r["value"] is None:
            ax.errorbar([x], [y], yerr=[[y - r["low"]], [r["high"] - y]], fmt="none", ecolor=theme.VAGUE,
                        capsize=4, gid=f"{r['id']}:range")
        if id(p) in labelled:
            text = theme.fill(value_text(r).replace("\n", " "), theme.VALUE_CHARS)
            right = x > sum(limits) / 2  # a label in the right half reads leftwards, staying on the axis
            ax.annotate(text, (x, y), xytext=(-6 if right else 6, rise), textcoords="offset points",
                        ha="right" if right else "left", va="bottom", fontsize=theme.SMALL, color=theme.INK,
                        gid=f"{r['id']}:label")
            rise += 1.3 * theme.SMALL * (text.count("\n") + 1)
            lines += text.count("\n") + 1
    undated = [r for r in rows if not _dated(r)]
    if points:
        ax.step([p["x"] for p in points], [p["y"] for p in points], where="post", color=theme.CLAIM, lw=1, alpha=0.5,
                gid=f"{rows[0]['series']}:steps")
        ax.set_xlim(*limits)
        top_y = max(max(r["high"] or r["value"] or 0 for r in rows), max(p["y"] for p in points))
        ax.set_ylim(0, top_y * (1.25 + 0.14 * lines))
    locator = mdates.AutoDateLocator(minticks=2, maxticks=min(4, theme.TICKS))
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False,
                                                             formats=["%Y", "%b %Y", "%d %b", "%d %b", "%H:%M", "%S"]))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_formatter(FuncFormatter(theme.tick_format()))
    ax.tick_params(labelsize=theme.SMALL)
    unlabelled = len(points) - len(labelled)
    parts = ([words.common("unlabelled", count=unlabelled)] if unlabelled else []) + \
        [words.common("undated", items=value_text(r).replace("\n", " ")) for r in undated[:2]] + \
        ([words.common("undated_more", count=len(undated) - 2)] if len(undated) > 2 else [])
    if parts:
        note(ax, "; ".join(parts), f"{rows[0]['series']}:note")


def _panel_heights(shown: list[tuple[list[dict], int]], n_series: int) -> list[float]:
    """Inches each panel needs: its wrapped labels (a line is about 0.17 in), title, ticks and note."""
    # Rows of a panel are evenly spaced, so each is as tall as the panel's longest label.
    lines = lambda g: max(2.0, max(theme.clip(r["label"], theme.LABEL_CHARS, theme.LABEL_LINES).count("\n") + 1.6  # noqa: E731
                                   for r in g))
    title = lambda g: 0.17 * len(textwrap.wrap(_panel_title(g), theme.PANEL_TITLE_CHARS))  # noqa: E731
    return [theme.LINE_IN * len(g) * lines(g) + 0.6 + title(g) + 0.3 * bool(left) for g, left in shown] \
        + [2.2 * theme.ROW_STRETCH] * n_series


def _bar_rank(r: dict):
    """Bars kept first when a panel is full: the most-repeated figures, then the largest."""
    return (-r.get("reports", 1), -_reach(r), r["id"])


@drawing("hedged_panels")
def hedged_panels(rows: list[dict], words, footer: str):
    """One panel of hedged bars per metric (panels in one unit share a scale); several reports of one
    figure for one place get a panel of their own, as a series over time. A full panel shows its
    top bars and counts the rest; series beyond the limit are counted under the chart."""
    bars = [r for r in rows if not r.get("series")]
    series: dict[str, list[dict]] = {}
    for r in rows:
        if r.get("series"):
            series.setdefault(r["series"], []).append(r)
    groups = _groups(bars)
    per_panel = max(2, PANEL_BARS // max(1, len(groups)))
    ranked = sorted(series.values(), key=lambda s: (-len(s), s[0]["series"]))
    n_series = min(MAX_SERIES, len(ranked))
    while True:  # fewer series panels, then fewer bars a panel, until the chart fits its height
        shown = [top(g, per_panel, _bar_rank) for g in groups]
        drawn_series = ranked[:n_series]
        heights = _panel_heights(shown, len(drawn_series))
        if 1.5 + sum(heights) <= theme.MAX_HEIGHT or (n_series <= 1 and per_panel <= 2) or not heights:
            break
        n_series, per_panel = (n_series - 1, per_panel) if n_series > 1 else (n_series, per_panel - 1)
    fig = theme.figure(1.5 + sum(heights))
    axes = fig.subplots(len(heights), 1, gridspec_kw={"height_ratios": heights}, squeeze=False)[:, 0]
    reach: dict[str, float] = {}
    for g, _ in shown:
        reach[g[0]["unit"]] = max(reach.get(g[0]["unit"], 0), max(_reach(r) for r in g))
    scale: dict[str, object] = {}  # the first axis of each unit: panels in one unit share its scale
    for ax, (g, left) in zip(axes, shown):
        hedged_bars(ax, g, reach[g[0]["unit"]] * theme.LABEL_ROOM)  # room right of the bars for the label
        if scale.setdefault(g[0]["unit"], ax) is not ax:
            ax.sharex(scale[g[0]["unit"]])  # widened for a long label, every panel of the unit widens alike
        ax.set_title(textwrap.fill(_panel_title(g), theme.PANEL_TITLE_CHARS), fontsize=theme.MEDIUM)
        if left:
            note(ax, words.common("more_figures", count=left), f"{g[0]['panel']}:note")
    for ax, s in zip(axes[len(groups):], drawn_series):
        series_panel(ax, s, words)
        ax.set_title(textwrap.fill(words.common("series_title", metric=_panel_title(s), place=s[0]["label"]),
                                   theme.HEADING_CHARS),
                     fontsize=theme.MEDIUM, gid=f"{s[0]['series']}:title")
    theme.title(fig, words.title)
    hedge_legend(fig, bars + [r for s in drawn_series for r in s], words)
    left = len(series) - len(drawn_series)
    theme.add_footer(fig, " ".join([words.common("more_series", count=left)] * bool(left) + [footer]))
    return fig


@drawing("conversion_panels")
def conversion_panels(rows: list[dict], words, footer: str):
    """Prices and savings in rubles and pounds (one axis each), with the exchange rates they imply."""
    rates, left = top([r for r in rows if r["kind"] == "derived"], MAX_PAIRS, _bar_rank)
    pairs = [[r for r in rows if r["kind"] == "claim" and r["panel"].startswith(f"{d['id']}:")] for d in rates]
    fig = theme.figure(2.2 + 1.9 * len(rates) * theme.ROW_STRETCH)
    grid = fig.add_gridspec(len(rates) + 1, 2, height_ratios=[1.0] * len(rates) + [0.9 * len(rates) * theme.ROW_STRETCH])
    currencies = ("RUB", "GBP")
    reach = {u: max((_reach(r) for r in rows if r["unit"] == u), default=1) * theme.LABEL_ROOM for u in currencies}
    scale: dict[str, object] = {}
    for i, pair in enumerate(pairs):
        for j, unit in enumerate(currencies):
            cell = [r for r in pair if r["unit"] == unit]
            if cell:
                ax = fig.add_subplot(grid[i, j])
                hedged_bars(ax, cell, reach[unit], nbins=3)  # narrow panels: few ticks, no clashes
                if scale.setdefault(unit, ax) is not ax:
                    ax.sharex(scale[unit])
                ax.set_yticks([])
                ax.set_title(theme.fill(words.label("currency_title", label=cell[0]["label"], unit=unit_words(unit)),
                                        theme.LABEL_CHARS + 6),
                             fontsize=theme.SMALL, fontweight="normal")
    ax = fig.add_subplot(grid[len(rates), :])
    hedged_bars(ax, rates, max(_reach(r) for r in rates) * (theme.LABEL_ROOM - 0.3))
    ax.set_title(textwrap.fill(words.label("rate_title").replace("\n", " "), theme.PANEL_TITLE_CHARS + 10),
                 fontsize=theme.SMALL, fontweight="normal")
    if left:
        note(ax, words.common("more_conversions", count=left), "rates:note")
    theme.title(fig, words.title)
    hedge_legend(fig, rates + [r for pair in pairs for r in pair], words)
    theme.add_footer(fig, footer)
    return fig


def _mark(ax, r: dict, y: float, x_hi: float) -> float:
    """A point for a day, a bracket for a week/month/window, an arrow for an open window; returns its end."""
    start, end = _date(r["start"]), _date(r["end"])
    colour = theme.PRECISION_COLOUR.get(r["precision"], theme.CLAIM)
    filled = r["basis"] == "stated"
    if r["shape"] == "open":
        ax.plot([start], [y], "o", ms=7, color=colour, mfc=colour if filled else "white", gid=r["id"])
        ax.annotate("", xy=(x_hi, y), xytext=(start, y), gid=f"{r['id']}:open",
                    arrowprops=dict(arrowstyle="-|>", color=colour, lw=1.4, linestyle=(0, (3, 2))))
        return x_hi
    if end > start:
        ax.errorbar([(start + end) / 2], [y], xerr=[[(end - start) / 2]], fmt="none", ecolor=colour, elinewidth=2,
                    capsize=5, capthick=2, gid=r["id"])
        return end
    ax.plot([start], [y], "o", ms=7, color=colour, mfc=colour if filled else "white", gid=r["id"])
    return end


def _row_positions(labels: list[str]) -> tuple[list[float], float]:
    """Centre of each row from the top, in inches, each row as tall as its label's lines; and the total."""
    ys, top_in = [], 0.0
    for label in labels:
        pitch = 0.14 * (label.count("\n") + 1) + 0.1
        ys.append(-(top_in + pitch / 2))
        top_in += pitch
    return ys, top_in


@drawing("timeline")
def timeline(rows: list[dict], words, footer: str):
    """Dated happenings at their precision, and when each article was published, in the story's window."""
    events = [r for r in rows if r["lane"] == "event" and r["drawn"] == "yes"]
    pubs = [r for r in rows if r["lane"] == "source" and r["drawn"] == "yes"]
    # Labels in a column left of the axis: long texts never run into the marks or off the figure.
    def tag(r: dict) -> str:  # an event names its outlets, and how many sources when several report it
        n = len(r["source_ids"].split(";"))
        return f" [{words.label('event_sources', outlets=r['outlets'], count=n) if n > 1 else r['outlets']}]"
    labels = [[theme.clip(r["label"] + (tag(r) if r["lane"] == "event" else ""), theme.TIMELINE_CHARS)
               for r in lane] for lane in (events, pubs)]
    placed = [_row_positions(lane) for lane in labels]
    heights = [total + 0.25 for _, total in placed]
    crowded = [words.label(key) for key in ("crowded", "crowded_sources") if words.extra.get(key)]
    note = " ".join([words.label("outside"), *crowded, footer])
    # Room for what is not rows: title, lane titles, ticks, key and the note, each as many lines as it wraps to.
    lines = lambda text, chars: len(textwrap.wrap(text, chars))  # noqa: E731
    other = 0.2 * lines(words.title, theme.HEADING_CHARS) + 0.95 + 0.15 * (
        lines(words.label("events_title"), theme.AXIS_TITLE_CHARS) + lines(words.label("sources_title"), theme.AXIS_TITLE_CHARS)
        + theme.wrap(note, theme.WIDTH - 0.3).count("\n") + 1)
    fig = theme.figure(other + sum(heights))
    axes = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": heights})
    lo, hi = _date(words.extra["window_start"]), _date(words.extra["window_end"])
    lo = min([lo] + [_date(r["start"]) for r in events + pubs])  # a bracket that starts earlier is not cut
    hi = max([hi] + [_date(r["end"]) for r in events + pubs if r["shape"] != "open"])
    pad = 0.04 * (hi - lo)
    for ax, lane, names, (ys, total) in zip(axes, (events, pubs), labels, placed):
        for y, r in zip(ys, lane):
            _mark(ax, r, y, hi + pad)
        ax.set_yticks(ys, names, fontsize=theme.SMALL, linespacing=1.05)
        ax.set_ylim(-total - 0.1, 0.1)
        ax.grid(axis="y", visible=False)
    axes[0].set_title(textwrap.fill(words.label("events_title"), theme.AXIS_TITLE_CHARS), fontsize=theme.SMALL,
                      fontweight="normal")
    axes[1].set_title(textwrap.fill(words.label("sources_title"), theme.AXIS_TITLE_CHARS), fontsize=theme.SMALL,
                      fontweight="normal")
    axes[1].set_xlim(lo - pad, hi + pad)
    locator = mdates.AutoDateLocator(minticks=2, maxticks=theme.TICKS)
    axes[1].xaxis.set_major_locator(locator)
    axes[1].xaxis.set_major_formatter(mdates.ConciseDateFormatter(
        locator, show_offset=False, formats=["%Y", "%b %Y", "%d %b", "%d %b", "%H:%M", "%S"]))
    axes[1].tick_params(axis="x", labelsize=theme.SMALL)
    handles = [Patch(color=c, label=p) for p, c in theme.PRECISION_COLOUR.items() if any(r["precision"] == p for r in events)]
    if handles:
        fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=theme.SMALL, frameon=False)
    theme.title(fig, words.title)
    theme.add_footer(fig, note)
    return fig


@drawing("people_dots")
def people_accounts(rows: list[dict], words, footer: str):
    """(e) Every individual account: age (where stated), status and destination; past MAX_PEOPLE, one
    row per status with every stated age as a dot and the accounts counted."""
    if len(rows) > MAX_PEOPLE:
        return people_by_status(rows, words, footer)
    names = [theme.clip(f"{r['name']} ({r['outlet']})", theme.NAME_CHARS) for r in rows]
    pitch = 0.16 * max(n.count("\n") + 1 for n in names) + 0.14 if names else 0.3
    # Room for the title, axis label, key (two columns a row) and note, as many lines as each wraps to.
    kinds = len({r["status"] for r in rows})
    other = 0.2 * len(textwrap.wrap(words.title, theme.HEADING_CHARS)) + 0.7 + 0.24 * (1 + -(-kinds // (2 * theme.LEGEND_COLS))) \
        + 0.15 * (len(textwrap.wrap(words.label("x_label"), theme.AXIS_TITLE_CHARS))
                  + theme.wrap(footer, theme.WIDTH - 0.3).count("\n") + 1)
    fig = theme.figure(other + pitch * len(rows))
    ax = fig.add_subplot()
    ys = np.arange(len(rows))[::-1]
    ages = [r["age"] for r in rows if r["age"] is not None]
    lo, hi = (min(ages) - 8, max(ages) + 40) if ages else (0, 60)
    # Characters that fit right of x: the axis is the figure less the name column (DejaVu Sans averages
    # about 0.55 em a character), so a destination is shortened rather than run off the figure.
    em_in = theme.SMALL * 0.52 / 72
    axis_in = theme.WIDTH - max(len(line) for n in names for line in n.split("\n")) * em_in - 0.35
    fits = lambda x: int((hi - x) / (hi - lo) * axis_in / em_in) - 1  # noqa: E731
    for y, r in zip(ys, rows):
        colour, marker = theme.STATUS_STYLE.get(r["status"], theme.OTHER_STATUS)
        dest = re.sub(r"\s*\([^)]*\)", "", r["destination"]).strip() or words.common("no_destination")
        if r["age"] is not None:
            ax.plot([r["age"]], [y], marker, ms=7, color=colour, mec="white", mew=0.6, gid=r["id"])
            x, text = r["age"] + 1.2, words.label("with_age", destination=dest)
        else:
            ax.plot([lo + 1.5], [y], marker, ms=7, mfc="white", color=colour, gid=f"{r['id']}:no_age")
            x, text = lo + 2.7, words.label("no_age", destination=dest)
        text = text if len(text) <= fits(x) else text[:fits(x) - 1].rstrip(" ;,") + "…"
        ax.text(x, y, text, fontsize=theme.SMALL, va="center", color=theme.INK, gid=f"{r['id']}:destination")
    ax.set_yticks(ys, names, fontsize=theme.SMALL)
    ax.set_xlim(lo, hi)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlabel(textwrap.fill(words.label("x_label"), theme.AXIS_TITLE_CHARS), fontsize=theme.SMALL, loc="left")
    ax.grid(axis="y", visible=False)
    present = {r["status"] for r in rows}
    statuses = [s for s in theme.STATUS_STYLE if s in present] + sorted(present - set(theme.STATUS_STYLE))
    style = lambda s: theme.STATUS_STYLE.get(s, theme.OTHER_STATUS)  # noqa: E731
    fig.legend(handles=[Line2D([], [], ls="", marker=style(s)[1], color=style(s)[0], label=s) for s in statuses],
               title=words.label("legend_title"), fontsize=theme.SMALL, title_fontsize=theme.SMALL,
               loc="lower center", ncol=min(2 * theme.LEGEND_COLS, len(statuses)), frameon=False)
    theme.title(fig, words.title)
    theme.add_footer(fig, footer)
    return fig


def people_by_status(rows: list[dict], words, footer: str):
    """Many accounts: a row per status, each stated age a translucent dot, the count beside it."""
    present = {r["status"] for r in rows}
    statuses = [s for s in theme.STATUS_STYLE if s in present] + sorted(present - set(theme.STATUS_STYLE))
    fig = theme.figure(2.6 + 0.45 * len(statuses))
    ax = fig.add_subplot()
    ages = [r["age"] for r in rows if r["age"] is not None] or [0, 60]
    ys = np.arange(len(statuses))[::-1]
    for y, status in zip(ys, statuses):
        colour, marker = theme.STATUS_STYLE.get(status, theme.OTHER_STATUS)
        group = [r for r in rows if r["status"] == status]
        aged = [r["age"] for r in group if r["age"] is not None]
        ax.plot(aged, [y] * len(aged), marker, ls="", ms=7, color=colour, alpha=0.35, gid=f"status:{status}")
        count = words.label("status_count", count=len(group), unaged=len(group) - len(aged))
        ax.text(max(ages) + 2, y, textwrap.fill(count, theme.VALUE_CHARS),
                va="center", fontsize=theme.SMALL, color=theme.INK, gid=f"status:{status}:count")
    ax.set_yticks(ys, statuses, fontsize=theme.SMALL)
    ax.set_xlim(min(ages) - 3, max(ages) + (max(ages) - min(ages) + 6) * theme.LABEL_ROOM * 0.6)
    ax.set_ylim(-0.7, len(statuses) - 0.3)
    ax.set_xlabel(textwrap.fill(words.label("x_label_status"), theme.AXIS_TITLE_CHARS), fontsize=theme.SMALL, loc="left")
    ax.grid(axis="y", visible=False)
    theme.title(fig, words.title)
    theme.add_footer(fig, footer)
    return fig


@drawing("coverage_bars")
def coverage_bars(rows: list[dict], words, footer: str):
    """How many sources report each metric: one bar per metric, most widely reported first; a metric
    only one source gives is drawn pale, so the finding (most figures rest on one article) shows."""
    shown, left = rows[:MAX_METRIC_BARS], max(0, len(rows) - MAX_METRIC_BARS)  # rows come most reported first
    labels = [textwrap.fill(r["metric_label"], theme.LABEL_CHARS + 14) for r in shown]
    more = words.label("more", metrics=left, most="one source" if left and max(r["sources"] for r in rows[-left:]) == 1
                       else f"{max((r['sources'] for r in rows[-left:]), default=0)} sources") if left else ""
    # Room for what is not rows: title, ticks, key, the axis label and note (wrapped to the axis, which is
    # the width less the label column) and the source line, each as many lines as it wraps to.
    axis_chars = max(12, int(theme.WIDTH * theme.FOOTER_CHARS_PER_INCH) - theme.LABEL_CHARS - 16)
    lines = lambda text, chars: len(textwrap.wrap(text, chars)) if text else 0  # noqa: E731
    other = 0.2 * lines(words.title, theme.HEADING_CHARS) + 0.8 + theme.LEGEND_ROW_IN * -(-2 // theme.LEGEND_COLS) \
        + 0.15 * (lines(words.label("x_label"), axis_chars) + lines(more, axis_chars)
                  + theme.wrap(footer, theme.WIDTH - 0.3).count("\n") + 1)
    fig = theme.figure(other + sum(0.15 * (label.count("\n") + 1) + 0.1 for label in labels))
    ax = fig.add_subplot()
    ys = np.arange(len(shown))[::-1]
    for y, r in zip(ys, shown):
        single = r["sources"] == 1
        ax.barh(y, r["sources"], height=0.6, color=theme.VAGUE if single else theme.CLAIM, gid=r["metric"])
        ax.annotate(str(r["sources"]), (r["sources"], y), xytext=(theme.LABEL_GAP_PT, 0), textcoords="offset points",
                    va="center", ha="left", fontsize=theme.SMALL, color=theme.INK, gid=f"{r['metric']}:label")
    ax.set_yticks(ys, labels, fontsize=theme.SMALL, linespacing=1.05)
    ax.set_ylim(-0.6, len(shown) - 0.4)
    ax.set_xlim(0, max(r["sources"] for r in rows) * 1.15 + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=theme.TICKS, integer=True))
    ax.set_xlabel(textwrap.fill(words.label("x_label"), axis_chars), fontsize=theme.SMALL, loc="left")
    ax.grid(axis="y", visible=False)
    if left:
        note(ax, more, "metrics:note")
    fig.legend(handles=[Patch(color=theme.CLAIM, label=words.label("legend_shared")),
                        Patch(color=theme.VAGUE, label=words.label("legend_single"))],
               loc="lower center", ncol=theme.LEGEND_COLS, fontsize=theme.SMALL, frameon=False)
    theme.title(fig, words.title)
    theme.add_footer(fig, footer)
    return fig
