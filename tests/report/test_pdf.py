"""The short PDF as a reader gets it: page count, front page, wording for print, citations, PDF/UA-1."""
from __future__ import annotations

import re
import subprocess

import pytest
import yaml

from tests.conftest import copy_built
from tests.render_kit import REPO, require, require_module, run_render

MAX_PAGES = 20

@pytest.fixture(scope="module")
def built(built_report, tmp_path_factory):
    """The real report rendered to PDF again in a copy of the built project, keeping the typst source."""
    require("pdftotext")
    root = copy_built(built_report, tmp_path_factory.mktemp("pdf") / "report")
    (root / ".venv").symlink_to(REPO / ".venv", target_is_directory=True)  # the pre-render hands over to it
    conf = yaml.safe_load((root / "_quarto.yml").read_text(encoding="utf-8"))
    conf["format"]["typst"]["keep-typ"] = True
    (root / "_quarto.yml").write_text(yaml.safe_dump(conf, sort_keys=False), encoding="utf-8")
    done = run_render(root, "--pdf-only")
    assert done.returncode == 0, done.stderr[-3000:]
    return root / "_output"


def _pages(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def test_short_pdf_front_page_and_print_wording(built):
    pages = _pages(built / "report.pdf")
    assert 1 <= len(pages) <= MAX_PAGES, f"{len(pages)} pages"
    front = " ".join(pages[0].split())
    version = (REPO / "VERSION").read_text(encoding="utf-8").strip()
    assert "Reported figures on the exodus" in front
    assert f"Version {version}, released" in front
    assert "Bottom line." in front and "Main caveats." in front
    assert "outlet is unknown" in front
    everything = " ".join(" ".join(pages).split())
    assert not re.search(r"\bhover", everything, re.I), "print text speaks of hovering"
    # each line names its entry; with no published address it says so instead of a relative link
    assert "Cite as:" in everything and "entry “claim-" in everything and "report.html#claim-" not in everything
    assert "derived" in everything


def _compile_ua(typ, root, source=None):
    typst = require_module("typst")
    if source is not None:
        typ = typ.with_name("ua-" + typ.name)
        typ.write_text(source, encoding="utf-8")
    typst.compile(str(typ), output=str(typ.with_suffix(".ua.pdf")), root=str(root), pdf_standards=["ua-1"])


def test_pdf_passes_typst_pdf_ua_1(built):
    """Every chart carries its alt text into the PDF, so typst's PDF/UA-1 check passes on the report as built."""
    typ = built / "report.typ"
    images = re.findall(r"image\(([^)]*)\)", typ.read_text(encoding="utf-8"))
    assert images and all("alt:" in i for i in images)
    _compile_ua(typ, built.parent)


def test_everything_but_chart_alt_text_passes_pdf_ua_1(built):
    """Title, language, headings, links, tables: UA-1 passes once each chart has its alt text."""
    source = (built / "report.typ").read_text(encoding="utf-8")
    with_alt = re.sub(r'image\(("[^"]*")\)', r'image(\1, alt: "chart")', source)
    _compile_ua(built / "report.typ", built.parent, with_alt)


def test_no_chart_text_in_the_pdf_is_under_7_pt(built):
    """pdftotext's word boxes from typst are as tall as the type's size: the smallest is chart text scaled
    to the column (charts drawn at 8.5 pt printed at 6.8 pt and, on pages typst shrank them to, 4.3 pt)."""
    from exodus.charts import theme as chart_theme
    out = subprocess.run(["pdftotext", "-bbox", str(built / "report.pdf"), "-"], capture_output=True, text=True,
                         check=True).stdout
    heights = [float(b) - float(a) for a, b in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', out)]
    assert len(heights) > 1000
    assert min(heights) >= chart_theme.MIN_PRINT_PT, sorted(heights)[:5]
