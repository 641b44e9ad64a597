"""Pandoc's --embed-resources for the pages the engine writes: stylesheets, images and scripts made data inline."""
from __future__ import annotations

import base64
import html
import mimetypes
import re
from pathlib import Path

# Raw-text regions: what looks like a tag inside them is text, as the HTML parser reads it.
RAW = re.compile(r"<!--.*?-->|<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
TAG = re.compile(r"<(?P<name>[A-Za-z][\w:-]*)(?P<attrs>(?:\s+[^\s=/>]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)"
                 r"\s*(?P<end>/?)>")
ATTR = re.compile(r"([^\s=/>]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?")
SCRIPT_SRC = re.compile(r"<script\b(?P<attrs>[^>]*)>\s*</script\s*>", re.I)
# Attributes through which a tag loads a file; a tag other than those handled here that loads a local
# file is left to pandoc itself.
LOADS = ("src", "href", "poster", "data", "xlink:href", "srcset")
LINKING = {"a", "area", "base", "form"}  # these point at a file; they do not load it
# Whether a tag's attributes may name a file to load: most tags of a page (spans, divs, links) name none and
# are passed through unparsed. Conservative: a match only means the attributes are read in full.
MAY_LOAD = re.compile(r"(?:^|\s)(?:src|href|poster|data|xlink:href|srcset)\s*=", re.I)


class Unsupported(Exception):
    """A page needs something this embedder does not do; pandoc's own embedding must run."""


def _local(ref: str) -> bool:
    return bool(ref) and not re.match(r"^(?:[a-zA-Z][\w+.-]*:|#|//)", ref)


def _find(ref: str, roots: list[Path]) -> Path:
    target = html.unescape(ref).split("#", 1)[0].split("?", 1)[0]
    for candidate in ([Path(target)] if Path(target).is_absolute() else [r / target for r in roots]):
        if candidate.is_file():
            return candidate
    raise Unsupported(f"cannot find {target}")


def data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0]
    if not mime or mime == "image/svg+xml":  # pandoc inlines SVG as markup, not as a data URI
        raise Unsupported(f"no embedding rule for {path.name}")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _attrs(text: str) -> list[tuple[str, str | None]]:
    return [(m.group(1), next((g for g in m.groups()[1:] if g is not None), None)) for m in ATTR.finditer(text)]


def _render(name: str, attrs: list[tuple[str, str | None]], end: str) -> str:
    parts = "".join(f' {k}="{v}"' if v is not None else f" {k}" for k, v in attrs)
    return f"<{name}{parts}{' /' if end else ''}>"


def _tag(m: re.Match, roots: list[Path]) -> str:
    name = m.group("name").lower()
    if name in LINKING or not MAY_LOAD.search(m.group("attrs")):
        return m.group(0)
    attrs = _attrs(m.group("attrs"))
    values = {k.lower(): v for k, v in attrs}
    loads = [k for k in LOADS if _local(values.get(k) or "")]
    if not loads or name in LINKING:
        return m.group(0)
    if name == "img" and loads == ["src"]:
        src = data_uri(_find(values["src"], roots))
        alt = values.get("alt")
        head = [("role", "img"), ("aria-label", alt)] if alt and "role" not in values else []
        return _render(name, head + [("src", src)] + [(k, v) for k, v in attrs if k.lower() != "src"], m.group("end"))
    if name == "link" and loads == ["href"] and (values.get("rel") or "").lower() == "stylesheet" \
            and set(values) <= {"rel", "href", "type"}:  # media and the like would be lost in a <style>
        css = _find(values["href"], roots).read_text(encoding="utf-8")
        if re.search(r"url\(|@import|</style", css, re.I):
            raise Unsupported("a stylesheet that loads further files")
        return f'<style type="text/css">{css}</style>'
    raise Unsupported(f"<{name}> loading {', '.join(values[k] for k in loads)}")


def _script(m: re.Match, roots: list[Path]) -> str:
    attrs = _attrs(m.group("attrs"))
    src = next((v for k, v in attrs if k.lower() == "src"), None)
    if not src or not _local(src):
        return m.group(0)
    if {k.lower() for k, _ in attrs} - {"src", "type"}:
        raise Unsupported("a script with attributes (defer, async, module) an inline script would not keep")
    code = _find(src, roots).read_text(encoding="utf-8")
    if re.search(r"</script", code, re.I):
        raise Unsupported("a script that contains its own closing tag")
    return _render("script", [(k, v) for k, v in attrs if k.lower() != "src"], "") + code + "</script>"


def inline(page: str, roots: list[Path]) -> str:
    """The page with every stylesheet, image and script it loads from disk made inline, as pandoc's
    --embed-resources makes it; Unsupported when it loads anything else (pandoc then embeds it)."""
    out, at = [], 0
    for raw in RAW.finditer(page):
        out.append(TAG.sub(lambda m: _tag(m, roots), page[at:raw.start()]))
        out.append(SCRIPT_SRC.sub(lambda m: _script(m, roots), raw.group(0)))
        at = raw.end()
    out.append(TAG.sub(lambda m: _tag(m, roots), page[at:]))
    return "".join(out)
