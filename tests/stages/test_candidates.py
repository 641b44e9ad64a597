"""make candidates: the source id comes from the environment, is checked, and each figure is listed once, whole."""
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, run_module


def candidates(root: Path, value: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "EXODUS_ROOT": str(root), "ID": value}
    return subprocess.run([sys.executable, "-m", "exodus.stages.audit", "--from-env"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


def test_candidates_group_a_figure_and_check_the_id(mini_root, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Queues\n\nNearly 1 million left; 300-400 thousand went south, some 5,000 a day.\n", encoding="utf-8")
    assert run_module("tools.add_source", mini_root, str(article), "--id", "queues").returncode == 0
    result = candidates(mini_root, "queues")
    assert result.returncode == 0, result.stderr  # listing a new source's figures is the normal path
    listed = [line.split(": ")[1].split(" uncovered")[0] for line in result.stdout.splitlines()]
    assert listed == ["'Nearly 1 million'", "'300-400 thousand'", "'some 5,000'"]
    refused = candidates(mini_root, 'x"; touch pwned; echo "')
    assert refused.returncode == 2 and "must be snake_case" in refused.stderr
