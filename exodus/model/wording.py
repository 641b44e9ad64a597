"""How figures, hedges, units and dates are worded in the report text."""
from __future__ import annotations

import datetime as dt
import functools
import re

from exodus.model.vocabulary import hedge_table, printed_hedge, unit_table

_MONTHS = ["January", "February", "March", "April", "May", "June", "July",
           "August", "September", "October", "November", "December"]


def number(value: float) -> str:
    """A value as a reader expects it: thousands separators, no spurious decimals."""
    if value is None:
        return ""
    if abs(value) >= 100 or float(value).is_integer():
        return f"{round(value):,}"
    # Two significant decimals at most: derived ratios are estimates, not measurements.
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def with_unit(figure: str, unit: str) -> str:
    """The figure with its unit's sign ('£', '%', '×', 'rubles': data/units.csv) unless its wording shows it."""
    found = unit_table().get(unit)
    if found is None or not (found.before or found.after) or any(w in figure.lower() for w in found.written):
        return figure
    after = f" {found.after}" if found.after[:1].isalpha() else found.after
    return f"{found.before}{figure}{after}"


@functools.cache
def _own_hedge() -> re.Pattern:
    """Any phrase of the hedge vocabulary (or 'between') opening a figure: its own words are kept,
    never a second qualifier stacked on them ("nearly close to 100,000")."""
    phrases = sorted([*hedge_table().phrases, "between"], key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(map(re.escape, phrases)) + r")\b", re.IGNORECASE)


def hedged(figure: str, hedge: str) -> str:
    """Figure prefixed with its hedge unless the wording already says it."""
    words = printed_hedge(hedge)
    if not words or _own_hedge().match(figure.strip()):
        return figure
    return f"{words} {figure}"


def claim_text(claim: dict) -> str:
    """A claim as worded in the report: hedge + figure as written + unit, e.g. 'nearly 100,000'."""
    figure = (claim.get("number_text") or "").strip()
    if re.match(r"^[A-Z][a-z]", figure):
        # "Three", "Tens of thousands": capitalised only because they opened a sentence.
        figure = figure[0].lower() + figure[1:]
    if not figure:
        figure = number(claim.get("value"))
    if claim.get("hedge") == "vague":
        return figure
    return hedged(with_unit(figure, claim.get("unit", "")), claim.get("hedge", "exact"))


def derived_text(row: dict) -> str:
    """A derived figure as worded: hedge + formatted value (or range) + unit sign."""
    value, low, high = row.get("value"), row.get("low"), row.get("high")
    unit = row.get("unit", "")
    present = [v for v in (value, low, high) if v is not None]
    if unit == "ratio" and present and all(0 <= v <= 1 for v in present):
        # A ratio below one is a share; readers take "56%" more easily than "0.56×".
        value, low, high = (None if v is None else round(v * 100, 1) for v in (value, low, high))
        unit = "percent"
    hedge = row.get("hedge") or "exact"
    # The bound the hedge names is the figure a reader can rely on: "at least 4,000", not the
    # point value 5,000 that sits inside the interval.
    if hedge == "at least" and low is not None:
        return hedged(with_unit(number(low), unit), hedge)
    if hedge == "at most" and high is not None:
        return hedged(with_unit(number(high), unit), hedge)
    if hedge == "between" and low is not None and high is not None:
        span = f"{number(low)}–{number(high)}"
        if value is None:
            return with_unit(span, unit)
        return f"about {with_unit(number(value), unit)} ({span})"
    return hedged(with_unit(number(value), unit), hedge)


def date_text(iso: str | None, precision: str = "day") -> str:
    """An ISO date worded at its precision, e.g. '21 September 2022', 'September 2022'."""
    if not iso:
        return ""
    d = dt.date.fromisoformat(iso)
    if precision == "year":
        return str(d.year)
    if precision == "quarter":
        return f"Q{(d.month - 1) // 3 + 1} {d.year}"
    if precision == "month":
        return f"{_MONTHS[d.month - 1]} {d.year}"
    if precision == "week":
        return f"week of {d.day} {_MONTHS[d.month - 1]} {d.year}"
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def event_text(event: dict) -> str:
    """An event's date as worded: resolved date at its precision, else the source's wording."""
    if event.get("not_before") or event.get("not_after"):
        return date_range(_iso(event.get("not_before")), _iso(event.get("not_after")))
    if event.get("date") and event.get("date_precision") != "unknown":
        return date_text(event["date"], event["date_precision"])
    return (event.get("date_text") or "").strip() or "undated"


def _iso(value) -> str | None:
    return str(value) if value else None


def window_text(not_before: str | None, not_after: str | None) -> str:
    """A publication window: 'between X and Y', 'not before X', 'not after Y' or ''."""
    if not_before and not_after:
        return f"between {not_before} and {not_after}" if not_before != not_after else not_before
    if not_before:
        return f"not before {not_before}"
    if not_after:
        return f"not after {not_after}"
    return ""


def bounds_text(low: float | None, high: float | None) -> str:
    """Bounds as 'from X to Y', 'X or more', 'up to Y' or 'unbounded'."""
    if low is not None and high is not None:
        return f"{number(low)} to {number(high)}" if low != high else number(low)
    if low is not None:
        return f"{number(low)} or more"
    if high is not None:
        return f"up to {number(high)}"
    return "unbounded"


def date_range(lo: str | None, hi: str | None) -> str:
    """'22–25 September 2022', '26 September–2 October 2022', '1 October 2022 or later'."""
    if lo and hi:
        a, b = dt.date.fromisoformat(lo), dt.date.fromisoformat(hi)
        if a == b:
            return date_text(lo)
        if a.year != b.year:
            return f"{date_text(lo)}–{date_text(hi)}"
        start = str(a.day) if a.month == b.month else date_text(lo).rsplit(" ", 1)[0]
        return f"{start}–{date_text(hi)}"
    if lo:
        return f"{date_text(lo)} or later"
    return f"{date_text(hi)} or earlier" if hi else ""
