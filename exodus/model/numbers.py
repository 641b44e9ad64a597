"""Reading figures as written ("1.5 million", "a thousand", "double", "tens of thousands") into numbers."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1,
}
SCALES = {"dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
MULTIPLIERS = {
    "double": 2, "doubled": 2, "twice": 2, "triple": 3, "tripled": 3, "half": 0.5, "a half": 0.5,
    "once": 1, "quarter": 0.25, "a quarter": 0.25,
}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10,
}
# Vague plurals follow an order-of-magnitude convention: "tens of thousands" is 20,000 to 99,999.
VAGUE = {
    "dozens": (24, 99),
    "hundreds": (200, 999),
    "thousands": (2_000, 9_999),
    "tens of thousands": (20_000, 99_999),
    "hundreds of thousands": (200_000, 999_999),
    "millions": (2_000_000, 9_999_999),
}
# Every numeric mention the coverage audit looks for: digit runs and these whole words.
MENTION_WORDS = sorted(
    set(UNITS) - {"a", "an"}
    | set(SCALES) | {s + "s" for s in SCALES}
    | {"tens"} | set(MULTIPLIERS) - {"a half", "a quarter"} | set(ORDINALS),
    key=len, reverse=True,
)
MENTION_RE = re.compile(r"\d+(?:[.,]\d+)*|\b(?:" + "|".join(MENTION_WORDS) + r")\b", re.IGNORECASE)

_DIGITS = re.compile(r"^[£$€]?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*(%|percent)?$")
_SUFFIX = re.compile(r"-(?:day|year|year-old|hour|week|month|minute)s?$")
_RANGE = re.compile(r"(\d+)\s*-\s*(\d+)")
_TIMES = re.compile(r"(\w+) times (less|fewer|lower|more|higher|as many|as much)")
_WORD_SPLIT = re.compile(r"[\s-]+")


@dataclass(frozen=True)
class Reading:
    """What a figure as written says: a point value, or only bounds for vague wording."""

    value: float | None
    low: float | None
    high: float | None
    vague: bool = False


def _words_to_number(words: list[str]) -> float | None:
    total, current = 0.0, None
    for w in words:
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


@functools.lru_cache(maxsize=65536)
def read_figure(text: str) -> Reading | None:
    """Parse a figure as written; None when the wording is not a figure this module understands."""
    t = text.strip().lower().replace("\u00a0", " ").replace("\u2013", "-")
    t = _SUFFIX.sub("", t)
    if t in VAGUE:
        low, high = VAGUE[t]
        return Reading(None, low, high, vague=True)
    m = _RANGE.fullmatch(t)
    if m:
        low, high = float(m.group(1)), float(m.group(2))
        return Reading(None, low, high) if low <= high else None
    m = _TIMES.fullmatch(t)
    if m:
        n = UNITS.get(m.group(1)) or (float(m.group(1)) if m.group(1).isdigit() else None)
        if not n:
            return None
        v = 1 / n if m.group(2) in ("less", "fewer", "lower") else n
        return Reading(v, v, v)
    if t in MULTIPLIERS:
        v = MULTIPLIERS[t]
        return Reading(v, v, v)
    if t in ORDINALS:
        v = ORDINALS[t]
        return Reading(v, v, v)
    parts = t.split()
    scale = 1
    if len(parts) >= 2 and parts[-1] in SCALES:
        scale = SCALES[parts[-1]]
        head = " ".join(parts[:-1])
    else:
        head = t
    m = _DIGITS.fullmatch(head)
    if m:
        v = float(m.group(1).replace(",", "") + ("." + m.group(2) if m.group(2) else "")) * scale
        return Reading(v, v, v)
    words = _WORD_SPLIT.split(t)
    v = _words_to_number(words)
    if v is not None:
        return Reading(v, v, v)
    return None


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


def rounding_bounds(text: str) -> tuple[float, float] | None:
    """Interval a figure as written covers once its rounding is honoured; None when unreadable or vague.

    The rule: half a unit of the last significant non-zero digit either side ("300,000" covers
    250,000-350,000, "£4,800" 4,750-4,850, "80%" 75-85, "1.5 million" 1.45-1.55 million);
    a range widens at each end ("20-45" covers 15-45.5); a multiplier rounds its base
    ("double" 1.5-2.5, "four times less" 1/4.5-1/3.5, "half" 1/2.5-1/1.5).
    """
    t = text.strip().lower().replace("\u00a0", " ").replace("\u2013", "-")
    t = _SUFFIX.sub("", t)
    if t in VAGUE:
        return None
    m = _RANGE.fullmatch(t)
    if m:
        lo, hi = float(m.group(1)), float(m.group(2))
        return lo - _half_unit(lo), hi + _half_unit(hi)
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
