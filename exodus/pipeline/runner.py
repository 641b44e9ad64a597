"""The one way to build: plan a target's stages, skip what is current, run them in this process with
their outputs in a scratch folder, publish that folder in one transaction.

Every entry point comes here: `make report|html|pdf|figures|check`, Quarto's pre-render
(`exodus/pipeline/prerender.py`), the benchmark and the tests.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from fnmatch import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING

from exodus import atomic, paths
from exodus.pipeline import fingerprint, lock, publish
from exodus.pipeline.stages import SOURCE_INPUTS, TARGETS, Stage, by_name, producers, stages_for

if TYPE_CHECKING:
    from exodus.context import Context

# A no-op build (inputs unchanged, outputs intact) imports nothing it does not use: running the stages
# needs the context, threads and shutil, which are imported where a build starts.

STAMP = "build-stamp.json"
STAGE_DIR = "stage"
CACHE_DIR = "cache"
CACHE_DAYS = 14  # a cache entry no build has used for this long is removed


def source_files(root: Path) -> list[Path]:
    """Every file a build reads that no stage writes: the pipeline's inputs."""
    return fingerprint.matching(root, SOURCE_INPUTS)


def read_stamp(build_dir: Path) -> dict:
    """The last build's record, or {} (everything rebuilt) when there is none or it is not of the shape
    write_stamp() gives it: nothing under build/ is trusted beyond its shape."""
    try:
        stamp = json.loads((build_dir / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not _stamp_shape(stamp):
        print(f"build: {paths.rel(build_dir / STAMP)} is not a build record; ignored (everything is rebuilt)",
              file=sys.stderr)
        return {}
    return stamp


def _stat_shape(stat) -> bool:
    return isinstance(stat, list) and len(stat) == 3 and all(type(n) is int for n in stat)


def _stamp_shape(stamp) -> bool:
    """A build record names outputs only by plain relative paths (never '..', never absolute) with their
    digest and stat, targets by their key, and the inputs by their key and stats."""
    if not isinstance(stamp, dict) or not all(isinstance(stamp.get(k, {}), dict) for k in ("outputs", "targets", "inputs")):
        return False
    outputs, inputs = stamp.get("outputs", {}), stamp.get("inputs", {})
    plain = all(isinstance(rel, str) and rel and not rel.startswith("/") and ".." not in rel.split("/")
                for rel in (*outputs, *(inputs.get("stat") or {})))
    records = all(isinstance(r, dict) and isinstance(r.get("key"), str) and isinstance(r.get("digest"), str)
                  and _stat_shape(r.get("stat")) and type(r.get("at")) is int for r in outputs.values())
    given = (isinstance(inputs.get("key", ""), str) and type(inputs.get("at", 0)) is int
             and isinstance(inputs.get("stat", {}), dict) and all(map(_stat_shape, (inputs.get("stat") or {}).values())))
    return plain and records and given and all(isinstance(v, str) for v in stamp.get("targets", {}).values())


def _declared(rel: str, stages: list[Stage]) -> bool:
    return any(fnmatch(rel, o) for s in stages for o in s.outputs)


def known_key(stamp: dict, seen: dict[str, list[int]]) -> str | None:
    """The inputs' key from the last successful build, when every input has the stat it had then
    and none was changed too close to that look to be trusted; None means: hash them."""
    rec = stamp.get("inputs") or {}
    if not rec.get("key") or rec.get("stat") != seen:
        return None
    at = rec.get("at", 0)
    return rec["key"] if all(fingerprint.settled(s, at) for s in seen.values()) else None


def intact(p: Path, rec: dict) -> bool:
    """An output still has the bytes it was published with: same settled stat, else same digest."""
    if not p.is_file():
        return False
    if rec.get("stat") == fingerprint.stat_of(p) and fingerprint.settled(rec["stat"], rec.get("at", 0)):
        return True
    return fingerprint.file_digest(p) == rec.get("digest")


def up_to_date(target: str, key: str, stamp: dict, root: Path) -> bool:
    """True when the target last succeeded on these inputs and its outputs still have those bytes."""
    if stamp.get("targets", {}).get(target) != key:
        return False
    mine = stages_for(target)
    for rel, rec in (stamp.get("outputs") or {}).items():
        if _declared(rel, mine) and (rec.get("key") != key or not intact(root / rel, rec)):
            return False
    return True


def transaction(root: Path, scratch: Path, stages: list[Stage]) -> tuple[publish.Transaction, list[str]]:
    """What to publish: every declared output the stages made in the scratch folder; what to drop: files
    of those same outputs that the stages made no longer (a chart taken out of the list). Outputs of
    stages that did not run are left as they are."""
    tx, made = publish.Transaction(), []
    for s in stages:
        for pattern in s.outputs:
            for p in fingerprint.matching(scratch, [pattern]):
                rel = str(p.relative_to(scratch))
                if rel not in made:  # two stages' globs may name one file
                    made.append(rel)
                    tx.writes.append((p, root / rel))
            for old in fingerprint.matching(root, [pattern]):
                if not (scratch / old.relative_to(root)).exists():
                    tx.removals.append(old)
    return tx, made


def stale(stamp: dict, key: str, made: list[str], root: Path) -> list[str]:
    """Outputs in the tree last built from other inputs than these and not rebuilt now."""
    return sorted(rel for rel, rec in (stamp.get("outputs") or {}).items()
                  if rel not in made and rec.get("key") != key and (root / rel).is_file())


def seed(root: Path, scratch: Path, stages: list[Stage]) -> None:
    """Copy into the scratch folder the outputs these stages read but no stage of this run makes
    (the report Quarto wrote, for the post-render stages): the run reads them as last published."""
    import shutil

    names = {s.name for s in stages}
    for s in stages:
        for pattern in s.inputs:
            if any(up.name not in names for up in producers(pattern)):
                for p in fingerprint.matching(root, [pattern]):
                    dest = scratch / p.relative_to(root)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(p, dest)


def missing_upstream(stage: Stage, ctx: Context, ran: set[str]) -> list[str]:
    """Declared inputs that an upstream stage makes and that are not there: never read them as empty."""
    problems = []
    for pattern in stage.inputs:
        makers = [up.name for up in producers(pattern) if up.name != stage.name]
        if makers and not set(makers) & ran and not (fingerprint.matching(ctx.out, [pattern])
                                                     or fingerprint.matching(ctx.root, [pattern])):
            problems.append(f"stage {stage.name} needs {pattern}, made by stage {' or '.join(makers)}, "
                            "which has not run here: run a pipeline target that includes it "
                            "(e.g. python -m exodus.pipeline figures)")
    return problems


def call(stage: Stage, ctx: Context) -> str:
    """Run one stage's function with its context active; a non-zero return or an error is a StageError."""
    import importlib

    from exodus.context import StageError

    module, _, function = stage.run.partition(":")
    with paths.activated(ctx):
        result = getattr(importlib.import_module(module), function)(ctx)
    if isinstance(result, int) and not isinstance(result, bool) and result != 0:
        raise StageError(f"stage {stage.name} failed (exit {result}); see the messages above")
    return result if isinstance(result, str) else ""


def _timed(stage: Stage, ctx: Context) -> tuple[str, float]:
    started = time.monotonic()
    # Only a stage that caches declares the code its cache rests on; the others need no digest.
    digest = fingerprint.code_digest(paths.HOME, stage.code) if stage.code else ""
    return call(stage, ctx.for_stage(stage.inputs, digest)), time.monotonic() - started


def batches(stages: list[Stage]) -> list[list[Stage]]:
    """Consecutive stages of one parallel group run together; every other stage alone."""
    out: list[list[Stage]] = []
    for s in stages:
        if out and s.parallel and out[-1][0].parallel == s.parallel:
            out[-1].append(s)
        else:
            out.append([s])
    return out


def run(names: list[str], ctx: Context) -> list[tuple[str, float, str]]:
    """Run the named stages in declared order in this process; returns (name, seconds, summary) per stage."""
    import concurrent.futures

    from exodus.context import StageError

    ordered = [s for s in by_name().values() if s.name in set(names)]
    ran, timings = set(), []
    for batch in batches(ordered):
        problems = [p for s in batch for p in missing_upstream(s, ctx, ran)]
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


def build(target: str, root: Path | None = None, force: bool = False) -> int:
    """Build a target; 0 on success (or when already current), 1 with every problem printed."""
    root = Path(root or paths.default_root())
    stages = stages_for(target)
    build_dir = root / "build"
    with lock.build_lock(build_dir):
        if publish.recover(build_dir):
            print("build: a publish interrupted earlier was rolled back; the last good outputs are in place")
        inputs = source_files(root)
        seen_at, seen = time.time_ns(), fingerprint.stats(inputs, root)
        stamp = read_stamp(build_dir)
        key = known_key(stamp, seen) or fingerprint.fingerprint(inputs, root)
        if not force and up_to_date(target, key, stamp, root):
            print(f"build: {target} up to date (inputs unchanged, outputs intact)")
            return 0
        import shutil

        from exodus.context import Context, StageError

        scratch = build_dir / STAGE_DIR
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        try:
            seed(root, scratch, stages)
            run([s.name for s in stages], Context(root, cache=build_dir / CACHE_DIR, scratch=scratch, target=target))
            tx, made = transaction(root, scratch, stages)
            publish.publish(tx, build_dir)
        except (StageError, publish.PublishError) as e:
            print(f"build: {e}\nbuild: failed; every previous output is untouched", file=sys.stderr)
            return 1
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        old = stale(stamp, key, made, root)
        write_stamp(build_dir, stamp, target, key, made, tx, root, {"key": key, "stat": seen, "at": seen_at})
        prune(build_dir / CACHE_DIR)
    report(tx, made, old, root)
    return 0


def report(tx: publish.Transaction, made: list[str], old: list[str], root: Path) -> None:
    """What the build changed in the tree, and what it left stale."""
    for p in tx.removals:
        print(f"build: removed {paths.rel(p, root)}: its stage no longer makes it")
    for rel in made:
        if rel.startswith("_output/") and rel.count("/") == 1:
            print(f"build: wrote {rel} ({(root / rel).stat().st_size:,} bytes)")
    downloads = [rel for rel in made if rel.startswith("_output/downloads/")]
    if downloads:
        print(f"build: wrote {len(downloads)} download files to _output/downloads/")
    if old:
        print(f"build: stale (built from older inputs, left in place; make report rebuilds them): {', '.join(old)}")


# The names each cache creates (build/cache/<name>/<entry>): the prune removes nothing else, so a
# file put there by hand, or a folder the cache was pointed at, is never deleted.
CACHE_ENTRIES = {
    "parse": re.compile(r"[0-9a-f]{64}\.json|\.[0-9a-f]{64}\.\d+\.\d+"),  # exodus/engine/parse.py
    "figures": re.compile(r"[0-9a-f]{32}|draw-[A-Za-z0-9_]+"),  # exodus/charts/cached.py
    "outputs": re.compile(r"[0-9a-f]{64}|\.entry-[A-Za-z0-9_]+"),  # exodus/engine/outcache.py
    "links": re.compile(r"[0-9a-f]{64}\.json|\.[0-9a-f]{64}\.json\.\d+\.tmp"),  # exodus/report/links.py
}


def prune(cache: Path, days: float = CACHE_DAYS, now: float | None = None) -> list[Path]:
    """Remove the entries of every cache (build/cache/<name>/<entry>) that no build has used for `days`;
    each cache marks what it uses by touching it. Links are never followed (a cache folder that is a link
    is left alone) and only names a cache creates are removed. Returns what was removed."""
    import shutil

    cutoff = (time.time() if now is None else now) - days * 86400
    gone = []
    folders = [] if cache.is_symlink() or not cache.is_dir() else [
        f for f in cache.iterdir() if f.name in CACHE_ENTRIES and f.is_dir() and not f.is_symlink()]
    for entry in (e for folder in folders for e in folder.iterdir() if CACHE_ENTRIES[folder.name].fullmatch(e.name)):
        try:
            if entry.lstat().st_mtime >= cutoff:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            gone.append(entry)
        except OSError:
            continue  # in use by a concurrent build, or gone already: the next build looks again
    return gone


def write_stamp(build_dir: Path, stamp: dict, target: str, key: str, made: list[str],
                tx, root: Path, inputs: dict) -> None:
    """Record what this build made (digest and stat of each output) and the inputs' stat as the build
    read them (taken before it ran, so an edit made meanwhile never matches): a no-op needs no hashing."""
    outputs = {rel: rec for rel, rec in (stamp.get("outputs") or {}).items()
               if root / rel not in tx.removals and (root / rel).is_file()}
    digests = {rel: fingerprint.file_digest(root / rel) for rel in made}
    time.sleep(fingerprint.TICK_NS / 1e9)  # one clock tick: every output's stat is then settled
    for rel in made:
        outputs[rel] = {"key": key, "digest": digests[rel], "stat": fingerprint.stat_of(root / rel),
                        "at": time.time_ns()}
    targets = {t: k for t, k in (stamp.get("targets") or {}).items() if k == key}
    targets[target] = key
    atomic.write_text(build_dir / STAMP, json.dumps({"outputs": outputs, "targets": targets, "inputs": inputs},
                                                    indent=1, sort_keys=True))


def check(root: Path | None = None) -> int:
    """The checks alone, in place: they write nothing."""
    from exodus.context import Context, StageError

    try:
        run(list(TARGETS["check"]), Context(Path(root or paths.default_root())))
    except StageError as e:
        print(f"check: {e}", file=sys.stderr)
        return 1
    return 0


def in_place(names: str, root: Path | None = None) -> int:
    """Run stages (comma-separated, or a target's name) directly in the tree, with no stamp and no
    scratch folder: for Quarto's post-render and fixture projects that want a few stages' files."""
    wanted = [n for n in names.split(",") if n]
    if len(wanted) == 1 and wanted[0] not in by_name() and wanted[0] in TARGETS:
        wanted = list(TARGETS[wanted[0]])  # a target's name stands for its stages (a stage's name wins)
    unknown = [n for n in wanted if n not in by_name()]
    if unknown:
        print(f"build: unknown stage(s) {unknown}; stages: {', '.join(by_name())}", file=sys.stderr)
        return 1
    from exodus.context import Context, StageError

    root = Path(root or paths.default_root())
    try:
        run(wanted, Context(root, cache=root / "build" / CACHE_DIR))
    except StageError as e:
        print(f"build: {e}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m exodus.pipeline", description=__doc__.split("\n")[0])
    parser.add_argument("target", nargs="?", choices=sorted(TARGETS), help="what to build")
    parser.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    parser.add_argument("--stages", help="run these stages (comma-separated, or a target's name) in place")
    args = parser.parse_args(argv)
    if not args.target and not args.stages:
        parser.error("name a target or --stages")
    os.environ.setdefault("MPLBACKEND", "Agg")  # charts are drawn to files, never shown
    if args.stages == "postrender":  # Quarto copies a PDF's images beside it: none is a page's file
        from exodus.pipeline import leftovers
        leftovers.remove(paths.default_root())
    if args.stages:
        return in_place(args.stages)
    started = time.monotonic()
    code = check() if args.target == "check" else build(args.target, force=args.force)
    print(f"build: {args.target} {'done' if code == 0 else 'stopped'} in {time.monotonic() - started:.2f}s",
          file=sys.stderr if code else sys.stdout)
    return code


if __name__ == "__main__":
    sys.exit(main())
