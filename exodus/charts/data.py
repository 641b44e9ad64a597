"""Select and shape the rows each chart plots, from the tables and the derived figures."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from exodus.model.vocabulary import outlet_credit
from exodus.stages import people_stats
from exodus.stages.formulas import claim_quantity

# Which metrics chart (a) draws, one axis each: totals first (people), then rates (people a day).
EXODUS_TOTALS = ("men_left_russia", "russians_fled_to_neighbouring_countries", "border_entries",
                 "air_arrivals_from_russia")
EXODUS_RATES = ("border_crossings_per_day",)
# Chart (b): the mobilisation itself, then who left, one axis per metric.
MOBILISATION = ("men_callable", "men_mobilised", "men_left_russia")
# Short row labels where the place alone would mislead ("Russia" for men who left it) or the
# subject is a sentence; anything not listed falls back to place or subject.
PLACE_LABELS = {"men_left_russia": "All destinations"}
CLAIM_LABELS = {
    "mobilisation_ordered": "Ordered by Defence Minister Shoigu (21 September 2022)",
    "mobilisation_allowed": "Allowed by the decrees (Novaya Gazeta Europe, citing government sources)",
    "mobilisation_completed": "Mobilised, declared complete (defence ministry, Oct 2022)",
    "men_left_hundreds_of_thousands": "Men who left Russia to avoid the front (AFP)",
}
RATE_METRIC = "implied_rub_per_gbp"  # chart (d) pairs ruble and pound claims through these rates
ROW_FIELDS = ["panel", "metric", "metric_label", "unit", "label", "id", "kind", "value", "low", "high",
              "hedge", "number_text", "claim_ids", "source_ids"]


outlet = outlet_credit


def outlets(source_ids, sources: list[dict]) -> list[str]:
    """Distinct outlets of the given sources, sorted; an unknown source id still shows as unknown."""
    by_id = {s["id"]: s for s in sources}
    return sorted({outlet(by_id.get(i, {})) for i in source_ids})


def _finite(x):
    return None if x is None or x in (float("inf"), float("-inf")) else x


def claim_row(claim: dict, metrics: dict[str, dict], label: str | None = None) -> dict:
    """One plotted claim: its interval after the wording's bounds are applied."""
    iv = claim_quantity(claim).interval
    metric = metrics.get(claim["metric"], {})
    return {
        "panel": claim["metric"], "metric": claim["metric"], "metric_label": metric.get("label", claim["metric"]),
        "unit": claim["unit"], "label": label or claim.get("place") or claim["subject"], "id": claim["id"],
        "kind": "claim", "value": iv.value, "low": _finite(iv.low), "high": _finite(iv.high),
        "hedge": claim["hedge"], "number_text": claim["number_text"], "claim_ids": claim["id"],
        "source_ids": claim["source_id"],
    }


def derived_row(item, metrics: dict[str, dict], label: str) -> dict:
    """One plotted derived figure, labelled as computed."""
    q, d = item.quantity, item.definition
    return {
        "panel": d.metric, "metric": d.metric, "metric_label": metrics.get(d.metric, {}).get("label", d.metric),
        "unit": d.unit, "label": label, "id": d.id, "kind": "derived", "value": q.interval.value,
        "low": _finite(q.interval.low), "high": _finite(q.interval.high), "hedge": q.interval.hedge,
        "number_text": "", "claim_ids": ";".join(sorted(q.claim_ids)), "source_ids": ";".join(sorted(q.source_ids)),
    }


def _by_metric(claims, wanted):
    order = {m: i for i, m in enumerate(wanted)}
    chosen = [c for c in claims if c["metric"] in order]
    return sorted(chosen, key=lambda c: (order[c["metric"]], c.get("place") or "", c["id"]))


def exodus_rows(claims: list[dict], metrics: list[dict], derived: list) -> list[dict]:
    """Chart (a): how many left, by destination, and daily crossings (derived 'before' included)."""
    reg = {m["id"]: m for m in metrics}
    rows = [claim_row(c, reg, label=PLACE_LABELS.get(c["metric"]))
            for c in _by_metric(claims, EXODUS_TOTALS + EXODUS_RATES)]
    for d in derived:
        if d.definition.metric in EXODUS_RATES and d.quantity.claim_ids:
            places = sorted({c.get("place") or "" for c in claims if c["id"] in d.quantity.claim_ids} - {""})
            rows.append(derived_row(d, reg, f"{', '.join(places) or 'implied'}, before the mobilisation (derived)"))
    return rows


def mobilisation_rows(claims: list[dict], metrics: list[dict]) -> list[dict]:
    """Chart (b): men ordered, allowed and mobilised, beside the men who left."""
    reg = {m["id"]: m for m in metrics}
    rows = []
    for c in _by_metric(claims, MOBILISATION):
        label = CLAIM_LABELS.get(c["id"]) or f"{c['subject'][:1].upper()}{c['subject'][1:]}"
        rows.append(claim_row(c, reg, label=label))
    return rows


def cost_rows(claims: list[dict], metrics: list[dict], derived: list) -> list[dict]:
    """Chart (d): each ruble/pound pair behind an implied exchange rate, plus the rates."""
    reg = {m["id"]: m for m in metrics}
    by_id = {c["id"]: c for c in claims}
    rows = []
    for d in sorted((d for d in derived if d.definition.metric == RATE_METRIC), key=lambda d: d.id):
        pair = sorted((by_id[i] for i in d.quantity.claim_ids if i in by_id), key=lambda c: c["unit"] != "RUB")
        what = reg.get(pair[0]["metric"], {}).get("label", pair[0]["metric"]).split(" (")[0] if pair else d.id
        where = next((c.get("place") for c in pair if c.get("place")), "")
        label = f"{what}, {where}" if where else what
        for c in pair:
            row = claim_row(c, reg, label=label)
            row["panel"] = f"{d.id}:{c['unit']}"  # one axis per pair and currency: metrics never share one
            rows.append(row)
        rows.append(derived_row(d, reg, label))
    return rows


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


def people_rows(people: list[dict], sources: list[dict]) -> list[dict]:
    """Chart (e): every account with age, destination country and status."""
    by_src = {s["id"]: s for s in sources}
    rows = []
    for p in people:
        name = p["name"] if p["name"] != "unnamed" else unnamed_label(p)
        rows.append({
            "id": p["id"], "name": name, "age": p.get("age"), "status": p["status"],
            "destination": p.get("destination") or "", "country": people_stats.destination_country(p.get("destination")),
            "source_ids": p["source_id"], "outlet": outlet(by_src.get(p["source_id"], {})),
        })
    order = {s: i for i, s in enumerate(["fled", "deserted", "stays abroad", "returned", "planning to leave",
                                         "cannot leave", "stayed"])}
    rows = sorted(rows, key=lambda r: (order.get(r["status"], 99), r["country"], -(r["age"] or 0), r["id"]))
    _distinct(rows)
    return rows


def _span(date: str, precision: str) -> tuple[str, str]:
    """First and last day a resolved date of a given precision covers."""
    d = dt.date.fromisoformat(date)
    months = {"month": 1, "quarter": 3, "year": 12}.get(precision)
    if precision == "week":
        return date, (d + dt.timedelta(days=6)).isoformat()
    if months:
        y, m = divmod(d.month - 1 + months, 12)
        return date, (dt.date(d.year + y, m + 1, 1) - dt.timedelta(days=1)).isoformat()
    return date, date


def timeline_rows(events: list[dict], sources: list[dict], claims: list[dict] = ()) -> list[dict]:
    """Chart (c): dated events as spans by precision, and each source's publication date or window."""
    figures = Counter(c["source_id"] for c in claims)
    rows = []
    for e in events:
        if not e.get("date") or e.get("date_precision") == "unknown":
            continue  # undated events are counted in the caption, not placed on a time axis
        start, end = _span(e["date"], e["date_precision"])
        rows.append({"lane": "event", "id": e["id"], "label": e["event"], "start": start, "end": end,
                     "precision": e["date_precision"], "basis": e["date_basis"], "open_end": "",
                     "source_ids": e["source_id"]})
    for s in sources:
        start = s.get("published") or s.get("published_not_before")
        end = s.get("published") or s.get("published_not_after")
        if not start and not end:
            continue
        rows.append({"lane": "source", "id": s["id"], "label": f"{outlet(s)} ({figures[s['id']]} figures): {s['title']}",
                     "start": start or end, "end": end or start, "precision": s["published_basis"],
                     "basis": s["published_basis"], "open_end": "yes" if start and not end else "",
                     "source_ids": s["id"]})
    return sorted(rows, key=lambda r: (r["lane"] != "event", r["start"], r["end"], r["id"]))


def grid_rows(claims: list[dict], metrics: list[dict], sources: list[dict]) -> list[dict]:
    """Chart (f): number of claims per source and metric (zero cells included)."""
    counts = Counter((c["source_id"], c["metric"]) for c in claims)
    reg = {m["id"]: m for m in metrics}
    used = sorted({c["metric"] for c in claims})
    rows = []
    # Columns in order of publication (earliest possible date), so the grid reads as the story unfolded.
    when = lambda s: (s.get("published") or s.get("published_not_before") or "9999", s["id"])  # noqa: E731
    for s in sorted(sources, key=when):
        for m in used:
            ids = sorted(c["id"] for c in claims if c["source_id"] == s["id"] and c["metric"] == m)
            rows.append({"source_id": s["id"], "outlet": outlet(s), "metric": m,
                         "metric_label": reg.get(m, {}).get("label", m), "claims": counts[(s["id"], m)],
                         "claim_ids": ";".join(ids)})
    return rows
