"""The whole report builds from ten copies of every article (the suite's one slow test: about a minute of CPU)."""
import csv
import os
import re
import shutil
import subprocess
import sys

import pytest

from exodus import paths
from exodus.tools import bench, synthetic

TIMES = 10
pytestmark = pytest.mark.slow  # both tests share the tenfold build


@pytest.fixture(scope="module")
def tenfold(tmp_path_factory):
    root = bench.project_copy(tmp_path_factory.mktemp("tenfold") / "project")
    shutil.rmtree(root / "data")
    synthetic.replicate(paths.DATA, root / "data", TIMES)
    env = {**os.environ, "EXODUS_ROOT": str(root)}
    done = subprocess.run([sys.executable, "-m", "exodus.pipeline", "report"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=3600)
    return root, done


def ids(root, name):
    with (root / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return [r["id"] for r in csv.DictReader(fh)]


def test_the_report_builds_from_ten_copies_of_every_article(tenfold):
    root, done = tenfold
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    assert len(ids(root, "sources")) == TIMES * len(ids(paths.ROOT, "sources"))
    assert (root / "_output" / "report.pdf").stat().st_size > 0


def test_every_claim_of_every_copy_has_its_entry_in_the_html(tenfold):
    root, done = tenfold
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    pages = "".join(p.read_text(encoding="utf-8") for p in (root / "_output").rglob("*.html"))
    anchors = set(re.findall(r'id="claim-([a-z0-9_]+)"', pages))
    missing = [c for c in ids(root, "claims") if c not in anchors]
    assert not missing, f"{len(missing)} claims have no entry, e.g. {missing[:5]}"
