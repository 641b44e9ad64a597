"""The benchmark's inputs, arithmetic and table shape (timings themselves are measured by `make bench`, never asserted)."""
import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from exodus import paths
from exodus.tools import bench, bench_floor, bench_scale, synthetic
from tests.conftest import run_module

TIMES = {bench.COLD: 10.0, bench.NOOP: 0.05, bench.EDIT: 3.0, bench.CHART_EDIT: 2.0, bench.HTML_EDIT: 1.0,
         bench.PREVIEW: 2.5, bench_floor.FLOOR: 5.0}
CPU = {bench.COLD: 16.0, bench.EDIT: 4.0, bench.CHART_EDIT: 4.0, bench.HTML_EDIT: 1.6, bench_floor.FLOOR: 8.0}
STAGES = {bench.COLD: {"validate": 0.5, "html": 4.0, "pdf": 5.0}, bench.EDIT: {"validate": 0.5, "html": 2.0},
          bench.HTML_EDIT: {"html": 0.8}}
SCALES = [{"claims": 1000, "sources": 100, "seconds": 0.1, "peak_mb": 30},
          {"claims": 10000, "sources": 300, "seconds": 1.0, "peak_mb": 60}]


def size(n, cold, edit, page=1_000_000, peak=200.0):
    return {"size": n, "sources": 5 * n, "claims": 44 * n, "cold_s": cold, "cold_cpu": cold, "peak_mb": peak,
            "edit_s": edit, "edit_cpu": edit, "chart_s": edit, "chart_cpu": edit, "page_bytes": page,
            "pdf_pages": 17, "stages": {bench.COLD: {"html": cold / 2}, bench.EDIT: {"html": edit / 2},
                                       bench.CHART_EDIT: {"html": edit / 2}}}


def measured(times=TIMES, scales=SCALES, sizes=(), stages=STAGES, repeats=1):
    return bench.Measured(dict(times), CPU, stages, scales, list(sizes), repeats)


def test_synthetic_data_is_valid_covered_and_derivable(tmp_path):
    synthetic.make_dataset(tmp_path, n_claims=500, n_sources=20, n_derived=10)
    assert run_module("stages.validate", tmp_path).returncode == 0
    audit = run_module("stages.audit", tmp_path)
    assert audit.returncode == 0 and "all 500 numeric mentions" in audit.stdout
    derive = run_module("stages.derive", tmp_path)
    assert derive.returncode == 0 and "10 derived figures, 0 discrepancies" in derive.stdout


def test_report_judges_every_target_from_the_measurements():
    text = bench.report(measured(repeats=3))
    assert "| cold HTML + PDF build <= 2 x the floor (wall) | 2.00 x (CPU 2.00 x) | met |" in text
    assert "| rebuild after a one-claim notes edit <= 25% of cold | 30%, CPU 25% | NOT met |" in text
    assert "| rebuild after correcting a charted figure <= 25% of cold | 20%, CPU 25% | met |" in text
    assert "| HTML-only rebuild after a notes edit <= 15% of cold | 10%, CPU 10% | met |" in text
    assert "| no-op rebuild < 0.1 s | 0.050 s | met |" in text
    assert "| 10,000 claims validated and derived < 1.5 s, < 300 MB, linear | 1.00 s, 60 MB, exponent 1.00 | met |" in text
    assert "| preview: save -> new report in the browser <= 2 s | 2.50 s | NOT met |" in text
    assert "| 10,000 | 300 | 1.00 | 60 | 1.00 |" in text


def test_per_stage_table_has_a_column_per_scenario_and_the_runner_overhead():
    text = bench.report(measured())
    assert f"| stage | {bench.COLD} | {bench.EDIT} | {bench.HTML_EDIT} |" in text
    assert "| pdf | 5.00 | - | - |" in text and "| html | 4.00 | 2.00 | 0.80 |" in text
    # HTML and PDF run side by side: the cold build's stages took 0.5 + max(4, 5) s of its 10 s.
    assert "| runner (start-up, fingerprint, publish) | 4.50 | 0.50 | 0.20 |" in text


def test_superlinear_growth_or_too_much_memory_is_not_met():
    slow = SCALES[:1] + [{"claims": 10000, "sources": 300, "seconds": 1.4, "peak_mb": 60}]
    assert "exponent 1.15 | met" in bench.report(measured(scales=slow))
    slower = SCALES[:1] + [{"claims": 10000, "sources": 300, "seconds": 1.45, "peak_mb": 60}]
    assert "exponent 1.16 | NOT met" in bench.report(measured(scales=slower))
    heavy = SCALES[:1] + [{"claims": 10000, "sources": 300, "seconds": 1.0, "peak_mb": 300}]
    assert "60 MB" not in bench.report(measured(scales=heavy))
    assert "300 MB, exponent 1.00 | NOT met" in bench.report(measured(scales=heavy))


@pytest.mark.slow
def test_the_benchmark_runs_end_to_end_on_tiny_inputs(capsys):
    assert bench.main(["--repeats", "1", "--scales", "200:10,400:20", "--no-notebook", "--sizes", "1"]) == 0
    out = capsys.readouterr().out
    # Rows of the three-column targets table (other tables also end with a verdict).
    targets = re.findall(r"^\| ([^|]+?) \| ([^|]+?) \| (met|NOT met|not measured)(?: \(projected\))? \|$", out, re.M)
    assert len(targets) == 14, out
    assert {t[0].split(" <")[0] for t in targets} >= {"no-op rebuild", "preview: save -> new report in the browser"}
    stage_rows = re.findall(r"^\| (validate|derive|figures|html|pdf|links) \| ([\d.]+) \|", out, re.M)
    assert {name for name, _ in stage_rows} == {"validate", "derive", "figures", "html", "pdf", "links"}
    assert re.search(r"^\| 400 \| 20 \| [\d.]+ \| \d+ \| -?[\d.]+ \|$", out, re.M)


def test_a_render_stage_is_split_into_the_parts_the_engine_reports(tmp_path):
    printed = ("render: html: read 360 chunk(s), 4 by pandoc, in 0.12s\nrender: typst: read 360 chunk(s), 0 by pandoc, "
               "in 0.30s\nrender: typst: written in 0.40s\nrender: typst: compiled to PDF in 0.25s\n"
               "render: html: written in 1.10s\nstage validate        0.11s  ok\nstage html            1.30s  x\n"
               "stage pdf             1.00s  y\n")
    script = tmp_path / "say.py"
    script.write_text(f"print({printed!r}, end='')", encoding="utf-8")
    run = bench.timed([sys.executable, str(script)], tmp_path)
    assert run.stages["html: reading the document"] == 0.12 and run.stages["typst: compiling the PDF"] == 0.25
    text = bench.report(measured(stages={bench.COLD: run.stages}))
    rows = re.findall(r"^\| ((?:part of )?[\w:]+(?: [\w ]+)?) \| [\d.]+ \|$", text, re.M)
    assert rows == ["validate", "html", "part of html: reading the document", "part of html: writing", "pdf",
                    "part of pdf: reading the document", "part of pdf: writing", "part of pdf: compiling the PDF"]
    # The parts are inside their stage's time: the runner's share counts the stages alone.
    assert f"| runner (start-up, fingerprint, publish) | {10.0 - 0.11 - 1.30:.2f} |" in text


def test_a_preview_timed_without_a_browser_says_so():
    times = {k: v for k, v in TIMES.items() if k != bench.PREVIEW} | {bench.PREVIEW_HTTP: 1.5}
    text = bench.report(measured(times=times))
    assert f"| {bench.PREVIEW_HTTP} <= 2 s | 1.50 s | met |" in text
    assert "new report in the browser <= 2 s" not in text


def test_scale_targets_are_judged_at_a_hundred_copies_measured_or_projected_and_say_which():
    rows = [size(1, 10.0, 2.0), size(10, 100.0, 2.0)]
    text = bench.report(measured(sizes=rows))
    # Linear from 10 s at 1x: 1,000 s projected at 100x; the edit is flat at 2 s.
    assert "| cold build, wall at 100x the articles <= 60 s | 1,000.0 s (projected from 10x (exponent 1.00)) | NOT met (projected) |" in text
    assert "| one-claim notes edit, wall at 100x the articles <= 5 s | 2.0 s (projected from 10x (exponent 0.00)) | met (projected) |" in text
    assert "| cold build CPU grows at most linearly (exponent <= 1.15) | 1.00 | met |" in text
    assert "| one-claim edit CPU does not grow (exponent <= 0.15) | 0.00 | met |" in text
    measured_at_100 = bench.report(measured(sizes=rows + [size(100, 50.0, 3.0, page=3_000_000)]))
    assert "| cold build, wall at 100x the articles <= 60 s | 50.0 s (measured) | met |" in measured_at_100
    assert "| first page <= 2 MB at every size measured | 3,000,000 bytes at most | NOT met |" in measured_at_100
    assert "Where the time goes at 100x (500 articles):" in measured_at_100


def test_a_single_size_measures_no_growth_and_projects_nothing():
    verdicts = {t: v for t, _, v in bench_scale.targets([size(1, 10.0, 2.0)])}
    assert verdicts["cold build, wall at 100x the articles <= 60 s"] == "not measured"
    assert verdicts["one-claim edit CPU does not grow (exponent <= 0.15)"] == "not measured"


def test_the_scale_table_has_a_column_per_size_and_a_growth_exponent_per_measure():
    lines = bench_scale.table([size(1, 10.0, 2.0, page=2_000_000), size(10, 40.0, 2.0, page=20_000_000)])
    assert lines[0] == ("| measure | 1x (5 articles, 44 claims) | 10x (50 articles, 440 claims) | growth exponent |")
    assert "| cold build, wall (s) | 10.00 | 40.00 | 0.60 |" in lines
    assert "| first page (report.html) (bytes) | 2,000,000 | 20,000,000 | 1.00 |" in lines


def test_sizes_are_whole_copies(monkeypatch):
    assert bench_scale.parse_sizes("10,1,10") == [1, 10]
    for bad in ("0,1", "x", ""):
        with pytest.raises(ValueError, match="sizes are whole numbers"):
            bench_scale.parse_sizes(bad)


def test_a_command_is_measured_with_its_own_cpu_and_peak_memory(tmp_path):
    script = ("import time\nblock = bytearray(200 * 1024 * 1024)\nblock[::4096] = b'x' * len(block[::4096])\n"
              "start = time.process_time()\nwhile time.process_time() - start < 0.3:\n    pass\n")
    # Measured from a fresh, small process, as `make bench` runs it: Linux starts a child's peak at its parent's
    # resident size when it execs, and this test process holds whole builds by the time it gets here.
    probe = ("import json, sys\nfrom pathlib import Path\nfrom exodus.tools import bench\n"
             "big = bench.timed([sys.executable, '-c', sys.argv[1]], Path(sys.argv[2]))\n"
             "small = bench.timed([sys.executable, '-c', 'pass'], Path(sys.argv[2]))\n"
             "print(json.dumps([big.peak_mb, big.cpu, small.peak_mb]))\n")
    done = subprocess.run([sys.executable, "-c", probe, script, str(tmp_path)], cwd=Path(__file__).resolve().parents[2], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    big_mb, big_cpu, small_mb = json.loads(done.stdout)
    assert big_mb >= 200 and big_cpu >= 0.3
    assert small_mb < 100  # the earlier command's peak is not this one's


def test_correcting_a_charted_figure_keeps_the_data_valid_and_changes_the_number(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(paths.DATA, root / "data")
    new = bench_scale.correct_figure(root)
    claim = next(r for r in csv.DictReader((root / "data" / "claims.csv").open(encoding="utf-8"))
                 if r["id"] == bench_scale.CHARTED_CLAIM)
    assert claim["number_text"] == new and new in claim["quote"] and int(claim["value"] or claim["low"]) == int(
        new.replace(",", ""))
    done = run_module("pipeline", root, "check")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_floor_runs_the_builds_filters_citeproc_and_embedding(tmp_path):
    root = bench.project_copy(tmp_path / "project")
    plan = bench_floor.commands(root)
    listed = set(yaml.safe_load((root / "_quarto.yml").read_text(encoding="utf-8"))["format"])
    pages = sorted(p.relative_to(root).as_posix() for p in (root / "evidence").glob("*.qmd"))
    # Every document the build renders, in every format it renders that document in, none left out.
    assert set(plan) == {f"report.qmd {f}" for f in listed} | {f"{page} html" for page in pages} and len(pages) > 5
    html, typst_steps = plan["report.qmd html"][0], plan["report.qmd typst"]
    assert plan[f"{pages[0]} html"][0][1] == f"floor-{Path(pages[0]).stem}.md" and "--citeproc" in plan[f"{pages[0]} html"][0]
    for flag in ("--citeproc", "--embed-resources", "--toc", "--standalone"):
        assert flag in html
    filters = {Path(html[i + 1]).name for i, a in enumerate(html) if a == "--lua-filter"}
    assert {"conditional.lua", "crossref.lua", "claim_links.lua", "typst_literal.lua"} <= filters
    assert typst_steps[0][typst_steps[0].index("--to") + 1] == "typst" and "typst.compile" in typst_steps[1][2]


def test_a_server_that_ignores_ctrl_c_is_killed_not_left_running():
    import signal
    import subprocess
    import sys
    ignores = "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); print('up', flush=True); time.sleep(600)"
    proc = subprocess.Popen([sys.executable, "-c", ignores], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "up\n"
    bench.stop(proc, grace=0.5)
    assert proc.returncode == -signal.SIGKILL
