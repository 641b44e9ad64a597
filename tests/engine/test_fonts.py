"""The PDF depends on no system font: typst sees only the fonts that ship inside the pinned packages."""
import re
import shutil
import subprocess

import pytest

from exodus.engine import project
from tests.render_kit import REPO, make_project, require, run_render

# Families typst embeds itself (Libertinus, New Computer Modern, DejaVu Sans Mono) and matplotlib ships.
TYPST_EMBEDDED = {"Libertinus Serif", "New Computer Modern", "New Computer Modern Math", "DejaVu Sans Mono"}
BUNDLED = ("LibertinusSerif", "LibertinusMath", "NewCM", "DejaVu", "STIX", "LastResort", "cm", "NotoEmoji", "NotoSans")


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


def test_a_font_only_the_system_has_is_never_used(tmp_path):
    """Asking for Noto Serif, which this machine may well have installed, finds nothing: system fonts are ignored."""
    root = make_project(tmp_path)
    (root / "assets").unlink()
    shutil.copytree(REPO / "assets", root / "assets")
    header = root / "assets" / "report-header.typ"
    header.write_text(header.read_text(encoding="utf-8") + '\n#set text(font: "Noto Serif", fallback: true)\n', encoding="utf-8")
    result = render(root)
    assert "unknown font family: noto serif" in result.stderr.lower(), result.stderr


def test_every_font_the_header_names_ships_in_a_package_with_its_licence():
    from fontTools.ttLib import TTFont
    folders = project.bundled_fonts()
    shipped = set(TYPST_EMBEDDED)
    for folder in folders:
        for f in folder.glob("*.ttf"):
            shipped.add(TTFont(f, lazy=True)["name"].getBestFamilyName())
    header = (REPO / "assets" / "report-header.typ").read_text(encoding="utf-8")
    named = {n for group in re.findall(r"font: \(([^)]*)\)", header) for n in re.findall(r'"([^"]+)"', group)}
    assert named and named <= shipped, named - shipped
    assert "Bitstream" in (folders[0] / "LICENSE_DEJAVU").read_text(encoding="utf-8", errors="replace")
    from importlib.metadata import distribution
    licence = [f for f in distribution("manimgx-fonts").files if f.name == "LICENSE"]
    assert licence and "SIL OPEN FONT LICENSE" in licence[0].read_text(encoding="utf-8").upper()
