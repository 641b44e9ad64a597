"""The live preview: serves the report with a reload script, rebuilds on a save, shows data errors, stops on Ctrl-C."""
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from exodus.tools import bench, preview
from tests.pipeline.test_guarantees import set_field

WAIT = 600  # seconds: a cold HTML build on a busy machine; the test never judges speed


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read().decode("utf-8")


def state(base: str) -> dict:
    return json.loads(fetch(base + preview.VERSION_PATH))


def wait_for(base: str, after: int) -> dict:
    """The preview state once a build newer than `after` is recorded."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        s = state(base)
        if s["version"] > after:
            return s
        time.sleep(0.2)
    raise AssertionError(f"no new build within {WAIT}s")


@pytest.fixture
def running(tmp_path):
    """A preview of a fresh project copy on a free port; yields (process, base URL, root)."""
    root = bench.project_copy(tmp_path / "project")
    env = {**os.environ, "EXODUS_ROOT": str(root)}
    proc = subprocess.Popen([sys.executable, "-m", "exodus.tools.preview", "--port", "0"], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first = proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
        assert match, f"preview did not announce its address: {first!r}"
        yield proc, f"http://127.0.0.1:{match.group(1)}", root
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.slow
def test_preview_rebuilds_on_save_shows_errors_over_the_last_good_report_and_stops_cleanly(running):
    proc, base, root = running
    first = wait_for(base, 0)
    assert first["error"] == "", first["error"]
    served = fetch(base + "/")
    on_disk = (root / "_output" / "report.html").read_text(encoding="utf-8")
    assert preview.VERSION_PATH in served and preview.VERSION_PATH not in on_disk
    assert not (root / "_output" / "report.pdf").exists()  # HTML only

    set_field(root, "claims", "kazakhstan_entries", notes="Seen-again-in-the-preview.")
    edited = wait_for(base, first["version"])
    assert edited["error"] == "", edited["error"]
    # a claim's notes are shown on its source's evidence page, which the preview serves beside the report
    evidence = base + "/evidence/men_fleeing_russia.html"
    assert "Seen-again-in-the-preview." in fetch(evidence)
    good = hashlib.sha256((root / "_output" / "report.html").read_bytes()).hexdigest()

    set_field(root, "claims", "kazakhstan_entries", source_id="the_moon")
    broken = wait_for(base, edited["version"])
    assert re.search(r"data/claims\.csv:\d+:2: \[source_id\] unknown source 'the_moon'", broken["error"])
    page = fetch(base + "/")
    assert 'id="exodus-preview-error"' in page and "unknown source &#x27;the_moon&#x27;" in page
    assert "Seen-again-in-the-preview." in fetch(evidence)  # the last good pages stay under the error
    assert hashlib.sha256((root / "_output" / "report.html").read_bytes()).hexdigest() == good

    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=60) == 0
    assert "preview: stopped" in proc.stdout.read()
    with pytest.raises(OSError):
        fetch(base + "/")


def test_the_served_page_carries_the_script_and_escaped_error_but_the_report_is_unchanged():
    report = b"<html><body><p>Report</p></body></html>"
    page = preview.page(report, 7, "data/claims.csv:3:2: <b>bad</b>").decode()
    assert page.startswith("<html><body><p>Report</p>") and page.endswith("</body></html>")
    assert "var seen = 7;" in page and "&lt;b&gt;bad&lt;/b&gt;" in page and "<b>bad</b>" not in page
    assert "exodus-preview-error" not in preview.page(report, 7, "").decode()
    assert "No report has been built yet" in preview.page(None, 1, "data/claims.csv:3:2: bad").decode()


def test_snapshot_sees_edits_additions_and_removals_in_watched_files_only(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "claims.csv").write_text("id\n", encoding="utf-8")
    (tmp_path / "report.qmd").write_text("# R\n", encoding="utf-8")
    (tmp_path / "elsewhere.txt").write_text("x", encoding="utf-8")
    before = preview.snapshot(tmp_path)
    assert set(before) == {"data/claims.csv", "report.qmd"}
    (tmp_path / "data" / "claims.csv").write_text("id,extra\n", encoding="utf-8")
    (tmp_path / "data" / "new.csv").write_text("id\n", encoding="utf-8")
    (tmp_path / "report.qmd").unlink()
    after = preview.snapshot(tmp_path)
    assert set(after) == {"data/claims.csv", "data/new.csv"}
    assert after["data/claims.csv"] != before["data/claims.csv"]


def test_a_port_that_is_not_a_number_is_refused(monkeypatch, capsys):
    assert preview.main(["--port", "80; rm -rf /"]) == 2
    monkeypatch.setenv("PORT", "$(reboot)")  # how `make preview PORT=...` hands it over
    assert preview.main([]) == 2
    assert "PORT must be a number" in capsys.readouterr().err


def test_a_page_asking_for_a_newer_build_is_answered_the_moment_it_is_recorded():
    state_ = preview.State()
    assert state_.read(after=0, wait=0.05) == (0, "")  # nothing newer: held, then answered as it is
    answered = []
    waiter = threading.Thread(target=lambda: answered.append(state_.read(after=0, wait=30)))
    started = time.monotonic()
    waiter.start()
    time.sleep(0.2)
    assert not answered  # still held: no build yet
    state_.record(False, "data/claims.csv:3:2: bad")
    waiter.join(timeout=5)
    assert answered == [(1, "data/claims.csv:3:2: bad")] and time.monotonic() - started < 5
    assert state_.read(after=0, wait=30) == (1, "data/claims.csv:3:2: bad")  # already newer: at once


@pytest.fixture
def server(tmp_path):
    """The preview's request handler on a free port, over a project with one built report."""
    from http.server import ThreadingHTTPServer
    (tmp_path / "_output").mkdir()
    (tmp_path / "_output" / "report.html").write_text("<html><body><p>the report</p></body></html>")
    httpd = ThreadingHTTPServer((preview.HOST, 0), preview.handler(tmp_path, preview.State()))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def ask(port: int, path: str = "/", host: str | None = None) -> tuple[int, bytes]:
    """(status, body) of a GET sent as raw HTTP, with exactly the Host header given (none when None)."""
    import socket
    with socket.create_connection((preview.HOST, port), timeout=10) as sock:
        head = f"GET {path} HTTP/1.1\r\n" + (f"Host: {host}\r\n" if host is not None else "") + "Connection: close\r\n\r\n"
        sock.sendall(head.encode("latin-1"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    if not data:
        return 0, b""  # the connection was dropped without an answer
    status = int(data.split(b" ", 2)[1])
    return status, data.partition(b"\r\n\r\n")[2]


@pytest.mark.parametrize("host", ["evil.example:{port}", "127.0.0.1.nip.io:{port}", "localhost:1", "127.0.0.1",
                                  "localhost", "[::1]:{port}", None])
def test_a_request_for_another_host_name_is_refused_with_421(server, host):
    status, body = ask(server, "/", None if host is None else host.format(port=server))
    assert status == 421 and b"the report" not in body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LocalHost:{port}"])
def test_the_report_is_served_to_this_machine_by_its_own_names(server, host):
    status, body = ask(server, "/", host.format(port=server))
    assert status == 200 and b"the report" in body


@pytest.mark.parametrize("query", ["after=\u00b2", "after=" + "9" * 5000, "after=-1", "after=1&after=2", "after=%zz1",
                                   "after=1e3", "a=1&&&b"])
def test_a_malformed_parameter_is_answered_400_not_a_dropped_connection(server, query):
    status, body = ask(server, f"{preview.VERSION_PATH}?{query}", f"127.0.0.1:{server}")
    assert status == 400 and body.startswith(b"bad request:")


@pytest.fixture
def built_pages(tmp_path):
    """A project whose _output/ holds the report, an evidence page, a download, a hidden file and a link out."""
    out = tmp_path / "_output"
    (out / "evidence").mkdir(parents=True)
    (out / "downloads").mkdir()
    (out / "report.html").write_text("<html><body><p>the report</p></body></html>")
    (out / "evidence" / "men_fleeing_russia.html").write_text("<html><body><p>an evidence page</p></body></html>")
    (out / "downloads" / "data-package.zip").write_bytes(b"PK\x03\x04zip")
    (out / ".secret.html").write_text("<p>hidden</p>")
    (tmp_path / "outside.html").write_text("<p>outside</p>")
    (out / "evidence" / "linked.html").symlink_to(tmp_path / "outside.html")
    return tmp_path


def test_evidence_pages_and_downloads_are_served_with_the_reload_script(built_pages):
    assert preview.served_file(built_pages, "/evidence/men_fleeing_russia.html") is not None
    assert preview.served_file(built_pages, "/downloads/data-package.zip") is not None
    body = preview.page((built_pages / "_output/evidence/men_fleeing_russia.html").read_bytes(), 3, "")
    assert b"an evidence page" in body and preview.VERSION_PATH.encode() in body


@pytest.mark.parametrize("route", ["/evidence/linked.html", "/.secret.html", "/../outside.html",
                                   "/evidence/../../outside.html", "/evidence/%2e%2e/outside.html",
                                   "/evidence/missing.html", "/evidence/sub/deeper.html", "/data/claims.csv"])
def test_nothing_outside_the_built_pages_is_served(built_pages, route):
    assert preview.served_file(built_pages, route) is None


def test_an_evidence_page_is_served_over_http(tmp_path):
    from http.server import ThreadingHTTPServer
    (tmp_path / "_output" / "evidence").mkdir(parents=True)
    (tmp_path / "_output" / "evidence" / "src.html").write_text("<html><body><p>entries</p></body></html>")
    httpd = ThreadingHTTPServer((preview.HOST, 0), preview.handler(tmp_path, preview.State()))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        port = httpd.server_address[1]
        status, body = ask(port, "/evidence/src.html", f"127.0.0.1:{port}")
        assert status == 200 and b"entries" in body
        assert ask(port, "/evidence/../report.qmd", f"127.0.0.1:{port}")[0] == 404
    finally:
        httpd.shutdown()
        httpd.server_close()
