"""Reports of one metric for one place over time: the series they form, when two can be compared, the latest."""
from __future__ import annotations

from collections import defaultdict

from exodus.model import asof


def key(claim: dict) -> tuple[str, str] | None:
    """(metric, place folded) for a claim with a place; None when no place says what it measures."""
    place = (claim.get("place") or "").strip()
    return (claim["metric"], place.casefold()) if place else None


def when(claim: dict, sources: dict[str, dict]) -> asof.AsOf:
    """The claim's as-of date or window (exodus.model.asof), from its own period or its source."""
    return asof.as_of(claim, sources.get(claim.get("source_id")))


def order_key(claim: dict, sources: dict[str, dict]) -> tuple:
    """Orders a series in time: by the latest day the figure can be as of, then its first day, then its id."""
    a = when(claim, sources)
    return a.sort_key(), a.start or "", claim["id"]


def overlap(a: asof.AsOf, b: asof.AsOf) -> bool:
    """True when two as-of dates or windows can be the same day; an unknown date can be any day."""
    if not a.known or not b.known:
        return True
    a_start, a_end = a.start or "", a.end or "~"
    b_start, b_end = b.start or "", b.end or "~"
    return a_start <= b_end and b_start <= a_end


def same_span(a: dict, b: dict) -> bool:
    """Two reports count over the same span unless both state where it starts and the starts differ
    ("since 21 September" and "since the invasion" are two quantities, not one reported twice)."""
    sa, sb = a.get("period_start"), b.get("period_start")
    return not (sa and sb and str(sa) != str(sb))


def comparable(a: dict, b: dict, sources: dict[str, dict]) -> bool:
    """Two reports of one metric and place measure one quantity: same span, as-of dates that can coincide."""
    return same_span(a, b) and overlap(when(a, sources), when(b, sources))


def group(claims: list[dict], sources: dict[str, dict]) -> dict[tuple[str, str], list[dict]]:
    """Every metric and place reported more than once, its reports in date order."""
    out = defaultdict(list)
    for c in claims:
        k = key(c)
        if k is not None and c.get("hedge") != "denied":
            out[k].append(c)
    return {k: sorted(v, key=lambda c: order_key(c, sources)) for k, v in out.items() if len(v) > 1}


def reports(claims: list[dict], sources: dict[str, dict], metric: str, place: str) -> list[dict]:
    """The reports of one metric for one place, oldest first (a denied figure is no report of a value)."""
    wanted = (metric, place.strip().casefold())
    found = [c for c in claims if key(c) == wanted and c.get("hedge") != "denied"]
    return sorted(found, key=lambda c: order_key(c, sources))


def latest(claims: list[dict], sources: dict[str, dict], metric: str, place: str) -> dict | None:
    """The latest report of a metric for a place, or None when there is none. Reports are ordered by the
    last day each can be as of (a window by its end, an open window after every closed one); a report
    with no as-of date at all cannot be the latest."""
    found = [c for c in reports(claims, sources, metric, place) if when(c, sources).known]
    return found[-1] if found else None
