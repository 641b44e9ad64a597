"""Markdown for the quoted passages of each article, in their sentences, each quote highlighted and anchored."""
from __future__ import annotations

import re
from dataclasses import dataclass

from exodus.model import mdsafe
from exodus.model.mdsafe import ident
from exodus.model.quotes import locate

KIND_LABEL = {"claim": "claim", "person": "person", "event": "event"}


@dataclass(frozen=True)
class Mark:
    """One quote located in a source: [start, end) character offsets."""

    kind: str  # claim | person | event
    id: str
    start: int
    end: int


class QuoteNotFound(ValueError):
    """A curated quote that is not where the table says it is."""


def marks_for(text: str, items: list[tuple[str, dict]]) -> list[Mark]:
    """Marks for (kind, row) pairs whose rows carry quote and occurrence."""
    marks = []
    for kind, row in items:
        start, err = locate(text, row["quote"], row.get("occurrence"))
        if err:
            raise QuoteNotFound(f"{kind} {row['id']}: {err} in source {row['source_id']}")
        marks.append(Mark(kind, ident(row["id"]), start, start + len(row["quote"])))
    return sorted(marks, key=lambda m: (m.start, -m.end, m.kind, m.id))


def anchor(kind: str, key: str) -> str:
    """Id of a quote's anchor in the source view."""
    return f"src-{kind}-{key}"


def _line_markdown(text: str, offset: int, marks: list[Mark]) -> str:
    """One source line: plain, highlighted and anchor pieces, all escaped."""
    end = offset + len(text)
    cuts = {offset, end}
    for m in marks:
        cuts.update(p for p in (m.start, m.end) if offset < p < end)
    cuts = sorted(cuts)
    out = []
    for a, b in zip(cuts, cuts[1:]):
        # Empty anchors open each quote so a link lands on its first word, even when
        # several quotes start at the same character.
        out += [f"[]{{#{anchor(m.kind, m.id)}}}" for m in marks if m.start == a]
        piece = mdsafe.escape_keep_spaces(text[a - offset:b - offset])
        covering = [m for m in marks if m.start <= a and b <= m.end]
        lead, core, trail = re.match(r"^(\s*)(.*?)(\s*)$", piece, re.S).groups()
        if covering and core:
            # Spaces stay outside the highlight so it hugs the quoted words. data-q names every quote
            # the piece belongs to, so a landing marks all pieces of its own quote and no other.
            classes = " ".join(f".hl-{k}" for k in sorted({m.kind for m in covering}))
            quotes = " ".join(anchor(m.kind, m.id) for m in covering)
            out.append(f"{lead[:1]}[{core}]{{.hl {classes} data-q=\"{quotes}\"}}{trail[:1]}")
        else:
            out.append(piece)
        # Tags after a quote's last piece link back to its appendix entry.
        out += [f" [{KIND_LABEL[m.kind]} {mdsafe.escape(m.id)}](#{m.kind}-{m.id}){{.src-tag}}"
                for m in marks if m.end == b]
    return "".join(out).strip()


_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*(?=\s|$)")


def _sentence_start(text: str, lo: int, at: int) -> int:
    """Start of the sentence holding offset `at`, not before `lo` (its line's start)."""
    start = lo
    for m in _SENTENCE_END.finditer(text, lo, at):
        start = m.end()
    while start < at and text[start].isspace():
        start += 1
    return start


def _sentence_end(text: str, at: int, hi: int) -> int:
    """End of the sentence holding offset `at`, not after `hi` (its line's end)."""
    m = _SENTENCE_END.search(text, at, hi)
    return m.end() if m else hi


def excerpts(text: str, marks: list[Mark]) -> list[tuple[int, int]]:
    """[start, end) spans: each quote widened to whole sentences within its lines, overlaps merged."""
    spans = []
    for m in marks:
        lo = text.rfind("\n", 0, m.start) + 1
        hi = text.find("\n", m.end)
        hi = len(text) if hi < 0 else hi
        end_at = max(m.start, m.end - 1)
        spans.append((_sentence_start(text, lo, m.start), _sentence_end(text, end_at, hi)))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def text_markdown(text: str, marks: list[Mark]) -> list[str]:
    """One paragraph per excerpt, '…' where the excerpt cuts its line, marks applied."""
    paras = []
    for a, b in excerpts(text, marks):
        pieces, offset = [], a
        # A passage over a line break keeps the text's paragraphs.
        for line in text[a:b].split("\n"):
            end = offset + len(line)
            if line.strip():
                inside = [m for m in marks if m.start < end and m.end > offset or offset <= m.start <= end]
                pieces.append(_line_markdown(line, offset, inside))
            offset = end + 1
        lead = "" if a == 0 or text[a - 1] == "\n" else "… "
        tail = "" if b == len(text) or text[b] == "\n" else " …"
        pieces[0] = lead + pieces[0]
        pieces[-1] = pieces[-1] + tail
        paras += pieces
    return paras


def source_section(source: dict, text: str, items: list[tuple[str, dict]], label_md: str, level: int = 3,
                   lead: str = "") -> str:
    """The source view of one article: heading, provenance line and highlighted text."""
    sid = ident(source["id"])
    marks = marks_for(text, items)
    counts = {k: sum(1 for m in marks if m.kind == k) for k in KIND_LABEL}
    head = [
        f"{'#' * level} Quoted passages in context: {mdsafe.escape(source['title'])} {{#source-text-{sid} .unnumbered}}",
        "",
        *([lead, ""] if lead else []),
        f"{label_md} · "
        f"[{mdsafe.escape(sid)}](#source-{sid}) · "
        f"{counts['claim']} claims, {counts['person']} people, {counts['event']} events highlighted",
        "",
        f"::: {{.source-text .literal lang=\"{source.get('language') or 'und'}\"}}",
    ]
    body = text_markdown(text, marks)
    return "\n".join(head + ["\n\n".join(body), ":::", ""])


def intro() -> str:
    return ("The article texts belong to their publishers; this report quotes them for verification. "
            "Each quoted passage is shown here in its sentence, not the whole article. "
            "Highlights mark the quotes behind [claims]{.hl .hl-claim}, [people]{.hl .hl-person} "
            "and [events]{.hl .hl-event}; the tag after each quote leads to its entry.")


def build(sources: list[dict], texts: dict[str, str], claims: list[dict],
          people: list[dict], events: list[dict], label=lambda s: "") -> str:
    """The whole source view, one section per source in table order."""
    parts = [intro(), ""]
    for s in sources:
        items = [("claim", r) for r in claims if r["source_id"] == s["id"]]
        items += [("person", r) for r in people if r["source_id"] == s["id"]]
        items += [("event", r) for r in events if r["source_id"] == s["id"]]
        parts.append(source_section(s, texts[s["id"]], items, label(s)))
    return "\n".join(parts)
