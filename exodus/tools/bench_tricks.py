"""What the build's two speed tricks save: the stat-trusted no-op and the engine's own resource inliner."""
from __future__ import annotations

import statistics
import subprocess
import tempfile
import time
from pathlib import Path

REPEATS = 5


def _median(fn, clock, repeats: int = REPEATS) -> float:
    """Median seconds of fn() in this process by `clock` (time.process_time for CPU, time.perf_counter for wall)."""
    out = []
    for _ in range(repeats):
        started = clock()
        fn()
        out.append(clock() - started)
    return statistics.median(out)


def stat_layer(root: Path) -> tuple[float, float]:
    """CPU seconds a no-op spends deciding that nothing changed: trusting settled stats (inputs' key and
    outputs' stats) against hashing every input and output."""
    from exodus.pipeline import fingerprint, runner

    stamp = runner.read_stamp(root / "build")
    outputs = {root / rel: rec for rel, rec in (stamp.get("outputs") or {}).items() if (root / rel).is_file()}

    def trusted():
        inputs = runner.source_files(root)
        runner.known_key(stamp, fingerprint.stats(inputs, root))
        [runner.intact(p, rec) for p, rec in outputs.items()]

    def hashed():
        fingerprint.fingerprint(runner.source_files(root), root)
        [fingerprint.file_digest(p) for p in outputs]

    return _median(trusted, time.process_time), _median(hashed, time.process_time)


def inliner(root: Path) -> tuple[float, float]:
    """Wall seconds to write the self-contained HTML page: pandoc without embedding plus the engine's
    inliner, against pandoc's own --embed-resources (same document, filters and arguments)."""
    import yaml

    from exodus.engine import embed, project, render

    proj = project.load(root)
    meta, lines = render.document(proj, root / "report.qmd")
    with tempfile.TemporaryDirectory(prefix="bench-tricks-", dir=root / "build") as tmp:
        scratch = Path(tmp)
        render.read_document("html", proj, "\n".join(l.text for l in lines) + "\n", scratch, "page", root / "build" / "cache" / "parse")
        writer_args, extra = project.pandoc_args(proj, "html", meta)
        fmt_meta, citeproc = render.format_metadata(proj, "html", meta, extra)
        meta_file = scratch / "page.yaml"
        meta_file.write_text(yaml.safe_dump(fmt_meta, allow_unicode=True), encoding="utf-8")
        filters = [str(render.FILTERS / f) for f in render.ENGINE_FILTERS] + [str(root / f) for f in proj.filters]
        base = [render.pandoc_path(), str(scratch / "page.html.json"), "--from", "json", "--metadata-file",
                str(meta_file), f"--resource-path={root}", *[a for f in filters for a in ("--lua-filter", f)],
                *(["--citeproc"] if citeproc else [])]
        plain = [a for a in writer_args if a != "--embed-resources"]
        out = scratch / "out.html"

        def engine():
            subprocess.run(base + plain + ["--output", str(out)], cwd=root, check=True, capture_output=True)
            embed.inline(out.read_text(encoding="utf-8"), [root])

        def pandoc():
            subprocess.run(base + writer_args + ["--output", str(out)], cwd=root, check=True, capture_output=True)

        return _median(engine, time.perf_counter, 3), _median(pandoc, time.perf_counter, 3)


def measure(root: Path) -> dict[str, tuple[float, float]]:
    """(with the trick, without it) for each trick, on a built project."""
    return {"no-op decision, stats trusted vs every file hashed (CPU s)": stat_layer(root),
            "self-contained HTML, engine inliner vs pandoc's embedding (wall s)": inliner(root)}


def report(measured: dict[str, tuple[float, float]]) -> list[str]:
    """A table of what each trick saves, as a share of the cost without it."""
    lines = ["| speed trick | with it | without it | saved |", "| --- | ---: | ---: | ---: |"]
    for name, (with_it, without) in measured.items():
        saved = 1 - with_it / without if without else 0.0
        lines.append(f"| {name} | {with_it:.4f} | {without:.4f} | {saved:.0%} |")
    return lines
