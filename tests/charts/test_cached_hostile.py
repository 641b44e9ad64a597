"""A cached drawing is published only when it has the shape the chart cache writes: no script, no link,
no description of another chart; a cache that cannot be written is skipped with one warning."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from exodus.charts import cached, figures
from exodus.stages import derive
from tests.charts.test_curation import FIX, NEW_CHART, dot_drawing  # noqa: F401 - a fixture
from tests.conftest import copy_built

CHART = "kazakhstan_alone"


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """One chart drawn into a slot as the cache stores it."""
    import matplotlib.pyplot as plt

    from exodus.charts import draw as charts

    @charts.drawing("test_cached_dot")
    def dots(rows, words, footer):
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot([r["value"] for r in rows], range(len(rows)), "o")
        ax.set_title(words.title)
        return fig
    folder = tmp_path_factory.mktemp("charts")
    (folder / "charts.yml").write_text(NEW_CHART.replace("test_dot_per_claim", "test_cached_dot"), encoding="utf-8")
    t = derive.load_tables(FIX, names=figures.TABLES)
    meta = figures.build(t, [], folder / "slot", "0.1.0", "Test report", cur=figures.curation(folder / "charts.yml"))
    (folder / "slot" / "figures.json").unlink()
    (folder / "slot" / "meta.json").write_text(json.dumps(meta[CHART]), encoding="utf-8")
    del charts.DRAW["test_cached_dot"]
    return folder / "slot"


@pytest.fixture
def slot(drawn, tmp_path):
    return shutil.copytree(drawn, tmp_path / ("a" * 32))


def edit(path, old, new):
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_a_drawing_as_the_cache_writes_it_is_accepted(slot):
    assert cached.refusal(slot, CHART) is None


@pytest.mark.parametrize("tamper,why", [
    (lambda s: edit(s / f"{CHART}.svg", "</svg>", "<script>alert(1)</script></svg>"), "<script> element"),
    (lambda s: edit(s / f"{CHART}.svg", "<svg ", '<svg onload="alert(1)" '), "onload handler"),
    (lambda s: edit(s / f"{CHART}.svg", "</svg>", '<a xmlns:xlink="http://www.w3.org/1999/xlink" '
                                                   'xlink:href="javascript:alert(1)"><text>x</text></a></svg>'), "<a> element"),
    (lambda s: edit(s / f"{CHART}.svg", "<svg ", '<!DOCTYPE x [<!ENTITY e "e">]><svg '), "entities"),
    (lambda s: edit(s / f"{CHART}.csv", "\n", "\n=HYPERLINK(\"http://x\"),", ), "a spreadsheet would run"),
    (lambda s: edit(s / "meta.json", f'"id": "{CHART}"', '"id": "another"'), "not this chart's description"),
    (lambda s: (s / f"{CHART}.png").write_bytes(b"<html><script>alert(1)</script>"), "PNG is not a PNG"),
])
def test_a_tampered_drawing_is_refused_with_its_reason(slot, tamper, why):
    tamper(slot)
    assert why in (cached.refusal(slot, CHART) or "")


def test_a_cached_file_that_is_a_link_is_refused(slot, tmp_path):
    outside = tmp_path / "secret.csv"
    outside.write_text("id\nsecret\n")
    (slot / f"{CHART}.csv").unlink()
    os.symlink(outside, slot / f"{CHART}.csv")
    assert cached.refusal(slot, CHART) == f"{CHART}.csv is not a regular file"
    shutil.rmtree(slot)
    os.symlink(tmp_path, slot)
    assert cached.refusal(slot, CHART) == "the slot is not a folder"


def test_a_cache_that_cannot_be_written_is_skipped_with_one_warning(tmp_path, capsys):
    (tmp_path / "build").write_text("a file where the cache folder should be")
    usable = cached._usable(tmp_path / "build" / "cache" / "figures")
    assert usable.is_dir() and tmp_path not in usable.parents
    assert capsys.readouterr().err.count("cannot be written") == 1
    shutil.rmtree(usable)


def test_tampered_cached_charts_are_drawn_again_not_published(built_report, tmp_path):
    make_root = copy_built(built_report, tmp_path / "project")  # its chart cache filled by the build
    slots = {json.loads((s / "meta.json").read_text())["id"]: s for s in (make_root / "build/cache/figures").iterdir()}
    outside = make_root.parent / "outside.csv"
    outside.write_text("id\nnot the chart's rows\n")
    edit(slots["timeline"] / "timeline.svg", "</svg>", "<script>alert(1)</script></svg>")
    (slots["people"] / "people.csv").unlink()
    os.symlink(outside, slots["people"] / "people.csv")
    (slots["mobilisation"] / "meta.json").write_text("[1, 2]")
    env = {**os.environ, "EXODUS_ROOT": str(make_root)}
    done = subprocess.run([sys.executable, "-m", "exodus.pipeline", "figures", "--force"], cwd=make_root, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert done.stderr.count("refused") == 3 and "3 redrawn" in done.stdout
    assert "<script" not in (make_root / "figures" / "timeline.svg").read_text(encoding="utf-8")
    assert "not the chart's rows" not in (make_root / "figures" / "people.csv").read_text(encoding="utf-8")
    assert not (make_root / "figures" / "people.csv").is_symlink()
