"""The benchmark's inputs and arithmetic (timings themselves are measured by `make bench`, never asserted)."""
from exodus.tools import bench, synthetic
from tests.conftest import run_module


def test_synthetic_data_is_valid_covered_and_derivable(tmp_path):
    synthetic.make_dataset(tmp_path, n_claims=500, n_sources=20, n_derived=10)
    assert run_module("stages.validate", tmp_path).returncode == 0
    audit = run_module("stages.audit", tmp_path)
    assert audit.returncode == 0 and "all 500 numeric mentions" in audit.stdout
    derive = run_module("stages.derive", tmp_path)
    assert derive.returncode == 0 and "10 derived figures, 0 discrepancies" in derive.stdout


def test_report_judges_targets_from_the_measurements():
    builds = {"cold full build (HTML + PDF)": 10.0, "no-op rebuild": 0.1,
              "rebuild after editing one claim": 5.0, "cold HTML-only build": 6.0}
    scales = [{"claims": 1000, "sources": 100, "seconds": 0.1, "peak_mb": 30},
              {"claims": 10000, "sources": 300, "seconds": 1.0, "peak_mb": 60}]
    text = bench.report(builds, 30.0, {}, scales)
    assert "cold HTML+PDF build <= 0.5 x notebook: 0.33 x -> met" in text
    assert "one-claim edit < 40% of cold: 50% -> NOT met" in text
    assert "| 10,000 | 300 | 1.00 | 60 | 1.00 |" in text
