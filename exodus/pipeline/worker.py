"""Run declared stages in order inside one root, checking that each has the upstream outputs it needs."""
from __future__ import annotations

import argparse
import concurrent.futures
import importlib
import os
import sys
import time
from pathlib import Path

from exodus.context import Context, StageError
from exodus.pipeline import fingerprint
from exodus.pipeline.stages import Stage, by_name, producers


def missing_upstream(stage: Stage, root: Path, ran: set[str]) -> list[str]:
    """Declared inputs that an upstream stage makes and that are not there: never read them as empty."""
    problems = []
    for pattern in stage.inputs:
        makers = [up.name for up in producers(pattern) if up.name != stage.name]
        if makers and not set(makers) & ran and not fingerprint.matching(root, [pattern]):
            problems.append(f"stage {stage.name} needs {pattern}, made by stage {' or '.join(makers)}, "
                            "which has not run here: run a pipeline target that includes it "
                            "(e.g. python -m exodus.pipeline figures)")
    return problems


def call(stage: Stage, ctx: Context) -> str:
    """Run one stage's function; a non-zero return or an error is a StageError."""
    module, _, function = stage.run.partition(":")
    result = getattr(importlib.import_module(module), function)(ctx)
    if isinstance(result, int) and not isinstance(result, bool) and result != 0:
        raise StageError(f"stage {stage.name} failed (exit {result}); see the messages above")
    return result if isinstance(result, str) else ""


def _timed(stage: Stage, ctx: Context) -> tuple[str, float]:
    started = time.monotonic()
    # Only a stage that caches declares the code its cache rests on; the others need no digest.
    digest = fingerprint.code_digest(ctx.root, stage.code) if stage.code else ""
    ctx_here = Context(ctx.root, ctx.memo, digest, ctx.cache)
    return call(stage, ctx_here), time.monotonic() - started


def batches(stages: list[Stage]) -> list[list[Stage]]:
    """Consecutive stages of one parallel group run together; every other stage alone."""
    out: list[list[Stage]] = []
    for s in stages:
        if out and s.parallel and out[-1][0].parallel == s.parallel:
            out[-1].append(s)
        else:
            out.append([s])
    return out


def run(names: list[str], root: Path, cache: Path | None = None) -> list[tuple[str, float, str]]:
    """Run the named stages in declared order; returns (name, seconds, summary) per stage."""
    table = by_name()
    ordered = [s for s in table.values() if s.name in set(names)]
    ctx, ran, timings = Context(root, cache=cache), set(), []
    for batch in batches(ordered):
        problems = [p for s in batch for p in missing_upstream(s, root, ran)]
        if problems:
            raise StageError("\n".join(problems))
        if len(batch) == 1:
            results = [_timed(batch[0], ctx)]
        else:
            with concurrent.futures.ThreadPoolExecutor(max_workers=len(batch)) as pool:
                results = list(pool.map(lambda s: _timed(s, ctx), batch))
        for s, (summary, seconds) in zip(batch, results):
            ran.add(s.name)
            timings.append((s.name, seconds, summary))
            print(f"stage {s.name:<13} {seconds:6.2f}s  {summary}", flush=True)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m exodus.pipeline.worker", description=__doc__)
    parser.add_argument("stages", help="comma-separated stage names, or a target's name (e.g. postrender)")
    args = parser.parse_args(argv)
    from exodus import paths
    from exodus.pipeline.stages import TARGETS

    cache = Path(os.environ["EXODUS_CACHE"]) if os.environ.get("EXODUS_CACHE") else None
    names = [n for n in args.stages.split(",") if n]
    if len(names) == 1 and names[0] not in by_name() and names[0] in TARGETS:
        names = list(TARGETS[names[0]])  # a target's name stands for its stages (a stage's name wins)
    try:
        run(names, paths.ROOT, cache)
    except StageError as e:
        print(f"build: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
