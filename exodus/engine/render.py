"""A Quarto-compatible render engine: _quarto.yml + report.qmd -> HTML and typst PDF, in Quarto's order.

Order of operations, as Quarto 1.5+ does it:
1. build the project context: read _quarto.yml and expand every include (a missing target fails here,
   before any pre-render script has had a chance to write it);
2. run project.pre-render entries: a `.py` entry with QUARTO_PYTHON, else `python3` on PATH; any other
   entry as a command on PATH (never through a shell, never inside a virtual environment);
3. read the project again (metadata, _variables.yml, includes) and render each format;
4. run project.post-render entries the same way.
Variables are kept in the document metadata as `_quarto-vars`, where Lua filters can see them, in every
document that prints one (or in all, when a filter, include or template names them). A page that prints none
is given none: its output cannot depend on them, and pandoc reading every variable's markdown for each of
hundreds of evidence pages made a build grow with the square of the articles.
This module imports nothing from the rest of the project.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from exodus.engine import metavars, outcache, parse, project, shortcodes
from exodus.engine.formats import FORMATS, Job
from exodus.engine.project import rel

ENGINE = Path(__file__).resolve().parent  # the engine's code: every output rests on it
FILTERS = ENGINE / "filters"
ENGINE_FILTERS = ["conditional.lua", "crossref.lua", "landmark.lua"]  # Quarto does these itself; the engine must too
OUTPUTS = "outputs"  # beside the chunk readings: finished outputs by the digest of what made them
RESOURCE_DIRS = ("figures", "assets")  # what a document loads besides its bibliography
# From this many documents a new page is read whole, once (parse.first_reading): most pages of a large project
# are never edited, and a page read whole costs half of its chunks and their proof; in a small one every page
# is soon edited, and chunks already read make its first edit cheap (0.12 s, not 0.45 s, for a 57 kB page).
WHOLE_FROM_DOCUMENTS = 40
VARIABLES_FILE = "_variables.yml"


class BuildError(Exception):
    """A render that must not replace the last good outputs."""


def pandoc_path() -> str:
    import pypandoc  # imported late: only rendering needs the binary

    return pypandoc.get_pandoc_path()


def script_argv(entry: str) -> list[str]:
    """How Quarto runs a pre- or post-render entry: .py with Quarto's Python, else a command on PATH."""
    argv = shlex.split(entry)
    if argv and argv[0].endswith(".py"):
        python = os.environ.get("QUARTO_PYTHON") or shutil.which("python3") or "python3"
        return [python, *argv]
    return argv


def run_scripts(proj: project.Project, entries: list[str], when: str, outputs: list[Path] = ()) -> None:
    """Run project scripts from the project root with Quarto's environment variables."""
    env = dict(os.environ, QUARTO_PROJECT_RENDER_ALL="1", QUARTO_PROJECT_DIR=str(proj.root),
               QUARTO_PROJECT_OUTPUT_DIR=proj.output_dir,
               QUARTO_PROJECT_INPUT_FILES="\n".join(proj.render),
               QUARTO_PROJECT_OUTPUT_FILES="\n".join(str(o) for o in outputs))
    for entry in entries:
        print(f"render: {when}: {entry}", flush=True)
        try:
            done = subprocess.run(script_argv(entry), cwd=proj.root, env=env)
        except OSError as e:
            raise BuildError(f"{when} entry {entry!r} could not start: {e}") from None
        if done.returncode != 0:
            raise BuildError(f"{when} entry failed ({done.returncode}): {entry}")


def yaml_load(text: str):
    """YAML as yaml.safe_load reads it, through libyaml when PyYAML has it (ten times faster on the variables)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def yaml_dump(data) -> str:
    return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True, sort_keys=True)


def load_variables(root: Path) -> dict:
    path = root / VARIABLES_FILE
    if not path.exists():
        return {}
    return yaml_load(path.read_text(encoding="utf-8")) or {}


def project_context(proj: project.Project) -> None:
    """Quarto's first pass: every include of every input must already exist."""
    problems = [p for name in proj.render for p in shortcodes.missing_includes(proj.root / name, proj.root)]
    if problems:
        raise BuildError("\n  ".join(["ERROR: include expansion failed before pre-render:", *problems]))


def document(proj: project.Project, source: Path, variables: dict | None = None,
             everywhere: bool | None = None, front: dict | None = None) -> tuple[dict, list[shortcodes.Line]]:
    """Metadata (with the project variables as _quarto-vars where it prints one) and expanded lines of one
    input; `variables`, the project's _variables.yml, `everywhere`, whether every page carries them
    (variables_everywhere), and `front`, its front_matter, each when the caller has it already."""
    variables = load_variables(proj.root) if variables is None else variables
    meta = front_matter(proj, source) if front is None else front
    ctx = shortcodes.Context(variables, meta, proj.root)
    try:
        lines = shortcodes.expand(source, ctx)
    except shortcodes.ShortcodeError as e:
        raise BuildError("unresolved shortcodes:\n  " + "\n  ".join(e.problems)) from None
    if variables and (ctx.used or (variables_everywhere(proj, variables) if everywhere is None else everywhere)):
        meta = {**meta, metavars.KEY: variables}
    return meta, lines


def front_matter(proj: project.Project, source: Path) -> dict:
    """The project's metadata with one input's front matter over it."""
    front, _, _ = shortcodes.split_front_matter(source.read_text(encoding="utf-8"))
    return {**proj.metadata, **((yaml_load(front) if front else None) or {})}


def variables_everywhere(proj: project.Project, variables: dict) -> bool:
    """Whether every page carries the variables, printed or not: a file the render hands pandoc names them."""
    return bool(variables) and reads_variables({metavars.KEY: variables}, project_files(proj))


def project_files(proj: project.Project) -> list[Path]:
    """Every file a render may hand pandoc besides the document: the filters, and each file a format's
    options name (includes, templates, CSS, CSL)."""
    named = [FILTERS / f for f in ENGINE_FILTERS] + [proj.root / f for f in proj.filters]
    for opts in proj.formats.values():
        for value in opts.values():
            named += [proj.root / str(v).lstrip("/") for v in project.as_list(value)
                      if isinstance(v, str) and v and (proj.root / v.lstrip("/")).is_file()]
    return named


def locate(lines: list[shortcodes.Line], needle: str, root: Path) -> str:
    """file:line:column of the first expanded line containing needle."""
    for line in lines:
        col = line.text.find(needle)
        if col >= 0:
            return f"{rel(line.file, root)}:{line.number}:{col + 1}"
    return "report"


def run_pandoc(args: list[str], cwd: Path, lines: list[shortcodes.Line]) -> None:
    # A fixed SOURCE_DATE_EPOCH: the times pandoc writes into a Word file are not when it ran.
    done = subprocess.run([pandoc_path(), *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "0"})
    problems = []
    for m in (m for m in done.stderr.splitlines() if m.strip()):
        ref = re.search(r"unknown (?:cross-reference|citation key) @(\S+)", m)
        problems.append(f"{locate(lines, '@' + ref.group(1), cwd)}: {m}" if ref else m)
    if done.returncode != 0 or problems:
        raise BuildError("pandoc failed:\n  " + "\n  ".join(problems or [f"exit {done.returncode}"]))


def format_metadata(proj: project.Project, fmt: str, meta: dict, extra: dict) -> tuple[dict, bool]:
    """Metadata as the format sees it, and whether pandoc's citeproc runs (each format has its default:
    Quarto's typst format hands the bibliography to typst itself)."""
    opts = proj.formats.get(fmt, {})
    citeproc = bool(meta.get("bibliography")) and bool(opts.get("citeproc", FORMATS[fmt].CITEPROC))
    fmt_meta = {k: v for k, v in {**meta, **extra}.items() if k not in ("number-sections", "citeproc")}
    return FORMATS[fmt].metadata(opts, fmt_meta, citeproc), citeproc


@contextlib.contextmanager
def reported(fmt: str, step: str):
    """Say how long one step of a format took ("render: html: written in 1.20s"; the benchmark reads it)."""
    started = time.monotonic()
    yield
    print(f"render: {fmt}: {step} in {time.monotonic() - started:.2f}s", flush=True)


def read_document(fmt: str, proj: project.Project, text: str, scratch: Path, stem: str,
                  cache: Path | None, verify: bool = False, page: str = "") -> Path:
    """The expanded markdown as pandoc's AST, for one format (formats share every chunk without images);
    page, the input's path from the project root."""
    started, stats = time.monotonic(), {}
    try:
        doc = parse.read(text, parse.Reader(pandoc_path(), _image_extension(proj, fmt), cache), stats, verify,
                         fmt=fmt, page=page)
    except parse.ParseError as e:
        raise BuildError(f"pandoc could not read the document:\n  {e}") from None
    out = scratch / f"{stem}.{fmt}.json"
    out.write_text(doc, encoding="utf-8")
    verified = str(stats.get("verified", ""))
    proof = {"now": ", proved equal to a whole reading", "before": ", a plan proved before"}.get(
        verified, f", proved {verified[5:]}" if verified.startswith("now, ") else "")
    print(f"render: {fmt}: read {stats['chunks']} chunk(s), {stats['read']} by pandoc{proof}, in "
          f"{time.monotonic() - started:.2f}s", flush=True)
    return out


def _image_extension(proj: project.Project, fmt: str) -> str:
    return str(proj.formats.get(fmt, {}).get("default-image-extension") or "")


def build_format(fmt: str, proj: project.Project, meta: dict, lines: list[shortcodes.Line],
                 scratch: Path, stem: str, cache: Path | None = None, verify: bool = False, page: str = "") -> list[Path]:
    """Render one format into scratch/ and return the files to publish; what was made before from the same
    text (or the same reading of it) and the same files is reused, not written again. page, the input's path
    from the project root when a new page is read whole (see WHOLE_FROM_DOCUMENTS)."""
    writer_args, extra = project.pandoc_args(proj, fmt, meta)
    fmt_meta, citeproc = format_metadata(proj, fmt, meta, extra)
    meta_file = scratch / f"{stem}.{fmt}.meta.yaml"
    # The variables go into the document pandoc writes from, read once for every page and format.
    meta_file.write_text(yaml_dump({k: v for k, v in fmt_meta.items() if k != metavars.KEY}), encoding="utf-8")
    filters = [str(FILTERS / f) for f in ENGINE_FILTERS] + [str(proj.root / f) for f in proj.filters]
    args = ["--from", "json", "--metadata-file", str(meta_file), f"--resource-path={proj.root}", "--fail-if-warnings"]
    args += [a for f in filters for a in ("--lua-filter", f)] + (["--citeproc"] if citeproc else [])
    args += FORMATS[fmt].variables(fmt_meta, citeproc)
    store = cache.parent / OUTPUTS if cache else None
    text = "\n".join(l.text for l in lines) + "\n"
    # The stem is in the key: the files stored are named after it (two pages may read the same).
    key = lambda proved: output_key(fmt, proj, fmt_meta, meta_file, args + writer_args,  # noqa: E731
                                    f"text {proved}\0{stem}\0{text}")
    keys = [key(verify)]
    reused = _reuse(fmt, store, keys[0], scratch, stem)
    if reused is None and not verify:  # what a proved reading made serves a build that proves nothing too
        reused = _reuse(fmt, store, key(True), scratch, stem)
    if reused is not None:
        return reused
    source = read_document(fmt, proj, text, scratch, stem, cache, verify, page)
    keys.append(output_key(fmt, proj, fmt_meta, meta_file, args + writer_args, f"read\0{stem}\0" + source.read_text(encoding="utf-8")))
    made = _reuse(fmt, store, keys[1], scratch, stem)
    if made is None:
        if metavars.KEY in fmt_meta:
            reader = parse.Reader(pandoc_path(), _image_extension(proj, fmt), cache)
            value = metavars.read(fmt_meta[metavars.KEY], reader, yaml_dump)
            source.write_text(metavars.inject(source.read_text(encoding="utf-8"), value), encoding="utf-8")
        job = Job([str(source), *args], writer_args, scratch, stem, proj, fmt_meta, meta_file,
                  source, cache, lambda a: run_pandoc(a, proj.root, lines), lambda step: reported(fmt, step))
        made = FORMATS[fmt].write(job)
        outcache.store(store, keys[1], made)
    outcache.store(store, keys[0], made)  # the text's key missed: it is new, whichever way the files came
    return made


def _reuse(fmt: str, store: Path | None, key: str, scratch: Path, stem: str) -> list[Path] | None:
    """The files stored under key, copied into scratch/; None when there is no sound entry."""
    names = outcache.listed(store, key)
    if not names or not outcache.fetch(store, key, names, scratch):
        return None
    print(f"render: {fmt}: {stem}: what it rests on is unchanged; the last output reused", flush=True)
    return [scratch / n for n in names]


def output_key(fmt: str, proj: project.Project, meta: dict, meta_file: Path, args: list[str], document: str) -> str:
    """Everything a format's output rests on: the document, its metadata and arguments (paths in the scratch
    folder left out), every file they name (filters, CSS, CSL, headers), the bibliography, the files under
    figures/ and assets/ the page may load, the engine's own code, pandoc's binary and version, and what the
    format adds (typst: its fonts and version)."""
    pandoc, scratch = Path(pandoc_path()), str(meta_file.parent)
    kept = [a for a in args if not a.startswith(scratch)]
    named = [proj.root / a for a in kept if not a.startswith("-") and (proj.root / a).is_file()]
    named += [proj.root / str(b).lstrip("/") for b in project.as_list(meta.get("bibliography"))]
    code = [p for p in _listed(ENGINE) if p.suffix in (".py", ".lua")]
    folders, words = FORMATS[fmt].key_inputs(proj)
    meta_text = meta_file.read_text(encoding="utf-8")  # without the variables
    if reads_variables(meta, named):  # else every figure a page shows is in its text already
        meta_text += "\0" + json.dumps(meta.get(metavars.KEY), sort_keys=True, ensure_ascii=False)
    loaded = resources(proj.root, "\0".join([document, meta_text, *kept]))
    return outcache.digest(document, kept, folders, named + loaded + code,
                           [fmt, meta_text, parse.pandoc_identity(str(pandoc)),
                            str(pandoc.stat().st_size), str(pandoc.stat().st_mtime_ns), *words])


def reads_variables(meta: dict, named: list[Path]) -> bool:
    """Whether a page's output can depend on _quarto-vars beyond the values its shortcodes put in its text: a
    filter, template or include that names them (Lua comments aside), or a value citeproc would read as a
    citation. When not, a changed figure re-renders only the pages that print it."""
    if "@" in json.dumps(meta.get(metavars.KEY, {}), ensure_ascii=False):
        return True
    return any(_names_variables(path) for path in named if path.suffix != ".bib")


def _names_variables(path: Path) -> bool:
    """Whether a file names the variables (a Lua file outside its comments), looked at once per render and
    version of the file: every page's key asks it of the same filters and includes."""
    st = path.stat()

    def look() -> bool:
        text = path.read_text(encoding="utf-8", errors="replace")
        return "quarto-vars" in (re.sub(r"--[^\n]*", "", text) if path.suffix == ".lua" else text)
    return _once(("names", str(path), st.st_size, st.st_mtime_ns, st.st_ino), look)


def resources(root: Path, said: str) -> list[Path]:
    """The files under figures/ and assets/ that a document, its metadata or its arguments name, matched by
    their path up to the first dot (`figures/flows` names flows.svg, flows.png and flows.narrow.png: a default
    image extension or a variant is still caught; naming too many only costs a reuse)."""
    # The paths said under each folder, found once (a page is tens of kilobytes; the folders hold dozens of files).
    named = set(re.findall(rf"(?:{'|'.join(map(re.escape, RESOURCE_DIRS))})/[^\s\0\"'()\[\]{{}}<>]*", said))
    out = []
    for folder in RESOURCE_DIRS:
        for p in _listed(root / folder):
            r = p.relative_to(root)
            stem = (r.parent / r.name.split(".")[0]).as_posix()
            if any(n.startswith(stem) for n in named):
                out.append(p)
    return out


_RENDER: dict[tuple, object] = {}  # what every page's key asks again, worked out once per render


def _once(key: tuple, work):
    """work(), kept under key until the next render starts."""
    if key not in _RENDER:
        _RENDER[key] = work()
    return _RENDER[key]


def _listed(folder: Path) -> list[Path]:
    """The files under a folder, listed once per render (every page's key looks at the same folders)."""
    return _once(("listed", folder),
                 lambda: sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else [])


def write_html(args: list[str], writer_args: list[str], out: Path, root: Path, lines: list[shortcodes.Line]) -> None:
    """The HTML format's writer alone, into `out` (for tests that compare its embedding with pandoc's)."""
    from exodus.engine.formats import html

    job = Job(args, writer_args, out.parent, out.stem, project.Project(root, [], [], [], ".", [], {}), {}, None, None,
              None, lambda a: run_pandoc(a, root, lines), contextlib.nullcontext)
    html.write(job)


def publish(built: list[Path], scratch: Path, out_dir: Path) -> list[Path]:
    """Move finished files into the output folder (evidence/x.qmd to evidence/x.html), each by an atomic rename."""
    done = []
    for f in built:
        target = out_dir / f.relative_to(scratch)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(f, target)
        done.append(target)
    return done


def render_formats(proj: project.Project, formats: list[str], cache: Path | None = None,
                   verify: bool = False) -> list[Path]:
    """Every input in every format, published only once all of them are built."""
    # Inside the root (typst reads figures relative to it); not a dot-folder: typst-py
    # misreads SVG files when the main .typ sits in a hidden directory.
    scratch_parent = proj.root / "build"
    scratch_parent.mkdir(parents=True, exist_ok=True)
    outcache.one_render()
    _RENDER.clear()
    with tempfile.TemporaryDirectory(prefix="render-scratch-", dir=scratch_parent) as tmp:
        scratch, built = Path(tmp), []
        # Every (document, format) is an independent pandoc/typst run: they overlap on the cores there are.
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1)) as pool:
            jobs, variables = [], load_variables(proj.root)
            everywhere = variables_everywhere(proj, variables)
            whole_when_new = len(proj.render) >= WHOLE_FROM_DOCUMENTS
            for name in proj.render:
                source = proj.root / name
                # A document none of these formats renders (an HTML-only page, under the PDF) is not expanded.
                front = front_matter(proj, source)
                wanted, doc_proj = project.document_formats(proj, front)
                if not set(formats) & set(wanted):
                    continue
                meta, lines = document(proj, source, variables, everywhere, front)
                meta = {k: v for k, v in meta.items() if k != "format"}
                where = scratch / Path(name).parent
                where.mkdir(parents=True, exist_ok=True)
                jobs += [pool.submit(build_format, f, doc_proj, meta, lines, where, source.stem, cache, verify,
                                     name if whole_when_new else "")
                         for f in formats if f in wanted]
            for job in jobs:
                built += job.result()
        return publish(built, scratch, proj.root / proj.output_dir)


def skipped_notes(proj: project.Project) -> list[str]:
    """One line per format in _quarto.yml that the engine does not render (Quarto renders it)."""
    return [f"render: format {name!r} in _quarto.yml is not one the engine renders ({', '.join(FORMATS)}); "
            "skipped (Quarto renders it)" for name in proj.skipped]


def render(formats: list[str] | None = None, pre_render: bool = True, root: Path | None = None,
           cache: Path | None = None, verify: bool = False) -> list[Path]:
    """Full render; raises BuildError and leaves previous outputs in place on failure.

    formats, engine format names (None: every one _quarto.yml lists);
    pre_render=False renders only (the project's own pipeline has already run every stage);
    cache, a folder that keeps pandoc's reading of each chunk of the document between renders;
    verify, prove a plan of chunks not proved before against pandoc's reading of the whole text.
    """
    proj = project.load(root)
    formats = list(formats) if formats is not None else list(proj.formats)
    unknown = [f for f in formats if f not in proj.formats]
    if unknown:
        raise BuildError(f"format(s) {unknown} are not configured in _quarto.yml")
    if pre_render:
        project_context(proj)
        run_scripts(proj, proj.pre_render, "pre-render")
        proj = project.load(root)  # Quarto re-reads the project after pre-render
    outputs = render_formats(proj, formats, cache, verify)
    if pre_render:
        run_scripts(proj, proj.post_render, "post-render", outputs)
    return outputs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m exodus.engine.render", description=__doc__.split("\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--html-only", action="store_true", help="render HTML only")
    group.add_argument("--pdf-only", action="store_true", help="render the typst PDF only")
    parser.add_argument("--no-pre-render", action="store_true", help="skip project pre- and post-render scripts")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project root (default: here)")
    args = parser.parse_args(argv)
    formats = ["html"] if args.html_only else ["typst"] if args.pdf_only else None
    started = time.monotonic()
    try:
        for note in skipped_notes(project.load(args.root)):
            print(note)
        outputs = render(formats, pre_render=not args.no_pre_render, root=args.root)
    except (BuildError, project.ConfigError) as e:
        print(f"render: error: {e}", file=sys.stderr)
        print("render: previous outputs left untouched", file=sys.stderr)
        return 1
    for o in outputs:
        print(f"render: wrote {rel(o, args.root)} ({o.stat().st_size:,} bytes)")
    print(f"render: done in {time.monotonic() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
