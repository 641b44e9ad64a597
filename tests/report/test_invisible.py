"""Invisible format characters in an article (bidi overrides, isolates, marks, zero-width spaces) are shown
by their code point wherever the report quotes or cites it, so no figure can display reversed; the
article text keeps its bytes."""
from __future__ import annotations

import csv
import re

import pytest

from exodus.model import mdsafe
from exodus.report import appendix, cite
from tests.render_kit import FIXTURE as RENDER

FIXTURE = RENDER / "data"

CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u200b\u2060\ufeff"
SENTENCE = "Many have fled to Kazakhstan, whose ministry said nearly 100,000 Russians had entered the country."
TAMPERED = ("Many have fled to Kazakhstan,\u200b whose ministry said \u2067nearly 100,000\u2069 Russians had "
            "\u202eentered the country\u202c.\u200f")


@pytest.mark.parametrize("char", CONTROLS)
def test_every_invisible_control_is_shown_by_its_code_point(char):
    shown = mdsafe.literal(f"nearly {char}100,000")
    assert char not in shown and f"⟨U\\+{ord(char):04X}⟩" in shown


def test_joiners_that_scripts_and_emoji_need_are_kept():
    assert mdsafe.clean("👨\u200d👩\u200d👧 می\u200cخواهم") == "👨\u200d👩\u200d👧 می\u200cخواهم"


def claim(quote: str) -> dict:
    """A claim row of the fixture's first claim, its quote replaced."""
    with (FIXTURE / "claims.csv").open(encoding="utf-8", newline="") as fh:
        row = next(csv.DictReader(fh))
    return {**row, "quote": quote, "value": 100000.0, "high": 100000.0, "low": None}


@pytest.fixture(scope="module")
def entry_html():
    """The claim's appendix entry (quote, cite line) as pandoc writes it into the report's HTML."""
    import pypandoc

    c = claim(TAMPERED)
    source = {"id": c["source_id"], "outlet_shown": "The Gazette", "original_outlet": "unknown", "title": "Border"}
    markdown = appendix.claim_entry(c, {c["source_id"]: source}, {}, set(), cite.edition({"title": "Report"}, "1.0"))
    return pypandoc.convert_text(markdown, "html", format="markdown")


def test_the_quote_shows_the_controls_in_the_html(entry_html):
    assert not [hex(ord(c)) for c in set(entry_html) & set(CONTROLS)]
    text = " ".join(entry_html.split())
    assert "⟨U+202E⟩entered the country⟨U+202C⟩" in text and "Kazakhstan,⟨U+200B⟩ whose" in text


def test_the_cite_line_the_copy_button_copies_shows_them(entry_html):
    line = re.search(r'<span class="[^"]*cite-line[^"]*"[^>]*>(.*?)</span>', entry_html, re.S).group(1)
    line = " ".join(line.split())
    assert line.startswith("Cite as:") and "⟨U+2067⟩nearly 100,000⟨U+2069⟩" in line


def test_the_article_text_keeps_its_bytes():
    """Only what is shown changes: the stored source and the quote in the table stay byte for byte."""
    c = claim(TAMPERED)
    appendix.claim_entry(c, {}, {}, set(), cite.edition({"title": "Report"}, "1.0"))
    assert c["quote"] == TAMPERED and "\u202e" in c["quote"]


def test_escaping_by_table_gives_what_the_punctuation_pattern_gave():
    import random
    import re

    from exodus.model import mdsafe
    punct = re.compile(r"([!-/:-@\[-`{-~])")
    rng = random.Random(7)
    alphabet = [chr(c) for c in range(0xA0)] + list("—‘’“”\u202e\u2028\u2029\u200b\ufeff\ufffbé") + [" "] * 20
    for _ in range(5_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert mdsafe.escape(text) == punct.sub(r"\\\1", " ".join(mdsafe.clean(text).split("\n")).strip())
        assert mdsafe.escape_keep_spaces(text) == punct.sub(r"\\\1", mdsafe.clean(text).replace("\n", " "))
        assert mdsafe.clean(text) == str(text).translate(mdsafe._CONTROLS)
