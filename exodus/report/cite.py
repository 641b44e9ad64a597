"""The how-to-cite include (the report, each chart); every line is worded by exodus/model/citations.py."""
from __future__ import annotations

from pathlib import Path

import yaml

from exodus import paths
from exodus.model import citations
from exodus.model.mdsafe import ident, literal
from exodus.report.bibliography import bib_entry

CFF = "CITATION.cff"
PROJECT = "_quarto.yml"  # website: site-url and repo-url, the one setting for the report's address
Edition = citations.Edition


def edition(cff: dict, version: str, settings: dict | None = None) -> Edition:
    released = cff.get("date-released")
    url, repo = citations.published_address(settings or {})
    return Edition(str(cff["title"]), version, str(released) if released else "", url, repo)


def load_edition(root: Path | None = None) -> Edition:
    root = Path(root or paths.ROOT)
    cff = yaml.safe_load((root / CFF).read_text(encoding="utf-8"))
    return edition(cff, version_text(root / "VERSION") or str(cff.get("version")), project_settings(root))


def project_settings(root: Path | None = None) -> dict:
    path = Path(root or paths.ROOT) / PROJECT
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}


def check_cff(cff: dict, ed: Edition) -> None:
    """CITATION.cff names the address and repository _quarto.yml sets, and none when it sets none."""
    for key, want in (("url", ed.url), ("repository-code", ed.repository)):
        if str(cff.get(key) or "") != want:
            raise ValueError(f"{CFF}: {key} is {cff.get(key) or 'unset'!r} but _quarto.yml's website sets "
                             f"{want or 'none'!r}; make them the same")


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
    """'Authors (2026). Title. Version 0.2.0, released 22 November 2026. Licence CC-BY-4.0. <address>'."""
    return citations.report_line(authors_text(cff), year(cff), ed, str(cff.get("license") or ""))


def build(cff: dict, figures: dict[str, dict], version: str, report_text: str = "", settings: dict | None = None) -> str:
    """The how-to-cite include."""
    if str(cff.get("version")) != version:
        raise ValueError(f"{CFF} version {cff.get('version')!r} differs from VERSION {version!r}; update one")
    ed, who = edition(cff, version, settings), authors_text(cff)
    check_cff(cff, ed)
    unpublished = "" if ed.url else "; not yet published at a fixed address"
    base = {"author": "{{" + who + "}}", "title": "{{" + ed.title + "}}", "date": ed.released,
            "version": version, "doi": str(cff.get("doi") or ""), "url": ed.url,
            "note": f"Version {version}{unpublished}"}
    where = ("the entry's address on the published report (`" + citations.fill("address", url=ed.url, anchor="claim-<id>")
             + "`)") if ed.url else "the entry's name (`claim-<id>`); the report has no published address yet"
    out = [
        "**The report.**", "",
        literal(report_citation(cff, ed)), "",
        code_block(bib_entry("misc", "exodus_report", base, verbatim=("date", "url", "doi"))), "",
        "**One figure.** Every figure's entry ends with a ready citation line that starts "
        "“Cite as:” and says what the figure counts, where and when, who said it, the quoted words, "
        "how to find the article (outlet, or headline where no outlet is known, and date), this report and "
        f"its version, and {where}.",
        "", "::: {.content-visible when-format=\"html\"}",
        "In the popup of a figure in the text, the Copy button copies that line.", ":::", "",
        "**Charts.** Each chart can be cited on its own; the text form names the chart, "
        "the report version and the outlets its figures come from.", "",
    ]
    for key in report_order(figures, report_text):
        fig = figures[key]
        key = ident(key)
        text = fig.get("cite") or citations.chart_line(str(fig["title"]), ed.title, version, [])
        out += [
            f"@fig-{key}: {literal(text)}", "",
            # BibTeX is for copying: the HTML carries it, print keeps the text form.
            "::: {.content-visible when-format=\"html\"}",
            code_block(bib_entry("misc", f"exodus_report_fig_{key}", {
                "author": "{{" + who + "}}", "title": "{{" + str(fig["title"]) + "}}", "date": ed.released,
                "note": f"Figure {key} in: {ed.title}, version {version}{unpublished}",
                "url": citations.fill("address", url=ed.url, anchor=f"fig-{key}") if ed.url else ""},
                verbatim=("date", "url"))), ":::", "",
        ]
    return "\n".join(out)


def version_text(path: Path | None = None) -> str:
    path = Path(path) if path else paths.ROOT / "VERSION"
    return path.read_text(encoding="utf-8").strip() if path.exists() else ""
