"""Generate _generated/_fig-<id>.md: one Quarto figure block per entry of figures/figures.json, and
_generated/_figures-unplaced.md: the blocks of every chart report.qmd does not include by name."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from exodus import paths
from exodus.model.mdsafe import escape, ident, literal

DOWNLOADS = "downloads"  # folder beside the HTML that holds each chart's bundle (exodus.charts.bundles)
UNPLACED = "_figures-unplaced.md"  # report.qmd includes it once: a new chart shows there until placed
INCLUDE = re.compile(r"\{\{<\s*include\s+/?_generated/_fig-([^\s>]+)\.md\s*>\}\}")


def load(path: Path | None = None) -> dict[str, dict]:
    """Figure metadata keyed by id, or {} before the figures stage has run."""
    path = Path(path) if path else paths.FIGURES / "figures.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return data.get("figures", data)


def block(fig: dict) -> str:
    """A figure in Quarto syntax: caption, extension-less image path, #fig- id and alt text.

    The path has no extension so each format picks its own file through
    default-image-extension in _quarto.yml (PNG for HTML, SVG for typst).
    """
    key = ident(fig["id"])
    # The articles cited by name (a count of the others past a dozen, from the figures stage).
    cited = fig["caption_sources"] if "caption_sources" in fig else fig.get("source_ids") or []
    sources = "; ".join(f"@{ident(s)}" for s in cited)
    more = f", {literal(fig['caption_more'])}" if fig.get("caption_more") else ""
    cite = f" Sources: [{sources}]{more}." if sources else ""
    caption = f"**{literal(fig['title'])}.** {literal(fig.get('caption') or '')}{cite}"
    alt = escape(fig.get("alt") or fig["title"])
    figure = f"![{caption}](figures/{key}){{#fig-{key} fig-alt=\"{alt}\"}}\n\n{downloads(key)}"
    return narrow(key, fig) + figure


def narrow(key: str, fig: dict) -> str:
    """HTML only: the chart's phone rendering, placed just before its figure; report.css shows it (and
    hides the wide image) on narrow screens, so a phone gets a chart that fits its width, never a
    sideways scroll. Typst drops raw HTML, so the PDF keeps the wide chart."""
    if not fig.get("png_narrow"):
        return ""
    alt = html.escape(fig.get("alt") or fig["title"], quote=True)
    return ("```{=html}\n"
            f'<div class="chart-narrow"><img src="figures/{key}.narrow.png" '
            f'alt="{alt}"></div>\n'
            "```\n\n")


def downloads(key: str) -> str:
    """HTML-only links under a figure: the full-size image and the chart's download bundle
    (published by the build as downloads/<id>.png and downloads/<id>.zip; typst drops raw HTML)."""
    return ("```{=html}\n"
            f'<p class="figure-download"><a href="{DOWNLOADS}/{key}.png">Open the chart full size (PNG)</a>'
            f' · <a href="{DOWNLOADS}/{key}.zip" download>Download: chart data and image (zip)</a></p>\n'
            "```\n")


def build(figures: dict[str, dict], report_text: str = "") -> dict[str, str]:
    """Every chart's include, and the unplaced one: in chart-list order, the charts report.qmd does not name."""
    files = {f"_fig-{ident(k)}.md": block({**v, "id": k}) for k, v in sorted(figures.items())}
    named = {m.group(1) for m in INCLUDE.finditer(report_text)}
    files[UNPLACED] = "\n".join(block({**v, "id": k}) for k, v in figures.items() if ident(k) not in named)
    return files


def unknown_includes(figures: dict[str, dict], report_text: str) -> list[str]:
    """report.qmd:line:column of every include of a chart the chart list does not have, with what to do."""
    known = {ident(k) for k in figures}
    out = []
    for n, line in enumerate(report_text.splitlines(), 1):
        for m in INCLUDE.finditer(line):
            if m.group(1) not in known:
                out.append(f"report.qmd:{n}:{m.start() + 1}: includes _generated/_fig-{m.group(1)}.md, but "
                           f"data/charts.yml has no chart {m.group(1)!r} (its charts: {', '.join(sorted(known))}): "
                           "add the chart there, or remove this line")
    return out
