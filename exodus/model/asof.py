"""When a claim's figure was true: its as-of date or window, from the claim's period or its source's date."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Why the date is what it is, in order of preference: the figure's own period, then when it was published.
PERIOD_END = "period end"
PUBLISHED = "publication date"
WINDOW = "publication window"
UNKNOWN = "unknown"
_SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True)
class AsOf:
    """A day (start == end), a window (start < end), an open window (end None) or nothing known (both None)."""
    start: str | None
    end: str | None
    basis: str

    @property
    def known(self) -> bool:
        return self.start is not None or self.end is not None

    def iso(self) -> str:
        """ISO 8601: '2022-10-02', an interval '2022-09-26/2022-10-02', or an open one '2022-10-01/..'."""
        if not self.known:
            return ""
        if self.start == self.end:
            return self.start
        return f"{self.start or '..'}/{self.end or '..'}"

    def sort_key(self) -> str:
        """Latest day the figure can be as of (open windows sort last): orders a series in time."""
        return self.end or "~" if self.known else "~~"


def as_of(claim: dict, source: dict | None) -> AsOf:
    """The claim's period end, else the source's publication date, else its publication window."""
    if claim.get("period_end"):
        return AsOf(claim["period_end"], claim["period_end"], PERIOD_END)
    source = source or {}
    if source.get("published"):
        return AsOf(source["published"], source["published"], PUBLISHED)
    start, end = source.get("published_not_before") or None, source.get("published_not_after") or None
    if start or end:
        return AsOf(start, end, WINDOW)
    return AsOf(None, None, UNKNOWN)


def short_date(iso: str, with_year: bool = True) -> str:
    """'2 Oct 2022' (or '2 Oct' when the year is said once for a window)."""
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {_SHORT_MONTHS[d.month - 1]}" + (f" {d.year}" if with_year else "")


def text(a: AsOf) -> str:
    """'as of 2 Oct 2022', 'between 26 Sep and 2 Oct 2022', 'on or after 1 Oct 2022', or 'date unknown'."""
    if not a.known:
        return "date unknown"
    if a.start == a.end:
        return f"as of {short_date(a.start)}"
    if a.start and a.end:
        same_year = a.start[:4] == a.end[:4]
        return f"between {short_date(a.start, not same_year)} and {short_date(a.end)}"
    if a.start:
        return f"on or after {short_date(a.start)}"
    return f"on or before {short_date(a.end)}"


def midpoint(a: AsOf) -> str | None:
    """The day a series point is drawn at: the day itself, or the middle of a closed window."""
    if a.start and a.end:
        lo, hi = dt.date.fromisoformat(a.start), dt.date.fromisoformat(a.end)
        return (lo + (hi - lo) / 2).isoformat()
    return a.start or a.end
