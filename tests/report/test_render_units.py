"""Unit tests of the render scaffolding: escaping, shortcodes, numbers lint, variables, bibliography."""
from __future__ import annotations

import json
import subprocess
import sys

import pypandoc
import pytest

from exodus.engine import shortcodes
from exodus.model import mdsafe, wording
from exodus.report import lint_numbers, source_view, variables

NASTY = [
    '<script>alert("x")</script> <img src=x onerror=alert(1)>',
    "{{< var claim.kazakhstan_entries >}} {{{< meta title >}}} {{< include /etc/passwd >}}",
    "@fig-flows [@src] @sec-x {#fig-y}",
    "$x^2$ $$y$$ \\(z\\) \\begin{align} \\input{/etc/passwd}",
    '#read("/etc/passwd") #import "@preview/x:0.1.0" #set page(fill: red) // c /* d */',
    "**bold** _u_ `code` ~~s~~ ^sup^ ~sub~ [l](javascript:alert(1)) <http://x.y>",
    "# h", "- l", "1. l", "> q", "| a | b |", ": def", "    indented", "=== ---",
    '"quotes" \'single\' -- --- ... &amp; &lt; \\ trailing\\',
    "RTL مرحبا بالعالم שלום; emoji 🚀🇬🇪👨‍👩‍👧; Кириллица «ёлки»",
    "nul\x00 bell\x07 ctrl",
]


def _plain(markdown: str) -> str:
    """What pandoc reads from markdown, as a plain string of its text."""
    ast = json.loads(pypandoc.convert_text(markdown, "json", format="markdown"))
    out = []

    def walk(node):
        if isinstance(node, dict):
            t = node.get("t")
            if t == "Str":
                out.append(node["c"])
            elif t in ("Space", "SoftBreak", "LineBreak"):
                out.append(" ")
            elif t in ("Code", "RawInline", "Math", "Cite", "Link", "Image", "Emph", "Strong", "Quoted",
                       "Strikeout", "Superscript", "Subscript", "Header", "BulletList", "OrderedList",
                       "BlockQuote", "CodeBlock", "RawBlock", "Table", "DefinitionList", "LineBlock"):
                out.append(f"<<{t}>>")
                walk(node.get("c"))
            else:
                walk(node.get("c"))
        elif isinstance(node, list):
            for n in node:
                walk(n)

    walk(ast["blocks"])
    return "".join(out)


@pytest.mark.parametrize("text", NASTY)
def test_escape_reads_back_as_the_same_plain_text(text):
    # No markup of any kind may come out of escaped text: only Str and spaces.
    assert _plain(mdsafe.escape(text)) == " ".join(mdsafe.clean(text).split())


def test_escape_in_attribute_values_reads_back_literally():
    alt = 'Two "bars" {{< var x >}} @fig-y $z$ \\ end'
    ast = json.loads(pypandoc.convert_text(f'![c](a.png){{#fig-a fig-alt="{mdsafe.escape(alt)}"}}', "json",
                                           format="markdown"))
    assert json.dumps(ast).count(json.dumps(alt)[1:-1]) == 1


def test_url_link_only_for_http():
    assert mdsafe.url_link("https://example.org/a_b?c=1").startswith("[https")
    assert "](" not in mdsafe.url_link("javascript:alert(1)")


def _ctx(tmp_path, variables_=None, meta=None):
    return shortcodes.Context(variables_ or {"claim": {"k": "[nearly 100\\,000](#claim-k){.claim data-claim=\"k\"}"}},
                              meta or {"title": "T", "n": 3}, tmp_path)


def test_var_meta_and_escaped_shortcodes_expand(tmp_path):
    doc = tmp_path / "d.qmd"
    doc.write_text("---\ntitle: x\n---\nA {{< var claim.k >}} B {{< meta title >}} {{< meta n >}} "
                   "C {{{< var claim.k >}}}\n", encoding="utf-8")
    lines = shortcodes.expand(doc, _ctx(tmp_path))
    text = "\n".join(l.text for l in lines)
    assert '[nearly 100\\,000](#claim-k){.claim data-claim="k"}' in text
    assert "B T 3" in text
    assert "C {{< var claim.k >}}" in text
    assert lines[0].number == 4  # front matter lines are counted for messages


def test_include_is_recursive_and_relative(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("inner {{< var claim.k >}}\n", encoding="utf-8")
    (tmp_path / "sub" / "a.md").write_text("{{< include b.md >}}\n", encoding="utf-8")
    doc = tmp_path / "d.qmd"
    doc.write_text("before\n{{< include sub/a.md >}}\nafter\n", encoding="utf-8")
    ctx = _ctx(tmp_path)
    text = "\n".join(l.text for l in shortcodes.expand(doc, ctx))
    assert "inner [nearly" in text and text.index("before") < text.index("inner") < text.index("after")
    assert [p.name for p in ctx.included] == ["a.md", "b.md"]


@pytest.mark.parametrize("line, message", [
    ("x {{< var claim.nope >}}", "unknown variable 'claim.nope'"),
    ("x {{< var claim >}}", "is a group of keys"),
    ("x {{< meta nope >}}", "unknown metadata key 'nope'"),
    ("x {{< video a.mp4 >}}", "unknown shortcode 'video'"),
    ("x {{< include a.md >}}", "include must stand alone"),
    ("{{< include missing.md >}}", "does not exist"),
])
def test_shortcode_errors_name_file_line_and_column(tmp_path, line, message):
    doc = tmp_path / "d.qmd"
    doc.write_text(f"ok\n{line}\n", encoding="utf-8")
    with pytest.raises(shortcodes.ShortcodeError) as err:
        shortcodes.expand(doc, _ctx(tmp_path))
    problem = err.value.problems[0]
    assert message in problem
    col = line.index("{{<") + 1
    assert f"d.qmd:2:{col}:" in problem


def test_include_cycle_is_an_error(tmp_path):
    (tmp_path / "a.md").write_text("{{< include b.md >}}\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("{{< include a.md >}}\n", encoding="utf-8")
    doc = tmp_path / "d.qmd"
    doc.write_text("{{< include a.md >}}\n", encoding="utf-8")
    with pytest.raises(shortcodes.ShortcodeError, match="include cycle"):
        shortcodes.expand(doc, _ctx(tmp_path))


def test_lint_finds_bare_numerals_with_positions():
    text = "---\ntitle: In 2022\n---\n\nAbout 300,000 men, {{< var claim.x >}} and ½ more.\n"
    found = lint_numbers.scan(text, "report.qmd")
    line = text.split("\n")[4]
    assert [(f.line, f.column, f.token) for f in found] == [(5, 7, "300,000"), (5, line.index("½") + 1, "½")]
    assert str(found[0]).startswith("report.qmd:5:7: bare numeral '300,000'")


def test_lint_exemptions():
    text = "\n".join([
        "---", "date: 2022-09-21", "---",
        "<!-- 12 -->", "<!--", "multi 34", "-->",
        "```", "code 56", "```",
        "Inline `78` code, {{< var claim.a1 >}}, {{{< var b2 >}}}, see @fig-x2 and [@src_3].",
        "![Cap](figures/f9.png){#fig-f9 fig-alt=\"9 bars\"} [link](#claim-a1) <https://x.org/9>",
        "Footnote[^1] and ## Heading {#sec-s2}",
    ])
    assert lint_numbers.scan(text, "r.qmd") == []


def test_variables_are_links_with_data_attributes():
    claims = [{"id": "k", "number_text": "100,000", "value": 100000.0, "hedge": "nearly", "unit": "person",
               "source_id": "s"},
              {"id": "g", "number_text": "4,800", "value": 4800.0, "hedge": "about", "unit": "GBP", "source_id": "s"},
              {"id": "r", "number_text": "300,000", "value": 300000.0, "hedge": "exact", "unit": "RUB", "source_id": "s"},
              {"id": "v", "number_text": "Hundreds of thousands", "value": None, "hedge": "vague", "unit": "person",
               "source_id": "t"}]
    events = [{"id": "e", "date": "2022-09-21", "date_precision": "day", "date_text": "Sept. 21", "source_id": "t"}]
    out = variables.build(claims, [], events)
    assert out["claim"]["k"] == '[nearly 100\\,000](#claim-k){.claim data-claim="k" data-evidence="evidence/s.html"}'
    assert out["claim"]["g"].startswith("[about £4\\,800]")
    assert out["claim"]["r"].startswith("[300\\,000 rubles]")
    assert out["claim"]["v"].startswith("[hundreds of thousands]")
    assert out["event"]["e"] == '[21 September 2022](#event-e){.event data-event="e" data-evidence="evidence/t.html"}'
    assert variables.dump(out) == variables.dump(variables.build(claims, [], events))


def test_derived_ratio_below_one_reads_as_percent():
    row = {"value": 0.555556, "low": 0.0, "high": 0.555556, "unit": "ratio", "hedge": "at most"}
    assert wording.derived_text(row) == "at most 55.6%"


def test_source_view_anchors_overlapping_and_multiline_quotes():
    text = "Alpha beta gamma.\nDelta epsilon."
    items = [("claim", {"id": "a", "quote": "beta gamma.\nDelta", "occurrence": None, "source_id": "s"}),
             ("event", {"id": "b", "quote": "beta", "occurrence": None, "source_id": "s"})]
    paras = source_view.text_markdown(text, source_view.marks_for(text, items))
    # Each piece names every quote it belongs to: a landing on either marks it, and "gamma." only claim a's.
    assert paras[0].startswith('Alpha []{#src-claim-a}[]{#src-event-b}[beta]{.hl .hl-claim .hl-event '
                               'data-q="src-claim-a src-event-b"}')
    assert '[gamma\\.]{.hl .hl-claim data-q="src-claim-a"}' in paras[0]
    assert '[Delta]{.hl .hl-claim data-q="src-claim-a"} [claim a](#claim-a){.src-tag}' in paras[1]
    with pytest.raises(source_view.QuoteNotFound):
        source_view.marks_for(text, [("claim", {"id": "c", "quote": "zeta", "occurrence": None, "source_id": "s"})])


def test_lint_cli_reports_and_fails(tmp_path):
    report = tmp_path / "report.qmd"
    report.write_text("# Title\n\nIn 2022 many left.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "exodus.report.lint_numbers", str(report)], capture_output=True, text=True,
                          cwd=lint_numbers.paths.ROOT)
    assert done.returncode == 1 and "report.qmd:3:4: bare numeral '2022'" in done.stderr


@pytest.mark.parametrize("text", NASTY)
def test_readme_prose_carries_no_link_html_math_or_citation(text):
    read = _plain(mdsafe.prose(text))
    assert not [t for t in ("RawInline", "RawBlock", "Link", "Image", "Math", "Cite", "Code", "List", "Header")
                if f"<<{t}" in read or f"{t}>>" in read], read


def test_a_passage_of_derived_counts_is_marked_once_not_per_figure():
    import pypandoc

    from tests.render_kit import REPO
    lua = str(REPO / "exodus" / "report" / "filters" / "typst_literal.lua")
    text = ("::: {.derived-together}\nCounts [derived]{.derived-label}: [5](#derived-a){.derived} and "
            "[6](#derived-b){.derived}.\n:::\n\nElsewhere [7](#derived-c){.derived}.\n")
    typ = pypandoc.convert_text(text, "typst", format="markdown", extra_args=["--lua-filter", lua])
    assert typ.count("#derivedmark()") == 1 and typ.count("#derivedlabel[") == 1  # c marked, a and b share the label
    css = (REPO / "assets" / "report.css").read_text(encoding="utf-8")
    assert ".derived-together a.derived::after { content: none; }" in css


def test_the_variables_file_is_the_text_safe_dump_writes():
    import yaml

    from exodus.report import variables
    from tests.conftest import REPO
    built = yaml.safe_load((REPO / "_variables.yml").read_text(encoding="utf-8"))
    built["claim"]["odd"] = "It's: \"quoted\" — 'yes' — no\\, 1,000 # not a comment\n\nSecond paragraph"
    assert variables.dump(built) == variables.HEADER + yaml.safe_dump(built, sort_keys=True, allow_unicode=True,
                                                                      width=10_000)
