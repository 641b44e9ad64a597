"""Titles, captions, alt text, source lines and citations for the charts, filled from data/charts.yml."""
from __future__ import annotations

from exodus.charts.draw import UNIT_WORDS, number, value_text
from exodus.charts.spec import ChartSpecError
from exodus.model import asof


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
    def heading(self) -> str:
        return self.fill(self.spec.heading, "heading")

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
    return "; ".join(f"{r['label']}: {value_text(r)} {UNIT_WORDS.get(r['unit'], r['unit'])}{_when(r)}".replace("\n", " ")
                     for r in rows)


def alt(chart_id: str, draw: str, title: str, rows: list[dict]) -> str:
    """Alt text carrying the plotted numbers, so the chart reads without sight."""
    if draw in ("hedged_panels", "conversion_panels"):
        return f"{title}. Horizontal bars, one panel per metric; repeated reports as series over time. {_figures(rows)}."
    if draw == "timeline":
        shown = [r for r in rows if r["drawn"] == "yes"]
        events = "; ".join(f"{r['start']}{'' if r['end'] == r['start'] else ' to ' + r['end']}: {r['label']} "
                           f"({r['outlets']})" for r in shown if r["lane"] == "event")
        pubs = "; ".join(f"{r['label']} published {r['start']}"
                         f"{'' if r['end'] == r['start'] else ' to ' + r['end']}{' or later' if r['shape'] == 'open' else ''}"
                         for r in shown if r["lane"] == "source")
        return f"{title}. Events: {events}. Articles: {pubs}."
    if draw == "people_dots":
        people = "; ".join(f"{r['name']}, {number(r['age']) if r['age'] is not None else 'age not stated'}, "
                           f"{r['status']}, {r['destination'] or 'no destination stated'}" for r in rows)
        return f"{title}. Dot chart of individual accounts by age: {people}."
    if draw == "heatmap":
        cells = "; ".join(f"{r['outlet']} ({r['source_id']}): {r['metric_label']} {r['claims']}"
                          for r in rows if r["claims"])
        return f"{title}. Grid of sources by metrics with claim counts. Non-empty cells: {cells}."
    return f"{title}. " + "; ".join(str(r.get("label") or r.get("id")) for r in rows) + "."


def source_line(outlets: list[str], claim_ids: list[str], report: str, version: str, other: str = "") -> str:
    """The text printed at the bottom of every chart."""
    claims = ", ".join(claim_ids) if claim_ids else "none"
    extra = f" {other}" if other else ""
    return f"Sources: {'; '.join(outlets) or 'none'}. Claims: {claims}.{extra} {report}, version {version}."


def cite(fig_id: str, title: str, report: str, version: str, outlets: list[str]) -> str:
    """How to cite the figure."""
    return (f"{report} (version {version}), figure '{title}' [{fig_id}]. "
            f"Based on reporting by {', '.join(outlets) or 'unknown outlets'}.")
