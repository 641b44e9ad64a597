"""Titles, captions, alt text, source lines and citations for the charts, filled from data/charts.yml."""
from __future__ import annotations

from exodus.charts.draw import number, value_text
from exodus.charts.spec import ChartSpecError
from exodus.model import asof, citations
from exodus.model.vocabulary import unit_words


class Words:
    """The texts one chart prints, its data/charts.yml templates filled from the tables and its rows."""

    def __init__(self, spec, filler, extra: dict):
        self.spec, self.filler, self.extra = spec, filler, extra

    def fill(self, template: str, key: str, **local) -> str:
        return self.filler.fill(template, self.extra, self.spec.id, key, **local)

    @property
    def title(self) -> str:
        return self.fill(self.spec.title, "title")

    @property
    def caption(self) -> str:
        return " ".join(self.fill(self.spec.caption, "caption").split())

    def label(self, name: str, **local) -> str:
        return self.fill(self.spec.label(name), "labels", **local)

    def common(self, name: str, **local) -> str:
        if name not in self.filler.common:
            raise ChartSpecError(f"{self.filler.where}: key 'common': no text {name!r}")
        return self.fill(self.filler.common[name], f"common.{name}", **local)


def _when(r: dict) -> str:
    if not r.get("as_of"):
        return ""
    start, _, end = r["as_of"].partition("/")
    a = asof.AsOf(None if start == ".." else start, (None if end == ".." else end) if end else start, r["as_of_basis"])
    return f" ({asof.text(a)})" if r.get("series") else ""


def _figures(rows: list[dict]) -> str:
    return listing([f"{r['label']}: {value_text(r)} {unit_words(r['unit'])}{_when(r)}".replace("\n", " ")
                    for r in rows], ALT_ITEMS)


# Alt text and the source line name at most this many items: a chart's words stay bounded however many
# rows it plots (its CSV download lists every row and every id). The rest is said without a numeral, since
# generated text may print only numbers a data file states (the drawing itself counts them).
ALT_ITEMS = 24
OUTLETS_SHOWN = 6
CAPTION_SOURCES = 12  # articles a caption cites by name; the others are named in the chart's download
REST = "and more, every one listed in the chart's data download"


def listing(items: list[str], limit: int) -> str:
    """Items joined by '; ', those past `limit` left to the chart's data download."""
    return "; ".join(items) if len(items) <= limit else "; ".join(items[:limit]) + f"; {REST}"


def alt(chart_id: str, draw: str, title: str, rows: list[dict]) -> str:
    """Alt text carrying the plotted numbers, so the chart reads without sight; long lists are counted."""
    if draw in ("hedged_panels", "conversion_panels"):
        return (f"{title}. Horizontal bars, one panel per metric; repeated reports as series over time. "
                f"{_figures(rows)}.")
    if draw == "timeline":
        shown = [r for r in rows if r["drawn"] == "yes"]
        events = listing([f"{r['start']}{'' if r['end'] == r['start'] else ' to ' + r['end']}: {r['label']} "
                          f"({r['outlets']})" for r in shown if r["lane"] == "event"], ALT_ITEMS)
        pubs = listing([f"{r['label']} published {r['start']}"
                        f"{'' if r['end'] == r['start'] else ' to ' + r['end']}{' or later' if r['shape'] == 'open' else ''}"
                        for r in shown if r["lane"] == "source"], ALT_ITEMS // 2)
        return f"{title}. Events: {events or 'none'}. Articles: {pubs or 'none'}."
    if draw == "people_dots":
        people = listing([f"{r['name']}, {number(r['age']) if r['age'] is not None else 'age not stated'}, "
                          f"{r['status']}, {r['destination'] or 'no destination stated'}" for r in rows], ALT_ITEMS)
        return f"{title}. Dot chart of individual accounts by age: {people}."
    if draw == "coverage_bars":
        bars = listing([f"{r['metric_label']}: {r['sources']} source{'s' * (r['sources'] != 1)}" for r in rows],
                       ALT_ITEMS)
        return f"{title}. Horizontal bars, one per metric, as long as the number of sources reporting it: {bars}."
    return f"{title}. " + listing([str(r.get("label") or r.get("id")) for r in rows], ALT_ITEMS) + "."


def caption_sources(words: Words, rows: list[dict], source_ids: list[str]) -> dict:
    """The articles a chart's caption cites: all of them up to CAPTION_SOURCES, else those behind the most
    plotted rows (in id order) and words for the others, so a caption stays a line or two at any size. (The
    others are not counted in the caption: every numeral the report prints is one a data file states.)"""
    if len(source_ids) <= CAPTION_SOURCES:
        return {"caption_sources": source_ids, "caption_more": ""}
    weight = {i: 0 for i in source_ids}
    for r in rows:
        for i in str(r.get("source_ids") or r.get("source_id") or "").split(";"):
            if i in weight:
                weight[i] += 1
    shown = sorted(sorted(source_ids, key=lambda i: (-weight[i], i))[:CAPTION_SOURCES])
    return {"caption_sources": shown,
            "caption_more": words.common("more_sources")}


def source_line(outlets: list[str], rests_on: str, report: str, version: str) -> str:
    """The text printed at the bottom of every chart: outlets (the first few), which tables it rests on,
    and the edition; ids stay in the chart's data download and the evidence, never in the picture."""
    named = "; ".join(outlets[:OUTLETS_SHOWN]) or "none"
    if len(outlets) > OUTLETS_SHOWN:
        named += " and other outlets"
    return f"Sources: {named}. {rests_on} {report}, version {version}."


def cite(fig_id: str, title: str, report: str, version: str, outlets: list[str]) -> str:
    """How to cite the figure (the wording is citations.yml's, shared with every other citation)."""
    return citations.chart_line(title, report, version, outlets)
