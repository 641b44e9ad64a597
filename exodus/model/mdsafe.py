"""Escaping of untrusted text into Pandoc/Quarto markdown that renders literally."""
from __future__ import annotations

import html
import re

from exodus.model.vocabulary import ID_PATTERN

# Every ASCII punctuation character is escapable in Pandoc markdown; escaping all of
# them defeats markup, raw HTML, math, citations (@), shortcodes ({{<), smart
# punctuation (-- ...) and list/heading markers in one rule, with no parser guesswork.
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
_BACKSLASHED = {c: "\\" + chr(c) for c in range(0x80) if _PUNCT.fullmatch(chr(c))}  # _PUNCT's, as a table
# C0/C1 controls cannot be shown; their Unicode "control pictures" can, so a stray
# byte stays visible instead of vanishing or confusing a writer.
_CONTROLS = {c: chr(0x2400 + c) for c in range(0x20) if c not in (0x09, 0x0A)}
_CONTROLS[0x7F] = "\u2421"
_CONTROLS.update({c: "\ufffd" for c in range(0x80, 0xA0)})
# Line/paragraph separators would break lines in some writers but not others.
_CONTROLS.update({0x2028: " ", 0x2029: " ", 0x09: " "})
# Invisible format characters: bidi embeddings, overrides, isolates and marks (which can show
# "nearly 100,000" reversed, also in a copied citation), zero-width spaces, word joiners, invisible
# operators and byte-order marks. Each is shown by its code point, e.g. ⟨U+202E⟩; the article
# texts keep their bytes. The joiners U+200C/U+200D stay: scripts and emoji need them.
INVISIBLE = (0x061C, 0x180E, 0x200B, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2060, 0x2065),
             *range(0x2066, 0x2070), 0xFEFF, *range(0xFFF9, 0xFFFC))
_CONTROLS.update({c: f"\u27e8U+{c:04X}\u27e9" for c in INVISIBLE})
_ID = ID_PATTERN
# Most text holds none of them: one search in C decides, and only the rest is translated.
_SHOWN_OTHERWISE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_CONTROLS)) + "]")
_ESCAPED = frozenset(map(chr, _BACKSLASHED))
# For Markdown that people also read as plain text (a download's README): only the characters that can
# open markup, a link, an autolink, raw HTML or an entity are escaped, so ordinary punctuation stays bare.
_MARKUP = re.compile(r"([\\`*_\[\]<>&!{}|~^$#@])")
_LINE_OPENER = re.compile(r"^(\d+)?(?(1)[.)]|[-+=:])")


def clean(text: str) -> str:
    """Text with control and invisible format characters made visible and odd line separators made spaces."""
    text = str(text)
    return text.translate(_CONTROLS) if _SHOWN_OTHERWISE.search(text) else text


def _backslashed(text: str) -> str:
    """Every ASCII punctuation character backslashed: the text through _BACKSLASHED, one replace per character
    present (a third faster than translating through a table: the appendix escapes every field of every row)."""
    present = set(_ESCAPED.intersection(text))
    if "\\" in present:  # first: the backslashes the others add are not escaped again
        text = text.replace("\\", "\\\\")
        present.discard("\\")
    for c in present:
        text = text.replace(c, "\\" + c)
    return text


def escape(text: str) -> str:
    """One line of literal text as inline markdown (newlines become spaces)."""
    flat = " ".join(clean(text).split("\n"))
    # Leading/trailing blanks would mean indentation or hard breaks to the parser.
    return _backslashed(flat.strip())


def prose(text: str) -> str:
    """One line of text for a README: no markup, link or HTML can come out of it, yet it reads as written."""
    line = _MARKUP.sub(r"\\\1", " ".join(clean(text).split()))
    # Nor may the line open a list, a block quote or a heading underline.
    opener = _LINE_OPENER.match(line)
    digits = (opener[1] or "") if opener else ""
    return f"{digits}\\{line[len(digits):]}" if opener else line


def escape_keep_spaces(text: str) -> str:
    """Like escape() but keeps the text's own spaces (for pieces cut out of a line)."""
    return _backslashed(clean(text).replace("\n", " "))


def html_text(text: str, attribute: bool = False) -> str:
    """One line of literal text inside a raw HTML block: markup characters as entities (quotes too, in an
    attribute's value), and the braces, so no text makes a shortcode ({{<) before pandoc reads the block."""
    flat = " ".join(clean(text).split("\n")).strip()
    return html.escape(flat, quote=attribute).replace("{", "&#123;").replace("}", "&#125;")


def literal(text: str, cls: str = "") -> str:
    """Literal text as a span the typst filter renders as a string, never as markup."""
    if text is None or str(text).strip() == "":
        return ""
    classes = " ".join(f".{c}" for c in ("literal", *cls.split()) if c)
    return f"[{escape(text)}]{{{classes} dir=\"auto\"}}"


def paragraphs(text: str) -> list[str]:
    """Each non-blank line of a text as one escaped markdown paragraph."""
    return [escape(line) for line in clean(text).split("\n") if line.strip()]


def ident(value: str) -> str:
    """An id checked against the data package id pattern, safe inside {#...} and links."""
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise ValueError(f"not a safe identifier: {value!r}")
    return value


def url_link(url: str) -> str:
    """An http(s) URL as a link showing the URL itself; anything else as plain text."""
    if not url:
        return ""
    url = clean(url).strip()
    if re.fullmatch(r"https?://[^\s<>\"'`{}|\\^]+", url):
        # Angle-bracket destinations take the URL as is; only the shown text needs escaping.
        return f"[{escape(url)}](<{url}>){{.literal .url}}"
    return literal(url)
