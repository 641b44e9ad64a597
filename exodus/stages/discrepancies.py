"""Find competing claims, same-quantity disagreements and derived figures that contradict."""
from __future__ import annotations

from collections import defaultdict

from exodus.model import csv_out
from exodus.model import intervals as iv
from exodus.stages.formulas import claim_quantity

FIELDS = ["id", "kind", "description", "claim_ids", "derived_ids", "values"]
# Two estimates of one quantity disagree when their point values differ by more than 10 % of
# the smaller. The articles round to one or two significant figures (e.g. "£5,000" may be
# anything from £4,500 to £5,499, 10 % either way), so closer values are within rounding.
TOLERANCE = 0.10


def relative_gap(a: float, b: float) -> float:
    """|a - b| as a share of the smaller magnitude (inf when that is 0 and they differ)."""
    small = min(abs(a), abs(b))
    if a == b:
        return 0.0
    return abs(a - b) / small if small else float("inf")


def _shown(name: str, interval: iv.Interval) -> str:
    value = csv_out.number(interval.value) or "?"
    low, high = csv_out.number(interval.low), csv_out.number(interval.high)
    bounds = f" [{low or '-inf'}, {high or 'inf'}]" if (low, high) != (value, value) else ""
    return f"{name}={value}{bounds}"


def _claim_values(claims: list[dict]) -> str:
    return "; ".join(_shown(c["id"], claim_quantity(c).interval) for c in sorted(claims, key=lambda c: c["id"]))


def _row(kind: str, description: str, claim_ids=(), derived_ids=(), values: str = "") -> dict:
    return {"kind": kind, "description": description, "claim_ids": csv_out.ids(claim_ids),
            "derived_ids": csv_out.ids(derived_ids), "values": values}


def competing(claims: list[dict]) -> list[dict]:
    """One row per group of claims linked by status=competing / competes_with."""
    by_id = {c["id"]: c for c in claims}
    links = defaultdict(set)
    for c in claims:
        others = [o for o in (c.get("competes_with") or "").split(";") if o]
        if c.get("status") == "competing" or others:
            links[c["id"]].update(others)
            for o in others:
                links[o].add(c["id"])
    rows, seen = [], set()
    for start in sorted(links):
        if start in seen:
            continue
        group, todo = set(), [start]
        while todo:  # connected component: A competes with B, B with C -> one disagreement
            n = todo.pop()
            if n not in group:
                group.add(n)
                todo.extend(links[n])
        seen |= group
        missing = sorted(group - set(by_id))
        known = [by_id[i] for i in sorted(group) if i in by_id]
        note = f"; competes_with names unknown ids {', '.join(missing)}" if missing else ""
        metrics = sorted({c["metric"] for c in known})
        rows.append(_row("competing_claims",
                         f"Claims marked competing give different figures for one quantity "
                         f"(metric {', '.join(metrics)}){note}",
                         group, values=_claim_values(known)))
    return rows


def same_quantity(claims: list[dict], already: list[set]) -> list[dict]:
    """Claims of one metric, place and period whose (value, low, high) differ."""
    groups = defaultdict(list)
    for c in claims:
        # Without a stated place or period nothing says two claims measure one quantity
        # (e.g. "interviewees" of two different articles), so they are not compared.
        if not (c.get("place") or c.get("period_start") or c.get("period_end")):
            continue
        key = (c["metric"], (c.get("place") or "").casefold(), c.get("period_start") or "", c.get("period_end") or "")
        groups[key].append(c)
    rows = []
    for key in sorted(groups):
        group = groups[key]
        figures = {(c.get("value"), c.get("low"), c.get("high")) for c in group}
        ids = {c["id"] for c in group}
        if len(group) < 2 or len(figures) < 2 or any(ids <= s for s in already):
            continue
        metric, place, start, end = key
        period = f"{start or '?'} to {end or '?'}" if (start or end) else "no stated period"
        rows.append(_row("same_quantity_different_values",
                         f"{len(group)} claims of metric {metric} for {place or 'no stated place'}, "
                         f"{period}, give different figures", ids, values=_claim_values(group)))
    return rows


def derived_disagreements(derived: list) -> list[dict]:
    """Pairs of derived figures of one metric whose values differ beyond TOLERANCE."""
    by_metric = defaultdict(list)
    for d in derived:
        # Aggregates over the people table count different subsets of accounts by design;
        # only figures resting on claims are estimates of one quantity that should agree.
        if d.quantity.interval.value is not None and d.quantity.claim_ids:
            by_metric[d.definition.metric].append(d)
    rows = []
    for metric in sorted(by_metric):
        items = sorted(by_metric[metric], key=lambda d: d.id)
        for i, a in enumerate(items):
            for b in items[i + 1:]:
                gap = relative_gap(a.quantity.interval.value, b.quantity.interval.value)
                if gap > TOLERANCE:
                    by = f"{gap:.0%}" if gap != float("inf") else "more than any ratio (one is 0)"
                    rows.append(_row("derived_figures_disagree",
                                     f"{a.id} and {b.id} estimate the same metric ({metric}) but differ by "
                                     f"{by} (tolerance {TOLERANCE:.0%})",
                                     a.quantity.claim_ids | b.quantity.claim_ids, {a.id, b.id},
                                     f"{_shown(a.id, a.quantity.interval)}; {_shown(b.id, b.quantity.interval)}"))
    return rows


def derived_vs_claims(claims: list[dict], derived: list) -> list[dict]:
    """Derived figures whose interval excludes, or whose value is far from, a claim of their metric."""
    by_metric = defaultdict(list)  # indexed once: each derived figure meets only its own metric's claims
    for c in sorted(claims, key=lambda c: c["id"]):
        by_metric[c["metric"]].append(c)
    rows = []
    for d in sorted(derived, key=lambda d: d.id):
        q = d.quantity.interval
        for c in by_metric.get(d.definition.metric, ()):
            if c["id"] in d.quantity.claim_ids:
                continue
            cq = claim_quantity(c).interval
            disjoint = q.high < cq.low or q.low > cq.high
            far = q.value is not None and cq.value is not None and relative_gap(q.value, cq.value) > TOLERANCE
            if disjoint or far:
                why = "their intervals do not overlap" if disjoint else f"values differ by more than {TOLERANCE:.0%}"
                rows.append(_row("derived_contradicts_claim", f"{d.id} contradicts claim {c['id']}: {why}",
                                 d.quantity.claim_ids | {c["id"]}, {d.id},
                                 f"{_shown(d.id, q)}; {_shown(c['id'], cq)}"))
    return rows


def find(claims: list[dict], derived: list) -> list[dict]:
    """Every discrepancy, with stable ids; never raises on odd data."""
    rows = competing(claims)
    groups = [set(r["claim_ids"].split(";")) for r in rows]
    rows += same_quantity(claims, groups) + derived_disagreements(derived) + derived_vs_claims(claims, derived)
    rows.sort(key=lambda r: (r["kind"], r["claim_ids"], r["derived_ids"]))
    used: dict[str, int] = {}
    for r in rows:
        first = (r["derived_ids"] or r["claim_ids"]).split(";")[0]
        base = f"{r['kind']}__{first}"
        used[base] = used.get(base, 0) + 1
        r["id"] = base if used[base] == 1 else f"{base}_{used[base]}"
    return rows
