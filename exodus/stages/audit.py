"""Coverage audit: every numeric mention in every source is claimed, described or deliberately excluded."""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass

from exodus import paths
from exodus.context import Context, StageError
from exodus.model import numbers
from exodus.model.vocabulary import ID_RULE, is_id
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
    """Mentions in a text not inside any of the spans."""
    return [
        (s, e, t) for s, e, t in numbers.mentions(text)
        if not any(a <= s and e <= b for a, b in spans)
    ]


def audit(data: Dataset, only: set[str] | None = None) -> list[Mention]:
    """Every uncovered mention, in source order."""
    spans = covered_spans(data)
    found = []
    for row in data.tables["sources"].rows:
        sid = row.get("id")
        if sid not in data.texts or (only and sid not in only):
            continue
        text = data.texts[sid]
        for start, end, mention in uncovered(text, spans.get(sid, [])):
            line = text.count("\n", 0, start) + 1
            column = start - (text.rfind("\n", 0, start) + 1) + 1
            context = text[max(0, start - 50): end + 50].replace("\n", " ")
            found.append(Mention(sid, paths.rel(paths.DATA / row["path"]), line, column, mention, context))
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
    missing = audit(data, set(args.source) if args.source else None)
    for m in missing:
        print(m)
    total = sum(len(numbers.mentions(t)) for t in data.texts.values())
    if missing:
        print(f"{len(missing)} of {total} numeric mentions are not covered by any claim, person, event or exclusion", file=sys.stderr)
        return 1
    print(f"coverage audit: all {total} numeric mentions in {len(data.texts)} sources are covered")
    return 0


def stage(ctx: Context) -> str:
    """Pipeline stage: fail on any numeric mention that nothing covers."""
    data = ctx.memo.get("dataset")
    if data is None:
        data, problems = load_dataset()
        if problems:
            raise StageError("\n".join(map(str, problems)))
    missing = audit(data)
    if missing:
        raise StageError("\n".join(map(str, missing)) + f"\n{len(missing)} uncovered numeric mention(s)")
    return f"all {sum(len(numbers.mentions(t)) for t in data.texts.values())} numeric mentions covered"


if __name__ == "__main__":
    sys.exit(main())
