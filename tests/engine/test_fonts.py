"""The PDF depends on no system font: typst sees only the fonts that ship inside the pinned packages."""
import re
import shutil
import subprocess

import pytest

from exodus.engine import project
from exodus.report import fonts
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
    folders = fonts.bundled_folders()
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


def test_the_typst_call_gets_exactly_the_font_paths_folder_and_no_system_font(tmp_path, monkeypatch):
    """The engine hands typst the folder _quarto.yml names under font-paths, nothing else, system fonts off."""
    import typst

    from exodus.engine.formats import typst as typst_format
    root = make_project(tmp_path)
    seen = {}

    def fake_compile(src, **kw):
        seen.update(kw)
        return None, []
    monkeypatch.setattr(typst, "compile_with_warnings", fake_compile)
    proj = project.load(root)
    typst_format.compile_typst(root / "x.typ", proj)
    assert seen["font_paths"] == [str(root / "_fonts")]
    assert seen["ignore_system_fonts"] is True


def test_a_missing_font_folder_stops_the_render_naming_it(tmp_path):
    root = make_project(tmp_path)
    shutil.rmtree(root / "_fonts")
    result = run_render(root, "--pdf-only")
    assert result.returncode != 0
    assert "font-paths names _fonts" in result.stderr + result.stdout


def test_the_font_folder_holds_exactly_the_families_the_header_names(tmp_path):
    from fontTools.ttLib import TTFont
    header = (REPO / fonts.HEADER).read_text(encoding="utf-8")
    written = fonts.copy_fonts(header, tmp_path / "f")
    families = {TTFont(f, lazy=True)["name"].getBestFamilyName() for f in written}
    assert families == set(fonts.named_families(header)) - fonts.TYPST_EMBEDDED
    assert all("[" not in f.name for f in written)


def test_a_family_no_package_ships_is_an_error_naming_it(tmp_path):
    with pytest.raises(ValueError, match="'No Such Sans'"):
        fonts.copy_fonts('#set text(font: ("DejaVu Sans", "No Such Sans"))', tmp_path)
