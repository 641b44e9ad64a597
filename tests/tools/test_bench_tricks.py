"""The benchmark says what each speed trick saves, as a share of the cost without it."""
from exodus.tools import bench_tricks


def test_each_trick_is_reported_with_the_share_it_saves():
    lines = bench_tricks.report({"no-op decision (CPU s)": (0.010, 0.020), "HTML (wall s)": (3.0, 2.0)})
    assert lines[2] == "| no-op decision (CPU s) | 0.0100 | 0.0200 | 50% |"
    assert lines[3] == "| HTML (wall s) | 3.0000 | 2.0000 | -50% |"  # a trick that costs more shows it


def test_the_no_op_decision_is_measured_both_ways_on_a_built_project(built_report):
    trusted, hashed = bench_tricks.stat_layer(built_report)
    assert trusted > 0 and hashed > 0
