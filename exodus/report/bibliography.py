"""Generate _generated/references.json (CSL JSON) from data/sources.csv; unknowns stay absent."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from exodus import atomic, paths
from exodus.context import Context
from exodus.model import tables, wording
from exodus.model.vocabulary import known

# Citeproc reads a few HTML-like tags inside CSL strings as formatting (and ignores
# entities). A word joiner after '<' keeps such text literal and looks unchanged.
_CSL_TAG = re.compile(r"<(?=/?(?:i|b|sc|sup|sub|span)\b)", re.IGNORECASE)


def csl_text(text: str, keep_case: bool = False) -> str:
    """A curated string as CSL rich text that citeproc shows as written."""
    safe = _CSL_TAG.sub("<\u2060", text)
    # nocase stops title-casing: a headline is cited as printed, garbling included.
    return f'<span class="nocase">{safe}</span>' if keep_case else safe


def _date_parts(iso: str) -> dict:
    y, m, d = (int(p) for p in iso.split("-"))
    return {"date-parts": [[y, m, d]]}


def entry(source: dict) -> dict:
    """One CSL item; a field the source does not establish is left out, never guessed."""
    item: dict = {"id": source["id"], "type": "article-newspaper", "title": csl_text(source["title"], True)}
    notes = []
    outlet = known(source.get("outlet_shown"))
    if outlet:
        item["container-title"] = csl_text(outlet, True)
    else:
        notes.append("outlet not shown")
    original = known(source.get("original_outlet"))
    if original and original != outlet:
        how = "as stated in the text" if source.get("original_outlet_basis") == "stated" else "as resolved"
        notes.append(f"originally from {original} ({how})")
    author = known(source.get("author"))
    if author:
        # A byline is kept whole as a literal name: splitting it into given/family
        # names would be a guess for agency credits and multi-part names.
        item["author"] = [{"literal": csl_text(author)}]
    if source.get("published") and source.get("published_basis") in ("stated", "resolved"):
        item["issued"] = _date_parts(source["published"])
    else:
        window = wording.window_text(source.get("published_not_before"), source.get("published_not_after"))
        if window:
            notes.append(f"publication date not stated; {window}")
        else:
            notes.append("publication date unknown")
    if source.get("url"):
        item["URL"] = source["url"]
    if source.get("language"):
        item["language"] = source["language"]
    if notes:
        item["note"] = csl_text("; ".join(notes))
    return item


def build(sources: list[dict]) -> list[dict]:
    """CSL items in id order so the file is byte-stable."""
    return [entry(s) for s in sorted(sources, key=lambda s: s["id"])]


def write(path: Path, items: list[dict]) -> None:
    atomic.write_text(path, json.dumps(items, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def output_path() -> Path:
    return paths.GENERATED / "references.json"


def main() -> int:
    try:
        sources = tables.load("sources")
    except tables.ValidationError as e:
        print(f"bibliography: {e}", file=sys.stderr)
        return 1
    write(output_path(), build(sources))
    print(f"bibliography: wrote {paths.rel(output_path())} ({len(sources)} sources)")
    return 0


def stage(ctx: Context) -> int:
    """Pipeline stage: write this generator's output (its errors are printed with their location)."""
    return main()


if __name__ == "__main__":
    sys.exit(main())
