"""The evidence index: every source, every claim by metric (place and outlet beside it), every event, with a filter."""
from __future__ import annotations

import re
from collections import Counter

from exodus.model import wording
from exodus.model.mdsafe import escape, html_text, ident
from exodus.report import evidence
from exodus.report.evidence import Where

FILTER = "/assets/evidence-filter.md"  # the filter form and its script, included from the project root
RUN_ITEMS = 100  # list items to a div (see runs)


def slug(text: str) -> str:
    """A place as an attribute value: letters and digits only, so no text reaches markup."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "none"


def _literal(text: str, cls: str) -> str:
    """Text as the markdown's literal spans render: a span of its classes, its direction left to the text."""
    return f'<span class="literal {cls}" dir="auto">{html_text(text)}</span>'


def _item(kind: str, row: dict, figure: str, w: Where, sources: dict, metric: str) -> str:
    s = sources.get(row["source_id"]) or {}
    place = row.get("place") or ""
    parts = [f'<a href="{html_text(w.href(kind, row["id"]), attribute=True)}">{html_text(figure)}</a>',
             _literal(place, "ev-place") if place else "",
             _literal(s.get("title") or row["source_id"], "ev-source")]
    return (f'<li><span class="ev-item" data-source="{ident(row["source_id"])}" data-place="{slug(place)}" '
            f'data-metric="{metric}">{" · ".join(p for p in parts if p)}</span></li>')


def runs(items: list[str], n: int = RUN_ITEMS) -> list[str]:
    """A list's items (each an HTML <li>) in runs of at most n, each run a div holding its list as raw HTML:
    the index is thousands of links, which pandoc reads as markdown at about 16 microseconds a character
    (at 500 articles, a minute and a half) and as raw HTML at once. Every item is one line of escaped text."""
    out = []
    for i in range(0, len(items), n):
        out += ["::: {.ev-run}", "", "```{=html}", "<ul>", *items[i:i + n], "</ul>", "```", "", ":::", ""]
    return out


def _sources(t: dict) -> list[str]:
    counts = {k: Counter(r["source_id"] for r in t[table]) for k, table in evidence.ROW_KINDS.items()}
    items = [f'<li><a href="{evidence.page("source", s)}">{html_text(s["title"])}</a> · {counts["claim"][s["id"]]} '
             f'claims, {counts["person"][s["id"]]} people, {counts["event"][s["id"]]} events</li>' for s in t["sources"]]
    return ["## By source {#by-source}", "", *runs(items)]


def _metrics(t: dict, w: Where, sources: dict) -> list[str]:
    out = ["## Claims by metric {#by-metric}", ""]
    labels = {m["id"]: m.get("label") or m["id"] for m in t["metrics"]}
    for metric in sorted({c["metric"] for c in t["claims"]}, key=lambda m: labels.get(m, m).lower()):
        out += [f"### {escape(labels.get(metric, metric))} {{#metric-{ident(metric)} .unnumbered}}", ""]
        out += runs([_item("claim", c, wording.claim_text(c), w, sources, ident(metric))
                     for c in sorted(t["claims"], key=lambda c: c["id"]) if c["metric"] == metric])
    return out


def _events(t: dict, w: Where, sources: dict) -> list[str]:
    """Every event under the heading of its date (a reader finds a day), each date's list in runs."""
    days: dict[str, list[str]] = {}
    for e in sorted(t["events"], key=lambda e: (e.get("date") or "9999", _day(e), e["id"])):
        days.setdefault(_day(e), []).append(
            _item("event", e, f"{wording.event_text(e)}: {e['event']}", w, sources, "event"))
    out = ["## Events by date {#by-date}", ""]
    for day, items in days.items():
        out += [f"### {escape(day)} {{#date-{slug(day)} .unnumbered}}", "", *runs(items)]
    return out


def _day(event: dict) -> str:
    """The date an event is listed under, at its precision."""
    if event.get("date") and event.get("date_precision") not in (None, "", "unknown"):
        return wording.date_text(str(event["date"]), event["date_precision"])
    return "Date not known"


def build(t: dict, derived: list[dict], w: Where) -> str:
    """The index page (evidence/index.qmd)."""
    w = w.at(evidence.INDEX_PAGE)
    sources = {s["id"]: s for s in t["sources"]}
    lines = [evidence.front("Evidence", "Every figure, person and event behind the report, with its quote and source"),
             evidence.page_nav(evidence.INDEX_PAGE), "",
             "Each article has a page with its figures, the people and events it reports, and its quoted passages "
             f"in context; the [derived figures]({evidence.DERIVED_PAGE}) have their own. Find a figure by its "
             "source, its metric or its place, or filter the lists below.", "",
             f"{{{{< include {FILTER} >}}}}", ""]
    lines += _sources(t)
    lines += ["## Derived figures {#derived}", "", f"[The {len(derived)} derived figures]({evidence.DERIVED_PAGE}), "
              "each with its formula and the claims it uses.", ""]
    lines += _metrics(t, w, sources) + _events(t, w, sources)
    return "\n".join(lines)
