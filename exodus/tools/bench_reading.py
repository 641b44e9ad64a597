"""Benchmark rows for the reading tools: make draft and make candidates on 100 kB of adversarial text against prose."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from exodus import paths

SIZE = 100_000  # bytes: the largest source text the checks accept
# One endless sentence of ranges, scale words and period wording: every token may join its neighbours.
RANGES_UNIT = ("between 300 and 400 thousand, nearly 1 million to 2 million, 4,000 to 5,000 a day since "
               "21 September and 12-15 thousand over the last four days, ")
KINDS = ("prose", "ranges", "ones")
TARGET = 2.0  # adversarial CPU seconds at most this many times prose


def texts(seed_dir: Path = paths.SOURCES_DIR, size: int = SIZE) -> dict[str, str]:
    """The three texts, each just under `size` bytes: the seed articles repeated (prose), one sentence of
    ranges with no full stop, and '1 1 1 …'."""
    seeds = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(seed_dir.glob("*.txt")))
    prose = (seeds + "\n\n") * (size // max(len(seeds.encode()), 1) + 1)
    prose = prose.encode()[: size - 1000].decode("utf-8", "ignore")
    head = "Head line here\n\n"
    ranges = RANGES_UNIT * ((size - 1000) // len(RANGES_UNIT))
    return {"prose": prose[: prose.rfind("\n") + 1], "ranges": head + ranges + "\n",
            "ones": head + "1 " * ((size - 1000) // 2) + "\n"}


def measure(work: Path, timed, copy) -> list[dict]:
    """CPU and wall seconds of make draft and make candidates (the commands they run) on each text."""
    root = copy(work / "reading")
    env = {**os.environ, "EXODUS_ROOT": str(root)}
    for kind, text in texts().items():
        article = work / f"{kind}.txt"
        article.write_text(text, encoding="utf-8")
        timed([sys.executable, "-m", "exodus.tools.add_source", str(article), "--id", f"bench_{kind}",
               "--published", "2022-10-06"], root, env)
    rows = []
    for command, module in (("make draft", ["exodus.tools.draft"]), ("make candidates", ["exodus.stages.audit", "--from-env"])):
        for kind in KINDS:
            run = timed([sys.executable, "-m", *module], root, {**env, "ID": f"bench_{kind}"})
            rows.append({"command": command, "kind": kind, "seconds": run.seconds, "cpu": run.cpu})
    return rows


def report(rows: list[dict]) -> list[str]:
    """The table: each command on each text, CPU seconds and the ratio to prose, judged against TARGET."""
    prose = {r["command"]: r["cpu"] for r in rows if r["kind"] == "prose"}
    lines = [f"Reading tools on {SIZE // 1000} kB texts (CPU seconds; adversarial at most {TARGET:g} x prose):", "",
             "| command | text | seconds | CPU seconds | x prose (CPU) | result |", "| --- | --- | ---: | ---: | ---: | --- |"]
    for r in rows:
        ratio = r["cpu"] / prose[r["command"]] if prose.get(r["command"]) else None
        result = "" if r["kind"] == "prose" or ratio is None else ("met" if ratio <= TARGET else "NOT met")
        lines.append(f"| {r['command']} | {r['kind']} | {r['seconds']:.2f} | {r['cpu']:.2f} | "
                     f"{'' if ratio is None else f'{ratio:.2f}'} | {result} |")
    return lines
