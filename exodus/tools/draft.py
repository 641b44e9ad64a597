"""Draft claim, people and event rows for one source from its wording: make draft ID=<source>."""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass

from exodus import paths
from exodus.model import csv_out, places
from exodus.model.numbers import ORDINALS
from exodus.model.periods import Period, anchor_text, find_dates, find_period
from exodus.model.spans import Figure, find_figures
from exodus.model.vocabulary import ID_RULE, is_id
from exodus.stages.validate import load_dataset

# A sentence ends at . ! ? (closing quotes kept) before a capital or an opening quote; "Sept. 21" does not end one.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*(?=\s+[\"“‘(]?[A-Z])")
_ABBREVIATIONS = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|St|Sept?|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Oct|Nov|Dec|Gen|Lt|Col|U\.S)\.$")
_AGES = [
    re.compile(r"\b(?P<age>\d{1,3})-year-old\b"),
    re.compile(r"\baged\s+(?P<age>\d{1,3})\b(?![-\u2013]\d)"),
    re.compile(r"\b(?P<name>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?),\s+(?P<age>\d{1,3}),"),
]
_RATE_AFTER = re.compile(r"\s+(?:a|per|each|every)\s+day\b|\s+daily\b", re.IGNORECASE)
TO_DECIDE = {
    "claims": "metric, subject, unit (where blank), attributed_to, attribution_type; check place and period",
    "people": "status, deserted (yes or no), name (where 'unnamed'), occupation, origin, route; check destination",
    "events": "event",
}


@dataclass(frozen=True)
class Sentence:
    """A sentence of the source with its offset and how many times it occurs before it (for occurrence)."""

    start: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """Sentences, line by line; each is an exact substring of the text."""
    found, offset = [], 0
    for line in text.splitlines(keepends=True):
        start = 0
        for m in _SENTENCE_END.finditer(line):
            if _ABBREVIATIONS.search(line[:m.start()]):
                continue
            found.append((offset + start, line[start:m.end()]))
            start = m.end()
        found.append((offset + start, line[start:]))
        offset += len(line)
    out = []
    for start, chunk in found:
        lead = len(chunk) - len(chunk.lstrip())
        if chunk.strip():
            out.append(Sentence(start + lead, chunk.strip()))
    return out


def occurrence(text: str, quote: str, start: int) -> int | None:
    """The occurrence column: blank when the quote occurs once, else which one starts at start."""
    starts = [m.start() for m in re.finditer(re.escape(quote), text)]
    return None if len(starts) == 1 else starts.index(start) + 1


def _iso(d) -> str:
    return d.isoformat() if d else ""


def _window(source: dict) -> tuple[str | None, str | None]:
    return (source.get("published") or source.get("published_not_before"),
            source.get("published") or source.get("published_not_after"))


def claim_row(source: dict, text: str, s: Sentence, fig: Figure, n: int) -> dict:
    """One claim row from a figure: what the wording fixes is filled, what a person decides is blank."""
    r = fig.reading
    period = find_period(s.text, *_window(source))
    country = places.countries_in(s.text)
    notes = []  # only caveats a reader of the published appendix should see; what is left to decide is printed
    if period and re.search(r"\b(?:early|mid|late)\b", period.text, re.IGNORECASE) and (period.start or period.end):
        days = f"{(period.start or period.end).day if period.start else 1} to {period.end.day}" if period.end else ""
        notes.append(f"'{period.text}' read as days {days} of the month (early 1-10, mid 11-20, late 21 to the end).")
    if _RATE_AFTER.match(s.text, fig.end - s.start):
        notes.append("A rate follows the figure ('a day'): unit person_per_day if it counts people.")
    if fig.number_text.lower() in ORDINALS:
        notes.append("Reads as an ordinal: if it counts nothing, move it to exclusions.csv (reason 'ordinal').")
    if s.text.count(fig.number_text) != 1:
        notes.append(f"{fig.number_text!r} occurs {s.text.count(fig.number_text)} times in the sentence: shorten the quote.")
    if len(country) > 1:
        notes.append(f"The sentence names {', '.join(country)}: choose the place.")
    return {
        "id": f"{source['id']}_figure_{n:02d}", "source_id": source["id"], "quote": s.text,
        "occurrence": occurrence(text, s.text, s.start), "number_text": fig.number_text,
        "value": csv_out.number(r.value), "low": csv_out.number(r.low), "high": csv_out.number(r.high),
        "hedge": r.hedge, "unit": r.unit or "", "place": country[0] if len(country) == 1 else "",
        "period_text": period.text if period else "", "period_start": _iso(period and period.start),
        "period_end": _iso(period and period.end), "status": "single", "notes": " ".join(notes),
    }


def person_row(source: dict, text: str, s: Sentence, m: re.Match, n: int) -> dict:
    """One people row from a stated age; the name when the sentence gives it as 'Name, 28,'."""
    name = m.groupdict().get("name") or ""
    named = places.names_in(s.text)
    return {
        "id": f"{source['id']}_person_{n:02d}", "source_id": source["id"], "quote": s.text,
        "occurrence": occurrence(text, s.text, s.start), "name": name or "unnamed", "age_text": m.group("age"),
        "age": m.group("age"), "age_basis": "stated", "destination": named[0] if len(named) == 1 else "",
    }


def event_row(source: dict, text: str, s: Sentence, date_text: str, p: Period, n: int) -> dict:
    """One events row from dating wording, resolved against the publication day or window."""
    date = p.start or p.end
    basis = "stated" if p.stated else "resolved" if date else "unknown"
    return {
        "id": f"{source['id']}_date_{n:02d}", "source_id": source["id"], "quote": s.text,
        "occurrence": occurrence(text, s.text, s.start), "date_text": date_text, "date": _iso(date),
        "date_precision": p.precision if date else "unknown", "date_basis": basis,
        "anchor": anchor_text(source) if basis == "resolved" else "",
        "notes": "" if date else "The publication date or window does not fix this date.",
    }


def draft(source: dict, text: str) -> dict[str, list[dict]]:
    """Claims, people and events rows for every figure, stated age and date in the source."""
    rows: dict[str, list[dict]] = {"claims": [], "people": [], "events": []}
    for s in sentences(text):
        taken: list[tuple[int, int]] = []
        for start, end, period in find_dates(s.text, *_window(source)):
            rows["events"].append(event_row(source, text, s, s.text[start:end], period, len(rows["events"]) + 1))
            taken.append((s.start + start, s.start + end))
        for pattern in _AGES:
            for m in pattern.finditer(s.text):
                if not any(a <= s.start + m.start("age") < b for a, b in taken):
                    rows["people"].append(person_row(source, text, s, m, len(rows["people"]) + 1))
                    taken.append((s.start + m.start("age"), s.start + m.end("age")))
        for fig in find_figures(s.text):
            at = s.start + fig.start
            figure = Figure(at, s.start + fig.end, s.start + fig.number_start, fig.hedge_words, fig.reading, fig.text)
            if not any(a < figure.end and figure.start < b for a, b in taken):
                rows["claims"].append(claim_row(source, text, s, figure, len(rows["claims"]) + 1))
    return rows


def main(argv: list[str] | None = None) -> int:
    source_id = os.environ.get("ID", "")
    if not is_id(source_id):
        print(f"error: ID={source_id!r} is not a source id; expected {ID_RULE}, e.g. make draft ID=reuters_border",
              file=sys.stderr)
        return 2
    data, problems = load_dataset()
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        return 1
    source = next((r for r in data.tables["sources"].rows if r.get("id") == source_id), None)
    if source is None or source_id not in data.texts:
        known = ", ".join(sorted(data.texts))
        print(f"error: no source {source_id!r} in data/sources.csv; register it with make add-source (known: {known})",
              file=sys.stderr)
        return 1
    rows = draft(source, data.texts[source_id])
    out = paths.BUILD / "drafts"
    for name, suffix in (("claims", ""), ("people", ".people"), ("events", ".events")):
        fields = list(data.tables[name].fields)
        path = csv_out.write(out / f"{source_id}{suffix}.csv", fields, rows[name])
        print(f"{paths.rel(path)}: {len(rows[name])} draft row(s); fill in {TO_DECIDE[name]}, then append to data/{name}.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
