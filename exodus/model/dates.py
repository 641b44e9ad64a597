"""The one rule set that resolves relative date wording ("last week", "on Thursday") against a reference day."""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
          "september": 9, "october": 10, "november": 11, "december": 12,
          "jan.": 1, "feb.": 2, "aug.": 8, "sept.": 9, "sep.": 9, "oct.": 10, "nov.": 11, "dec.": 12}
# Abbreviations as wire copy writes them, with or without the full stop ("Sept 28", "Oct. 6").
ABBREVIATIONS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
                 "oct": 10, "nov": 11, "dec": 12}
_MONTH = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_DAY = "|".join(WEEKDAYS)
# A word that may name a month beside a day number: checked by month_number, which also reads common typos.
MONTH_WORD = r"[a-z]{3,10}\.?"
# "early October" ends on the 10th, "mid-October" runs 11 to 20, "late October" from the 21st.
PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
# The same parts in other words, and the weeks of a month: "the end of September" is late September (21 to the
# end), "the first week of October" 1-7 October, "the last week of" its last seven days (0 stands for them).
PARTS.update({"beginning of": PARTS["early"], "start of": PARTS["early"], "middle of": PARTS["mid"],
              "end of": PARTS["late"], "first week of": (1, 7), "second week of": (8, 14), "third week of": (15, 21),
              "fourth week of": (22, 28), "last week of": (0, 31)})
PART_WORDS = "|".join(p.replace(" ", r"\s+") for p in sorted(PARTS, key=len, reverse=True))
_TYPO_FREE = 5  # names this short ("March", "April") are read only as written: one letter off is another word


LEAP_REFERENCE = dt.date(2024, 6, 30)  # a day in a leap year, for wording read without a window


class ImpossibleDate(ValueError):
    """Dating wording that names no calendar day ("September 31")."""


def _one_edit(a: str, b: str) -> bool:
    """True when a differs from b by one inserted, deleted, changed or swapped letter."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


@functools.lru_cache(maxsize=4096)
def month_number(word: str) -> int | None:
    """The month a word names: the full name, an abbreviation (dot or not), or a full name with one typo
    ("Septembr", "Ocotber"); None for any other word."""
    w = word.lower().rstrip(".")
    if w in MONTHS:
        return MONTHS[w]
    if w in ABBREVIATIONS:
        return ABBREVIATIONS[w]
    if len(w) > _TYPO_FREE:
        return next((n for name, n in MONTHS.items() if len(name) > _TYPO_FREE and _one_edit(w, name)), None)
    return None


def calendar_day(year: int, month: int, day: int, text: str) -> dt.date:
    """The date, or ImpossibleDate naming the wording when the month has no such day."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day if 1 <= month <= 12 else 0
        what = f"{list(MONTHS)[month - 1].capitalize()} has {last} days" if last else "there is no such month"
        raise ImpossibleDate(what) from None
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


def _date_of(day: dt.date, month: int, dom: int, text: str = "", future: bool = False) -> dt.date:
    """Latest such calendar day on or before the reference day (earliest on or after it when looking ahead)."""
    calendar_day(2000, month, dom, text or f"{month}/{dom}")  # a leap year: only a day no year has is refused
    year = day.year
    for _ in range(8):  # 29 February: the nearest leap year lies within eight years
        try:
            candidate = dt.date(year, month, dom)
        except ValueError:
            year += 1 if future else -1
            continue
        if (candidate >= day) if future else (candidate <= day):
            return candidate
        year += 1 if future else -1
    raise ImpossibleDate(f"no such day near {day}")


def _numeric(t: str) -> Span | None:
    """ISO and numeric dates: '2022-11-29', '29-09-2022', '28.09.2022'; '29/09/2022' day first unless the
    second number is over 12 ('09/29/2022'); a slashed date whose order the numbers cannot fix is not read."""
    m = re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", t)
    if m:
        d = calendar_day(int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(0))
        return Span(d, d)
    m = re.search(r"\b(\d{1,2})([./-])(\d{1,2})\2(\d{4})\b", t)
    if not m:
        return None
    a, b, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
    if m.group(2) == "/" and b > 12 >= a:
        a, b = b, a
    elif m.group(2) == "/" and a <= 12 and b <= 12 and a != b:
        return None
    d = calendar_day(year, b, a, m.group(0))
    return Span(d, d)


def _month_day(t: str) -> tuple[re.Match, int, int, int | None] | None:
    """The first 'September 21' or '21 September' (', 2022' optional) whose word names a month:
    (match, month, day, year or None)."""
    pattern = (rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{MONTH_WORD})|(?P<m2>{MONTH_WORD})\s+(?P<d2>\d{{1,2}})"
               rf"(?:st|nd|rd|th)?(?!\d))(?:,?\s+(?P<y>\d{{4}})\b)?")
    for m in re.finditer(pattern, t):
        month = month_number(m.group("m1") or m.group("m2"))
        if month:
            return m, month, int(m.group("d1") or m.group("d2")), int(m.group("y")) if m.group("y") else None
    return None


def _part_of_month(t: str, day: dt.date, future: bool) -> Span | None:
    """'early October' (1-10), 'mid-October' (11-20), 'late October' (21 to the end), with or without a year."""
    m = re.search(rf"\b({PART_WORDS})[\s-]+({MONTH_WORD})(?:\s+(\d{{4}}))?\b", t)
    month = month_number(m.group(2)) if m else None
    if not month:
        return None
    whole = _month_span(int(m.group(3)), month) if m.group(3) else _month_of(day, month, future)
    first, last = PARTS[" ".join(m.group(1).split())]
    first = first or whole.last.day - 6  # "the last week of": its last seven days
    return Span(whole.first.replace(day=first), whole.first.replace(day=min(last, whole.last.day)))


@functools.lru_cache(maxsize=1 << 16)  # an event's wording is read for every day of its window
def resolve(text: str, day: dt.date) -> Span | None:
    """Days the wording names when written on `day`; None for wording outside the rules (see _resolve)."""
    try:
        return _resolve(text, day)
    except ImpossibleDate as e:
        raise ImpossibleDate(f"{' '.join(text.split())!r} names no calendar day ({e}); check the text") from None


def _resolve(text: str, day: dt.date) -> Span | None:
    """Days the wording names when written on `day`; None for wording outside the rules.

    Rules, tried in order (documented with examples in data/datapackage.json, events.date_basis):
    a numeric date ('2022-11-29', '29-09-2022', '28.09.2022') and a day with its month and year
    ('21 September 2022', 'Septembr 29, 2022': a month name with one typo is read) are absolute, as are
    a year, quarter or month with its year; 'early/mid/late October' are days 1-10, 11-20 and 21 to the end; "last/this/next week" are the calendar
    weeks (Monday to Sunday) before, of and after the day; "last <weekday>" is that weekday of the
    week before; a bare weekday ("on Thursday", "By Wednesday evening") is the latest such day on or
    before the day, or the earliest on or after it when the wording looks ahead ("until Friday");
    "today"/"tonight" the day itself, "tomorrow" the next, "yesterday" the one before; "<month> last year" that month a year
    back; "last fall" the latest September-November wholly before the day; a month alone, or a
    month and day ("Sept. 21", "March 8"), the latest one on or before the day (earliest on or
    after when looking ahead, "scheduled in September"). A day the month does not have ("September 31")
    raises ImpossibleDate, which the callers report as a located error.
    """
    t = " ".join(text.lower().split())
    future = bool(FUTURE.search(t))
    numeric = _numeric(t)
    if numeric:
        return numeric
    md = _month_day(t)
    if md and md[3]:
        d = calendar_day(md[3], md[1], md[2], md[0].group(0))
        return Span(d, d)
    m = re.search(r"\b(?:the )?(first|second|third|fourth) quarter of (\d{4})\b", t)
    if m:
        q = ["first", "second", "third", "fourth"].index(m.group(1))
        return Span(_month_span(int(m.group(2)), 3 * q + 1).first, _month_span(int(m.group(2)), 3 * q + 3).last)
    part = _part_of_month(t, day, future)
    if part:
        return part
    m = re.search(rf"\b({_MONTH}) (\d{{4}})\b", t)
    if m:
        return _month_span(int(m.group(2)), MONTHS[m.group(1)])
    m = re.search(r"\b(\d{4})\b", t)
    if m and not md:
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
    if re.search(r"\byesterday\b", t):
        return Span(day - dt.timedelta(days=1), day - dt.timedelta(days=1))
    m = re.search(rf"\b({_MONTH}) last year\b", t)
    if m:
        return _month_span(day.year - 1, MONTHS[m.group(1)])
    if re.search(r"\blast (fall|autumn)\b", t):
        year = day.year if day >= dt.date(day.year, 12, 1) else day.year - 1
        return Span(dt.date(year, 9, 1), dt.date(year, 11, 30))
    if md:
        d = _date_of(day, md[1], md[2], md[0].group(0), future)
        return Span(d, d)
    m = re.search(rf"\b({_MONTH})\b", t)
    if m and (m.group(1) != "may" or re.search(r"\b(?:in|during|by|since|from|until|of|early|late|mid)[\s-]+may\b", t)):
        # the verb "may" is not the month; "in May" is
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
    # With no reference day the wording is still read once, on a day of a leap year: a day no month
    # has ('September 31', 'February 30') raises ImpossibleDate whatever the year.
    readings = {resolve(date_text, d) for d in days or [LEAP_REFERENCE]}
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
                f"{_show(own)}: leave date blank with date_precision 'unknown' (make draft does), give a precision "
                f"whose days hold all of {_show(whole)}, or narrow the source's publication window in sources.csv "
                f"if the text fixes it")
    return None


def _show(span: Span) -> str:
    a, b = span.first.isoformat(), span.last.isoformat()
    return a if a == b else f"{a} to {b}"
