"""What each numeric mention in a text is: a figure, a date, or a mention that counts nothing (one rule for draft and audit)."""
from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field

from exodus.model.numbers import FRACTION_DENOMINATORS, ORDINALS, SCALES, UNITS
from exodus.model.periods import Period, Wording
from exodus.model.periods import Sentence as Dated
from exodus.model.spans import Figure, find_figures

# A sentence ends at . ! ? (closing quotes kept) before a capital or an opening quote; "Sept. 21" does not end one.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*(?=\s+[\"“‘(]?[A-Z])")
_ABBREVIATIONS = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|St|Sept?|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Oct|Nov|Dec|Gen|Lt|Col|U\.S)\.$")
# What counts as one sentence: text between sentence ends, cut at a space after this many characters, so
# that one endless "sentence" (a list of figures with no full stop) costs no more to read than prose.
MAX_SENTENCE = 1_500
# Figures drafted from one sentence: a reporter's sentence holds a handful; past this many it is a list or a
# table flattened into text, whose rows a person drafts better by hand (make candidates lists every one).
MAX_FIGURES = 20
# Words fused to a number word that keep it a figure: "twenty-five", "two-thirds", "three-fold".
NUMBER_WORDS = frozenset(UNITS) | frozenset(SCALES) | frozenset(FRACTION_DENOMINATORS) | {"fold"}
_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b")
# "the highest number in five years", "the most since ... in a decade": a comparison, no count.
_COMPARISON = re.compile(r"\b(?:highest|lowest|biggest|largest|smallest|most|fewest|worst|best|first\s+time)\b"
                         r"[^.;:]{0,40}?\b(?:in|for)\s+(?:(?:more|less)\s+than\s+|over\s+|almost\s+|nearly\s+)?"
                         r"(?P<n>[\w-]+)\s+(?:years|decades|months|weeks)\b", re.IGNORECASE)
# "interrupted twice", "once a week": how often, not a ratio; "twice as many", "double the" stay ratios.
# "once" is never a ratio ("once they crossed", "once a week"); the lookahead's words end at a word boundary,
# so "twice they" is a frequency and "twice the" a ratio.
_FREQUENCY = re.compile(r"\b(?P<n>once|(?:twice|thrice)(?!\s+(?:as|the|that|what|more|less|over|higher|lower|its|their)\b))\b",
                        re.IGNORECASE)
# "one-way", "two-day", "three-hour": a number word fused to a noun describes a thing, it counts nothing;
# the fused words that do make a figure ("two-thirds", "three-fold", "twenty-five") are read before this.
_COMPOUND = re.compile(r"-(?P<word>[a-z]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Sentence:
    """A sentence of the source with its offset (each is an exact substring of the text)."""

    start: int
    text: str


@dataclass
class Item:
    """One thing a reader takes from a sentence: a claim (a figure with its period), an event (a date),
    or an exclusion (a numeric mention that counts nothing) with its reason and note."""

    kind: str
    start: int  # in the whole text
    end: int
    text: str
    figure: Figure | None = None
    period: Period | None = None
    date: Period | None = None
    reason: str = ""
    note: str = ""
    notes: list[str] = field(default_factory=list)


def sentences(text: str) -> list[Sentence]:
    """Sentences, line by line, none longer than MAX_SENTENCE characters; each is an exact substring."""
    found, offset = [], 0
    for line in text.splitlines(keepends=True):
        start = 0
        for m in _SENTENCE_END.finditer(line):
            if _ABBREVIATIONS.search(line, max(0, m.start() - 6), m.start()):
                continue
            found.append((offset + start, line[start:m.end()]))
            start = m.end()
        found.append((offset + start, line[start:]))
        offset += len(line)
    out = []
    for start, chunk in found:
        for piece_start, piece in _capped(start, chunk):
            lead = len(piece) - len(piece.lstrip())
            if piece.strip():
                out.append(Sentence(piece_start + lead, piece.strip()))
    return out


def _capped(start: int, chunk: str):
    """A chunk cut at a space after every MAX_SENTENCE characters (or hard at the cap when it has none)."""
    while len(chunk) > MAX_SENTENCE:
        cut = chunk.rfind(" ", MAX_SENTENCE // 2, MAX_SENTENCE)
        cut = MAX_SENTENCE if cut < 0 else cut + 1
        yield start, chunk[:cut]
        start, chunk = start + cut, chunk[cut:]
    yield start, chunk


def _shift(f: Figure, by: int) -> Figure:
    return Figure(f.start + by, f.end + by, f.number_start + by, f.hedge_words, f.reading, f.text)


def read_sentence(s: Sentence, not_before=None, not_after=None, repeated: frozenset[str] = frozenset(),
                  limit: int | None = None) -> list[Item]:
    """Every claim, event and exclusion in one sentence, positions in the whole text.

    repeated: figure texts (lower case) that occur again later in the body, when this sentence is the headline.
    limit: read no more than this many figures (the draft's MAX_FIGURES + 1: enough to know a sentence is over).
    """
    dated = Dated(s.text, not_before, not_after)
    items = _dates(s, dated)
    taken = Spans((i.start - s.start, i.end - s.start, i) for i in items)
    figures = [f for f in find_figures(s.text, limit=limit) if not taken.overlaps(f.start, f.end)]
    starts = [f.start for f in figures]
    wordings = Spans((w.start, w.end, w) for w in dated.found)
    compared = Spans((m.start("n"), m.end("n"), m) for m in _COMPARISON.finditer(s.text))
    used: list[Wording] = []
    for f in figures:
        inside = wordings.holding(f.start, f.end)
        why = _not_a_figure(s.text, f, inside, compared.holding(f.number_start, f.number_start + 1) is not None, repeated)
        if why:
            items.append(Item("exclusion", s.start + f.number_start, s.start + f.end, f.number_text, _shift(f, s.start),
                              reason=why[0], note=why[1]))
            continue
        period, wording = dated.period_for(f.start, f.end, starts)
        if wording is not None:
            used.append(wording)
        items.append(Item("claim", s.start + f.start, s.start + f.end, f.number_text, _shift(f, s.start), period=period))
    return _drop_period_words(items, used, s.start)


class Spans:
    """(start, end, payload) of one sentence sorted by start, for binary searches instead of a scan per figure."""

    def __init__(self, spans):
        self.spans = sorted(spans, key=lambda x: (x[0], x[1]))
        self.starts = [a for a, _, _ in self.spans]
        self.reach = list(itertools.accumulate((b for _, b, _ in self.spans), max))  # furthest end so far

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self.starts, end) - 1
        return k >= 0 and self.reach[k] > start

    def holds(self, start: int, end: int) -> bool:
        """True when one span holds start..end (the furthest end among spans starting by start reaches end)."""
        k = bisect.bisect_right(self.starts, start) - 1
        return k >= 0 and self.reach[k] >= end

    def holding(self, start: int, end: int):
        """The payload of a span that holds start..end, else None."""
        k = bisect.bisect_right(self.starts, start) - 1
        while k >= 0 and self.reach[k] >= end:
            if self.spans[k][1] >= end:
                return self.spans[k][2]
            k -= 1
        return None


def _dates(s: Sentence, dated: Dated) -> list[Item]:
    """Events for every date; a page stamp with a clock time is one 'metadata' exclusion, as the seeds record it."""
    items = []
    for start, end, period in dated.dates():
        rest = s.text[end:]
        clock = _TIME.match(rest.lstrip()) if period.kind == "page date" else None
        if clock:
            stop = end + (len(rest) - len(rest.lstrip())) + clock.end()
            items.append(Item("exclusion", s.start + start, s.start + stop, s.text[start:stop], reason="metadata",
                              note="Page timestamp (date and time): publication-date evidence for sources.csv, not a figure."))
        else:
            items.append(Item("event", s.start + start, s.start + end, s.text[start:end], date=period))
    for m in _TIME.finditer(s.text):
        if not any(i.start <= s.start + m.start() < i.end for i in items):
            items.append(Item("exclusion", s.start + m.start(), s.start + m.end(), m.group(0), reason="metadata",
                              note="A clock time, not a figure."))
    return items


def _not_a_figure(sentence: str, f: Figure, inside: Wording | None, compared: bool,
                  repeated: frozenset[str]) -> tuple[str, str] | None:
    """(reason, note) when a figure counts nothing: an ordinal, a count inside period wording, a comparison's
    span, a frequency, or a headline repeating a figure of the body."""
    words = f.number_text.lower()
    if inside is not None:
        return "not a quantity", f"Part of the period wording {inside.text!r}, which dates a figure; it counts nothing."
    if words in ORDINALS and f.reading.value == ORDINALS[words]:
        return "ordinal", f"{f.number_text!r} is an ordinal: it ranks, it counts nothing."
    if compared:
        return "not a quantity", "The span of a comparison ('the highest in five years'), not a count."
    if _FREQUENCY.match(sentence, f.number_start) and _FREQUENCY.match(sentence, f.number_start).end() == f.end:
        return "not a quantity", f"{f.number_text!r} says how often something happened, not a ratio of quantities."
    fused = _COMPOUND.match(sentence, f.end)
    if fused and not re.search(r"\d", f.number_text) and fused.group("word").lower() not in NUMBER_WORDS:
        return "not a quantity", (f"{sentence[f.number_start:fused.end()]!r} is a compound adjective: it describes"
                                  " a thing, it counts nothing.")
    if f.text.lower() in repeated:
        return "duplicate text", f"The headline repeats {f.text!r} from the body, where it is drafted as a claim."
    return None


def _drop_period_words(items: list[Item], used: list[Wording], offset: int) -> list[Item]:
    """Events for the dates inside a claim's period wording that hold no digit ('between Wednesday and
    Saturday', 'by early October') are not drafted: the claim's period records them, and no mention needs covering."""
    spans = [(offset + w.start, offset + w.end) for w in used]
    return [i for i in items if not (i.kind == "event" and not re.search(r"\d", i.text)
                                     and any(a <= i.start and i.end <= b for a, b in spans))]


def headline_repeats(text: str, title: str, found: list[Sentence]) -> dict[int, frozenset[str]]:
    """For the sentence that is the source's title, the figures it repeats from the body, by its start."""
    head = (title or "").strip().lower()
    for s in found:
        if head and s.text.lower() == head:
            body = text[s.start + len(s.text):].lower()
            return {s.start: frozenset(f.text.lower() for f in find_figures(s.text) if f.text.lower() in body)}
    return {}


def read_text(text: str, not_before=None, not_after=None, title: str = "", limit: int | None = None) -> list[Item]:
    """Every item of every sentence of a text (at most `limit` figures read per sentence), in text order."""
    found = sentences(text)
    repeats = headline_repeats(text, title, found)
    items: list[Item] = []
    for s in found:
        items += read_sentence(s, not_before, not_after, repeats.get(s.start, frozenset()), limit)
    return sorted(items, key=lambda i: i.start)
