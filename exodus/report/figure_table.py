"""The compact table of every figure the narrative uses, one citation line each (the PDF's entries)."""
from __future__ import annotations

import re

from exodus.model import citations, wording
from exodus.model.mdsafe import escape, ident, literal

# A figure the narrative uses: {{< var claim.<id> >}}, derived.<id> or event.<id>.
_USE = re.compile(r"(?<!\{)\{\{<\s*var\s+(claim|derived|event)\.([a-z][a-z0-9_]*)\s*>\}\}"
                  r"|\]\(#(claim|derived|event)-([a-z][a-z0-9_]*)\)")
DERIVED_NOTE = "derived: computed by this report from the articles' figures, not stated in any article"


def used(report_text: str) -> list[tuple[str, str]]:
    """(kind, id) of every figure the narrative uses or links to, in order of first use, each once."""
    seen: dict[tuple[str, str], None] = {}
    for m in _USE.finditer(report_text):
        seen.setdefault((m.group(1) or m.group(3), m.group(2) or m.group(4)), None)
    return list(seen)


def row(kind: str, key: str, rows: dict, sources: dict, ed: citations.Edition, claims: dict | None = None) -> tuple[str, str]:
    """(figure cell, citation cell) for one figure; the cell carries the figure's anchor."""
    r = rows[kind][key]
    if kind == "claim":
        text, line = wording.claim_text(r), citations.claim_line(r, sources.get(r["source_id"]), ed)
    elif kind == "event":
        text, line = wording.event_text(r), citations.event_line(r, sources.get(r["source_id"]), ed)
    else:
        text, line = wording.derived_text(r), citations.derived_line(r, claims or rows["claim"], sources, ed)
    figure = f"[]{{#{kind}-{ident(key)}}}**{escape(text)}**"
    if kind == "derived":
        figure += " [derived]{.derived-label}"
    return figure, literal(line, "cite-line")


def build(report_text: str, claims: dict, derived: dict, events: dict, sources: dict, ed: citations.Edition) -> str:
    """A pipe table (figure | citation line).

    A variable with no row is left out here: the render stops on it with its file,
    line and column, which this stage cannot give.
    """
    rows = {"claim": claims, "derived": derived, "event": events}
    uses = [(k, i) for k, i in used(report_text) if i in rows[k]]
    lines = [f"Each figure the text uses, in order of first use, with its ready "
             f"citation line; figures marked [derived]{{.derived-label}} are {escape(DERIVED_NOTE.split(': ', 1)[1])}.",
             "", "| Figure | Cite as |", "|:----------|:--------------------------------------------|"]
    for kind, key in uses:
        figure, line = row(kind, key, rows, sources, ed)
        lines.append(f"| {figure} | {line} |")
    return "\n".join(lines) + "\n"
