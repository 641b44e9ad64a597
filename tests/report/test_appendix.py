"""The evidence pages are the same made in one process or side by side in several."""
from __future__ import annotations

from exodus import paths
from exodus.model import derived_table, tables
from exodus.report import appendix, cite


def test_source_pages_made_side_by_side_equal_those_made_in_one_process(monkeypatch):
    t = {n: tables.load(n) for n in ("sources", "metrics", "claims", "people", "events")}
    texts = {s["id"]: (paths.DATA / s["path"]).read_text(encoding="utf-8") for s in t["sources"]}
    derived = derived_table.load(paths.ROOT / "build" / "derived.csv") if (paths.ROOT / "build" / "derived.csv").exists() else []
    made = lambda: appendix.build(t, texts, derived, [], cite.load_edition(), "")
    monkeypatch.setattr(appendix, "PARALLEL_FROM", 10 ** 6)
    alone = made()
    monkeypatch.setattr(appendix, "PARALLEL_FROM", 1)
    shared = made()
    assert shared == alone and list(shared) == list(alone)
    assert sum(name.startswith("evidence/") for name in alone) == len(t["sources"]) + 2
