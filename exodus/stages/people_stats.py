"""Aggregates over the people table (counts of accounts, median age) for the formula language."""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from exodus.model import places

# Fields a formula may filter on; free-text fields like quote or notes are not keys.
# "country" is computed from the free-text destination by destination_country() through the
# gazetteer; "account" is "yes" for a row whose companion_of is blank (the rule in the data
# dictionary), else "no".
FILTER_FIELDS = ("status", "country", "account", "deserted", "companion_of", "destination", "origin", "source_id",
                 "occupation", "name")
UNDECIDED = "undecided"
NONE_STATED = "none stated"
# A destination the article only implies ("Orenburg, near the border with Kazakhstan") is written
# "implied: Kazakhstan (...)": it is shown with that word and never counted as a destination named.
IMPLIED = "implied:"


@dataclass(frozen=True)
class Aggregate:
    """Result of one aggregate with the rows it rests on."""

    value: float
    people_ids: tuple[str, ...]
    source_ids: tuple[str, ...]


def _norm(text) -> str:
    return "" if text is None else " ".join(str(text).split()).casefold()


def destination_country(destination: str | None) -> str:
    """Country a free-text destination names; 'undecided', 'none stated', or the text itself if no country."""
    text = (destination or "").strip()
    if not text:
        return NONE_STATED
    if text.casefold().startswith(UNDECIDED):
        return UNDECIDED  # "undecided: considering Georgia, ..." names options, not a destination
    if text.casefold().startswith(IMPLIED):
        return f"{IMPLIED} {destination_country(text[len(IMPLIED):])}"
    head = re.sub(r"\([^)]*\)", " ", text)  # parentheses hold remarks ("implied: Orenburg ...")
    found = places.countries_in(head)  # ISO 3166 countries and the cities of data/places.csv
    return found[0] if len(found) == 1 else text


def is_account(person: dict) -> bool:
    """A person whose own story the article tells; a companion is told only through an account."""
    return not (person.get("companion_of") or "").strip()


def _field(person: dict, key: str):
    if key == "country":
        return destination_country(person.get("destination"))
    if key == "account":
        return "yes" if is_account(person) else "no"
    return person.get(key)


def select(people: list[dict], filters: dict[str, str]) -> list[dict]:
    """Rows whose fields equal every filter, compared case- and space-insensitively."""
    unknown = sorted(set(filters) - set(FILTER_FIELDS))
    if unknown:
        raise KeyError(f"cannot filter people on {', '.join(unknown)}; use one of {', '.join(FILTER_FIELDS)}")
    if "country" in filters and _norm(filters["country"]) not in (UNDECIDED, NONE_STATED):
        named = places.country_named(filters["country"])  # any ISO or listed name of the country counts
        if named is None:
            raise ValueError(f"country {filters['country']!r} is not a country in ISO 3166 or data/places.csv; "
                             f"use a country name such as 'Kazakhstan', or 'undecided' or 'none stated'")
        filters = {**filters, "country": named}
    # A blank filter value matches a blank field, so count_people(destination='') counts
    # the accounts that name no destination (as does country='none stated').
    return [p for p in people if all(_norm(_field(p, k)) == _norm(v) for k, v in filters.items())]


def _aggregate(rows: list[dict], value: float) -> Aggregate:
    return Aggregate(
        float(value),
        tuple(sorted(r["id"] for r in rows)),
        tuple(sorted({r["source_id"] for r in rows})),
    )


def count_people(people: list[dict], **filters: str) -> Aggregate:
    """Number of accounts matching the filters (zero is a valid answer)."""
    rows = select(people, filters)
    return _aggregate(rows, len(rows))


def median_age(people: list[dict], **filters: str) -> Aggregate:
    """Median stated age of the matching accounts; ValueError when none states an age."""
    rows = [p for p in select(people, filters) if p.get("age") is not None]
    if not rows:
        raise ValueError("no matching account states an age")
    return _aggregate(rows, statistics.median(float(r["age"]) for r in rows))
