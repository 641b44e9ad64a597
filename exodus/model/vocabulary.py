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
HEDGES = frozenset({"exact", "vague", *LOWER_HEDGES, *UPPER_HEDGES, *APPROXIMATE_HEDGES})

# Words a writer puts just before a figure, mapped to the canonical hedge they imply.
HEDGE_PHRASES = {
    "more than": "more than", "over": "more than", "upwards of": "more than",
    "at least": "at least", "nearly": "nearly", "almost": "nearly", "close to": "nearly",
    "about": "about", "around": "about", "roughly": "about", "approximately": "about", "some": "about",
    "up to": "up to", "at most": "at most", "no more than": "at most", "as many as": "up to",
    "as much as": "up to", "under": "under", "fewer than": "under", "less than": "under",
}

# Words that state a quantity without a numeral ("most of the Russians leaving are men"). The
# coverage audit lists each one no statement, claim or exclusion covers as a candidate for
# data/statements.csv; numerals and number words are audited separately (numbers.MENTION_WORDS).
QUANTITY_WORDS = ("most", "few", "many", "majority", "minority", "several", "countless", "numerous", "handful")

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
