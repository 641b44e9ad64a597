"""Where a curated quote sits in its source text: the one rule validation, the audit and the source view share."""
from __future__ import annotations


def locate(text: str, quote: str, occurrence: int | None) -> tuple[int | None, str | None]:
    """Start offset of the quote in the text, or an explanation of why it cannot be placed."""
    first = text.find(quote)
    if occurrence is None and first != -1 and text.find(quote, first + 1) == -1:
        return first, None  # the common case, a quote found once: two scans, no list
    starts, i = [], first
    while i != -1:
        starts.append(i)
        i = text.find(quote, i + 1)
    if not starts:
        return None, "quote does not occur in the source text (it must be an exact substring, typos and curly quotes kept)"
    if occurrence is None:
        if len(starts) > 1:
            return None, f"quote occurs {len(starts)} times in the source; set occurrence (1 to {len(starts)})"
        return starts[0], None
    if occurrence > len(starts):
        return None, f"occurrence {occurrence} asked but the quote occurs {len(starts)} time(s)"
    if len(starts) == 1:
        return None, "occurrence is set but the quote occurs once; leave occurrence blank"
    return starts[occurrence - 1], None
