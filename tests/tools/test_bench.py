"""The benchmark's inputs, arithmetic and table shape (timings themselves are measured by `make bench`, never asserted)."""
import re
import sys

from exodus.tools import bench, synthetic
from tests.conftest import run_module

TIMES = {bench.COLD: 10.0, bench.NOOP: 0.05, bench.EDIT: 3.0, bench.HTML_EDIT: 1.0, bench.PREVIEW: 2.5,
         bench.FLOOR_HTML: 3.0, bench.FLOOR_PDF: 2.0}
STAGES = {bench.COLD: {"validate": 0.5, "html": 4.0, "pdf": 5.0}, bench.EDIT: {"validate": 0.5, "html": 2.0},
          bench.HTML_EDIT: {"html": 0.8}}
SCALES = [{"claims": 1000, "sources": 100, "seconds": 0.1, "peak_mb": 30},
          {"claims": 10000, "sources": 300, "seconds": 1.0, "peak_mb": 60}]


def test_synthetic_data_is_valid_covered_and_derivable(tmp_path):
    synthetic.make_dataset(tmp_path, n_claims=500, n_sources=20, n_derived=10)
    assert run_module("stages.validate", tmp_path).returncode == 0
    audit = run_module("stages.audit", tmp_path)
    assert audit.returncode == 0 and "all 500 numeric mentions" in audit.stdout
    derive = run_module("stages.derive", tmp_path)
    assert derive.returncode == 0 and "10 derived figures, 0 discrepancies" in derive.stdout


def test_report_judges_every_target_from_the_measurements():
    text = bench.report(TIMES, STAGES, SCALES, repeats=3)
    assert "| cold HTML + PDF build <= 2 x the floor (bare pandoc + bare typst) | 2.00 x | met |" in text
    assert "| rebuild after editing one claim <= 25% of cold | 30% | NOT met |" in text
    assert "| HTML-only rebuild after that edit <= 15% of cold | 10% | met |" in text
    assert "| no-op rebuild < 0.1 s | 0.050 s | met |" in text
    assert "| 10,000 claims validated and derived < 1.5 s, < 300 MB, linear | 1.00 s, 60 MB, exponent 1.00 | met |" in text
    assert "| preview: save -> new report in the browser <= 2 s | 2.50 s | NOT met |" in text
    assert "| 10,000 | 300 | 1.00 | 60 | 1.00 |" in text


def test_per_stage_table_has_a_column_per_scenario_and_the_runner_overhead():
    text = bench.report(TIMES, STAGES, SCALES, repeats=1)
    assert f"| stage | {bench.COLD} | {bench.EDIT} | {bench.HTML_EDIT} |" in text
    assert "| pdf | 5.00 | - | - |" in text and "| html | 4.00 | 2.00 | 0.80 |" in text
    # HTML and PDF run side by side: the cold build's stages took 0.5 + max(4, 5) s of its 10 s.
    assert "| runner (start-up, fingerprint, publish) | 4.50 | 0.50 | 0.20 |" in text


def test_superlinear_growth_or_too_much_memory_is_not_met():
    slow = SCALES[:1] + [{"claims": 10000, "sources": 300, "seconds": 1.4, "peak_mb": 60}]
    assert "exponent 1.15 | met" in bench.report(TIMES, STAGES, slow, 1)
    slower = SCALES[:1] + [{"claims": 10000, "sources": 300, "seconds": 1.45, "peak_mb": 60}]
    assert "exponent 1.16 | NOT met" in bench.report(TIMES, STAGES, slower, 1)
    heavy = SCALES[:1] + [{"claims": 10000, "sources": 300, "seconds": 1.0, "peak_mb": 300}]
    assert "60 MB" not in bench.report(TIMES, STAGES, heavy, 1) and "300 MB, exponent 1.00 | NOT met" in bench.report(
        TIMES, STAGES, heavy, 1)


def test_the_benchmark_runs_end_to_end_on_tiny_inputs(capsys):
    assert bench.main(["--repeats", "1", "--scales", "200:10,400:20", "--no-notebook"]) == 0
    out = capsys.readouterr().out
    targets = re.findall(r"^\| (.+?) \| (.+?) \| (met|NOT met) \|$", out, re.M)
    assert len(targets) == 6, out
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
    text = bench.report(TIMES, {bench.COLD: run.stages}, SCALES, repeats=1)
    rows = re.findall(r"^\| ((?:part of )?[\w:]+(?: [\w ]+)?) \| [\d.]+ \|$", text, re.M)
    assert rows == ["validate", "html", "part of html: reading the document", "part of html: writing", "pdf",
                    "part of pdf: reading the document", "part of pdf: writing", "part of pdf: compiling the PDF"]
    # The parts are inside their stage's time: the runner's share counts the stages alone.
    assert f"| runner (start-up, fingerprint, publish) | {10.0 - 0.11 - 1.30:.2f} |" in text


def test_a_preview_timed_without_a_browser_says_so():
    times = {k: v for k, v in TIMES.items() if k != bench.PREVIEW} | {bench.PREVIEW_HTTP: 1.5}
    text = bench.report(times, STAGES, SCALES, repeats=1)
    assert f"| {bench.PREVIEW_HTTP} <= 2 s | 1.50 s | met |" in text
    assert "new report in the browser <= 2 s" not in text
