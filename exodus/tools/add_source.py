"""Register a new source text: copy it byte for byte, checksum it and add its row to sources.csv."""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
import tempfile
from pathlib import Path

from exodus import atomic, paths
from exodus.model import csv_out, tables
from exodus.model.vocabulary import is_id

# Page furniture a saved web page may open with; never a headline.
BOILERPLATE = ("accessibility links", "skip to main content", "skip to content", "skip to navigation", "menu",
               "home", "search", "share", "sign in", "log in", "subscribe", "advertisement", "exit mobile version",
               "leave a comment", "cookie settings", "close")
_BREADCRUMB = re.compile(r"^(?:home|news)\s*[»›>|/]\s*", re.IGNORECASE)
_SECTION = re.compile(r"\s+\|\s+[^|]{1,30}$")  # "Headline | Russia": the site's section after a bar
SNIFF_BYTES = 8192  # enough of the start of a file to tell text from a picture, a PDF or UTF-16
HEADLINE_LINES = 15  # a headline sits near the top; a page that shows none there leaves the title to the user


def headline(text: str) -> str:
    """The text's headline: the first line near the top that reads as one (3 to 25 words, no closing full stop,
    no page furniture), with a breadcrumb before it and a section name after a bar removed; '' when none does."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][:HEADLINE_LINES]
    for line in lines:
        line = _SECTION.sub("", _BREADCRUMB.sub("", line)).strip()
        words = re.findall(r"[^\W\d_]+", line)
        if line.casefold().rstrip(".:!") in BOILERPLATE or not 3 <= len(words) <= 25 or line.endswith("."):
            continue
        return line
    return ""


def source_row(source_id: str, dest: Path, data: bytes, args: argparse.Namespace, fields: list[str]) -> dict:
    """The sources.csv row for a new text; whatever is not given stays 'unknown', never guessed."""
    text = data.decode("utf-8")
    title = args.title or headline(text) or "unknown"
    row = dict.fromkeys(fields, "")
    row.update(
        id=source_id,
        path=f"sources/{dest.name}",
        sha256=hashlib.sha256(data).hexdigest(),
        outlet_shown=args.outlet or "unknown",
        original_outlet=args.original_outlet or "unknown",
        original_outlet_basis=args.original_outlet_basis if args.original_outlet else "unknown",
        author=args.author or "unknown",
        title=title,
        published=args.published or "",
        published_basis="stated" if args.published else "unknown",
        published_not_before=args.published or "",
        published_not_after=args.published or "",
        published_note="" if args.published else "No date given at registration.",
        language=args.language,
        url=args.url or "",
        notes="" if args.title else ("Title read from the text's headline line; check it." if title != "unknown" else
                                     "No headline found near the top of the text: set the title by hand."),
    )
    return row


def _refuse_binary(path: Path, shown: str) -> None:
    """SystemExit when the file's first bytes show it is not text (a picture, a PDF, UTF-16), whatever its size:
    a large binary file is refused for what it is, not for its size."""
    try:
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError as e:
        raise SystemExit(f"error: {shown} cannot be read ({e.strerror}); expected a readable UTF-8 text file") from None
    if b"\x00" in head:
        raise SystemExit(f"error: {shown} contains NUL bytes at offset {head.index(0):,} (UTF-16 or a binary file?); "
                         "expected UTF-8 text")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start < len(head) - 3:  # not a character cut at the end of the sample
            raise SystemExit(f"error: {shown} is not UTF-8 text (invalid byte 0x{head[e.start]:02x} at offset "
                             f"{e.start}); expected a UTF-8 text file") from None


def read_article(path: Path) -> tuple[bytes, str]:
    """The article's bytes with LF line endings, and a note on what was normalised; SystemExit if unusable."""
    shown = str(path)
    if not path.exists():
        raise SystemExit(f"error: {shown}: no such file; expected the article as a UTF-8 text file")
    if not path.is_file():
        raise SystemExit(f"error: {shown} is {'a directory' if path.is_dir() else 'not a regular file'}; expected the article as a UTF-8 text file")
    _refuse_binary(path, shown)
    size = path.stat().st_size
    if size > tables.MAX_SOURCE_BYTES:
        raise SystemExit(f"error: {shown} is {size:,} bytes; a source text may be at most {tables.MAX_SOURCE_BYTES:,} bytes")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise SystemExit(f"error: {shown} cannot be read ({e.strerror}); expected a readable UTF-8 text file") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise SystemExit(f"error: {shown} is not UTF-8 text (invalid byte 0x{data[e.start]:02x} at offset {e.start}); save it as UTF-8") from None
    if "\x00" in text:
        raise SystemExit(f"error: {shown} contains NUL bytes (UTF-16 or a binary file?); expected UTF-8 text")
    if not text.strip():
        raise SystemExit(f"error: {shown} is empty; expected the article's text")
    note = ""
    if "\r" in text:
        # Sources are compared quote by quote: one line-ending convention, LF, for every stored text.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        note = "line endings converted from CRLF/CR to LF (the checksum is of the stored LF text)"
    return text.encode("utf-8"), note


def appended(table: bytes, line: str) -> bytes:
    """The table's bytes with one more line, on its own line even when the file lacks a final newline."""
    return table + (b"" if not table or table.endswith(b"\n") else b"\n") + line.encode("utf-8")


# sources.csv columns filled from a command-line option of another name.
OPTION = {"published_not_before": "published", "published_not_after": "published", "outlet_shown": "outlet"}


def refuse_invalid_row(updated: bytes) -> None:
    """SystemExit naming every problem the new row would bring (e.g. a --published that is no date)."""
    with tempfile.TemporaryDirectory() as folder:
        candidate = Path(folder) / "sources.csv"
        candidate.write_bytes(updated)
        _, problems = tables.read("sources", path=candidate)
    if problems:
        said = sorted({f"  --{OPTION.get(p.field, p.field).replace('_', '-')}: {p.message}" for p in problems})
        raise SystemExit("error: the new row for data/sources.csv would be invalid; nothing registered:\n" + "\n".join(said))


def register(path: Path, source_id: str, args: argparse.Namespace) -> tuple[Path, str]:
    """Copy the text into data/sources/ and append its row; refuses bad ids, bad files and duplicates.

    Everything is checked before anything is written: a refused article leaves data/ as it was.
    """
    if not is_id(source_id):
        raise SystemExit(f"error: id {source_id!r} must be snake_case (a-z, 0-9, _), starting with a letter")
    data, note = read_article(Path(path))
    try:
        rows = tables.load("sources")
    except tables.ValidationError as e:
        raise SystemExit(f"error: data/sources.csv must be valid before a source is added:\n{e}") from None
    digest = hashlib.sha256(data).hexdigest()
    for row in rows:
        if row["id"] == source_id:
            raise SystemExit(f"error: source id {source_id!r} is already registered in data/sources.csv")
        if row["sha256"] == digest:
            raise SystemExit(f"error: this text is already registered as {row['id']!r}")
    dest = paths.SOURCES_DIR / f"{source_id}.txt"
    if dest.exists() or dest.is_symlink():
        raise SystemExit(f"error: {paths.rel(dest)} already exists")
    fields = [f["name"] for f in tables.load_schema()["sources"]["schema"]["fields"]]
    line = csv_out.render(fields, [source_row(source_id, dest, data, args, fields)]).split("\n", 1)[1]
    table = paths.table("sources")
    updated = appended(table.read_bytes(), line)
    refuse_invalid_row(updated)
    atomic.write_bytes(dest, data)
    try:
        atomic.write_bytes(table, updated)
    except BaseException:
        dest.unlink()  # a text without its row would be an unregistered file in data/sources/
        raise
    return dest, note


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", type=Path, nargs="?", help="the article as plain UTF-8 text")
    parser.add_argument("--id", help="short snake_case id, e.g. reuters_border_queues")
    parser.add_argument("--from-env", action="store_true",
                        help="take the file and id from the FILE and ID environment variables (as `make add-source` does)")
    parser.add_argument("--title", help="headline as printed (default: the text's headline line, skipping page furniture)")
    parser.add_argument("--outlet", help="outlet as the page shows it")
    parser.add_argument("--original-outlet", help="outlet the text names as its origin")
    parser.add_argument("--original-outlet-basis", choices=["stated", "resolved"], default="stated")
    parser.add_argument("--author", help="byline as printed")
    parser.add_argument("--published", help="publication date printed in the text, YYYY-MM-DD")
    parser.add_argument("--language", default="en")
    parser.add_argument("--url", help="URL printed in the text")
    args = parser.parse_args(argv)
    if args.from_env:
        args.file = Path(os.environ["FILE"]) if os.environ.get("FILE") else None
        args.id = os.environ.get("ID", "")
    if args.file is None or not args.id:
        raise SystemExit("error: give the article and its id: make add-source FILE=path/to/article.txt ID=snake_case_id")
    dest, note = register(args.file, args.id, args)
    print(f"registered {args.id}: {paths.rel(dest)}" + (f" ({note})" if note else ""))
    print("next: set its outlet and date in data/sources.csv (periods are resolved against the date), then "
          f"draft its rows with  make draft ID={args.id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
