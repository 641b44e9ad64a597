"""The link check: an anchor with no target, or a download link with no file, fails; a sound page passes."""
from exodus.report import links


def page(tmp_path, body: str):
    html = tmp_path / "report.html"
    html.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    return html


def test_a_sound_page_passes(tmp_path):
    (tmp_path / "downloads").mkdir()
    (tmp_path / "downloads" / "chart.zip").write_bytes(b"zip")
    html = page(tmp_path, '<h1 id="top">T</h1><a href="#top">up</a><a href="downloads/chart.zip">zip</a>')
    assert links.check(html) == []


def test_a_dangling_anchor_and_a_missing_download_are_each_named(tmp_path):
    html = page(tmp_path, '<h1 id="top">T</h1><a href="#claim-gone">x</a><a href="downloads/chart.zip">zip</a>')
    problems = links.check(html)
    assert len(problems) == 2
    assert "1 in-page link target(s) missing: claim-gone" in problems[0]
    assert "1 download link(s) to files that were not written: downloads/chart.zip" in problems[1]


def test_a_page_that_was_never_rendered_is_reported(tmp_path):
    assert "does not exist" in links.check(tmp_path / "report.html")[0]
