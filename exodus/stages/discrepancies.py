"""Find disagreements (intervals that cannot overlap) and contrasts (two kinds of quantity set side by side)."""
from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from exodus.model import asof, csv_out, series
from exodus.model import intervals as iv
from exodus.model.vocabulary import outlet_credit
from exodus.stages.formulas import claim_quantity

FIELDS = ["id", "kind", "description", "claim_ids", "derived_ids", "values"]
# kind -> whether it is a disagreement; a contrast is recorded so a reader sees why two
# figures that look alike are not compared, and is never listed as a conflict.
KINDS = {"competing_claims": True, "same_quantity_different_values": True, "derived_figures_disagree": True,
         "derived_contradicts_claim": True, "contrast": False}


def is_disagreement(row: dict) -> bool:
    """True for a recorded disagreement, False for a contrast."""
    return KINDS.get(row.get("kind"), True)


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


def _named(source_ids, sources: dict[str, dict]) -> str:
    """The sources a row rests on, by outlet and id, e.g. 'The Guardian (guardian_tonight_cross_border)'."""
    return "; ".join(f"{outlet_credit(sources.get(s, {}))} ({s})" for s in sorted(source_ids))


def _disjoint_pairs(items: list, interval) -> list[tuple]:
    """Pairs whose intervals cannot overlap: the only case the build calls a disagreement (each item's
    interval worked out once, not once per pair)."""
    spans = [interval(x) for x in items]
    return [(items[i], items[j]) for i, j in combinations(range(len(items)), 2) if not iv.overlap(spans[i], spans[j])]


def _linked_groups(claims: list[dict], status: str) -> list[tuple[set, list[str]]]:
    """Connected groups of claims of one status linked by competes_with, with unknown ids named."""
    links = defaultdict(set)
    for c in claims:
        if c.get("status") == status:
            others = [o for o in (c.get("competes_with") or "").split(";") if o]
            links[c["id"]].update(others)
            for o in others:
                links[o].add(c["id"])
    groups, seen = [], set()
    known = {c["id"] for c in claims} if links else set()  # most claims link to none: no index then
    for start in sorted(links):
        if start in seen:
            continue
        group, todo = set(), [start]
        while todo:  # connected component: A competes with B, B with C -> one group
            n = todo.pop()
            if n not in group:
                group.add(n)
                todo.extend(links[n])
        seen |= group
        groups.append((group, sorted(i for i in group if i not in known)))
    return groups


def competing(claims: list[dict], sources: dict[str, dict] | None = None, linked: list | None = None) -> list[dict]:
    """Groups of claims marked competing in which two intervals cannot overlap (or an id dangles)."""
    groups = _linked_groups(claims, "competing") if linked is None else linked
    by_id, rows = {c["id"]: c for c in claims} if groups else {}, []
    for group, missing in groups:
        known = [by_id[i] for i in sorted(group) if i in by_id]
        pairs = _disjoint_pairs(known, lambda c: claim_quantity(c).interval)
        if not pairs and not missing:
            continue  # the wording and rounding of each leave room for one value: no conflict
        note = f"; competes_with names unknown ids {', '.join(missing)}" if missing else ""
        metrics = sorted({c["metric"] for c in known})
        rows.append(_row("competing_claims",
                         f"Claims marked competing give figures for one quantity (metric {', '.join(metrics)}) "
                         f"that cannot both be right, from {_named({c['source_id'] for c in known}, sources or {})}"
                         f"{note}", group, values=_claim_values(known)))
    return rows


def contrasts(claims: list[dict], sources: dict[str, dict] | None = None, linked: list | None = None) -> list[dict]:
    """Claims marked contrast: two kinds of quantity set against each other, never a disagreement."""
    groups = _linked_groups(claims, "contrast") if linked is None else linked
    by_id, rows = {c["id"]: c for c in claims} if groups else {}, []
    for group, _ in groups:
        known = [by_id[i] for i in sorted(group) if i in by_id]
        kinds = " and ".join(f"{c['id']} ({c.get('subject') or c['metric']})" for c in known)
        rows.append(_row("contrast", f"Different quantities set side by side, not a disagreement: {kinds}, "
                                     f"from {_named({c['source_id'] for c in known}, sources or {})}",
                         group, values=_claim_values(known)))
    return rows


def _quantity_groups(claims: list[dict]) -> dict[tuple, list[dict]]:
    """Claims that may measure one quantity: one metric for one place (a series over time), or, with no
    place, one metric over one stated period; keys met once are dropped."""
    first, groups = {}, {}  # a list only for a key met twice: most claims share theirs with none
    for i, c in enumerate(claims):
        place, start, end = c.get("place"), c.get("period_start"), c.get("period_end")
        # Without a stated place or period nothing says two claims measure one quantity
        # (e.g. "interviewees" of two different articles), so they are not compared.
        if place:
            key = (c["metric"], place.casefold(), "", "")
        elif start or end:
            key = (c["metric"], "", str(start or ""), str(end or ""))
        else:
            continue
        seen = first.setdefault(key, i)
        if seen != i:
            groups.setdefault(key, [claims[seen]]).append(c)
    return groups


def same_quantity(claims: list[dict], already: list[set], sources: dict[str, dict] | None = None) -> list[dict]:
    """Reports of one metric and place whose as-of dates (windows included) can coincide, whose spans
    agree, and whose intervals cannot overlap. Reports months apart are a series, not a disagreement."""
    sources = sources or {}
    within = defaultdict(list)  # claim id -> the linked groups holding it: a group is looked up, not searched for
    for s in already:
        for i in s:
            within[i].append(s)
    rows = []
    for key, members in sorted(_quantity_groups(claims).items()):
        group = sorted(members, key=lambda c: c["id"])
        ids = {c["id"] for c in group}
        if any(ids <= s for s in within.get(group[0]["id"], ())):
            continue
        pairs = [(a, b) for a, b in _disjoint_pairs(group, lambda c: claim_quantity(c).interval)
                 if series.comparable(a, b, sources)]
        if not pairs:
            continue  # "90 days" and "up to 90 days" leave room for one value; 100,000 then 400,000 is a series
        clashing = sorted({c["id"]: c for pair in pairs for c in pair}.values(), key=lambda c: c["id"])
        metric, place, start, end = key
        when = "; ".join(f"{c['id']} {asof.text(series.when(c, sources))}" for c in clashing)
        span = f", {start or '?'} to {end or '?'}" if (start or end) else ""
        rows.append(_row("same_quantity_different_values",
                         f"{len(clashing)} claims of metric {metric} for {place or 'no stated place'}{span}, "
                         f"reported for dates that can coincide ({when}), give figures that cannot both be right, "
                         f"from {_named({c['source_id'] for c in clashing}, sources)}",
                         {c["id"] for c in clashing}, values=_claim_values(clashing)))
    return rows


def _window(source_ids, sources: dict[str, dict]) -> tuple[str, str] | None:
    """The days the sources can describe (earliest not-before, latest not-after); None if any is open."""
    rows = [sources.get(s, {}) for s in source_ids]
    starts, ends = [r.get("published_not_before") for r in rows], [r.get("published_not_after") for r in rows]
    if not rows or not all(starts) or not all(ends):
        return None
    return str(min(starts)), str(max(ends))


def _same_days(a, b, sources: dict[str, dict]) -> bool:
    """False when two derived figures rest on articles whose publication windows cannot share a day.

    A figure worked out from an article is as of that article's day: a ruble-to-pound rate implied
    in late September and one implied a week earlier are two quantities, not two estimates of one.
    """
    wa, wb = _window(a.quantity.source_ids, sources), _window(b.quantity.source_ids, sources)
    return wa is None or wb is None or not (wa[1] < wb[0] or wb[1] < wa[0])


def derived_disagreements(derived: list, sources: dict[str, dict] | None = None) -> list[dict]:
    """Pairs of derived figures of one metric, as of days that can coincide, whose intervals cannot overlap."""
    by_metric = defaultdict(list)
    for d in derived:
        # Aggregates over the people table count different subsets of accounts by design;
        # only figures resting on claims are estimates of one quantity that should agree.
        if d.quantity.claim_ids:
            by_metric[d.definition.metric].append(d)
    rows = []
    for metric in sorted(by_metric):
        items = sorted(by_metric[metric], key=lambda d: d.id)
        for a, b in _disjoint_pairs(items, lambda d: d.quantity.interval):
            if not _same_days(a, b, sources or {}):
                continue
            rows.append(_row("derived_figures_disagree",
                             f"{a.id} and {b.id} estimate the same metric ({metric}) but their intervals do not "
                             f"overlap, from {_named(a.quantity.source_ids | b.quantity.source_ids, sources or {})}",
                             a.quantity.claim_ids | b.quantity.claim_ids, {a.id, b.id},
                             f"{_shown(a.id, a.quantity.interval)}; {_shown(b.id, b.quantity.interval)}"))
    return rows


def _same_quantity_as(claim: dict, inputs: list[dict], sources: dict[str, dict]) -> bool:
    """A claim measures what a derived figure estimates only for the place of the figures it rests on
    (when they name one) and at as-of dates that can coincide with theirs: crossings into Finland, or
    into Georgia a month later, are not the Georgian rate derived from September's figures."""
    places = {(c.get("place") or "").strip().casefold() for c in inputs} - {""}
    if places and (claim.get("place") or "").strip().casefold() not in places:
        return False
    return not inputs or any(series.overlap(series.when(claim, sources), series.when(c, sources)) for c in inputs)


def derived_vs_claims(claims: list[dict], derived: list, sources: dict[str, dict] | None = None) -> list[dict]:
    """Derived figures whose interval cannot overlap a claim of their metric, place and time."""
    by_metric = defaultdict(list)  # indexed once: each derived figure meets only its own metric's claims
    wanted = {d.definition.metric for d in derived}
    for c in sorted((c for c in claims if c["metric"] in wanted), key=lambda c: c["id"]):
        by_metric[c["metric"]].append(c)
    rows, sources = [], sources or {}
    by_id = {c["id"]: c for c in claims} if by_metric else {}
    for d in sorted(derived, key=lambda d: d.id):
        q = d.quantity.interval
        inputs = [by_id[i] for i in sorted(d.quantity.claim_ids) if i in by_id]
        for c in by_metric.get(d.definition.metric, ()):
            cq = claim_quantity(c).interval
            if c["id"] in d.quantity.claim_ids or iv.overlap(q, cq) or not _same_quantity_as(c, inputs, sources):
                continue
            rows.append(_row("derived_contradicts_claim",
                             f"{d.id} contradicts claim {c['id']}: their intervals do not overlap, from "
                             f"{_named(d.quantity.source_ids | {c['source_id']}, sources or {})}",
                             d.quantity.claim_ids | {c["id"]}, {d.id}, f"{_shown(d.id, q)}; {_shown(c['id'], cq)}"))
    return rows


def find(claims: list[dict], derived: list, sources: list[dict] = ()) -> list[dict]:
    """Every disagreement and contrast, with stable ids; never raises on odd data."""
    named = {s["id"]: s for s in sources}
    groups = {status: _linked_groups(claims, status) for status in ("competing", "contrast")}
    rows = competing(claims, named, groups["competing"])
    linked = [group for group, _ in groups["competing"] + groups["contrast"]]
    rows += contrasts(claims, named, groups["contrast"]) + same_quantity(claims, linked, named)
    rows += derived_disagreements(derived, named) + derived_vs_claims(claims, derived, named)
    rows.sort(key=lambda r: (r["kind"], r["claim_ids"], r["derived_ids"]))
    used: dict[str, int] = {}
    for r in rows:
        first = (r["derived_ids"] or r["claim_ids"]).split(";")[0]
        base = f"{r['kind']}__{first}"
        used[base] = used.get(base, 0) + 1
        r["id"] = base if used[base] == 1 else f"{base}_{used[base]}"
    return rows
