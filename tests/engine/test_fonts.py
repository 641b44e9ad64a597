"""The PDF depends on no system font: typst sees only the fonts that ship inside the pinned packages."""
import os
import shutil
import subprocess

import pytest

from exodus import paths
from tests.render_kit import REPO, make_project, require, run_render

# Families typst embeds itself (Libertinus, New Computer Modern, DejaVu Sans Mono) and matplotlib ships.
BUNDLED = ("LibertinusSerif", "LibertinusMath", "NewCM", "DejaVu", "STIX", "LastResort", "cm")


def render(root, *args):
    result = run_render(root, "--pdf-only", *args)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def twice(tmp_path_factory):
    first = make_project(tmp_path_factory.mktemp("fonts_a"))
    second = make_project(tmp_path_factory.mktemp("fonts_b"))
    return first, render(first), second, render(second)


def test_render_prints_no_font_warning(twice):
    _, first, _, second = twice
    for result in (first, second):
        assert "warning" not in result.stderr.lower(), result.stderr
        assert "font" not in result.stderr.lower(), result.stderr


def test_two_renders_give_identical_pdf_bytes(twice):
    a, _, b, _ = twice
    assert (a / "_output" / "report.pdf").read_bytes() == (b / "_output" / "report.pdf").read_bytes()


def test_pdf_embeds_only_bundled_fonts(twice):
    exe = require("pdffonts")
    a, _, _, _ = twice
    out = subprocess.run([exe, str(a / "_output" / "report.pdf")], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0].split("+", 1)[-1] for line in out.splitlines()[2:] if line.strip()]
    assert names and all(n.startswith(BUNDLED) for n in names), names
    assert not [n for n in names if "Noto" in n]


def test_a_font_only_the_system_has_is_never_used(tmp_path):
    """Asking for Noto Serif, which this machine may well have installed, finds nothing: system fonts are ignored."""
    root = make_project(tmp_path)
    (root / "assets").unlink()
    shutil.copytree(REPO / "assets", root / "assets")
    header = root / "assets" / "report-header.typ"
    header.write_text(header.read_text(encoding="utf-8") + '\n#set text(font: "Noto Serif", fallback: true)\n', encoding="utf-8")
    result = render(root)
    assert "unknown font family: noto serif" in result.stderr.lower(), result.stderr


def test_bundled_fonts_and_their_licence_ship_with_the_packages():
    folder = paths.bundled_fonts()
    assert (folder / "DejaVuSerif.ttf").is_file() and (folder / "DejaVuSans.ttf").is_file()
    assert "Bitstream" in (folder / "LICENSE_DEJAVU").read_text(encoding="utf-8", errors="replace")
    header = (REPO / "assets" / "report-header.typ").read_text(encoding="utf-8")
    assert "Noto" not in header and "DejaVu Serif" in header and "Libertinus Serif" in header
