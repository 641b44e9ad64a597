"""Fingerprints follow content not timestamps; publishing replaces files whole."""
import os
import time

from exodus.pipeline import buildcache


def test_fingerprint_ignores_timestamps_but_not_bytes(tmp_path):
    a = tmp_path / "a.csv"
    a.write_text("x\n1\n")
    first = buildcache.fingerprint([a], tmp_path)
    os.utime(a, (time.time() + 3600, time.time() + 3600))
    assert buildcache.fingerprint([a], tmp_path) == first
    a.write_text("x\n2\n")
    assert buildcache.fingerprint([a], tmp_path) != first


def test_stamp_detects_a_changed_output(tmp_path):
    out = tmp_path / "_output" / "report.html"
    out.parent.mkdir()
    out.write_text("<p>ok</p>")
    stamp = {"outputs": {"_output/report.html": buildcache.file_digest(out)}}
    assert buildcache.outputs_intact(stamp, tmp_path)
    out.write_text("<p>changed</p>")
    assert not buildcache.outputs_intact(stamp, tmp_path)
    out.unlink()
    assert not buildcache.outputs_intact(stamp, tmp_path)


def test_publish_replaces_changed_files_and_drops_stale_ones(tmp_path):
    staged, dest = tmp_path / "staged", tmp_path / "dest"
    staged.mkdir()
    dest.mkdir()
    (dest / "old.png").write_bytes(b"old")
    (dest / "same.png").write_bytes(b"same")
    (dest / "keep.txt").write_bytes(b"not managed")
    (staged / "same.png").write_bytes(b"same")
    (staged / "new.png").write_bytes(b"new")
    written = buildcache.publish(staged, dest, ["*.png"])
    assert written == ["new.png"]
    assert sorted(p.name for p in dest.iterdir()) == ["keep.txt", "new.png", "same.png"]
    assert not list(dest.glob(".*.tmp"))
