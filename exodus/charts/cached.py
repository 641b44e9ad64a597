"""Per-chart drawing cache: a chart is redrawn only when what it plots, or the code that draws it, changes."""
from __future__ import annotations

import concurrent.futures
import hashlib
import json
import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path

from exodus.charts import figures

OUTPUT_EXTENSIONS = ("png", "svg", "csv")


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


def draw(cache: Path, out_dir: Path, t: dict[str, list[dict]], derived: list, code_digest: str) -> list[str]:
    """Every chart into out_dir, reusing cached drawings whose key is unchanged; returns the redrawn ids."""
    cache.mkdir(parents=True, exist_ok=True)
    report, ver = figures.report_title(), figures.version()
    plans = figures.plan(t, derived)
    slots = {fig_id: cache / chart_key(fig_id, planned, code_digest, report, ver) for fig_id, planned in plans.items()}
    missing = [f for f, slot in slots.items() if not (slot / "meta.json").is_file()]
    for slot in (slots[f] for f in slots if f not in missing):
        os.utime(slot)  # used now: pruning the cache removes only slots no build used lately
    # The charts with most rows take longest: started first, the two workers finish close together.
    missing.sort(key=lambda f: -len(plans[f]["rows"]))
    # Not a hidden folder: the PNG is rasterised from the SVG in there, and typst reads it from a project root.
    _fill(cache, [(f, t, derived, tempfile.mkdtemp(prefix="draw-", dir=cache), ver, report) for f in missing], slots)
    out_dir.mkdir(parents=True, exist_ok=True)
    meta = {}
    for fig_id, slot in slots.items():
        for ext in OUTPUT_EXTENSIONS:
            shutil.copyfile(slot / f"{fig_id}.{ext}", out_dir / f"{fig_id}.{ext}")
        meta[fig_id] = json.loads((slot / "meta.json").read_text(encoding="utf-8"))
    figures.write_index(out_dir, meta, report, ver)
    return missing
