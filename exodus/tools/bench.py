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
from exodus.tools import bench_floor, bench_reading, bench_scale, bench_tricks, external

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
CHART_EDIT = "rebuild after correcting one charted figure (HTML + PDF)"
PREVIEW = "preview: save -> new report in the browser"
PREVIEW_HTTP = "preview: save -> new report fetched over HTTP (no browser on this machine)"
NOTEBOOK = "baseline: notebook, nbconvert --execute --to html"


@dataclass
class Run:
    """One measured command: wall seconds, CPU seconds and peak memory of it and everything it started
    (the largest single process), and the per-stage seconds the runner printed."""

    seconds: float
    stages: dict[str, float] = field(default_factory=dict)
    cpu: float = 0.0
    peak_mb: float = 0.0
    stdout: str = ""


def timed(cmd: list[str], cwd: Path, env: dict | None = None) -> Run:
    """Wall time, CPU time and peak memory of one command; a failure stops the benchmark with its output."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err, text=True)
        # wait4 gives this command's own account: CPU of it and every process it waited for, and the
        # largest resident set among them (getrusage of all children would mix in earlier commands).
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(cmd)}\n{stdout}\n{stderr}")
    stages = {f"{m.group(1)}: {RENDER_STEP[m.group(2)]}": float(m.group(3)) for m in RENDER_LINE.finditer(stdout)}
    stages.update({m.group(1): float(m.group(2)) for m in STAGE_LINE.finditer(stdout)})
    return Run(elapsed, stages, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stdout)


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


def build_runs(source: Path, work: Path, run: int) -> tuple[dict[str, Run], dict]:
    """Cold build, no-op, one-claim notes edit, one charted figure corrected (HTML + PDF each), then another
    notes edit rebuilt as HTML only; with the first page's bytes and the PDF's pages after the cold build."""
    root = project_copy(work / f"project{run}", source)
    build = [sys.executable, "-m", "exodus.pipeline"]
    env = {**os.environ, "EXODUS_ROOT": str(root)}
    runs = {COLD: timed(build + ["report"], root, env)}
    facts = outputs_of(root)
    runs[NOOP] = timed(build + ["report"], root, env)
    edit_one_claim(root, EDITED_CLAIMS[0])
    runs[EDIT] = timed(build + ["report"], root, env)
    runs[CHART_EDIT] = charted_edit(root, build + ["report"], env)
    edit_one_claim(root, EDITED_CLAIMS[1])
    runs[HTML_EDIT] = timed(build + ["html"], root, env)
    return runs, facts


def charted_edit(root: Path, cmd: list[str], env: dict) -> Run:
    """Correct a charted figure and rebuild; a rebuild that redraws no chart would measure the wrong edit."""
    bench_scale.correct_figure(root)
    run = timed(cmd, root, env)
    if not bench_scale.redrawn(run.stdout):
        raise SystemExit(f"the charted edit ({bench_scale.CHARTED_CLAIM}) redrew no chart: pick a charted claim")
    return run


def outputs_of(root: Path) -> dict:
    """What a reader gets: the bytes of the page first loaded, the PDF's pages, and the table sizes."""
    page = root / "_output" / "report.html"
    count = lambda name: sum(1 for _ in csv.DictReader((root / "data" / f"{name}.csv").open(encoding="utf-8")))
    return {"page_bytes": page.stat().st_size if page.is_file() else None,
            "pdf_pages": bench_scale.pdf_pages(root / "_output" / "report.pdf"),
            "sources": count("sources"), "claims": count("claims")}


def size_row(work: Path, size: int) -> dict:
    """The whole report built from `size` copies of every article: cold, a notes edit, a charted figure."""
    from exodus.tools import synthetic
    root = project_copy(work / f"size{size}")
    shutil.rmtree(root / "data")
    synthetic.replicate(paths.DATA, root / "data", size)
    build = [sys.executable, "-m", "exodus.pipeline", "report"]
    env = {**os.environ, "EXODUS_ROOT": str(root)}
    cold = timed(build, root, env)
    row = {"size": size, **outputs_of(root)}
    edit_one_claim(root, EDITED_CLAIMS[0])
    edit = timed(build, root, env)
    chart = charted_edit(root, build, env)
    shutil.rmtree(root, ignore_errors=True)  # at 100x a copy is hundreds of megabytes
    return {**row, **row_measures(cold, edit, chart)}


def row_measures(cold: Run, edit: Run, chart: Run) -> dict:
    return {"cold_s": cold.seconds, "cold_cpu": cold.cpu, "peak_mb": max(cold.peak_mb, edit.peak_mb, chart.peak_mb),
            "edit_s": edit.seconds, "edit_cpu": edit.cpu, "chart_s": chart.seconds, "chart_cpu": chart.cpu,
            "stages": {COLD: cold.stages, EDIT: edit.stages, CHART_EDIT: chart.stages}}


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
        chromium = external.find("chromium")
        if chromium and importlib.util.find_spec("playwright"):
            return PREVIEW, _in_browser(chromium, base, root, note)
        saved = time.perf_counter()
        edit_one_claim(root, EDITED_CLAIMS[0], note)
        _preview_state(base, first["version"], proc)
        if not shows_edit(base, root, note):
            raise SystemExit("preview: the new build does not show the edit")
        return PREVIEW_HTTP, time.perf_counter() - saved
    finally:
        stop(proc)


def shows_edit(base: str, root: Path, note: str, claim_id: str = EDITED_CLAIMS[0]) -> bool:
    """Whether the build the preview reloaded shows the edited note: on the report it serves, or on the
    evidence page of the claim's source, where the entry lives (the preview serves the report only, so
    that page is read as the build published it)."""
    with (root / "data" / "claims.csv").open(encoding="utf-8", newline="") as fh:
        source = next((r["source_id"] for r in csv.DictReader(fh) if r["id"] == claim_id), "")
    with urllib.request.urlopen(base + "/", timeout=60) as r:
        if note in r.read().decode("utf-8"):
            return True
    evidence = root / "_output" / "evidence" / f"{source}.html"
    return evidence.is_file() and note in evidence.read_text(encoding="utf-8")


def stop(proc: subprocess.Popen, grace: float = 30) -> None:
    """Stop a server the benchmark started: Ctrl-C, then a kill if it has not gone within `grace` seconds,
    so a measurement that times out or fails leaves nothing running."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


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
            if note not in page.content() and not shows_edit(base, root, note):
                raise SystemExit("preview: the reloaded build does not show the edit")
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


@dataclass
class Measured:
    """Everything one benchmark run measured: medians of the today's-size scenarios (wall and CPU seconds,
    per-stage seconds), the validate-and-derive scaling, and one row per size of the whole report."""

    times: dict[str, float]
    cpu: dict[str, float]
    stages: dict[str, dict[str, float]]
    scales: list[dict]
    sizes: list[dict]
    repeats: int = 1


def ratio_target(m: Measured, name: str, share: float, label: str) -> tuple[str, str, str]:
    t, cold = m.times[name], m.times[COLD]
    cpu = f", CPU {m.cpu[name] / m.cpu[COLD]:.0%}" if m.cpu.get(name) and m.cpu.get(COLD) else ""
    return f"{label} <= {share:.0%} of cold", f"{t / cold:.0%}{cpu}", verdict(t <= share * cold)


def targets(m: Measured) -> list[tuple[str, str, str]]:
    """(target, measured, met / NOT met) for every target of the issue, today's size first, then at scale."""
    times, cold, floor = m.times, m.times[COLD], m.times[bench_floor.FLOOR]
    big, exponents = m.scales[-1], [e for e in growth(m.scales) if e is not None]
    linear = not exponents or exponents[-1] <= 1.15
    cpu = f" (CPU {m.cpu[COLD] / m.cpu[bench_floor.FLOOR]:.2f} x)" if m.cpu.get(bench_floor.FLOOR) else ""
    rows = [("cold HTML + PDF build <= 2 x the floor (wall)", f"{cold / floor:.2f} x{cpu}", verdict(cold <= 2 * floor)),
            ratio_target(m, EDIT, 0.25, "rebuild after a one-claim notes edit")]
    if CHART_EDIT in times:
        rows.append(ratio_target(m, CHART_EDIT, 0.25, "rebuild after correcting a charted figure"))
    rows += [ratio_target(m, HTML_EDIT, 0.15, "HTML-only rebuild after a notes edit"),
             ("no-op rebuild < 0.1 s", f"{times[NOOP]:.3f} s", verdict(times[NOOP] < 0.1)),
             (f"{big['claims']:,} claims validated and derived < 1.5 s, < 300 MB, linear",
              f"{big['seconds']:.2f} s, {big['peak_mb']:.0f} MB, exponent {exponents[-1] if exponents else 1.0:.2f}",
              verdict(big["seconds"] < 1.5 and big["peak_mb"] < 300 and linear))]
    for name in (n for n in (PREVIEW, PREVIEW_HTTP) if n in times):
        rows.append((f"{name} <= 2 s", f"{times[name]:.2f} s", verdict(times[name] <= 2)))
    return rows + (bench_scale.targets(m.sizes) if m.sizes else [])


def stage_table(columns: dict[str, dict[str, float]], walls: dict[str, float]) -> list[str]:
    """Per-stage seconds, one column per scenario, ending with the runner's share of each wall time."""
    shown = list(columns)
    names = order_rows(list(dict.fromkeys(n for s in shown for n in columns[s])))
    lines = ["| stage | " + " | ".join(shown) + " |", "| --- |" + " ---: |" * len(shown)]
    lines += [f"| {row_label(n)} | " + " | ".join(f"{columns[s][n]:.2f}" if n in columns[s] else "-" for s in shown)
              + " |" for n in names]
    lines.append("| runner (start-up, fingerprint, publish) | "
                 + " | ".join(f"{max(walls[s] - stage_wall(columns[s]), 0.0):.2f}" for s in shown) + " |")
    return lines


def report(m: Measured) -> str:
    """The benchmark's output: targets, every measurement, per-stage times and scaling, as markdown tables."""
    cold = m.times[COLD]
    lines = [f"Medians of {m.repeats} interleaved run(s); ratios are within this one run. CPU seconds count "
             "every process a step started (the machine's load changes wall time, not CPU time).", "",
             "| target | measured | result |", "| --- | ---: | --- |"]
    lines += [f"| {t} | {v} | {r} |" for t, v, r in targets(m)]
    lines += ["", "| measurement | seconds | CPU seconds | x cold build |", "| --- | ---: | ---: | ---: |"]
    lines += [f"| {name} | {t:.3f} | {m.cpu[name]:.2f} | {t / cold:.2f} |" if name in m.cpu
              else f"| {name} | {t:.3f} | - | {t / cold:.2f} |" for name, t in m.times.items()]
    lines += ["", bench_floor.FLOOR_NOTE]
    shown = {s: m.stages[s] for s in (COLD, EDIT, CHART_EDIT, HTML_EDIT) if s in m.stages}
    lines += ["", "Where the time goes at today's size: per-stage seconds as the runner prints them (the no-op "
              "rebuild runs no stage: it only fingerprints the inputs). Rows marked 'part of' split a render "
              "stage's time as the engine reports it; HTML and PDF run side by side.", ""]
    lines += stage_table(shown, m.times)
    if m.sizes:
        lines += ["", "The whole report at N copies of every article (one run per size; 1x is the medians above; "
                  "growth exponent k in measure ~ size^k between the two largest sizes):", ""]
        lines += bench_scale.table(m.sizes)
        for row in (r for r in m.sizes if r["size"] > 1):
            walls = {COLD: row["cold_s"], EDIT: row["edit_s"], CHART_EDIT: row["chart_s"]}
            lines += ["", f"Where the time goes at {row['size']}x ({row['sources']} articles):", ""]
            lines += stage_table(row["stages"], walls)
    lines += ["", "| claims | sources | validate + derive (s) | peak memory (MB) | growth exponent vs previous |",
              "| ---: | ---: | ---: | ---: | ---: |"]
    for r, k in zip(m.scales, growth(m.scales)):
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
    from exodus.pipeline.runner import batches
    from exodus.pipeline.stages import by_name
    table = by_name()
    ran = batches([table[n] for n in stage_times if n in table])
    return sum(max(stage_times[s.name] for s in batch) for batch in ran)


def parse_scales(text: str) -> list[tuple[int, int]]:
    """"1000:100,10000:300" -> [(1000, 100), (10000, 300)]: claims and sources per scale."""
    try:
        return [(int(c), int(s)) for c, s in (part.split(":") for part in text.split(","))]
    except ValueError:
        raise argparse.ArgumentTypeError(f"scales are claims:sources pairs, comma-separated, not {text!r}") from None


def measure(source: Path, work: Path, repeats: int, notebook: bool, with_preview: bool) -> tuple[dict, dict, dict, dict]:
    """Every build measurement at today's size, interleaved repeat by repeat (this machine's speed drifts
    between runs): medians of wall and CPU seconds, per-stage seconds, and the 1x scale row."""
    samples, cpus, runs, facts = [], [], [], []
    for run in range(repeats):
        builds, fact = build_runs(source, work, run)
        sample = {name: r.seconds for name, r in builds.items()}
        cpu = {name: r.cpu for name, r in builds.items()}
        if with_preview:
            name, seconds = preview_latency(work / f"project{run}", run)
            sample[name] = seconds
        sample[bench_floor.FLOOR], cpu[bench_floor.FLOOR] = bench_floor.measure(
            work / f"project{run}", {**os.environ, "EXODUS_ROOT": str(work / f"project{run}")}, timed)
        if notebook:
            sample[NOTEBOOK] = notebook_baseline(source, work, run)
        samples.append(sample), cpus.append(cpu), runs.append(builds), facts.append(fact)
    times, cpu = medians(samples), medians(cpus)
    peak = statistics.median(max(r.peak_mb for r in b.values()) for b in runs)
    one = {"size": 1, **facts[0], "peak_mb": peak, "cold_s": times[COLD], "cold_cpu": cpu[COLD],
           "edit_s": times[EDIT], "edit_cpu": cpu[EDIT], "chart_s": times[CHART_EDIT], "chart_cpu": cpu[CHART_EDIT]}
    return times, cpu, stage_medians(runs), one


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale-worker", help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=REPEATS, help=f"interleaved repeats (default {REPEATS})")
    parser.add_argument("--scales", type=parse_scales, default=SCALES,
                        help="claims:sources pairs, comma-separated (default 1000:100,10000:300,100000:1000)")
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES") or ",".join(map(str, bench_scale.SIZES)),
                        help="copies of every article to build the whole report from, comma-separated "
                             "(default BENCH_SIZES, else 1,10; 100 is opt-in: it takes 16 minutes of CPU)")
    parser.add_argument("--no-notebook", action="store_true", help="skip the notebook baseline")
    parser.add_argument("--no-preview", action="store_true", help="skip the preview measurement")
    args = parser.parse_args(argv)
    if args.scale_worker:
        scale_worker(args.scale_worker)
        return 0
    try:
        sizes = bench_scale.parse_sizes(args.sizes)
    except ValueError as e:
        parser.error(str(e))
    with tempfile.TemporaryDirectory(prefix="exodus-bench-") as tmp:
        work = Path(tmp)
        times, cpu, stages, one = measure(paths.ROOT, work, args.repeats, not args.no_notebook, not args.no_preview)
        rows = []
        for size in sizes:
            rows.append(one if size == 1 else size_row(work, size))
            # Said as it is measured: a size takes minutes, and an interrupted run keeps what it had.
            print(f"bench: {size}x measured: " + json.dumps({k: v for k, v in rows[-1].items() if k != "stages"}),
                  file=sys.stderr, flush=True)
        scales = scaling(work, args.scales)
        reading = bench_reading.measure(work, timed, project_copy)
        tricks = bench_tricks.measure(work / "project0")
    print(report(Measured(times, cpu, stages, scales, rows, args.repeats)))
    print("\n" + "\n".join(bench_reading.report(reading)))
    print("\n" + "\n".join(bench_tricks.report(tricks)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
