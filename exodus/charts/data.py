"""Select and shape the rows each chart plots, from the tables, the derived figures and data/charts.yml."""
from __future__ import annotations

from collections import Counter

from exodus.charts import timeline_data
from exodus.charts.spec import ChartSpecError
from exodus.model import asof, citations
from exodus.stages import people_stats
from exodus.stages.formulas import claim_quantity

ROW_FIELDS = ["panel", "metric", "metric_label", "unit", "label", "id", "kind", "value", "low", "high",
              "hedge", "number_text", "as_of", "as_of_basis", "series", "reports", "claim_ids", "source_ids"]
# Rows that would draw the same mark: the same figure, worded the same, for the same label and date.
SAME_MARK = ("kind", "panel", "metric", "unit", "label", "value", "low", "high", "hedge", "as_of")


outlet = citations.outlet  # a short label's credit: "The Guardian", "outlet not named"


def outlets(source_ids, sources: list[dict]) -> list[str]:
    """Distinct names of the given sources as every citation words them (the outlet, or the headline where
    no outlet is known), sorted; a source id missing from the table says so."""
    by_id = {s["id"]: s for s in sources}
    return sorted({citations.name(by_id.get(i)) for i in source_ids})


def _finite(x):
    return None if x is None or x in (float("inf"), float("-inf")) else x


def _as_of(claim: dict, sources: dict[str, dict]) -> asof.AsOf:
    return asof.as_of(claim, sources.get(claim["source_id"]))


def claim_row(claim: dict, metrics: dict[str, dict], label: str | None = None,
              sources: dict[str, dict] | None = None) -> dict:
    """One plotted claim: its interval after the wording's bounds are applied, and when it was true."""
    iv = claim_quantity(claim).interval
    metric = metrics.get(claim["metric"], {})
    when = _as_of(claim, sources or {})
    return {
        "panel": claim["metric"], "metric": claim["metric"], "metric_label": metric.get("label", claim["metric"]),
        "unit": claim["unit"], "label": label or claim.get("place") or claim["subject"], "id": claim["id"],
        "kind": "claim", "value": iv.value, "low": _finite(iv.low), "high": _finite(iv.high),
        "hedge": claim["hedge"], "number_text": claim["number_text"], "as_of": when.iso(),
        "as_of_basis": when.basis, "series": "", "reports": 1, "claim_ids": claim["id"],
        "source_ids": claim["source_id"],
    }


def derived_row(item, metrics: dict[str, dict], label: str) -> dict:
    """One plotted derived figure, labelled as computed; it is as of nothing but its inputs."""
    q, d = item.quantity, item.definition
    return {
        "panel": d.metric, "metric": d.metric, "metric_label": metrics.get(d.metric, {}).get("label", d.metric),
        "unit": d.unit, "label": label, "id": d.id, "kind": "derived", "value": q.interval.value,
        "low": _finite(q.interval.low), "high": _finite(q.interval.high), "hedge": q.interval.hedge,
        "number_text": "", "as_of": "", "as_of_basis": "", "series": "", "reports": 1,
        "claim_ids": ";".join(sorted(q.claim_ids)), "source_ids": ";".join(sorted(q.source_ids)),
    }


def _by_metric(claims, wanted):
    order = {m: i for i, m in enumerate(wanted)}
    # A denied figure ("far from 100,000") has no value and no bound: there is nothing to draw.
    chosen = [c for c in claims if c["metric"] in order and c.get("hedge") != "denied"]
    return sorted(chosen, key=lambda c: (order[c["metric"]], c.get("place") or "", c["id"]))


def _base_label(spec, claim: dict, fill) -> str:
    """Curated label by claim, else by metric, else the claim's place or subject."""
    by_claim, by_metric = spec.get("claim_labels") or {}, spec.get("metric_labels") or {}
    if claim["id"] in by_claim:
        return fill(by_claim[claim["id"]], key="claim_labels")
    if claim["metric"] in by_metric:
        return fill(by_metric[claim["metric"]], key="metric_labels")
    if spec.get("label_by", "place") == "place" and claim.get("place"):
        return claim["place"]
    return claim["subject"][:1].upper() + claim["subject"][1:]


def merge_same(rows: list[dict]) -> list[dict]:
    """One row per mark: reports of the same figure for the same label and date (articles repeating one
    figure) become one row counting them, with every claim and source id, so no label is overprinted."""
    merged: dict[tuple, dict] = {}
    for r in rows:
        key = tuple(r.get(k) for k in SAME_MARK)
        if key not in merged:
            merged[key] = dict(r)
            continue
        m = merged[key]
        m["reports"] += r["reports"]
        for k in ("claim_ids", "source_ids"):
            m[k] = ";".join(sorted(set(m[k].split(";")) | set(r[k].split(";")) - {""}))
    return list(merged.values())


def mark_series(rows: list[dict]) -> None:
    """Several reports of one metric under one label become a series over time, ordered by as-of date."""
    groups = Counter((r["metric"], r["label"]) for r in rows if r["kind"] == "claim")
    for r in rows:
        if r["kind"] == "claim" and groups[(r["metric"], r["label"])] > 1:
            r["series"] = f"{r['metric']}:{r['label']}"


def metric_panels(spec, t: dict[str, list[dict]], derived: list, fill) -> tuple[list[dict], dict]:
    """Claims of the listed metrics, one panel each; derived figures of the listed derived metrics."""
    reg = {m["id"]: m for m in t["metrics"]}
    sources = {s["id"]: s for s in t["sources"]}
    claims = t["claims"]
    rows = merge_same([claim_row(c, reg, _base_label(spec, c, fill), sources)
                       for c in _by_metric(claims, spec.get("metrics") or ())])
    mark_series(rows)
    by_id = {c["id"]: c for c in claims}
    for r in rows:
        if not r["series"]:  # a lone bar says when it was true; a series says it on its date axis
            r["label"] = f"{r['label']}, {asof.text(_as_of(by_id[r['id']], sources))}"
    wanted = set(spec.get("derived_metrics") or ())
    for d in derived:
        if d.definition.metric in wanted and d.quantity.claim_ids:
            places = sorted({c.get("place") or "" for c in claims if c["id"] in d.quantity.claim_ids} - {""})
            label = fill("{common.derived_label}", key="derived_metrics", places=", ".join(places) or "implied")
            rows.append(derived_row(d, reg, label))
    rows = merge_same(rows)
    order = {m: i for i, m in enumerate(spec.get("metrics") or ())}
    rows.sort(key=lambda r: (order.get(r["metric"], len(order)), r["kind"] != "claim", r["series"] != "",
                             r["series"], r["as_of"] if r["series"] else ""))
    return rows, {"rows": len(rows)}


def conversion_pairs(spec, t: dict[str, list[dict]], derived: list, fill) -> tuple[list[dict], dict]:
    """Each pair of claims in two currencies behind a derived rate, plus the rates; pairs that repeat the
    same figures (the same conversion in several articles) are one pair counting its reports."""
    reg = {m["id"]: m for m in t["metrics"]}
    by_id = {c["id"]: c for c in t["claims"]}
    sources = {s["id"]: s for s in t["sources"]}
    rate_metric = spec.get("rate_metric")
    if derived and not any(d.definition.metric == rate_metric for d in derived):  # none at all: nothing to pair
        raise ChartSpecError(f"{spec.where}: chart {spec.id!r}, key 'rate_metric': no derived figure of metric "
                             f"{rate_metric!r} in data/derived.csv")
    pairs: dict[tuple, list[dict]] = {}
    for d in sorted((d for d in derived if d.definition.metric == rate_metric), key=lambda d: d.id):
        pair = sorted((by_id[i] for i in d.quantity.claim_ids if i in by_id), key=lambda c: c["unit"] != "RUB")
        what = reg.get(pair[0]["metric"], {}).get("label", pair[0]["metric"]).split(" (")[0] if pair else d.id
        where = next((c.get("place") for c in pair if c.get("place")), "")
        label = f"{what}, {where}" if where else what
        rows = [claim_row(c, reg, label=label, sources=sources) for c in pair] + [derived_row(d, reg, label)]
        key = tuple((r["kind"], r["unit"], r["label"], r["value"], r["low"], r["high"], r["hedge"]) for r in rows)
        if key in pairs:
            for kept, r in zip(pairs[key], rows):
                kept.update(merge_same([kept, {**r, "panel": kept["panel"], "as_of": kept["as_of"]}])[0])
            continue
        for r in rows:  # one axis per pair and currency: metrics never share one
            r["panel"] = f"{d.id}:{r['unit']}" if r["kind"] == "claim" else r["panel"]
        pairs[key] = rows
    rows = [r for group in pairs.values() for r in group]
    return rows, {"rows": len(rows)}


def unnamed_label(person: dict) -> str:
    """An unnamed person told apart by a short occupation, else a short name note, else the id."""
    job, note = person.get("occupation") or "", person.get("name_note") or ""
    text = job if job and len(job) <= 28 else note if note and len(note) <= 40 else \
        person["id"].split("_", 1)[-1].replace("_", " ")
    return text[:1].upper() + text[1:]


def _distinct(rows: list[dict]) -> None:
    """Number repeated labels ("One of Vladimir's two friends (1)", "(2)") in row order."""
    seen = Counter(r["name"] for r in rows)
    count: Counter = Counter()
    for r in rows:
        if seen[r["name"]] > 1:
            count[r["name"]] += 1
            r["name"] = f"{r['name']} ({count[r['name']]})"


def people(spec, t: dict[str, list[dict]], derived: list, fill) -> tuple[list[dict], dict]:
    """Chart rows for every individual account, and their count."""
    rows = people_rows(t["people"], t["sources"])
    return rows, {"accounts": len(rows)}


def people_rows(people: list[dict], sources: list[dict]) -> list[dict]:
    """Chart (e): every account with age, destination country and status (companions are not accounts)."""
    by_src = {s["id"]: s for s in sources}
    rows = []
    for p in (p for p in people if people_stats.is_account(p)):
        name = p["name"] if p["name"] != "unnamed" else unnamed_label(p)
        rows.append({
            "id": p["id"], "name": name, "age": p.get("age"), "status": p["status"],
            "destination": p.get("destination") or "", "country": people_stats.destination_country(p.get("destination")),
            "source_ids": p["source_id"], "outlet": outlet(by_src.get(p["source_id"])),
        })
    order = {s: i for i, s in enumerate(["fled", "deserted", "stays abroad", "returned", "planning to leave",
                                         "cannot leave", "stayed"])}
    rows = sorted(rows, key=lambda r: (order.get(r["status"], 99), r["country"], -(r["age"] or 0), r["id"]))
    _distinct(rows)
    return rows


def metric_sources(spec, t: dict[str, list[dict]], derived: list, fill) -> tuple[list[dict], dict]:
    """One row per metric: how many sources report it (the finding: most metrics rest on one source)."""
    rows = coverage_rows(t["claims"], t["metrics"], t["sources"])
    single = sum(1 for r in rows if r["sources"] == 1)
    share = "Most" if 2 * single > len(rows) else "Half" if 2 * single == len(rows) else "Fewer than half"
    return rows, {"metrics": len(rows), "single_source": single, "single_share": share,
                  "sources": len(t["sources"]), "shared": len(rows) - single}


def coverage_rows(claims: list[dict], metrics: list[dict], sources: list[dict]) -> list[dict]:
    """Per metric: the sources and claims behind it, most widely reported first."""
    reg = {m["id"]: m for m in metrics}
    by_src = {s["id"]: s for s in sources}
    found: dict[str, list[dict]] = {}
    for c in claims:
        found.setdefault(c["metric"], []).append(c)
    rows = []
    for metric, group in found.items():
        src = sorted({c["source_id"] for c in group})
        rows.append({"metric": metric, "metric_label": reg.get(metric, {}).get("label", metric),
                     "sources": len(src), "claims": len(group),
                     "outlets": "; ".join(sorted({outlet(by_src.get(i)) for i in src})),
                     "source_ids": ";".join(src), "claim_ids": ";".join(sorted(c["id"] for c in group))})
    return sorted(rows, key=lambda r: (-r["sources"], -r["claims"], r["metric_label"], r["metric"]))


KINDS = {"metric_panels": metric_panels, "conversion_pairs": conversion_pairs, "people": people,
         "metric_sources": metric_sources, "timeline": timeline_data.timeline}
