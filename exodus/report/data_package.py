"""The downloadable data package: datapackage.json, the curated CSVs and the licence notice, as one zip."""
from __future__ import annotations

import csv
import io
import json
import re
import sys
import zipfile
from pathlib import Path

import yaml

from exodus import atomic, paths
from exodus.model import spreadsheets, vocabulary
from exodus.model.mdsafe import prose

NAME = "data-package.zip"
NOTICE = "LICENSE-data"
HEDGES = "hedges.csv"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the zip epoch: the same inputs give the same bytes


def members(root: Path | None = None) -> list[tuple[str, Path]]:
    """(name in the zip, file) for datapackage.json, every resource it lists and the notice."""
    root = Path(root or paths.ROOT)
    data = root / "data"
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    out = [("datapackage.json", data / "datapackage.json")]
    for resource in package.get("resources", []):
        rel = resource.get("path")
        target = (data / rel).resolve() if isinstance(rel, str) else None
        # Only files inside data/: a path in the package never reaches outside it.
        if target is None or data.resolve() not in target.parents or not target.is_file():
            raise ValueError(f"data/datapackage.json: resource {resource.get('name')!r} path {rel!r} "
                             f"is not a file under data/")
        out.append((rel, target))
    if not (root / NOTICE).is_file():
        raise ValueError(f"{NOTICE} is missing: the data package is published with its licence notice")
    out.append((NOTICE, root / NOTICE))
    out.append((HEDGES, vocabulary.HEDGES_FILE))  # the hedge phrases the data dictionary refers to
    return sorted(out)


DERIVED = "derived.csv"  # the derived figures as the report prints them (build/derived.csv)
WORDS_FILE = Path(__file__).with_name("data_package.yml")
SENTENCE = re.compile(r"(?<=[.;])\s+(?=[A-Z(])")  # a sentence ends at '.' or ';' before a capital or '('


def words() -> dict:
    """The README's words for readers (data_package.yml): an introduction and one line per file."""
    data = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("intro"), str) or not isinstance(data.get("files"), dict):
        raise ValueError(f"exodus/report/{WORDS_FILE.name}: expected 'intro' (a text) and 'files' (name: text)")
    return data


def reader_copy(package: dict) -> dict:
    """The data dictionary as a reader downloads it: every text in plain words (data_package.yml's
    reader_words), a sentence still naming a command, a code file or a function left out."""
    text = words()
    pairs = [tuple(p) for p in text.get("reader_words") or []]
    rewrites = [(re.compile(p[0]), p[1]) for p in text.get("reader_rewrites") or []]
    marks = [re.compile(m) for m in text.get("developer_marks") or []]
    if not all(len(p) == 2 and all(isinstance(x, str) for x in p) for p in pairs):
        raise ValueError(f"exodus/report/{WORDS_FILE.name}: reader_words: expected [developer phrase, plain words] pairs")

    def plain(value: str, where: str) -> str:
        for old, new in pairs:
            value = value.replace(old, new)
        for pattern, new in rewrites:
            value = pattern.sub(new, value)
        kept = " ".join(s for s in SENTENCE.split(value) if not any(m.search(s) for m in marks))
        if value.strip() and not kept.strip():  # never a blank where the developers' copy says something
            raise ValueError(f"data/datapackage.json: {where}: every sentence names a command, a code file or a "
                             f"function; give it plain words under reader_words in exodus/report/{WORDS_FILE.name}")
        return kept

    def walk(node, where: str, key: str = ""):
        if isinstance(node, dict):
            return {k: walk(v, f"{where}/{k}", k) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v, f"{where}/{i}", key) for i, v in enumerate(node)]
        return plain(node, where.lstrip("/")) if isinstance(node, str) and key in ("description", "title") else node
    return walk(package, "")


def dictionary(root: Path | None = None) -> bytes:
    """datapackage.json as the package ships it: the reader's copy (reader_copy), same tables and fields."""
    path = Path(root or paths.ROOT) / "data" / "datapackage.json"
    package = reader_copy(json.loads(path.read_text(encoding="utf-8")))
    return (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def readme(root: Path | None = None, derived: bool = False) -> bytes:
    """README.md of the package, for a reader who has only the zip: what it is, each file in it, the
    version and how to cite it, and the licence. A file without a description is an error naming it."""
    root = Path(root or paths.ROOT)
    package = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    text = words()
    listed = [r.get("path") for r in package.get("resources", []) if isinstance(r.get("path"), str)]
    names = ["README.md", *sorted({"datapackage.json", NOTICE, HEDGES, *listed}), *([DERIVED] if derived else [])]
    missing = [n for n in names if n not in text["files"]]
    if missing:
        raise ValueError(f"exodus/report/{WORDS_FILE.name}: file(s) {', '.join(missing)} in the data package "
                         "have no description under 'files'")
    lines = [f"# {prose(package.get('title', 'Data package'))}", "", prose(" ".join(text["intro"].split())), "",
             "## Files", ""]
    lines += [f"- `{prose(n)}`: {prose(' '.join(str(text['files'][n]).split()))}" for n in names]
    licences = prose("; ".join(f"{x.get('title') or x.get('name')} ({x.get('path', '')})".replace(" ()", "")
                               for x in package.get("licenses", [])))
    headers = {n: _header(root / "data" / n) for n in listed if n.endswith(".csv")}
    lines += ["", *spreadsheets.advice(headers), *how_to_cite(root), "## Licence", "", licences or f"See {NOTICE}.",
              f"The articles' own texts are not included; see {NOTICE}.", ""]
    return "\n".join(lines).encode("utf-8")


def _header(path: Path) -> list[str]:
    """A CSV's column names (its first line); none for a file that is not there."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh), [])


def how_to_cite(root: Path) -> list[str]:
    """The package's version and the report's citation, worded as the report words it."""
    from exodus.report import cite

    cff = yaml.safe_load((root / cite.CFF).read_text(encoding="utf-8"))
    ed = cite.load_edition(root)
    return ["## Version and how to cite", "", f"This is the data of version {ed.version} of the report. Cite it as:", "",
            prose(cite.report_citation(cff, ed)), "",
            "Each figure's entry in the report ends with its own citation line (what it counts, who said it, where "
            "and when, the article and the entry).", ""]


def zip_bytes(files: list[tuple[str, Path | bytes]]) -> bytes:
    """A zip whose bytes depend only on the names and contents (fixed times, modes, order)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, content in files:
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            z.writestr(info, content if isinstance(content, bytes) else content.read_bytes())
    return buf.getvalue()


def write(folder: Path, root: Path | None = None, derived: Path | None = None) -> Path:
    """Write <folder>/data-package.zip atomically and return its path; `derived`, the evaluated derived
    figures (build/derived.csv), goes in beside the curated tables when given."""
    target = Path(folder) / NAME
    extra = [(DERIVED, derived)] if derived is not None and Path(derived).is_file() else []
    found = members(root)  # first: a resource outside data/ is refused before anything else is read
    found = [(n, dictionary(root) if n == "datapackage.json" else f) for n, f in found]
    files = [("README.md", readme(root, bool(extra))), *found, *extra]
    atomic.write_bytes(target, zip_bytes(sorted(files, key=lambda m: m[0])))
    return target


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    folder = Path(argv[0]) if argv else paths.OUTPUT / "downloads"
    try:
        out = write(folder)
    except (OSError, ValueError) as e:
        print(f"data package: {e}", file=sys.stderr)
        return 1
    print(f"data package: wrote {paths.rel(out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
