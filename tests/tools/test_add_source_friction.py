"""make add-source and make candidates end 0 on their normal path; the title is the text's headline, never page furniture."""
import csv

from tests.conftest import run_make

PAGE = ("Accessibility links\nSkip to main content\nBBC Homepage\n\n"
        "Russians queue at the border as exodus grows\n\n"
        "Nearly 1 million people have left, officials said on Monday.\n")


def _source(root, sid):
    with (root / "data" / "sources.csv").open(encoding="utf-8", newline="") as fh:
        return next(r for r in csv.DictReader(fh) if r["id"] == sid)


def test_make_add_source_and_candidates_end_zero_and_list_the_new_figures(make_root, tmp_path):
    article = tmp_path / "page.txt"
    article.write_text(PAGE, encoding="utf-8")
    added = run_make(make_root, "add-source", f"FILE={article}", "ID=bbc_queue")
    assert added.returncode == 0 and "Error" not in added.stderr, added.stderr
    assert "'Nearly 1 million' uncovered" in added.stdout
    listed = run_make(make_root, "candidates", "ID=bbc_queue")
    assert listed.returncode == 0 and "Error" not in listed.stderr, listed.stderr
    assert "'Nearly 1 million' uncovered" in listed.stdout
    row = _source(make_root, "bbc_queue")
    assert row["title"] == "Russians queue at the border as exodus grows"
    assert "headline" in row["notes"]


def test_a_text_with_no_headline_leaves_the_title_unknown_with_a_note(make_root, tmp_path):
    article = tmp_path / "body.txt"
    article.write_text("Skip to main content\n\nNearly 1 million people have left the country since the order, officials said.\n",
                       encoding="utf-8")
    assert run_make(make_root, "add-source", f"FILE={article}", "ID=no_head").returncode == 0
    row = _source(make_root, "no_head")
    assert row["title"] == "unknown" and "set the title by hand" in row["notes"]
