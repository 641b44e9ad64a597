"""Whole figures in running text: the tokens of "nearly 1 million" or "300-400 thousand" found as one figure."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from exodus.model.numbers import Reading, mentions, read_figure
from exodus.model.vocabulary import CURRENCY_WORDS, hedge_table

# What may stand between two tokens of one figure: "300-400", "4,000 to 5,000", "one in five", "tens of thousands".
_JOIN = re.compile(r"\s*[-\u2013\u2014]\s*|\s+(?:to|and|in|out of|in every|of)\s+|\s+", re.IGNORECASE)


@functools.cache
def _prefix() -> re.Pattern:
    """Words a figure may open with; the hedge phrase is split off number_text, the rest belongs to the figure."""
    qualifiers = "|".join(re.escape(p) for p in sorted(hedge_table().phrases, key=len, reverse=True))
    return re.compile(_PREFIX_PATTERN.replace("QUALIFIERS", qualifiers), re.IGNORECASE)


_PREFIX_PATTERN = (
    r"(?:(?P<hedge>QUALIFIERS)\s+)?(?:(?:between|from)\s+)?(?:(?:several|a few|a couple of|an?)\s+)?"
    r"(?:[£$€₽]|US\$|(?:RUB|USD|GBP|EUR)\s)?"
)
_SUFFIX = re.compile(
    r"(?:\s*(?:%|per ?cent|percent|percentage points?)|(?:k|m|mn|bn)\b|"
    r"\s+times(?:\s+(?:less|fewer|lower|smaller|more|higher))?|-?fold|"
    r"\s+(?:" + "|".join(sorted(CURRENCY_WORDS, key=len, reverse=True)) + r")\b)?",  # the reader's currency words
    re.IGNORECASE,
)
_LAST_DIGIT = re.compile(r"\d(?!.*\d)", re.DOTALL)
_FIRST_DIGIT = re.compile(r"\d")
_REACH = 48  # characters a prefix may reach back: "no more than between a few" is the longest sensible run


@dataclass(frozen=True)
class Figure:
    """One figure in a text: its whole span (hedge words included) and number_text's span within it."""

    start: int
    end: int
    number_start: int
    hedge_words: str
    reading: Reading
    text: str

    @property
    def number_text(self) -> str:
        return self.text[self.number_start - self.start:]


def _starts(text: str, s: int) -> list[tuple[int, str]]:
    """Where a figure ending at token start s may begin, longest prefix first, with its hedge words."""
    found = []
    first = max(0, s - _REACH)
    digit = _LAST_DIGIT.search(text, first, s)  # a prefix holds no digit: start after the last one before s
    for pos in range(digit.end() if digit else first, s + 1):
        if pos and text[pos - 1].isalnum() and pos != s:
            continue
        m = _prefix().fullmatch(text, pos, s)
        if m:
            found.append((pos, m.group("hedge") or ""))
    return found


def _ends(text: str, e: int) -> list[int]:
    """Where a figure whose last token ends at e may end, longest suffix first."""
    ends = []
    last = min(len(text), e + 24)
    digit = _FIRST_DIGIT.search(text, e, last)  # a suffix holds no digit: it ends before the next one
    for pos in range(digit.start() if digit else last, e - 1, -1):
        if pos < len(text) and text[pos].isalnum() and text[pos - 1].isalnum() and pos != e:
            continue
        if _SUFFIX.fullmatch(text, e, pos):
            ends.append(pos)
    return ends


def _joined(text: str, tokens: list[tuple[int, int, str]]) -> bool:
    """Tokens that may form one figure: each pair joined by _JOIN, and digit runs never by bare spaces
    ("1 1" is two figures; reading it as one would try every prefix and suffix of every run of digits)."""
    for a, b in zip(tokens, tokens[1:]):
        if not _JOIN.fullmatch(text, a[1], b[0]):
            return False
        if a[2][0].isdigit() and b[2][0].isdigit() and text[a[1]:b[0]].isspace():
            return False
    return True


def _best(text: str, tokens: list[tuple[int, int, str]]) -> Figure | None:
    """The longest reading figure that spans exactly these tokens."""
    s, e = tokens[0][0], tokens[-1][1]
    for start, hedge in _starts(text, s):
        for end in _ends(text, e):
            reading = read_figure(text[start:end])
            if reading is None:
                continue
            number_start = start
            if hedge:
                number_start = start + len(hedge)
                number_start += len(text[number_start:s]) - len(text[number_start:s].lstrip())
            return Figure(start, end, number_start, hedge, reading, text[start:end])
    return None


def find_figures(text: str, max_tokens: int = 5, limit: int | None = None) -> list[Figure]:
    """Every figure in a text (the first `limit` when given), in order; a token that reads as no figure is
    skipped. Each pair of neighbouring tokens is judged joinable once: a run of tokens costs one test per token."""
    tokens = mentions(text)
    joins = [_joined(text, tokens[k:k + 2]) for k in range(len(tokens) - 1)]
    found, i = [], 0
    while i < len(tokens) and (limit is None or len(found) < limit):
        reach = i + 1
        while reach < min(len(tokens), i + max_tokens) and joins[reach - 1]:
            reach += 1
        for j in range(reach, i, -1):
            figure = _best(text, tokens[i:j])
            if figure:
                found.append(figure)
                i = j
                break
        else:
            i += 1
    return found
