"""The evidence index: every source, every claim by metric (place and outlet beside it), every event, with a filter."""
from __future__ import annotations

import re

from exodus.model import wording
from exodus.model.mdsafe import escape, ident, literal
from exodus.report import evidence
from exodus.report.evidence import Where

FILTER = "/assets/evidence-filter.md"  # the filter form and its script, included from the project root


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


def _sources(t: dict) -> list[str]:
    out = ["## By source {#by-source}", ""]
    for s in t["sources"]:
        n = {k: sum(1 for r in t[table] if r["source_id"] == s["id"]) for k, table in evidence.ROW_KINDS.items()}
        out.append(f"- [{escape(s['title'])}]({evidence.page('source', s)}) · {n['claim']} claims, "
                   f"{n['person']} people, {n['event']} events")
    return out + [""]


def _metrics(t: dict, w: Where, sources: dict) -> list[str]:
    out = ["## Claims by metric {#by-metric}", ""]
    labels = {m["id"]: m.get("label") or m["id"] for m in t["metrics"]}
    for metric in sorted({c["metric"] for c in t["claims"]}, key=lambda m: labels.get(m, m).lower()):
        out += [f"### {escape(labels.get(metric, metric))} {{#metric-{ident(metric)} .unnumbered}}", ""]
        out += [_item("claim", c, wording.claim_text(c), w, sources, f' data-metric="{ident(metric)}"')
                for c in sorted(t["claims"], key=lambda c: c["id"]) if c["metric"] == metric]
        out.append("")
    return out


def _events(t: dict, w: Where, sources: dict) -> list[str]:
    out = ["## Events by date {#by-date}", ""]
    for e in sorted(t["events"], key=lambda e: (e.get("date") or "9999", e["id"])):
        out.append(_item("event", e, f"{wording.event_text(e)}: {e['event']}", w, sources, ' data-metric="event"'))
    return out + [""]


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
