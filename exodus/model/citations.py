"""Every citation the report prints (claim, event, derived, chart, bundle, report), from the templates in citations.yml."""
from __future__ import annotations

import functools
import re
import string
from dataclasses import dataclass
from pathlib import Path

from exodus.model import texts, wording
from exodus.model.vocabulary import known, outlet_credit

TEMPLATES_FILE = Path(__file__).with_name("citations.yml")
REPORT_PAGE = "report.html"  # the page the published address serves
QUOTE_WORDS = 24  # a cite line quotes at most this many words around the figure
SHOWN = 6  # sources or reported figures a derived figure's cite line names; its entry lists every one
MISSING_SOURCE = "source not in the sources table"


@functools.cache
def templates() -> dict[str, str]:
    """The templates, each checked to name only fields in braces."""
    return texts.load(TEMPLATES_FILE, "key")


def fill(name: str, **fields: str) -> str:
    """One template filled; a field it names that the caller does not give is an error naming both."""
    template = templates()[name]
    wanted = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    missing = sorted(wanted - set(fields))
    if missing:
        raise ValueError(f"{TEMPLATES_FILE.name}: template {name!r} names {', '.join(missing)}, which is not given")
    return template.format(**{k: str(v) for k, v in fields.items()})


@dataclass(frozen=True)
class Edition:
    """What a citation of this report names: title, version, release date and its published address."""

    title: str
    version: str
    released: str = ""
    url: str = ""  # the report page's absolute address; blank until the report is published
    repository: str = ""

    def anchor(self, kind: str, key: str, page: str = REPORT_PAGE) -> str:
        """Where an entry lives: its absolute address (its page beside the report page: the report, or an
        evidence page such as evidence/<source>.html), or a plain statement that there is none yet."""
        anchor = f"{kind}-{key}"
        if not self.url:
            return fill("no_address", anchor=anchor)
        return fill("address", url=f"{self.url.rsplit('/', 1)[0]}/{page}", anchor=anchor)

    def entry(self, kind: str, key: str, page: str = REPORT_PAGE) -> str:
        return fill("entry", report=self.title, version=self.version, address=self.anchor(kind, key, page))


def _page(kind: str, row: dict) -> str:
    """The page of an entry, from the folder the report is published in (its evidence page)."""
    from exodus.report import evidence  # the one rule for where entries live

    return evidence.address(kind, row).split("#", 1)[0]


def published_address(settings: dict) -> tuple[str, str]:
    """(report page URL, repository URL) from _quarto.yml's website: site-url and repo-url; blank when unset."""
    site = settings.get("website") if isinstance(settings, dict) else None
    site = site if isinstance(site, dict) else {}
    base, repo = str(site.get("site-url") or "").strip(), str(site.get("repo-url") or "").strip()
    for value in (base, repo):
        if value and not re.fullmatch(r"https://[^\s\"'<>`\\]+", value):
            raise ValueError(f"_quarto.yml: website address {value!r} must be an https:// URL without spaces or quotes")
    page = base if not base or base.endswith(".html") else base.rstrip("/") + "/" + REPORT_PAGE
    return page, repo


def source_date(source: dict) -> str:
    """The publication date as a citation gives it, saying when it is a window, not a print."""
    if source.get("published") and source.get("published_basis") in ("stated", "resolved"):
        return wording.date_text(str(source["published"]))
    window = wording.date_range(_day(source.get("published_not_before")), _day(source.get("published_not_after")))
    return fill("date_window", window=window) if window else fill("date_unknown")


def outlet(source: dict | None) -> str:
    """A source's outlet for a short label: 'AFP via Hyrra', or 'outlet not named' where the tables know none."""
    if source is None:
        return MISSING_SOURCE
    named = known(source.get("outlet_shown")) or known(source.get("original_outlet"))
    return outlet_credit(source) if named else fill("outlet_unnamed")


def name(source: dict | None) -> str:
    """How a source is named wherever it is credited: its outlet, or its headline where no outlet is known."""
    if source is None or known(source.get("outlet_shown")) or known(source.get("original_outlet")):
        return outlet(source)
    return fill("name_headline", headline=" ".join(str(source.get("title") or "").split()),
                unnamed=fill("outlet_unnamed"))


def credit(source: dict | None) -> str:
    """How to find the article: 'AFP via Hyrra, 19 August 2023', or its headline where no outlet is known."""
    if source is None:
        return MISSING_SOURCE
    return fill("credit", source=name(source), date=source_date(source))


def short_quote(quote: str, needle: str = "", words: int = QUOTE_WORDS) -> str:
    """The quote verbatim, or the words around `needle` with an ellipsis where it is cut."""
    parts = " ".join(quote.split()).split(" ")
    if len(parts) <= words:
        return " ".join(parts)
    at = " ".join(parts).find(needle) if needle else -1
    centre = " ".join(parts)[:at].count(" ") if at >= 0 else 0
    start = max(0, min(centre - words // 3, len(parts) - words))
    cut = " ".join(parts[start:start + words])
    return ("…" if start > 0 else "") + cut + ("…" if start + words < len(parts) else "")


def claim_line(claim: dict, source: dict | None, ed: Edition) -> str:
    """What the figure counts, where and when, who said it, the words, how to find the article, the entry."""
    place, period = known(claim.get("place")), wording.date_range(_day(claim.get("period_start")),
                                                                   _day(claim.get("period_end")))
    subject = " ".join(str(claim.get("subject") or "").split())
    return fill("claim", figure=wording.claim_text(claim), counts=fill("claim_counts", subject=subject) if subject else "",
                where=fill("claim_where", place=place) if place else "",
                when=fill("claim_when", period=period) if period else "",
                who=" ".join(str(claim.get("attributed_to") or "unknown").split()),
                quote=short_quote(claim["quote"], claim.get("number_text") or ""), credit=credit(source),
                entry=ed.entry("claim", claim["id"], _page("claim", claim)))


def event_date(event: dict) -> str:
    """The date an event is cited by: its resolved day, days or span, never the article's dating words."""
    dated = event.get("not_before") or event.get("not_after") or (
        event.get("date") and event.get("date_precision") not in (None, "", "unknown"))
    return wording.event_text(event) if dated else fill("event_undated")


def event_line(event: dict, source: dict | None, ed: Edition) -> str:
    return fill("event", event=" ".join(str(event.get("event") or "").split()), date=event_date(event),
                quote=short_quote(event["quote"], event.get("date_text") or ""), credit=credit(source),
                entry=ed.entry("event", event["id"], _page("event", event)))


def derived_counts(row: dict) -> str:
    """What a derived figure counts, from its description: the first sentence, without its reasoning."""
    text = " ".join(str(row.get("description") or "").split()).removeprefix("Derived, not reported:").strip()
    first = re.split(r"(?<=[a-z)])\. ", text, maxsplit=1)[0].rstrip(".")
    first = re.split(r", from |, both from ", first, maxsplit=1)[0]
    while re.search(r"\([^()]*\)", first):  # remarks in parentheses, nested ones too
        first = re.sub(r"\s*\([^()]*\)", "", first)
    return first.strip() or str(row.get("id"))


def _ids(value) -> list[str]:
    return [v for v in (value.split(";") if isinstance(value, str) else value or []) if v]


def derived_line(row: dict, claims: dict, sources: dict, ed: Edition) -> str:
    """What the derived figure counts and the figures it is worked out from, in formula order, by source."""
    formula = str(row.get("formula") or "")
    used = sorted((c for c in _ids(row.get("claim_ids")) if c in claims),
                  key=lambda c: (formula.find(c) if c in formula else len(formula), c))
    by_source: dict[str, list[str]] = {}
    for c in used:
        by_source.setdefault(claims[c]["source_id"], []).append(wording.claim_text(claims[c]))
    inputs = [fill("derived_input", figures=" and ".join(figures), credit=credit(sources.get(s)))
              for s, figures in by_source.items()]
    if not inputs:
        outlets = list(dict.fromkeys(credit(sources.get(s)) for s in sorted(_ids(row.get("source_ids")))))
        inputs = [fill("derived_people", credits=_first(outlets) or "no source")]
    return fill("derived", figure=wording.derived_text(row), counts=derived_counts(row), inputs=_first(inputs),
                entry=ed.entry("derived", row["id"], _page("derived", row)))


def _first(items: list[str]) -> str:
    """The first SHOWN items, "; "-separated, and words for the rest: a citation line stays a line at any size."""
    named = "; ".join(items[:SHOWN])
    return fill("derived_others", named=named) if len(items) > SHOWN else named


def chart_line(title: str, report: str, version: str, outlets: list[str]) -> str:
    """How to cite a chart; `outlets` are its sources' names (name())."""
    return fill("chart", report=report, version=version, title=title, outlets="; ".join(outlets) or fill("no_sources"))


def chart_data_line(title: str, report: str, version: str, outlets: list[str]) -> str:
    return fill("chart_data", report=report, version=version, title=title,
                outlets="; ".join(outlets) or fill("no_sources"))


def report_line(authors: str, year: str, ed: Edition, licence: str) -> str:
    """'Authors (2026). Title. Version 0.2.0, released 22 November 2026. Licence CC-BY-4.0. <address>'."""
    released = f", released {wording.date_text(ed.released)}" if ed.released else ""
    where = fill("report_where", url=ed.url) if ed.url else fill("report_nowhere")
    return fill("report", authors=authors, year=year, title=ed.title, version=ed.version, released=released,
                licence=licence or "not stated", where=where).strip()


def _day(value) -> str | None:
    return str(value) if value else None
