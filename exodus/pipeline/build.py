"""Build the report in a staging copy and publish it only when every stage succeeds; skip what has not changed."""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from exodus.pipeline import buildcache
from exodus import paths

STAGE = "stage"
# What the staged build hands back, and which files in each place the build manages.
PUBLISHED = {
    "figures": ["*.png", "*.svg", "*.csv", "figures.json"],
    "build": ["_*.md", "references.json", "derived.csv", "discrepancies.csv"],
}


def formats_for(args: argparse.Namespace) -> list[str]:
    if args.figures_only:
        return []
    return ["html"] if args.html_only else ["html", "typst"]


def stage_copy(root: Path, stage: Path) -> None:
    """A fresh copy of every input, so a failing build never writes into the real tree."""
    if stage.exists():
        shutil.rmtree(stage)
    for src in buildcache.input_files(root):
        dest = stage / src.relative_to(root)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest)


def publish_all(stage: Path, root: Path, formats: list[str]) -> list[Path]:
    """Move the staged outputs into place, each file by an atomic rename."""
    buildcache.publish(stage / "figures", root / "figures", PUBLISHED["figures"])
    if not formats:
        return [p for p in sorted((root / "figures").iterdir()) if p.is_file()]
    buildcache.publish(stage / "build", root / "build", PUBLISHED["build"])
    managed = ["report.html"] + (["report.pdf"] if "typst" in formats else [])
    buildcache.publish(stage / "_output", root / "_output", managed)
    buildcache.atomic_write(root / "_variables.yml", (stage / "_variables.yml").read_bytes())
    outputs = [root / "_output" / m for m in managed] + [root / "_variables.yml"]
    return outputs + [p for p in sorted((root / "figures").iterdir()) if p.is_file()]


def run(args: argparse.Namespace, root: Path = paths.ROOT) -> int:
    """Check the stamp, build in the stage if anything changed, publish, stamp."""
    formats = formats_for(args)
    build_dir = root / "build"
    with buildcache.build_lock(build_dir):
        key = buildcache.fingerprint(buildcache.input_files(root), root, extra=",".join(formats) or "figures")
        stamp = buildcache.read_stamp(build_dir)
        if stamp.get("key") == key and buildcache.outputs_intact(stamp, root) and not args.force:
            print("build: up to date (inputs unchanged, outputs intact)")
            return 0
        stage = build_dir / STAGE
        stage_copy(root, stage)
        env = {**os.environ, "EXODUS_ROOT": str(stage), "EXODUS_CACHE": str(build_dir / "cache")}
        worker = [sys.executable, "-m", "exodus.pipeline.stage_build", *(f"--format={f}" for f in formats)]
        if subprocess.run(worker, cwd=stage, env=env).returncode != 0:
            print("build: failed; the previous report, figures and variables are untouched", file=sys.stderr)
            return 1
        outputs = publish_all(stage, root, formats)
        digests = {str(p.relative_to(root)): buildcache.file_digest(p) for p in outputs}
        buildcache.write_stamp({"key": key, "formats": formats, "outputs": digests}, build_dir)
        shutil.rmtree(stage, ignore_errors=True)
    for p in outputs:
        if p.parent.name == "_output":
            print(f"build: wrote {paths.rel(p)} ({p.stat().st_size:,} bytes)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m exodus.pipeline.build", description=__doc__)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--html-only", action="store_true", help="render only _output/report.html")
    group.add_argument("--figures-only", action="store_true", help="validate, derive and redraw figures/ only")
    parser.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    args = parser.parse_args(argv)
    started = time.monotonic()
    code = run(args)
    print(f"build: {'done' if code == 0 else 'stopped'} in {time.monotonic() - started:.2f}s", file=sys.stderr if code else sys.stdout)
    return code


if __name__ == "__main__":
    sys.exit(main())
