"""The project's shared words, each defined once: ids, hedges, units and outlet credit."""
from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from pathlib import Path

from exodus import paths

ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
ID_RULE = "^[a-z][a-z0-9_]*$ (lower-case snake_case)"

UNKNOWN = "unknown"

# The hedge vocabulary is one table, exodus/model/hedges.csv: each phrase a writer puts just before a
# figure, the canonical hedge it implies, what that hedge does to the figure's interval (its bound) and,
# marked "prints", the words the report prints for the hedge. Reading, wording, bounds, validation,
# charts and the data dictionary all draw from it. "exact", "vague" and "range" have no phrase: a range
# is two figures, low and high ("300-400 thousand"); "denied" says the figure is not X ("far from 100,000").
HEDGES_FILE = Path(__file__).with_name("hedges.csv")
HEDGE_COLUMNS = ["phrase", "hedge", "bound", "prints"]
BOUNDS = ("floor", "ceiling", "rounding", "none")  # a hedge's value is the low end, the high end, rounded, or denied
STRUCTURAL_HEDGES = {"exact": "point", "vague": "none", "range": "none"}


@dataclass(frozen=True)
class HedgeTable:
    """The hedge vocabulary: phrase -> hedge, hedge -> bound, hedge -> printed words."""

    phrases: dict[str, str]
    bounds: dict[str, str]
    printed: dict[str, str]

    def with_bound(self, bound: str) -> frozenset:
        return frozenset(h for h, b in self.bounds.items() if b == bound)


def parse_hedges(text: str, shown: str = "exodus/model/hedges.csv") -> HedgeTable:
    """The table from its CSV text; ValueError naming row and column for anything out of shape."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or rows[0] != HEDGE_COLUMNS:
        raise ValueError(f"{shown}:1: header must be {','.join(HEDGE_COLUMNS)}")
    phrases, bounds, printed = {}, dict(STRUCTURAL_HEDGES), {}
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(HEDGE_COLUMNS):
            raise ValueError(f"{shown}:{n}: expected {len(HEDGE_COLUMNS)} cells, got {len(row)}")
        phrase, hedge, bound, prints = row
        where = f"{shown}:{n}"
        if phrase != phrase.strip().lower() or not phrase or phrase in phrases:
            raise ValueError(f"{where}:1: phrase {phrase!r} must be lower-case words, given once")
        if bound not in BOUNDS or bounds.setdefault(hedge, bound) != bound or hedge in STRUCTURAL_HEDGES:
            raise ValueError(f"{where}:3: hedge {hedge!r} with bound {bound!r}: expected one of {', '.join(BOUNDS)},"
                             f" the same for every phrase of the hedge")
        if prints not in ("", "yes") or (prints and hedge in printed):
            raise ValueError(f"{where}:4: prints must be 'yes' on exactly one phrase of hedge {hedge!r}, else blank")
        phrases[phrase] = hedge
        if prints:
            printed[hedge] = phrase
    unprinted = sorted(set(bounds) - set(STRUCTURAL_HEDGES) - set(printed))
    if unprinted:
        raise ValueError(f"{shown}: no phrase marked prints=yes for hedge(s) {', '.join(unprinted)}")
    return HedgeTable(phrases, bounds, printed)


@functools.cache
def hedge_table() -> HedgeTable:
    """The project's hedge vocabulary, read once."""
    return parse_hedges(HEDGES_FILE.read_text(encoding="utf-8"))


def hedges() -> frozenset:
    """Every hedge a claim may carry."""
    return frozenset(hedge_table().bounds)


def lower_hedges() -> frozenset:
    """Hedges whose figure is a floor ("more than X": low = X, no high)."""
    return hedge_table().with_bound("floor")


def upper_hedges() -> frozenset:
    """Hedges whose figure is a ceiling ("nearly X": high = X, no low)."""
    return hedge_table().with_bound("ceiling")


def approximate_hedges() -> frozenset:
    """Hedges whose figure covers its rounding ("about 300,000": 250,000 to 350,000)."""
    return hedge_table().with_bound("rounding")


def denial_phrases() -> tuple[str, ...]:
    """Phrases that deny a figure rather than bound it."""
    return tuple(p for p, h in hedge_table().phrases.items() if hedge_table().bounds[h] == "none")


def hedge_phrases() -> dict[str, str]:
    """Phrases that bound or round a figure, mapped to their hedge (denials excluded)."""
    return {p: h for p, h in hedge_table().phrases.items() if hedge_table().bounds[h] != "none"}


def bound_of(hedge: str | None) -> str:
    """What a hedge does to its figure: point, floor, ceiling, rounding or none (no value bounds it)."""
    return hedge_table().bounds.get(hedge or "exact", "none")


def printed_hedge(hedge: str | None) -> str:
    """The words the report prints before a figure of this hedge ('' for exact, vague and range)."""
    return hedge_table().printed.get(hedge or "exact", "")


# Currency as written before a figure (signs and codes) or after it (words and codes), lower-cased.
CURRENCY_SIGNS = {"us$": "USD", "$": "USD", "£": "GBP", "€": "EUR", "₽": "RUB",
                  "usd ": "USD", "gbp ": "GBP", "eur ": "EUR", "rub ": "RUB"}
CURRENCY_WORDS = {"rubles": "RUB", "roubles": "RUB", "ruble": "RUB", "rouble": "RUB", "rub": "RUB",
                  "pounds": "GBP", "pound": "GBP", "gbp": "GBP", "dollars": "USD", "dollar": "USD",
                  "usd": "USD", "euros": "EUR", "euro": "EUR", "eur": "EUR", "lari": "GEL", "gel": "GEL",
                  "tenge": "KZT", "kzt": "KZT", "drams": "AMD", "dram": "AMD", "amd": "AMD"}

# Words that state a quantity without a numeral ("most of the Russians leaving are men"). The
# coverage audit lists each one no statement, claim or exclusion covers as a candidate for
# data/statements.csv; numerals and number words are audited separately (numbers.MENTION_WORDS).
QUANTITY_WORDS = ("most", "few", "many", "majority", "minority", "several", "countless", "numerous", "handful",
                  # size and trend in words: a rush, a rise, pressure at a border, a price
                  "influx", "stampede", "exceptional number", "more and more", "exodus", "extortionate",
                  "collapsing", "unattainable", "dwindling", "surged", "a number of")

# The units are one table, data/units.csv (a resource of the data package, which claims.unit, metrics.unit
# and the derived figures' units refer to): each unit's id, the words a reader says it in and the signs the
# report prints beside a figure whose own wording does not show the unit.
@dataclass(frozen=True)
class Unit:
    """One row of the units table."""

    id: str
    words: str
    before: str = ""
    after: str = ""
    written: tuple[str, ...] = ()


def parse_units(text: str) -> dict[str, Unit]:
    """The units table from its CSV text, by id (the validate stage checks its shape and locates errors)."""
    rows = csv.DictReader(io.StringIO(text))
    return {r["id"]: Unit(r["id"], r.get("words") or r["id"], r.get("before") or "", r.get("after") or "",
                          tuple(w for w in (r.get("written") or "").lower().split("|") if w))
            for r in rows if r.get("id")}


@functools.lru_cache(maxsize=8)
def _units_at(path: str, stamp: tuple[int, int]) -> dict[str, Unit]:
    return parse_units(Path(path).read_text(encoding="utf-8-sig")) if stamp else {}


def unit_table() -> dict[str, Unit]:
    """The units of the project in progress (data/units.csv), read again only when the file changes."""
    path = paths.UNITS  # resolved per call: the root of the run in progress
    try:
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = ()
    return _units_at(str(path), stamp)


def is_id(value: str) -> bool:
    """True for an id the tables accept."""
    return bool(ID_PATTERN.fullmatch(value or ""))


def unit_words(unit: str) -> str:
    """A unit as a reader says it (data/units.csv); an unlisted unit, which validation refuses, as written."""
    found = unit_table().get(unit)
    return found.words if found else unit


def known(value: str | None) -> str | None:
    """The value, or None where the tables say it is unknown or leave it blank."""
    return value.strip() if value and value.strip() and value.strip().lower() != UNKNOWN else None


def outlet_credit(source: dict) -> str:
    """Outlet credit for a source: 'AFP via Hyrra', 'The Guardian', or 'unknown outlet'."""
    original, shown = known(source.get("original_outlet")), known(source.get("outlet_shown"))
    if original and shown and original != shown:
        return f"{original} via {shown}"
    return original or shown or f"{UNKNOWN} outlet"
