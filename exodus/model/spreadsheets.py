"""How a download's CSV columns of written words open in a spreadsheet as written: which, and the advice."""
from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

WORDS_FILE = Path(__file__).with_name("spreadsheets.yml")
TEXT = 2  # LibreOffice's column type code for Text in its CSV import options


@functools.cache
def words() -> dict:
    data = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in ("heading", "advice")) \
            or not isinstance(data.get("as_text"), list):
        raise ValueError(f"exodus/model/{WORDS_FILE.name}: expected as_text (patterns), heading and advice")
    return data


def text_columns(header: list[str]) -> list[str]:
    """The columns of a CSV header that hold an article's own words, in header order."""
    patterns = [re.compile(p) for p in words()["as_text"]]
    return [c for c in header if any(p.fullmatch(c) for p in patterns)]


def advice(headers: dict[str, list[str]]) -> list[str]:
    """Markdown lines for a README: the heading and how to keep the wording columns of these files (name ->
    CSV header) as text; none when no file has such a column."""
    found = {name: text_columns(header) for name, header in headers.items()}
    found = {name: cols for name, cols in found.items() if cols}
    if not found:
        return []
    columns = sorted({c for cols in found.values() for c in cols})
    text = words()["advice"].format(columns=", ".join(f"`{c}`" for c in columns),
                                    files=", ".join(f"`{n}`" for n in sorted(found)))
    return [f"## {words()['heading']}", "", " ".join(text.split()), ""]


def calc_import(header: list[str]) -> str:
    """LibreOffice's CSV import options (UTF-8, comma, double quote) with the wording columns as Text: what
    the README tells a reader to choose in the Text Import window, as the command line gives it."""
    formats = "/".join(f"{header.index(c) + 1}/{TEXT}" for c in text_columns(header))
    return f"44,34,76,1,{formats}"
