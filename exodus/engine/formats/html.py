"""HTML: pandoc's html5 writer; with embed-resources the page is made self-contained."""
from __future__ import annotations

from pathlib import Path

from exodus.engine.formats.plain import key_inputs, metadata, variables  # noqa: F401 (the format's hooks)

NAME = "html"
OPTIONS = {"embed-resources", "css", "title-prefix", "keep-md", "csl"}
CITEPROC = True


def writer_args(opts: dict, files) -> tuple[list[str], dict]:
    """Pandoc writer arguments and template metadata; files(value, flag) checks and names project files."""
    args = ["--to", "html5"]
    if opts.get("number-sections"):
        args.append("--number-sections")
    if opts.get("embed-resources"):
        args.append("--embed-resources")
    # Quarto hands an html format's csl to citeproc: the PDF's style, so both reference lists read the same.
    return args + files(opts.get("css"), "--css") + files(opts.get("csl"), "--csl"), {}


def write(job) -> list[Path]:
    """Pandoc's HTML; with embed-resources, what the page loads is made inline by the engine (pandoc's
    embedding re-reads the whole page, 0.4 s of every build), or by pandoc when the page needs more."""
    from exodus.engine import embed

    out = job.scratch / f"{job.stem}.html"
    with job.timed("written"):
        if "--embed-resources" not in job.writer_args:
            job.run(job.args + job.writer_args + ["--output", str(out)])
            return [out]
        job.run(job.args + [a for a in job.writer_args if a != "--embed-resources"] + ["--output", str(out)])
        try:
            out.write_text(embed.inline(out.read_text(encoding="utf-8"), [job.proj.root]), encoding="utf-8")
        except embed.Unsupported:
            job.run(job.args + job.writer_args + ["--output", str(out)])
    return [out]
