"""Live preview: serve the built report and its evidence pages on 127.0.0.1, rebuild HTML on every save, reload the page."""
from __future__ import annotations

import argparse
import html
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from exodus import paths

DEFAULT_PORT = 4848
HOST = "127.0.0.1"  # never reachable from another machine
WATCHED = ("data", "report.qmd", "assets")
POLL_SECONDS = 0.1  # how often the watcher looks at the files
WAIT_SECONDS = 25  # the page's question "is there a build after N?" is answered at once or held this long
VERSION_PATH = "/__preview/version"
SKIPPED_PARTS = ("__pycache__",)
MAX_AFTER_DIGITS = 18  # a build counter never comes near it
MAX_FIELDS = 16  # query parameters read at most
# What the preview serves out of _output/: the report, its evidence pages and the downloads, by plain names only
# (no '..', no hidden files, no folders deeper than one), so a request can never name a file outside _output/.
SERVED = re.compile(r"/(?:(?:evidence/)?[A-Za-z0-9_][A-Za-z0-9_.-]*\.html|report\.pdf|downloads/[A-Za-z0-9_][A-Za-z0-9_.-]*)")
KINDS = {".html": "text/html; charset=utf-8", ".pdf": "application/pdf", ".zip": "application/zip",
         ".png": "image/png", ".csv": "text/csv; charset=utf-8"}

RELOAD_SCRIPT = """<script>
(function () {
  var seen = %(version)d;
  var key = "exodus-preview-scroll";
  var saved = sessionStorage.getItem(key);
  if (saved !== null) { sessionStorage.removeItem(key); window.scrollTo(0, parseFloat(saved)); }
  function poll() {
    fetch("%(path)s?after=" + seen, {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (s.version !== seen) { sessionStorage.setItem(key, String(window.scrollY)); location.reload(); }
      else { poll(); }
    }).catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
</script>"""

OVERLAY = """<div id="exodus-preview-error" role="alert" style="position:fixed;inset:0 0 auto 0;z-index:99999;
max-height:60vh;overflow:auto;background:#fff4f4;border-bottom:3px solid #b00020;color:#222;
font:14px/1.45 system-ui,sans-serif;padding:1em 1.5em;box-shadow:0 4px 12px rgba(0,0,0,.25)">
<button type="button" onclick="this.parentNode.remove()" aria-label="Hide this message"
style="float:right;font:inherit;border:1px solid #b00020;background:#fff;color:#b00020;border-radius:4px;
cursor:pointer;padding:.1em .6em">Hide</button>
<strong style="color:#b00020">The last save did not build; the report below is the last good one.</strong>
<pre style="white-space:pre-wrap;font:13px/1.4 ui-monospace,monospace;margin:.6em 0 0">%(text)s</pre>
</div>"""


def snapshot(root: Path, watched: tuple[str, ...] = WATCHED) -> dict[str, tuple[int, int]]:
    """(mtime_ns, size) of every watched file: any save changes one of them."""
    state = {}
    for name in watched:
        top = root / name
        files = [top] if top.is_file() else (p for p in top.rglob("*") if p.is_file()) if top.is_dir() else []
        for p in files:
            if any(part in SKIPPED_PARTS for part in p.parts):
                continue
            try:
                st = p.stat()
            except OSError:
                continue  # removed between listing and reading: the next look sees it gone
            state[str(p.relative_to(root))] = (st.st_mtime_ns, st.st_size)
    return state


def build_html(root: Path, running: list | None = None) -> tuple[bool, str]:
    """The HTML target through the pipeline's runner; (succeeded, what it printed on failure).

    The running build is kept in `running` so that stopping the preview can stop it too.
    """
    env = {**os.environ, "EXODUS_ROOT": str(root)}
    proc = subprocess.Popen([sys.executable, "-m", "exodus.pipeline", "html"], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if running is not None:
        running.append(proc)
    try:
        stdout, stderr = proc.communicate()
    finally:
        if running is not None:
            running.remove(proc)
    return proc.returncode == 0, "" if proc.returncode == 0 else failure_text(stdout, stderr)


def failure_text(stdout: str, stderr: str) -> str:
    """What the build said about the failure: its error lines, else everything it printed."""
    lines = [l for l in stderr.splitlines() if l.strip()]
    return "\n".join(lines or [l for l in stdout.splitlines() if l.strip()]) or "the build failed without a message"


class State:
    """The preview's one piece of shared state: a build counter and the last failure, if any."""

    def __init__(self) -> None:
        self.lock = threading.Condition()
        self.version = 0
        self.error = ""
        self.built_at = 0.0
        self.running: list[subprocess.Popen] = []  # the build under way, if any

    def record(self, ok: bool, error: str) -> None:
        with self.lock:
            self.version += 1
            self.error = "" if ok else error
            self.built_at = time.time()
            self.lock.notify_all()

    def read(self, after: int | None = None, wait: float = 0.0) -> tuple[int, str]:
        """The build counter and last error; with `after`, first wait up to `wait` s for a newer build."""
        with self.lock:
            if after is not None:
                self.lock.wait_for(lambda: self.version > after, timeout=wait)
            return self.version, self.error


def page(report: bytes | None, version: int, error: str) -> bytes:
    """The served page: the report on disk with the reload script (and any error) added, never written back."""
    script = RELOAD_SCRIPT % {"version": version, "path": VERSION_PATH}
    overlay = OVERLAY % {"text": html.escape(error)} if error else ""
    if report is None:
        body = ("<p>No report has been built yet; fix the problem above and save.</p>" if error
                else "<p>Building the report; this page reloads when it is ready.</p>")
        head = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Preview</title></head>"
        return f"{head}<body>{overlay}{body}{script}</body></html>".encode()
    text = report.decode("utf-8")
    at = text.rfind("</body>")
    at = len(text) if at < 0 else at
    return (text[:at] + overlay + script + text[at:]).encode("utf-8")


def allowed_host(host: str | None, port: int) -> bool:
    """The Host header names this server as the browser on this machine reaches it, and nothing else."""
    return host is not None and host.strip().lower() in (f"{HOST}:{port}", f"localhost:{port}")


def parse_after(query: str) -> int | None:
    """The build number a page asks about (`after=N`, N plain ASCII digits), None when it asks none;
    ValueError naming the parameter when the query is malformed."""
    from urllib.parse import parse_qsl

    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query), max_num_fields=MAX_FIELDS)
    except ValueError as e:
        raise ValueError(f"malformed query ({e})") from None
    values = [v for k, v in pairs if k == "after"]
    if len(values) > 1:
        raise ValueError("after= given more than once")
    if values and not (values[0].isascii() and values[0].isdigit() and len(values[0]) <= MAX_AFTER_DIGITS):
        raise ValueError(f"after= must be a build number of at most {MAX_AFTER_DIGITS} digits 0-9, "
                         f"not {values[0][:40]!r}")
    return int(values[0]) if values else None


def served_file(root: Path, route: str) -> Path | None:
    """The file under _output/ a request names, when it is one the preview serves: a plain name the build
    writes, a regular file and no link anywhere on its way; None otherwise."""
    if not SERVED.fullmatch(route):
        return None
    output = root / "_output"
    path = output.joinpath(*route.strip("/").split("/"))
    probe = output
    for part in path.relative_to(output).parts:
        probe = probe / part
        if probe.is_symlink():
            return None
    return path if path.is_file() else None


def handler(root: Path, state: State):
    """A request handler bound to one project and its preview state."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server name)
            if not allowed_host(self.headers.get("Host"), self.server.server_address[1]):
                # A page of another site, its name pointed at 127.0.0.1 (DNS rebinding), must not read the report.
                self._send(421, "text/plain; charset=utf-8", b"misdirected: the preview answers only "
                           b"127.0.0.1:PORT and localhost:PORT\n")
                return
            route, _, query = self.path.partition("?")
            try:
                after = parse_after(query)
            except ValueError as e:
                self._send(400, "text/plain; charset=utf-8", f"bad request: {e}\n".encode())
                return
            version, error = state.read(after, WAIT_SECONDS)
            if route == VERSION_PATH:
                self._send(200, "application/json", json.dumps({"version": version, "error": error}).encode())
            elif route in ("/", "/report.html"):
                report = root / "_output" / "report.html"
                self._send(200, "text/html; charset=utf-8",
                           page(report.read_bytes() if report.is_file() else None, version, error))
            elif (built := served_file(root, route)) is not None:
                kind = KINDS.get(built.suffix, "application/octet-stream")
                body = built.read_bytes()
                self._send(200, kind, page(body, version, error) if built.suffix == ".html" else body)
            else:
                self._send(404, "text/plain; charset=utf-8", b"not found: the preview serves the report, its "
                           b"evidence pages and downloads\n")

        def _send(self, code: int, kind: str, body: bytes) -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass  # one line per poll would drown the build messages

    return Handler


def rebuild(root: Path, state: State, stop: threading.Event, log, why: str) -> None:
    """One HTML build, recorded for the page unless the preview is stopping."""
    log(f"preview: {why}; building HTML")
    started = time.monotonic()
    ok, error = build_html(root, state.running)
    if stop.is_set():
        return  # stopped mid-build: the runner's transaction kept the last good outputs
    state.record(ok, error)
    log(f"preview: {'built' if ok else 'build failed, showing the error over the last good report'}"
        f" in {time.monotonic() - started:.2f}s")
    if error:
        log(error)


def watch(root: Path, state: State, stop: threading.Event, log=print) -> None:
    """Build once, then again whenever a watched file changes (a save during a build gets its own build)."""
    seen = snapshot(root)
    rebuild(root, state, stop, log, "starting")
    while not stop.wait(POLL_SECONDS):
        now = snapshot(root)
        if now == seen:
            continue
        changed = sorted(k for k in set(now) | set(seen) if now.get(k) != seen.get(k))
        seen = now
        rebuild(root, state, stop, log, f"{', '.join(changed[:3])}{' ...' if len(changed) > 3 else ''} changed")


def serve(root: Path, port: int, log=print) -> int:
    """Serve and watch until interrupted; 0 on Ctrl-C."""
    state = State()
    try:
        server = ThreadingHTTPServer((HOST, port), handler(root, state))
    except OSError as e:
        log(f"preview: cannot listen on {HOST}:{port}: {e.strerror or e}; choose another with PORT=")
        return 1
    server.daemon_threads = True
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(root, state, stop, log), daemon=True)
    log(f"preview: http://{HOST}:{server.server_address[1]}/ (watching {', '.join(WATCHED)}; Ctrl-C stops)")
    try:
        watcher.start()
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not break the clean stop
        log("preview: stopping")
    finally:
        stop.set()
        server.server_close()
        for proc in list(state.running):
            proc.send_signal(signal.SIGINT)  # the runner rolls back; nothing half-written is published
        watcher.join(timeout=30)
    log("preview: stopped")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m exodus.tools.preview", description=__doc__.split("\n")[0])
    parser.add_argument("--port", default=os.environ.get("PORT") or str(DEFAULT_PORT),
                        help=f"port on {HOST} (default: $PORT, else {DEFAULT_PORT}; 0 picks a free one)")
    args = parser.parse_args(argv)
    if not args.port.isdigit() or not 0 <= int(args.port) <= 65535:
        print(f"preview: PORT must be a number from 0 to 65535, not {args.port!r}", file=sys.stderr)
        return 2
    return serve(paths.ROOT, int(args.port), log=lambda m: print(m, flush=True))


if __name__ == "__main__":
    sys.exit(main())
