"""Coverage audit: every numeric mention in every source is claimed, described or deliberately excluded."""
from __future__ import annotations

import argparse
import bisect
import os
import re
import sys
from dataclasses import dataclass

from exodus import parallel, paths
from exodus.context import StageError
from exodus.model import numbers
from exodus.model.quotes import locate
from exodus.model.reading import MAX_FIGURES, Item, Spans, read_text
from exodus.model.spans import find_figures
from exodus.model.vocabulary import ID_RULE, QUANTITY_WORDS, is_id
from exodus.stages.validate import QUOTED_TABLES, Dataset, load_dataset, number_span


@dataclass(frozen=True)
class Mention:
    """A numeric mention no row covers, with enough context to find it, and what the reading rules take it
    for (the rules make draft applies): a figure, a date (an events row) or a mention that counts nothing."""

    source_id: str
    path: str
    line: int
    column: int
    text: str
    context: str
    kind: str = ""

    def __str__(self) -> str:
        said = f" ({self.kind})" if self.kind else ""
        return f"{self.path}:{self.line}:{self.column}: {self.text!r} uncovered in source {self.source_id}{said}: …{self.context}…"


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


MAX_LISTED = 200  # mentions listed per run: past this, a source is a table flattened into text, not prose
KIND = {"claim": "", "event": "a date: an events row", "exclusion": "counts nothing ({reason}): an exclusions row"}


def uncovered(text: str, spans: list[tuple[int, int]], items: list[Item] | None = None) -> list[tuple[int, int, str, str]]:
    """Mentions outside every span, each listed as the reading rules group it (a figure whole, 'nearly 1
    million' once; a date whole, 'on Sept. 21'), with what the rules take it for. Sorted sweeps and binary
    searches: the cost grows with the text, never with mentions times spans."""
    covered = Spans((a, b, None) for a, b in spans)
    loose = [m for m in numbers.mentions(text) if not covered.holds(m[0], m[1])]
    if items is None:
        items = [Item("claim", f.start, f.end, f.text) for f in find_figures(text)]
    grouping = Spans((i.start, i.end, i) for i in items)
    found, listed = [], set()
    for s, e, t in loose:
        item = grouping.holding(s, e)
        if item is None:
            found.append((s, e, t, ""))  # a mention that reads as no figure is still listed
        elif id(item) not in listed:
            listed.add(id(item))
            shown = item.figure.text if item.kind == "claim" and item.figure else item.text
            start = item.figure.start if item.kind == "claim" and item.figure else item.start
            found.append((start, start + len(shown), shown, KIND[item.kind].format(reason=item.reason)))
    return sorted(found)


def _sources(data: Dataset, only: set[str] | None):
    """(source row, id, text) for every source read, in table order."""
    for row in data.tables["sources"].rows:
        sid = row.get("id")
        if sid in data.texts and not (only and sid not in only):
            yield row, sid, data.texts[sid]


class Lines:
    """Line and column of any offset of a text, by binary search over its line starts."""

    def __init__(self, text: str):
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def where(self, offset: int) -> tuple[int, int]:
        k = bisect.bisect_right(self.starts, offset) - 1
        return k + 1, offset - self.starts[k] + 1


def _mention(row: dict, text: str, start: int, end: int, lines: Lines | None = None, kind: str = "",
             shown: str | None = None) -> Mention:
    """A mention located as file:line:column, with the words around it."""
    line, column = (lines or Lines(text)).where(start)
    context = text[max(0, start - 50): end + 50].replace("\n", " ")
    return Mention(row["id"], shown or paths.rel(paths.DATA / row["path"]), line, column, text[start:end], context, kind)


def _items(row: dict, text: str) -> list[Item]:
    """What the reading rules take from the text, read against the source's publication day or window."""
    nb = row.get("published") or row.get("published_not_before")
    na = row.get("published") or row.get("published_not_after")
    return read_text(text, nb, na, row.get("title") or "", limit=2 * MAX_FIGURES)


def audit(data: Dataset, only: set[str] | None = None) -> list[Mention]:
    """Every uncovered mention, in source order; a source with none is not read by the reading rules."""
    spans = covered_spans(data)
    found = []
    for row, sid, text in _sources(data, only):
        mine = spans.get(sid, [])
        missing = uncovered(text, mine, [])
        if not missing:
            continue
        lines, shown = Lines(text), paths.rel(paths.DATA / row["path"])
        for start, end, _, kind in uncovered(text, mine, _items(row, text)):
            found.append(_mention(row, text, start, end, lines, kind, shown))
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
        quoted, lines = Spans((a, b, None) for a, b in spans.get(sid, [])), None
        for m in QUANTITY_RE.finditer(text):
            if not quoted.holds(m.start(), m.end()):
                lines = lines or Lines(text)
                found.append(_mention(row, text, m.start(), m.end(), lines, shown=paths.rel(paths.DATA / row["path"])))
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
    for c in words[:MAX_LISTED]:
        print(f"candidate statement (quantity word without a numeral): {c}")
    for m in missing[:MAX_LISTED]:
        print(m)
    if len(missing) > MAX_LISTED or len(words) > MAX_LISTED:
        print(f"… the first {MAX_LISTED} of each are listed ({len(missing):,} uncovered mentions, {len(words):,} words of "
              f"quantity): a text this dense is a table, better drafted by hand")
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


# The sources are audited side by side in forked processes from this many (at 500 articles the stage took
# 0.60 s instead of 0.97 s on two cores); below it a process costs more than it saves.
PARALLEL_FROM = 40


def covered(data) -> str:
    """What the audit stage reports; StageError on any numeric mention or word of quantity nothing covers."""
    ids = [r["id"] for r in data.tables["sources"].rows if r.get("id") in data.texts]
    cores = parallel.cores()
    # An empty share would mean every source (only=None): each share holds at least one.
    shares = [set(ids[k::cores]) for k in range(min(cores, len(ids)))] if len(ids) >= PARALLEL_FROM else [None]
    count = lambda only: sum(len(numbers.mentions(t)) for sid, t in data.texts.items() if only is None or sid in only)  # noqa: E731
    found = parallel.mapped(lambda only: (audit(data, only), candidates(data, only), count(only)), shares, 2)
    order = {sid: i for i, sid in enumerate(ids)}
    by_place = lambda m: (order[m.source_id], m.line, m.column)  # noqa: E731 - as one pass over the sources gives
    missing = sorted((m for share in found for m in share[0]), key=by_place)
    if missing:
        more = f"\n… and {len(missing) - MAX_LISTED:,} more" if len(missing) > MAX_LISTED else ""
        raise StageError("\n".join(map(str, missing[:MAX_LISTED])) + more + f"\n{len(missing)} uncovered numeric mention(s)")
    words = sorted((w for share in found for w in share[1]), key=by_place)
    if words:
        raise StageError("\n".join(f"{w} (a word of quantity or trend)" for w in words) + (
            f"\n{len(words)} uncovered word(s) of quantity or trend: add each to data/statements.csv, or to "
            f"data/exclusions.csv with the reason it is not a statement"))
    return (f"all {sum(share[2] for share in found)} numeric mentions and every word of "
            f"quantity or trend covered")


if __name__ == "__main__":
    sys.exit(main())
