"""Citations: the report's own (from CITATION.cff), one per figure, and a ready "Cite as:" line per claim."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from exodus import paths
from exodus.model import wording
from exodus.model.mdsafe import ident, literal
from exodus.model.vocabulary import known, outlet_credit
from exodus.report.bibliography import bib_entry

CFF = "CITATION.cff"
QUOTE_WORDS = 24  # a cite line quotes at most this many words around the figure


@dataclass(frozen=True)
class Edition:
    """What a citation of this report names: title, version, release date and where it lives."""

    title: str
    version: str
    released: str = ""
    url: str = ""

    def anchor(self, kind: str, key: str) -> str:
        """The stable address of an entry: the report's URL (or file name) plus #<kind>-<id>."""
        return f"{self.url or 'report.html'}#{kind}-{ident(key)}"


def edition(cff: dict, version: str) -> Edition:
    released = cff.get("date-released")
    return Edition(str(cff["title"]), version, str(released) if released else "",
                   str(cff.get("url") or cff.get("repository-code") or ""))


def load_edition() -> Edition:
    cff = yaml.safe_load((paths.ROOT / CFF).read_text(encoding="utf-8"))
    return edition(cff, version_text() or str(cff.get("version")))


def source_date(source: dict) -> str:
    """The publication date as a citation gives it, saying when it is a window, not a print."""
    if source.get("published") and source.get("published_basis") in ("stated", "resolved"):
        return wording.date_text(source["published"])
    window = wording.date_range(source.get("published_not_before"), source.get("published_not_after"))
    return f"{window} (date not printed)" if window else "date unknown"


def source_credit(source: dict | None) -> str:
    """'AFP via Hyrra, 19 August 2023' or 'unknown outlet, 26 September–2 October 2022 (…)'."""
    if source is None:
        return "source not in the sources table"
    outlet = outlet_credit(source) if (known(source.get("outlet_shown")) or known(source.get("original_outlet"))) \
        else "unknown outlet"
    return f"{outlet}, {source_date(source)}"


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


def _line(figure: str, said: str, credit: str, ed: Edition, kind: str, key: str) -> str:
    return (f"Cite as: {figure} ({said}), {credit}; in {ed.title}, version {ed.version}, "
            f"{ed.anchor(kind, key)}.")


def claim_line(claim: dict, source: dict | None, ed: Edition) -> str:
    quote = short_quote(claim["quote"], claim.get("number_text") or "")
    return _line(wording.claim_text(claim), f"“{quote}”", source_credit(source), ed, "claim", claim["id"])


def event_line(event: dict, source: dict | None, ed: Edition) -> str:
    quote = short_quote(event["quote"], event.get("date_text") or "")
    return _line(wording.event_text(event), f"“{quote}”", source_credit(source), ed, "event", event["id"])


def derived_line(row: dict, sources: dict, ed: Edition) -> str:
    credits = "; ".join(source_credit(sources.get(s)) for s in row["source_ids"]) or "no source"
    return _line(wording.derived_text(row), "derived by this report from the articles' figures, not stated in any article",
                 f"from {credits}",
                 ed, "derived", row["id"])


def authors_text(cff: dict) -> str:
    names = []
    for a in cff.get("authors") or []:
        if a.get("name"):
            names.append(a["name"])
        else:
            names.append(" ".join(p for p in (a.get("given-names"), a.get("family-names")) if p))
    return "; ".join(names) or "Anonymous"


def year(cff: dict) -> str:
    """Year of release when CITATION.cff states one; 'n.d.' rather than a guessed year."""
    released = cff.get("date-released")
    return str(released)[:4] if released else "n.d."


def code_block(text: str) -> str:
    return f"```bibtex\n{text}\n```"


def report_order(figures: dict[str, dict], report_text: str) -> list[str]:
    """Figure ids in the order the report includes them (so they read Figure 1, 2, ...)."""
    def first(key: str) -> int:
        hits = [i for i in (report_text.find(f"_fig-{key}.md"), report_text.find(f"#fig-{key}")) if i >= 0]
        return min(hits) if hits else len(report_text)
    return sorted(figures, key=lambda k: (first(k), k))


def report_citation(cff: dict, ed: Edition) -> str:
    """'Authors (2026). Title. Version 0.2.0, released 22 November 2026. Licence CC-BY-4.0. URL'."""
    when = year(cff)
    released = f", released {wording.date_text(ed.released)}" if ed.released else ""
    where = f" {ed.url}" if ed.url else ""
    return (f"{authors_text(cff)} ({when}). {ed.title}. Version {ed.version}{released}. "
            f"Licence {cff.get('license') or 'not stated'}.{where}")


def build(cff: dict, figures: dict[str, dict], version: str, report_text: str = "") -> str:
    """The how-to-cite include."""
    if str(cff.get("version")) != version:
        raise ValueError(f"{CFF} version {cff.get('version')!r} differs from VERSION {version!r}; update one")
    ed, who = edition(cff, version), authors_text(cff)
    base = {"author": "{{" + who + "}}", "title": "{{" + ed.title + "}}", "date": ed.released,
            "version": version, "url": ed.url, "note": f"Version {version}"}
    out = [
        "**The report.**", "",
        literal(report_citation(cff, ed)), "",
        code_block(bib_entry("misc", "exodus_report", base, verbatim=("date", "url"))), "",
        "**One figure.** Every figure's entry ends with a ready citation line that starts "
        "“Cite as:” and names the figure as worded here, the quoted words, the outlet, the date, "
        "this report and its version, and the entry's stable address (`#claim-<id>`).",
        "", "::: {.content-visible when-format=\"html\"}",
        "In the popup of a figure in the text, the Copy button copies that line.", ":::", "",
        "**Charts.** Each chart can be cited on its own; the text form names the chart, "
        "the report version and the outlets its figures come from.", "",
    ]
    for key in report_order(figures, report_text):
        fig = figures[key]
        key = ident(key)
        text = fig.get("cite") or f"{ed.title} (version {version}), figure '{fig['title']}'."
        out += [
            f"@fig-{key}: {literal(text)}", "",
            # BibTeX is for copying: the HTML carries it, print keeps the text form.
            "::: {.content-visible when-format=\"html\"}",
            code_block(bib_entry("misc", f"exodus_report_fig_{key}", {
                "author": "{{" + who + "}}", "title": "{{" + str(fig["title"]) + "}}", "date": ed.released,
                "note": f"Figure {key} in: {ed.title}, version {version}",
                "url": ed.anchor("fig", key)}, verbatim=("date", "url"))), ":::", "",
        ]
    return "\n".join(out)


def version_text(path: Path | None = None) -> str:
    path = Path(path) if path else paths.ROOT / "VERSION"
    return path.read_text(encoding="utf-8").strip() if path.exists() else ""
