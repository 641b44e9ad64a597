"""The notes the report's popups read: for each figure the text uses, its quotes, outlet, date and citation line."""
from __future__ import annotations

from exodus.model import citations
from exodus.model.mdsafe import ident, literal
from exodus.report import figure_table


def _said(row: dict, sources: dict, label) -> str:
    """One quote with its outlet and date (`label`, the spans the popup script reads)."""
    return f"{literal(row['quote'], 'claim-quote')} ({label(sources.get(row['source_id']))})"


def note(kind: str, row: dict, claims: dict, sources: dict, ed: citations.Edition, label) -> str:
    """A hidden note #note-<kind>-<id>: what the popup of one figure shows, nothing it does not."""
    if kind == "claim":
        lines, line = [_said(row, sources, label)], citations.claim_line(row, sources.get(row["source_id"]), ed)
    elif kind == "event":
        lines = [literal(row["event"], "event-what"), _said(row, sources, label)]
        line = citations.event_line(row, sources.get(row["source_id"]), ed)
    else:
        inputs = [f"- {_said(claims[k], sources, label)}" for k in row["claim_ids"] if k in claims]
        lines = [literal(row["description"], "derived-description"), "\n".join(inputs)]
        line = citations.derived_line(row, claims, sources, ed)
    body = "\n\n".join(x for x in [*lines, literal(line, "cite-line")] if x)
    return f"::: {{#note-{kind}-{ident(row['id'])} .figure-note}}\n{body}\n:::\n"


def build(story: str, t: dict, derived: list[dict], sources: dict, ed: citations.Edition, label) -> str:
    """Notes for every figure the report's text uses, in one hidden block (entries live on the evidence pages)."""
    rows = {"claim": {c["id"]: c for c in t["claims"]}, "event": {e["id"]: e for e in t["events"]},
            "derived": {d["id"]: d for d in derived}}
    notes = [note(kind, rows[kind][key], rows["claim"], sources, ed, label)
             for kind, key in figure_table.used(story) if key in rows[kind]]
    return "::: {.figure-notes hidden=\"hidden\"}\n" + "\n".join(notes) + ":::\n"
