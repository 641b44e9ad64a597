"""Every link of the rendered pages lands: an anchor on an element of its page, a page or download on a file."""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from exodus import atomic, paths

PAGES = ("report.html", "index.html", "evidence/*.html")  # the published pages, relative to the output folder
DOWNLOADS = "downloads"  # files published beside the report by the downloads stage
SHOWN = 20  # problems of one kind named per page


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])


def _read(page: Path, cache: Path | None = None) -> _Anchors:
    """A page's ids and links; with a cache folder, kept by the digest of the page's bytes, so a rebuild that
    re-rendered one page of 500 parses one page (a stored entry of the wrong shape is parsed again)."""
    data = page.read_bytes()
    stored = cache / f"{hashlib.sha256(data).hexdigest()}.json" if cache else None
    parser = _Anchors()
    try:
        facts = json.loads(stored.read_text(encoding="utf-8")) if stored and not stored.is_symlink() else None
    except (OSError, ValueError):
        facts = None
    if isinstance(facts, dict) and all(isinstance(facts.get(k), list) and all(isinstance(x, str) for x in facts[k])
                                       for k in ("ids", "hrefs")):
        parser.ids, parser.hrefs = set(facts["ids"]), facts["hrefs"]
        with contextlib.suppress(OSError):
            os.utime(stored)  # used now: the build's prune keeps it
        return parser
    parser.feed(data.decode("utf-8"))
    if stored is not None:
        with contextlib.suppress(OSError):  # a cache that cannot be written: the check still runs
            atomic.write_text(stored, json.dumps({"ids": sorted(parser.ids), "hrefs": parser.hrefs}))
    return parser


def _local(href: str) -> tuple[str, str] | None:
    """(path, fragment) of a link inside the published folder; None for an address elsewhere."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    return unquote(parts.path), unquote(parts.fragment)


def _checked(target: Path, root: Path) -> bool:
    """Pages and downloads must exist; a file of another format (report.pdf) may be missing after a
    partial build, which says so itself."""
    return target.suffix == ".html" or (root / DOWNLOADS) in target.parents or root not in target.parents


def check_pages(pages: list[Path], out_dir: Path, cache: Path | None = None) -> list[str]:
    """Links that land nowhere, per page: a missing anchor (here or on another page), a missing file."""
    parsed: dict[Path, _Anchors] = {}

    def anchors(page: Path) -> _Anchors:
        if page not in parsed:
            parsed[page] = _read(page, cache)
        return parsed[page]

    problems = []
    root = out_dir.resolve()
    places: dict[tuple[Path, str], tuple[Path, bool, bool]] = {}

    def place(page: Path, path: str) -> tuple[Path, bool, bool]:
        """(target, checked, there) of a link's path from a page, worked out once per folder and path (a page
        of 500 links names a few files)."""
        if (page.parent, path) not in places:
            target = (page.parent / PurePosixPath(path)).resolve() if path else page.resolve()
            places[page.parent, path] = (target, _checked(target, root),
                                         root in target.parents and target.is_file())
        return places[page.parent, path]

    for page in pages:
        missing, absent, here = set(), set(), (page.resolve(), True, page.is_file())
        for href in anchors(page).hrefs:
            local = _local(href)
            if local is None:
                continue
            path, fragment = local
            target, checked, there = place(page, path) if path else here
            if not checked:
                continue
            if not there:
                absent.add(href)
            elif fragment and target.suffix == ".html" and fragment not in anchors(target).ids:
                missing.add(href)
        shown = paths.rel(page)
        if missing:
            problems.append(f"{shown}: {len(missing)} link target(s) missing: {', '.join(sorted(missing)[:SHOWN])}")
        if absent:
            problems.append(f"{shown}: {len(absent)} link(s) to files that were not written: "
                            f"{', '.join(sorted(absent)[:SHOWN])}")
    return problems


def check(path: Path, cache: Path | None = None) -> list[str]:
    """The report page and every page published beside it (evidence/), each link followed to its target;
    `cache`, a folder that keeps each page's ids and links by its bytes' digest."""
    if not path.is_file():
        return [f"{paths.rel(path)} does not exist: render the HTML first"]
    out_dir = path.parent
    pages = [path] + sorted(p for pattern in PAGES[1:] for p in out_dir.glob(pattern))
    return check_pages(pages, out_dir, cache)
