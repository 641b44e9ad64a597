"""Generate _generated/references.bib (BibLaTeX) from data/sources.csv; unknowns stay absent."""
from __future__ import annotations

import re
from pathlib import Path

from exodus import atomic
from exodus.model import wording
from exodus.model.vocabulary import known, outlet_credit

_SPECIAL = re.compile(r"([{}&%$#_\\~^<>])")
# Angle brackets too: pandoc's reader drops text between a brace and '<' ("{{< var >}}").
_ESCAPES = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
            "<": r"\textless{}", ">": r"\textgreater{}"}


def bib_text(text: str) -> str:
    """Text safe inside a BibLaTeX {...} field: TeX specials escaped, white space collapsed."""
    return _SPECIAL.sub(lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), " ".join(str(text).split()))


def bib_entry(kind: str, key: str, fields: dict[str, str], verbatim: tuple[str, ...] = ()) -> str:
    """One entry; values in `verbatim` (dates, URLs) are written as given, the rest escaped.

    A value already wrapped as {{...}} by the caller keeps its case (titles as printed)
    and stays one name (a group author such as an outlet).
    """
    def value(k: str, v: str) -> str:
        if k in verbatim:
            return "{" + v + "}"
        if v.startswith("{{") and v.endswith("}}"):
            return "{{" + bib_text(v[2:-2]) + "}}"
        return "{" + bib_text(v) + "}"
    body = ",\n".join(f"  {k} = {value(k, v)}" for k, v in fields.items() if v)
    return f"@{kind}{{{key},\n{body}\n}}"


def date_field(source: dict) -> str:
    """BibLaTeX date: the stated day, else the window (open-ended when only a floor is known)."""
    if source.get("published") and source.get("published_basis") in ("stated", "resolved"):
        return source["published"]
    lo, hi = source.get("published_not_before"), source.get("published_not_after")
    if lo and hi:
        return lo if lo == hi else f"{lo}/{hi}"
    # An open window has no date a reference list can print ("DW 2022–" reads as a run of years):
    # the entry is undated ("n.d.") and its note gives the window in words.
    return ""


def note(source: dict) -> str:
    """The date in words (typst's style prints this, as it keeps only one day of a range),
    then what the fields cannot say: how the date and the outlet were established."""
    if source.get("published") and source.get("published_basis") in ("stated", "resolved"):
        parts = [f"published {wording.date_text(source['published'])}"]
    else:
        window = wording.date_range(source.get("published_not_before"), source.get("published_not_after"))
        parts = [f"date not printed, {window} by the text’s own references" if window
                 else "publication date unknown"]
    if not (known(source.get("outlet_shown")) or known(source.get("original_outlet"))):
        parts.append("no outlet, byline or URL in the text")
    elif not known(source.get("author")):
        parts.append("no byline, the outlet stands in for the author")
    if known(source.get("original_outlet")) and known(source.get("outlet_shown")) != known(source.get("original_outlet")):
        # The headline is the one the republished page prints, which may not be the outlet's own.
        parts.append("headline as printed on the republished page")
    return "; ".join(parts)


def short_title(title: str, words: int = 4) -> str:
    """The title up to its first colon, or its first few words (a citation's short form)."""
    head = title.split(":", 1)[0].split()
    return " ".join(head[:words]) if head else title


def entry(source: dict) -> str:
    """One @article; a field the source does not establish is left out, never guessed."""
    outlet = outlet_credit(source) if (known(source.get("outlet_shown")) or known(source.get("original_outlet"))) else ""
    author = known(source.get("author")) or outlet
    fields = {
        "author": "{{" + author + "}}" if author else "",
        "title": "{{" + source["title"] + "}}",
        # With no author the title leads the in-text citation: keep that short.
        "shorttitle": "" if author else "{{" + short_title(source["title"]) + "}}",
        "journaltitle": outlet,
        "date": date_field(source),
        "langid": {"en": "english"}.get(source.get("language") or "", source.get("language") or ""),
        # A URL is verbatim in BibLaTeX: only braces and backslashes could break the entry.
        "url": (source.get("url") or "").replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D"),
        "note": note(source),
    }
    return bib_entry("article", source["id"], fields, verbatim=("date", "url"))


def build(sources: list[dict]) -> str:
    """Entries in id order so the file is byte-stable."""
    return "\n\n".join(entry(s) for s in sorted(sources, key=lambda s: s["id"])) + "\n"


def write(path: Path, text: str) -> None:
    atomic.write_text(path, text)
