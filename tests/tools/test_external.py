"""External programs are found on PATH under any name they ship as, never at a fixed path."""
from exodus.tools import external


def test_a_browser_installed_under_another_name_is_found_on_path(tmp_path, monkeypatch):
    exe = tmp_path / "chromium-browser"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert external.find("chromium") == str(exe)
    assert external.find("pdftotext") is None


def test_a_tool_not_on_path_is_not_found_even_where_debian_puts_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert external.find("chromium") is None
