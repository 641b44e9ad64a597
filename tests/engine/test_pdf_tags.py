"""The PDF is tagged: a structure tree from the catalogue, and every chart a Figure with its alt text."""
import json
import re

import pytest

from tests.render_kit import make_project, run_render

OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)\s*endobj", re.S)
LITERAL_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def pdf_string(data: bytes, at: int) -> str:
    """The PDF string object starting at data[at] (literal "(...)" or hex "<...>"), decoded."""
    if data[at:at + 1] == b"<":
        raw = bytes.fromhex(data[at + 1:data.index(b">", at)].decode("ascii"))
    else:
        raw, depth, i = bytearray(), 0, at
        while True:
            c = data[i:i + 1]
            if c == b"\\":
                nxt = data[i + 1:i + 2]
                octal = re.match(rb"[0-7]{1,3}", data[i + 1:i + 4])
                if octal:
                    raw.append(int(octal.group(), 8) & 0xFF)
                    i += 1 + len(octal.group())
                    continue
                raw += LITERAL_ESCAPES.get(nxt, nxt if nxt != b"\n" else b"")
                i += 2
                continue
            depth += c == b"("
            depth -= c == b")"
            if depth == 0:
                break
            if i > at:
                raw += c
            i += 1
        raw = bytes(raw)
    return raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")


def structure(pdf: bytes) -> tuple[bytes, list[bytes]]:
    """The catalogue and every structure element, as their dictionaries' bytes (typst writes no object streams)."""
    objects = [m.group(2) for m in OBJECT.finditer(pdf)]
    assert b"/ObjStm" not in pdf, "object streams: this byte-level reading would miss objects"
    catalogue = next(o for o in objects if re.match(rb"<<\s*/Type\s*/Catalog", o))
    return catalogue, [o for o in objects if re.match(rb"<<\s*/Type\s*/StructElem", o)]


def figure_alts(pdf: bytes) -> list[str | None]:
    """The /Alt of every Figure structure element, None where it has none."""
    _, elements = structure(pdf)
    alts = []
    for element in elements:
        if re.match(rb"<<\s*/Type\s*/StructElem\s*/S\s*/Figure\b", element):
            alt = re.search(rb"/Alt\s*", element)
            alts.append(pdf_string(element, alt.end()) if alt else None)
    return alts


@pytest.fixture(scope="module")
def fixture_pdf(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("tags"))
    result = run_render(root, "--pdf-only")
    assert result.returncode == 0, result.stderr
    figures = json.loads((root / "figures" / "figures.json").read_text(encoding="utf-8"))["figures"]
    return (root / "_output" / "report.pdf").read_bytes(), figures


def test_the_pdf_has_a_structure_tree_and_is_marked(fixture_pdf):
    pdf, _ = fixture_pdf
    catalogue, elements = structure(pdf)
    assert re.search(rb"/StructTreeRoot\s+\d+ 0 R", catalogue), catalogue[:300]
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked\s+true", catalogue), catalogue[:300]
    assert elements


def test_every_chart_is_a_figure_with_its_alt_text_as_written(fixture_pdf):
    pdf, figures = fixture_pdf
    assert sorted(figure_alts(pdf)) == sorted(f["alt"] for f in figures.values())


def test_the_string_reader_decodes_both_forms():
    assert pdf_string(b"(a \\(b\\) \\\\ \\101)", 0) == "a (b) \\ A"
    assert pdf_string(b"(x (nested) y)", 0) == "x (nested) y"
    assert pdf_string(b"<FEFF" + "Ж→".encode("utf-16-be").hex().encode() + b">", 0) == "Ж→"


def test_a_figure_without_alt_is_reported_as_such():
    pdf = (b"1 0 obj\n<</Type/Catalog/StructTreeRoot 2 0 R>>\nendobj\n"
           b"3 0 obj\n<</Type/StructElem/S/Figure/P 2 0 R>>\nendobj\n")
    assert figure_alts(pdf) == [None]
