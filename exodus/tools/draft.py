"""Draft claim, people and event rows for one source from its wording: make draft ID=<source>."""
from __future__ import annotations

import bisect
import functools
import os
import re
import sys

from exodus import paths
from exodus.model import csv_out, places, units
from exodus.model.numbers import rounding_bounds
from exodus.model.periods import Period, anchor_text
from exodus.model.reading import MAX_FIGURES, Item, Sentence, headline_repeats, read_sentence, sentences
from exodus.model.vocabulary import ID_RULE, approximate_hedges, is_id, unit_table
from exodus.stages.audit import QUANTITY_RE
from exodus.stages.validate import check_reading, load_dataset

_AGES = [
    re.compile(r"\b(?P<age>\d{1,3})-year-old\b"),
    # "aged 25 to 40" is a range of ages, a claim (range), not one person aged 25
    re.compile(r"\baged\s+(?P<age>\d{1,3})\b(?!\s*(?:[-\u2013]|to\b|and\b)\s*\d)"),
    re.compile(r"\b(?P<name>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?),\s+(?P<age>\d{1,3}),"),
]
_RATE_AFTER = re.compile(r"\s+(?:a|per|each|every)\s+day\b|\s+daily\b", re.IGNORECASE)
TO_DECIDE = {
    "claims": "metric, subject, unit (where blank), attributed_to, attribution_type; check place and period",
    "people": "status, deserted (yes or no), name (where 'unnamed'), occupation, origin, route; check destination",
    "events": "event",
    "exclusions": "nothing, unless a mention does count something: then move it to the claims",
    "statements": "topic, attributed_to, note; or, for a word that states nothing, an exclusions row with its reason",
}


def occurrence(text: str, quote: str, start: int) -> int | None:
    """The occurrence column: blank when the quote occurs once, else which one starts at start."""
    starts = _starts(text, quote)
    return None if len(starts) == 1 else bisect.bisect_left(starts, start) + 1


@functools.lru_cache(maxsize=4096)
def _starts(text: str, quote: str) -> list[int]:
    """Where a quote starts in the text, counted as validation counts occurrences (exodus.model.quotes.locate);
    found once per quote, not once per row quoting it."""
    found, at = [], text.find(quote)
    while at >= 0:
        found.append(at)
        if len(found) * len(quote) > 32 * len(text):  # a quote that repeats itself ("1 1 1 …"): one linear pass
            return _all_starts(text, quote)
        at = text.find(quote, at + 1)
    return found


def _all_starts(text: str, quote: str) -> list[int]:
    """Every start of quote in text, overlapping ones included, in one pass (Knuth-Morris-Pratt)."""
    fail, k = [0] * len(quote), 0
    for i in range(1, len(quote)):
        while k and quote[i] != quote[k]:
            k = fail[k - 1]
        k += quote[i] == quote[k]
        fail[i] = k
    found, k = [], 0
    for i, ch in enumerate(text):
        while k and ch != quote[k]:
            k = fail[k - 1]
        k += ch == quote[k]
        if k == len(quote):
            found.append(i - k + 1)
            k = fail[k - 1]
    return found


def _iso(d) -> str:
    return d.isoformat() if d else ""


def _window(source: dict) -> tuple[str | None, str | None]:
    return (source.get("published") or source.get("published_not_before"),
            source.get("published") or source.get("published_not_after"))


def _bounds(item: Item) -> tuple[float | None, float | None, float | None]:
    """Value, low and high as validation expects them; an 'about' figure covers its rounding."""
    r = item.figure.reading
    if r.hedge in approximate_hedges() and r.value is not None:
        rounded = rounding_bounds(item.figure.number_text)
        return (r.value, *rounded) if rounded else (r.value, None, None)
    return r.value, r.low, r.high


def _period_notes(period: Period | None, source: dict) -> list[str]:
    """What the draft could not fix about a period, said so that a person knows what to decide."""
    if period is None:
        return []
    if period.problem:
        return [f"Period {period.text!r}: {period.problem}."]
    if period.kind == "unspecified":
        return [f"Period {period.text!r} names no particular days: period_start and period_end stay blank "
                f"unless the text dates them elsewhere."]
    if period.start is None and period.end is None:
        window = anchor_text(source)
        return [f"Period {period.text!r} is not fixed by the {window}: set period_start/period_end if the text "
                f"fixes them elsewhere, or narrow the window in sources.csv."]
    if period.precision == "year" and period.kind == "since":
        return [f"{period.text!r} starts in {period.start.year}; the day is not given, so period_start is 1 January."]
    return []


@functools.lru_cache(maxsize=1)
def _countries(sentence: str) -> list[str]:
    return places.countries_in(sentence)  # once per sentence, not once per figure in it


def _per_day_units() -> str:
    """The units of data/units.csv that are a rate per day, for a figure a rate word follows."""
    listed = []
    for unit in unit_table().values():
        try:
            if ("day", -1) in units.parse(unit.id):
                listed.append(f"{unit.id} ({unit.words})")
        except ValueError:
            continue  # validation names the malformed unit; the draft only suggests
    if not listed:
        return f"no unit per day is listed in {paths.rel(paths.UNITS)}; add one as a row there"
    return f"a unit per day from {paths.rel(paths.UNITS)}: {', '.join(listed)}"


def claim_row(source: dict, text: str, s: Sentence, item: Item, n: int) -> dict:
    """One claim row from a figure: what the wording fixes is filled, what a person decides is blank."""
    fig, period = item.figure, item.period
    value, low, high = _bounds(item)
    country = _countries(s.text)
    notes = _period_notes(period, source)  # only what a person must decide or check; the rest is printed
    if _RATE_AFTER.match(text, fig.end):
        notes.append(f"A rate follows the figure ('a day'): {_per_day_units()}.")
    if s.text.count(fig.number_text) != 1:
        notes.append(f"{fig.number_text!r} occurs {s.text.count(fig.number_text)} times in the sentence: shorten the quote.")
    if len(country) > 1:
        notes.append(f"The sentence names {', '.join(country)}: choose the place.")
    row = {
        "id": f"{source['id']}_figure_{n:02d}", "source_id": source["id"], "quote": s.text,
        "occurrence": occurrence(text, s.text, s.start), "number_text": fig.number_text,
        "value": csv_out.number(value), "low": csv_out.number(low), "high": csv_out.number(high),
        "hedge": fig.reading.hedge, "unit": fig.reading.unit or "", "place": country[0] if len(country) == 1 else "",
        "period_text": period.text if period else "", "period_start": _iso(period and period.start),
        "period_end": _iso(period and period.end), "status": "single",
    }
    refused = check_reading({**row, "value": value, "low": low, "high": high}, fig.reading)
    notes += [f"Validation would refuse this row as drafted: {m}" for m in refused]
    row["notes"] = " ".join(notes)
    return row


def exclusion_row(source: dict, text: str, s: Sentence, item: Item, n: int) -> dict:
    """One exclusions row: a numeric mention that counts nothing, with the rule's reason and note."""
    return {"id": f"{source['id']}_not_figure_{n:02d}", "source_id": source["id"], "quote": s.text,
            "occurrence": occurrence(text, s.text, s.start), "number_text": item.text, "reason": item.reason,
            "note": item.note}


def person_row(source: dict, text: str, s: Sentence, m: re.Match, n: int) -> dict:
    """One people row from a stated age; the name when the sentence gives it as 'Name, 28,'."""
    name = m.groupdict().get("name") or ""
    named = places.names_in(s.text)
    return {
        "id": f"{source['id']}_person_{n:02d}", "source_id": source["id"], "quote": s.text,
        "occurrence": occurrence(text, s.text, s.start), "name": name or "unnamed", "age_text": m.group("age"),
        "age": m.group("age"), "age_basis": "stated", "destination": named[0] if len(named) == 1 else "",
    }


def event_row(source: dict, text: str, s: Sentence, item: Item, n: int) -> dict:
    """One events row from dating wording, resolved against the publication day or window."""
    p = item.date
    date = p.start or p.end
    basis = "stated" if p.stated and date else "resolved" if date else "unknown"
    note = (f"{p.problem}." if p.problem else "" if date else
            f"The {anchor_text(source)} does not fix this date: leave it unresolved or give the date the text implies.")
    return {
        "id": f"{source['id']}_date_{n:02d}", "source_id": source["id"], "quote": s.text,
        "occurrence": occurrence(text, s.text, s.start), "date_text": item.text, "date": _iso(date),
        "date_precision": p.precision if date else "unknown", "date_basis": basis,
        "anchor": anchor_text(source) if basis == "resolved" else "", "notes": note,
    }


_READ = 2 * MAX_FIGURES  # figures read from one sentence: past the cap, excluded ones may still come first
ROWS = {"claims": claim_row, "events": event_row, "exclusions": exclusion_row}
KINDS = {"claim": "claims", "event": "events", "exclusion": "exclusions"}


def draft(source: dict, text: str) -> dict[str, list[dict]]:
    """Claims, people, events and exclusions rows for every figure, stated age, date and non-figure."""
    rows: dict[str, list[dict]] = {"claims": [], "people": [], "events": [], "exclusions": [], "statements": []}
    found, skipped = sentences(text), []
    repeats = headline_repeats(text, source.get("title") or "", found)
    for s in found:
        items = read_sentence(s, *_window(source), repeats.get(s.start, frozenset()), limit=_READ)
        claims = [i for i in items if i.kind == "claim"]
        if len(claims) > MAX_FIGURES:
            skipped.append(s)
            items = [i for i in items if i.kind != "claim" or i.start <= claims[MAX_FIGURES - 1].start]
        ages = _ages(s, items)
        for item in items:
            if item.kind == "claim" and any(a <= item.figure.number_start < b for a, b, _ in ages):
                continue
            table = KINDS[item.kind]
            rows[table].append(ROWS[table](source, text, s, item, len(rows[table]) + 1))
        for _, _, m in ages:
            rows["people"].append(person_row(source, text, s, m, len(rows["people"]) + 1))
        if not items and not ages:  # a drafted row quotes the whole sentence, which covers its words of quantity
            for m in QUANTITY_RE.finditer(s.text):
                rows["statements"].append(statement_row(source, text, s, m.group(0), len(rows["statements"]) + 1))
    if skipped:
        lines = sorted({text.count("\n", 0, s.start) + 1 for s in skipped})
        print(f"{len(skipped)} sentence(s) hold more than {MAX_FIGURES} figures (line {', '.join(map(str, lines[:5]))}"
              f"{', …' if len(lines) > 5 else ''}): the first {MAX_FIGURES} of each are drafted, make candidates "
              f"lists the rest", file=sys.stderr)
    return rows


def statement_row(source: dict, text: str, s: Sentence, word: str, n: int) -> dict:
    """One statements row for a word of quantity or trend ('many', 'exodus') in a sentence no other row quotes."""
    return {"id": f"{source['id']}_statement_{n:02d}", "source_id": source["id"], "quote": s.text,
            "occurrence": occurrence(text, s.text, s.start), "quantity_text": word,
            "note": "" if s.text.count(word) == 1 else f"{word!r} occurs {s.text.count(word)} times: shorten the quote."}


def _ages(s: Sentence, items: list[Item]) -> list[tuple[int, int, re.Match]]:
    """Stated ages in a sentence outside its dates: (start, end) in the text, and the match."""
    taken = [(i.start, i.end) for i in items if i.kind != "claim"]
    out = []
    for pattern in _AGES:
        for m in pattern.finditer(s.text):
            a, b = s.start + m.start("age"), s.start + m.end("age")
            if not any(x <= a < y for x, y in taken) and not any(x <= a < y for x, y, _ in out):
                out.append((a, b, m))
    return out


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
    for name, suffix in (("claims", ""), ("people", ".people"), ("events", ".events"), ("exclusions", ".exclusions"),
                         ("statements", ".statements")):
        fields = list(data.tables[name].fields)
        path = csv_out.write(out / f"{source_id}{suffix}.csv", fields, rows[name])
        print(f"{paths.rel(path)}: {len(rows[name])} draft row(s); fill in {TO_DECIDE[name]}, then append to data/{name}.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
