"""The finished-output cache is trusted only as far as its shape: no link is followed, a PDF must be one,
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
