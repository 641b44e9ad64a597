"""Quarto's post-render leaves in _output/ only the pages and their downloads: its copies of figures go."""
import os
import subprocess
import sys

from exodus.pipeline import leftovers
from tests.conftest import REPO


def tree(root):
    (root / "figures").mkdir(parents=True)
    (root / "figures" / "chart.svg").write_text("<svg/>", encoding="utf-8")
    (root / "figures" / "chart.png").write_bytes(b"png")
    out = root / "_output"
    (out / "figures").mkdir(parents=True)
    (out / "downloads").mkdir()
    (out / "figures" / "chart.svg").write_text("<svg/>", encoding="utf-8")  # Quarto's copy
    (out / "figures" / "chart.png").write_bytes(b"edited")  # not a copy: the same path, other bytes
    (out / "report.html").write_text("<html/>", encoding="utf-8")
    (root / "report.html").write_text("<html/>", encoding="utf-8")  # a declared output, equal bytes: kept
    (out / "downloads" / "chart.png").write_bytes(b"png")
    return root


def test_only_verbatim_copies_of_project_files_no_stage_declares_are_removed(tmp_path):
    root = tree(tmp_path)
    assert leftovers.remove(root) == ["_output/figures/chart.svg"]
    left = sorted(p.relative_to(root).as_posix() for p in (root / "_output").rglob("*") if p.is_file())
    assert left == ["_output/downloads/chart.png", "_output/figures/chart.png", "_output/report.html"]


def test_the_folder_a_removal_empties_goes_and_a_link_is_never_followed(tmp_path):
    root = tree(tmp_path)
    (root / "_output" / "figures" / "chart.png").unlink()
    (root / "_output" / "figures" / "link.svg").symlink_to(root / "figures" / "chart.svg")
    assert leftovers.copies(root) == [root / "_output" / "figures" / "chart.svg"]
    (root / "_output" / "figures" / "link.svg").unlink()
    leftovers.remove(root)
    assert not (root / "_output" / "figures").exists() and (root / "figures" / "chart.svg").exists()


def test_quartos_post_render_entry_removes_them(tmp_path):
    """What Quarto runs after rendering: the copies go before the files beside the report are written."""
    root = tree(tmp_path)
    env = {**os.environ, "EXODUS_ROOT": str(root)}
    result = subprocess.run([sys.executable, "-m", "exodus.pipeline", "--stages", "postrender"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=300)
    assert "removed 1 file(s) Quarto copied" in result.stdout, result.stdout + result.stderr
    assert not (root / "_output" / "figures" / "chart.svg").exists()
