"""The render stages: the report through the Quarto-compatible engine, one format per stage."""
from __future__ import annotations

from exodus import paths
from exodus.context import Context, StageError


def _render(fmt: str, ctx: Context) -> str:
    from exodus.engine import project, render

    cache = paths.CACHE / "parse"
    try:
        # The engine reads one project folder: this run's outputs beside the declared sources.
        written = render.render([fmt], pre_render=False, root=ctx.tree(), cache=cache)
    except (render.BuildError, project.ConfigError) as e:
        raise StageError(f"render {fmt}: {e}") from None
    return ", ".join(f"{paths.rel(p)} ({p.stat().st_size:,} bytes)" for p in written)


def html(ctx: Context) -> str:
    return _render("html", ctx)


def pdf(ctx: Context) -> str:
    return _render("typst", ctx)
