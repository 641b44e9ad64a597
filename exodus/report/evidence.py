"""Where each piece of evidence lives: a page per source, one for derived figures, an index; the report's figure uses."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from exodus.model.mdsafe import escape, ident

DIR = "evidence"
REPORT = "report.html"
DERIVED_PAGE = "derived.html"
INDEX_PAGE = "index.html"
DISAGREEMENTS_PAGE = "disagreements.html"  # made when the report lists only some disagreements or contrasts
ROW_KINDS = {"claim": "claims", "person": "people", "event": "events"}  # entries that live with their source


def page(kind: str, row: dict) -> str:
    """The evidence page (file name inside evidence/) that holds an entry: its source's, or the derived page."""
    if kind == "derived":
        return DERIVED_PAGE
    return f"{ident(row['id'] if kind == 'source' else row['source_id'])}.html"


def address(kind: str, row: dict) -> str:
    """The entry's address relative to the published folder: evidence/<page>#<kind>-<id>."""
    return f"{DIR}/{page(kind, row)}#{kind}-{ident(row['id'])}"


@dataclass
class Where:
    """Links from one page to entries on this or another page; `here` is the page being written
    (None for the report), `prefix` how that page reaches the evidence folder."""

    rows: dict[str, dict[str, dict]]  # kind -> id -> row
    here: str | None = None
    prefix: str = ""

    def href(self, kind: str, key: str) -> str:
        row = self.rows.get(kind, {}).get(key)
        target = page(kind, row) if row is not None or kind == "derived" else None
        if target is None:
            return f"#{kind}-{ident(key)}"  # an entry that does not exist: the link check names it
        return f"#{kind}-{ident(key)}" if target == self.here else f"{self.prefix}{target}#{kind}-{ident(key)}"

    def at(self, here: str | None) -> Where:
        return Where(self.rows, here, "" if here is not None else f"{DIR}/")


def where(t: dict, derived: list[dict]) -> Where:
    rows = {kind: {r["id"]: r for r in t[table]} for kind, table in ROW_KINDS.items()}
    rows["source"] = {s["id"]: s for s in t["sources"]}
    rows["derived"] = {d["id"]: d for d in derived}
    return Where(rows, None, f"{DIR}/")


def front(title: str, subtitle: str) -> str:
    """An evidence page's front matter: HTML only (the PDF keeps its table of figures), unnumbered."""
    meta = {"title": escape(title), "subtitle": escape(subtitle), "format": "html", "number-sections": False}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n"


def page_nav(here: str) -> str:
    parts = [f"[The report](../{REPORT})"]
    parts += [] if here == INDEX_PAGE else [f"[All evidence: by source, metric and place]({INDEX_PAGE})"]
    return "[" + " · ".join(parts) + "]{.evidence-nav}"


REFERENCES = "## References {#references .unnumbered}\n\n::: {#refs}\n:::\n"


# The report's own text: headings (with their ids) and figure uses, in the order the HTML filter meets them.
_HEADING = re.compile(r"^(#{1,6})\s+(?P<text>.*?)\s*(?:\{(?P<attrs>[^}]*)\})?\s*$")
_USE = re.compile(r"(?<!\{)\{\{<\s*var\s+(claim|derived|event)\.([a-z][a-z0-9_]*)\s*>\}\}")
_TYPST_DIV = re.compile(r'^:::+\s*\{[^}]*\.content-visible[^}]*when-format="(?:typst|pdf)"[^}]*\}\s*$')
_TYPST_SPAN = re.compile(r'\[[^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*\]\{\.content-visible when-format="(?:typst|pdf)"\}')
_FENCE = re.compile(r"^(:::+)\s*(\{.*\}|\S+)?\s*$")


@dataclass
class Use:
    id: str      # the id the report's filter gives the n-th use of a figure: use-<kind>-<key>-<n>
    label: str   # the section's heading as written (never its number), "(2)" for a repeat within it


@dataclass
class Uses:
    by_figure: dict[str, list[Use]] = field(default_factory=dict)  # "claim-x" -> uses


def _html_lines(text: str) -> list[str]:
    """The report's lines as the HTML sees them: front matter, comments and typst-only blocks left out."""
    text = re.sub(r"<!--.*?-->", "", re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S), flags=re.S)
    out, depth, skip_at = [], 0, None
    for line in text.split("\n"):
        fence = _FENCE.match(line.strip())
        if fence and fence.group(2):
            depth += 1
            if skip_at is None and _TYPST_DIV.match(line.strip()):
                skip_at = depth
        elif fence:
            depth -= 1
            if skip_at is not None and depth < skip_at:
                skip_at = None
                continue
        if skip_at is None:
            out.append(_TYPST_SPAN.sub("", line))
    return out


def _section(line: str) -> tuple[str, str] | None:
    m = _HEADING.match(line)
    if not m:
        return None
    attrs = m.group("attrs") or ""
    sec = re.search(r"#([\w-]+)", attrs)
    label = m.group("text")
    return (sec.group(1) if sec else label), label


def uses(report_text: str) -> Uses:
    """Every use of a figure in the report, numbered as the report's filter numbers them."""
    found, per_section, label = Uses(), {}, "Opening"
    for line in _html_lines(report_text):
        head = _section(line)
        if head:
            label = head[1]
            continue
        for m in _USE.finditer(line):
            key = f"{m.group(1)}-{m.group(2)}"
            mine = found.by_figure.setdefault(key, [])
            seen = per_section[(key, label)] = per_section.get((key, label), 0) + 1
            mine.append(Use(f"use-{key}-{len(mine) + 1}", label + (f" ({seen})" if seen > 1 else "")))
    return found


def backlinks(kind: str, key: str, found: Uses, to_report: str) -> str:
    """Markdown links to every use of a figure in the report, or a plain note when it is not used."""
    mine = found.by_figure.get(f"{kind}-{ident(key)}", [])
    if not mine:
        return "*not used in the report text*"
    return ", ".join(f"[{escape(u.label)}]({to_report}#{u.id}){{.backlink}}" for u in mine)
