"""Check every curated table against its schema and against the source texts themselves."""
from __future__ import annotations

import functools
import hashlib
import math
import os
import re
import sys
from dataclasses import dataclass

from exodus import parallel, paths
from exodus.model import dates, periods, places, series, tables, units
from exodus.model.numbers import read_figure, rounding_bounds
from exodus.model.quotes import locate
from exodus.model.spans import find_figures
from exodus.model.tables import Problem, Table
from exodus.model.vocabulary import bound_of, hedge_table
from exodus.stages.people_stats import IMPLIED, NONE_STATED, UNDECIDED, destination_country

QUOTED_TABLES = {"claims": "number_text", "people": "age_text", "events": "date_text", "exclusions": "number_text",
                 "statements": "quantity_text"}
TABLE_ORDER = ["sources", "units", "metrics", "claims", "people", "events", "exclusions", "statements", "places"]


@functools.cache
def _hedge_matchers() -> tuple[re.Pattern, re.Pattern | None, dict[str, str]]:
    """Wording just before a figure that fixes its hedge; the longest phrases are tried first."""
    words = hedge_table().phrases
    pattern = (r"\b(" + "|".join(sorted(map(re.escape, words), key=len, reverse=True))
               + r")\s+(?:an?\s+)?[£$€]?$")
    # Lower-case ASCII phrases match ASCII text lower-cased first literally, twice as fast as folding case.
    lower = re.compile(pattern) if all(w.isascii() and w.islower() for w in words) else None
    return re.compile(pattern, re.IGNORECASE), lower, {k.casefold(): v for k, v in words.items()}



@dataclass
class Dataset:
    """All tables of one data directory, loaded, with the source texts they quote."""

    tables: dict[str, Table]
    texts: dict[str, str]


def number_span(table: Table, row: dict, texts: dict[str, str]) -> tuple[int, int] | None:
    """Character span of a row's figure (number_text, age_text, date_text) in its source text."""
    field = QUOTED_TABLES[table.name]
    text = texts.get(row.get("source_id"))
    if text is None or not row.get("quote") or not row.get(field):
        return None
    start, err = locate(text, row["quote"], row.get("occurrence"))
    if err or row["quote"].count(row[field]) != 1:
        return None
    offset = start + row["quote"].index(row[field])
    return offset, offset + len(row[field])


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a == b or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _written(value: float | None, expected: float) -> bool:
    """A value equal to what its wording says, a fraction to the six significant digits a CSV cell keeps
    ('a third' is 0.333333); whole numbers exactly."""
    return _close(value, expected) or (not float(expected).is_integer() and _near(value, expected))


def _near(a: float | None, b: float) -> bool:
    """Equal to the six significant digits a CSV cell keeps (0.222222 for 1/4.5)."""
    return a is not None and math.isclose(a, b, rel_tol=5e-6)


def check_sources(table: Table) -> tuple[dict[str, str], list[Problem]]:
    """Checksums and readability of the source files; returns their texts by id."""
    problems, texts = [], {}
    for i, row in enumerate(table.rows):
        if not row.get("path") or not row.get("id"):
            continue
        try:
            path = paths.inside_data(row["path"], "source file")
        except paths.OutsideData as e:
            problems.append(Problem(*table.where(i, "path"), str(e)))
            continue
        if not path.exists():
            problems.append(Problem(*table.where(i, "path"), f"source file {row['path']!r} is missing from data/"))
            continue
        if not path.is_file():
            problems.append(Problem(*table.where(i, "path"), f"source file {row['path']!r} is not a regular file; expected a UTF-8 text file"))
            continue
        size = path.stat().st_size
        if size > tables.MAX_SOURCE_BYTES:
            problems.append(Problem(*table.where(i, "path"), f"source file {row['path']!r} is {size:,} bytes; a source text may be at most {tables.MAX_SOURCE_BYTES:,} bytes"))
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if row.get("sha256") and digest != row["sha256"]:
            problems.append(Problem(*table.where(i, "sha256"), f"checksum mismatch: the file {row['path']} hashes to {digest}; expected {row['sha256']} (source texts must never be edited)"))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            problems.append(Problem(*table.where(i, "path"), f"{row['path']} is not UTF-8 text (byte {e.start})"))
            continue
        if "\r" in text:
            line = text[: text.index("\r")].count("\n") + 1
            problems.append(Problem(*table.where(i, "path"), f"{row['path']} has a carriage return on line {line} (CRLF line endings, "
                                    "perhaps from a checkout that converts line endings; .gitattributes keeps data/ byte-exact); expected LF only"))
            continue
        texts[row["id"]] = text
    return texts, problems


# The (low, high) each hedge implies, as positions in (value, low, high, None): "more than" -> (value, None).
_BOUND_POSITIONS = {"point": (0, 0), "floor": (0, 3), "ceiling": (3, 0)}


def implied_bounds(hedge: str) -> tuple[int, int]:
    """Positions in (value, low, high, None) of the low and high a hedge implies: "more than" -> (value, None)."""
    return (1, 2) if hedge == "range" else _BOUND_POSITIONS.get(bound_of(hedge), (3, 3))
RANGES = {"sources": [("published_not_before", "published_not_after", "publication window")],
          "claims": [("period_start", "period_end", "claim period")]}


def check_ranges(table: Table) -> list[Problem]:
    """Windows and periods run forwards: the start is not after the end."""
    problems = []
    for start, end, what in RANGES.get(table.name, []):
        for i, row in enumerate(table.rows):
            a, b = row.get(start), row.get(end)
            if a is not None and b is not None and a > b:
                problems.append(Problem(*table.where(i, start), f"{what} is reversed: {start} {a} is after {end} {b}"))
    return problems


def check_derived(data: Dataset) -> list[Problem]:
    """data/derived.csv: every definition read, its formula parsed and evaluated over the checked tables."""
    from exodus.stages import derive  # imported here: derive imports this module's neighbours
    rows = {n: data.tables[n].rows for n in ("claims", "metrics", "people")}
    errors: list = []
    definitions: list = []
    try:
        definitions = derive.read_definitions(paths.DERIVED_DEFS)
        derive.evaluate_all(definitions, rows["claims"], rows["metrics"], rows["people"], errors)
    except derive.DerivedError as e:  # the file itself cannot be read
        errors.append(e)
    problems = [Problem(e.path, e.row, e.column, "", str(e).split(": ", 1)[1]) for e in errors]
    return problems + check_derived_units(definitions, data.tables["units"])


def check_derived_units(definitions: list, table: Table) -> list[Problem]:
    """A derived figure's unit is a row of the units table, as a claim's is: the report has words for it."""
    from exodus.stages.derive import DEF_FIELDS
    listed, shown, col = {r["id"] for r in table.rows if r.get("id")}, paths.rel(table.path), DEF_FIELDS.index("unit") + 1
    return [Problem(paths.rel(d.path), d.line, col, "unit", f"unknown unit {d.unit!r}; expected a unit listed in "
                                                         f"{shown}; a new unit is a row there")
            for d in definitions if d.unit not in listed]


def check_units(table: Table) -> list[Problem]:
    """Each unit id is a unit expression formulas can read dimensionally ('RUB/GBP', 'person_per_day')."""
    problems = []
    for i, row in enumerate(table.rows):
        try:
            units.parse(row.get("id") or "")
        except ValueError as e:
            problems.append(Problem(*table.where(i, "id"), f"{e}; expected a name, or two names joined by '/' or '_per_'"))
    return problems


def check_quoted(table: Table, texts: dict[str, str]) -> list[Problem]:
    """Quotes are located in their source, and the figure they carry sits once inside the quote."""
    problems = []
    field = QUOTED_TABLES[table.name]
    for i, row in enumerate(table.rows):
        sid, quote = row.get("source_id"), row.get("quote")
        if sid is None or quote is None or sid not in texts:
            continue
        _, err = locate(texts[sid], quote, row.get("occurrence"))
        if err:
            col = "occurrence" if "occurrence" in err and "does not occur" not in err else "quote"
            problems.append(Problem(*table.where(i, col), f"{err}: {quote[:80]!r}"))
        figure = row.get(field)
        if figure is not None:
            n = quote.count(figure)
            if n != 1:
                problems.append(Problem(*table.where(i, field), f"{figure!r} occurs {n} times in the quote; expected exactly once"))
    return problems


def hedge_in_wording(quote: str, number_text: str) -> str | None:
    """The hedge the words just before the figure imply, if any."""
    at = quote.find(number_text)
    before = quote[max(0, at - 40): at]  # hedges sit just before
    matcher, lower, folded = _hedge_matchers()
    if lower is not None and before.isascii():
        m = lower.search(before.lower())
        return hedge_table().phrases[m.group(1)] if m else None
    m = matcher.search(before)
    # Matching ignores case letter by letter ('ſ' matches 's'): look the words up folded the same way.
    return folded.get(m.group(1).casefold()) if m else None


def check_claim_values(table: Table, metrics: dict[str, dict]) -> list[Problem]:
    """Value, bounds and hedge agree with the figure as written; units agree with the metric registry."""
    problems = []
    for i, row in enumerate(table.rows):
        p = lambda field, msg, i=i: problems.append(Problem(*table.where(i, field), msg))
        text, hedge = row.get("number_text"), row.get("hedge")
        value, low, high = row.get("value"), row.get("low"), row.get("high")
        metric = row.get("metric")
        if metric in metrics and row.get("unit") and metrics[metric]["unit"] != row["unit"]:
            p("unit", f"unit {row['unit']!r} differs from the unit of metric {metric!r}: expected {metrics[metric]['unit']!r}")
        if low is not None and high is not None and low > high:
            p("low", f"low {low:g} is above high {high:g}")
        if value is not None and low is not None and value < low:
            p("value", f"value {value:g} is below low {low:g}")
        if value is not None and high is not None and value > high:
            p("value", f"value {value:g} is above high {high:g}")
        if text is None or hedge is None or row.get("quote") is None:
            continue
        reading = read_figure(text)
        if reading is None:
            p("number_text", f"cannot read {text!r} as a figure "
                             "(see the number_text field in the data dictionary for the wordings read)")
            continue
        if not all(math.isfinite(v) for v in (reading.value, reading.low, reading.high) if v is not None):
            p("number_text", f"{text[:40]!r}{'…' if len(text) > 40 else ''} ({len(text):,} characters) is beyond the "
                             f"largest figure a number can hold (about {sys.float_info.max:.1e}); expected the figure "
                             "as the article prints it")
            continue
        if reading.unit and row.get("unit") and row["unit"] != reading.unit:
            p("unit", f"the wording {text!r} fixes the unit {reading.unit!r}; got {row['unit']!r}")
        _check_reading(row, reading, p)
    return problems


def check_reading(row: dict, reading) -> list[str]:
    """What validation says about a claim's hedge, value and bounds against its wording (the draft asks it too)."""
    said: list[str] = []
    _check_reading(row, reading, lambda field, message: said.append(f"{field}: {message}"))
    return said


def _check_reading(row: dict, reading, p) -> None:
    """Hedge, value and bounds of one claim agree with how its figure is worded."""
    text, hedge = row["number_text"], row["hedge"]
    value, low, high = row.get("value"), row.get("low"), row.get("high")
    if reading.hedge == "range" and bound_of(hedge) == "rounding":
        # An estimated range ("I'd say ... aged 20-45") is approximate: each end widens by its rounding.
        rounded = rounding_bounds(text)
        if value is not None:
            p("value", f"{text!r} is a range; expected value blank, got {value:g}")
        if rounded is None or not (_near(low, rounded[0]) and _near(high, rounded[1])):
            p("low", f"'about {text}' covers its rounding: expected low={rounded and rounded[0]} "
                     f"high={rounded and rounded[1]}; got low={low} high={high}")
        return
    if reading.hedge in ("vague", "range"):
        kind = "a vague quantity" if reading.vague else "a range"
        if hedge != reading.hedge:
            p("hedge", f"{text!r} is {kind}; expected hedge {reading.hedge!r}, got {hedge!r}")
        if value is not None:
            p("value", f"{text!r} is {kind}; expected value blank, got {value:g}")
        if not (_close(low, reading.low) and _close(high, reading.high)):
            p("low", f"{text!r} implies low={reading.low:g} high={reading.high:g} (data dictionary, hedge); "
                     f"got low={low} high={high}")
        return
    worded = reading.hedge if reading.hedge != "exact" else hedge_in_wording(row["quote"], text)
    if worded == "denied" or hedge == "denied":
        if worded != "denied":
            p("hedge", f"hedge 'denied' needs wording that denies {text!r} ('far from', 'nowhere near')")
        elif hedge != "denied":
            p("hedge", f"the quote denies {text!r} ('far from'); expected hedge 'denied', got {hedge!r}")
        elif any(v is not None for v in (value, low, high)):
            p("value", f"a denied figure ({text!r}) is recorded with value, low and high blank; it bounds nothing")
        return
    rounded = rounding_bounds(text) if bound_of(hedge) == "rounding" else None
    if rounded is not None:
        # "about": the bounds are the rounding of the figure as written (data dictionary, number_text).
        if not (_near(low, rounded[0]) and _near(high, rounded[1])):
            p("low", f"'about {text}' covers its rounding: expected low={rounded[0]:.6g} high={rounded[1]:.6g} "
                     f"(half a unit of the last significant non-zero digit); got low={low} high={high}")
        if reading.value is not None and not _written(value, reading.value):
            p("value", f"value {value!r} disagrees with number_text {text!r}: expected {reading.value:g}")
        if worded and worded not in (hedge, "exact"):
            p("hedge", f"the quote says {worded!r} before {text!r}; expected hedge {worded!r}, got {hedge!r}")
        return
    if not _written(value, reading.value):
        p("value", f"value {value!r} disagrees with number_text {text!r}: expected {reading.value:g}")
        return
    if worded and worded != hedge:
        p("hedge", f"the quote says {worded!r} before {text!r}; expected hedge {worded!r}, got {hedge!r}")
    elif not worded and hedge not in ("exact", "about"):
        p("hedge", f"no wording before {text!r} implies {hedge!r}; expected 'exact' (or 'about' for approximate wording)")
    a, b = implied_bounds(hedge)
    expected = ((value, low, high, None)[a], (value, low, high, None)[b])
    if not (_close(low, expected[0]) and _close(high, expected[1])):
        p("low", f"hedge {hedge!r} implies low={expected[0]} high={expected[1]}; got low={low} high={high}")


def check_competing(table: Table) -> list[Problem]:
    """Competing and contrasted claims name each other, with one status; single claims name none."""
    problems, by_id = [], None
    for i, row in enumerate(table.rows):
        linked = row.get("competes_with")
        others = [x for x in linked.split(";") if x] if linked else []
        status = row.get("status")
        if others and by_id is None:  # indexed on first use: most claims name no other
            by_id = {r["id"]: r for r in table.rows if r.get("id")}
        if status in ("competing", "contrast") and not others:
            problems.append(Problem(*table.where(i, "competes_with"), f"status is {status!r} but competes_with is empty"))
        if status == "single" and others:
            problems.append(Problem(*table.where(i, "status"), f"competes_with names {others} but status is 'single'; "
                                    "expected 'competing' (one quantity) or 'contrast' (a different kind of quantity)"))
        for other in others:
            if other not in by_id:
                problems.append(Problem(*table.where(i, "competes_with"), f"unknown claim {other!r}"))
            elif row["id"] not in (by_id[other].get("competes_with") or "").split(";"):
                problems.append(Problem(*table.where(i, "competes_with"), f"{other!r} does not name {row['id']!r} back in its competes_with"))
            elif by_id[other].get("status") != status:
                problems.append(Problem(*table.where(i, "status"), f"{other!r} has status {by_id[other].get('status')!r}; "
                                                                    f"linked claims share one status, expected {status!r}"))
    return problems


def check_destinations(table: Table) -> list[Problem]:
    """Every destination names one country (ISO 3166 or a place in data/places.csv), or says it is undecided."""
    problems = []
    for i, row in enumerate(table.rows):
        destination = row.get("destination")
        country = destination_country(destination).removeprefix(f"{IMPLIED} ")
        if country in (NONE_STATED, UNDECIDED) or places.is_country(country):
            continue
        named = places.countries_in(re.sub(r"\([^)]*\)", " ", destination))
        what = f"names {len(named)} countries ({', '.join(named)})" if named else "names no known country or city"
        problems.append(Problem(*table.where(i, "destination"), (
            f"destination {destination!r} {what}; expected one country or a city listed in data/places.csv "
            f"(add a row: name,kind,country_code, e.g. Bishkek,city,KG), or 'undecided: ...' for a choice not made, or 'implied: ...' for a country the text only implies")))
    return problems


MISPLACED_DATE = re.compile(r"^'(?:dates?|event date)' is not one of", re.IGNORECASE)


def explain_misplaced_dates(problems: list[Problem], exclusions: Table) -> list[Problem]:
    """An exclusion with reason 'date' is refused with where dates belong: events.csv, not exclusions."""
    shown = paths.rel(exclusions.path)
    return [Problem(p.file, p.row, p.column, p.field, (
        "a date is not an exclusion: record it in data/events.csv (quote, date_text, event, date, date_precision, "
        "date_basis), where the coverage audit counts it too; make draft ID=<source> drafts the rows in "
        "build/drafts/<source>.events.csv")) if p.file == shown and p.field == "reason" and MISPLACED_DATE.match(p.message)
        else p for p in problems]


def check_people(table: Table, places_sound: bool = True) -> list[Problem]:
    """The account, age and destination rules of the data dictionary (companion_of, age_basis, destination);
    destinations are checked against data/places.csv only when that table is sound (its own problems are
    reported where they are)."""
    problems = check_destinations(table) if places_sound else []
    by_id = {r["id"]: r for r in table.rows if r.get("id")}
    for i, row in enumerate(table.rows):
        def p(field: str, msg: str, i: int = i) -> None:
            problems.append(Problem(*table.where(i, field), msg))
        text, age, basis = row.get("age_text"), row.get("age"), row.get("age_basis")
        lead = by_id.get(row.get("companion_of") or "")
        if row.get("companion_of") and lead is None:
            p("companion_of", f"unknown person {row['companion_of']!r}; expected the id of an account in people.csv")
        elif lead is not None and (lead.get("companion_of") or lead.get("source_id") != row.get("source_id")):
            p("companion_of", f"{lead['id']!r} must be an account (blank companion_of) from the same source")
        if (text is None) != (age is None) or (age is None) != (basis is None):
            p("age", "age, age_text and age_basis must be given together")
        elif basis == "stated":
            reading = read_figure(text)
            if reading is None or reading.value is None or not _close(float(age), reading.value):
                p("age", f"age {age} disagrees with age_text {text!r}")
        elif basis == "inferred":
            # The only inference the rules allow: "of the same age" as the account they accompany.
            if lead is None or lead.get("age") is None or lead["age"] != age:
                p("age_basis", f"an inferred age must equal the stated age of the account named in companion_of "
                               f"(age_text {text!r}); got age {age}")
    return problems


def check_dates(events: Table, sources: Table) -> list[Problem]:
    """Every event's date obeys the one date rule set against its source's publication window.

    The reference day is the publication window of the event's source, or the date of another
    event when the anchor names one ("Tonight" in an interview dated by its own event).
    """
    problems = []
    windows = {s["id"]: dates.window_days(s.get("published_not_before"), s.get("published_not_after"))
               for s in sources.rows if s.get("id")}
    by_id = {e["id"]: e for e in events.rows if e.get("id")}
    for i, e in enumerate(events.rows):
        anchor = by_id.get(e.get("anchor") or "")
        if anchor is not None:
            days = [dates.span_of(anchor.get("date") or "", anchor["date_precision"])]
            days = [days[0].first] if days[0] and anchor["date_precision"] == "day" else []
        else:
            days = windows.get(e.get("source_id"), [])
        try:
            why = dates.contradiction(e.get("date_text") or "", e.get("date"), e.get("date_precision") or "unknown", days)
        except dates.ImpossibleDate as impossible:
            problems.append(Problem(*events.where(i, "date_text"), str(impossible)))
            continue
        if why:
            problems.append(Problem(*events.where(i, "date"), f"{why} (source {e.get('source_id')}; "
                                                              f"its window is in sources.csv)"))
    return problems


def check_event_bounds(events: Table) -> list[Problem]:
    """not_before and not_after bound a resolved date inside its own span, in order."""
    problems = []
    for i, e in enumerate(events.rows):
        low, high = (dates.day(e.get(k)) for k in ("not_before", "not_after"))
        if low is None and high is None:
            continue
        span = dates.span_of(str(e.get("date") or ""), e.get("date_precision") or "unknown")
        for key, day in (("not_before", low), ("not_after", high)):
            if day is not None and span is None:
                problems.append(Problem(*events.where(i, key), f"{key} {day} bounds an event with no resolved "
                                        f"date; expected a date and date_precision it narrows, or a blank {key}"))
            elif day is not None and not span.first <= day <= span.last:
                problems.append(Problem(*events.where(i, key), f"{key} {day} lies outside {span.first} to "
                                        f"{span.last}, the days its date and date_precision cover"))
        if low is not None and high is not None and low > high:
            problems.append(Problem(*events.where(i, "not_after"), f"not_after {high} is before not_before {low}"))
    return problems


def check_claim_periods(claims: Table, sources: Table) -> list[Problem]:
    """A claim's period obeys the one period rule set (exodus/model/periods.py), which make draft applies too:
    its period_text read against the source's publication day or window, and the quote's own wording."""
    problems = []
    windows = {s["id"]: (s.get("published_not_before"), s.get("published_not_after")) for s in sources.rows if s.get("id")}
    for i, c in enumerate(claims.rows):
        text = c.get("period_text")
        if not text:
            continue  # no wording: nothing the wording could contradict
        nb, na = windows.get(c.get("source_id"), (None, None))
        said = _period_text_problem(c, text, nb, na) or _quote_period_problem(c, text, nb, na)
        if said:
            problems.append(Problem(*claims.where(i, said[0]), said[1]))
    return problems


def _period_text_problem(c: dict, text: str, nb, na) -> tuple[str, str] | None:
    """The period_text read alone: its days, where every reference day agrees on them, meet the claim's period."""
    p = periods.find_period(text, nb, na)
    if p is not None and p.problem:
        return "period_text", f"{text!r}: {p.problem}"
    if p is None or (p.start is None and p.end is None):
        return None
    first, last = p.start or p.end, p.end or p.start
    start, end = c.get("period_start"), c.get("period_end")
    if start is None and end is None:
        return "period_start", (f"{text!r} names {_days(p)} for every day of the source's window; "
                                f"expected period_start/period_end, not blank")
    one_sided = (p.start is None) != (p.end is None)  # 'since X' fixes the start, 'as of Y' the end: exactly
    if one_sided and (p.start or p.end).isoformat() != str(start if p.start else end):
        return "period_start" if p.start else "period_end", (
            f"period {start or '…'} to {end or '…'} misses {_days(p)}, which {text!r} names under the date rules")
    if (start and str(start) > last.isoformat()) or (end and str(end) < first.isoformat()):
        return "period_start", f"period {start or '…'} to {end or '…'} misses {_days(p)}, which {text!r} names under the date rules"
    return None


def _quote_period_problem(c: dict, text: str, nb, na) -> tuple[str, str] | None:
    """The quote's own wording, read as make draft reads it, contradicts the period: period_text is part of
    a longer period wording that dates this figure otherwise ('since Putin announced ... on September 21')."""
    quote, number = c.get("quote") or "", c.get("number_text") or ""
    if quote.count(number) != 1 or not number:
        return None
    at = quote.index(number)
    figures = find_figures(quote)
    mine = next((f for f in figures if f.start <= at < f.end), None)
    if mine is None:
        return None
    p, wording = periods.Sentence(quote, nb, na).period_for(mine.start, mine.end, [f.start for f in figures])
    if p is None or (p.start is None and p.end is None) or text not in p.text or text == p.text:
        return None
    if tuple(str(c.get(f) or "") for f in ("period_start", "period_end")) == tuple(d.isoformat() if d else "" for d in (p.start, p.end)):
        return None
    return "period_text", (f"the quote reads {p.text!r} as the period of {number!r}: {_days(p)} (data dictionary, "
                           f"period_text); {text!r} is only part of that wording. Expected period_text {p.text!r}, "
                           f"period_start {p.start or 'blank'}, period_end {p.end or 'blank'}")


def _days(p) -> str:
    if p.start and p.end:
        return f"{p.start} to {p.end}" if p.start != p.end else str(p.start)
    return f"from {p.start} on (no end)" if p.start else f"up to {p.end}"


def check_series_dates(claims: Table, sources: Table) -> list[Problem]:
    """A claim that joins a series (another report of its metric for its place) needs an as-of date:
    without one it can be neither ordered, drawn on a date axis, nor compared with the others."""
    by_source = {s["id"]: s for s in sources.rows if s.get("id")}
    index = {id(c): i for i, c in enumerate(claims.rows)}
    problems = []
    for (metric, _), reports in series.group(claims.rows, by_source).items():
        for c in reports:
            if series.when(c, by_source).known:
                continue
            others = ", ".join(o["id"] for o in reports if o is not c)
            problems.append(Problem(*claims.where(index[id(c)], "period_end"),
                                    f"claim {c['id']} has no as-of date (no period_end, and source "
                                    f"{c.get('source_id')} has no published date or window in sources.csv) but "
                                    f"reports {metric} for {c['place']} like {others}: give its period_end, or the "
                                    f"source's published or published_not_before/published_not_after"))
    return problems


def check_links() -> list[Problem]:
    """Every symbolic link under data/, by its own path: inputs are read only from inside data/, and a
    link (to a file, or to a folder, even data/ itself) could name any file of the machine or loop forever."""
    from exodus.pipeline import fingerprint  # the same link-free walk the build's inputs come from

    links = [p for p in fingerprint.matching(paths.DATA.parent, [f"{paths.DATA.name}/**"]) if p.is_symlink()]
    return [Problem(paths.rel(p), 0, 0, "", f"is a symbolic link (to {os.readlink(p)}); expected a regular file "
                                            "inside data/, not a link") for p in links]


def load_dataset(schema: dict | None = None) -> tuple[Dataset, list[Problem]]:
    """Load every table and source text, collecting all problems instead of stopping at the first."""
    schema = schema or tables.load_schema()
    loaded, problems = {}, check_links() + tables.key_problems(schema)
    for name in TABLE_ORDER:
        loaded[name], found = tables.read(name, schema)
        problems += found
    problems += tables.reference_problems(loaded, schema) + check_units(loaded["units"])
    texts, found = check_sources(loaded["sources"])
    problems = explain_misplaced_dates(problems + found, loaded["exclusions"])
    return Dataset(loaded, texts), problems


def validate(schema: dict | None = None) -> tuple[Dataset, list[Problem]]:
    """Every check over every table; an empty problem list means the data is sound."""
    with tables.collector_paused():
        return _validated(schema)


# The checks over loaded tables run side by side in forked processes from this many rows (at 500 articles,
# 18,000 rows, the stage took 1.08 s instead of 1.74 s on two cores); below it a process costs more than it saves.
PARALLEL_FROM_ROWS = 10_000


def _validated(schema: dict | None) -> tuple[Dataset, list[Problem]]:
    data, problems = load_dataset(schema)
    t = data.tables
    metrics = {r["id"]: r for r in t["metrics"].rows if r.get("id")}
    places_sound = not any(p.file == paths.rel(t["places"].path) for p in problems)
    # Each check reads the loaded tables and returns its problems, in three shares of about equal time at 500
    # articles and at 100,000 claims (dealt out in turn: on two cores this process takes the first and last).
    # The formulas are evaluated beside the other checks and their problems kept only when the tables are sound.
    shares = [[*(functools.partial(check_quoted, t[name], data.texts) for name in QUOTED_TABLES),
               functools.partial(check_competing, t["claims"]),
               functools.partial(check_people, t["people"], places_sound),
               functools.partial(check_dates, t["events"], t["sources"]),
               functools.partial(check_event_bounds, t["events"]),
               functools.partial(check_series_dates, t["claims"], t["sources"]),
               *(functools.partial(check_ranges, t[name]) for name in RANGES)],
              [functools.partial(check_claim_values, t["claims"], metrics),
               functools.partial(check_claim_periods, t["claims"], t["sources"])],
              [functools.partial(_formulas, data)]]
    rows = sum(len(table.rows) for table in t.values())
    checked, values, formulas = parallel.mapped(lambda share: [p for check in share for p in check()], shares,
                                                len(shares) if rows >= PARALLEL_FROM_ROWS else len(shares) + 1)
    problems += checked + values
    if not problems:  # formulas count only over tables known to be sound
        problems += check_derived(data) if formulas == [None] else formulas
    return data, sorted(problems)


def _formulas(data: Dataset) -> list:
    """check_derived's problems, or [None] when it raised: over unsound tables a formula may fail in any way
    (its problems are not kept then), over sound ones it is run again in this process to raise there."""
    try:
        return check_derived(data)
    except Exception:  # noqa: BLE001 - see above: never swallowed for sound tables
        return [None]


def main(argv: list[str] | None = None) -> int:
    _, problems = validate()
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print("data valid: every table matches its schema, every quote its source, every derived formula evaluates")
    return 0


if __name__ == "__main__":
    sys.exit(main())
