"""Register a new source text: copy it byte for byte, checksum it and add its row to sources.csv."""
from __future__ import annotations

import argparse
import csv
import hashlib
import shutil
import sys
from pathlib import Path

from exodus import paths
from exodus.model import tables
from exodus.model.vocabulary import is_id


def source_row(source_id: str, dest: Path, data: bytes, args: argparse.Namespace, fields: list[str]) -> dict:
    """The sources.csv row for a new text; whatever is not given stays 'unknown', never guessed."""
    text = data.decode("utf-8")
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    row = dict.fromkeys(fields, "")
    row.update(
        id=source_id,
        path=f"sources/{dest.name}",
        sha256=hashlib.sha256(data).hexdigest(),
        outlet_shown=args.outlet or "unknown",
        original_outlet=args.original_outlet or "unknown",
        original_outlet_basis=args.original_outlet_basis if args.original_outlet else "unknown",
        author=args.author or "unknown",
        title=args.title or first_line,
        published=args.published or "",
        published_basis="stated" if args.published else "unknown",
        published_not_before=args.published or "",
        published_not_after=args.published or "",
        published_note="" if args.published else "No date given at registration.",
        language=args.language,
        url=args.url or "",
        notes="" if args.title else "Title taken from the first line of the text.",
    )
    return row


def register(path: Path, source_id: str, args: argparse.Namespace) -> Path:
    """Copy the text into data/sources/ and append its row; refuses duplicates and non-UTF-8 input."""
    if not is_id(source_id):
        raise SystemExit(f"error: id {source_id!r} must be snake_case (a-z, 0-9, _), starting with a letter")
    data = Path(path).read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise SystemExit(f"error: {path} is not UTF-8 text (invalid byte at offset {e.start})") from None
    rows = tables.load("sources")
    digest = hashlib.sha256(data).hexdigest()
    for row in rows:
        if row["id"] == source_id:
            raise SystemExit(f"error: source id {source_id!r} is already registered in data/sources.csv")
        if row["sha256"] == digest:
            raise SystemExit(f"error: this text is already registered as {row['id']!r}")
    dest = paths.SOURCES_DIR / f"{source_id}.txt"
    if dest.exists():
        raise SystemExit(f"error: {paths.rel(dest)} already exists")
    fields = [f["name"] for f in tables.load_schema()["sources"]["schema"]["fields"]]
    shutil.copyfile(path, dest)
    with paths.table("sources").open("a", newline="", encoding="utf-8") as fh:
        csv.DictWriter(fh, fieldnames=fields, lineterminator="\n").writerow(source_row(source_id, dest, data, args, fields))
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", type=Path, help="the article as plain UTF-8 text")
    parser.add_argument("--id", required=True, help="short snake_case id, e.g. reuters_border_queues")
    parser.add_argument("--title", help="headline as printed (default: the text's first line)")
    parser.add_argument("--outlet", help="outlet as the page shows it")
    parser.add_argument("--original-outlet", help="outlet the text names as its origin")
    parser.add_argument("--original-outlet-basis", choices=["stated", "resolved"], default="stated")
    parser.add_argument("--author", help="byline as printed")
    parser.add_argument("--published", help="publication date printed in the text, YYYY-MM-DD")
    parser.add_argument("--language", default="en")
    parser.add_argument("--url", help="URL printed in the text")
    args = parser.parse_args(argv)
    dest = register(args.file, args.id, args)
    print(f"registered {args.id}: {paths.rel(dest)}")
    print("next: set its outlet and date in data/sources.csv (periods are resolved against the date), then "
          f"draft its rows with  make draft ID={args.id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
