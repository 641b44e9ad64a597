"""Chart text a reader sees in the browser is at least 11 CSS px at desktop and phone widths, and a phone
is shown each chart's narrow rendering, filling its width with no sideways scroll."""
import pytest

from exodus import paths
from exodus.tools import chart_legibility as legibility
from tests.render_kit import require, require_module

MIN_PX = 11.0


@pytest.fixture(scope="module")
def measured():
    require("chromium")  # a skip with a message on a laptop without it; a failure under CI=true
    require_module("playwright.sync_api")
    return legibility.run(paths.FIGURES, paths.ROOT / "assets" / "report.css", None)


@pytest.mark.parametrize("width", legibility.WIDTHS)
def test_smallest_chart_text_is_legible_at_desktop_and_phone_width(measured, width):
    result = next(r for r in measured if r["width"] == width)
    assert len(result["images"]) == len(legibility.figure_meta()) and not any(i.get("missing") for i in result["images"])
    assert result["min_px"] >= MIN_PX, result["images"]
    phone = width < 600
    assert all(i["narrow"] == phone for i in result["images"])  # one image a chart: the one for this width
    assert all(i["shown"] <= width for i in result["images"])
    if not phone:
        # The SVG carries real text (searchable, and what the PDF embeds); every <text> measured in the page.
        assert result["svg_text_count"] > 100
        assert result["svg_min_px"] >= MIN_PX
