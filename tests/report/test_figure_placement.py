"""Adding a chart is one entry in data/charts.yml: a chart report.qmd does not include by name is shown
with the unplaced ones; an include of a chart the list does not have is an error naming report.qmd."""
from exodus.pipeline import runner
from exodus.report import figure_blocks
from tests.conftest import copy_built

FIGS = {"a": {"title": "A", "caption": "about a"}, "b": {"title": "B", "caption": "about b"}}


def test_a_chart_the_report_does_not_name_is_shown_with_the_unplaced():
    files = figure_blocks.build(FIGS, "Text.\n\n{{< include _generated/_fig-a.md >}}\n")
    assert "#fig-b" in files[figure_blocks.UNPLACED] and "#fig-a" not in files[figure_blocks.UNPLACED]
    assert set(files) == {"_fig-a.md", "_fig-b.md", figure_blocks.UNPLACED}
    placed = figure_blocks.build(FIGS, "{{< include _generated/_fig-a.md >}}\n{{< include _generated/_fig-b.md >}}")
    assert placed[figure_blocks.UNPLACED] == ""


def test_an_include_of_a_chart_not_in_the_list_names_the_line_of_report_qmd():
    problems = figure_blocks.unknown_includes(FIGS, "Intro.\n\n{{< include _generated/_fig-gone.md >}}\n")
    assert problems == ["report.qmd:3:1: includes _generated/_fig-gone.md, but data/charts.yml has no chart 'gone' "
                        "(its charts: a, b): add the chart there, or remove this line"]


def test_one_entry_in_the_chart_list_puts_a_new_chart_in_the_report(built_report, tmp_path, capsys):
    root = copy_built(built_report, tmp_path / "project")  # the other charts come from its cache
    charts = root / "data" / "charts.yml"
    text = charts.read_text(encoding="utf-8")
    entry = text[text.index("  mobilisation:\n"):text.index("  timeline:\n")]
    charts.write_text(text.replace("  timeline:\n", entry.replace("  mobilisation:\n", "  mobilisation_again:\n", 1)
                                   + "  timeline:\n", 1), encoding="utf-8")
    assert runner.build("figures", root) == 0, capsys.readouterr().err
    unplaced = (root / "_generated" / figure_blocks.UNPLACED).read_text(encoding="utf-8")
    assert "#fig-mobilisation_again" in unplaced and "#fig-mobilisation}" not in unplaced
    assert (root / "figures" / "mobilisation_again.svg").is_file()
