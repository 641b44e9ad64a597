"""The benchmark's floor: the build's own tools and options on the same document, once, side by side as the build runs them."""
from __future__ import annotations

import concurrent.futures
import sys
from pathlib import Path

FLOOR = "floor: one pandoc run per format with the build's filters and options, formats side by side"
# What the floor does and what it leaves out, printed under the table so the ratio is read for what it is.
FLOOR_NOTE = (
    "The floor reads the expanded report.qmd whole (no chunk cache) and runs, side by side as the build "
    "does, every format the project renders: pandoc to HTML with the build's Lua filters, citeproc, table of "
    "contents, CSS and pandoc's own --embed-resources; pandoc to typst with the same filters, then typst "
    "compiling the PDF with the bundled fonts; pandoc to Word with its options. It starts from the build's own outputs of validation, derivation, chart drawing and the generated "
    "includes, and leaves out those stages, the policy and link checks, the downloads and publishing.")
TYPST_COMPILE = """import sys, typst
from exodus.engine import project
from exodus.engine.formats import typst as typst_format
proj = project.load(sys.argv[1])
typst.compile(sys.argv[2], output=sys.argv[3], root=str(proj.root), font_paths=project.font_paths(proj),
              ignore_system_fonts=True, timestamp=typst_format.SOURCE_DATE)"""


def commands(root: Path) -> dict[str, list[list[str]]]:
    """Per format the project renders, the commands the floor runs in order, with the build's filters
    and writer options; the PDF's typst source is then compiled."""
    import yaml

    from exodus.engine import project, render
    from exodus.engine.formats import FORMATS
    proj = project.load(root)
    meta, lines = render.document(proj, root / "report.qmd")
    (root / "floor.md").write_text("\n".join(line.text for line in lines) + "\n", encoding="utf-8")
    filters = [str(render.FILTERS / f) for f in render.ENGINE_FILTERS] + [str(root / f) for f in proj.filters]
    out = {}
    for fmt in (f for f in FORMATS if f in proj.formats):
        writer_args, extra = project.pandoc_args(proj, fmt, meta)
        fmt_meta, citeproc = render.format_metadata(proj, fmt, meta, extra)
        (root / f"floor.{fmt}.yaml").write_text(yaml.safe_dump(fmt_meta, allow_unicode=True), encoding="utf-8")
        ext = proj.formats.get(fmt, {}).get("default-image-extension")
        out[fmt] = [[render.pandoc_path(), "floor.md", "--from", "markdown", "--metadata-file", f"floor.{fmt}.yaml",
                     f"--resource-path={root}", *[a for f in filters for a in ("--lua-filter", f)], *writer_args,
                     *([f"--default-image-extension={ext}"] if ext else []), *(["--citeproc"] if citeproc else []),
                     *FORMATS[fmt].variables(fmt_meta, citeproc), "--output", f"floor.{TARGET.get(fmt, fmt)}"]]
    if "typst" in out:
        out["typst"].append([sys.executable, "-c", TYPST_COMPILE, str(root), "floor.typ", "floor.pdf"])
    return out


TARGET = {"typst": "typ"}  # the file each format's pandoc run writes: floor.<this>


def measure(root: Path, env: dict, timed) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of the floor in a built project: each format's commands in order, the
    formats in threads side by side as the build's render stages run."""
    import time

    plan = commands(root)

    def run(cmds: list[list[str]]) -> float:
        return sum(timed(cmd, root, env).cpu for cmd in cmds)

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(plan)) as pool:
        cpu = sum(pool.map(run, plan.values()))
    return time.perf_counter() - start, cpu
