"""A chart's PNG is its SVG rasterised by typst: exact pixel size, the charts' font, reproducible bytes."""
import numpy as np
import pytest
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath
from PIL import Image

from exodus.charts import raster

# 1 in x 0.5 in: a red left half, and a line of text in the charts' font on the white right half.
TEXT = "Reported figures"
SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" width="72pt" height="36pt" viewBox="0 0 72 36">
<rect x="0" y="0" width="72" height="36" fill="#ffffff"/>
<rect x="0" y="0" width="18" height="36" fill="#ff0000"/>
<text x="22" y="22" style="font: 6px 'DejaVu Sans'; fill: #000000">{TEXT}</text>
</svg>"""


@pytest.fixture
def svg(tmp_path):
    path = tmp_path / "chart.svg"
    path.write_text(SVG, encoding="utf-8")
    return path


def pixels(png):
    with Image.open(png) as im:
        return np.asarray(im.convert("RGB")), im.info


@pytest.mark.parametrize("ppi", [96, 192])
def test_the_png_is_the_svg_at_ppi_pixels_per_inch(svg, tmp_path, ppi):
    raster.svg_to_png(svg, tmp_path / "chart.png", ppi, "Test report 0.1.0")
    px, info = pixels(tmp_path / "chart.png")
    assert px.shape[:2] == (ppi // 2, ppi)
    assert tuple(px[ppi // 4, ppi // 8]) == (255, 0, 0) and tuple(px[2, ppi - 2]) == (255, 255, 255)
    assert info["dpi"] == pytest.approx((ppi, ppi), abs=0.02) and info["Creator"] == "Test report 0.1.0"
    assert not [p.name for p in tmp_path.iterdir() if p.name not in ("chart.svg", "chart.png")]  # no leftovers


def test_text_is_set_in_the_charts_font_as_matplotlib_measured_it(svg, tmp_path):
    ppi = 192
    raster.svg_to_png(svg, tmp_path / "chart.png", ppi)
    px, _ = pixels(tmp_path / "chart.png")
    inked = np.flatnonzero((px[:, :, 0] < 128).any(axis=0))  # dark columns: the text (the red half is not dark)
    width_in = (inked[-1] - inked[0] + 1) / ppi
    # 6 SVG units are 6 pt here (viewBox units are points); matplotlib lays charts out with these metrics.
    expected_in = TextToPath().get_text_width_height_descent(TEXT, FontProperties(family="DejaVu Sans", size=6),
                                                              ismath=False)[0] / 72
    assert width_in == pytest.approx(expected_in, rel=0.04)


def test_the_same_svg_gives_the_same_png_bytes_with_no_software_stamp(svg, tmp_path):
    raster.svg_to_png(svg, tmp_path / "a.png", 192, "Test report 0.1.0")
    raster.svg_to_png(svg, tmp_path / "b.png", 192, "Test report 0.1.0")
    data = (tmp_path / "a.png").read_bytes()
    assert data == (tmp_path / "b.png").read_bytes()
    assert b"Software" not in data and b"matplotlib" not in data and b"tIME" not in data


def test_a_broken_svg_is_named_in_the_error(tmp_path):
    bad = tmp_path / "broken.svg"
    bad.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt"><rect', encoding="utf-8")
    with pytest.raises(RuntimeError, match="broken.svg"):
        raster.svg_to_png(bad, tmp_path / "broken.png", 192)
    assert not (tmp_path / "broken.png").exists()
