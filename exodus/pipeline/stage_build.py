"""The build itself, run inside the staging copy: validate, derive, draw (cached per chart), generate, render."""
from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from exodus.stages import audit
from exodus.stages import derive
from exodus.charts import figures
from exodus import paths
from exodus.stages import validate
from exodus.pipeline.prerender_stages import GENERATORS

# Code whose change must redraw every chart.
CHART_CODE = ["charts/draw.py", "charts/theme.py", "charts/data.py", "charts/text.py", "charts/figures.py", "stages/people_stats.py", "model/csv_out.py"]


class StageError(Exception):
    """A stage failed; its message says where."""


def check_data() -> dict[str, list[dict]]:
    """Validate and audit; the validated rows feed every later stage, so nothing is read twice."""
    data, problems = validate.validate()
    missing = audit.audit(data) if not problems else []
    for p in problems:
        print(p, file=sys.stderr)
    for m in missing:
        print(m, file=sys.stderr)
    if problems or missing:
        raise StageError(f"{len(problems)} data problem(s), {len(missing)} uncovered numeric mention(s)")
    return {name: table.rows for name, table in data.tables.items()}


def chart_key(fig_id: str, planned: dict, code_digest: str, report: str, ver: str) -> str:
    """Content key of one chart: what it plots, what it rests on, and the code that draws it."""
    payload = json.dumps([fig_id, planned, code_digest, report, ver], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def _draw(job: tuple) -> tuple[str, dict]:
    """Draw one chart into its own folder (runs in a worker process)."""
    fig_id, t, derived, folder, ver, report = job
    import matplotlib
    matplotlib.use("Agg")
    return fig_id, figures.build(t, derived, Path(folder), ver, report, only=(fig_id,))[fig_id]


def draw_figures(cache: Path, out_dir: Path, t: dict[str, list[dict]], derived: list) -> list[str]:
    """Every chart into out_dir, reusing cached drawings whose key is unchanged; returns the redrawn ids."""
    report, ver = figures.report_title(), figures.version()
    code_digest = hashlib.sha256(b"".join((paths.ROOT / "exodus" / f).read_bytes() for f in CHART_CODE)).hexdigest()
    slots = {fig_id: cache / chart_key(fig_id, planned, code_digest, report, ver)
             for fig_id, planned in figures.plan(t, derived).items()}
    missing = [f for f, slot in slots.items() if not (slot / "meta.json").is_file()]
    jobs = [(f, t, derived, tempfile.mkdtemp(prefix=".draw-", dir=cache), ver, report) for f in missing]
    # Charts are independent: two processes use both cores of a cold build.
    with concurrent.futures.ProcessPoolExecutor(max_workers=min(2, len(jobs)) or 1,
                                                mp_context=multiprocessing.get_context("fork")) as pool:
        for fig_id, meta in pool.map(_draw, jobs):
            tmp = Path(next(j[3] for j in jobs if j[0] == fig_id))
            (tmp / "figures.json").unlink()
            (tmp / "meta.json").write_text(json.dumps(meta, sort_keys=True), encoding="utf-8")
            try:
                os.rename(tmp, slots[fig_id])  # a whole slot appears at once, or not at all
            except OSError:
                shutil.rmtree(tmp)  # a concurrent build filled the same slot first
    out_dir.mkdir(parents=True, exist_ok=True)
    meta = {}
    for fig_id, slot in slots.items():
        for ext in ("png", "svg", "csv"):
            shutil.copyfile(slot / f"{fig_id}.{ext}", out_dir / f"{fig_id}.{ext}")
        meta[fig_id] = json.loads((slot / "meta.json").read_text(encoding="utf-8"))
    figures.write_index(out_dir, meta, report, ver)
    return missing


def generate() -> None:
    import importlib
    for name in GENERATORS:
        code = importlib.import_module(f"exodus.report.{name}").main()
        if code:
            raise StageError(f"{name} failed")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m exodus.pipeline.stage_build", description=__doc__)
    parser.add_argument("--format", action="append", default=[], choices=["html", "typst"])
    args = parser.parse_args(argv)
    cache = Path(os.environ.get("EXODUS_CACHE", paths.BUILD / "cache")) / "figures"
    cache.mkdir(parents=True, exist_ok=True)
    steps = []
    try:
        t0 = time.monotonic()
        loaded = check_data()
        derived = derive.main(paths.BUILD, loaded)
        steps.append(("validate + derive", time.monotonic() - t0))
        t0 = time.monotonic()
        redrawn = draw_figures(cache, paths.FIGURES, loaded, derived)
        steps.append((f"figures ({len(redrawn)} redrawn: {', '.join(redrawn) or 'none'})", time.monotonic() - t0))
        if args.format:
            from exodus.engine import render
            t0 = time.monotonic()
            generate()
            steps.append(("variables, bibliography, appendices", time.monotonic() - t0))
            t0 = time.monotonic()
            render.render(args.format, pre_render=False)
            steps.append((f"render {' + '.join(args.format)}", time.monotonic() - t0))
    except (Exception, SystemExit) as e:  # every stage's failure ends the same way: a message, no publishing
        kind = type(e).__name__
        print(f"build: {kind}: {e}", file=sys.stderr)
        return 1
    for name, seconds in steps:
        print(f"build: {name}: {seconds:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
