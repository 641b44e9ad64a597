"""Coverage audit: every numeric mention in every source is claimed, described or deliberately excluded."""
from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass

from exodus import paths
from exodus.context import StageError
from exodus.model import numbers
from exodus.model.quotes import locate
from exodus.model.spans import find_figures
from exodus.model.vocabulary import ID_RULE, QUANTITY_WORDS, is_id
from exodus.stages.validate import QUOTED_TABLES, Dataset, load_dataset, number_span


@dataclass(frozen=True)
class Mention:
    """A numeric mention no row covers, with enough context to find it."""

    source_id: str
    path: str
    line: int
    column: int
    text: str
    context: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.text!r} uncovered in source {self.source_id}: …{self.context}…"


def covered_spans(data: Dataset) -> dict[str, list[tuple[int, int]]]:
    """Spans of every located figure, per source, from claims, people, events and exclusions."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for name in QUOTED_TABLES:
        table = data.tables[name]
        for row in table.rows:
            span = number_span(table, row, data.texts)
            if span:
                spans.setdefault(row["source_id"], []).append(span)
    return spans


def uncovered(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Figures in a text with a numeric mention outside every span, each figure whole ('nearly 1 million' once)."""
    loose = [(s, e, t) for s, e, t in numbers.mentions(text) if not any(a <= s and e <= b for a, b in spans)]
    found, taken = [], set()
    for figure in find_figures(text):
        inside = [m for m in loose if figure.start <= m[0] and m[1] <= figure.end]
        if inside:
            found.append((figure.start, figure.end, figure.text))
            taken.update(inside)
    found += [m for m in loose if m not in taken]  # a mention that reads as no figure is still listed
    return sorted(found)


def _sources(data: Dataset, only: set[str] | None):
    """(source row, id, text) for every source read, in table order."""
    for row in data.tables["sources"].rows:
        sid = row.get("id")
        if sid in data.texts and not (only and sid not in only):
            yield row, sid, data.texts[sid]


def _mention(row: dict, text: str, start: int, end: int) -> Mention:
    """A mention located as file:line:column, with the words around it."""
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    context = text[max(0, start - 50): end + 50].replace("\n", " ")
    return Mention(row["id"], paths.rel(paths.DATA / row["path"]), line, column, text[start:end], context)


def audit(data: Dataset, only: set[str] | None = None) -> list[Mention]:
    """Every uncovered mention, in source order."""
    spans = covered_spans(data)
    found = []
    for row, sid, text in _sources(data, only):
        for start, end, _ in uncovered(text, spans.get(sid, [])):
            found.append(_mention(row, text, start, end))
    return found


QUANTITY_RE = re.compile(r"\b(?:" + "|".join(QUANTITY_WORDS) + r")\b", re.IGNORECASE)


def candidates(data: Dataset, only: set[str] | None = None) -> list[Mention]:
    """Quantity words without a numeral ("most", "few") that no row covers: candidates for statements.csv.

    A statement is covered by its quantity_text; a word inside any quoted row's quote (a claim,
    person, event or exclusion) is taken as already read by the curator. The build fails on any
    left: each word of quantity or trend is a statement or an exclusion that says why it is not one.
    """
    spans: dict[str, list[tuple[int, int]]] = {}
    for name in QUOTED_TABLES:
        table = data.tables[name]
        for row in table.rows:
            text = data.texts.get(row.get("source_id"))
            start, err = locate(text, row["quote"], row.get("occurrence")) if text and row.get("quote") else (None, "")
            if not err and start is not None:
                spans.setdefault(row["source_id"], []).append((start, start + len(row["quote"])))
    found = []
    for row, sid, text in _sources(data, only):
        for m in QUANTITY_RE.finditer(text):
            if not any(a <= m.start() and m.end() <= b for a, b in spans.get(sid, [])):
                found.append(_mention(row, text, m.start(), m.end()))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", action="append", help="only this source id (repeatable)")
    parser.add_argument("--from-env", action="store_true",
                        help="take the source id from the ID environment variable (as `make candidates` does)")
    args = parser.parse_args(argv)
    if args.from_env:
        args.source = [os.environ.get("ID", "")]
    for sid in args.source or []:
        if not is_id(sid):
            print(f"error: source id {sid!r} must be snake_case: {ID_RULE}; usage: make candidates ID=source_id", file=sys.stderr)
            return 2
    data, problems = load_dataset()
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        return 1
    known = {r["id"] for r in data.tables["sources"].rows if r.get("id")}
    unknown = [sid for sid in args.source or [] if sid not in known]
    if unknown:
        print(f"error: unknown source {unknown[0]!r}; registered sources: {', '.join(sorted(known))}", file=sys.stderr)
        return 2
    only = set(args.source) if args.source else None
    words, missing = candidates(data, only), audit(data, only)
    for c in words:
        print(f"candidate statement (quantity word without a numeral): {c}")
    for m in missing:
        print(m)
    total = sum(len(numbers.mentions(t)) for t in data.texts.values())
    if missing:
        # Listing a new source's uncovered figures is what `make candidates` is for: that is its normal
        # path and ends 0; `make check` is the command that fails on them.
        print(f"{len(missing)} figure(s) not covered by any claim, person, event or exclusion "
              f"({total} numeric mentions in all); draft rows for them with: make draft ID=<source>", file=sys.stderr)
    if words:
        print(f"{len(words)} word(s) of quantity or trend not covered: add each to data/statements.csv, "
              f"or to data/exclusions.csv with the reason it is not a statement", file=sys.stderr)
    if missing or words:
        return 0 if args.from_env else 1
    print(f"coverage audit: all {total} numeric mentions in {len(data.texts)} sources are covered")
    return 0


def covered(data) -> str:
    """What the audit stage reports; StageError on any numeric mention or word of quantity nothing covers."""
    missing = audit(data)
    if missing:
        raise StageError("\n".join(map(str, missing)) + f"\n{len(missing)} uncovered numeric mention(s)")
    words = candidates(data)
    if words:
        raise StageError("\n".join(f"{w} (a word of quantity or trend)" for w in words) + (
            f"\n{len(words)} uncovered word(s) of quantity or trend: add each to data/statements.csv, or to "
            f"data/exclusions.csv with the reason it is not a statement"))
    return (f"all {sum(len(numbers.mentions(t)) for t in data.texts.values())} numeric mentions and every word of "
            f"quantity or trend covered")


if __name__ == "__main__":
    sys.exit(main())
