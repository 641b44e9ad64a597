"""The one rule set that resolves relative date wording ("last week", "on Thursday") against a reference day."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
          "september": 9, "october": 10, "november": 11, "december": 12,
          "jan.": 1, "feb.": 2, "aug.": 8, "sept.": 9, "sep.": 9, "oct.": 10, "nov.": 11, "dec.": 12}
_MONTH = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_DAY = "|".join(WEEKDAYS)
# Words that put the wording after the reference day; everything else is past narrative.
FUTURE = re.compile(r"\b(until|next|scheduled|tomorrow|coming)\b")
OPEN_WINDOW_DAYS = 400  # a window with no end: look this far ahead, far enough to make every relative date ambiguous


@dataclass(frozen=True)
class Span:
    """Closed range of days a wording names (one day, a week, a month, a season)."""

    first: dt.date
    last: dt.date

    def within(self, other: Span) -> bool:
        return other.first <= self.first and self.last <= other.last


def _month_span(year: int, month: int) -> Span:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return Span(dt.date(year, month, 1), nxt - dt.timedelta(days=1))


def _week(day: dt.date, shift: int) -> Span:
    monday = day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=shift)
    return Span(monday, monday + dt.timedelta(days=6))


def _weekday(day: dt.date, name: str, future: bool) -> dt.date:
    """Latest such weekday on or before the day (past narrative), or earliest on or after it (future)."""
    diff = (WEEKDAYS.index(name) - day.weekday()) % 7
    return day + dt.timedelta(days=diff) if future else day - dt.timedelta(days=(7 - diff) % 7)


def _month_of(day: dt.date, month: int, future: bool) -> Span:
    year = day.year
    if future and month < day.month:
        year += 1
    if not future and month > day.month:
        year -= 1
    return _month_span(year, month)


def _date_of(day: dt.date, month: int, dom: int) -> dt.date:
    """Latest such calendar day on or before the reference day."""
    candidate = dt.date(day.year, month, dom)
    return candidate if candidate <= day else dt.date(day.year - 1, month, dom)


def resolve(text: str, day: dt.date) -> Span | None:
    """Days the wording names when written on `day`; None for wording outside the rules.

    Rules, tried in order (documented with examples in data/datapackage.json, events.date_basis):
    a year, quarter or month with its year is absolute; "last/this/next week" are the calendar
    weeks (Monday to Sunday) before, of and after the day; "last <weekday>" is that weekday of the
    week before; a bare weekday ("on Thursday", "By Wednesday evening") is the latest such day on or
    before the day, or the earliest on or after it when the wording looks ahead ("until Friday");
    "today"/"tonight" the day itself, "tomorrow" the next; "<month> last year" that month a year
    back; "last fall" the latest September-November wholly before the day; a month alone, or a
    month and day ("Sept. 21", "March 8"), the latest one on or before the day (earliest on or
    after when looking ahead, "scheduled in September").
    """
    t = " ".join(text.lower().split())
    future = bool(FUTURE.search(t))
    m = re.search(r"\b(?:the )?(first|second|third|fourth) quarter of (\d{4})\b", t)
    if m:
        q = ["first", "second", "third", "fourth"].index(m.group(1))
        return Span(_month_span(int(m.group(2)), 3 * q + 1).first, _month_span(int(m.group(2)), 3 * q + 3).last)
    m = re.search(rf"\b({_MONTH}) (\d{{4}})\b", t)
    if m:
        return _month_span(int(m.group(2)), MONTHS[m.group(1)])
    m = re.search(r"\b(\d{4})\b", t)
    if m and not re.search(rf"\b({_MONTH}) \d{{1,2}}\b", t):
        return Span(dt.date(int(m.group(1)), 1, 1), dt.date(int(m.group(1)), 12, 31))
    m = re.search(r"\b(last|this|next) week\b", t)
    if m:
        return _week(day, {"last": -1, "this": 0, "next": 1}[m.group(1)])
    m = re.search(rf"\blast ({_DAY})\b", t)
    if m:
        d = _week(day, -1).first + dt.timedelta(days=WEEKDAYS.index(m.group(1)))
        return Span(d, d)
    m = re.search(rf"\b({_DAY})\b", t)
    if m:
        d = _weekday(day, m.group(1), future)
        return Span(d, d)
    if re.search(r"\b(today|tonight)\b", t):
        return Span(day, day)
    if re.search(r"\btomorrow\b", t):
        return Span(day + dt.timedelta(days=1), day + dt.timedelta(days=1))
    m = re.search(rf"\b({_MONTH}) last year\b", t)
    if m:
        return _month_span(day.year - 1, MONTHS[m.group(1)])
    if re.search(r"\blast (fall|autumn)\b", t):
        year = day.year if day >= dt.date(day.year, 12, 1) else day.year - 1
        return Span(dt.date(year, 9, 1), dt.date(year, 11, 30))
    m = re.search(rf"\b({_MONTH}) (\d{{1,2}})\b", t)
    if m:
        d = _date_of(day, MONTHS[m.group(1)], int(m.group(2)))
        return Span(d, d)
    m = re.search(rf"\b({_MONTH})\b", t)
    if m and m.group(1) != "may":  # the verb "may" is not the month
        return _month_of(day, MONTHS[m.group(1)], future)
    return None


def day(value) -> dt.date | None:
    """A table's date cell as a date; None when blank."""
    return dt.date.fromisoformat(str(value)) if value else None


def span_of(date: str, precision: str) -> Span | None:
    """Days a resolved date of a given precision covers (events.date + events.date_precision)."""
    if not date or precision == "unknown":
        return None
    d = dt.date.fromisoformat(date)
    if precision == "week":
        return Span(d, d + dt.timedelta(days=6))
    months = {"month": 1, "quarter": 3, "year": 12}.get(precision)
    if months:
        end_year, end_month = divmod(d.month - 1 + months - 1, 12)
        return Span(d, _month_span(d.year + end_year, end_month + 1).last)
    return Span(d, d)


def window_days(not_before: str | None, not_after: str | None) -> list[dt.date]:
    """Every day a publication window allows; an open end reaches OPEN_WINDOW_DAYS ahead."""
    if not not_before:
        return []
    first = dt.date.fromisoformat(not_before)
    last = dt.date.fromisoformat(not_after) if not_after else first + dt.timedelta(days=OPEN_WINDOW_DAYS)
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def contradiction(date_text: str, date: str | None, precision: str, days: list[dt.date]) -> str | None:
    """Why an event's resolution breaks the rules for the given reference days, or None.

    If every reference day gives the same days for the wording, the event must be resolved and
    its date must lie inside them, or contain them (a coarser precision); if the days differ, the
    wording does not fix a date and the event must be unresolved or contain every reading.
    """
    readings = {resolve(date_text, d) for d in days}
    if not days or None in readings:
        return None
    own = span_of(date or "", precision)
    if len(readings) == 1:
        (span,) = readings
        if own is None:
            return f"{date_text!r} resolves to {_show(span)} for every day of the window; expected that date, not unresolved"
        if not (own.within(span) or span.within(own)):
            return f"{date_text!r} resolves to {_show(span)} for every day of the window, but the event says {_show(own)}"
        return None
    whole = Span(min(s.first for s in readings), max(s.last for s in readings))
    if own is not None and not whole.within(own):
        return (f"{date_text!r} names different days across the window ({_show(whole)}), so it does not fix "
                f"{_show(own)}; leave it unresolved or widen the window's precision")
    return None


def _show(span: Span) -> str:
    a, b = span.first.isoformat(), span.last.isoformat()
    return a if a == b else f"{a} to {b}"
