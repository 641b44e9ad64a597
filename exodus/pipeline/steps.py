"""Every stage's `run(ctx) -> str`, in one home: each reads through its context, calls its module and
writes only its declared outputs under ctx.out; a stage that cannot raises StageError."""
from __future__ import annotations

import json

import yaml

from exodus import paths
from exodus.context import Context, StageError
from exodus.model import tables

# Targets that prove the document's chunked reading against a whole one when its plan of chunks is new
# (the edit loop, make html under make preview, trusts a plan proved by an earlier make report).
VERIFIED_READING = ("report",)
# What a generator's reading may raise: a located message, never a traceback.
READ_ERRORS = (tables.ValidationError, ValueError, OSError, KeyError, yaml.YAMLError)


def _failed(stage: str, e: Exception) -> StageError:
    return StageError(f"{stage}: {e}")


def validate(ctx: Context) -> str:
    """Every check; the validated tables stay in memory for the stages after it."""
    from exodus.stages import validate as v

    data, problems = v.validate()
    if problems:
        from exodus.stages import audit as a  # what the audit would say too: one run lists every problem
        missing = a.audit(data)
        raise StageError("\n".join([*map(str, problems), *map(str, missing)]) + f"\n{len(problems)} data problem(s)"
                         + (f", {len(missing)} uncovered numeric mention(s)" if missing else ""))
    ctx.memo["dataset"] = data
    return f"{sum(len(t.rows) for t in data.tables.values())} rows in {len(data.tables)} tables valid"


def audit(ctx: Context) -> str:
    """Fail on any numeric mention or word of quantity that nothing covers."""
    from exodus.stages import audit as a
    return a.covered(validated(ctx))


def derive(ctx: Context) -> str:
    """Derived figures and discrepancies from the validated tables."""
    from exodus.stages import derive as d

    loaded = {name: table.rows for name, table in validated(ctx).tables.items()}
    try:
        derived = d.main(ctx.output_dir("build"), loaded)
    except d.DerivedError as e:
        raise StageError(str(e)) from None
    ctx.memo["tables"], ctx.memo["derived"] = loaded, derived
    return f"{len(derived)} derived figures"


def figures(ctx: Context) -> str:
    """Every chart into figures/, redrawing only those whose key changed."""
    from exodus.charts import cached

    t, derived = tables_and_derived(ctx)
    redrawn = cached.draw(paths.CACHE / "figures", ctx.output_dir("figures"), t, derived,
                          ctx.code_digest)
    return f"{len(redrawn)} redrawn: {', '.join(redrawn) or 'none'}"


def figure_blocks(ctx: Context) -> str:
    """One include per chart, from the figure index."""
    from exodus.report import figure_blocks as fb

    try:
        figures = fb.load(ctx.input("figures/figures.json"))
    except (ValueError, KeyError, json.JSONDecodeError) as e:
        raise _failed("figure_blocks", e) from None
    report = _report(ctx)
    problems = fb.unknown_includes(figures, report)
    if problems:
        raise StageError("\n".join(problems))
    files = fb.build(figures, report)
    _write(ctx, "_generated", files)
    unplaced = [k for k in figures if f"_fig-{k}.md" not in report]
    return f"{len(figures)} figure includes" + (f"; not placed in report.qmd, shown with the unplaced: "
                                                f"{', '.join(unplaced)}" if unplaced else "")


def variables(ctx: Context) -> str:
    """_variables.yml: every claim, derived figure and event as a linked value."""
    from exodus.model import derived_table
    from exodus.report import cite, narrative
    from exodus.report import variables as v

    try:
        claims, events, statements = tables.load("claims"), tables.load("events"), tables.load("statements")
        sources = tables.load("sources")
        counts = {"sources": len(sources), "people": len(tables.load("people"))}
        derived = derived_table.load(ctx.input("build/derived.csv"))
        ed = cite.load_edition()
        latest = narrative.latest_reports(paths.DATA / narrative.SPEC, claims, sources)
    except READ_ERRORS as e:
        raise _failed("variables", e) from None
    counts.update(claims=len(claims), events=len(events))
    _write(ctx, ".", {"_variables.yml": v.dump(v.build(claims, derived, events, counts,
                                                         v.edition_vars(ed.version, ed.released), statements,
                                                         latest))})
    return f"{len(claims)} claims, {len(derived)} derived, {len(events)} events"


def bibliography(ctx: Context) -> str:
    """_generated/references.bib: one entry per source."""
    from exodus.report import bibliography as b

    try:
        sources = tables.load("sources")
    except READ_ERRORS as e:
        raise _failed("bibliography", e) from None
    _write(ctx, "_generated", {"references.bib": b.build(sources)})
    return f"{len(sources)} sources"


def appendix(ctx: Context) -> str:
    """The evidence pages (evidence/*.qmd: a page per source, derived figures, an index) and the report's
    includes that point into them (disagreements, table of figures, figure notes)."""
    from exodus.model import derived_table
    from exodus.report import appendix as a
    from exodus.report import cite, narrative

    try:
        t = {n: tables.load(n) for n in ("sources", "metrics", "claims", "people", "events")}
        texts = {s["id"]: a.verify_text(s, (paths.DATA / s["path"]).read_bytes()) for s in t["sources"]}
        # The figures the narrative uses include those a {{< var latest.NAME >}} resolves to.
        report = narrative.resolve_latest(_report(ctx), narrative.latest_reports(paths.DATA / narrative.SPEC,
                                                                                  t["claims"], t["sources"]))
        files = a.build(t, texts, derived_table.load(ctx.input("build/derived.csv")),
                        a.read_discrepancies(ctx.input("build/discrepancies.csv")), cite.load_edition(), report)
    except READ_ERRORS as e:
        raise _failed("appendix", e) from None
    _write(ctx, ".", files)  # names are paths from the root: _generated/…, evidence/…
    pages = sum(1 for name in files if not name.startswith("_generated/"))
    return f"{len(files) - pages} includes, {pages} evidence pages"


def cite(ctx: Context) -> str:
    """_generated/_how-to-cite.md: the report's citation and one per figure."""
    from exodus.report import cite as c
    from exodus.report import figure_blocks as fb

    try:
        cff = yaml.safe_load(ctx.input(c.CFF).read_text(encoding="utf-8"))
        figs = fb.load(ctx.input("figures/figures.json"))
        settings = yaml.safe_load(ctx.input(c.PROJECT).read_text(encoding="utf-8")) or {}
        text = c.build(cff, figs, c.version_text(ctx.input("VERSION")) or str(cff.get("version")), _report(ctx),
                       settings)
    except READ_ERRORS as e:
        raise _failed("cite", e) from None
    _write(ctx, "_generated", {"_how-to-cite.md": text})
    return f"{len(figs)} figures"


def policy(ctx: Context) -> str:
    """Fail on any policy breach, all listed at once."""
    from exodus.report import policy as p

    problems = p.check(ctx.tree())
    if problems:
        raise StageError("\n".join(map(str, problems)) + f"\n{len(problems)} policy problem(s)")
    return "numerals bound, variables, cross-references and citations resolved"


def narrative(ctx: Context) -> str:
    """Fail, naming report.qmd:line and the rows, when the data no longer backs a bound sentence."""
    from exodus.report import narrative as n

    spec = n.load(ctx.input(f"data/{n.SPEC}"))
    built = {name: ctx.input(f"build/{name}.csv") for name in n.SOURCED_TABLES}
    problems = n.evaluate(spec, ctx.input("report.qmd"), n.gather(validated(ctx).tables, built))
    if problems:
        raise StageError("\n".join(map(str, problems)) + f"\n{len(problems)} narrative problem(s)")
    return f"{len(spec.checks)} bound sentence checks hold, no unbound assertion"


def html(ctx: Context) -> str:
    return _render("html", ctx)


def pdf(ctx: Context) -> str:
    return _render("typst", ctx)


def docx(ctx: Context) -> str:
    return _render("docx", ctx)


def downloads(ctx: Context) -> str:
    """Per chart a zip (and its PNG) beside the report."""
    from exodus.charts import bundles
    from exodus.report import cite

    out = ctx.output_dir("_output/downloads")
    try:
        page_url = cite.load_edition(ctx.root).url
    except (*READ_ERRORS, ValueError) as e:
        raise _failed("downloads", e) from None
    written = bundles.write_bundles(ctx.input("figures/figures.json").parent, out, page_url=page_url)
    return f"{sum(p.suffix == '.zip' for p in written)} chart bundles"


def data_package(ctx: Context) -> str:
    """The data package as one zip beside the report."""
    from exodus.report import data_package as dp

    try:
        path = dp.write(ctx.output_dir("_output/downloads"), ctx.root, ctx.input("build/derived.csv"))
    except ValueError as e:
        raise StageError(str(e)) from None
    return f"{paths.rel(path)} ({path.stat().st_size:,} bytes)"


def fonts(ctx: Context) -> str:
    """_fonts/: the fonts the PDF's header names, from the pinned packages (typst's font-paths, for the
    engine and for Quarto alike)."""
    from exodus.report import fonts as f

    try:
        header = ctx.input(f.HEADER).read_text(encoding="utf-8")
        written = f.copy_fonts(header, ctx.output_dir(f.FOLDER))
    except (*READ_ERRORS, ImportError) as e:
        raise _failed("fonts", e) from None
    return f"{len(written)} font files in {f.FOLDER}/"


def front_door(ctx: Context) -> str:
    """_output/index.html: the published folder's root address opens the report."""
    import shutil

    shutil.copyfile(ctx.input("assets/index.html"), ctx.output("_output/index.html"))
    return "_output/index.html opens report.html"


def links(ctx: Context) -> str:
    """Every link of the rendered pages lands, across pages too (Quarto: post-render, which also follows a
    PDF-only render)."""
    from exodus.report import links as lk

    page = ctx.input("_output/report.html")
    if not page.is_file():
        return "no HTML rendered: no link to check"
    problems = lk.check(page, paths.CACHE / "links")
    if problems:
        raise StageError("\n".join(problems))
    return "every link of every page lands"


def _render(fmt: str, ctx: Context) -> str:
    """One format through the engine; a format _quarto.yml does not list is skipped with one line."""
    from exodus.engine import project, render

    try:
        # The engine reads one project folder: this run's outputs beside the declared sources.
        tree = ctx.tree()
        proj = project.load(tree)
        if not ctx.memo.setdefault("render-notes-said", []):
            ctx.memo["render-notes-said"].append(fmt)
            for note in render.skipped_notes(proj):
                print(note, flush=True)
        if fmt not in proj.formats:
            return f"{fmt} is not listed in _quarto.yml: skipped"
        written = render.render([fmt], pre_render=False, root=tree, cache=paths.CACHE / "parse",
                                verify=ctx.target in VERIFIED_READING)
    except (render.BuildError, project.ConfigError) as e:
        raise StageError(f"render {fmt}: {e}") from None
    return ", ".join(f"{paths.rel(p)} ({p.stat().st_size:,} bytes)" for p in written)


def validated(ctx: Context):
    """The validated dataset: from memory when validate ran in this process, else validated now."""
    from exodus.stages import validate

    data = ctx.memo.get("dataset")
    if data is None:
        data, problems = validate.validate()
        if problems:
            raise StageError("\n".join(map(str, problems)) + f"\n{len(problems)} data problem(s)")
        ctx.memo["dataset"] = data
    return data


def tables_and_derived(ctx: Context) -> tuple[dict[str, list[dict]], list]:
    """Validated rows and derived figures: from memory after the derive stage, else computed now."""
    from exodus.stages import derive as d

    if "tables" not in ctx.memo or "derived" not in ctx.memo:
        loaded = {name: table.rows for name, table in validated(ctx).tables.items()}
        try:
            ctx.memo["tables"], ctx.memo["derived"] = loaded, d.build(loaded)
        except d.DerivedError as e:
            raise StageError(str(e)) from None
    return ctx.memo["tables"], ctx.memo["derived"]


def _report(ctx: Context) -> str:
    path = ctx.input("report.qmd")
    return path.read_text(encoding="utf-8") if path.exists() else ""


def _write(ctx: Context, folder: str, files: dict[str, str]) -> None:
    from exodus import atomic

    for name, text in sorted(files.items()):
        atomic.write_text(ctx.output(f"{folder}/{name}"), text)
