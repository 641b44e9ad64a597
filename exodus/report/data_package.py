"""The downloadable data package: datapackage.json, the curated CSVs and the licence notice, as one zip."""
from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path

import yaml

from exodus import atomic, paths
from exodus.model import vocabulary
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
DERIVED_TITLE = ("Derived figures: computed by the report from the articles' figures (formula, bounds, hedge, "
                 "the claims and sources each rests on); no article states them")


def readme(root: Path | None = None, derived: bool = False) -> bytes:
    """README.md of the package: what it is, each table, the licence and how to cite, from the package itself."""
    root = Path(root or paths.ROOT)
    package = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    lines = [f"# {prose(package.get('title', 'Data package'))}", "", prose(package.get("description", "")), "",
             "## Tables", ""]
    lines += [f"- {prose(r.get('path'))}: {prose(r.get('title') or r.get('name'))}" for r in package.get("resources", [])]
    lines += [f"- {DERIVED}: {DERIVED_TITLE}"] if derived else []
    licences = prose("; ".join(f"{x.get('title') or x.get('name')} ({x.get('path', '')})".replace(" ()", "")
                               for x in package.get("licenses", [])))
    lines += ["", "## Licence", "", licences or f"See {NOTICE}.", f"The article texts are not included; see {NOTICE}.",
              "", "## Fields", "", "`datapackage.json` describes every field, its type, its constraints and the "
              "conventions behind it (hedges, bounds, rounding, dates); `hedges.csv` lists every phrase that sets a "
              "hedge and what it does to a figure's bounds.", ""]
    lines += how_to_cite(root)
    return "\n".join(lines).encode("utf-8")


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
    files = [("README.md", readme(root, bool(extra))), *members(root), *extra]
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
