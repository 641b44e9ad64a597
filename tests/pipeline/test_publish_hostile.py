"""Nothing under build/ is trusted beyond its shape: a crafted or broken publish journal, stray side
files, and a cache folder pointed somewhere else."""
import json
import os

import pytest

from exodus.pipeline import publish, runner
from tests.conftest import run_make

DECLARED = ("figures/*.png", "figures/*.csv", "_variables.yml")


def project(tmp_path):
    """A root with a build folder, one declared output, one data table and two files outside the root."""
    root = tmp_path / "root"
    for folder in ("build", "figures", "data"):
        (root / folder).mkdir(parents=True)
    (root / "figures" / "chart.png").write_bytes(b"good png")
    (root / "data" / "metrics.csv").write_text("id\nm\n")
    outside = [tmp_path / "precious.txt", tmp_path / "other.txt"]
    for p in outside:
        p.write_text("keep me")
    return root, outside


def journal(root, doc) -> None:
    (root / "build" / publish.JOURNAL).write_text(json.dumps(doc), encoding="utf-8")


def aside(root) -> list[str]:
    return sorted(p.name for p in (root / "build").iterdir() if ".set-aside-" in p.name)


def test_a_journal_naming_files_outside_the_root_changes_nothing(tmp_path, capsys):
    root, outside = project(tmp_path)
    # The layout a crafted journal had: absolute paths, deleting outside files and replacing a table.
    journal(root, [{"dest": str(outside[0]), "new": str(tmp_path / "gone"), "bak": None},
                   {"dest": str(outside[1]), "new": str(tmp_path / "gone"), "bak": None},
                   {"dest": str(root / "data" / "metrics.csv"), "new": None, "bak": str(outside[0])}])
    publish.recover(root / "build", declared=DECLARED)
    assert [p.read_text() for p in outside] == ["keep me", "keep me"]
    assert (root / "data" / "metrics.csv").read_text() == "id\nm\n"
    assert len(aside(root)) == 1 and not (root / "build" / publish.JOURNAL).exists()
    assert "set aside" in capsys.readouterr().err


def test_entries_that_name_undeclared_files_or_foreign_side_files_are_set_aside(tmp_path, capsys):
    root, outside = project(tmp_path)
    journal(root, {"journal": publish.JOURNAL_LAYOUT, "entries": [
        {"dest": "data/metrics.csv", "new": None, "bak": "data/.metrics.csv.bak-1"},
        {"dest": "../precious.txt", "new": "../.precious.txt.new-1", "bak": None},
        {"dest": "figures/chart.png", "new": None, "bak": "../precious.txt"}]})
    publish.recover(root / "build", declared=DECLARED)
    err = capsys.readouterr().err
    assert "'data/metrics.csv' is not an output the pipeline declares" in err
    assert "'../precious.txt' is not the bak file of figures/chart.png" in err
    assert (root / "figures" / "chart.png").read_bytes() == b"good png" and outside[0].read_text() == "keep me"


def test_a_declared_entry_is_still_rolled_back_beside_a_refused_one(tmp_path):
    root, outside = project(tmp_path)
    (root / "figures" / f".chart.png.bak-{os.getpid()}").write_bytes(b"older png")
    journal(root, {"journal": publish.JOURNAL_LAYOUT, "entries": [
        {"dest": "figures/chart.png", "new": None, "bak": f"figures/.chart.png.bak-{os.getpid()}"},
        {"dest": "/etc/hostname", "new": None, "bak": None}]})
    assert publish.recover(root / "build", declared=DECLARED)
    assert (root / "figures" / "chart.png").read_bytes() == b"older png"
    assert sorted(p.name for p in (root / "figures").iterdir()) == ["chart.png"]


def test_a_backup_that_is_a_link_is_never_restored_through(tmp_path):
    root, outside = project(tmp_path)
    os.symlink(outside[0], root / "figures" / ".chart.png.bak-7")
    journal(root, {"journal": publish.JOURNAL_LAYOUT, "entries": [
        {"dest": "figures/chart.png", "new": None, "bak": "figures/.chart.png.bak-7"}]})
    publish.recover(root / "build", declared=DECLARED)
    assert not (root / "figures" / "chart.png").is_symlink() and outside[0].read_text() == "keep me"


def test_a_journal_of_the_wrong_shape_is_set_aside_once_not_a_type_error_for_ever(make_root):
    (make_root / "build").mkdir(exist_ok=True)
    journal(make_root, [1, 2, {"dest": 3}])
    done = run_make(make_root, "derive", timeout=300)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-1500:]
    assert f"{publish.JOURNAL} set aside as" in done.stderr
    again = run_make(make_root, "derive", timeout=300)
    assert again.returncode == 0 and "set aside" not in again.stderr


def test_side_files_a_killed_publish_left_without_a_journal_are_removed(tmp_path):
    root, _ = project(tmp_path)
    stray = [root / "figures" / ".chart.png.bak-4242", root / "figures" / ".chart.png.new-4242",
             root / "._variables.yml.new-17"]
    kept = [root / "figures" / ".gitkeep", root / "data" / ".metrics.csv.bak-4242", root / "figures" / ".notes.txt.bak-1"]
    for p in stray + kept:
        p.write_text("x")
    assert publish.recover(root / "build", declared=DECLARED)
    assert [p.exists() for p in stray] == [False] * 3 and [p.exists() for p in kept] == [True] * 3


def test_the_prune_never_follows_a_cache_folder_that_is_a_link(tmp_path):
    shared = tmp_path / "shared"
    (shared / "figures").mkdir(parents=True)
    victim = shared / "figures" / ("a" * 32)
    victim.write_text("someone else's")
    os.utime(victim, (0, 0))
    (tmp_path / "build").mkdir()
    os.symlink(shared, tmp_path / "build" / "cache")
    assert runner.prune(tmp_path / "build" / "cache") == [] and victim.exists()
    os.unlink(tmp_path / "build" / "cache")
    (tmp_path / "build" / "cache").mkdir()
    os.symlink(shared / "figures", tmp_path / "build" / "cache" / "figures")
    assert runner.prune(tmp_path / "build" / "cache") == [] and victim.exists()


def test_the_prune_removes_only_names_a_cache_creates(tmp_path):
    parse = tmp_path / "parse"
    parse.mkdir()
    ours, theirs = parse / f"{'e' * 64}.json", parse / "thesis.json"
    for p in (ours, theirs):
        p.write_text("{}")
        os.utime(p, (0, 0))
    assert runner.prune(tmp_path) == [ours] and theirs.exists()


def test_the_next_build_removes_side_files_a_killed_publish_left_in_committed_folders(make_root):
    stray = [make_root / "figures" / ".timeline.png.bak-4242", make_root / "figures" / ".timeline.png.new-4242",
             make_root / "_generated" / "._how-to-cite.md.new-77"]
    for p in stray:
        p.write_bytes(b"half written")
    done = run_make(make_root, "derive", timeout=300)
    assert done.returncode == 0, done.stderr[-1500:]
    assert [p.exists() for p in stray] == [False, False, False]


@pytest.mark.parametrize("stamp", [[1, 2], {"outputs": {"build/derived.csv": 5}}, {"inputs": "key"},
                                   {"outputs": {"../../outside.csv": {"key": "k", "digest": "d", "stat": [1, 2, 3],
                                                                       "at": 0}}}])
def test_a_build_record_of_the_wrong_shape_is_ignored_not_a_crash(make_root, stamp):
    (make_root / "build").mkdir(exist_ok=True)
    (make_root / "build" / runner.STAMP).write_text(json.dumps(stamp), encoding="utf-8")
    done = run_make(make_root, "derive", timeout=300)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-1500:]
    assert "build/build-stamp.json is not a build record; ignored (everything is rebuilt)" in done.stderr
    assert "../" not in (make_root / "build" / runner.STAMP).read_text(encoding="utf-8")
