"""Period and date wording in a sentence ("last week", "on Monday", "since 21 September") resolved against publication."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS |= {"sept": 9}
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
# "early October" ends on the 10th, "mid-October" runs 11 to 20, "late October" from the 21st.
PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}

_FULL_MONTHS = [name.lower() for name in calendar.month_name if name]
_MONTH = (r"(?P<month>" + "|".join(sorted(_FULL_MONTHS, key=len, reverse=True)) + "|(?:"
          + "|".join(sorted(set(MONTHS) - set(_FULL_MONTHS), key=len, reverse=True)) + r")\.?)(?![a-z])")
_DAY_MONTH = rf"(?:(?P<day>\d{{1,2}})\s+{_MONTH}|{_MONTH.replace('month', 'month2')}\s+(?P<day2>\d{{1,2}})(?!\d))"
_PART_MONTH = rf"(?:(?P<part>early|mid|late)[\s-]+)?{_MONTH.replace('month', 'month3')}"
_YEAR = r"(?:,?\s+(?P<year>\d{4}))?"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
_PATTERNS = [
    ("since", re.compile(rf"\bsince\s+(?:[\w’'-]+\s+){{0,4}}?(?:on\s+)?(?:{_DAY_MONTH}|{_PART_MONTH}){_YEAR}", re.I)),
    ("as of", re.compile(rf"\bas\s+(?:of|at)\s+(?:{_DAY_MONTH}|{_PART_MONTH}){_YEAR}", re.I)),
    ("day", re.compile(rf"\b(?:on\s+)?{_DAY_MONTH}{_YEAR}", re.I)),
    ("month", re.compile(rf"\b(?:in|during|by|since|from)\s+{_PART_MONTH}{_YEAR}(?!\s*\d)", re.I)),
    ("week", re.compile(r"\b(?:(?:over\s+)?(?:the\s+)?(?:last|past|this)\s+week)\b", re.I)),
    ("weekday", re.compile(rf"\b(?:(?:on|last|this)\s+)?{_WEEKDAY}\b", re.I)),
    ("relative day", re.compile(r"\b(?P<rel>yesterday|today)\b", re.I)),
    ("year", re.compile(r"\b(?:in|since|by|from|until|during)\s+(?P<year>(?:19|20)\d{2})\b(?![-\d])", re.I)),
]
# Wording that dates an event (a day, a month, a year), as opposed to a period a figure covers.
DATE_KINDS = ("day", "month", "year", "weekday", "relative day")


@dataclass(frozen=True)
class Period:
    """Period wording found in a sentence and what it resolves to (None where the anchor cannot decide)."""

    text: str
    start: dt.date | None
    end: dt.date | None
    precision: str
    stated: bool  # the wording gives the year itself


def _latest(month: int, day: int, anchor: dt.date) -> dt.date:
    """The latest date with this month and day on or before the anchor."""
    day = min(day, calendar.monthrange(anchor.year, month)[1])
    d = dt.date(anchor.year, month, day)
    return d if d <= anchor else dt.date(anchor.year - 1, month, min(day, calendar.monthrange(anchor.year - 1, month)[1]))


def _month_of(m: re.Match) -> int | None:
    name = m.groupdict().get("month") or m.groupdict().get("month2") or m.groupdict().get("month3")
    return MONTHS.get(name.lower().rstrip(".")) if name else None


def _resolve(kind: str, m: re.Match, anchor: dt.date) -> tuple[dt.date | None, dt.date | None, str]:
    """Start, end and precision of one match against one anchor date."""
    g = m.groupdict()
    if kind == "week":
        monday = anchor - dt.timedelta(days=anchor.weekday())
        if "this" in m.group(0).lower():
            return monday, anchor, "week"
        if "past" in m.group(0).lower():
            return anchor - dt.timedelta(days=7), anchor, "week"
        return monday - dt.timedelta(days=7), monday - dt.timedelta(days=1), "week"
    if kind == "weekday":
        back = (anchor.weekday() - WEEKDAYS[g["weekday"].lower()]) % 7
        if m.group(0).lower().startswith("last") and back == 0:
            back = 7
        d = anchor - dt.timedelta(days=back)
        return d, d, "day"
    if kind == "relative day":
        d = anchor - dt.timedelta(days=1 if g["rel"].lower() == "yesterday" else 0)
        return d, d, "day"
    month = _month_of(m)
    if month is None:  # a year on its own
        year = int(g["year"])
        return (dt.date(year, 1, 1), None if kind == "since" else dt.date(year, 12, 31), "year")
    day = g.get("day") or g.get("day2")
    if day:
        d = dt.date(int(g["year"]), month, int(day)) if g.get("year") else _latest(month, int(day), anchor)
        return (d, None, "day") if kind == "since" else (None, d, "day") if kind == "as of" else (d, d, "day")
    year = int(g["year"]) if g.get("year") else _latest(month, 1, anchor).year
    first, last = PARTS.get((g.get("part") or "").lower(), (1, 31))
    last = min(last, calendar.monthrange(year, month)[1])
    start, end = dt.date(year, month, first), dt.date(year, month, last)
    if kind == "since":
        return start, None, "month"
    if kind == "as of":
        return None, end, "month"
    return start, end, "month"


def _period(kind: str, m: re.Match, anchors: list[dt.date]) -> Period:
    """One match resolved; dates only where every possible publication day agrees."""
    stated = bool(m.groupdict().get("year"))
    if not anchors and not stated:
        return Period(m.group(0), None, None, "unknown", False)
    results = {_resolve(kind, m, a) for a in anchors or [dt.date(int(m.group("year")), 12, 31)]}
    if len(results) != 1:
        return Period(m.group(0), None, None, "unknown", stated)
    start, end, precision = results.pop()
    return Period(m.group(0), start, end, precision, stated)


def _anchors(not_before, not_after) -> list[dt.date]:
    return [dt.date.fromisoformat(str(a)) for a in (not_before, not_after) if a]


def find_period(sentence: str, not_before=None, not_after=None) -> Period | None:
    """The first period wording in a sentence, resolved against the publication day or window."""
    for kind, pattern in _PATTERNS:
        m = pattern.search(sentence)
        if m:
            return _period(kind, m, _anchors(not_before, not_after))
    return None


def find_dates(sentence: str, not_before=None, not_after=None) -> list[tuple[int, int, Period]]:
    """Every dating wording in a sentence (a day, month, year, weekday), in order, none overlapping."""
    found = []
    for kind, pattern in _PATTERNS:
        if kind in DATE_KINDS:
            found += [(m.start(), m.end(), _period(kind, m, _anchors(not_before, not_after))) for m in pattern.finditer(sentence)]
    kept: list[tuple[int, int, Period]] = []
    for s, e, p in sorted(found, key=lambda f: (f[0], -f[1])):
        if not any(a < e and s < b for a, b, _ in kept):
            kept.append((s, e, p))
    return kept


def anchor_text(source: dict) -> str:
    """What a relative date is resolved against, as events.csv's anchor column says it."""
    nb, na = source.get("published_not_before"), source.get("published_not_after")
    if source.get("published"):
        return f"published {source['published']} ({source.get('published_basis') or 'unknown'})"
    if nb or na:
        return f"publication window {nb or '?'} to {na or '?'}"
    return "no publication date"
