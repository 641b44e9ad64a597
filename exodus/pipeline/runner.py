"""The one way to build: plan a target's stages, skip what is current, run them in a staging copy, publish.

Every entry point comes here: `make report|html|pdf|figures|check`, Quarto's pre-render
(`exodus/pipeline/prerender.py`), the benchmark and the tests.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from fnmatch import fnmatch
from pathlib import Path

from exodus import atomic, paths
from exodus.pipeline import fingerprint, lock, publish
from exodus.pipeline.stages import SOURCE_INPUTS, TARGETS, Stage, stages_for

STAMP = "build-stamp.json"
STAGE_DIR = "stage"
CACHE_DIR = "cache"
CACHE_DAYS = 14  # a cache entry no build has used for this long is removed


def source_files(root: Path) -> list[Path]:
    """Every file a build reads that no stage writes: the pipeline's inputs."""
    return fingerprint.matching(root, SOURCE_INPUTS)


def read_stamp(build_dir: Path) -> dict:
    try:
        return json.loads((build_dir / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


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


def stage_copy(root: Path, stage: Path, files: list[Path]) -> None:
    """A fresh copy of every input, so a failing build never writes into the real tree."""
    import shutil

    if stage.exists():
        shutil.rmtree(stage)
    for src in files:
        rel = src.relative_to(root)
        # A link (to a file or a folder) stays a link in the stage, for validation to refuse.
        link = next((root.joinpath(*rel.parts[:i]) for i in range(1, len(rel.parts) + 1)
                     if root.joinpath(*rel.parts[:i]).is_symlink()), src)
        dest = stage / link.relative_to(root)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if not dest.is_symlink():
            shutil.copy2(link, dest, follow_symlinks=False)


def transaction(root: Path, stage: Path, stages: list[Stage], stamp: dict, key: str) -> tuple[publish.Transaction, list[str]]:
    """What to publish: every declared output made in the stage; what to drop: managed files not made
    again, and outputs of other targets built from different inputs (never left side by side)."""
    tx, made = publish.Transaction(), []
    for s in stages:
        for pattern in s.outputs:
            for p in fingerprint.matching(stage, [pattern]):
                rel = str(p.relative_to(stage))
                if rel not in made:  # two stages' globs may name one file
                    made.append(rel)
                    tx.writes.append((p, root / rel))
            for old in fingerprint.matching(root, [pattern]):
                if str(old.relative_to(root)) not in made and not (stage / old.relative_to(root)).exists():
                    tx.removals.append(old)
    for rel, rec in (stamp.get("outputs") or {}).items():
        if rel not in made and rec.get("key") != key and (root / rel).is_file():
            tx.removals.append(root / rel)
    return tx, made


def undeclared(stage: Path, inputs: list[Path], root: Path, stages: list[Stage]) -> list[str]:
    """Files the stages wrote outside their declared outputs (build/ is scratch and cache)."""
    copied = {str(p.relative_to(root)) for p in inputs}
    out = []
    for p in fingerprint.matching(stage, ["**/*"]):
        rel = str(p.relative_to(stage))
        if rel in copied or rel.startswith("build/") or _declared(rel, stages):
            continue
        out.append(rel)
    return out


def build(target: str, root: Path = paths.ROOT, force: bool = False) -> int:
    """Build a target; 0 on success (or when already current), 1 with every problem printed."""
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
        import subprocess
        stage = build_dir / STAGE_DIR
        stage_copy(root, stage, inputs)
        env = {**os.environ, "EXODUS_ROOT": str(stage), "EXODUS_CACHE": str(build_dir / CACHE_DIR),
               "MPLBACKEND": "Agg"}
        worker = [sys.executable, "-m", "exodus.pipeline.worker", ",".join(s.name for s in stages)]
        if subprocess.run(worker, cwd=stage, env=env).returncode != 0:
            print("build: failed; every previous output is untouched", file=sys.stderr)
            return 1
        stray = undeclared(stage, inputs, root, stages)
        if stray:
            print(f"build: stages wrote undeclared files {stray}; declare them in exodus/pipeline/stages.py",
                  file=sys.stderr)
            return 1
        tx, made = transaction(root, stage, stages, stamp, key)
        try:
            publish.publish(tx, build_dir)
        except publish.PublishError as e:
            print(f"build: {e}; every previous output is untouched", file=sys.stderr)
            return 1
        write_stamp(build_dir, stamp, target, key, made, tx, root, {"key": key, "stat": seen, "at": seen_at})
        shutil.rmtree(stage, ignore_errors=True)
        prune(build_dir / CACHE_DIR)
    for p in tx.removals:
        print(f"build: removed {paths.rel(p)}: it was built from other inputs (make report rebuilds it)")
    for rel in made:
        if rel.startswith("_output/") and rel.count("/") == 1:
            print(f"build: wrote {rel} ({(root / rel).stat().st_size:,} bytes)")
    downloads = [rel for rel in made if rel.startswith("_output/downloads/")]
    if downloads:
        print(f"build: wrote {len(downloads)} download files to _output/downloads/")
    return 0


def prune(cache: Path, days: float = CACHE_DAYS, now: float | None = None) -> list[Path]:
    """Remove the entries of every cache (build/cache/<name>/<entry>) that no build has used for `days`;
    each cache marks what it uses by touching it. Returns what was removed."""
    import shutil

    cutoff = (time.time() if now is None else now) - days * 86400
    gone = []
    for entry in (e for folder in (cache.iterdir() if cache.is_dir() else ()) if folder.is_dir()
                  for e in folder.iterdir()):
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


def check(root: Path = paths.ROOT) -> int:
    """The checks alone, in place: nothing is written, so nothing needs staging."""
    from exodus.context import StageError
    from exodus.pipeline import worker

    try:
        worker.run(list(TARGETS["check"]), root)
    except StageError as e:
        print(f"check: {e}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m exodus.pipeline", description=__doc__.split("\n")[0])
    parser.add_argument("target", choices=sorted(TARGETS), help="what to build")
    parser.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    args = parser.parse_args(argv)
    started = time.monotonic()
    code = check() if args.target == "check" else build(args.target, force=args.force)
    print(f"build: {args.target} {'done' if code == 0 else 'stopped'} in {time.monotonic() - started:.2f}s",
          file=sys.stderr if code else sys.stdout)
    return code


if __name__ == "__main__":
    sys.exit(main())
