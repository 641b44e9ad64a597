"""Quarto's conditional content decided before pandoc runs: a top-level div another format shows is never read into this one."""
from __future__ import annotations

import json
import re

# As exodus/engine/filters/conditional.lua names them; the filter still decides everything nested or kept.
ALIASES = {"html": ("html", "html4", "html5"), "typst": ("typst", "pdf")}


def _matches(value: str | None, fmt: str) -> bool | None:
    if value is None:
        return None
    names = re.findall(r"[^\s,]+", value)
    return any(n in ALIASES.get(fmt, (fmt,)) for n in names)


def dropped(block: dict, fmt: str) -> bool:
    """True when conditional.lua would drop this block in this format (a Div the format does not show)."""
    return block.get("t") == "Div" and drops(block["c"][0], fmt)


def drops(attr: list, fmt: str) -> bool:
    """True when conditional.lua drops a Div with these attributes ([id, classes, [[key, value], ...]])."""
    _, classes, attrs = attr
    shown, hidden = "content-visible" in classes, "content-hidden" in classes
    if not (shown or hidden):
        return False
    attrs = dict(attrs)
    hit, unless = _matches(attrs.get("when-format"), fmt), _matches(attrs.get("unless-format"), fmt)
    if unless is not None:
        hit = (hit is None or hit) and not unless
    if hit is None:
        return hidden
    return not ((shown and hit) or (hidden and not hit))


def prune(doc: str, fmt: str) -> str:
    """The document JSON without the top-level divs this format does not show (the filter would drop them
    after pandoc had read and walked them). Decodes the whole document: the chunked reading prunes
    without it (exodus/engine/parse.py); this is for a document read whole."""
    tree = json.loads(doc)
    tree["blocks"] = [b for b in tree["blocks"] if not dropped(b, fmt)]
    return json.dumps(tree, ensure_ascii=False, separators=(",", ":"))
