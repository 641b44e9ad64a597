"""The pipeline, declared once: every stage with the function it runs, its inputs and its outputs."""
from __future__ import annotations

import functools
from collections import namedtuple

# Everything under data/ is one input: a new table or curation file can never be left out of a key.
DATA = ("data/**",)
REPORT_META = ("VERSION", "CITATION.cff")
ADDRESS = "_quarto.yml"  # website: site-url and repo-url, the published address every citation names
GENERATED = "_generated"
STEPS = "exodus.pipeline.steps"  # every stage's function, by the stage's name
INCLUDES = (f"{GENERATED}/_*.md",)
EVIDENCE = "evidence"  # the evidence pages: one .qmd per source, derived figures, an index (HTML only)
FONTS = ("_fonts/*.ttf",)  # the fonts typst reads (font-paths in _quarto.yml), copied from the pinned packages
RENDER_INPUTS = ("report.qmd", f"{EVIDENCE}/*.qmd", "_quarto.yml", "_variables.yml", f"{GENERATED}/**", "figures/**",
                 "assets/**",
                 "exodus/report/filters/*.lua", *REPORT_META)


class Stage(namedtuple("Stage", "name inputs outputs code parallel", defaults=((), (), ""))):
    """One step: `name`, its function in exodus/pipeline/steps.py; `inputs` and `outputs`, globs relative
    to the root;
    `code`, modules whose change must invalidate the stage's own cache beyond the inputs (their imports
    follow); `parallel`, a group name shared by stages that may run side by side.

    Immutable; a named tuple, not a dataclass: importing dataclasses costs a no-op build a tenth of its time."""

    __slots__ = ()

    @property
    def run(self) -> str:
        """'module:function' of the stage's `run(ctx) -> str`."""
        return f"{STEPS}:{self.name}"


STAGES: tuple[Stage, ...] = (
    Stage("validate", DATA),
    Stage("audit", DATA),
    Stage("derive", DATA,
          ("build/derived.csv", "build/discrepancies.csv")),
    Stage("figures", (*DATA, "build/derived.csv", *REPORT_META),
          ("figures/*.png", "figures/*.svg", "figures/*.csv", "figures/figures.json"), code=("exodus.charts.cached", "exodus.stages.derive")),
    Stage("figure_blocks", ("figures/figures.json", "report.qmd"),
          (f"{GENERATED}/_fig-*.md", f"{GENERATED}/_figures-unplaced.md")),
    Stage("variables", (*DATA, "build/derived.csv", *REPORT_META, ADDRESS),
          ("_variables.yml",)),
    Stage("bibliography", DATA, (f"{GENERATED}/references.*",)),
    Stage("appendix", (*DATA, "build/derived.csv", "build/discrepancies.csv", "report.qmd", *REPORT_META, ADDRESS),
          (*(f"{GENERATED}/_{name}.md" for name in ("disagreements", "figure-table", "figure-notes")),
           f"{EVIDENCE}/*.qmd")),
    Stage("cite", ("figures/figures.json", "report.qmd", *REPORT_META, ADDRESS),
          (f"{GENERATED}/_how-to-cite.md",)),
    Stage("policy", ("report.qmd", "_variables.yml", *INCLUDES, f"{GENERATED}/references.*", "figures/figures.json",
           *DATA, "build/derived.csv", "build/discrepancies.csv", *REPORT_META)),
    Stage("narrative", ("report.qmd", *DATA, "build/derived.csv", "build/discrepancies.csv")),
    Stage("fonts", ("assets/report-header.typ",), FONTS, code=("exodus.report.fonts",)),
    Stage("html", RENDER_INPUTS, ("_output/report.html", f"_output/{EVIDENCE}/*.html"), parallel="render"),
    Stage("pdf", (*RENDER_INPUTS, *FONTS), ("_output/report.pdf",), parallel="render"),
    Stage("docx", RENDER_INPUTS, ("_output/report.docx",), parallel="render"),
    Stage("downloads", ("figures/**", "data/datapackage.json", *REPORT_META, ADDRESS),
          ("_output/downloads/*.zip", "_output/downloads/*.png")),
    Stage("data_package", ("data/**", "build/derived.csv", "LICENSE-data", *REPORT_META, ADDRESS),
          ("_output/downloads/data-package.zip",)),
    # The published folder's root address opens the report (a static host or preview server answers it).
    Stage("front_door", ("assets/index.html",), ("_output/index.html",)),
    Stage("links", ("_output/report.html", f"_output/{EVIDENCE}/*.html", "_output/downloads/*")),
)

CHECK = ("validate", "audit")
# A target names the stages whose work it wants; the stages making their inputs are added to it
# (plan), and validate runs first wherever data/ is read.
PRERENDER = ("audit", "policy", "narrative")  # the checks every report build ends its pre-render with
GOALS: dict[str, tuple[str, ...]] = {
    "check": CHECK,
    "derive": ("derive",),
    # Quarto's typst step reads _fonts/ (font-paths): its pre-render writes them.
    "prerender": (*PRERENDER, "fonts"),
    "figures": PRERENDER,
    "html": (*PRERENDER, "html", "downloads", "data_package", "front_door", "links"),
    "pdf": (*PRERENDER, "pdf"),
    "docx": (*PRERENDER, "docx"),
    "report": (*PRERENDER, "html", "pdf", "docx", "downloads", "data_package", "front_door", "links"),
}
# Under Quarto, after it has written _output/: the files beside the report, then the link check,
# on the outputs already in place (Quarto made the report, so nothing upstream is rebuilt).
AS_GIVEN: dict[str, tuple[str, ...]] = {"postrender": ("downloads", "data_package", "front_door", "links")}
# Every file a build reads that no stage writes: the pipeline's inputs.
SOURCE_INPUTS = ("data/**", "report.qmd", "_quarto.yml", "assets/**", "exodus/**/*.py", "exodus/**/*.lua",
                 "LICENSE", "LICENSE-data", *REPORT_META)


def plan(goals: tuple[str, ...] | list[str]) -> list[str]:
    """The goal stages, every stage making an input one of them needs (and so on up), and validate
    wherever data/ is read, in declared order."""
    table, wanted, todo = by_name(), set(), list(goals)
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        wanted.add(name)
        stage = table[name]
        todo += [up.name for pattern in stage.inputs for up in producers(pattern) if up.name != name]
        if any(p.startswith("data/") for p in stage.inputs):
            todo.append("validate")
    return [s.name for s in STAGES if s.name in wanted]


def targets() -> dict[str, tuple[str, ...]]:
    """Every target with the stages it runs."""
    return {**{t: tuple(plan(g)) for t, g in GOALS.items()}, **AS_GIVEN}


def by_name() -> dict[str, Stage]:
    return {s.name: s for s in STAGES}


def stages_for(target: str) -> list[Stage]:
    """The stages a target runs, in declared order."""
    every = targets()
    if target not in every:
        raise KeyError(f"unknown target {target!r}; targets: {', '.join(every)}")
    wanted = set(every[target])
    return [s for s in STAGES if s.name in wanted]


@functools.cache  # STAGES never change; every target's plan asks about the same globs
def producers(path_glob: str) -> tuple[Stage, ...]:
    """The stages that declare an output this input glob names."""
    return tuple(s for s in STAGES if any(_covers(o, path_glob) for o in s.outputs))


def _covers(output: str, wanted: str) -> bool:
    """True when an output glob and an input glob name the same files (same folder, overlapping pattern)."""
    from fnmatch import fnmatch
    return fnmatch(wanted, output) or fnmatch(output, wanted)


TARGETS: dict[str, tuple[str, ...]] = targets()
