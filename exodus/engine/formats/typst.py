"""PDF through typst: pandoc's typst writer, then typst compiles it with the font-paths fonts only."""
from __future__ import annotations

import sys
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


def key_inputs(proj) -> tuple[list[Path], list[str]]:
    """What a PDF rests on beyond what every format does: the fonts in font-paths and typst's version."""
    import typst

    from exodus.engine import project

    fonts = project.font_paths(proj)
    keep = f"keep-typ {bool(proj.formats.get(NAME, {}).get('keep-typ'))}"  # what is published differs
    return [Path(f) for f in fonts], [getattr(typst, "__version__", ""), keep, *fonts]


def write(job) -> list[Path]:
    """The typst source, then the PDF (the typst source published too under keep-typ, as in Quarto)."""
    typ = job.scratch / f"{job.stem}.typ"
    with job.timed("written"):
        job.run(job.args + job.writer_args + ["--output", str(typ)])
    with job.timed("compiled to PDF"):
        pdf = compile_typst(typ, job.proj)
    return [pdf, typ] if job.proj.formats.get(NAME, {}).get("keep-typ") else [pdf]


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
