"""Measure the smallest chart text a reader sees, in CSS px, in headless Chromium at given screen widths."""
from __future__ import annotations

import argparse
import html
import json
import sys
from pathlib import Path

from exodus import paths
from exodus.tools import external

WIDTHS = (1280, 390)

# For every chart image the reader sees (the wide one, or on a phone the narrow rendering that replaces
# it): how wide it is drawn on screen relative to its size in CSS inches, and so the size in CSS px of its
# smallest text (figures.json min_font_pt or min_font_pt_narrow, in points of the drawn figure).
_IMAGES = """(meta) => [...document.querySelectorAll('.chart-narrow img, figure img')].filter(img =>
    img.getBoundingClientRect().width > 0).map(img => {
  const narrow = img.closest('.chart-narrow');
  const holder = narrow ? narrow.nextElementSibling : img.closest('[id^="fig-"]');
  const id = holder && holder.id ? holder.id.slice(4) : '';
  const m = meta[id];
  if (!m) return {id, missing: true};
  const shown = img.getBoundingClientRect().width;
  const scale = shown / ((narrow ? m.size_in_narrow : m.size_in)[0] * 96);
  return {id, narrow: !!narrow, shown, scale,
          min_px: (narrow ? m.min_font_pt_narrow : m.min_font_pt) * 96 / 72 * scale};
})"""

# Every <text> of an inline SVG chart: its font size times the scale from SVG units to CSS px.
_SVG_TEXT = """() => [...document.querySelectorAll('svg text')].filter(t => t.getClientRects().length).map(t => {
  const m = t.getScreenCTM();
  return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
}).filter(x => x > 0)"""


def figure_meta(figures_dir: Path | None = None) -> dict:
    return json.loads((Path(figures_dir or paths.FIGURES) / "figures.json").read_text(encoding="utf-8"))["figures"]


def page_for(figures_dir: Path, css: Path, with_svg: bool) -> str:
    """A page shaped like the report's: the report's CSS, one <figure id="fig-..."> per chart, each with
    its PNG (as the HTML report shows it) and, for text measurement, its SVG inline at the PNG's width."""
    parts = [f"<!doctype html><html><head><meta name='viewport' content='width=device-width, initial-scale=1'>"
             f"<style>{Path(css).read_text(encoding='utf-8')}</style></head><body><main>"]
    for fid, m in figure_meta(figures_dir).items():
        svg = (Path(figures_dir) / m["svg"]).read_text(encoding="utf-8").split("?>", 1)[-1] if with_svg else ""
        phone = Path(figures_dir) / m.get("png_narrow", m["png"])
        parts.append(f"<div class='chart-narrow'><img src='{phone.as_uri()}' alt=''></div>")
        parts.append(f"<figure id='fig-{html.escape(fid)}'><img src='{(Path(figures_dir) / m['png']).as_uri()}' "
                     f"alt='{html.escape(m['alt'])}'><div class='svg-copy'>{svg}</div>"
                     f"<figcaption>{html.escape(m['caption'])}</figcaption></figure>")
    return "".join(parts) + "</main></body></html>"


def measure(browser, page_html: str, meta: dict, width: int, svg: bool = False) -> dict:
    """Smallest chart text in CSS px at one viewport width: per image from its scale, and over SVG text."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.set_content(page_html, wait_until="load")
        images = page.evaluate(_IMAGES, meta)
        result = {"width": width, "images": images,
                  "min_px": min((i["min_px"] for i in images if "min_px" in i), default=None)}
        if svg:
            page.evaluate("""() => document.querySelectorAll('figure').forEach(f => {
                const img = f.querySelector('img'), s = f.querySelector('svg');
                const w = img ? img.getBoundingClientRect().width : 0;
                if (s) { s.style.width = w + 'px'; s.style.height = 'auto'; s.style.display = w ? '' : 'none'; }
            })""")
            sizes = page.evaluate(_SVG_TEXT)
            result["svg_text_count"], result["svg_min_px"] = len(sizes), min(sizes, default=None)
        return result
    finally:
        page.close()


def run(figures_dir: Path, css: Path, report_html: Path | None, widths=WIDTHS) -> list[dict]:
    from playwright.sync_api import sync_playwright
    meta = figure_meta(figures_dir)
    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=external.find("chromium"), args=["--no-sandbox", "--disable-gpu"])
        try:
            synthetic = page_for(figures_dir, css, with_svg=True)
            for w in widths:
                results.append({"page": "figures with the report CSS", **measure(browser, synthetic, meta, w, svg=True)})
            if report_html and Path(report_html).exists():
                text = Path(report_html).read_text(encoding="utf-8")
                for w in widths:
                    results.append({"page": paths.rel(Path(report_html)), **measure(browser, text, meta, w)})
        finally:
            browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--figures", type=Path, default=paths.FIGURES)
    ap.add_argument("--css", type=Path, default=paths.ROOT / "assets" / "report.css")
    ap.add_argument("--html", type=Path, default=paths.OUTPUT / "report.html")
    args = ap.parse_args(argv)
    for r in run(args.figures, args.css, args.html):
        per = ", ".join(f"{i['id']} {i['min_px']:.1f}" for i in r["images"] if "min_px" in i)
        svg = f"; SVG <text> ({r['svg_text_count']}): min {r['svg_min_px']:.2f} px" if r.get("svg_min_px") else ""
        print(f"{r['page']} at {r['width']} px: smallest chart text {r['min_px']:.2f} px ({per}){svg}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
