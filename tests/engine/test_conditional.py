"""Quarto's content-visible / content-hidden with when-format / unless-format, in the engine."""
from __future__ import annotations

import pypandoc

from exodus.engine import render

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
