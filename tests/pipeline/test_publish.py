"""Publishing is one transaction: all outputs change together or none does, even when the process dies."""
import os

import pytest

from exodus.pipeline import publish


def tree(tmp_path):
    staged, dest = tmp_path / "stage", tmp_path / "root"
    for folder in (staged, dest):
        folder.mkdir()
    (dest / "a.html").write_text("old a")
    (dest / "b.pdf").write_text("old b")
    (dest / "gone.png").write_text("stale")
    (staged / "a.html").write_text("new a")
    (staged / "b.pdf").write_text("new b")
    (staged / "c.csv").write_text("new c")
    tx = publish.Transaction(writes=[(staged / n, dest / n) for n in ("a.html", "b.pdf", "c.csv")],
                             removals=[dest / "gone.png"])
    return dest, tx


def contents(folder):
    return {p.name: p.read_text() for p in sorted(folder.iterdir())}


def test_a_transaction_replaces_adds_and_removes_together(tmp_path):
    dest, tx = tree(tmp_path)
    publish.publish(tx, tmp_path / "build")
    assert contents(dest) == {"a.html": "new a", "b.pdf": "new b", "c.csv": "new c"}
    assert not (tmp_path / "build" / publish.JOURNAL).exists()


def test_a_failure_while_renaming_restores_every_previous_file(tmp_path, monkeypatch):
    dest, tx = tree(tmp_path)
    before = contents(dest)
    real, calls = os.replace, []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) == 2:  # the second rename fails: the first has already happened
            raise OSError(28, "No space left on device", str(dst))
        return real(src, dst)

    monkeypatch.setattr(publish.os, "replace", failing)
    with pytest.raises(publish.PublishError):
        publish.publish(tx, tmp_path / "build")
    monkeypatch.setattr(publish.os, "replace", real)
    assert contents(dest) == before


def test_an_output_that_cannot_be_written_changes_nothing(tmp_path):
    dest, tx = tree(tmp_path)
    before = contents(dest)
    # A file where the output folder should be: no new output can be written there, even as root.
    (dest / "_output").write_text("in the way")
    tx.writes.append((tx.writes[0][0], dest / "_output" / "report.html"))
    with pytest.raises(publish.PublishError):
        publish.publish(tx, tmp_path / "build")
    assert contents(dest) == {**before, "_output": "in the way"}
    assert not [p for p in dest.iterdir() if p.name.startswith(".")]


def test_a_publish_killed_half_way_is_rolled_back_by_the_next_build(tmp_path):
    dest, tx = tree(tmp_path)
    before = contents(dest)
    entries = publish._prepare(tx)
    journal = tmp_path / "build" / publish.JOURNAL
    journal.parent.mkdir()
    journal.write_text(publish._journal(entries, tmp_path))
    os.replace(entries[0]["new"], entries[0]["dest"])  # the process "dies" after one rename
    assert publish.recover(tmp_path / "build", declared=("root/*",))
    assert contents(dest) == before
    assert not journal.exists()
    assert not publish.recover(tmp_path / "build", declared=("root/*",))


def test_cache_entries_no_build_used_lately_are_pruned(tmp_path):
    import os

    from exodus.pipeline import runner
    now = 1_800_000_000.0
    old, fresh, old_dir = (tmp_path / "parse" / f"{'a' * 64}.json", tmp_path / "parse" / f"{'b' * 64}.json",
                           tmp_path / "figures" / ("c" * 32))
    for p in (old, fresh):
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("{}")
    old_dir.mkdir(parents=True)
    (old_dir / "chart.svg").write_text("<svg/>")
    for p in (old, old_dir):
        os.utime(p, (now - 15 * 86400, now - 15 * 86400))
    os.utime(fresh, (now - 13 * 86400, now - 13 * 86400))
    assert sorted(runner.prune(tmp_path, days=14, now=now)) == sorted([old, old_dir])
    assert fresh.exists() and not old.exists() and not old_dir.exists()
    assert runner.prune(tmp_path / "no-such-cache", now=now) == []
