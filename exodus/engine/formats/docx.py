"""Word: pandoc's docx writer, with the project's reference document for styles when one is given."""
from __future__ import annotations

from pathlib import Path

from exodus.engine.formats.plain import key_inputs, metadata, variables  # noqa: F401 (the format's hooks)

NAME = "docx"
OPTIONS = {"reference-doc"}
CITEPROC = True


def writer_args(opts: dict, files) -> tuple[list[str], dict]:
    """Pandoc writer arguments and template metadata; files(value, flag) checks and names project files."""
    args = ["--to", "docx"]
    if opts.get("number-sections"):
        args.append("--number-sections")
    return args + files(opts.get("reference-doc"), "--reference-doc"), {}


def write(job) -> list[Path]:
    out = job.scratch / f"{job.stem}.docx"
    with job.timed("written"):
        job.run(job.args + job.writer_args + ["--output", str(out)])
    return [out]
