"""Project policy, enforced before any renderer runs: bound numerals, known variables, references and
citations, and no number in generated text that the data does not state."""
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from exodus.report import policy
from exodus.tools import bench


@pytest.fixture
def root(tmp_path) -> Path:
    """A copy of the project with its committed generated inputs and the derived tables they rest on."""
    copy = bench.project_copy(tmp_path / "project")
    env = {**os.environ, "EXODUS_ROOT": str(copy)}
    done = subprocess.run([sys.executable, "-m", "exodus.pipeline", "--stages", "derive"], cwd=copy, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return copy


def problems(root: Path) -> list[str]:
    return [str(p) for p in policy.check(root)]


def edit(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if new in line)


def test_the_committed_report_passes(root):
    assert problems(root) == []


def test_a_bare_numeral_in_the_narrative_is_named_by_line_and_column(root):
    n = edit(root / "report.qmd", "How many came back", "How many of the 12 came back")
    assert any(p.startswith(f"report.qmd:{n}:") and "bare numeral '12'" in p for p in problems(root))


def test_an_unknown_variable_cross_reference_and_citation_are_each_named(root):
    n = edit(root / "report.qmd", "How many came back", "{{< var claim.no_such >}} see @fig-nowhere [@nobody]. How many came back")
    found = [p for p in problems(root) if p.startswith(f"report.qmd:{n}:")]
    assert any("variable 'claim.no_such'" in p for p in found)
    assert any("@fig-nowhere" in p for p in found)
    assert any("citation @nobody" in p for p in found)


def test_a_missing_include_target_is_named(root):
    (root / "_generated" / "_figure-notes.md").unlink()
    assert any("include target _generated/_figure-notes.md does not exist" in p for p in problems(root))


def test_a_number_typed_into_generated_text_is_caught_once_the_data_no_longer_states_it(root):
    caption = root / "_generated" / "_fig-mobilisation.md"
    edit(caption, "**", "**Ordered: 123,457. ")
    assert any("_fig-mobilisation.md" in p and "'123,457'" in p for p in problems(root))


def test_numbers_in_generated_text_that_the_data_states_pass(root):
    caption = root / "_generated" / "_fig-mobilisation.md"
    edit(caption, "**", "**Ordered: 300,000. ")
    assert not [p for p in problems(root) if "_fig-mobilisation.md" in p]


def test_names_with_digits_are_not_figures():
    assert policy.provenance([("x.md", "Checksums are SHA-256, text is UTF-8, the PDF is PDF/UA-1.")], set()) == []


def test_numbers_in_adjacent_table_cells_are_read_one_cell_at_a_time(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "derived.csv").write_text("id,value,low,high\nd,320,320,320\n", encoding="utf-8")
    pool = policy.number_pool(tmp_path)
    assert Decimal(320) in pool and Decimal(320320320) not in pool
    assert policy.provenance([("x.md", "The 320 accounts.")], pool) == []
