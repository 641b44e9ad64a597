"""Quarto's content-visible / content-hidden with when-format / unless-format, in the engine."""
from __future__ import annotations

import re

import pypandoc

from exodus.engine import conditional, render

FILTER = str(render.FILTERS / "conditional.lua")
DOC = """::: {.content-visible when-format="html"}
only-html
:::

::: {.content-visible when-format="typst"}
only-typst
:::

::: {.content-hidden when-format="html"}
not-html
:::

::: {.content-visible unless-format="html"}
unless-html
:::

::: {.content-hidden unless-format="typst"}
hidden-unless-typst
:::

Inline [span-html]{.content-visible when-format="html"}[span-pdf]{.content-visible when-format="pdf"} end.

::: {.other}
always
:::
"""


def _words(to: str) -> set[str]:
    out = pypandoc.convert_text(DOC, to, format="markdown", extra_args=["--lua-filter", FILTER])
    return {w for w in ("only-html", "only-typst", "not-html", "unless-html", "hidden-unless-typst",
                        "span-html", "span-pdf", "always") if w in out}


def test_html_keeps_html_content_only():
    assert _words("html") == {"only-html", "span-html", "always"}


def test_typst_keeps_typst_and_pdf_content_only():
    assert _words("typst") == {"only-typst", "not-html", "unless-html", "hidden-unless-typst", "span-pdf",
                               "always"}


def test_registered_as_an_engine_filter():
    assert "conditional.lua" in render.ENGINE_FILTERS
    assert render.ENGINE_FILTERS.index("conditional.lua") < render.ENGINE_FILTERS.index("crossref.lua")


# Every combination the filter decides, top-level, with comma and space separated names and both aliases.
COMBOS = [f'::: {{.{cls} {attr}="{names}"}}\n{cls}-{attr}-{i}\n:::\n'
          for cls in ("content-visible", "content-hidden") for attr in ("when-format", "unless-format")
          for i, names in enumerate(("html", "typst", "pdf", "html5, pdf", "docx"))]
COMBOS.append('::: {.content-visible when-format="html" unless-format="html"}\nboth\n:::\n')
COMBOS.append('::: {.content-hidden}\nbare-hidden\n:::\n')


def test_pruning_before_pandoc_drops_exactly_what_the_filter_drops():
    doc = pypandoc.convert_text("\n".join(COMBOS) + "\n" + DOC, "json", format="markdown")
    for fmt, to in (("html", "html"), ("typst", "typst")):
        pruned = conditional.prune(doc, fmt)
        assert len(pruned) < len(doc)  # each format drops some top-level divs here
        whole = pypandoc.convert_text(doc, to, format="json", extra_args=["--lua-filter", FILTER])
        assert pypandoc.convert_text(pruned, to, format="json", extra_args=["--lua-filter", FILTER]) == whole
        # ... and nothing less: every top-level div left in is one the filter keeps.
        left = set(re.findall(r"content-\w+-\w+-format-\d|both|bare-hidden", pruned))
        assert left == set(re.findall(r"content-\w+-\w+-format-\d|both|bare-hidden", whole)), fmt


def test_a_document_is_written_the_same_way_whether_or_not_anything_was_dropped():
    plain = pypandoc.convert_text("Just text.\n", "json", format="markdown")
    with_div = pypandoc.convert_text('Just text.\n\n::: {.content-visible when-format="html"}\nx\n:::\n', "json",
                                     format="markdown")
    assert conditional.prune(with_div, "typst") == conditional.prune(plain, "typst")


SPLIT = """# Evidence

::: {.content-visible when-format="html"}
## Entry one

::: {#claim-a .entry}
First entry.
:::

## Entry two

Second entry.
:::

::: {.content-visible when-format="typst"}
## Table of figures

A short form.
:::

Closing words.
"""


def test_the_chunked_reading_leaves_out_what_a_whole_reading_pruned_leaves_out(tmp_path):
    import json

    from exodus.engine import parse
    text = "\n".join(COMBOS) + "\n" + SPLIT + "\n" + DOC
    reader = parse.Reader(render.pandoc_path(), "", tmp_path / "cache")
    whole = pypandoc.convert_text(text, "json", format="markdown")
    for fmt in ("html", "typst"):
        stats = {}
        chunked = parse.read(text, reader, stats, fmt=fmt)
        assert stats["chunks"] > 10  # split into chunks, the evidence div among them
        assert json.loads(chunked) == json.loads(conditional.prune(whole, fmt))
