"""The finished-output cache is trusted only as far as its shape and seal: no link is followed, a PDF must be one,
and a cache that cannot be written is skipped with a warning."""
import os

from exodus.engine import outcache


def stored(tmp_path):
    out = tmp_path / "made"
    out.mkdir()
    (out / "report.typ").write_text("= Report\n")
    (out / "report.pdf").write_bytes(b"%PDF-1.7\n...")
    cache = tmp_path / "outputs"
    outcache.store(cache, "k" * 64, [out / "report.typ", out / "report.pdf"])
    dest = tmp_path / "dest"
    dest.mkdir()
    return cache, cache / ("k" * 64), dest


def test_a_stored_entry_is_fetched(tmp_path):
    cache, _, dest = stored(tmp_path)
    assert outcache.fetch(cache, "k" * 64, ["report.typ", "report.pdf"], dest)
    assert (dest / "report.pdf").read_bytes().startswith(b"%PDF-")


def test_a_stored_file_that_is_a_link_is_not_fetched(tmp_path):
    cache, entry, dest = stored(tmp_path)
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"%PDF-1.7 someone else's")
    (entry / "report.pdf").unlink()
    os.symlink(secret, entry / "report.pdf")
    assert not outcache.fetch(cache, "k" * 64, ["report.typ", "report.pdf"], dest)
    assert not (dest / "report.pdf").exists()


def test_a_stored_pdf_that_is_not_a_pdf_is_not_fetched(tmp_path):
    cache, entry, dest = stored(tmp_path)
    (entry / "report.pdf").write_bytes(b"<html><script>alert(1)</script>")
    assert not outcache.fetch(cache, "k" * 64, ["report.typ", "report.pdf"], dest)


def test_an_entry_that_is_a_link_is_not_fetched(tmp_path):
    cache, entry, dest = stored(tmp_path)
    os.rename(entry, tmp_path / "elsewhere")
    os.symlink(tmp_path / "elsewhere", entry)
    assert not outcache.fetch(cache, "k" * 64, ["report.typ", "report.pdf"], dest)


def test_a_cache_that_cannot_be_written_is_skipped_with_a_warning(tmp_path, capsys):
    (tmp_path / "build").write_text("a file where the cache folder should be")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.7")
    outcache.store(tmp_path / "build" / "outputs", "k" * 64, [tmp_path / "report.pdf"])
    assert capsys.readouterr().err.count("cannot be written") == 1


def test_a_stored_page_or_word_file_of_the_wrong_kind_is_not_fetched(tmp_path):
    out = tmp_path / "made"
    out.mkdir()
    (out / "page.html").write_text("<!DOCTYPE html>\n<html></html>\n")
    (out / "report.docx").write_bytes(b"PK\x03\x04 a zip")
    cache, dest = tmp_path / "outputs", tmp_path / "dest"
    dest.mkdir()
    outcache.store(cache, "h" * 64, [out / "page.html"])
    outcache.store(cache, "d" * 64, [out / "report.docx"])
    assert outcache.listed(cache, "h" * 64) == ["page.html"]
    assert outcache.fetch(cache, "h" * 64, ["page.html"], dest) and outcache.fetch(cache, "d" * 64, ["report.docx"], dest)
    (cache / ("h" * 64) / "page.html").write_text("%PDF-1.7 not a page")
    (cache / ("d" * 64) / "report.docx").write_text("<html>not a Word file</html>")
    assert not outcache.fetch(cache, "h" * 64, ["page.html"], dest)
    assert not outcache.fetch(cache, "d" * 64, ["report.docx"], dest)


def test_a_stored_page_edited_or_sealed_by_another_key_is_not_fetched(tmp_path, monkeypatch):
    from exodus.engine import seal

    made = tmp_path / "made"
    made.mkdir()
    (made / "a.html").write_text("<!DOCTYPE html><p>the page</p>", encoding="utf-8")
    store, out = tmp_path / "store", tmp_path / "out"
    out.mkdir()
    outcache.store(store, "k" * 64, [made / "a.html"])
    assert outcache.fetch(store, "k" * 64, ["a.html"], out)
    page = store / ("k" * 64) / "a.html"
    page.write_text("<!DOCTYPE html><p>the page</p><script>alert(1)</script>", encoding="utf-8")
    assert not outcache.fetch(store, "k" * 64, ["a.html"], out)  # the right shape, not the sealed bytes
    outcache.store(tmp_path / "other", "k" * 64, [made / "a.html"])
    monkeypatch.setattr(seal, "_KEY", [b"k" * 32])  # another user, or a cache restored from elsewhere
    assert not outcache.fetch(tmp_path / "other", "k" * 64, ["a.html"], out)


def test_without_a_folder_for_the_key_nothing_stored_is_trusted(tmp_path, monkeypatch, capsys):
    from exodus.engine import seal

    made = tmp_path / "made"
    made.mkdir()
    (made / "a.html").write_text("<!DOCTYPE html><p>the page</p>", encoding="utf-8")
    outcache.store(tmp_path / "store", "k" * 64, [made / "a.html"])
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the key's folder would be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    monkeypatch.setattr(seal, "_KEY", [])
    assert not outcache.fetch(tmp_path / "store", "k" * 64, ["a.html"], tmp_path)
    assert "this build trusts no stored entry" in capsys.readouterr().err
