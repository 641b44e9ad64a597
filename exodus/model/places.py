"""Places to countries: the ISO 3166 list (pycountry) plus the curated cities and names in data/places.csv."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pycountry

from exodus import paths
from exodus.model import tables


@dataclass(frozen=True)
class Gazetteer:
    """Country display names by ISO code, and one regex per case rule that finds place names in text."""

    names: dict[str, str]
    codes: dict[str, str]  # a place name, folded, to its country code
    folded: re.Pattern
    exact: re.Pattern  # abbreviations such as 'UK' or 'US', matched only in capitals


def _pattern(names, flags=0) -> re.Pattern:
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", flags)


@functools.lru_cache(maxsize=4)
def _build(path: str, mtime: float) -> Gazetteer:
    names, codes = {}, {}
    for c in pycountry.countries:
        names[c.alpha_2] = getattr(c, "common_name", None) or c.name
        for n in {c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)} - {None}:
            codes[n.casefold()] = c.alpha_2
    shouted = set()
    for row in tables.load("places"):
        if row["kind"] == "country":
            names[row["country_code"]] = row["name"]
        if row["name"].isupper():
            shouted.add(row["name"])
        else:
            codes[row["name"].casefold()] = row["country_code"]
    codes.update({s: next(r["country_code"] for r in tables.load("places") if r["name"] == s) for s in shouted})
    plain = [n for n in codes if n not in shouted]
    return Gazetteer(names, codes, _pattern(plain, re.IGNORECASE), _pattern(shouted))


def gazetteer() -> Gazetteer:
    """The gazetteer for the current data folder (rebuilt when data/places.csv changes)."""
    path = paths.table("places")
    return _build(str(path), path.stat().st_mtime if path.exists() else 0.0)


def countries_in(text: str) -> list[str]:
    """Display names of every country the text names, directly or through a listed city, in order, once each."""
    g = gazetteer()
    found = [g.codes[m.group(0).casefold()] for m in g.folded.finditer(text)]
    found += [g.codes[m.group(0)] for m in g.exact.finditer(text)]
    return list(dict.fromkeys(g.names[c] for c in found))


def names_in(text: str) -> list[str]:
    """Every place name the gazetteer knows in the text, as written, in order."""
    g = gazetteer()
    found = sorted([*g.folded.finditer(text), *g.exact.finditer(text)], key=lambda m: m.start())
    return [m.group(0) for m in found]


def country_named(name: str) -> str | None:
    """The display name of the country a name denotes ('Türkiye', 'Kyrgyz Republic', 'UK'), else None; cities are not countries."""
    g = gazetteer()
    code = g.codes.get(name.strip()) if name.strip().isupper() else g.codes.get(name.strip().casefold())
    if code is None or not any(n.casefold() == name.strip().casefold() for n in _country_names(code)):
        return None
    return g.names[code]


def _country_names(code: str) -> set[str]:
    c = pycountry.countries.get(alpha_2=code)
    names = {c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)} - {None}
    return names | {r["name"] for r in tables.load("places") if r["country_code"] == code and r["kind"] != "city"}


def is_country(name: str) -> bool:
    """True for a country's display name ('Kyrgyzstan', 'Turkey')."""
    return name in gazetteer().names.values()
