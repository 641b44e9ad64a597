"""Project policy over everything the report reads, run before any renderer (ours or Quarto's).

Checks, each reported as file:line:column:
- a numeral typed into report.qmd or a hand-written include instead of bound to a variable;
- a numeral in generated text (includes, chart titles, captions, alt text, source lines, variables)
  whose value appears nowhere in the data it was generated from: a number typed into code;
- a `{{< var >}}` with no definition in _variables.yml;
- a cross-reference (@fig-, @sec-, @tbl-) with no matching id;
- a citation with no bibliography entry.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from exodus import paths
from exodus.engine.render import load_variables
from exodus.report import lint_numbers

INCLUDE = re.compile(r"\{\{<\s*include\s+(\S+?)\s*>\}\}")
VAR = re.compile(r"\{\{<\s*var\s+(\S+?)\s*>\}\}")
DECLARED_ID = re.compile(r"\{#((?:fig|sec|tbl)-[\w-]+)")
REFERENCE = re.compile(r"(?<![\w@\\])-?@([\w][\w:.#$%&\-+?<>~/]*[\w])")
CROSSREF_PREFIXES = ("fig-", "sec-", "tbl-", "eq-", "lst-")
# A digit run that belongs to a name (SHA-256, UTF-8, PDF/UA-1) is a name, not a figure.
NUMERAL = re.compile(r"(?<![\w.,])(?<![A-Za-z]-)\d+(?:,\d{3})*(?:\.\d+)?(?![\w])")
# Thousands groups have three digits, so "24,2022" in a CSV row is two numbers, not one.
DATA_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?(?!\d)")
ESCAPE = re.compile(r"\\([^\w\s])")  # markdown backslash escapes: "200\,000" is 200,000
FENCED = re.compile(r"^(`{3,}|~{3,}).*?^\1", re.S | re.M)


@dataclass(frozen=True)
class Problem:
    """One policy breach, located."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def documents(report: Path) -> tuple[list[Path], list[Problem]]:
    """report.qmd and every file it includes, depth first, each once; and includes that are missing."""
    seen: list[Path] = []
    missing: list[Problem] = []

    def visit(path: Path) -> None:
        if path in seen:
            return
        seen.append(path)
        for where, m in _located(path, path.read_text(encoding="utf-8"), INCLUDE, root):
            name = m.group(1)
            # As Quarto: '/' starts at the project root, anything else at the including file's folder.
            target = (root / name.lstrip("/")) if name.startswith("/") else (path.parent / name)
            if target.is_file():
                visit(target.resolve())
            else:
                missing.append(Problem(where, f"include target {name} does not exist"))

    root = report.resolve().parent
    visit(report.resolve())
    return seen, missing


def _located(path: Path, text: str, pattern: re.Pattern, root: Path):
    shown = paths.rel(path, root)  # once per file: it resolves the path on disk
    for n, line in enumerate(text.split("\n"), 1):
        for m in pattern.finditer(line):
            yield f"{shown}:{n}:{m.start() + 1}", m


def _lookup(tree, dotted: str) -> bool:
    node = tree
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return not isinstance(node, dict)


def bibliography_keys(folder: Path) -> set[str]:
    """Citation keys of the generated bibliography, whatever its format."""
    keys: set[str] = set()
    for path in sorted(folder.glob("references.*")):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            keys |= {item["id"] for item in json.loads(text)}
        else:
            keys |= set(re.findall(r"^@\w+\{([^,\s]+),", text, re.M))
    return keys


def _blank(m: re.Match) -> str:
    """A masked span: spaces of the same length, its line breaks kept so line numbers stay right."""
    return re.sub(r"[^\n]", " ", m.group(0))


def references(docs: list[Path], variables: dict, bib: set[str], root: Path) -> list[Problem]:
    """Unknown variables, cross-references and citations across the documents."""
    declared = {m.group(1) for p in docs for _, m in _located(p, p.read_text(encoding="utf-8"), DECLARED_ID, root)}
    problems = []
    for path in docs:
        text = path.read_text(encoding="utf-8")
        for where, m in _located(path, text, VAR, root):
            if not _lookup(variables, m.group(1)):
                problems.append(Problem(where, f"variable {m.group(1)!r} is not defined in _variables.yml"))
        masked = FENCED.sub(_blank, text)
        masked = re.sub(r"<[^>]*>|\]\([^)]*\)|`[^`\n]*`", _blank, masked)
        for where, m in _located(path, masked, REFERENCE, root):
            key = m.group(1)
            if key.startswith(CROSSREF_PREFIXES):
                if key not in declared:
                    problems.append(Problem(where, f"cross-reference @{key} has no matching {{#{key}}}"))
            elif key not in bib:
                problems.append(Problem(where, f"citation @{key} has no entry in the bibliography"))
    return problems


def _value(token: str) -> Decimal | None:
    try:
        return Decimal(token.replace(",", ""))
    except InvalidOperation:
        return None


def number_pool(root: Path) -> set[Decimal]:
    """Every number the data states, in the forms the report may print it (×100 for shares)."""
    pool: set[Decimal] = set()
    # data/derived.csv is left out: its descriptions are prose the report prints, and a number typed
    # there must still be stated by a claim or a source; its results are in build/derived.csv.
    files = [p for p in (root / "data").rglob("*") if p.is_file() and p.name != "derived.csv"]
    files += [root / "build" / "derived.csv", root / "build" / "discrepancies.csv", root / "VERSION", root / "CITATION.cff"]
    tokens: set[str] = set()  # each written number once: "2022" and "10,000" recur through the articles
    for path in files:
        if not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        tokens.update(t for piece in _pieces(path, text) for t in DATA_NUMBER.findall(piece))
        if path.suffix == ".csv":
            pool |= _counts(text)
    for v in (v for v in map(_value, tokens) if v is not None):
        pool |= {v, v * 100, round(v), round(v, 1), round(v, 2), round(v * 100, 1)}
    return pool


def _pieces(path: Path, text: str) -> list[str]:
    """A table's cells one by one (the cells 320,320,320 are three numbers, not 320320320); other text whole."""
    if path.suffix != ".csv":
        return [text]
    try:
        return [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    except csv.Error:
        return [text]  # a table too malformed to split is validation's to report; its text still counts


def _counts(text: str) -> set[Decimal]:
    """Row counts, in all and per source: the report prints how many rows each source has."""
    rows = list(csv.DictReader(io.StringIO(text)))
    per_source = Counter(r.get("source_id") for r in rows if r.get("source_id"))
    # Rows that fill a column ("34 dated events": events with a date) are counts the table states too.
    filled = {sum(1 for r in rows if (r.get(col) or "").strip()) for col in (rows[0] if rows else {})}
    return {Decimal(len(rows)), *(Decimal(n) for n in per_source.values()), *(Decimal(n) for n in filled)}


def generated_texts(root: Path) -> list[tuple[str, str]]:
    """(where, text) for every piece of generated prose the report shows."""
    out = [(paths.rel(p, root), p.read_text(encoding="utf-8")) for p in sorted((root / "_generated").glob("_*.md"))]
    index = root / "figures" / "figures.json"
    if index.is_file():
        figures = json.loads(index.read_text(encoding="utf-8")).get("figures", {})
        for fig_id, fig in sorted(figures.items()):
            for key in ("title", "caption", "alt", "source_line", "cite"):
                out.append((f"figures/figures.json:{fig_id}.{key}", str(fig.get(key) or "")))
    return out


def provenance(texts: list[tuple[str, str]], pool: set[Decimal]) -> list[Problem]:
    """Numerals in generated text that no data file states."""
    problems = []
    for where, text in texts:
        text = ESCAPE.sub(r"\1", text)
        masked = re.sub(r"\{#[^}]*\}|\(#[^)]*\)|\{\.[^}]*\}|data-[\w-]+=\"[^\"]*\"|<[^>]+>|`[^`]*`",
                        _blank, text)
        for n, line in enumerate(masked.split("\n"), 1):
            for m in NUMERAL.finditer(line):
                v = _value(m.group(0))
                if v is not None and v not in pool:
                    problems.append(Problem(f"{where}:{n}:{m.start() + 1}",
                                            f"numeral {m.group(0)!r} in generated text is not stated by any data "
                                            "file: build it from the tables, not from code"))
    return problems


def check(root: Path) -> list[Problem]:
    """Every policy check over the report and its generated inputs."""
    report = root / "report.qmd"
    docs, problems = documents(report)
    hand_written = [p for p in docs if (root / "_generated").resolve() not in p.parents]
    for f in lint_numbers.lint(hand_written):
        shown = paths.rel(Path(f.file), root) if Path(f.file).is_absolute() else f.file
        problems.append(Problem(f"{shown}:{f.line}:{f.column}", str(f).split(": ", 1)[1]))
    variables = load_variables(root)
    problems += references(docs, variables, bibliography_keys(root / "_generated"), root)
    problems += provenance(generated_texts(root), number_pool(root))
    return problems
