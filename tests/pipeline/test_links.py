"""Links under data/ are listed by their own path and refused; no walk of the inputs ever follows one."""
import os

from exodus.pipeline import fingerprint, runner
from tests.conftest import run_make


def looped(root):
    """Two folder links inside data/ pointing back at data/: a walk that follows links never ends."""
    os.symlink("..", root / "data" / "sources" / "up")
    os.symlink("../data", root / "data" / "loop")


def test_the_input_walk_lists_a_folder_link_once_and_never_enters_it(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.csv").write_text("x\n")
    os.symlink("../data", tmp_path / "data" / "loop")
    assert fingerprint.matching(tmp_path, ["data/**"]) == [tmp_path / "data" / "a.csv", tmp_path / "data" / "loop"]


def test_a_file_link_is_fingerprinted_by_where_it_points_not_by_reading_it(tmp_path):
    (tmp_path / "data").mkdir()
    os.mkfifo(tmp_path / "pipe")  # reading through the link would block for ever
    os.symlink(tmp_path / "pipe", tmp_path / "data" / "a.csv")
    files = runner.source_files(tmp_path)
    assert files == [tmp_path / "data" / "a.csv"]
    assert fingerprint.fingerprint(files, tmp_path) != fingerprint.fingerprint([], tmp_path)
    assert fingerprint.stat_of(files[0])[2] == os.lstat(files[0]).st_ino


def test_make_check_refuses_every_link_under_data_by_its_path(make_root):
    looped(make_root)
    done = run_make(make_root, "check", timeout=120)
    out = done.stdout + done.stderr
    assert done.returncode != 0 and "Traceback" not in out
    assert "data/loop:0:0: is a symbolic link (to ../data); expected a regular file inside data/, not a link" in out
    assert "data/sources/up:0:0: is a symbolic link (to ..)" in out


def test_a_build_with_links_back_to_data_stops_naming_them_and_publishes_nothing(make_root):
    looped(make_root)
    before = (make_root / "_variables.yml").read_bytes()
    done = run_make(make_root, "figures", timeout=120)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "data/loop:0:0: is a symbolic link" in done.stdout + done.stderr
    assert (make_root / "_variables.yml").read_bytes() == before


def test_the_tree_a_tool_reads_is_copied_without_following_links(tmp_path):
    import pytest

    from exodus.context import Context, StageError
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "report.css").write_text("body {}\n")
    os.symlink("..", tmp_path / "assets" / "loop")
    ctx = Context(tmp_path, scratch=tmp_path / "scratch", inputs=("assets/**",))
    with pytest.raises(StageError, match=r"assets/loop: symbolic link\(s\) among the inputs"):
        ctx.tree()
    assert not (tmp_path / "scratch" / "assets" / "loop").exists()


def test_the_tree_holds_every_declared_input(tmp_path):
    from exodus.context import Context
    (tmp_path / "assets" / "img").mkdir(parents=True)
    (tmp_path / "assets" / "img" / "a.png").write_bytes(b"png")
    (tmp_path / "report.qmd").write_text("# R\n")
    ctx = Context(tmp_path, scratch=tmp_path / "scratch", inputs=("assets/**", "report.qmd"))
    out = ctx.tree()
    assert (out / "assets" / "img" / "a.png").read_bytes() == b"png" and (out / "report.qmd").exists()
