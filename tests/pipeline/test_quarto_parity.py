"""What the engine writes follows Quarto's conventions, point by point, so `quarto render` gives the same page."""
from __future__ import annotations

import re

import yaml

from exodus.engine import project
from exodus.report import evidence
from tests.conftest import REPO


def _rules(css: str, selector: str) -> list[str]:
    """The declaration blocks of every rule whose selector list names exactly `selector`."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [body for sels, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)
            if selector in [s.strip() for s in sels.split(",")]]


def test_no_width_on_body_that_would_fight_quartos_page_grid():
    css = (REPO / "assets" / "report.css").read_text(encoding="utf-8")
    assert all("width" not in body for body in _rules(css, "body")), "body takes no width: Quarto lays out its grid"
    # The engine's own column is set on children of body, which Quarto's page nests inside its grid.
    assert any("max-width" in body for body in _rules(css, "body > main"))


def test_the_engine_wraps_the_content_in_quartos_main_landmark():
    lua = (REPO / "exodus" / "engine" / "filters" / "landmark.lua").read_text(encoding="utf-8")
    assert '<main id="quarto-document-content" class="content">' in lua


def test_every_evidence_page_is_a_document_quarto_renders_to_html_only():
    config = yaml.safe_load((REPO / "_quarto.yml").read_text(encoding="utf-8"))
    assert "evidence/*.qmd" in config["project"]["render"]
    pages = sorted((REPO / "evidence").glob("*.qmd"))
    assert len(pages) >= 3
    for page in pages:
        front = yaml.safe_load(page.read_text(encoding="utf-8").split("---\n")[1])
        assert front["format"] == "html", page.name  # Quarto: a document's formats replace the project's
    proj = project.load(REPO)
    assert [r for r in proj.render if r.startswith("evidence/")] == [f"evidence/{p.name}" for p in pages]
    meta = {"format": "html"}
    assert project.document_formats(proj, meta)[0] == ["html"]
    assert project.document_formats(proj, {})[0] == list(proj.formats)


def test_used_in_labels_name_sections_as_written_never_their_numbers():
    report = (REPO / "report.qmd").read_text(encoding="utf-8")
    headings = {m.group(1).strip() for m in re.finditer(r"^#{1,6} (.*?)(?:\s*\{[^}]*\})?\s*$", report, re.M)}
    labels = set()
    for page in (REPO / "evidence").glob("*.qmd"):
        labels |= set(re.findall(r"\[([^\[\]]+)\]\(\.\./report\.html#use-", page.read_text(encoding="utf-8")))
    assert labels
    bare = {re.sub(r" \(\d+\)$", "", label).replace("\\", "") for label in labels}
    assert bare <= headings | {"Opening"}, bare - headings
    assert not any(re.match(r"\d", label) for label in labels)


def test_uses_are_numbered_as_the_filter_numbers_them_and_typst_only_text_is_skipped():
    text = ("# One {#sec-one}\n\n{{< var claim.a >}} and {{< var claim.a >}}.\n\n"
            "::: {.content-visible when-format=\"typst\"}\n{{< var claim.a >}}\n:::\n\n"
            "[PDF only {{< var claim.a >}}]{.content-visible when-format=\"typst\"}\n\n# Two\n\n{{< var claim.a >}}\n")
    found = evidence.uses(text).by_figure["claim-a"]
    assert [(u.id, u.label) for u in found] == [("use-claim-a-1", "One"), ("use-claim-a-2", "One (2)"),
                                                 ("use-claim-a-3", "Two")]


def test_typst_under_quarto_reads_the_fonts_the_prerender_copies():
    """Quarto's typst searches system fonts unless the format names font-paths: _quarto.yml names the
    folder the fonts stage writes, Quarto's pre-render writes it, and git ignores it."""
    from exodus.pipeline import stages
    from exodus.report import fonts
    typst_format = yaml.safe_load((REPO / "_quarto.yml").read_text(encoding="utf-8"))["format"]["typst"]
    assert typst_format.get("font-paths") == [fonts.FOLDER]
    assert "fonts" in stages.targets()["prerender"]
    assert all(o.startswith(fonts.FOLDER + "/") for o in stages.by_name()["fonts"].outputs)
    assert f"/{fonts.FOLDER}/" in (REPO / ".gitignore").read_text(encoding="utf-8").split()
