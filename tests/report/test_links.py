"""The link check: an anchor with no target, on its page or another, or a link to no file, fails; sound pages pass."""
from exodus.report import links


def page(where, body: str, name: str = "report.html"):
    html = where / name
    html.parent.mkdir(parents=True, exist_ok=True)
    html.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    return html


def test_sound_pages_pass(tmp_path):
    (tmp_path / "downloads").mkdir()
    (tmp_path / "downloads" / "chart.zip").write_bytes(b"zip")
    page(tmp_path / "evidence", '<p id="claim-a"><a href="../report.html#top">used</a><a href="#claim-a">me</a></p>', "s.html")
    html = page(tmp_path, '<h1 id="top">T</h1><a href="#top">up</a><a href="downloads/chart.zip">zip</a>'
                          '<a href="evidence/s.html#claim-a">a</a><a href="https://example.org/#x">away</a>')
    assert links.check(html) == []


def test_a_dangling_anchor_and_a_missing_download_are_each_named(tmp_path):
    html = page(tmp_path, '<h1 id="top">T</h1><a href="#claim-gone">x</a><a href="downloads/chart.zip">zip</a>')
    problems = links.check(html)
    assert len(problems) == 2
    assert "1 link target(s) missing: #claim-gone" in problems[0]
    assert "1 link(s) to files that were not written: downloads/chart.zip" in problems[1]


def test_links_across_pages_are_followed_to_their_anchor(tmp_path):
    page(tmp_path / "evidence", '<p id="claim-a"><a href="../report.html#use-claim-a-2">used</a></p>', "s.html")
    html = page(tmp_path, '<span id="use-claim-a-1"></span><a href="evidence/s.html#claim-b">b</a>'
                          '<a href="evidence/gone.html#claim-a">c</a><a href="../outside.html">d</a>')
    (tmp_path.parent / "outside.html").write_text("<p></p>", encoding="utf-8")
    problems = "\n".join(links.check(html))
    assert "evidence/s.html: 1 link target(s) missing: ../report.html#use-claim-a-2" in problems
    assert "1 link target(s) missing: evidence/s.html#claim-b" in problems
    # A page that does not exist, and a file outside the published folder, land nowhere a reader can follow.
    assert "2 link(s) to files that were not written: ../outside.html, evidence/gone.html#claim-a" in problems


def test_a_page_that_was_never_rendered_is_reported(tmp_path):
    assert "does not exist" in links.check(tmp_path / "report.html")[0]


def test_a_page_is_parsed_once_and_a_stored_reading_of_the_wrong_shape_is_not_trusted(tmp_path, monkeypatch):
    out = tmp_path / "out"
    (out / "evidence").mkdir(parents=True)
    (out / "report.html").write_text('<p id="top"><a href="evidence/e.html#x">x</a></p>', encoding="utf-8")
    (out / "evidence" / "e.html").write_text('<p id="x"><a href="../report.html#top">back</a></p>', encoding="utf-8")
    cache = tmp_path / "cache"
    fed = []
    real = links._Anchors.feed
    monkeypatch.setattr(links._Anchors, "feed", lambda self, text: fed.append(text) or real(self, text))
    assert links.check(out / "report.html", cache) == [] and len(fed) == 2
    assert links.check(out / "report.html", cache) == [] and len(fed) == 2  # both read from the cache
    # A stored reading claiming an anchor the page lacks is a different page's digest: never consulted.
    (out / "evidence" / "e.html").write_text('<p id="y"></p>', encoding="utf-8")
    assert "1 link target(s) missing: evidence/e.html#x" in "\n".join(links.check(out / "report.html", cache))
    # A stored reading of the wrong shape is parsed again.
    for stored in cache.glob("*.json"):
        stored.write_text('{"ids": "x", "hrefs": []}', encoding="utf-8")
    assert "link target(s) missing" in "\n".join(links.check(out / "report.html", cache))
    assert len(fed) == 5
