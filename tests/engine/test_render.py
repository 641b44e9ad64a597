"""End-to-end tests of the embedded engine on tests/fixtures/render: outputs, failures, injection, determinism."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.render_kit import make_project, pdf_text, run_render

INJECTION = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=2">',
    "{{< var claim.kazakhstan_entries >}}",
    "{{< include /etc/passwd >}}",
    "@fig-flows [@src_plain]",
    "$x^2$ \\(y\\)",
    '#read("/etc/passwd")',
    '#import "@preview/evil:0.1.0"',
    "\\input{/etc/passwd}",
    "<!-- hidden -->",
    "**bold** _under_ `code`",
    "[link](javascript:alert(1))",
    "... -- end",
    "# not a heading",
    "- not a list",
    "1. not a list either",
    "Кириллица «ёлки»",
    "🚀🇬🇪",
]
BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


class _Doc(HTMLParser):
    """Element census of an HTML file: scripts, event-handler attributes, images, text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts, self.handlers, self.images, self.hrefs, self.text = [], [], [], [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.handlers += [k for k in a if k.startswith("on")]
        if tag == "script":
            self._in_script = True
            self.scripts.append("")
        if tag == "img":
            self.images.append(a)
        if tag == "a":
            self.hrefs.append(a.get("href") or "")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("render"))
    done = run_render(root)
    assert done.returncode == 0, done.stderr
    return root


def test_outputs_written(rendered):
    out = rendered / "_output"
    assert (out / "report.html").stat().st_size > 10_000
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")
    assert not list((rendered / "build").glob("render-scratch-*")), "scratch folders must be cleaned up"


def _pages(rendered: Path) -> list[Path]:
    out = rendered / "_output"
    return [out / "report.html", *sorted((out / "evidence").glob("*.html"))]


SCRIPTS = ("Figure tooltips", "Source view: the quote a link lands on", "The evidence index filter")


def test_html_shows_injection_literally_and_runs_none_of_it(rendered):
    pages = _pages(rendered)
    assert len(pages) > 2  # the report, a page per source, derived figures and the index
    text = ""
    for page in pages:
        doc = _Doc()
        doc.feed(page.read_text(encoding="utf-8"))
        text += " " + " ".join("".join(doc.text).split())
        # The only scripts are the project's own; no handler attributes; the only image is the figure.
        assert all(any(name in script for name in SCRIPTS) for script in doc.scripts), page.name
        assert doc.handlers == []
        assert len(doc.images) == (1 if page.name == "report.html" else 0)
        assert all(i["src"].startswith("data:image/png;base64,") for i in doc.images)
        assert not any(h.lower().startswith("javascript:") for h in doc.hrefs)
    for s in INJECTION:
        assert s in text, s
    assert "مرحبا بالعالم" in text


def test_html_resolves_shortcodes_crossrefs_and_citations(rendered):
    # Pandoc wraps lines anywhere; compare with runs of white space collapsed.
    html = re.sub(r"[ \t\n]+", " ", (rendered / "_output" / "report.html").read_text(encoding="utf-8"))
    # A figure links to its entry on its source's evidence page.
    assert ('<a href="evidence/src_inject.html#claim-kazakhstan_entries" class="claim" '
            'data-claim="kazakhstan_entries">nearly 100,000</a>') in html
    assert 'data-event="announced">21 September 2022</a>' in html
    assert '<a href="#fig-flows" class="xref">Figure\u00a01</a>' in html
    assert '<a href="#sec-appendix-claims" class="xref">Section\u00a02.1</a>' in html
    assert "Figure\u00a01: " in html  # numbered caption
    assert 'id="ref-src_inject"' in html  # bibliography entry from _generated/references.bib
    assert "The title is “Fixture report”" in html  # meta shortcode
    assert "{{&lt; var claim.not_a_variable &gt;}}" in html  # escaped shortcode shown as written
    # The entry links back to every use in the text, by the section's name (never its number).
    entry = re.sub(r"[ \t\n]+", " ", (rendered / "_output" / "evidence" / "src_inject.html").read_text(encoding="utf-8"))
    assert re.search(r'id="claim-kazakhstan_entries".*?<a href="../report.html#use-claim-kazakhstan_entries-1" '
                     r'class="backlink">Key figures</a>', entry, re.S)
    assert 'id="use-claim-kazakhstan_entries-1"' in html


# What the PDF's table of figures quotes of the hostile claim: shown as written, never run.
PDF_INJECTION = ["{{< include /etc/passwd >}}", "@fig-flows [@src_plain]", "$x^2$ \\(y\\)", '#read("/etc/passwd")',
                 '#import "@preview/evil:0.1.0"', "<!-- hidden -->", "**bold** _under_ `code`",
                 "[link](javascript:alert(1))", "... -- end", "#set page(fill: red)"]


def test_pdf_shows_injection_literally(rendered):
    text = pdf_text(rendered / "_output" / "report.pdf").translate(BIDI_MARKS)
    flat = "".join(text.split())  # typst breaks lines inside long strings; pdftotext shows a break as a space
    for s in PDF_INJECTION:
        assert "".join(s.split()) in flat, s
    assert "root:x:0:0" not in text  # #read("/etc/passwd") was never evaluated


def test_pdf_claim_links_target_the_table_of_figures(rendered):
    typ = (rendered / "_output" / "report.typ").read_text(encoding="utf-8")
    html = (rendered / "_output" / "report.html").read_text(encoding="utf-8")
    uses = set(re.findall(r'data-claim="([a-z0-9_]+)"', html))
    assert uses
    for key in uses:
        assert f"#link(<claim-{key}>)" in typ
        assert f"#metadata(none)<claim-{key}>" in typ, f"table of figures label for {key}"
    pdf = (rendered / "_output" / "report.pdf").read_bytes()
    assert pdf.count(b"/Subtype/Link") >= len(uses)


def test_same_inputs_give_identical_bytes(rendered, tmp_path):
    other = make_project(tmp_path)
    done = run_render(other)
    assert done.returncode == 0, done.stderr
    for name in ("report.html", "report.pdf"):
        assert (other / "_output" / name).read_bytes() == (rendered / "_output" / name).read_bytes(), name


def _break(root: Path, line: str) -> int:
    """Append a line to the fixture report; returns its line number."""
    report = root / "report.qmd"
    text = report.read_text(encoding="utf-8").replace("\n# Appendices", f"\n{line}\n\n# Appendices", 1)
    report.write_text(text, encoding="utf-8")
    return text.split("\n").index(line) + 1


@pytest.mark.parametrize("line, expected", [
    ("Unknown {{< var claim.no_such_claim >}} here.", r"report\.qmd:{n}:9: unknown variable 'claim\.no_such_claim'"),
    ("Unknown {{< tweet 123 >}} here.", r"report\.qmd:{n}:9: unknown shortcode 'tweet'"),
    ("{{< include build/_nope.md >}}", r"report\.qmd:{n}:1: include file build/_nope\.md does not exist"),
    ("See @fig-nope for more.", r"report\.qmd:{n}:5: crossref: unknown cross-reference @fig-nope"),
    ("See @sec-nope for more.", r"report\.qmd:{n}:5: crossref: unknown cross-reference @sec-nope"),
    ("As reported [@nobody].", r"report\.qmd:{n}:14: crossref: unknown citation key @nobody"),
])
def test_failures_name_the_place_and_keep_last_good_outputs(tmp_path, line, expected):
    root = make_project(tmp_path)
    assert run_render(root, "--html-only").returncode == 0
    before = (root / "_output" / "report.html").read_bytes()
    n = _break(root, line)
    done = run_render(root, "--html-only", "--no-pre-render")
    assert done.returncode == 1
    assert re.search(expected.format(n=n), done.stderr), done.stderr
    assert "previous outputs left untouched" in done.stderr
    assert (root / "_output" / "report.html").read_bytes() == before


def test_pdf_only_and_html_only(tmp_path):
    root = make_project(tmp_path)
    assert run_render(root, "--pdf-only").returncode == 0
    assert (root / "_output" / "report.pdf").exists() and not (root / "_output" / "report.html").exists()
    assert run_render(root, "--html-only", "--no-pre-render").returncode == 0
    assert (root / "_output" / "report.html").exists()


def test_unknown_format_option_is_a_config_error(tmp_path):
    root = make_project(tmp_path)
    cfg = root / "_quarto.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("    toc-depth: 2\n", "    toc-depth: 2\n    code-fold: true\n", 1),
                   encoding="utf-8")
    done = run_render(root, "--html-only")
    assert done.returncode == 1 and "unsupported option(s) ['code-fold']" in done.stderr


def test_an_html_csl_reaches_citeproc_as_quarto_hands_it(tmp_path):
    from exodus.engine import project
    (tmp_path / "s.csl").write_text("<style/>", encoding="utf-8")
    (tmp_path / "_quarto.yml").write_text("format:\n  html:\n    csl: s.csl\n  typst: {}\n", encoding="utf-8")
    proj = project.load(tmp_path)
    args, _ = project.pandoc_args(proj, "html", {})
    assert args[args.index("--csl") + 1] == str(tmp_path / "s.csl")
    assert "--csl" not in project.pandoc_args(proj, "typst", {})[0]
    (tmp_path / "_quarto.yml").write_text("format:\n  html:\n    csl: missing.csl\n", encoding="utf-8")
    with pytest.raises(project.ConfigError, match="csl file 'missing.csl' does not exist"):
        project.pandoc_args(project.load(tmp_path), "html", {})
