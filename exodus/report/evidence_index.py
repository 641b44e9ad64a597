"""The evidence index: every source, every claim by metric (place and outlet beside it), every event, with a filter."""
from __future__ import annotations

import re
from collections import Counter

from exodus.model import wording
from exodus.model.mdsafe import escape, ident, literal
from exodus.report import evidence
from exodus.report.evidence import Where

FILTER = "/assets/evidence-filter.md"  # the filter form and its script, included from the project root
RUN_ITEMS = 100  # list items to a div (see runs)


def slug(text: str) -> str:
    """A place as an attribute value: letters and digits only, so no text reaches markup."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "none"


def _item(kind: str, row: dict, figure: str, w: Where, sources: dict, extra: str = "") -> str:
    s = sources.get(row["source_id"]) or {}
    place = row.get("place") or ""
    attrs = (f'.ev-item data-source="{ident(row["source_id"])}" data-place="{slug(place)}"'
             f'{extra}')
    parts = [f"[{escape(figure)}]({w.href(kind, row['id'])})",
             literal(place, "ev-place") if place else "",
             literal(s.get("title") or row["source_id"], "ev-source")]
    return f"- [{' · '.join(p for p in parts if p)}]{{{attrs}}}"


def runs(items: list[str], n: int = RUN_ITEMS) -> list[str]:
    """A list's items in runs of at most n, each run in its own div: a page of any size is read by pandoc in
    pieces of bounded length (pandoc reads one list whole, and a list of thousands reads in quadratic time)."""
    out = []
    for i in range(0, len(items), n):
        out += ["::: {.ev-run}", "", *items[i:i + n], "", ":::", ""]
    return out


def _sources(t: dict) -> list[str]:
    counts = {k: Counter(r["source_id"] for r in t[table]) for k, table in evidence.ROW_KINDS.items()}
    items = [f"- [{escape(s['title'])}]({evidence.page('source', s)}) · {counts['claim'][s['id']]} claims, "
             f"{counts['person'][s['id']]} people, {counts['event'][s['id']]} events" for s in t["sources"]]
    return ["## By source {#by-source}", "", *runs(items)]


def _metrics(t: dict, w: Where, sources: dict) -> list[str]:
    out = ["## Claims by metric {#by-metric}", ""]
    labels = {m["id"]: m.get("label") or m["id"] for m in t["metrics"]}
    for metric in sorted({c["metric"] for c in t["claims"]}, key=lambda m: labels.get(m, m).lower()):
        out += [f"### {escape(labels.get(metric, metric))} {{#metric-{ident(metric)} .unnumbered}}", ""]
        out += runs([_item("claim", c, wording.claim_text(c), w, sources, f' data-metric="{ident(metric)}"')
                     for c in sorted(t["claims"], key=lambda c: c["id"]) if c["metric"] == metric])
    return out


def _events(t: dict, w: Where, sources: dict) -> list[str]:
    """Every event under the heading of its date (a reader finds a day), each date's list in runs."""
    days: dict[str, list[str]] = {}
    for e in sorted(t["events"], key=lambda e: (e.get("date") or "9999", _day(e), e["id"])):
        days.setdefault(_day(e), []).append(
            _item("event", e, f"{wording.event_text(e)}: {e['event']}", w, sources, ' data-metric="event"'))
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
