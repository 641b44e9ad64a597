"""Registering a new source needs no code change, and its figures show up as candidates."""
from tests.conftest import run_module


def test_register_then_list_candidates(mini_root, tmp_path):
    article = tmp_path / "new.txt"
    article.write_text("Queue at the border\n\nMore than 5,000 cars waited at Verkhnii Lars on Sunday.\n", encoding="utf-8")
    result = run_module("tools.add_source", mini_root, str(article), "--id", "border_queue")
    assert result.returncode == 0, result.stderr
    assert (mini_root / "data" / "sources" / "border_queue.txt").read_bytes() == article.read_bytes()
    row = (mini_root / "data" / "sources.csv").read_text(encoding="utf-8").splitlines()[-1]
    assert row.startswith("border_queue,sources/border_queue.txt,") and ",unknown,unknown,unknown,unknown,Queue at the border,,unknown," in row
    assert run_module("stages.validate", mini_root).returncode == 0
    audit = run_module("stages.audit", mini_root, "--source", "border_queue")
    assert audit.returncode == 1
    assert "'More than 5,000' uncovered in source border_queue" in audit.stdout


def test_register_refuses_duplicates_and_bad_bytes(mini_root, tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_bytes((mini_root / "data" / "sources" / "mini.txt").read_bytes())
    result = run_module("tools.add_source", mini_root, str(copy), "--id", "again")
    assert result.returncode != 0 and "already registered as 'mini'" in result.stderr
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Caf\xe9 prices".encode("latin-1"))
    result = run_module("tools.add_source", mini_root, str(latin1), "--id", "latin")
    assert result.returncode != 0 and "not UTF-8" in result.stderr
