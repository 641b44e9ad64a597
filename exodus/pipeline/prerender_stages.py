"""Quarto's pre-render pipeline: validate, audit, derive, draw and generate the includes, stage by stage."""
from __future__ import annotations

import argparse
import subprocess
import sys

from exodus import paths

# The includes and variables the report reads; exodus.pipeline.stage_build runs the same list in-process.
GENERATORS = ["figure_blocks", "variables", "bibliography", "appendix", "cite"]
STAGES = ["validate", "audit", "derive", "figures", *GENERATORS]
MODULES = {"validate": "exodus.stages.validate", "audit": "exodus.stages.audit", "derive": "exodus.stages.derive",
           "figures": "exodus.charts.figures", **{g: f"exodus.report.{g}" for g in GENERATORS}}


def selected(names: str | None) -> list[str]:
    if not names:
        return STAGES
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    unknown = [n for n in wanted if n not in STAGES]
    if unknown:
        raise SystemExit(f"pipeline: unknown stage(s) {unknown}; stages: {STAGES}")
    return [s for s in STAGES if s in wanted]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m exodus.pipeline.prerender_stages", description=__doc__)
    parser.add_argument("--stages", help="comma-separated subset, e.g. variables,appendix")
    args = parser.parse_args(argv)
    for name in selected(args.stages):
        # A subprocess per stage: each module's main() owns its own exit status and
        # nothing one stage imports or caches leaks into the next.
        done = subprocess.run([sys.executable, "-m", MODULES[name]], cwd=paths.ROOT)
        if done.returncode != 0:
            print(f"pipeline: stage {name} failed ({done.returncode}); stopping", file=sys.stderr)
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
