"""The benchmark's floor: the build's own tools and options on the same document, once, side by side as the build runs them."""
from __future__ import annotations

import concurrent.futures
import sys
from pathlib import Path

FLOOR = "floor: one pandoc run per document and format with the build's filters and options, side by side"
# What the floor does and what it leaves out, printed under the table so the ratio is read for what it is.
FLOOR_NOTE = (
    "The floor renders every document the build renders, each read whole (no chunk cache), side by side as the "
    "build does: the report in every format the project renders (pandoc to HTML with the build's Lua filters, "
    "citeproc, table of contents, CSS and pandoc's own --embed-resources; pandoc to typst with the same "
    "filters, then typst compiling the PDF with the bundled fonts; pandoc to Word with its options), and each "
    "evidence page to HTML the same way. It starts from the build's own outputs of validation, derivation, "
    "chart drawing and the generated pages and includes, and leaves out those stages, the policy and link "
    "checks, the downloads and publishing.")
TYPST_COMPILE = """import sys, typst
from exodus.engine import project
from exodus.engine.formats import typst as typst_format
proj = project.load(sys.argv[1])
typst.compile(sys.argv[2], output=sys.argv[3], root=str(proj.root), font_paths=project.font_paths(proj),
              ignore_system_fonts=True, timestamp=typst_format.SOURCE_DATE)"""


def commands(root: Path) -> dict[str, list[list[str]]]:
    """Per document and format the build renders, the commands the floor runs in order, with the build's
    filters and writer options; the PDF's typst source is then compiled."""
    from exodus.engine import project, render
    proj = project.load(root)
    out = {}
    for name in project.inputs(root, proj.render):
        meta, lines = render.document(proj, root / name)
        formats, doc_proj = project.document_formats(proj, meta)
        stem = "floor" if name == "report.qmd" else f"floor-{Path(name).stem}"
        (root / f"{stem}.md").write_text("\n".join(line.text for line in lines) + "\n", encoding="utf-8")
        meta = {k: v for k, v in meta.items() if k != "format"}
        out.update({f"{name} {fmt}": _pandoc(doc_proj, fmt, meta, stem) for fmt in formats})
    if "report.qmd typst" in out:
        out["report.qmd typst"].append([sys.executable, "-c", TYPST_COMPILE, str(root), "floor.typ", "floor.pdf"])
    return out


def _pandoc(proj, fmt: str, meta: dict, stem: str) -> list[list[str]]:
    """One document's pandoc run for one format, as the build's writer runs it (reading the markdown itself)."""
    import yaml

    from exodus.engine import project, render
    from exodus.engine.formats import FORMATS
    root = proj.root
    filters = [str(render.FILTERS / f) for f in render.ENGINE_FILTERS] + [str(root / f) for f in proj.filters]
    writer_args, extra = project.pandoc_args(proj, fmt, meta)
    fmt_meta, citeproc = render.format_metadata(proj, fmt, meta, extra)
    (root / f"{stem}.{fmt}.yaml").write_text(yaml.safe_dump(fmt_meta, allow_unicode=True), encoding="utf-8")
    ext = proj.formats.get(fmt, {}).get("default-image-extension")
    return [[render.pandoc_path(), f"{stem}.md", "--from", "markdown", "--metadata-file", f"{stem}.{fmt}.yaml",
             f"--resource-path={root}", *[a for f in filters for a in ("--lua-filter", f)], *writer_args,
             *([f"--default-image-extension={ext}"] if ext else []), *(["--citeproc"] if citeproc else []),
             *FORMATS[fmt].variables(fmt_meta, citeproc), "--output", f"{stem}.{TARGET.get(fmt, fmt)}"]]


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
