"""Every in-page link of the rendered HTML lands on an element: a dangling anchor fails the build."""
from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path

from exodus import paths
from exodus.context import Context, StageError


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and (a.get("href") or "").startswith("#") and len(a["href"]) > 1:
            self.hrefs.append(a["href"][1:])


def dangling(html: str) -> list[str]:
    """In-page link targets with no element of that id, sorted."""
    parser = _Anchors()
    parser.feed(html)
    return sorted({h for h in parser.hrefs if h not in parser.ids})


def check(path: Path) -> list[str]:
    if not path.is_file():
        return [f"{paths.rel(path)} does not exist: render the HTML first"]
    missing = dangling(path.read_text(encoding="utf-8"))
    return [f"{paths.rel(path)}: {len(missing)} in-page link target(s) missing: {', '.join(missing[:20])}"] if missing else []


def stage(ctx: Context) -> str:
    """Pipeline stage after the HTML render (Quarto: post-render)."""
    problems = check(paths.OUTPUT / "report.html")
    if problems:
        raise StageError("\n".join(problems))
    return "every in-page link lands"


def main() -> int:
    problems = check(paths.OUTPUT / "report.html")
    for p in problems:
        print(f"links: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
