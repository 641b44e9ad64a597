"""Download bundles: per chart a zip with its PNG, SVG, plotted CSV, metadata JSON and a README on citing it."""
from __future__ import annotations

import functools
import io
import json
import zipfile
from pathlib import Path

from exodus import atomic, paths
from exodus.model import citations, spreadsheets, texts
from exodus.model.mdsafe import ident, prose

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: bundles are byte-identical per input


def licence_name(path: Path | None = None) -> str:
    """The data package's licence, as its name (the project's own data and charts carry it)."""
    licences = json.loads(Path(path or paths.DATAPACKAGE).read_text(encoding="utf-8")).get("licenses") or [{}]
    return licences[0].get("name") or "the project's licence"


COLUMNS_FILE = Path(__file__).with_name("columns.yml")


@functools.cache
def column_words() -> dict[str, str]:
    """What each chart CSV column holds, in words (columns.yml)."""
    return texts.load(COLUMNS_FILE, "column name")


def columns(fid: str, header: list[str]) -> list[str]:
    """One line per column of the chart's CSV; a column columns.yml does not describe is an error naming it."""
    words = column_words()
    missing = [c for c in header if c not in words]
    if missing:
        raise ValueError(f"exodus/charts/{COLUMNS_FILE.name}: chart {fid!r} has CSV column(s) "
                         f"{', '.join(missing)} with no description; add one line per column")
    return [f"  - `{ident(c)}`: {prose(words[c])}" for c in header]


def readme(meta: dict, report: str, version: str, header: list[str], licence: str = "", address: str = "") -> str:
    """What the chart shows, each file in the bundle with the CSV's columns, how to cite it and its licence,
    for a reader who has only this zip. Every text from the data is escaped: a caption cannot put markup, a
    link or HTML into the README."""
    fid = ident(meta["id"])
    licence = prose(licence or licence_name())
    data_line = citations.chart_data_line(meta["title"], report, version, meta.get("outlets") or [])
    return "\n".join([
        f"# {prose(meta['title'])}", "",
        f"A chart from {prose(report)}, version {prose(version)}.", "",
        "## What it shows", "", prose(meta.get("caption", "")), "",
        "## Files in this download", "",
        f"- `{fid}.png`: the chart as an image.",
        f"- `{fid}.svg`: the chart as a vector drawing (text kept as text).",
        f"- `{fid}.csv`: every row the chart draws, one per line (UTF-8, comma-separated; a cell that would "
        "start a spreadsheet formula begins with an apostrophe). Its columns:",
        *columns(fid, header),
        f"- `{fid}.json`: the chart's title, caption, text description and citation, and the ids of the "
        "figures and articles it rests on.",
        "- `README.md`: this file.", "",
        *spreadsheets.advice({f"{fid}.csv": header}),
        "## Sources", "", prose(meta.get("source_line", "")), "",
        "## How to cite", "", "Cite the chart as:", "", f"> {prose(meta.get('cite', ''))}", "",
        "and its data as:", "", f"> {prose(data_line)}", "",
        prose(f"The chart in the report: {address}" if address else citations.fill("report_nowhere")), "",
        "## Licence", "",
        f"This chart and its data are licensed {licence}; the articles quoted belong to their publishers.", "",
    ])


def _entry(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)


def bundle_bytes(figures_dir: Path, meta: dict, report: str, version: str, page_url: str = "") -> bytes:
    """The zip for one chart, built in memory so a failure leaves the last good bundle in place."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for key in ("png", "svg", "csv"):
            _entry(zf, f"{meta['id']}/{meta[key]}", (Path(figures_dir) / meta[key]).read_bytes())
        text = json.dumps(meta, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
        _entry(zf, f"{meta['id']}/{meta['id']}.json", text.encode("utf-8"))
        header = (Path(figures_dir) / meta["csv"]).read_text(encoding="utf-8").split("\n", 1)[0].split(",")
        address = citations.fill("address", url=page_url, anchor=f"fig-{ident(meta['id'])}") if page_url else ""
        text = readme(meta, report, version, header, address=address)
        _entry(zf, f"{meta['id']}/README.md", text.encode("utf-8"))
    return buf.getvalue()


def write_bundles(figures_dir: Path, out_dir: Path, report: str | None = None,
                  version: str | None = None, page_url: str = "") -> list[Path]:
    """Write out_dir/<chart>.zip for every chart in figures_dir/figures.json, plus out_dir/<chart>.png
    (the full-size image the HTML figure opens); returns the paths written."""
    figures_dir, out_dir = Path(figures_dir), Path(out_dir)
    index = json.loads((figures_dir / "figures.json").read_text(encoding="utf-8"))
    report, version = report or index["report"], version or index["version"]
    written = []
    for fid, meta in sorted(index["figures"].items()):
        zip_path, png_path = out_dir / f"{fid}.zip", out_dir / f"{fid}.png"
        atomic.write_bytes(zip_path, bundle_bytes(figures_dir, {**meta, "id": fid}, report, version, page_url))
        atomic.write_bytes(png_path, (figures_dir / meta["png"]).read_bytes())
        written += [zip_path, png_path]
    return written
