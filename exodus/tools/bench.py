"""Benchmark: where a build's time goes, stage by stage, and the issue's targets as ratios measured in one run."""
from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import math
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from exodus import paths

IGNORE = shutil.ignore_patterns(".venv", ".git", "build", "_output", "__pycache__", ".pytest_cache", "*.pyc")
SCALES = [(1_000, 100), (10_000, 300), (100_000, 1_000)]
REPEATS = 3
STAGE_LINE = re.compile(r"^stage (\S+)\s+([\d.]+)s", re.M)
# The engine's account of a render stage: reading the document (the chunks pandoc had to read), writing, compiling.
RENDER_LINE = re.compile(r"^render: (\w+): (read|written|compiled)\b.*? in ([\d.]+)s", re.M)
RENDER_STEP = {"read": "reading the document", "written": "writing", "compiled": "compiling the PDF"}
EDITED_CLAIMS = ("kazakhstan_entries", "georgia_crossings_per_day")
# Scenario names, in the order the table shows them.
COLD, NOOP, EDIT, HTML_EDIT = ("cold build, HTML + PDF", "no-op rebuild", "rebuild after editing one claim (HTML + PDF)",
                               "HTML-only rebuild after editing one claim")
PREVIEW = "preview: save -> new report in the browser"
PREVIEW_HTTP = "preview: save -> new report fetched over HTTP (no browser on this machine)"
FLOOR_HTML, FLOOR_PDF = "floor: bare pandoc, expanded markdown to HTML", "floor: bare typst, same document to PDF"
NOTEBOOK = "baseline: notebook, nbconvert --execute --to html"


@dataclass
class Run:
    """One measured command: wall seconds and the per-stage seconds the runner printed."""

    seconds: float
    stages: dict[str, float] = field(default_factory=dict)


def timed(cmd: list[str], cwd: Path, env: dict | None = None) -> Run:
    """Wall time of one command; a failure stops the benchmark with its output."""
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(cmd)}\n{result.stdout}\n{result.stderr}")
    stages = {f"{m.group(1)}: {RENDER_STEP[m.group(2)]}": float(m.group(3)) for m in RENDER_LINE.finditer(result.stdout)}
    stages.update({m.group(1): float(m.group(2)) for m in STAGE_LINE.finditer(result.stdout)})
    return Run(elapsed, stages)


def project_copy(dest: Path, source: Path = paths.ROOT) -> Path:
    shutil.copytree(source, dest, ignore=IGNORE)
    return dest


def edit_one_claim(root: Path, claim_id: str = EDITED_CLAIMS[0], note: str = "Checked again.") -> None:
    """Change one claim's notes, as a user editing the table would."""
    path = root / "data" / "claims.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["id"] == claim_id:
            row["notes"] = (row["notes"] + " " + note).strip()
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def build_runs(source: Path, work: Path, run: int) -> dict[str, Run]:
    """Cold build, no-op, one-claim edit (HTML + PDF), then another edit rebuilt as HTML only."""
    root = project_copy(work / f"project{run}", source)
    build = [sys.executable, "-m", "exodus.pipeline"]
    env = {**os.environ, "EXODUS_ROOT": str(root)}
    runs = {COLD: timed(build + ["report"], root, env), NOOP: timed(build + ["report"], root, env)}
    edit_one_claim(root, EDITED_CLAIMS[0])
    runs[EDIT] = timed(build + ["report"], root, env)
    edit_one_claim(root, EDITED_CLAIMS[1])
    runs[HTML_EDIT] = timed(build + ["html"], root, env)
    return runs


def preview_latency(root: Path, run: int) -> tuple[str, float]:
    """Seconds from saving data/claims.csv to the new report loaded in a headless Chromium that has the
    preview open; on a machine without Chromium, to the new report fetched by a client waiting as the
    page waits (on the preview's "is there a build after N?"). Returns (what was measured, seconds)."""
    env = {**os.environ, "EXODUS_ROOT": str(root)}
    proc = subprocess.Popen([sys.executable, "-m", "exodus.tools.preview", "--port", "0"], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = re.search(r"http://[\d.]+:\d+", proc.stdout.readline()).group(0)
        first = _preview_state(base, 0, proc)
        note = f"Previewed-{run}."  # one word: pandoc may wrap the HTML at any space
        chromium = shutil.which("chromium")
        if chromium and importlib.util.find_spec("playwright"):
            return PREVIEW, _in_browser(chromium, base, root, note)
        saved = time.perf_counter()
        edit_one_claim(root, EDITED_CLAIMS[0], note)
        _preview_state(base, first["version"], proc)
        with urllib.request.urlopen(base + "/", timeout=60) as r:
            if note not in r.read().decode("utf-8"):
                raise SystemExit("preview: the new build does not show the edit")
        return PREVIEW_HTTP, time.perf_counter() - saved
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=120)


def _in_browser(chromium: str, base: str, root: Path, note: str) -> float:
    """Save the edit with the preview open in the browser; seconds until the reloaded page has loaded."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(base + "/", wait_until="load")
            page.evaluate("window.__beforeTheEdit = true")
            saved = time.perf_counter()
            edit_one_claim(root, EDITED_CLAIMS[0], note)
            page.wait_for_function("!window.__beforeTheEdit && document.readyState === 'complete'",
                                   polling=20, timeout=120_000)
            took = time.perf_counter() - saved
            if note not in page.content():
                raise SystemExit("preview: the reloaded page does not show the edit")
            return took
        finally:
            browser.close()


def _preview_state(base: str, after: int, proc: subprocess.Popen) -> dict:
    """Poll the preview until a build newer than `after` is recorded; a failed build stops the benchmark."""
    from exodus.tools import preview
    while proc.poll() is None:
        with urllib.request.urlopen(f"{base}{preview.VERSION_PATH}?after={after}", timeout=60) as r:
            state = json.loads(r.read())
        if state["version"] > after:
            if state["error"]:
                raise SystemExit(f"preview build failed: {state['error']}")
            return state
    raise SystemExit(f"preview stopped: {proc.stdout.read()}")


def medians(samples: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(s[k] for s in samples) for k in samples[0]}


def stage_medians(samples: list[dict[str, Run]]) -> dict[str, dict[str, float]]:
    """Per scenario, the median seconds of every stage that ran."""
    out = {}
    for scenario in samples[0]:
        names = list(dict.fromkeys(n for s in samples for n in s[scenario].stages))
        out[scenario] = {n: statistics.median(s[scenario].stages.get(n, 0.0) for s in samples) for n in names}
    return out


NOTEBOOK_CELLS = [
    "import pandas as pd, seaborn as sns, matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt",
    "claims = pd.read_csv('data/claims.csv')\npeople = pd.read_csv('data/people.csv')\n"
    "events = pd.read_csv('data/events.csv')\nsources = pd.read_csv('data/sources.csv')",
    "claims[['id', 'number_text', 'value', 'low', 'high', 'hedge', 'unit', 'metric']]",
    "people_counts = claims[claims.unit == 'person'].dropna(subset=['value'])\n"
    "ax = sns.barplot(data=people_counts, y='id', x='value')\nplt.show()",
    "ax = sns.scatterplot(data=people, x='age', y='destination', hue='status')\nplt.show()",
    "rates = {'savings': 300000 / 4800, 'dubai flight': 370000 / 5000}\nrates",
    "pd.crosstab(claims.source_id, claims.metric)",
]


def notebook_baseline(source: Path, work: Path, run: int) -> float:
    """An equivalent notebook doing less work (HTML only, no provenance), executed by nbconvert."""
    root = project_copy(work / f"notebook{run}", source)
    nb = {
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "cells": [{"cell_type": "code", "metadata": {}, "source": c, "outputs": [], "execution_count": None,
                   "id": f"c{i}"} for i, c in enumerate(NOTEBOOK_CELLS)],
    }
    (root / "baseline.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    jupyter = Path(sys.executable).parent / "jupyter"
    if not jupyter.is_file():
        raise SystemExit("the notebook baseline needs requirements-bench.txt: run `make bench`, which installs it")
    return timed([str(jupyter), "nbconvert", "--execute", "--to", "html", "baseline.ipynb"], root).seconds


TYPST_FLOOR = """import sys, time, typst
start = time.perf_counter()
typst.compile('_output/report.typ', output='floor.pdf', root='.')
print(time.perf_counter() - start)"""


def floor_times(built: Path) -> dict[str, float]:
    """The bare tools on the same expanded document: pandoc (no filters, citations or embedding) to HTML,
    and typst compiling the engine's own intermediate source (kept via Quarto's keep-typ) to PDF."""
    import pypandoc
    import yaml

    from exodus.engine import project, render
    _, lines = render.document(project.load(built), built / "report.qmd")
    # Beside report.qmd in the project copy, so figure paths resolve as they do for the real build.
    (built / "floor.md").write_text("\n".join(line.text for line in lines) + "\n", encoding="utf-8")
    pandoc = pypandoc.get_pandoc_path()
    times = {FLOOR_HTML: timed([pandoc, "floor.md", "-s", "-o", "floor.html"], built).seconds}
    config = yaml.safe_load((built / "_quarto.yml").read_text(encoding="utf-8"))
    config["format"]["typst"]["keep-typ"] = True
    (built / "_quarto.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    env = {**os.environ, "EXODUS_ROOT": str(built)}
    timed([sys.executable, "-m", "exodus.engine.render", "--pdf-only", "--no-pre-render", "--root", str(built)],
          built, env)
    out = subprocess.run([sys.executable, "-c", TYPST_FLOOR], cwd=built, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"typst floor failed: {out.stderr}")
    times[FLOOR_PDF] = float(out.stdout.strip().splitlines()[-1])
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


def scaling(work: Path, scales: list[tuple[int, int]]) -> list[dict]:
    from exodus.tools.synthetic import make_dataset
    results = []
    for n_claims, n_sources in scales:
        root = work / f"scale_{n_claims}"
        make_dataset(root, n_claims, n_sources, n_derived=min(100, n_claims // 10))
        env = {**os.environ, "EXODUS_ROOT": str(root)}
        out = subprocess.run([sys.executable, "-m", "exodus.tools.bench", "--scale-worker", str(root)],
                             cwd=paths.ROOT, env=env, capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit(out.stderr)
        results.append({"claims": n_claims, "sources": n_sources, **json.loads(out.stdout.strip().splitlines()[-1])})
    return results


def growth(scales: list[dict]) -> list[float | None]:
    """Exponent k in time ~ claims^k between each scale and the one before (1.0 = linear)."""
    out: list[float | None] = [None]
    for prev, r in zip(scales, scales[1:]):
        out.append(math.log(r["seconds"] / prev["seconds"]) / math.log(r["claims"] / prev["claims"]))
    return out


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def targets(times: dict[str, float], scales: list[dict]) -> list[tuple[str, str, str]]:
    """(target, measured, met / NOT met) for every target of the issue."""
    cold, floor = times[COLD], times[FLOOR_HTML] + times[FLOOR_PDF]
    big, exponents = scales[-1], [e for e in growth(scales) if e is not None]
    linear = not exponents or exponents[-1] <= 1.15
    rows = [
        ("cold HTML + PDF build <= 2 x the floor (bare pandoc + bare typst)", f"{cold / floor:.2f} x",
         verdict(cold <= 2 * floor)),
        ("rebuild after editing one claim <= 25% of cold", f"{times[EDIT] / cold:.0%}", verdict(times[EDIT] <= 0.25 * cold)),
        ("HTML-only rebuild after that edit <= 15% of cold", f"{times[HTML_EDIT] / cold:.0%}",
         verdict(times[HTML_EDIT] <= 0.15 * cold)),
        ("no-op rebuild < 0.1 s", f"{times[NOOP]:.3f} s", verdict(times[NOOP] < 0.1)),
        (f"{big['claims']:,} claims validated and derived < 1.5 s, < 300 MB, linear",
         f"{big['seconds']:.2f} s, {big['peak_mb']:.0f} MB, exponent {exponents[-1] if exponents else 1.0:.2f}",
         verdict(big["seconds"] < 1.5 and big["peak_mb"] < 300 and linear)),
    ]
    for name in (n for n in (PREVIEW, PREVIEW_HTTP) if n in times):
        rows.append((f"{name} <= 2 s", f"{times[name]:.2f} s", verdict(times[name] <= 2)))
    return rows


def report(times: dict[str, float], stages: dict[str, dict[str, float]], scales: list[dict], repeats: int) -> str:
    """The benchmark's output: targets, every measurement, per-stage times and scaling, as markdown tables."""
    cold = times[COLD]
    lines = [f"Medians of {repeats} interleaved run(s); ratios are within this one run.", "",
             "| target | measured | result |", "| --- | ---: | --- |"]
    lines += [f"| {t} | {m} | {v} |" for t, m, v in targets(times, scales)]
    lines += ["", "| measurement | seconds | x cold build |", "| --- | ---: | ---: |"]
    lines += [f"| {name} | {t:.3f} | {t / cold:.2f} |" for name, t in times.items()]
    shown = [s for s in (COLD, EDIT, HTML_EDIT) if s in stages]
    names = order_rows(list(dict.fromkeys(n for s in shown for n in stages[s])))
    lines += ["", "Per-stage seconds (as the runner prints them; the no-op rebuild runs no stage: "
              "it only fingerprints the inputs). Rows marked 'part of' split a render stage's time "
              "as the engine reports it.", "",
              "| stage | " + " | ".join(shown) + " |", "| --- |" + " ---: |" * len(shown)]
    lines += [f"| {row_label(n)} | " + " | ".join(f"{stages[s][n]:.2f}" if n in stages[s] else "-" for s in shown)
              + " |" for n in names]
    lines.append("| runner (start-up, fingerprint, publish) | "
                 + " | ".join(f"{max(times[s] - stage_wall(stages[s]), 0.0):.2f}" for s in shown) + " |")
    lines += ["", "| claims | sources | validate + derive (s) | peak memory (MB) | growth exponent vs previous |",
              "| ---: | ---: | ---: | ---: | ---: |"]
    for r, k in zip(scales, growth(scales)):
        lines.append(f"| {r['claims']:,} | {r['sources']:,} | {r['seconds']:.2f} | {r['peak_mb']:.0f} | "
                     f"{'' if k is None else f'{k:.2f}'} |")
    return "\n".join(lines)


def row_label(name: str) -> str:
    fmt, _, step = name.partition(": ")
    return f"part of {'html' if fmt == 'html' else 'pdf'}: {step}" if step else name


def order_rows(names: list[str]) -> list[str]:
    """Stage names in the order they ran, each render stage followed by its parts ("html: writing")."""
    fmt_of = {"html": "html", "pdf": "typst"}
    out = []
    for n in (n for n in names if ": " not in n):
        out.append(n)
        out += [m for m in names if n in fmt_of and m.startswith(fmt_of[n] + ": ")]
    return out


def stage_wall(stage_times: dict[str, float]) -> float:
    """Wall time the stages took: stages of one parallel group (HTML and PDF) overlap, the others add up."""
    from exodus.pipeline.stages import by_name
    from exodus.pipeline.runner import batches
    table = by_name()
    ran = batches([table[n] for n in stage_times if n in table])
    return sum(max(stage_times[s.name] for s in batch) for batch in ran)


def parse_scales(text: str) -> list[tuple[int, int]]:
    """"1000:100,10000:300" -> [(1000, 100), (10000, 300)]: claims and sources per scale."""
    try:
        return [(int(c), int(s)) for c, s in (part.split(":") for part in text.split(","))]
    except ValueError:
        raise argparse.ArgumentTypeError(f"scales are claims:sources pairs, comma-separated, not {text!r}") from None


def measure(source: Path, work: Path, repeats: int, notebook: bool, with_preview: bool) -> tuple[dict, dict]:
    """Every build measurement, interleaved repeat by repeat (this machine's speed drifts between runs)."""
    samples, runs = [], []
    for run in range(repeats):
        builds = build_runs(source, work, run)
        sample = {name: r.seconds for name, r in builds.items()}
        if with_preview:
            name, seconds = preview_latency(work / f"project{run}", run)
            sample[name] = seconds
        sample.update(floor_times(work / f"project{run}"))
        if notebook:
            sample[NOTEBOOK] = notebook_baseline(source, work, run)
        samples.append(sample)
        runs.append(builds)
    return medians(samples), stage_medians(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale-worker", help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=REPEATS, help=f"interleaved repeats (default {REPEATS})")
    parser.add_argument("--scales", type=parse_scales, default=SCALES,
                        help="claims:sources pairs, comma-separated (default 1000:100,10000:300,100000:1000)")
    parser.add_argument("--no-notebook", action="store_true", help="skip the notebook baseline")
    parser.add_argument("--no-preview", action="store_true", help="skip the preview measurement")
    args = parser.parse_args(argv)
    if args.scale_worker:
        scale_worker(args.scale_worker)
        return 0
    with tempfile.TemporaryDirectory(prefix="exodus-bench-") as tmp:
        work = Path(tmp)
        times, stages = measure(paths.ROOT, work, args.repeats, not args.no_notebook, not args.no_preview)
        scales = scaling(work, args.scales)
    print(report(times, stages, scales, args.repeats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
