"""What a drawn chart's files look like: the shape a cached drawing must have to be published."""
from __future__ import annotations

import csv
import io

from exodus.model import csv_out

SVG_DOCTYPE = '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n  "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Every element matplotlib's SVG writer (with its metadata block) emits; a cached SVG holding any other
# (a script, a foreign object) was not drawn here.
SVG_ELEMENTS = frozenset({"svg", "g", "path", "defs", "clipPath", "rect", "text", "tspan", "use", "style", "metadata",
                          "RDF", "Work", "Agent", "creator", "format", "title", "type", "date", "description",
                          "pattern", "image", "linearGradient", "radialGradient", "stop", "mask", "circle",
                          "ellipse", "line", "polyline", "polygon", "desc", "marker", "filter", "feGaussianBlur"})


def svg_refusal(text: str) -> str | None:
    """Why an SVG is not one matplotlib drew: a script, an event handler, a link out, an entity."""
    import xml.etree.ElementTree as ET

    if "<!ENTITY" in text or "<!DOCTYPE" in text.replace(SVG_DOCTYPE, "", 1):
        return "it declares entities or a document type other than SVG 1.1's"
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        return f"it is not XML ({e})"
    for el in root.iter():
        name = str(el.tag).rsplit("}", 1)[-1]
        if name not in SVG_ELEMENTS:
            return f"it holds a <{name}> element"
        for attr, value in el.attrib.items():
            attr = attr.rsplit("}", 1)[-1]
            if attr.lower().startswith("on"):
                return f"it holds an {attr} handler"
            if attr == "href" and not value.startswith(("#", "data:image/png;base64,")):
                return f"it links to {value[:80]!r}"
    return None


def csv_refusal(text: str) -> str | None:
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            if cell.startswith(csv_out.FORMULA_START) and csv_out.neutralise(cell) != cell and not cell.startswith("'"):
                return f"a cell a spreadsheet would run ({cell[:40]!r})"
    return None
