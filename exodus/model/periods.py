"""Period and date wording in a sentence ("since X on 21 September", "from X to Y", "over the last four days")."""
from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass

from exodus.model import dates
from exodus.model.numbers import UNITS

_WEEKDAY = "|".join(dates.WEEKDAYS)
_FULL_MONTHS = "|".join(name for name in dates.MONTHS if name.isalpha())
_W = dates.MONTH_WORD.replace("a-z", "A-Za-z")
_YEAR = r"(?:,?\s+(?:19|20)\d{2}\b)?"
# Every dating wording in running text, as one pattern scanned once per sentence; a word beside a day
# number is a month only when dates.month_number says so ("Septembr 29" yes, "Gate 29" no).
_ATOM = re.compile(
    r"(?P<lead>\b(?:on|in|during|last|this)\s+)?(?P<atom>"
    r"\b(?:19|20)\d{2}-\d{1,2}-\d{1,2}\b|\b\d{1,2}([./-])\d{1,2}\3(?:19|20)\d{2}\b"
    rf"|(?P<part>\b(?:{dates.PART_WORDS})[\s-]+{_W}(?:\s+(?:19|20)\d{{2}}\b)?)"
    rf"|(?P<dm>\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_W}{_YEAR})"
    rf"|(?P<md>\b{_W}\s+\d{{1,2}}(?:st|nd|rd|th)?(?![\d:.,]\d){_YEAR})"
    rf"|\b(?:{_FULL_MONTHS})\s+(?:19|20)\d{{2}}\b"
    rf"|\b(?:{_WEEKDAY})\b|\b(?:yesterday|today|tonight)\b)"
    # A month or a year standing alone is a date only after a preposition ("in October", "by 2024").
    rf"|(?P<prep>\b(?:in|during|by|since|from|until|through|of|to)\s+)(?P<bare>(?:{_FULL_MONTHS})\b(?!\s+\d)|(?:19|20)\d{{2}}\b(?![-\d]))",
    re.IGNORECASE)
# Words before a date that make it the day a statement was made, not the span a figure covers.
_STATEMENT = re.compile(r"\b(?:said|says|say|told\s+[\w.’'-]+(?:\s+[\w.’'-]+)?|reported|announced|stated|added|wrote|"
                        r"confirmed|tweeted|posted|published)\s*$", re.IGNORECASE)
# A dateline: "TBILISI, Oct 6 (Test Wire) -" or "Nov 29 (Agency) -" at a sentence start; a page date is a line alone.
_DATELINE_AFTER = re.compile(r"\s*\([^()]{1,60}\)\s*[-\u2013\u2014]")
_DATELINE_BEFORE = re.compile(r"^(?:[A-Z][A-Z .'’-]{1,40}[,.]?\s+)?$")
_PAGE_DATE_REST = re.compile(r"^[\s,|·-]*(?:\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?|GMT|UTC)?)?[\s|·]*$")
_END_ONLY = re.compile(r"\b(?:as\s+(?:of|at)|by|through|up\s+to|until|till)\s+$", re.IGNORECASE)
_SINCE = re.compile(r"\bsince\b", re.IGNORECASE)
_PAIR_START = re.compile(r"\b(from|between)\s+$", re.IGNORECASE)
_PAIR_JOIN = {"from": re.compile(r"\s*(?:to|until|till|through|[-\u2013\u2014])\s*", re.IGNORECASE),
              "between": re.compile(r"\s*(?:and|[-\u2013\u2014])\s*", re.IGNORECASE)}
_DAY_RANGE = re.compile(rf"\b(from|between)\s+(\d{{1,2}})\s*(?:to|and|-|\u2013)\s*(\d{{1,2}}\s+{_W}{_YEAR})", re.IGNORECASE)
_COUNT = "|".join([r"\d{1,3}", *sorted((w for w in UNITS if w not in ("a", "an", "zero")), key=len, reverse=True)])
_LAST_N = re.compile(rf"\b(?:(?:over|in|during|for|within)\s+)?(?:the\s+)?(?:last|past|previous)\s+"
                     rf"(?P<n>{_COUNT}|few|couple\s+of)\s+(?P<unit>days|weeks|months)\b", re.IGNORECASE)
_PAST_UNIT = re.compile(r"\b(?:(?:over|in|during|for|within)\s+)?(?:the\s+(?:past|last)|past)\s+(?P<unit>week|fortnight|month)\b",
                        re.IGNORECASE)
# "in the week to Sunday", "the seven days to October 9", "the fortnight ending Friday": N days ending that day.
_SPAN_TO = re.compile(r"\b(?:(?:in|over|during)\s+)?the\s+(?:(?P<n>seven|7)\s+(?=days))?(?P<unit>week|(?<=seven )days|(?<=7 )days|fortnight)\s+"
                      r"(?:to|ending|up\s+to|through|until)\s+$", re.IGNORECASE)
_THIS_UNIT = re.compile(r"\bthis\s+(?P<unit>month|year)\b", re.IGNORECASE)
_CALENDAR_WEEK = re.compile(r"\b(?:last|this)\s+week\b", re.IGNORECASE)
_RECENT = re.compile(r"\b(?:(?:in|over|during)\s+(?:the\s+)?recent\s+(?:days|weeks)|recently)\b", re.IGNORECASE)
_UNIT_DAYS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "fortnight": 14}
# "now" is the day of writing ("until now", "now that" are not); "a month ago", "three days ago" count back from it.
_NOW = re.compile(r"(?<!until )(?<!till )(?<!by )\bnow\b(?!\s+that\b)", re.IGNORECASE)
_AGO = re.compile(rf"\b(?P<n>an?|{_COUNT})\s+(?P<unit>days?|weeks?|months?)\s+ago\b", re.IGNORECASE)
# "at the weekend", "last weekend": the latest Saturday and Sunday before the day of writing.
_WEEKEND = re.compile(r"\b(?:(?:at|over|during)\s+the|last)\s+weekend\b", re.IGNORECASE)
# "on some days", "on certain nights", "at times": a frequency, no particular days; never the nearest date.
# "on some nights in late September" is dated by its month: the date that follows wins.
_SOME_DAYS = re.compile(r"\b(?:on\s+)?(?:some|certain|many|most|other)\s+(?:days|nights|weekends|mornings|evenings)\b"
                        r"(?!\s+(?:in|of|during|since|from|between|last|this)\b)|\bat\s+times\b", re.IGNORECASE)
# Wording that fixes only where a figure's period ends: the publication day (or window).
# "relative": "now", "a month ago", "at the weekend", counted from the day of writing; they date a figure, but
# alone they are no event. "unspecified": "on some days", no particular days.
PERIOD_KINDS = ("since", "range", "until", "last n", "recent", "date", "relative", "unspecified")
_WORD = re.compile(r"[\w’'-]+")
MAX_GAP_WORDS = 3  # a period before its figure applies across at most this many words ("As of May 1, some 7,000")


@dataclass(frozen=True)
class Period:
    """Period wording found in a sentence and what it resolves to (None where the anchor cannot decide)."""

    text: str
    start: dt.date | None
    end: dt.date | None
    precision: str
    stated: bool  # the wording gives the year itself
    kind: str = "date"
    problem: str = ""  # why the wording cannot be resolved at all ("September 31")


@dataclass(frozen=True)
class Wording:
    """One dating or period wording at its place in a sentence; resolve(anchor) gives (start, end, precision)."""

    start: int
    end: int
    kind: str  # one of PERIOD_KINDS, or "statement", "dateline", "page date" (dates that bound no figure)
    text: str
    stated: bool
    resolve: object


def _precision(span: dates.Span) -> str:
    """The coarsest events.date_precision that names the span: a day, a calendar week, a month or a year."""
    if span.first == span.last:
        return "day"
    if span.first.weekday() == 0 and (span.last - span.first).days == 6:
        return "week"
    if span.first.day == 1 and span.first.month == 1 and (span.last.month, span.last.day) == (12, 31):
        return "year"
    return "month" if span.first.month == span.last.month and span.first.year == span.last.year else "unknown"


def _single(text: str):
    def resolve(anchor):
        span = dates.resolve(text, anchor)
        return (span.first, span.last, _precision(span)) if span else None
    return resolve


def _since(text: str):
    def resolve(anchor):
        span = dates.resolve(text, anchor)
        return (span.first, None, _precision(span)) if span else None
    return resolve


def _until(text: str):
    def resolve(anchor):
        span = dates.resolve(text, anchor)
        return (None, span.last, _precision(span)) if span else None
    return resolve


def _pair(first: str, last: str):
    """'from X to Y', 'between X and Y': Y read against the anchor, X as the latest such day up to Y."""
    def resolve(anchor):
        b = dates.resolve(last, anchor)
        a = dates.resolve(first, b.last) if b else None
        return (a.first, b.last, "day") if a and b and a.first <= b.last else None
    return resolve


def _back(days: int | None, month: bool = False):
    """The last N days up to the anchor (a month back to the same day, exclusive); no start when N is vague."""
    def resolve(anchor):
        if days is None:
            return None, anchor, "day"
        if month:  # the same day N months back, exclusive: "the past month" to 6 October is 7 September on
            year, month0 = divmod(anchor.year * 12 + anchor.month - 1 - days, 12)
            last_day = (dt.date(year + (month0 + 1) // 12, (month0 + 1) % 12 + 1, 1) - dt.timedelta(days=1)).day
            return dt.date(year, month0 + 1, min(anchor.day, last_day)) + dt.timedelta(days=1), anchor, "day"
        return anchor - dt.timedelta(days=days - 1), anchor, "day"
    return resolve


def _span_to(last: str, days: int):
    """The `days` days ending on the day `last` names ('in the week to Sunday')."""
    def resolve(anchor):
        b = dates.resolve(last, anchor)
        return (b.last - dt.timedelta(days=days - 1), b.last, "day") if b else None
    return resolve


def _to_date(unit: str):
    """'this month', 'this year': from its first day up to the anchor."""
    def resolve(anchor):
        first = anchor.replace(day=1) if unit == "month" else anchor.replace(month=1, day=1)
        return first, anchor, "day"
    return resolve


def _count(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else UNITS.get(word)


@dataclass(frozen=True)
class Atom:
    """One date in running text: where it starts (with 'on', 'in', 'last'), where its own words start, and ends."""

    start: int
    at: int
    end: int
    text: str  # the date's own words ("21 September", "Wednesday")
    whole: str  # with the words that belong to it ("on 21 September", "last Wednesday", "in 2022")


def _month_word(m: re.Match) -> str | None:
    """The word that must name a month for the match to be a date, if any."""
    for group in ("part", "dm", "md"):
        if m.group(group):
            words = [w for w in re.split(r"[\s,-]+", m.group(group)) if w and not w[0].isdigit()]
            return words[-1] if group == "part" else words[0]
    return None


def _atoms(sentence: str) -> list[Atom]:
    """Every date in a sentence whose month word names a month, in order."""
    found, pos = [], 0
    while (m := _ATOM.search(sentence, pos)) is not None:
        word = _month_word(m)
        if word is not None and dates.month_number(word) is None:
            pos = m.start() + 1  # "From 21 September": the word "From" is no month, but "21 September" may be
            continue
        pos = max(m.end(), pos + 1)
        end = m.end()
        if sentence[end - 1] == "." and (word or "").rstrip(".").lower() in dates.MONTHS:
            end -= 1  # "as of early October." ends the sentence; "Sept." keeps its full stop
        if end != m.end():
            m_text = sentence[m.start("atom"):end]
            found.append(Atom(m.start(), m.start("atom"), end, m_text, sentence[m.start():end]))
            continue
        if m.group("bare"):
            keep = m.group("prep").split()[0].lower() in ("in", "during", "of")
            start = m.start() if keep else m.start("bare")
            found.append(Atom(start, m.start("bare"), m.end(), m.group("bare"), sentence[start:m.end()]))
        else:
            found.append(Atom(m.start(), m.start("atom"), m.end(), m.group("atom"), m.group(0)))
    return found


def _role(sentence: str, a: Atom) -> str | None:
    """'statement', 'dateline' or 'page date' for a date that bounds no figure; None otherwise."""
    before = sentence[:a.start]
    if _STATEMENT.search(before):
        return "statement"
    if _DATELINE_BEFORE.match(before):
        if _PAGE_DATE_REST.match(sentence[a.end:]) and re.search(r"\d", a.text):
            return "page date"
        if _DATELINE_AFTER.match(sentence, a.end):
            return "dateline"
    return None


def wordings(sentence: str, roles: bool = True) -> list[Wording]:
    """Every dating and period wording in a sentence, each once, in order; computed once per sentence.
    roles=False reads a fragment (a claim's period_text), where no date is a statement's or a dateline."""
    found: list[Wording] = []
    atoms = _atoms(sentence)
    i = 0
    while i < len(atoms):
        a = atoms[i]
        stated = bool(re.search(r"(?:19|20)\d{2}", a.text))
        role = _role(sentence, a) if roles else None
        pair = _PAIR_START.search(sentence, max(0, a.at - 12), a.at)
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        end_only = _END_ONLY.search(sentence, max(0, a.at - 12), a.at)
        span_to = _SPAN_TO.search(sentence, max(0, a.start - 40), a.start)
        if span_to and not role:
            found.append(Wording(span_to.start(), a.end, "range", sentence[span_to.start():a.end], stated,
                                 _span_to(a.text, 7 if span_to.group("unit").lower() == "days" else
                                          _UNIT_DAYS[span_to.group("unit").lower()])))
        elif role:
            found.append(Wording(a.start, a.end, role, a.whole, stated, _single(a.whole)))
        elif pair and nxt and _PAIR_JOIN[pair.group(1).lower()].fullmatch(sentence, a.end, nxt.start):
            i += 1
            found.append(Wording(pair.start(), nxt.end, "range", sentence[pair.start():nxt.end],
                                 stated or bool(re.search(r"(?:19|20)\d{2}", nxt.text)), _pair(a.text, nxt.text)))
        elif end_only and a.start == a.at:
            found.append(Wording(end_only.start(), a.end, "until", sentence[end_only.start():a.end], stated, _until(a.text)))
        else:
            found.append(Wording(a.start, a.end, "date", a.whole, stated, _single(a.whole)))
        i += 1
    found = _day_ranges(sentence, found)
    found = _with_since(sentence, found)
    found += _relative(sentence, found)
    return sorted(found, key=lambda w: (w.start, -w.end))


def _day_ranges(sentence: str, found: list[Wording]) -> list[Wording]:
    """'from 21 to 24 September', 'between 21 and 24 September': the month serves both days."""
    for m in _DAY_RANGE.finditer(sentence):
        last = m.group(3)
        first = f"{m.group(2)} {last.split(None, 1)[1]}"
        if dates.month_number(re.split(r"[\s,]+", last)[1]) is None:
            continue
        found = [w for w in found if not (m.start() <= w.start and w.end <= m.end())]
        found.append(Wording(m.start(), m.end(), "range", m.group(0), bool(re.search(r"\d{4}", last)), _pair(first, last)))
    return found


def _with_since(sentence: str, found: list[Wording]) -> list[Wording]:
    """'since <event> on <date>' at any distance: 'since' reaches the first plain date after it."""
    out = list(found)
    for s in _SINCE.finditer(sentence):
        target = next((w for w in out if w.start >= s.end() and w.kind in ("date", "until")), None)
        if target is None or _SINCE.search(sentence, s.end(), target.start):
            continue
        atom = target.text if target.kind == "date" else sentence[target.start:target.end]
        out[out.index(target)] = Wording(s.start(), target.end, "since", sentence[s.start():target.end], target.stated,
                                         _since(atom))
    return out


def _relative(sentence: str, found: list[Wording]) -> list[Wording]:
    """'over the last four days', 'the past week' (seven days), 'in recent days', 'last week': up to the anchor."""
    spans = [(w.start, w.end) for w in found]
    out = []

    def add(m: re.Match, kind: str, resolve) -> None:
        if not any(a < m.end() and m.start() < b for a, b in spans):
            out.append(Wording(m.start(), m.end(), kind, m.group(0), False, resolve))
            spans.append((m.start(), m.end()))
    for m in _LAST_N.finditer(sentence):
        n, unit = m.group("n").lower(), m.group("unit").lower()
        count = None if n in ("few",) or n.startswith("couple") else _count(n)
        add(m, "last n", _back(count, True) if unit == "months" and count else _back(count and count * _UNIT_DAYS[unit]))
    for m in _PAST_UNIT.finditer(sentence):
        unit = m.group("unit").lower()
        add(m, "last n", _back(1, True) if unit == "month" else _back(_UNIT_DAYS[unit]))
    for m in _CALENDAR_WEEK.finditer(sentence):
        add(m, "date", _single(m.group(0)))
    for m in _THIS_UNIT.finditer(sentence):
        add(m, "last n", _to_date(m.group("unit").lower()))
    for m in _RECENT.finditer(sentence):
        add(m, "recent", _back(None))
    for m in _SOME_DAYS.finditer(sentence):
        add(m, "unspecified", lambda anchor: None)
    for m in _AGO.finditer(sentence):
        n = m.group("n").lower()
        add(m, "relative", _ago(1 if n in ("a", "an") else _count(n), m.group("unit").lower().rstrip("s")))
    for m in _WEEKEND.finditer(sentence):
        add(m, "relative", _weekend)
    for m in _NOW.finditer(sentence):
        add(m, "relative", lambda anchor: (anchor, anchor, "day"))
    return out


def _ago(n: int, unit: str):
    """'a month ago', 'three days ago': the day that far back from the day of writing."""
    def resolve(anchor):
        if unit != "month":
            back = anchor - dt.timedelta(days=n * _UNIT_DAYS[unit])
            return back, back, "day"
        year, month0 = divmod(anchor.year * 12 + anchor.month - 1 - n, 12)
        last_day = (dt.date(year + (month0 + 1) // 12, (month0 + 1) % 12 + 1, 1) - dt.timedelta(days=1)).day
        back = dt.date(year, month0 + 1, min(anchor.day, last_day))
        return back, back, "day"
    return resolve


def _weekend(anchor: dt.date):
    """The latest Saturday and Sunday wholly before the day of writing; on a weekend day it is not sure which."""
    if anchor.weekday() >= 5:
        return None
    sunday = anchor - dt.timedelta(days=anchor.weekday() + 1)
    return sunday - dt.timedelta(days=1), sunday, "unknown"


def resolved(w: Wording, anchors: list[dt.date]) -> Period:
    """A wording resolved against every reference day; dates only where all of them agree."""
    if not anchors and not w.stated:
        return Period(w.text, None, None, "unknown", False, w.kind)
    try:
        results = {w.resolve(a) for a in anchors or [dt.date(2099, 12, 31)]}
    except dates.ImpossibleDate as e:
        return Period(w.text, None, None, "unknown", w.stated, w.kind, str(e))
    if len(results) != 1 or None in results:
        return Period(w.text, None, None, "unknown", w.stated, w.kind)
    start, end, precision = results.pop()
    return Period(w.text, start, end, precision, w.stated, w.kind)


def anchors(not_before, not_after) -> list[dt.date]:
    """The reference days a wording is read against: the publication day, or both ends of its window
    (an open end reaches dates.OPEN_WINDOW_DAYS ahead, so an open window fixes only what every later day fixes).
    Every rule is monotone in the reference day, so two ends that agree mean every day between agrees."""
    if not not_before and not not_after:
        return []
    first = dt.date.fromisoformat(str(not_before or not_after))
    last = dt.date.fromisoformat(str(not_after)) if not_after else first + dt.timedelta(days=dates.OPEN_WINDOW_DAYS)
    return [first] if first == last else [first, last]


class Sentence:
    """A sentence's wordings, found once, with an index to pick the one that dates each figure in it."""

    def __init__(self, text: str, not_before=None, not_after=None):
        self.text = text
        self.found = wordings(text)
        self.anchors = anchors(not_before, not_after)
        self.periods = [w for w in self.found if w.kind in PERIOD_KINDS]
        self._starts = [w.start for w in self.periods]
        self._by_end = sorted(self.periods, key=lambda w: w.end)
        self._ends = [w.end for w in self._by_end]

    def period_for(self, start: int, end: int, figure_starts: list[int]) -> tuple[Period | None, Wording | None]:
        """The period of the figure at start..end, and its wording: the first period wording after the figure
        with no other figure between; else the one just before it, when it opens the sentence ('Since 21
        September, 98,000 ... and 53,000 ...': both) or stands at most MAX_GAP_WORDS words before the figure
        with no other figure between. Binary searches: a sentence's figures cost n log n."""
        i = bisect.bisect_left(self._starts, end)
        if i < len(self.periods):
            after = self.periods[i]
            if bisect.bisect_left(figure_starts, after.start) == bisect.bisect_left(figure_starts, end):
                return resolved(after, self.anchors), after
        j = bisect.bisect_right(self._ends, start) - 1
        if j >= 0:
            before = self._by_end[j]
            gap = len(_WORD.findall(self.text, before.end, start))
            opening = not _WORD.search(self.text, 0, before.start)
            between = bisect.bisect_left(figure_starts, start) - bisect.bisect_left(figure_starts, before.end)
            if opening or (gap <= MAX_GAP_WORDS and between == 0):
                return resolved(before, self.anchors), before
        return None, None

    def dates(self) -> list[tuple[int, int, Period]]:
        """Every date of the sentence (see find_dates)."""
        return _dates_of(self.text, self.found, self.anchors)


def find_period(text: str, not_before=None, not_after=None) -> Period | None:
    """The first period wording in a text (a claim's period_text), resolved against the publication day or
    window; a sentence's figures are dated by Sentence.period_for, which leaves out statements and datelines."""
    w = next((w for w in wordings(text, roles=False) if w.kind in PERIOD_KINDS), None)
    return resolved(w, anchors(not_before, not_after)) if w else None


ATOM_KINDS = ("date", "statement", "dateline", "page date")


def find_dates(sentence: str, not_before=None, not_after=None) -> list[tuple[int, int, Period]]:
    """Every date in a sentence (each a future events row), in order, none overlapping: a date inside a
    range ('from 21 September to 4 October') is the day the range reads it as."""
    return _dates_of(sentence, wordings(sentence), anchors(not_before, not_after))


def _dates_of(sentence: str, found: list[Wording], days: list[dt.date]) -> list[tuple[int, int, Period]]:
    out = []
    for w in found:
        if w.kind in ATOM_KINDS:
            out.append((w.start, w.end, resolved(w, days)))
            continue
        inner = _atoms(sentence[w.start:w.end])
        whole = resolved(w, days) if w.kind == "range" else None
        for k, a in enumerate(inner):
            own = resolved(Wording(a.start, a.end, "date", a.whole, w.stated, _single(a.whole)), days)
            if whole is not None:
                day = whole.start if k == 0 else whole.end
                own = Period(a.whole, day, day, "day" if day else "unknown", own.stated or w.stated, "date", whole.problem)
            out.append((w.start + a.start, w.start + a.end, own))
    return out


def anchor_text(source: dict) -> str:
    """What a relative date is resolved against, as events.csv's anchor column says it."""
    nb, na = source.get("published_not_before"), source.get("published_not_after")
    if source.get("published"):
        return f"published {source['published']} ({source.get('published_basis') or 'unknown'})"
    if nb or na:
        return f"publication window {nb or '?'} to {na or '?'}"
    return "no publication date"
