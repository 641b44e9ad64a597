"""PDF through typst: pandoc's typst writer, then typst compiles it with the font-paths fonts only."""
from __future__ import annotations

import sys
import time
from pathlib import Path

NAME = "typst"
OPTIONS = {"bibliographystyle", "section-numbering", "papersize", "fontsize", "margin", "columns", "keep-typ",
           "mainfont", "font-paths"}
CITEPROC = False  # Quarto's typst format hands the bibliography to typst itself
SOURCE_DATE = 0  # fixed typst timestamp: PDFs must not depend on when they were built


def writer_args(opts: dict, files) -> tuple[list[str], dict]:
    """Pandoc writer arguments and template metadata; files(value, flag) checks and names project files."""
    extra = {}
    numbering = opts.get("section-numbering") or ("1.1" if opts.get("number-sections") else None)
    if numbering:
        extra["section-numbering"] = str(numbering)
    # Template variables come from metadata, which also carries maps such as margin.
    extra.update({k: opts[k] for k in ("papersize", "fontsize", "columns", "mainfont", "margin") if k in opts})
    return ["--to", "typst"], extra


def metadata(opts: dict, meta: dict, citeproc: bool) -> dict:
    """Without citeproc typst reads the .bib itself, which it takes as a path from the project root."""
    if citeproc or not meta.get("bibliography"):
        return meta
    bibs = meta["bibliography"] if isinstance(meta["bibliography"], list) else [meta["bibliography"]]
    meta = {**meta, "bibliography": ["/" + str(b).lstrip("/") for b in bibs]}
    if opts.get("bibliographystyle"):
        meta["bibliographystyle"] = opts["bibliographystyle"]
    return meta


def variables(meta: dict, citeproc: bool) -> list[str]:
    """Bibliography paths as template variables, verbatim: as metadata they are markdown ("_" becomes "\\_")."""
    if citeproc:
        return []
    return [f"--variable={key}:{v}" for key in ("bibliography", "bibliographystyle") for v in _as_paths(meta.get(key))]


def _as_paths(value) -> list[str]:
    return [str(v) for v in (value if isinstance(value, list) else [value] if value else [])]


def write(job) -> list[Path]:
    """The typst source, then the PDF; when everything the PDF rests on is unchanged, the last PDF reused."""
    from exodus.engine import outcache
    from exodus.engine.render import OUTPUTS

    typ, pdf = job.scratch / f"{job.stem}.typ", job.scratch / f"{job.stem}.pdf"
    store = job.cache.parent / OUTPUTS if job.cache else None
    key = output_key(job, [a for a in job.args + job.writer_args if not a.startswith(str(job.scratch))])
    started = time.monotonic()
    if outcache.fetch(store, key, [typ.name, pdf.name], job.scratch):
        print(f"render: {NAME}: the document and what it loads are unchanged: the last PDF reused in "
              f"{time.monotonic() - started:.2f}s", flush=True)
    else:
        with job.timed("written"):
            job.run(job.args + job.writer_args + ["--output", str(typ)])
        with job.timed("compiled to PDF"):
            compile_typst(typ, job.proj)
        outcache.store(store, key, [typ, pdf])
    # keep-typ (as in Quarto) publishes the intermediate typst source beside the PDF.
    return [pdf, typ] if job.proj.formats.get(NAME, {}).get("keep-typ") else [pdf]


def output_key(job, args: list[str]) -> str:
    """Everything the PDF rests on: the document as typst reads it (HTML-only content pruned), its
    metadata and arguments, the filters, every file it may load (figures, assets, the bibliography),
    the engine's code, pandoc's binary, typst's version and the fonts in font-paths."""
    import typst

    from exodus.engine import outcache, project, render

    pandoc, root = Path(render.pandoc_path()), job.proj.root
    files = [Path(a) for a in args if Path(a).suffix == ".lua"] + [Path(render.__file__), Path(__file__)]
    files += [root / str(b).lstrip("/") for b in _as_paths(job.meta.get("bibliography"))]
    extra = [job.meta_file.read_text(encoding="utf-8"), str(pandoc), str(pandoc.stat().st_size),
             str(pandoc.stat().st_mtime_ns), getattr(typst, "__version__", ""), *project.font_paths(job.proj)]
    fonts = [Path(f) for f in project.font_paths(job.proj)]
    return outcache.digest(job.source.read_text(encoding="utf-8"), args, [root / d for d in render.RESOURCE_DIRS] + fonts,
                           files, extra)


def compile_typst(typ: Path, proj) -> Path:
    import typst  # imported late: only PDF output needs it

    from exodus.engine import project
    from exodus.engine.render import BuildError

    pdf = typ.with_suffix(".pdf")
    try:
        # root = project root: typst can read nothing outside it (figures live inside).
        _, warnings = typst.compile_with_warnings(str(typ), output=str(pdf), root=str(proj.root),
                                                  font_paths=project.font_paths(proj),
                                                  ignore_system_fonts=True, timestamp=SOURCE_DATE)
    except typst.TypstError as e:
        raise BuildError(f"typst failed: {getattr(e, 'diagnostic', None) or e}") from None
    for w in warnings or []:
        print(f"render: typst warning: {getattr(w, 'message', w)}", file=sys.stderr)
    return pdf
