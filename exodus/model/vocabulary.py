"""The project's shared words, each defined once: ids, hedges, units and outlet credit."""
from __future__ import annotations

import re

ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
ID_RULE = "^[a-z][a-z0-9_]*$ (lower-case snake_case)"

UNKNOWN = "unknown"

# Canonical hedges and what each does to a figure's interval.
LOWER_HEDGES = frozenset({"more than", "at least"})
UPPER_HEDGES = frozenset({"nearly", "at most", "up to", "under"})
APPROXIMATE_HEDGES = frozenset({"about"})
# "range": two figures, low and high, and no point value ("300-400 thousand", "between X and Y").
# "denied": the text says the figure is not X ("far from 100,000"); recorded with no value and no bound.
HEDGES = frozenset({"exact", "vague", "range", "denied", *LOWER_HEDGES, *UPPER_HEDGES, *APPROXIMATE_HEDGES})

# Words a writer puts just before a figure, mapped to the canonical hedge they imply.
HEDGE_PHRASES = {
    "more than": "more than", "over": "more than", "upwards of": "more than",
    "at least": "at least", "nearly": "nearly", "almost": "nearly", "close to": "nearly",
    "about": "about", "around": "about", "roughly": "about", "approximately": "about", "some": "about",
    "up to": "up to", "at most": "at most", "no more than": "at most", "as many as": "up to",
    "as much as": "up to", "under": "under", "fewer than": "under", "less than": "under",
    "just over": "more than", "well over": "more than", "in excess of": "more than", "above": "more than",
    "no fewer than": "at least", "no less than": "at least", "a minimum of": "at least",
    "not more than": "at most", "a maximum of": "at most", "just under": "under", "below": "under",
    "almost exactly": "about", "an estimated": "about", "estimated": "about", "some estimated": "about",
    "circa": "about",
}
# Words that deny a figure rather than bound it: "far from 100,000" says only that 100,000 is wrong.
DENIAL_PHRASES = ("far from", "nowhere near", "nowhere close to")

# Currency as written before a figure (signs and codes) or after it (words and codes), lower-cased.
CURRENCY_SIGNS = {"us$": "USD", "$": "USD", "£": "GBP", "€": "EUR", "₽": "RUB",
                  "usd ": "USD", "gbp ": "GBP", "eur ": "EUR", "rub ": "RUB"}
CURRENCY_WORDS = {"rubles": "RUB", "roubles": "RUB", "ruble": "RUB", "rouble": "RUB", "rub": "RUB",
                  "pounds": "GBP", "pound": "GBP", "gbp": "GBP", "dollars": "USD", "dollar": "USD",
                  "usd": "USD", "euros": "EUR", "euro": "EUR", "eur": "EUR"}

# Words that state a quantity without a numeral ("most of the Russians leaving are men"). The
# coverage audit lists each one no statement, claim or exclusion covers as a candidate for
# data/statements.csv; numerals and number words are audited separately (numbers.MENTION_WORDS).
QUANTITY_WORDS = ("most", "few", "many", "majority", "minority", "several", "countless", "numerous", "handful",
                  # size and trend in words: a rush, a rise, pressure at a border, a price
                  "influx", "stampede", "exceptional number", "more and more", "exodus", "extortionate",
                  "collapsing", "unattainable", "dwindling", "surged", "a number of")

# Units as a reader says them.
UNIT_WORDS = {
    "person": "people",
    "person_per_day": "people a day",
    "RUB": "rubles",
    "GBP": "pounds sterling",
    "USD": "US dollars",
    "EUR": "euros",
    "RUB/GBP": "rubles per pound",
    "percent": "percent",
    "percentage_point": "percentage points",
    "ratio": "ratio",
    "day": "days",
}


def is_id(value: str) -> bool:
    """True for an id the tables accept."""
    return bool(ID_PATTERN.fullmatch(value or ""))


def unit_words(unit: str) -> str:
    """A unit as a reader says it; an unlisted unit is shown as written."""
    return UNIT_WORDS.get(unit, unit)


def known(value: str | None) -> str | None:
    """The value, or None where the tables say it is unknown or leave it blank."""
    return value.strip() if value and value.strip() and value.strip().lower() != UNKNOWN else None


def outlet_credit(source: dict) -> str:
    """Outlet credit for a source: 'AFP via Hyrra', 'The Guardian', or 'unknown outlet'."""
    original, shown = known(source.get("original_outlet")), known(source.get("outlet_shown"))
    if original and shown and original != shown:
        return f"{original} via {shown}"
    return original or shown or f"{UNKNOWN} outlet"
