"""The no-op fast path: unchanged stats skip hashing, but an edit, a racy stat or a changed output never does."""
import json
import os
import time

from exodus.pipeline import fingerprint, runner
from tests.pipeline.test_guarantees import build, built  # noqa: F401 (the built project fixture)


def _settled_stamp(root, files, key="k"):
    stat = fingerprint.stats(files, root)
    return {"inputs": {"key": key, "stat": stat, "at": time.time_ns() + 10 * fingerprint.TICK_NS}}, stat


def test_unchanged_settled_inputs_keep_their_key_and_any_edit_loses_it(tmp_path):
    f = tmp_path / "claims.csv"
    f.write_text("id\nA\n", encoding="utf-8")
    stamp, seen = _settled_stamp(tmp_path, [f])
    assert runner.known_key(stamp, seen) == "k"
    f.write_text("id\nB\n", encoding="utf-8")  # same size: only the stat's mtime tells
    os.utime(f, ns=(seen["claims.csv"][1] + 1, seen["claims.csv"][1] + 1))
    assert runner.known_key(stamp, fingerprint.stats([f], tmp_path)) is None
    g = tmp_path / "new.csv"
    g.write_text("x", encoding="utf-8")
    assert runner.known_key(stamp, fingerprint.stats([f, g], tmp_path)) is None


def test_a_stat_taken_within_a_clock_tick_of_the_change_is_not_trusted(tmp_path):
    f = tmp_path / "claims.csv"
    f.write_text("id\nA\n", encoding="utf-8")
    seen = fingerprint.stats([f], tmp_path)
    mtime = seen["claims.csv"][1]
    stamp = {"inputs": {"key": "k", "stat": seen, "at": mtime + fingerprint.TICK_NS // 2}}
    assert runner.known_key(stamp, seen) is None  # an edit in the same tick could keep this mtime
    assert not fingerprint.settled([4, 1_000_000_000 * 5, 1], 1_000_000_000 * 6)  # whole-second clocks: 2 s
    assert fingerprint.settled([4, 1_000_000_000 * 5 + 7, 1], 1_000_000_000 * 6)


def test_an_output_with_a_changed_or_racy_stat_is_checked_by_its_bytes(tmp_path):
    out = tmp_path / "report.html"
    out.write_text("<p>good</p>", encoding="utf-8")
    st = out.stat()
    rec = {"digest": fingerprint.file_digest(out), "stat": [st.st_size, st.st_mtime_ns, st.st_ino],
           "at": time.time_ns() + 10 * fingerprint.TICK_NS}
    assert runner.intact(out, rec)
    out.write_text("<p>evil</p>", encoding="utf-8")
    os.utime(out, ns=(st.st_mtime_ns, st.st_mtime_ns))  # even with the old mtime, the inode's bytes differ...
    assert runner.intact(out, {**rec, "at": st.st_mtime_ns}) is False  # ...and a racy stat is re-hashed
    out.unlink()
    assert runner.intact(out, rec) is False


def test_a_no_op_rebuild_after_a_build_neither_hashes_nor_reads_its_inputs(built):  # noqa: F811
    result = build(built, "-X", "importtime")
    assert result.returncode == 0 and "up to date" in result.stdout
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "import time:" in line}
    assert "exodus.pipeline.runner" in imported
    assert not imported & {"hashlib", "dataclasses", "subprocess"}, imported
    stamp = json.loads((built / "build" / runner.STAMP).read_text(encoding="utf-8"))
    assert "data/claims.csv" in stamp["inputs"]["stat"] and stamp["inputs"]["key"] == stamp["targets"]["report"]
