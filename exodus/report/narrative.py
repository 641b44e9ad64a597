"""Sentences of report.qmd that state something about the data, each bound to a check over the tables (data/narrative.yml)."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from exodus import paths
from exodus.context import StageError
from exodus.model import asof, series
from exodus.model.tables import foreign_keys, load_schema
from exodus.report.policy import Problem  # one located problem, for policy and narrative alike

SPEC = "narrative.yml"
# Words with which prose asserts something of the whole corpus; each use must be bound or exempted.
TRIGGERS = re.compile(r"\b(only|no article|no other|nobody|none|every|the latest|most|all|never|rarely|same|alike)\b",
                      re.I)
# Spans that are not the report's own words: shortcodes, inline code, attributes, link targets, comments,
# and quotations (what a source says is quoted, not asserted).
_MASK = re.compile(r"\{\{\{?<.*?>\}\}\}?|`[^`\n]*`|\{[#.][^{}]*\}|\]\([^)]*\)|<!--.*?-->|<[^>\n]*>"
                   r"|\"[^\"\n]*\"|“[^”\n]*”", re.S)
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
RULES = ("none", "only", "count", "latest", "descending", "most")
SOURCED_TABLES = ("derived", "discrepancies")  # built, read from build/ (trusted for their shape only)


@dataclass
class Spec:
    """data/narrative.yml read: its checks, exemptions and latest-report variables, each with its line."""

    checks: list[tuple[int, dict]] = field(default_factory=list)
    exempt: list[tuple[int, dict]] = field(default_factory=list)
    latest: dict[str, tuple[int, dict]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    path: Path = Path("data") / SPEC


def _parse(text: str):
    """The YAML document once, as its node tree (for line numbers) and as data (C parser when built)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def load(path: Path) -> Spec:
    """The spec with the line of every entry; a malformed file is a located problem, never a traceback."""
    shown, spec = paths.rel(path), Spec(path=path)
    try:
        node, data = _parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        spec.problems.append(Problem(f"{shown}:1", f"cannot be read as YAML ({e})"))
        return spec
    if not isinstance(data, dict):
        spec.problems.append(Problem(f"{shown}:1", "expected a mapping with keys checks, exempt and latest"))
        return spec
    lines = {k.value: v for k, v in node.value}
    for key in ("checks", "exempt"):
        items = data.get(key) or []
        if not items:
            continue
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            spec.problems.append(Problem(f"{shown}:1", f"{key} must be a list of mappings"))
            continue
        located = [(n.start_mark.line + 1, item) for n, item in zip(lines[key].value, items)]
        setattr(spec, key, located)
    latest = data.get("latest") or {}
    if latest and not isinstance(latest, dict):
        spec.problems.append(Problem(f"{shown}:1", "latest must map a variable name to {metric, place}"))
    elif latest:
        spec.latest = {k: (kn.start_mark.line + 1, v) for (kn, _), (k, v) in zip(lines["latest"].value, latest.items())}
    return spec


def said(entry: dict) -> list[str]:
    says = entry.get("says")
    return [says] if isinstance(says, str) else [s for s in says or [] if isinstance(s, str)]


# ---- selecting rows -------------------------------------------------------------------------------------

def _norm(v):
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    text = str(v).strip()
    # A number written as text ("1", "2.0") equals the number; tested by pattern, not by a raised error.
    return float(text) if _NUMBER.fullmatch(text) else text.casefold()


def compile_test(test):
    """A cell test as a predicate, its values normalised once: a value, a list (any of), {not: test},
    {filled: bool} or {matches: regex}."""
    if isinstance(test, list):
        if all(not isinstance(t, (list, dict)) for t in test):
            wanted = {_norm(t) for t in test}
            return lambda v: _norm(v) in wanted
        parts = [compile_test(t) for t in test]
        return lambda v: any(p(v) for p in parts)
    if isinstance(test, dict):
        if "not" in test:
            inner = compile_test(test["not"])
            return lambda v: not inner(v)
        if "filled" in test:
            filled = bool(test["filled"])
            return lambda v: (_norm(v) is not None) == filled
        if "matches" in test:
            pattern = re.compile(str(test["matches"]))
            return lambda v: v is not None and pattern.search(str(v)) is not None
        raise ValueError(f"unknown test {test!r}; use a value, a list, not, filled or matches")
    wanted = _norm(test)
    return lambda v: _norm(v) == wanted


def matches(value, test) -> bool:
    """One cell against a test (see compile_test)."""
    return compile_test(test)(value)


def _row_id(row: dict, i: int) -> str:
    return str(row.get("id") or f"row {i + 1}")


class Data:
    """The tables a check reads: name -> (fields, rows), and the sources by id for as-of dates; `keys`,
    (table, field) -> (table, field) it refers to, so a test naming a key no row has is an error."""

    def __init__(self, tables: dict[str, tuple[list[str], list[dict]]],
                 keys: dict[tuple[str, str], tuple[str, str]] | None = None):
        self.tables, self.keys = tables, keys or {}
        self.sources = {s["id"]: s for s in tables.get("sources", ([], []))[1] if s.get("id")}

    def rows(self, sel: dict) -> list[dict]:
        """Rows a selector picks: {table, where: {field: test}, like: [claim ids]}."""
        name = sel.get("table", "claims")
        if name not in self.tables:
            raise ValueError(f"unknown table {name!r}; tables: {', '.join(sorted(self.tables))}")
        fields, rows = self.tables[name]
        where = sel.get("where") or {}
        unknown = sorted(set(where) - set(fields))
        if unknown:
            raise ValueError(f"table {name} has no field {', '.join(unknown)}")
        for f, t in where.items():
            self._keys_known(name, f, t)
        tests = [(f, compile_test(t)) for f, t in where.items()]
        picked = [r for r in rows if all(test(r.get(f)) for f, test in tests)]
        if "like" in sel:
            picked = self._like(picked, sel["like"])
        return picked

    def _keys_known(self, name: str, field_: str, test) -> None:
        """A test's values on a key column ('unit: persons') are keys of the table it refers to: a misspelt
        one would match no row, and a 'none' or 'count' check over it would hold whatever the data says."""
        ref = self.keys.get((name, field_))
        if ref is None or ref[0] not in self.tables:
            return
        values = test if isinstance(test, list) else [test["not"] if isinstance(test, dict) and "not" in test else test]
        have = {_norm(r.get(ref[1])) for r in self.tables[ref[0]][1]}
        missing = [v for v in values if not isinstance(v, (list, dict)) and _norm(v) not in have]
        if missing:
            raise ValueError(f"where {field_}: {', '.join(map(repr, missing))} is not a {ref[0].removesuffix('s')} "
                             f"listed in data/{ref[0]}.csv, so the test matches no row")

    def _like(self, rows: list[dict], ids: list[str]) -> list[dict]:
        """Other reports of the same metric for the same place as the listed claims (exodus.model.series)."""
        claims = {c["id"]: c for c in self.tables["claims"][1]}
        self.known(ids, "claims")
        keys = {series.key(claims[i]) for i in ids} - {None}
        return [r for r in rows if r.get("id") not in ids and series.key(r) in keys]

    def known(self, ids, table: str) -> None:
        have = {r.get("id") for r in self.tables[table][1]}
        missing = [i for i in ids if i not in have]
        if missing:
            raise ValueError(f"names {', '.join(map(str, missing))}, not an id in {table}")


# ---- the rules ------------------------------------------------------------------------------------------

def _ids(rows: list[dict]) -> list[str]:
    return [_row_id(r, i) for i, r in enumerate(rows)]


def _listed(ids: list[str], limit: int = 12) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def broken(check: dict, data: Data) -> str | None:
    """Why the data contradicts the check, naming the rows that break it; None when it holds."""
    rules = [r for r in RULES if r in check]
    if len(rules) != 1:
        raise ValueError(f"a check needs exactly one rule of {', '.join(RULES)}; found {', '.join(rules) or 'none'}")
    rule, arg = rules[0], check[rules[0]]
    return globals()[f"_rule_{rule}"](arg, check, data)


def _rule_none(sel, check, data):
    found = _ids(data.rows(sel))
    return f"{len(found)} row(s) of {sel.get('table', 'claims')} now match: {_listed(found)}" if found else None


def _rule_only(sel, check, data):
    expected = list(check.get("ids") or [])
    data.known(expected, sel.get("table", "claims"))
    found = _ids(data.rows(sel))
    extra, missing = [i for i in found if i not in expected], [i for i in expected if i not in found]
    if not extra and not missing:
        return None
    parts = ([f"also {_listed(extra)}"] if extra else []) + ([f"no longer {_listed(missing)}"] if missing else [])
    return f"the rows it speaks of are {_listed(found) or 'none'}, not only {', '.join(expected)} ({'; '.join(parts)})"


def _rule_count(sel, check, data):
    rows = data.rows(sel)
    if sel.get("distinct"):
        n = len({_norm(r.get(sel["distinct"])) for r in rows} - {None})
    else:
        n = len(rows)
    for op, test in (("is", n.__eq__), ("at_least", n.__ge__), ("at_most", n.__le__)):
        if op in check and not test(int(check[op])):
            what = f"distinct {sel['distinct']} of " if sel.get("distinct") else ""
            wanted = f"{op.replace('_', ' ')} {check[op]}" if op != "is" else f"{check[op]}"
            return f"the count of {what}{sel.get('table', 'claims')} rows is {n}, not {wanted} " \
                   f"(rows: {_listed(_ids(rows))})"
    if not any(op in check for op in ("is", "at_least", "at_most")):
        raise ValueError("a count needs is, at_least or at_most")
    return None


def _rule_latest(arg, check, data):
    data.known([arg["is"]], "claims")
    claims = data.tables["claims"][1]
    found = series.latest(claims, data.sources, arg["metric"], arg["place"])
    if found is not None and found["id"] == arg["is"]:
        return None
    reports = series.reports(claims, data.sources, arg["metric"], arg["place"])
    dated = "; ".join(f"{c['id']} {asof.text(series.when(c, data.sources))}" for c in reports)
    return f"the latest report of {arg['metric']} for {arg['place']} is {found['id'] if found else 'none'}, " \
           f"not {arg['is']} (reports: {dated or 'none'})"


def _rule_descending(arg, check, data):
    table, fld, ids = arg.get("table", "derived"), arg.get("field", "value"), list(arg.get("ids") or [])
    data.known(ids, table)
    by_id = {r.get("id"): r for r in data.tables[table][1]}
    values = [_norm(by_id[i].get(fld)) for i in ids]
    if all(isinstance(a, float) and isinstance(b, float) and a > b for a, b in zip(values, values[1:])):
        return None
    shown = ", ".join(f"{i}={by_id[i].get(fld)}" for i in ids)
    return f"{fld} of {shown} is no longer in strictly descending order"


def _rule_most(arg, check, data):
    groups: dict = {}
    for r in data.rows(arg):
        key = _norm(r.get(arg["group"]))
        if key is not None:
            groups.setdefault(key, set()).add(_norm(r.get(arg["distinct"])))
    hits = sorted(str(k) for k, v in groups.items() if len(v - {None}) == int(arg["is"]))
    if 2 * len(hits) > len(groups):
        return None
    return f"only {len(hits)} of {len(groups)} values of {arg['group']} have {arg['is']} distinct {arg['distinct']}"


# ---- binding sentences ----------------------------------------------------------------------------------

def prose(text: str) -> list[str]:
    """report.qmd's lines with code fences, comments, shortcodes, attributes and link targets blanked."""
    text = re.sub(r"<!--.*?-->", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
    out, fence = [], None
    for line in text.split("\n"):
        f = _FENCE.match(line)
        if fence or f:
            if fence and f and f.group(1)[0] == fence[0] and len(f.group(1)) >= len(fence):
                fence = None
            elif not fence:
                fence = f.group(1)
            out.append(" " * len(line))
            continue
        out.append(_MASK.sub(lambda m: " " * len(m.group(0)), line))
    return out


def occurrences(lines: list[str], needle: str) -> list[tuple[int, int, int]]:
    """(line number, start, end) of every occurrence of a bound sentence in report.qmd."""
    out = []
    for n, line in enumerate(lines, 1):
        start = line.find(needle)
        while needle and start >= 0:
            out.append((n, start, start + len(needle)))
            start = line.find(needle, start + 1)
    return out


def evaluate(spec: Spec, report: Path, data: Data) -> list[Problem]:
    """Every bound sentence the data no longer backs, every check that binds nothing, every unbound assertion."""
    shown_spec, shown_report = paths.rel(spec.path), paths.rel(report)
    text = report.read_text(encoding="utf-8")
    lines, covered, problems = text.split("\n"), [], list(spec.problems)
    for line_no, entry in spec.exempt + spec.checks:
        for says in said(entry) or [""]:
            found = occurrences(lines, says) if says else []
            if not found:
                problems.append(Problem(f"{shown_spec}:{line_no}", f"'says' text {says!r} is not in {shown_report}: "
                                        "quote the sentence exactly as report.qmd writes it, or remove the entry"))
            covered += found
    try:
        current = latest_ids(spec, data)
    except ValueError as e:
        return problems + [Problem(paths.rel(spec.path), str(e))]
    for line_no, check in spec.checks:
        try:
            why = broken(with_latest(check, current), data)
        except (ValueError, KeyError, TypeError, re.error) as e:
            problems.append(Problem(f"{shown_spec}:{line_no}", f"check {check.get('id', '?')}: {e}"))
            continue
        if why:
            for says in said(check):
                for n, start, _ in occurrences(lines, says):
                    problems.append(Problem(f"{shown_report}:{n}:{start + 1}",
                                            f"{says!r} is no longer true: {why} (check {check.get('id', '?')}, "
                                            f"{shown_spec}:{line_no}); rewrite the sentence and its check"))
    return problems + unbound(prose(text), covered, shown_report)


def unbound(lines: list[str], covered: list[tuple[int, int, int]], shown: str) -> list[Problem]:
    """Assertion words ("only", "no article", "every", ...) outside every bound or exempt sentence."""
    problems = []
    for n, line in enumerate(lines, 1):
        for m in TRIGGERS.finditer(line):
            if not any(cn == n and s <= m.start() and m.end() <= e for cn, s, e in covered):
                problems.append(Problem(f"{shown}:{n}:{m.start() + 1}",
                                        f"{m.group(0)!r} asserts something of the data but no check in data/{SPEC} "
                                        "binds this sentence: add a check whose 'says' quotes it, or list it under "
                                        "'exempt' with why it needs none"))
    return problems


# ---- latest-report variables ---------------------------------------------------------------------------

def latest_reports(spec_path: Path, claims: list[dict], sources: list[dict]) -> dict[str, dict]:
    """latest.<name> -> the latest claim of the metric and place the spec names; ValueError, located,
    for an entry that is malformed or names a series with no dated report."""
    spec, by_id, out = load(spec_path), {s["id"]: s for s in sources}, {}
    if spec.problems:
        raise ValueError(str(spec.problems[0]))
    for name, (line, entry) in spec.latest.items():
        where = f"{paths.rel(spec_path)}:{line}"
        if not isinstance(entry, dict) or not entry.get("metric") or not entry.get("place"):
            raise ValueError(f"{where}: latest.{name} needs metric and place")
        found = series.latest(claims, by_id, str(entry["metric"]), str(entry["place"]))
        if found is None:
            raise ValueError(f"{where}: latest.{name}: no dated report of {entry['metric']} for {entry['place']}")
        out[name] = found
    return out


def latest_ids(spec: Spec, data: Data) -> dict[str, str]:
    """'latest.NAME' -> the id of the claim it names today, so a check can speak of what the prose shows."""
    if not spec.latest or "claims" not in data.tables:
        return {}
    found = latest_reports(spec.path, data.tables["claims"][1], list(data.sources.values()))
    return {f"latest.{name}": claim["id"] for name, claim in found.items()}


def with_latest(check, current: dict[str, str]):
    """The check with every 'latest.NAME' among its values written as today's claim id: a sentence about the
    figure the bottom line shows follows that figure when a newer report takes its place."""
    if isinstance(check, dict):
        return {k: with_latest(v, current) for k, v in check.items()}
    if isinstance(check, list):
        return [with_latest(v, current) for v in check]
    return current.get(check, check) if isinstance(check, str) else check


LATEST_VAR = re.compile(r"\{\{<\s*var\s+latest\.([A-Za-z0-9_]+)\s*>\}\}")


def resolve_latest(report_text: str, latest: dict[str, dict]) -> str:
    """The text with each {{< var latest.NAME >}} written as the claim it resolves to, for the stages
    that list the figures the narrative uses; an unknown name is left for the policy check to name."""
    def claim(m: re.Match) -> str:
        found = latest.get(m.group(1))
        return f"{{{{< var claim.{found['id']} >}}}}" if found else m.group(0)
    return LATEST_VAR.sub(claim, report_text)


# ---- the stage ------------------------------------------------------------------------------------------

def built_table(path: Path) -> tuple[list[str], list[dict]]:
    """A table the build wrote, read for its shape only: a header and rows, every cell text."""
    if not path.is_file():
        raise StageError(f"{paths.rel(path)} is missing: run the derive stage first")
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    rows = [{k: v for k, v in r.items() if isinstance(k, str)} for r in reader]
    return list(reader.fieldnames or []), rows


def gather(dataset_tables: dict, built: dict[str, Path]) -> Data:
    """The validated curated tables and the built ones (name -> path under build/), as the checks read them,
    with the foreign keys of the data package (and the derived figures' unit, checked against data/units.csv)."""
    tables = {name: (list(t.fields), t.rows) for name, t in dataset_tables.items()}
    for name in SOURCED_TABLES:
        tables[name] = built_table(built[name])
    keys = {(name, f): (ref, key) for name, resource in load_schema().items()
            for f, ref, key in foreign_keys(resource)}
    return Data(tables, {**keys, ("derived", "unit"): ("units", "id")})


def built_paths(root: Path) -> dict[str, Path]:
    return {name: Path(root) / "build" / f"{name}.csv" for name in SOURCED_TABLES}


def check(root: Path, dataset_tables: dict) -> list[Problem]:
    return evaluate(load(root / "data" / SPEC), root / "report.qmd", gather(dataset_tables, built_paths(root)))
