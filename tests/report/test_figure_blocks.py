"""Figure includes: caption, alt text, and links to the full-size image and the download bundle."""
from exodus.report import figure_blocks


def test_a_figure_block_links_to_its_bundle_in_html_only():
    text = figure_blocks.block({"id": "timeline", "title": "T", "caption": "c", "alt": "a", "source_ids": ["s"]})
    figure, raw = text.split("\n\n", 1)
    assert figure.startswith("![") and '{#fig-timeline fig-alt="a"}' in figure
    assert raw.startswith("```{=html}\n") and raw.endswith("```\n")  # typst drops raw HTML
    assert '<a href="downloads/timeline.zip" download>Download: chart data and image (zip)</a>' in raw
    assert '<a href="downloads/timeline.png">' in raw


def test_the_phone_rendering_comes_first_in_html_only_with_its_alt_text_escaped():
    fig = {"id": "timeline", "title": "T", "caption": "c", "alt": 'a "b" <img src=x onerror=alert(1)> & c',
           "source_ids": ["s"], "png_narrow": "timeline.narrow.png"}
    narrow, rest = figure_blocks.block(fig).split("\n\n", 1)
    assert narrow.startswith("```{=html}\n") and narrow.endswith("```")  # typst drops it: the PDF keeps the wide chart
    assert '<div class="chart-narrow"><img src="figures/timeline.narrow.png" ' in narrow
    assert 'alt="a &quot;b&quot; &lt;img src=x onerror=alert(1)&gt; &amp; c"' in narrow and "<img src=x" not in narrow
    assert rest.startswith("![")  # the figure follows at once, so report.css can hide its wide image on a phone
    assert figure_blocks.block({**fig, "png_narrow": ""}).startswith("![")


def test_a_caption_cites_the_articles_the_figures_stage_chose_and_counts_the_others():
    fig = {"id": "timeline", "title": "T", "caption": "c", "alt": "a", "source_ids": ["a", "b", "c"],
           "caption_sources": ["b"], "caption_more": "and the other articles, each named in the chart's data download"}
    figure = figure_blocks.block(fig).split("\n\n", 1)[0]
    assert ("Sources: [@b], [and the other articles\\, each named in the chart\\'s data download]"
            '{.literal dir="auto"}.') in figure
    assert "@a" not in figure and "@c" not in figure
    # A figures.json from before the choice was recorded cites every article.
    older = {k: v for k, v in fig.items() if k not in ("caption_sources", "caption_more")}
    assert "Sources: [@a; @b; @c]." in figure_blocks.block(older)
