"""Every link of the rendered HTML lands: in-page anchors on an element, download links on a file."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from exodus import paths

DOWNLOADS = "downloads/"  # files published beside the report by the downloads stage


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.files: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        href = a.get("href") or ""
        if tag == "a" and href.startswith("#") and len(href) > 1:
            self.hrefs.append(href[1:])
        elif tag == "a" and href.startswith(DOWNLOADS):
            self.files.append(href)


def check(path: Path) -> list[str]:
    """Anchors with no element of that id, and download links whose file is not beside the report."""
    if not path.is_file():
        return [f"{paths.rel(path)} does not exist: render the HTML first"]
    parser = _Anchors()
    parser.feed(path.read_text(encoding="utf-8"))  # one pass over the page serves both checks
    problems = []
    missing = sorted({h for h in parser.hrefs if h not in parser.ids})
    if missing:
        problems.append(f"{paths.rel(path)}: {len(missing)} in-page link target(s) missing: {', '.join(missing[:20])}")
    absent = sorted({f for f in parser.files if not (path.parent / f).is_file()})
    if absent:
        problems.append(f"{paths.rel(path)}: {len(absent)} download link(s) to files that were not written: "
                        f"{', '.join(absent[:20])}")
    return problems
