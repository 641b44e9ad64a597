"""Timeline rows: one mark per happening at the precision its date is known, inside the story's window.

Rules (documented in data/charts.yml and the report's chart caption):
- A day is a point; a week or a month is a bracket over the days it covers. A date known only to the
  quarter or year is not drawn (a bar across a year would say more than the source); it is listed.
- Events that denote the same happening are one mark when data/charts.yml lists them in one
  `same_happening` group; the group must share one date and precision (else the build fails), and the
  mark carries every member's source. Events outside any group are one mark each.
- The x-window runs from the start of the `window.from` event to the end of the `window.to` event's
  period; marks and publication dates outside it are listed, not stretched to.
"""
from __future__ import annotations

import datetime as dt

from exodus.model import wording
from exodus.model.vocabulary import outlet_credit

POINT, BRACKET, OPEN = "point", "bracket", "open"
DRAWN_PRECISIONS = ("day", "week", "month")
FIELDS = ["lane", "id", "label", "start", "end", "precision", "basis", "shape", "drawn", "event_ids",
          "source_ids", "outlets"]


def span(date: str, precision: str) -> tuple[str, str]:
    """First and last day a resolved date of a given precision covers."""
    d = dt.date.fromisoformat(date)
    months = {"month": 1, "quarter": 3, "year": 12}.get(precision)
    if precision == "week":
        return date, (d + dt.timedelta(days=6)).isoformat()
    if months:
        y, m = divmod(d.month - 1 + months, 12)
        return date, (dt.date(d.year + y, m + 1, 1) - dt.timedelta(days=1)).isoformat()
    return date, date


def _groups(spec, dated: dict[str, dict], fail) -> tuple[dict[str, str], dict[str, str]]:
    """Event id -> group key, and group key -> label, checking that a group is one date."""
    member, labels = {}, {}
    for i, group in enumerate(spec.get("same_happening") or []):
        present = [e for e in group.get("events", []) if e in dated]
        when = {(dated[e]["date"], dated[e]["date_precision"]) for e in present}
        if len(when) > 1:
            raise fail("same_happening", f"group {group.get('label')!r} joins events of different dates: "
                                         + ", ".join(f"{e} {dated[e]['date']} ({dated[e]['date_precision']})"
                                                     for e in present))
        key = present[0] if present else f"group_{i}"
        labels[key] = group.get("label") or key
        member.update({e: key for e in present})
    return member, labels


def event_marks(spec, events: list[dict], sources: dict[str, dict], fail) -> list[dict]:
    """One row per happening (grouped events merged), with every source that reports it."""
    dated = {e["id"]: e for e in events if e.get("date") and e.get("date_precision") not in ("", "unknown")}
    member, labels = _groups(spec, dated, fail)
    marks: dict[str, list[dict]] = {}
    for e in dated.values():
        marks.setdefault(member.get(e["id"], e["id"]), []).append(e)
    rows = []
    for key, group in marks.items():
        first = group[0]
        start, end = span(first["date"], first["date_precision"])
        # Wording that bounds a day from its anchor ("a few days after" the announcement) narrows the span.
        start, end = str(first.get("not_before") or start), str(first.get("not_after") or end)
        src = sorted({e["source_id"] for e in group})
        rows.append({
            "lane": "event", "id": key, "label": labels.get(key, first["event"]), "start": start, "end": end,
            "precision": first["date_precision"],
            "basis": "stated" if any(e["date_basis"] == "stated" for e in group) else first["date_basis"],
            "shape": POINT if first["date_precision"] == "day" else BRACKET,
            "drawn": "yes" if first["date_precision"] in DRAWN_PRECISIONS else "no: coarse",
            "event_ids": ";".join(sorted(e["id"] for e in group)), "source_ids": ";".join(src),
            "outlets": "; ".join(sorted({outlet_credit(sources.get(s, {})) for s in src})),
        })
    return rows


def source_marks(sources: list[dict], claims: list[dict], label_of) -> list[dict]:
    """Each article's publication date (a point), window (a bracket) or open window (an arrow)."""
    rows = []
    for s in sources:
        start = s.get("published") or s.get("published_not_before")
        end = s.get("published") or s.get("published_not_after")
        if not start and not end:
            continue
        count = sum(1 for c in claims if c["source_id"] == s["id"])
        label = label_of(outlet=outlet_credit(s), figures=count, title=s["title"])
        rows.append({"lane": "source", "id": s["id"], "label": label, "start": start or end, "end": end or start,
                     "precision": s["published_basis"], "basis": s["published_basis"],
                     "shape": OPEN if start and not end else POINT if start == end else BRACKET, "drawn": "yes",
                     "event_ids": "", "source_ids": s["id"], "outlets": outlet_credit(s)})
    return rows


def window(spec, events: list[dict], rows: list[dict]) -> tuple[str, str]:
    """The story's period from data/charts.yml's window events; all drawable marks when they are absent."""
    by_id = {e["id"]: e for e in events if e.get("date") and e.get("date_precision") not in ("", "unknown")}
    w = spec.get("window") or {}
    lo, hi = by_id.get(w.get("from")), by_id.get(w.get("to"))
    drawable = [r for r in rows if r["drawn"] == "yes"]
    start = span(lo["date"], lo["date_precision"])[0] if lo else min(r["start"] for r in drawable)
    end = span(hi["date"], hi["date_precision"])[1] if hi else max(r["end"] for r in drawable)
    return start, end


def _listing(rows: list[dict]) -> str:
    when = lambda r: wording.date_text(r["start"], r["precision"] if r["lane"] == "event" else "day")  # noqa: E731
    return "; ".join(f"{r['label']} ({when(r)}, {r['outlets']})" for r in rows)


def timeline(spec, t: dict[str, list[dict]], derived: list, fill) -> tuple[list[dict], dict]:
    """Rows of both lanes; marks outside the window or too coarse to draw are kept with `drawn` saying why."""
    fail = lambda key, what: ValueError(f"{spec.where}: chart {spec.id!r}, key {key!r}: {what}")  # noqa: E731
    sources = {s["id"]: s for s in t["sources"]}
    events = event_marks(spec, t["events"], sources, fail)
    label = spec.label("source_label")
    pubs = source_marks(t["sources"], t["claims"], lambda **kw: fill(label, key="labels", **kw))
    lo, hi = window(spec, t["events"], events + pubs)
    for r in events + pubs:
        if r["drawn"] == "yes" and (r["end"] < lo or (r["start"] > hi)):
            r["drawn"] = "no: outside"
    events.sort(key=lambda r: (r["start"], r["end"], r["id"]))
    pubs.sort(key=lambda r: (r["start"], r["end"], r["id"]))
    rows = events + pubs
    coarse = [r for r in rows if r["drawn"] == "no: coarse"]
    outside = [r for r in rows if r["drawn"] == "no: outside"]
    undated = sum(1 for e in t["events"] if not e.get("date") or e.get("date_precision") in ("", "unknown"))
    extra = {
        "window_start": lo, "window_end": hi, "undated": undated, "coarse": len(coarse), "outside": len(outside),
        "marks": sum(1 for r in events if r["drawn"] == "yes"),
        "drawn": sum(len(r["event_ids"].split(";")) for r in events if r["drawn"] == "yes"),
        "sources": len(pubs),
        "coarse_list": fill(spec.label("coarse_list"), key="labels", items=_listing(coarse) or "none"),
        "outside_list": fill(spec.label("outside_list"), key="labels", items=_listing(outside) or "none"),
    }
    return rows, extra
