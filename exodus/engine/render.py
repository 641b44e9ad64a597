"""Embedded render engine: _quarto.yml + report.qmd -> _output/report.html and report.pdf."""
from __future__ import annotations

import argparse
import concurrent.futures
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

import yaml

from exodus.report import lint_numbers
from exodus import paths
from exodus.engine import project
from exodus.engine import shortcodes

FILTERS = Path(__file__).resolve().parent / "filters"
ENGINE_FILTERS = ["crossref.lua"]  # Quarto does this itself; the engine must too
SOURCE_DATE = 0  # fixed typst timestamp: PDFs must not depend on when they were built


class BuildError(Exception):
    """A render that must not replace the last good outputs."""


def pandoc_path() -> str:
    import pypandoc  # imported late: only rendering needs the binary

    return pypandoc.get_pandoc_path()


def run_pre_render(proj: project.Project) -> None:
    """Run project.pre-render commands from the project root, as Quarto does."""
    env = dict(os.environ, QUARTO_PROJECT_RENDER_ALL="1", EXODUS_ROOT=str(proj.root),
               QUARTO_PROJECT_OUTPUT_DIR=proj.output_dir,
               PYTHONPATH=os.pathsep.join(filter(None, [str(proj.root), os.environ.get("PYTHONPATH")])))
    for command in proj.pre_render:
        argv = shlex.split(command)
        if argv and argv[0] in ("python", "python3"):
            argv[0] = sys.executable  # the interpreter running the engine, i.e. the venv
        print(f"render: pre-render: {command}", flush=True)
        done = subprocess.run(argv, cwd=proj.root, env=env)
        if done.returncode != 0:
            raise BuildError(f"pre-render command failed ({done.returncode}): {command}")


def load_variables(root: Path) -> dict:
    path = root / paths.VARIABLES.name
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def document(proj: project.Project, source: Path) -> tuple[dict, list[shortcodes.Line], list[Path]]:
    """Metadata, expanded lines and included files of one input document."""
    front, _, _ = shortcodes.split_front_matter(source.read_text(encoding="utf-8"))
    doc_meta = yaml.safe_load(front) if front else {}
    meta = {**proj.metadata, **(doc_meta or {})}
    ctx = shortcodes.Context(load_variables(proj.root), meta, proj.root)
    try:
        lines = shortcodes.expand(source, ctx)
    except shortcodes.ShortcodeError as e:
        raise BuildError("unresolved shortcodes:\n  " + "\n  ".join(e.problems)) from None
    return meta, lines, list(ctx.included)


def lint(source: Path, included: list[Path]) -> None:
    findings = lint_numbers.lint(lint_numbers.narrative_files(source, included))
    if findings:
        raise BuildError(f"numbers lint: {len(findings)} bare numeral(s):\n  "
                         + "\n  ".join(str(f) for f in findings))


def locate(lines: list[shortcodes.Line], needle: str) -> str:
    """file:line:column of the first expanded line containing needle."""
    for line in lines:
        col = line.text.find(needle)
        if col >= 0:
            return f"{paths.rel(line.file)}:{line.number}:{col + 1}"
    return "report"


def run_pandoc(args: list[str], cwd: Path, lines: list[shortcodes.Line]) -> None:
    done = subprocess.run([pandoc_path(), *args], cwd=cwd, capture_output=True, text=True)
    messages = [m for m in done.stderr.splitlines() if m.strip()]
    problems = []
    for m in messages:
        ref = re.search(r"unknown (?:cross-reference|citation key) @(\S+)", m)
        problems.append(f"{locate(lines, '@' + ref.group(1))}: {m}" if ref else m)
    if done.returncode != 0 or problems:
        raise BuildError("pandoc failed:\n  " + "\n  ".join(problems or [f"exit {done.returncode}"]))


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and (a.get("href") or "").startswith("#") and len(a["href"]) > 1:
            self.hrefs.append(a["href"][1:])


def check_links(html: str) -> None:
    """Every in-page link must land on an element: a dangling anchor is a build error."""
    parser = _Anchors()
    parser.feed(html)
    missing = sorted({h for h in parser.hrefs if h not in parser.ids})
    if missing:
        raise BuildError(f"{len(missing)} internal link target(s) missing in HTML: {', '.join(missing[:20])}")


def build_format(fmt: str, proj: project.Project, meta: dict, lines: list[shortcodes.Line],
                 scratch: Path, stem: str) -> list[Path]:
    """Render one format into scratch/ and return the files to publish."""
    writer_args, extra = project.pandoc_args(proj, fmt, meta)
    meta_file = scratch / f"{stem}.{fmt}.meta.yaml"
    fmt_meta = {k: v for k, v in {**meta, **extra}.items() if k not in ("number-sections",)}
    meta_file.write_text(yaml.safe_dump(fmt_meta, allow_unicode=True, sort_keys=True), encoding="utf-8")
    source = scratch / f"{stem}.md"
    filters = [str(FILTERS / f) for f in ENGINE_FILTERS] + [str(proj.root / f) for f in proj.filters]
    args = [str(source), "--from", "markdown", "--metadata-file", str(meta_file),
            f"--resource-path={proj.root}", "--fail-if-warnings"]
    args += [a for f in filters for a in ("--lua-filter", f)]
    if meta.get("bibliography"):
        args.append("--citeproc")
    if fmt == "html":
        out = scratch / f"{stem}.html"
        run_pandoc(args + writer_args + ["--output", str(out)], proj.root, lines)
        check_links(out.read_text(encoding="utf-8"))
        return [out]
    typ = scratch / f"{stem}.typ"
    run_pandoc(args + writer_args + ["--output", str(typ)], proj.root, lines)
    pdf = compile_typst(typ, proj)
    # keep-typ (as in Quarto) publishes the intermediate typst source beside the PDF.
    return [pdf, typ] if proj.formats.get("typst", {}).get("keep-typ") else [pdf]


def compile_typst(typ: Path, proj: project.Project) -> Path:
    import typst  # imported late: only PDF output needs it

    pdf = typ.with_suffix(".pdf")
    try:
        # root = project root: typst can read nothing outside it (figures live inside).
        _, warnings = typst.compile_with_warnings(str(typ), output=str(pdf), root=str(proj.root),
                                                  font_paths=project.font_paths(proj),
                                                  timestamp=SOURCE_DATE)
    except typst.TypstError as e:
        raise BuildError(f"typst failed: {getattr(e, 'diagnostic', None) or e}") from None
    for w in warnings or []:
        print(f"render: typst warning: {getattr(w, 'message', w)}", file=sys.stderr)
    return pdf


def publish(built: list[Path], out_dir: Path) -> list[Path]:
    """Move finished files into the output folder, each by an atomic rename."""
    out_dir.mkdir(parents=True, exist_ok=True)
    done = []
    for f in built:
        target = out_dir / f.name
        os.replace(f, target)
        done.append(target)
    return done


def render(formats: list[str], pre_render: bool = True, root: Path | None = None) -> list[Path]:
    """Full render; raises BuildError and leaves previous outputs in place on failure."""
    proj = project.load(root)
    unknown = [f for f in formats if f not in proj.formats]
    if unknown:
        raise BuildError(f"format(s) {unknown} are not configured in _quarto.yml")
    if pre_render:
        run_pre_render(proj)
    # Inside the root (typst reads figures relative to it); not a dot-folder: typst-py
    # misreads SVG files when the main .typ sits in a hidden directory.
    scratch_parent = proj.root / "build"
    scratch_parent.mkdir(parents=True, exist_ok=True)
    outputs = []
    with tempfile.TemporaryDirectory(prefix="render-scratch-", dir=scratch_parent) as tmp:
        scratch = Path(tmp)
        built = []
        for name in proj.render:
            source = proj.root / name
            meta, lines, included = document(proj, source)
            lint(source, included)
            stem = source.stem
            (scratch / f"{stem}.md").write_text("\n".join(l.text for l in lines) + "\n", encoding="utf-8")
            # Formats are independent pandoc/typst runs: on two cores they overlap.
            with concurrent.futures.ThreadPoolExecutor(max_workers=len(formats) or 1) as pool:
                jobs = [pool.submit(build_format, fmt, proj, meta, lines, scratch, stem) for fmt in formats]
                for job in jobs:
                    built += job.result()
        # Only now, with every format built, do the old outputs get replaced.
        outputs = publish(built, proj.root / proj.output_dir)
    return outputs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m exodus.engine.render", description=__doc__)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--html-only", action="store_true", help="render HTML only")
    group.add_argument("--pdf-only", action="store_true", help="render the typst PDF only")
    parser.add_argument("--no-pre-render", action="store_true", help="skip project pre-render commands")
    args = parser.parse_args(argv)
    formats = ["html"] if args.html_only else ["typst"] if args.pdf_only else ["html", "typst"]
    started = time.monotonic()
    try:
        outputs = render(formats, pre_render=not args.no_pre_render)
    except (BuildError, project.ConfigError) as e:
        print(f"render: error: {e}", file=sys.stderr)
        print("render: previous outputs left untouched", file=sys.stderr)
        return 1
    for o in outputs:
        print(f"render: wrote {paths.rel(o)} ({o.stat().st_size:,} bytes)")
    print(f"render: done in {time.monotonic() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
