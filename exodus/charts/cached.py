"""Per-chart drawing cache: a chart is redrawn only when what it plots, or the code that draws it, changes."""
from __future__ import annotations

import concurrent.futures
import hashlib
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
from pathlib import Path

from exodus import paths
from exodus.charts import figures
from exodus.context import StageError
from exodus.model import drawn

OUTPUT_EXTENSIONS = ("png", "narrow.png", "svg", "csv")
META_KEY = {"narrow.png": "png_narrow"}  # the figures.json key naming each output, where not the extension


def chart_key(fig_id: str, planned: dict, code_digest: str, report: str, ver: str) -> str:
    """Content key of one chart: what it plots, what it rests on, and the code that draws it."""
    payload = json.dumps([fig_id, planned, code_digest, report, ver], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def _draw(job: tuple) -> tuple[str, dict]:
    """Draw one chart into its own folder, its SVG and the PNG rasterised from it (runs in a worker process)."""
    fig_id, t, derived, folder, ver, report = job
    import matplotlib
    matplotlib.use("Agg")
    return fig_id, figures.build(t, derived, Path(folder), ver, report, only=(fig_id,))[fig_id]


def _fill(cache: Path, jobs: list[tuple], slots: dict[str, Path]) -> None:
    """Draw the missing charts, two at a time, each into a slot that appears whole or not at all."""
    if not jobs:
        return
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=min(2, len(jobs)), mp_context=context) as pool:
        for fig_id, meta in pool.map(_draw, jobs):
            tmp = Path(next(j[3] for j in jobs if j[0] == fig_id))
            (tmp / "figures.json").unlink()
            (tmp / "meta.json").write_text(json.dumps(meta, sort_keys=True), encoding="utf-8")
            try:
                os.rename(tmp, slots[fig_id])
            except OSError:
                shutil.rmtree(tmp)  # a concurrent build filled the same slot first


def refusal(slot: Path, fig_id: str) -> str | None:
    """Why a cached drawing cannot be published (None: it has the shape this module writes): a real
    folder of regular files, never links; meta.json a mapping for this chart; a PNG; an SVG matplotlib
    could have drawn; a CSV with no cell a spreadsheet would run."""
    if slot.is_symlink() or not slot.is_dir():
        return "the slot is not a folder"
    files = {ext: slot / f"{fig_id}.{ext}" for ext in (*OUTPUT_EXTENSIONS, "json")}
    files["json"] = slot / "meta.json"
    for path in files.values():
        if path.is_symlink() or not path.is_file():
            return f"{path.name} is not a regular file"
    try:
        meta = json.loads(files["json"].read_text(encoding="utf-8"))
        svg, table = files["svg"].read_text(encoding="utf-8"), files["csv"].read_text(encoding="utf-8")
        png = files["png"].read_bytes()[:8]
        phone = files["narrow.png"].read_bytes()[:8]
    except (OSError, ValueError) as e:
        return f"a file cannot be read as written ({e})"
    if not (isinstance(meta, dict) and meta.get("id") == fig_id and all(
            isinstance(meta.get(k), str) for k in ("title", "caption", "alt", "cite", "source_line"))
            and all(meta.get(META_KEY.get(ext, ext)) == files[ext].name for ext in OUTPUT_EXTENSIONS)):
        return "meta.json is not this chart's description"
    if png != drawn.PNG_SIGNATURE or phone != drawn.PNG_SIGNATURE:
        return "the PNG is not a PNG"
    return drawn.svg_refusal(svg) or drawn.csv_refusal(table)


def _usable(cache: Path) -> Path:
    """The cache folder, or (when it cannot be written) a private folder for this run, with one warning."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(tempfile.mkdtemp(prefix="draw-", dir=cache))
        return cache
    except OSError as e:
        print(f"figures: warning: the chart cache {paths.rel(cache)} cannot be written ({e.strerror or e}); "
              "drawing every chart without it", file=sys.stderr)
        return Path(tempfile.mkdtemp(prefix="exodus-charts-"))


def _sound_slots(slots: dict[str, Path]) -> list[str]:
    """The charts whose cached drawing is missing or refused; a refused slot is removed (with a line)."""
    missing = []
    for fig_id, slot in slots.items():
        if not slot.exists() and not slot.is_symlink():
            missing.append(fig_id)
            continue
        why = refusal(slot, fig_id)
        if why is None:
            continue
        print(f"figures: cached drawing of {fig_id} refused ({why}); drawn again", file=sys.stderr)
        missing.append(fig_id)
        try:
            slot.unlink() if slot.is_symlink() or not slot.is_dir() else shutil.rmtree(slot)
        except OSError:
            pass  # the new drawing then goes to this run only: see _fill
    return missing


def draw(cache: Path, out_dir: Path, t: dict[str, list[dict]], derived: list, code_digest: str) -> list[str]:
    """Every chart into out_dir, reusing cached drawings whose key is unchanged and whose files have the
    shape this module writes; returns the redrawn ids."""
    cache = _usable(cache)
    report, ver = figures.report_title(), figures.version()
    plans = figures.plan(t, derived)
    slots = {fig_id: cache / chart_key(fig_id, planned, code_digest, report, ver) for fig_id, planned in plans.items()}
    missing = _sound_slots(slots)
    for slot in (slots[f] for f in slots if f not in missing):
        try:
            os.utime(slot)  # used now: pruning the cache removes only slots no build used lately
        except OSError:
            pass
    # The charts with most rows take longest: started first, the two workers finish close together.
    missing.sort(key=lambda f: -len(plans[f]["rows"]))
    # Not a hidden folder: the PNG is rasterised from the SVG in there, and typst reads it from a project root.
    _fill(cache, [(f, t, derived, tempfile.mkdtemp(prefix="draw-", dir=cache), ver, report) for f in missing], slots)
    out_dir.mkdir(parents=True, exist_ok=True)
    meta = {}
    for fig_id, slot in slots.items():
        if refusal(slot, fig_id):  # a concurrent build's slot, or one that could not be replaced
            raise StageError(f"figures: the cached drawing of {fig_id} in {paths.rel(slot)} could not be replaced "
                             f"({refusal(slot, fig_id)}); remove {paths.rel(slot)} and build again")
        for ext in OUTPUT_EXTENSIONS:
            shutil.copyfile(slot / f"{fig_id}.{ext}", out_dir / f"{fig_id}.{ext}", follow_symlinks=False)
        meta[fig_id] = json.loads((slot / "meta.json").read_text(encoding="utf-8"))
    figures.write_index(out_dir, meta, report, ver)
    return missing
