"""The PDF has the same pages under the engine and under Quarto: margins both templates honour, a first page
with room for Quarto's taller title block, and no page left nearly empty by a forced break."""
import re
import subprocess

import yaml

from tests.conftest import REPO
from tests.render_kit import require

PT_PER_CM = 72 / 2.54
MM = PT_PER_CM / 10
# Quarto's typst title block, against pandoc's (the engine's): the title in block(inset: 2em), floated
# with clearance 4mm. The rest of the two title blocks is the same.
QUARTO_TITLE_EXTRA_EM, QUARTO_FLOAT_CLEARANCE_MM = 4, 4
FEWEST_LINES = 8  # a page but the last with fewer lines of text is a forced break's leftover


def typst_format() -> dict:
    return yaml.safe_load((REPO / "_quarto.yml").read_text(encoding="utf-8"))["format"]["typst"]


def length_pt(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(cm|mm|pt|in)", str(value)).groups()
    return float(number) * {"cm": PT_PER_CM, "mm": MM, "pt": 1, "in": 72}[unit]


def words(pdf, page: int) -> list[tuple[float, float, str]]:
    """(yMin, yMax, word) of every word on a page, from pdftotext's bounding boxes."""
    out = subprocess.run([require("pdftotext"), "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [(float(a), float(b), w) for a, b, w in
            re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', out)]


def page_count(pdf) -> int:
    info = subprocess.run([require("pdfinfo"), str(pdf)], capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def test_margins_are_the_option_both_templates_pass_to_the_page_not_a_header_rule():
    """Quarto's typst template and pandoc's set the page inside their show rule, after the header: a
    `set page` in the header is overridden by both (1.25in), so the margin is the format's option."""
    from exodus.engine.formats import typst
    fmt = typst_format()
    assert {"x", "y"} <= set(fmt["margin"])
    header = (REPO / fmt["include-in-header"]).read_text(encoding="utf-8")
    assert not re.search(r"#set\s+page\(", header)
    _, meta = typst.writer_args(fmt, lambda value, flag: [])
    assert meta["margin"] == fmt["margin"]


def test_page_one_leaves_room_for_quartos_taller_title_block(built_report):
    """The contents end page 1 and a page break follows: if Quarto's title block pushed a line over, a
    page of contents alone would appear (19 pages against 17)."""
    fmt = typst_format()
    pdf = built_report / "_output" / "report.pdf"
    size = length_pt(fmt["fontsize"])
    text_bottom = 842 - length_pt(fmt["margin"]["y"])  # A4 height in pt less the bottom margin
    body = [w for w in words(pdf, 1) if w[1] <= text_bottom]  # the page number sits below, in the margin
    assert any(w[2] == "Contents" for w in body)
    room = text_bottom - max(w[1] for w in body)
    needed = QUARTO_TITLE_EXTRA_EM * size + QUARTO_FLOAT_CLEARANCE_MM * MM
    assert room >= needed, f"page 1 has {room:.0f}pt left; Quarto's title block takes {needed:.0f}pt more"


def test_no_page_but_the_last_is_nearly_empty(built_report):
    pdf = built_report / "_output" / "report.pdf"
    pages = page_count(pdf)
    lines = {p: len({round(w[0]) for w in words(pdf, p)}) for p in range(1, pages)}
    assert all(n >= FEWEST_LINES for n in lines.values()), {p: n for p, n in lines.items() if n < FEWEST_LINES}
