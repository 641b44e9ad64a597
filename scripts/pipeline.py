"""Pre-render pipeline: run each stage (derive, figures, variables, bibliography, appendix) in order."""
from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys

from scripts import paths

# Stage -> module. Stages owned by other parts of the project run only when their module
# exists, so the report scaffolding builds before every stage is written.
STAGES = [
    ("derive", "scripts.derive", True),
    ("figures", "scripts.figures", True),
    ("figure_blocks", "scripts.figure_blocks", False),
    ("variables", "scripts.variables", False),
    ("bibliography", "scripts.bibliography", False),
    ("appendix", "scripts.appendix", False),
    ("cite", "scripts.cite", False),
]


def selected(names: str | None) -> list[tuple[str, str, bool]]:
    if not names:
        return STAGES
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    unknown = [n for n in wanted if n not in {s for s, _, _ in STAGES}]
    if unknown:
        raise SystemExit(f"pipeline: unknown stage(s) {unknown}; stages: {[s for s, _, _ in STAGES]}")
    return [s for s in STAGES if s[0] in wanted]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.pipeline", description=__doc__)
    parser.add_argument("--stages", help="comma-separated subset, e.g. variables,appendix")
    args = parser.parse_args(argv)
    for name, module, optional in selected(args.stages):
        if importlib.util.find_spec(module) is None:
            if optional:
                print(f"pipeline: {name}: {module} not present, skipped")
                continue
            print(f"pipeline: {name}: {module} is missing", file=sys.stderr)
            return 1
        # A subprocess per stage: each module's main() owns its own exit status and
        # nothing one stage imports or caches leaks into the next.
        done = subprocess.run([sys.executable, "-m", module], cwd=paths.ROOT)
        if done.returncode != 0:
            print(f"pipeline: stage {name} failed ({done.returncode}); stopping", file=sys.stderr)
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
