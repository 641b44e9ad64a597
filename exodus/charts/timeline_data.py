"""Timeline rows: one mark per happening at the precision its date is known, inside the story's window.

Rules (documented in data/charts.yml and the report's chart caption):
- A day is a point; a week or a month is a bracket over the days it covers. A date known only to the
  quarter or year is not drawn (a bar across a year would say more than the source); it is listed.
- Events that denote the same happening are one mark when data/charts.yml lists them in one
  `same_happening` group; the group must share one date and precision (else the build fails), and the
  mark carries every member's source. Events outside any group are grouped without a hand edit when they
  share date and precision and their wording shares at least two content words and half of the shorter
  one's ("Kremlin announced a mobilisation", "Putin announces the partial mobilisation"); an event listed
  under `separate` is never grouped that way.
- At most MAX_EVENT_ROWS happenings are drawn (those most sources report, then the earliest), and
  articles sharing one publication date or window are one row, at most MAX_SOURCE_ROWS rows: the rest
  are counted in the note under the chart and kept in its data download.
- The x-window runs from the start of the `window.from` event to the end of the `window.to` event's
  period; marks and publication dates outside it are listed, not stretched to.
"""
from __future__ import annotations

import datetime as dt
import re

from exodus.model import citations, wording

POINT, BRACKET, OPEN = "point", "bracket", "open"
DRAWN_PRECISIONS = ("day", "week", "month")
MAX_EVENT_ROWS = 11
MAX_SOURCE_ROWS = 6
# Words that say nothing about which happening an event is.
STOPWORDS = frozenset("""a an the of to in on at for by from with and or as his her their its it he she they
    that this is are was were be been has have had not no into over after before since first""".split())
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


def stems(text: str) -> frozenset[str]:
    """Content words of an event's wording, lower-cased, spelled one way (-ise/-ize) and stripped of
    common endings, so 'announced a mobilization' and 'announces the mobilisation' share two."""
    words = re.findall(r"[a-z]+", text.lower().replace("’", "'").replace("'s", "").replace("iz", "is"))
    out = set()
    for w in words:
        if w in STOPWORDS or len(w) < 3:
            continue
        for end in ("ations", "ation", "ements", "ement", "ments", "ment", "ings", "ing", "ed", "es", "s"):
            if w.endswith(end) and len(w) - len(end) >= 4:
                w = w[:-len(end)]
                break
        out.add(w[:-1] if w.endswith("e") and len(w) > 4 else w)
    return frozenset(out)


def same_wording(a: frozenset, b: frozenset) -> bool:
    shared = len(a & b)
    return shared >= 2 and shared >= 0.5 * min(len(a), len(b))


def auto_groups(dated: dict[str, dict], member: dict[str, str], separate: set[str]) -> dict[str, str]:
    """Event id -> group key for ungrouped events of one date and precision whose wording matches an
    event already seen, curated groups first (the first event of a new group names it)."""
    found: dict[str, str] = {}
    seen: dict[tuple, list[tuple[str, frozenset]]] = {}
    for eid, key in member.items():  # a curated group takes in new reports of its happening too
        e = dated[eid]
        seen.setdefault((e["date"], e["date_precision"]), []).append((key, stems(e.get("event") or "")))
    for eid, e in sorted(dated.items(), key=lambda kv: kv[0]):
        if eid in member or eid in separate:
            continue
        words = stems(e.get("event") or "")
        bucket = seen.setdefault((e["date"], e["date_precision"]), [])
        match = next((key for key, w in bucket if same_wording(words, w)), None)
        found[eid] = match or eid
        bucket.append((found[eid], words))
    return found


def event_marks(spec, events: list[dict], sources: dict[str, dict], fail) -> list[dict]:
    """One row per happening (grouped events merged), with every source that reports it."""
    dated = {e["id"]: e for e in events if e.get("date") and e.get("date_precision") not in ("", "unknown")}
    member, labels = _groups(spec, dated, fail)
    member.update(auto_groups(dated, member, set(spec.get("separate") or [])))
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
            "outlets": "; ".join(sorted({citations.outlet(sources.get(s)) for s in src})),
        })
    return rows


def source_marks(sources: list[dict], claims: list[dict], label_of, merged_label_of) -> list[dict]:
    """Each article's publication date (a point), window (a bracket) or open window (an arrow); articles
    with the same date or window are one row naming how many they are."""
    figures = {}
    for c in claims:
        figures[c["source_id"]] = figures.get(c["source_id"], 0) + 1
    rows: dict[tuple, dict] = {}
    for s in sources:
        start = s.get("published") or s.get("published_not_before")
        end = s.get("published") or s.get("published_not_after")
        if not start and not end:
            continue
        shape = OPEN if start and not end else POINT if start == end else BRACKET
        key = (start or end, end or start, shape, s["published_basis"])
        if key in rows:
            row = rows[key]
            row["source_ids"] += f";{s['id']}"
            row["outlets"] = "; ".join(sorted(set(row["outlets"].split("; ")) | {citations.outlet(s)}))
            row["label"] = merged_label_of(articles=len(row["source_ids"].split(";")), outlets=row["outlets"])
            continue
        label = label_of(outlet=citations.outlet(s), figures=figures.get(s["id"], 0), title=s["title"])
        rows[key] = {"lane": "source", "id": s["id"], "label": label, "start": start or end, "end": end or start,
                     "precision": s["published_basis"], "basis": s["published_basis"], "shape": shape,
                     "drawn": "yes", "event_ids": "", "source_ids": s["id"], "outlets": citations.outlet(s)}
    return list(rows.values())


def crowd(rows: list[dict], limit: int, rank) -> int:
    """Mark drawn rows past the first `limit` by rank as not drawn; returns how many."""
    drawn = sorted((r for r in rows if r["drawn"] == "yes"), key=rank)
    for r in drawn[limit:]:
        r["drawn"] = "no: crowded"
    return max(0, len(drawn) - limit)


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
    label, merged = spec.label("source_label"), spec.label("sources_label")
    pubs = source_marks(t["sources"], t["claims"], lambda **kw: fill(label, key="labels", **kw),
                        lambda **kw: fill(merged, key="labels", **kw))
    lo, hi = window(spec, t["events"], events + pubs)
    for r in events + pubs:
        if r["drawn"] == "yes" and (r["end"] < lo or (r["start"] > hi)):
            r["drawn"] = "no: outside"
    size = lambda r: len(r["source_ids"].split(";"))  # noqa: E731
    crowded = crowd(events, MAX_EVENT_ROWS, lambda r: (-size(r), r["start"], r["id"]))
    crowded_sources = crowd(pubs, MAX_SOURCE_ROWS, lambda r: (-size(r), r["start"], r["id"]))
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
        "sources": sum(len(r["source_ids"].split(";")) for r in pubs), "crowded": crowded, "crowded_sources": crowded_sources,
        "coarse_list": fill(spec.label("coarse_list"), key="labels", items=_listing(coarse) or "none"),
        "outside_list": fill(spec.label("outside_list"), key="labels", items=_listing(outside) or "none"),
    }
    return rows, extra
