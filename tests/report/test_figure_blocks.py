"""Figure includes: caption, alt text, and links to the full-size image and the download bundle."""
from exodus.report import figure_blocks


def test_a_figure_block_links_to_its_bundle_in_html_only():
    text = figure_blocks.block({"id": "timeline", "title": "T", "caption": "c", "alt": "a", "source_ids": ["s"]})
    figure, raw = text.split("\n\n", 1)
    assert figure.startswith("![") and '{#fig-timeline fig-alt="a"}' in figure
    assert raw.startswith("```{=html}\n") and raw.endswith("```\n")  # typst drops raw HTML
    assert '<a href="downloads/timeline.zip" download>Download: chart data and image (zip)</a>' in raw
    assert '<a href="downloads/timeline.png">' in raw
