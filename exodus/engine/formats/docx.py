"""Word: pandoc's docx writer, with the project's reference document for styles when one is given."""
from __future__ import annotations

from pathlib import Path

NAME = "docx"
OPTIONS = {"reference-doc"}
CITEPROC = True


def writer_args(opts: dict, files) -> tuple[list[str], dict]:
    """Pandoc writer arguments and template metadata; files(value, flag) checks and names project files."""
    args = ["--to", "docx"]
    if opts.get("number-sections"):
        args.append("--number-sections")
    return args + files(opts.get("reference-doc"), "--reference-doc"), {}


def metadata(opts: dict, meta: dict, citeproc: bool) -> dict:
    return meta


def variables(meta: dict, citeproc: bool) -> list[str]:
    return []


def key_inputs(proj) -> tuple[list[Path], list[str]]:
    """Nothing beyond what every format's output rests on."""
    return [], []


def write(job) -> list[Path]:
    out = job.scratch / f"{job.stem}.docx"
    with job.timed("written"):
        job.run(job.args + job.writer_args + ["--output", str(out)])
    return [out]
