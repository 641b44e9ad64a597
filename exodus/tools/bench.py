"""Benchmark: build times, a notebook baseline, the bare pandoc/typst floor and validation scaling, in one run."""
from __future__ import annotations

import argparse
import csv
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from exodus import paths

IGNORE = shutil.ignore_patterns(".venv", ".git", "build", "_output", "__pycache__", ".pytest_cache", "*.pyc")
SCALES = [(1_000, 100), (10_000, 300), (100_000, 1_000)]
REPEATS = 3


def timed(cmd: list[str], cwd: Path, env: dict | None = None) -> float:
    """Wall time of one command; a failure stops the benchmark with its output."""
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(cmd)}\n{result.stdout}\n{result.stderr}")
    return elapsed


def project_copy(dest: Path) -> Path:
    shutil.copytree(paths.ROOT, dest, ignore=IGNORE)
    return dest


def edit_one_claim(root: Path, claim_id: str = "kazakhstan_entries") -> None:
    """Change one claim's notes, as a user editing the table would."""
    path = root / "data" / "claims.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["id"] == claim_id:
            row["notes"] = (row["notes"] + " Checked again.").strip()
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def build_times(work: Path, run: int) -> dict[str, float]:
    """Cold full build, no-op rebuild, one-claim edit, and a cold HTML-only build, in a copy of the project."""
    root = project_copy(work / f"project{run}")
    build = [sys.executable, "-m", "exodus.pipeline"]
    env = {**os.environ, "EXODUS_ROOT": str(root)}
    times = {"cold full build (HTML + PDF)": timed(build + ["report"], root, env)}
    times["no-op rebuild"] = timed(build + ["report"], root, env)
    edit_one_claim(root)
    times["rebuild after editing one claim"] = timed(build + ["report"], root, env)
    shutil.rmtree(root / "build")
    shutil.rmtree(root / "_output")
    times["cold HTML-only build"] = timed(build + ["html"], root, env)
    timed(build + ["report"], root, env)  # leave a complete build behind for the floor measurements
    return times


def medians(samples: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(s[k] for s in samples) for k in samples[0]}


NOTEBOOK_CELLS = [
    "import pandas as pd, seaborn as sns, matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt",
    "claims = pd.read_csv('data/claims.csv')\npeople = pd.read_csv('data/people.csv')\nevents = pd.read_csv('data/events.csv')\nsources = pd.read_csv('data/sources.csv')",
    "claims[['id', 'number_text', 'value', 'low', 'high', 'hedge', 'unit', 'metric']]",
    "people_counts = claims[claims.unit == 'person'].dropna(subset=['value'])\nax = sns.barplot(data=people_counts, y='id', x='value')\nplt.show()",
    "ax = sns.scatterplot(data=people, x='age', y='destination', hue='status')\nplt.show()",
    "rates = {'savings': 300000 / 4800, 'dubai flight': 370000 / 5000}\nrates",
    "pd.crosstab(claims.source_id, claims.metric)",
]


def notebook_baseline(work: Path, run: int) -> float:
    """An equivalent notebook doing less work (HTML only, no provenance), executed by nbconvert."""
    root = project_copy(work / f"notebook{run}")
    nb = {
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "cells": [{"cell_type": "code", "metadata": {}, "source": c, "outputs": [], "execution_count": None, "id": f"c{i}"}
                  for i, c in enumerate(NOTEBOOK_CELLS)],
    }
    (root / "baseline.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    jupyter = Path(sys.executable).parent / "jupyter"
    return timed([str(jupyter), "nbconvert", "--execute", "--to", "html", "baseline.ipynb"], root)


def floor_times(work: Path, built: Path) -> dict[str, float]:
    """The bare tools on the same document: pandoc (no filters, citations or embedding) and typst."""
    import pypandoc

    from exodus.engine import project, render
    proj = project.load(built)
    _, lines = render.document(proj, built / "report.qmd")
    # Beside report.qmd in the project copy, so figure paths resolve as they do for the real build.
    md = built / "floor.md"
    md.write_text("\n".join(line.text for line in lines) + "\n", encoding="utf-8")
    pandoc = pypandoc.get_pandoc_path()
    times = {"floor: bare pandoc, expanded markdown to HTML": timed([pandoc, "floor.md", "-s", "-o", "floor.html"], built)}
    # The typst floor compiles the engine's own intermediate source (kept via Quarto's keep-typ).
    import yaml
    config = yaml.safe_load((built / "_quarto.yml").read_text(encoding="utf-8"))
    config["format"]["typst"]["keep-typ"] = True
    (built / "_quarto.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    env = {**os.environ, "EXODUS_ROOT": str(built)}
    timed([sys.executable, "-m", "exodus.engine.render", "--pdf-only", "--no-pre-render", "--root", str(built)], built, env)
    code = "import typst; typst.compile('_output/report.typ', output='floor.pdf', root='.')"
    times["floor: bare typst compile of the same document"] = timed([sys.executable, "-c", code], built, env)
    times["floor: Python interpreter start"] = timed([sys.executable, "-c", "pass"], work)
    return times


def scale_worker(root: str) -> None:
    """Validate and derive one synthetic data set, printing time and peak memory as JSON."""
    start = time.perf_counter()
    from exodus.stages import derive, validate
    data, problems = validate.validate()
    if problems:
        raise SystemExit(f"synthetic data invalid: {problems[0]}")
    derive.main(Path(root) / "build", {name: data.tables[name].rows for name in derive.INPUT_TABLES})
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb}))


def scaling(work: Path) -> list[dict]:
    from exodus.tools.synthetic import make_dataset
    results = []
    for n_claims, n_sources in SCALES:
        root = work / f"scale_{n_claims}"
        make_dataset(root, n_claims, n_sources)
        env = {**os.environ, "EXODUS_ROOT": str(root)}
        out = subprocess.run([sys.executable, "-m", "exodus.tools.bench", "--scale-worker", str(root)],
                             cwd=paths.ROOT, env=env, capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit(out.stderr)
        results.append({"claims": n_claims, "sources": n_sources, **json.loads(out.stdout.strip().splitlines()[-1])})
    return results


def report(builds: dict, notebook: float, floors: dict, scales: list[dict]) -> str:
    cold = builds["cold full build (HTML + PDF)"]
    lines = [f"Median of {REPEATS} interleaved runs each.", "", "| measurement | seconds | ratio |", "| --- | ---: | --- |"]
    for name, t in {**builds, "baseline: notebook, nbconvert --execute --to html": notebook, **floors}.items():
        lines.append(f"| {name} | {t:.2f} | {t / cold:.2f} x cold build |")
    lines += ["", "| claims | sources | validate + derive (s) | peak memory (MB) | growth exponent vs previous |",
              "| ---: | ---: | ---: | ---: | --- |"]
    prev = None
    for r in scales:
        growth = "" if prev is None else f"{math.log(r['seconds'] / prev['seconds']) / math.log(r['claims'] / prev['claims']):.2f}"
        lines.append(f"| {r['claims']:,} | {r['sources']:,} | {r['seconds']:.2f} | {r['peak_mb']:.0f} | {growth} |")
        prev = r
    big = scales[-1]
    lines += ["", "Targets:",
              f"- cold HTML+PDF build <= 0.5 x notebook: {cold / notebook:.2f} x -> {'met' if cold <= 0.5 * notebook else 'NOT met'}",
              f"- no-op rebuild < 0.3 s: {builds['no-op rebuild']:.2f} s -> {'met' if builds['no-op rebuild'] < 0.3 else 'NOT met'}",
              f"- one-claim edit < 40% of cold: {builds['rebuild after editing one claim'] / cold:.0%} -> {'met' if builds['rebuild after editing one claim'] < 0.4 * cold else 'NOT met'}",
              f"- 100,000 claims < 3 s and < 300 MB: {big['seconds']:.2f} s, {big['peak_mb']:.0f} MB -> {'met' if big['seconds'] < 3 and big['peak_mb'] < 300 else 'NOT met'}",
              "- growth exponent near 1.0 means linear scaling"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale-worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.scale_worker:
        scale_worker(args.scale_worker)
        return 0
    with tempfile.TemporaryDirectory(prefix="exodus-bench-") as tmp:
        work = Path(tmp)
        # Interleaved repeats, medians reported: this machine's speed drifts between runs.
        build_runs, notebook_runs = [], []
        for run in range(REPEATS):
            build_runs.append(build_times(work, run))
            notebook_runs.append(notebook_baseline(work, run))
        builds, notebook = medians(build_runs), statistics.median(notebook_runs)
        floors = medians([floor_times(work, work / "project0") for _ in range(REPEATS)])
        scales = scaling(work)
    print(report(builds, notebook, floors, scales))
    return 0


if __name__ == "__main__":
    sys.exit(main())
