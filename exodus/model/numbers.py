"""Reading figures as newsrooms write them ("300-400 thousand", "1.5m", "one in five", "£4,800") into quantities."""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, replace

from exodus.model.vocabulary import CURRENCY_SIGNS, CURRENCY_WORDS, bound_of, denial_phrases, hedge_phrases

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1,
}
SCALES = {"dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# Newsroom abbreviations of the scale words, written straight after the digits: "1.5m", "$2bn", "600k".
SCALE_ABBREVIATIONS = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000, "bn": 1_000_000_000}
MULTIPLIERS = {
    "double": 2, "doubled": 2, "twice": 2, "triple": 3, "tripled": 3, "half": 0.5, "a half": 0.5,
    "once": 1, "quarter": 0.25, "a quarter": 0.25,
}
# Multipliers that say "so many times the base": the wording itself makes the figure a ratio.
RATIO_WORDS = {"double", "doubled", "twice", "triple", "tripled"}
FRACTION_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
                         "fifth": 5, "fifths": 5, "tenth": 10, "tenths": 10}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10,
}
# Vague quantities follow an order-of-magnitude convention: "tens of thousands" is 20,000 to 99,999,
# "several hundred" 300 to 999 (several = at least three), "a few" and "a handful" 2 to 9.
VAGUE = {
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2_000, 9_999),
    "tens of thousands": (20_000, 99_999),
    "hundreds of thousands": (200_000, 999_999),
    "millions": (2_000_000, 9_999_999),
    "a handful": (2, 9),
    "a few": (2, 9),
    "several": (3, 9),
}
# "several hundred", "a few thousand": the vague multiplier times the scale word.
VAGUE_MULTIPLIERS = {"several": (3, 9), "a few": (2, 9), "a couple of": (2, 2), "a couple": (2, 2)}
# Every numeric mention the coverage audit looks for: digit runs and these whole words.
MENTION_WORDS = sorted(
    set(UNITS) - {"a", "an"}
    | set(SCALES) | {s + "s" for s in SCALES}
    | {"tens", "handful"} | set(MULTIPLIERS) - {"a half", "a quarter"} | set(ORDINALS),
    key=len, reverse=True,
)


def by_first_letter(words: list[str]) -> str:
    """An alternation of words grouped by their first letter, each group in the words' order: it matches as
    "|".join(words) does (only one group can start at a letter), three to four times faster."""
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[0].lower(), []).append(re.escape(w[1:]))
    return "|".join(f"{re.escape(k)}(?:{'|'.join(rest)})" for k, rest in groups.items())


MENTION_RE = re.compile(r"\d+(?:[.,]\d+)*|\b(?:" + by_first_letter(MENTION_WORDS) + r")\b", re.IGNORECASE)

_DIGITS = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")
_SUFFIX = re.compile(r"-(?:day|year|year-old|hour|week|month|minute)s?$")
_RANGE_SEP = re.compile(r"\s*(?:-|\bto\b)\s*")
_BETWEEN_SEP = re.compile(r"\s*(?:-|\band\b)\s*")
_TIMES = re.compile(r"(.+?)\s*(?:times|x|×)(?:\s+(less|fewer|lower|smaller|more|higher|as many|as much|over))?")
_FOLD = re.compile(r"(.+?)-?fold")
_ONE_IN = re.compile(r"(.+?)\s+(?:in|out of)\s+(?:every\s+)?(.+)")
_PERCENT = re.compile(r"(.+?)\s*(?:%|percent|per cent|pc)")
_POINTS = re.compile(r"(.+?)\s*(?:percentage points?|points?|pp|pts?)")
# "4,000 to 5,000 a day": the rate is the unit's business (person_per_day), not the figure's.
_RATE = re.compile(r"\s+(?:a|per|each|every)\s+day$|\s+daily$")
_OWN_SCALE = re.compile(r"(?:\d\s*(?:k|m|mn|mln|bn)|hundred|thousand|million|billion)$")
_WORD_SPLIT = re.compile(r"[\s-]+")
_ABBREVIATED = re.compile(r"(.+?)\s*(k|m|mn|mln|bn)")


@dataclass(frozen=True)
class Reading:
    """What a figure as written says: a point value and bounds, the hedge its words imply, the unit they fix.

    value is None for ranges, vague quantities and denials; low/high None mean unbounded on that side.
    """

    value: float | None
    low: float | None
    high: float | None
    vague: bool = False
    hedge: str = "exact"
    unit: str | None = None


def _point(v: float, unit: str | None = None) -> Reading:
    # The commonest reading, one per claim: filled in one step rather than through the frozen class's six
    # guarded assignments, a third of the cost of checking a figure written in digits.
    reading = object.__new__(Reading)
    reading.__dict__.update(value=v, low=v, high=v, vague=False, hedge="exact", unit=unit)
    return reading


def _words_to_number(words: list[str]) -> float | None:
    total, current = 0.0, None
    for k, w in enumerate(words):
        if w in ("a", "an") and (k or k + 1 == len(words) or words[k + 1] not in SCALES):
            return None  # "a" stands for one only before a scale word ("a dozen"): "a one-way" is not 2
        if w in UNITS:
            current = (current or 0) + UNITS[w]
        elif w in SCALES:
            current = (current if current is not None else 1) * SCALES[w]
            if SCALES[w] >= 1000:
                total, current = total + current, None
        elif w == "and":
            continue
        else:
            return None
    if current is None and total == 0:
        return None
    return total + (current or 0)


def _scaled(t: str) -> float | None:
    """A plain quantity: digits or number words, with an optional scale word or abbreviation."""
    t = t.strip()
    m = _ABBREVIATED.fullmatch(t)
    if m and _DIGITS.fullmatch(m.group(1)):
        return _scaled(m.group(1)) * SCALE_ABBREVIATIONS[m.group(2)]
    parts = t.split()
    if len(parts) >= 2 and parts[-1] in SCALES and _DIGITS.fullmatch(" ".join(parts[:-1])):
        return _scaled(" ".join(parts[:-1])) * SCALES[parts[-1]]
    m = _DIGITS.fullmatch(t)
    if m:
        return _digits_value(m)
    return _words_to_number(_WORD_SPLIT.split(t))


def _strip_currency(t: str) -> tuple[str, str | None]:
    """The figure without its currency sign, code or word, and the unit they fix."""
    for sign, unit in CURRENCY_SIGNS.items():
        if t.startswith(sign):
            return t[len(sign):].strip(), unit
    for word, unit in CURRENCY_WORDS.items():
        if t.endswith(" " + word):
            return t[: -len(word) - 1].strip(), unit
    return t, None


def _range(t: str) -> Reading | None:
    """'300-400 thousand', '4,000 to 5,000', 'between 600,000 and 700,000': bounds, no point value."""
    between = t.startswith("between ")
    t = re.sub(r"^(?:between|from)\s+", "", t)
    pieces = (_BETWEEN_SEP if between else _RANGE_SEP).split(t, maxsplit=1)
    if len(pieces) != 2 or not pieces[0] or not pieces[1]:
        return None
    (low_text, low_unit), (high_text, high_unit) = (_strip_currency(p.strip()) for p in pieces)
    if low_unit and high_unit and low_unit != high_unit:
        return None
    high = _scaled(high_text)
    low = _scaled(low_text)
    if low is None or high is None:
        return None
    tail = re.search(r"(\s*(?:k|m|mn|mln|bn)|\s+(?:hundred|thousand|million|billion))$", high_text)
    unscaled = _scaled(high_text[: tail.start()]) if tail else None
    if unscaled and not _OWN_SCALE.search(low_text) and low <= unscaled:
        low *= high / unscaled  # "300-400 thousand": the scale word serves both ends
    return Reading(None, low, high, hedge="range", unit=low_unit or high_unit) if low <= high else None


def _ratio(t: str) -> Reading | None:
    """'3.5 times', 'four times less', 'three-fold', 'twice', 'one in five': dimensionless ratios."""
    m = _TIMES.fullmatch(t)
    if m and (n := _scaled(m.group(1))):
        v = 1 / n if m.group(2) in ("less", "fewer", "lower", "smaller") else n
        return _point(v, "ratio")
    m = _FOLD.fullmatch(t)
    if m and (n := _scaled(m.group(1))):
        return _point(n, "ratio")
    if t in RATIO_WORDS:
        return _point(MULTIPLIERS[t], "ratio")
    m = _ONE_IN.fullmatch(t)
    if m and (a := _scaled(m.group(1))) and (b := _scaled(m.group(2))) and a <= b:
        return _point(a / b, "ratio")
    return None


def _fraction(t: str) -> Reading | None:
    """'a third', 'two-thirds', 'three quarters', 'half': a share of a whole the sentence names."""
    words = _WORD_SPLIT.split(t)
    if len(words) == 2 and words[1] in FRACTION_DENOMINATORS:
        n = 1.0 if words[0] in ("a", "one") else _words_to_number(words[:1])
        if n:
            return _point(n / FRACTION_DENOMINATORS[words[1]])
    if t in MULTIPLIERS:
        return _point(MULTIPLIERS[t])
    return None


def _vague(t: str) -> Reading | None:
    t = re.sub(r"\s+of$", "", t)
    if t in VAGUE:
        return Reading(None, *VAGUE[t], vague=True, hedge="vague")
    for word, (lo, hi) in VAGUE_MULTIPLIERS.items():
        if t.startswith(word + " ") and (scale := SCALES.get(t[len(word) + 1:])):
            return Reading(None, lo * scale, (hi + 1) * scale - 1 if hi > lo else hi * scale, vague=True, hedge="vague")
    return None


@functools.cache
def _hedge_order() -> tuple[str, ...]:
    return tuple(sorted(hedge_phrases(), key=len, reverse=True))  # the longest phrase wins


def _hedged(t: str) -> tuple[str, str | None]:
    """The figure without a leading hedge phrase, and the canonical hedge that phrase implies."""
    for phrase in _hedge_order():
        if t.startswith(phrase + " "):
            return t[len(phrase) + 1:].strip(), hedge_phrases()[phrase]
    return t, None


def _bare(t: str) -> Reading | None:
    """A figure without hedge words: vague, range, ratio, percent, fraction, ordinal or plain quantity."""
    if (r := _vague(t)) or (r := _ratio(t)):
        return r
    for pattern, unit in ((_POINTS, "percentage_point"), (_PERCENT, "percent")):
        m = pattern.fullmatch(t)
        if m and (inner := _bare(m.group(1))) and inner.unit is None:
            return replace(inner, unit=unit)
    figure, unit = _strip_currency(t)
    if unit and (inner := _bare(figure)) and inner.unit is None:
        return replace(inner, unit=unit)
    if (r := _range(t)) or (r := _fraction(t)):
        return r
    if t in ORDINALS:
        return _point(ORDINALS[t])
    v = _scaled(t)
    return None if v is None else _point(v)


def read_figure(text: str) -> Reading | None:
    """Parse a figure as written, hedge words included or not; None when it is not a figure."""
    m = _DIGITS.fullmatch(text)
    if m:
        # The commonest figure, digits alone ("100,000"): nothing to normalise, no word can hedge,
        # scale or unit it; each is read once, so remembering them would only churn the cache.
        return _point(_digits_value(m))
    return _read_worded(text)


def _digits_value(m: re.Match) -> float:
    return float(m.group(0).replace(",", ""))  # the whole match: commas group the integer digits only


@functools.lru_cache(maxsize=65536)
def _read_worded(text: str) -> Reading | None:
    t = " ".join(text.strip().lower().replace("\u00a0", " ").replace("\u2013", "-").replace("\u2014", "-").split())
    t = _RATE.sub("", _SUFFIX.sub("", t))
    m = _DIGITS.fullmatch(t)
    if m:
        return _point(_digits_value(m))
    hedge = None
    denial = next((d for d in denial_phrases() if t.startswith(d + " ")), None)
    if denial:
        t, hedge = t[len(denial) + 1:], "denied"
    else:
        t, hedge = _hedged(t)
    reading = _bare(t)
    if reading is None or hedge is None:
        return reading
    return apply_hedge(reading, hedge)


def apply_hedge(reading: Reading, hedge: str) -> Reading:
    """Bounds a hedge word puts on a point value (see the hedge field in the data dictionary)."""
    if reading.value is None or hedge in ("exact", "range", "vague"):
        return reading
    v, bound = reading.value, bound_of(hedge)
    if bound == "floor":
        return replace(reading, low=v, high=None, hedge=hedge)
    if bound == "ceiling":
        return replace(reading, low=None, high=v, hedge=hedge)
    if hedge == "denied":
        return replace(reading, value=None, low=None, high=None, hedge=hedge)
    return replace(reading, low=None, high=None, hedge=hedge)


def mentions(text: str) -> list[tuple[int, int, str]]:
    """Every numeric mention in a text as (start, end, text)."""
    return [(m.start(), m.end(), m.group(0)) for m in MENTION_RE.finditer(text)]


# A multiplier word is a ratio whose base the writer rounded like any other small number:
# "double" is 2 (±0.5), "half" is 1/2 with the 2 rounded, so 1/2.5 to 1/1.5.
_RECIPROCAL_WORDS = {"half": 2, "a half": 2, "quarter": 4, "a quarter": 4}
_MULTIPLE_WORDS = {"double": 2, "doubled": 2, "twice": 2, "triple": 3, "tripled": 3}


def _half_unit(value: float, decimals: int = 0) -> float:
    """Half a unit of the last significant non-zero digit: 300,000 -> 50,000; 4,800 -> 50; 45 -> 0.5."""
    if decimals:
        return 0.5 * 10 ** -decimals
    n, unit = abs(int(round(value))), 1
    while n and n % 10 == 0:
        n, unit = n // 10, unit * 10
    return unit / 2


def _point_precision(t: str) -> tuple[float, float] | None:
    """Value and half-unit of a single figure as written (digits, words, scale words)."""
    parts = t.split()
    scale, head = 1, t
    if len(parts) >= 2 and parts[-1] in SCALES:
        scale, head = SCALES[parts[-1]], " ".join(parts[:-1])
    m = _DIGITS.fullmatch(head)
    if m:
        decimals = len(m.group(2) or "")
        v = float(m.group(1).replace(",", "") + ("." + m.group(2) if m.group(2) else ""))
        if scale == 1:
            return v, _half_unit(v, decimals)
        step = 10 ** -decimals if decimals else _half_unit(v) * 2
        return v * scale, step * scale / 2
    v = _words_to_number(_WORD_SPLIT.split(t))
    return None if v is None else (v, _half_unit(v))


_RANGE = re.compile(r"(\d+)\s*-\s*(\d+)")  # a plain range as written, e.g. "20-45"


def rounding_bounds(text: str) -> tuple[float, float] | None:
    """Interval a figure as written covers once its rounding is honoured; None when unreadable, vague or
    beyond what a number can hold (a figure of hundreds of digits).

    The rule: half a unit of the last significant non-zero digit either side ("300,000" covers
    250,000-350,000, "£4,800" 4,750-4,850, "80%" 75-85, "1.5 million" 1.45-1.55 million);
    a range is rounded as one figure, by the finer unit of its ends ("20-45" covers 19.5-45.5: whoever
    wrote 45 counted in years, so 20 is not rounded to the nearest ten); a multiplier rounds its base
    ("double" 1.5-2.5, "four times less" 1/4.5-1/3.5, "half" 1/2.5-1/1.5).
    """
    try:
        bounds = _rounding_bounds(text)
    except OverflowError:
        return None
    return bounds if bounds is None or all(math.isfinite(b) for b in bounds) else None


def _rounding_bounds(text: str) -> tuple[float, float] | None:
    t = text.strip().lower().replace("\u00a0", " ").replace("\u2013", "-")
    t = _SUFFIX.sub("", t)
    # A currency (sign, code or word: "£4,800", "20,000 roubles", "500 lari") or a percent sign says what is
    # counted, not how precisely: the reader's own currency list, so rounding and reading never part ways.
    t, _ = _strip_currency(re.sub(r"\s*(?:%|per ?cent)$", "", " ".join(t.split())))
    if t in VAGUE:
        return None
    m = _RANGE.fullmatch(t)
    if m:
        lo, hi = float(m.group(1)), float(m.group(2))
        half = min(_half_unit(lo), _half_unit(hi))
        return lo - half, hi + half
    m = _TIMES.fullmatch(t)
    base = None
    if m:
        base = UNITS.get(m.group(1)) or (float(m.group(1)) if m.group(1).isdigit() else None)
        if not base:
            return None
        lo, hi = base - _half_unit(base), base + _half_unit(base)
        return (1 / hi, 1 / lo) if m.group(2) in ("less", "fewer", "lower") else (lo, hi)
    if t in _RECIPROCAL_WORDS:
        n = _RECIPROCAL_WORDS[t]
        return 1 / (n + 0.5), 1 / (n - 0.5)
    if t in _MULTIPLE_WORDS:
        n = _MULTIPLE_WORDS[t]
        return n - 0.5, n + 0.5
    t = re.sub(r"\s*(%|percent)$", "", t)
    point = _point_precision(t)
    if point is None:
        return None
    v, half = point
    return v - half, v + half


def in_words(n: int) -> str:
    """A count as the narrative spells it: 'five', 'twenty-one', 'one hundred and four'; from a million on,
    digits ('1,200,000'). The words are those the reader reads (UNITS), so both sides agree."""
    names = {v: k for k, v in UNITS.items() if k not in ("a", "an")}
    if n < 0 or n >= 1_000_000:
        return f"{n:,}"
    if n in names:
        return names[n]
    if n < 100:
        return f"{names[n - n % 10]}-{names[n % 10]}"
    if n < 1_000:
        rest = n % 100
        return f"{names[n // 100]} hundred" + (f" and {in_words(rest)}" if rest else "")
    rest = n % 1_000
    tail = "" if not rest else f" and {in_words(rest)}" if rest < 100 else f" {in_words(rest)}"
    return f"{in_words(n // 1_000)} thousand{tail}"
