"""Quarto shortcode expansion (var, meta, include, pagebreak) that fails on anything unknown."""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from exodus.engine.project import rel

SHORTCODE = re.compile(r"\{\{\{<(?P<escaped>.*?)>\}\}\}|\{\{<(?P<inner>.*?)>\}\}")
INCLUDE_LINE = re.compile(r"^\s*\{\{<\s*include\s+(?P<arg>.+?)\s*>\}\}\s*$")
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
MAX_DEPTH = 20
PAGEBREAK = ("```{=html}\n<div style=\"page-break-after: always;\"></div>\n```\n\n"
             "```{=typst}\n#pagebreak()\n```")


@dataclass(frozen=True)
class Line:
    """One line of expanded markdown and where it came from."""

    text: str
    file: Path
    number: int


@dataclass
class Context:
    """What shortcodes can see: project variables and document metadata."""

    variables: dict
    meta: dict
    root: Path = field(default_factory=Path.cwd)
    included: list[Path] = field(default_factory=list)
    used: list[str] = field(default_factory=list)  # the variables the document printed, in order


class ShortcodeError(Exception):
    """Every unresolved shortcode of a document, each as file:line:column: message."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def split_front_matter(text: str) -> tuple[str, str, int]:
    """(yaml text, body, number of lines the front matter took)."""
    m = FRONT_MATTER.match(text)
    if not m:
        return "", text, 0
    return m.group("yaml"), text[m.end():], text[:m.end()].count("\n")


def lookup(tree: dict, dotted: str):
    """Value at a dotted key such as claim.kazakhstan_entries; KeyError when absent."""
    node = tree
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(dotted)
        node = node[part]
    return node


def scalar(value, what: str) -> str:
    """A variable or metadata value as markdown text; groups and lists are errors."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    kind = "a group of keys" if isinstance(value, dict) else "a list"
    raise ValueError(f"{what} is {kind}, not a value")


def _args(inner: str) -> list[str]:
    try:
        return shlex.split(inner)
    except ValueError as e:
        raise ValueError(f"cannot parse shortcode arguments ({e})") from None


def _nearby(tree: dict, key: str) -> str:
    """A hint listing keys that share the key's group, so typos are quick to fix."""
    group, _, leaf = key.rpartition(".")
    try:
        siblings = lookup(tree, group) if group else tree
    except KeyError:
        return ""
    if not isinstance(siblings, dict):
        return ""
    close = sorted(k for k in siblings if k[:3] == leaf[:3])[:5]
    return f" (similar: {', '.join(f'{group}.{k}' if group else k for k in close)})" if close else ""


def replace_inline(text: str, ctx: Context) -> tuple[str, list[tuple[int, str]]]:
    """Expand inline shortcodes in one line; returns the text and (column, problem) pairs."""
    problems: list[tuple[int, str]] = []

    def one(m: re.Match) -> str:
        if m.group("escaped") is not None:
            # {{{< x >}}} is Quarto's escape: show the shortcode itself.
            return "{{<" + m.group("escaped") + ">}}"
        col = m.start() + 1
        try:
            args = _args(m.group("inner"))
            if not args:
                raise ValueError("empty shortcode")
            name, rest = args[0], args[1:]
            if name == "var":
                if len(rest) != 1:
                    raise ValueError("var takes exactly one key, e.g. {{< var claim.some_id >}}")
                try:
                    value = scalar(lookup(ctx.variables, rest[0]), f"variable {rest[0]!r}")
                    ctx.used.append(rest[0])
                    return value
                except KeyError:
                    raise ValueError(f"unknown variable {rest[0]!r} (not in _variables.yml)"
                                     f"{_nearby(ctx.variables, rest[0])}") from None
            if name == "meta":
                if len(rest) != 1:
                    raise ValueError("meta takes exactly one key, e.g. {{< meta title >}}")
                try:
                    return scalar(lookup(ctx.meta, rest[0]), f"metadata {rest[0]!r}")
                except KeyError:
                    raise ValueError(f"unknown metadata key {rest[0]!r}") from None
            if name == "include":
                raise ValueError("include must stand alone on its own line")
            if name == "pagebreak":
                raise ValueError("pagebreak must stand alone on its own line")
            raise ValueError(f"unknown shortcode {name!r} (supported: var, meta, include, pagebreak)")
        except ValueError as e:
            problems.append((col, str(e)))
            return m.group(0)

    return SHORTCODE.sub(one, text), problems


def _resolve(arg: str, here: Path, ctx: Context) -> Path:
    target = _args(arg)
    if len(target) != 1:
        raise ValueError("include takes exactly one path")
    name = target[0]
    # Quarto: a leading '/' means the project root, otherwise the including file's folder.
    return (ctx.root / name.lstrip("/")) if name.startswith("/") else (here.parent / name)


def expand_file(path: Path, ctx: Context, stack: tuple[Path, ...] = (),
                text: str | None = None, first_line: int = 1) -> tuple[list[Line], list[str]]:
    """Expanded lines of a file and the problems found (recursing into includes)."""
    path = Path(path)
    if text is None:
        text = path.read_text(encoding="utf-8")
        _, text, skipped = split_front_matter(text)
        first_line = skipped + 1
    out: list[Line] = []
    problems: list[str] = []
    shown = rel(path, ctx.root)
    for n, raw in enumerate(text.split("\n"), start=first_line):
        if "{{<" not in raw:  # every shortcode, include and page break opens so: the line is as written
            out.append(Line(raw, path, n))
            continue
        inc = INCLUDE_LINE.match(raw)
        if raw.strip() == "{{< pagebreak >}}":
            out += [Line(t, path, n) for t in PAGEBREAK.split("\n")]
            continue
        if inc:
            try:
                target = _resolve(inc.group("arg"), path, ctx)
            except ValueError as e:
                problems.append(f"{shown}:{n}:1: {e}")
                continue
            if not target.is_file():
                problems.append(f"{shown}:{n}:1: include file {rel(target, ctx.root)} does not exist"
                                " (generated includes come from the pre-render pipeline)")
                continue
            if target.resolve() in stack or len(stack) >= MAX_DEPTH:
                problems.append(f"{shown}:{n}:1: include cycle through {rel(target, ctx.root)}")
                continue
            ctx.included.append(target)
            lines, inner = expand_file(target, ctx, stack + (path.resolve(),))
            # Blank lines around an include keep it from gluing onto a neighbour paragraph.
            out += [Line("", path, n), *lines, Line("", path, n)]
            problems += inner
            continue
        expanded, found = replace_inline(raw, ctx)
        problems += [f"{shown}:{n}:{col}: {msg}" for col, msg in found]
        out.append(Line(expanded, path, n))
    return out, problems


def expand(path: Path, ctx: Context) -> list[Line]:
    """Expanded document body; raises ShortcodeError listing every problem."""
    lines, problems = expand_file(path, ctx)
    if problems:
        raise ShortcodeError(problems)
    return lines


def missing_includes(path: Path, root: Path, stack: tuple[Path, ...] = ()) -> list[str]:
    """Include targets that do not exist, as Quarto finds them while it builds the project context.

    Quarto expands includes before any pre-render script runs, so a target that only the
    pre-render would write fails there: this check runs at the same moment.
    """
    problems = []
    path = Path(path)
    for n, raw in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        inc = INCLUDE_LINE.match(raw)
        if not inc:
            continue
        try:
            target = _resolve(inc.group("arg"), path, Context({}, {}, root))
        except ValueError:
            continue
        if not target.is_file():
            problems.append(f"{rel(path, root)}:{n}:1: Include directive failed: could not find file "
                            f"{rel(target, root)}")
        elif target.resolve() not in stack and len(stack) < MAX_DEPTH:
            problems += missing_includes(target, root, stack + (path.resolve(),))
    return problems

