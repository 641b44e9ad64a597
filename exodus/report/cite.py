"""Generate _generated/_how-to-cite.md: text and BibTeX citations for the report and each figure."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from exodus import atomic, paths
from exodus.context import Context
from exodus.model.mdsafe import ident, literal
from exodus.report import figure_blocks

CFF = "CITATION.cff"
_BIBTEX_SPECIAL = re.compile(r"([{}&%$#_\\~^])")


def bibtex_value(text: str) -> str:
    """Text safe inside a BibTeX {...} field (and never a Quarto shortcode)."""
    def one(m: re.Match) -> str:
        c = m.group(1)
        return {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}.get(c, "\\" + c)
    return _BIBTEX_SPECIAL.sub(one, " ".join(str(text).split()))


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


def bibtex(key: str, fields: dict[str, str]) -> str:
    """One entry; the author is braced twice so BibTeX keeps a group name whole."""
    body = ",\n".join(f"  {k} = {{{{{bibtex_value(v)}}}}}" if k == "author" else f"  {k} = {{{bibtex_value(v)}}}"
                      for k, v in fields.items() if v)
    return f"@misc{{{key},\n{body}\n}}"


def code_block(text: str) -> str:
    return f"```bibtex\n{text}\n```"


def report_order(figures: dict[str, dict], report_text: str) -> list[str]:
    """Figure ids in the order the report includes them (so they read Figure 1, 2, ...)."""
    def first(key: str) -> int:
        hits = [i for i in (report_text.find(f"_fig-{key}.md"), report_text.find(f"#fig-{key}")) if i >= 0]
        return min(hits) if hits else len(report_text)
    return sorted(figures, key=lambda k: (first(k), k))


def build(cff: dict, figures: dict[str, dict], version: str, report_text: str = "") -> str:
    """The how-to-cite include."""
    if str(cff.get("version")) != version:
        raise ValueError(f"{CFF} version {cff.get('version')!r} differs from VERSION {version!r}; update one")
    who, title, when = authors_text(cff), cff["title"], year(cff)
    base = {"author": who, "title": title, "year": "" if when == "n.d." else when, "version": version,
            "note": f"Version {version}", "url": cff.get("url") or cff.get("repository-code") or ""}
    out = [
        "**The report.**",
        "",
        f"{literal(who)} ({literal(when)}). *{literal(title)}*. Version {literal(version)}. "
        f"Licence {literal(cff.get('license') or 'not stated')}.",
        "",
        code_block(bibtex("exodus_report", base)),
        "",
        "**Figures.** Each figure can be cited on its own; the text form names the figure, "
        "the report version and the outlets its figures come from.",
        "",
    ]
    for key in report_order(figures, report_text):
        fig = figures[key]
        key = ident(key)
        text = fig.get("cite") or f"{title} (version {version}), figure '{fig['title']}'."
        out += [
            f"@fig-{key}: {literal(text)}",
            "",
            code_block(bibtex(f"exodus_report_fig_{key}", {
                "author": who, "title": fig["title"], "year": base["year"],
                "note": f"Figure {key} in: {title}, version {version}",
                "howpublished": f"figures/{key}.png", "url": base["url"]})),
            "",
        ]
    return "\n".join(out)


def version_text(path: Path | None = None) -> str:
    path = Path(path) if path else paths.ROOT / "VERSION"
    return path.read_text(encoding="utf-8").strip() if path.exists() else ""


def main() -> int:
    cff_path = paths.ROOT / CFF
    try:
        cff = yaml.safe_load(cff_path.read_text(encoding="utf-8"))
        report = paths.REPORT_QMD.read_text(encoding="utf-8") if paths.REPORT_QMD.exists() else ""
        text = build(cff, figure_blocks.load(), version_text() or str(cff.get("version")), report)
    except (OSError, ValueError, KeyError, yaml.YAMLError) as e:
        print(f"cite: {e}", file=sys.stderr)
        return 1
    out = paths.GENERATED / "_how-to-cite.md"
    atomic.write_text(out, text)
    print(f"cite: wrote {paths.rel(out)} ({len(figure_blocks.load())} figures)")
    return 0


def stage(ctx: Context) -> int:
    """Pipeline stage: write this generator's output (its errors are printed with their location)."""
    return main()


if __name__ == "__main__":
    sys.exit(main())
