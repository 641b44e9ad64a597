"""The expanded document read by pandoc once for every format, in top-level chunks cached by their text."""
from __future__ import annotations

import concurrent.futures
import hashlib
import json
import os
import re
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

# A chunk ends where the next top-level block is a fenced div or a heading: nothing before that line
# can continue into it, so pandoc reads the two halves exactly as it reads the whole.
SPLIT_BEFORE = re.compile(r"^(?::{3,}\s*\S|#{1,6}(?:\s|$))")
CODE_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
DIV_OPEN = re.compile(r"^ {0,3}:{3,}\s*\S")
DIV_CLOSE = re.compile(r"^ {0,3}:{3,}\s*$")
HTML_OPEN = re.compile(r"^ {0,3}<(?:div|section|details|table|figure)\b", re.I)
HTML_CLOSE = re.compile(r"</(?:div|section|details|table|figure)>", re.I)
# Constructs that reach across the document: reading a part alone would read them differently.
# (Notes share one counter with citations.)
GLOBAL = re.compile(r"^ {0,3}\[[^\]\n]+\]:|^\s*\(@[\w-]*\)\s|\^\[", re.M)
# [text] with no target after it: pandoc may read it as a link to the heading of that text.
BARE_BRACKETS = re.compile(r"(?<![!\]\\])\[([^\[\]\n]+)\](?![(\[{:])")
MARK = "exodus-engine-chunk-boundary"
SEPARATOR = f"<!--{MARK}-->"
CONTENT = f"<!--{MARK}-content-->"  # where a div's own chunks go
READ_ARGS = ("--from", "markdown", "--to", "json")
_LOCK = threading.Lock()
_MEMO: dict[str, list] = {}


class ParseError(Exception):
    """Pandoc could not read the document, or warned while reading it."""


@dataclass(frozen=True)
class Reader:
    """How to read: the pandoc binary and the one reader option that differs between formats."""

    pandoc: str
    image_extension: str = ""
    cache: Path | None = None

    def key(self, chunk: str) -> str:
        # The default image extension changes only chunks that have images; the others are shared.
        ext = self.image_extension if "![" in chunk else ""
        st = os.stat(self.pandoc)
        payload = f"{self.pandoc}\0{st.st_size}\0{st.st_mtime_ns}\0{ext}\0{chunk}"
        return hashlib.sha256(payload.encode()).hexdigest()


def _fence_state(line: str, fence: str) -> str:
    """The open code fence after this line ("" when none)."""
    m = CODE_FENCE.match(line)
    if not m:
        return fence
    if not fence:
        return m.group("fence")
    closes = m.group("fence")[0] == fence[0] and len(m.group("fence")) >= len(fence) and not m.group("info").strip()
    return "" if closes else fence


class Unsplittable(ValueError):
    """The text has a construct whose reading depends on what comes before it."""


def _opens_div(line: str, previous: str) -> bool:
    """A div fence opens a div after a blank line, a heading or another div fence; after a paragraph
    or list line pandoc reads it as text, a case the plan does not take apart."""
    if not DIV_OPEN.match(line):
        return False
    if not previous.strip() or DIV_OPEN.match(previous) or DIV_CLOSE.match(previous) or SPLIT_BEFORE.match(previous):
        return True
    raise Unsplittable(line)


def _top_level(lines: list[str]) -> list[list[str]]:
    """The lines cut before every top-level div or heading that follows a blank line, and after every
    top-level div."""
    out, current = [], []
    fence, divs, html, comment, previous, closed = "", 0, 0, False, "", False
    for line in lines:
        free = not fence and not divs and not html and not comment
        if free and current and (closed or (not previous.strip() and SPLIT_BEFORE.match(line))):
            out.append(current)
            current = []
        current.append(line)
        before, closed = fence, False
        fence = _fence_state(line, fence)
        if not before and not fence and not comment:
            if _opens_div(line, previous):
                divs += 1
            elif DIV_CLOSE.match(line) and divs:
                divs -= 1
                closed = not divs
            opened = html or HTML_OPEN.match(line)
            html = max(html + len(HTML_OPEN.findall(line)) - len(HTML_CLOSE.findall(line)), 0) if opened else 0
        if not fence:
            comment = (comment or "<!--" in line) and "-->" not in line.rsplit("<!--", 1)[-1]
        previous = line
    return out + [current]


def _one_div(chunk: list[str]) -> int:
    """Index of the line closing the fenced div that opens the chunk, when that div is the whole chunk."""
    if not chunk or not DIV_OPEN.match(chunk[0]):
        return 0
    fence, depth, previous = "", 0, ""
    for i, line in enumerate(chunk):
        before = fence
        fence = _fence_state(line, fence)
        if not before and not fence:
            if _opens_div(line, previous):
                depth += 1
            elif DIV_CLOSE.match(line) and depth:
                depth -= 1
                if not depth:
                    return i if not any(r.strip() for r in chunk[i + 1:]) else 0
        previous = line
    return 0


def plan(text: str) -> list:
    """Chunks to read: a string each, or (open fence, inner plan, close fence) for a fenced div whose
    content splits further. One chunk when the text uses anything whose reading depends on the rest
    of the document (link or note definitions, example lists) or holds the engine's own marks."""
    if GLOBAL.search(text) or MARK in text:
        return [text]
    try:
        return _plan(text.split("\n"))
    except Unsplittable:
        return [text]


def _plan(lines: list[str]) -> list:
    out = []
    for chunk in _top_level(lines):
        close = _one_div(chunk)
        inner = _plan(chunk[1:close]) if close else []
        if len(inner) > 1:
            out.append((chunk[0], inner, "\n".join(chunk[close:])))
        else:
            out.append("\n".join(chunk))
    return out


def _pandoc(reader: Reader, text: str) -> dict:
    args = [reader.pandoc, *READ_ARGS]
    if reader.image_extension:
        args.append(f"--default-image-extension={reader.image_extension}")
    done = subprocess.run(args, input=text, capture_output=True, text=True, encoding="utf-8")
    problems = [m for m in done.stderr.splitlines() if m.strip()]
    if done.returncode != 0 or problems:
        raise ParseError("\n  ".join(problems or [f"pandoc exit {done.returncode}"]))
    return json.loads(done.stdout)


def _is_separator(block: dict) -> bool:
    return block.get("t") == "RawBlock" and block["c"] == ["html", SEPARATOR]


def _read_batch(reader: Reader, batch: list[str]) -> tuple[list[list], dict]:
    """Blocks of each chunk, read in one pandoc call with a marker between chunks."""
    doc = _pandoc(reader, f"\n\n{SEPARATOR}\n\n".join(batch))
    parts: list[list] = [[]]
    for block in doc["blocks"]:
        if _is_separator(block):
            parts.append([])
        else:
            parts[-1].append(block)
    if len(parts) != len(batch) or doc.get("meta"):
        raise ValueError("chunks did not read apart")
    return parts, doc


def _cites(node, found: list) -> list:
    """Every Citation record under a node, in document order."""
    if isinstance(node, dict):
        if node.get("t") == "Cite":
            found += node["c"][0]
        for v in node.values():
            _cites(v, found)
    elif isinstance(node, list):
        for v in node:
            _cites(v, found)
    return found


def _renumber(blocks: list, by: int) -> int:
    """Shift the citation numbers of blocks by `by` (pandoc numbers them through the document); returns
    the highest number after the shift (0 when there are none)."""
    cites = _cites(blocks, [])
    for c in cites:
        c["citationNoteNum"] += by
    return max((c["citationNoteNum"] for c in cites), default=0)


def _stored(reader: Reader, key: str) -> str | None:
    """The stored reading of a chunk, as JSON text (each use gets its own copy to renumber)."""
    if key not in _MEMO and reader.cache and (reader.cache / f"{key}.json").is_file():
        _MEMO[key] = (reader.cache / f"{key}.json").read_text(encoding="utf-8")
    return _MEMO.get(key)


def _store(reader: Reader, key: str, blocks: list) -> None:
    """Keep a chunk's blocks with its citations numbered from 1, as if it stood alone."""
    first = min((c["citationNoteNum"] for c in _cites(blocks, [])), default=1)
    _renumber(blocks, 1 - first)
    _MEMO[key] = text = json.dumps(blocks, ensure_ascii=False)
    if reader.cache:
        reader.cache.mkdir(parents=True, exist_ok=True)
        tmp = reader.cache / f".{key}.{os.getpid()}.{threading.get_ident()}"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, reader.cache / f"{key}.json")


def _fill(reader: Reader, missing: dict[str, str]) -> list:
    """Read every missing chunk, in two batches side by side; returns the pandoc API version."""
    keys, total, cut, length = list(missing), sum(len(t) for t in missing.values()), 1, 0
    for cut in range(1, len(keys)):  # two batches of about the same length, so both cores finish together
        length += len(missing[keys[cut - 1]])
        if length * 2 >= total:
            break
    halves = [keys[:cut], keys[cut:]] if len(keys) > 1 else [keys]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda ks: _read_batch(reader, [missing[k] for k in ks]), halves))
    for ks, (parts, _) in zip(halves, results):
        for k, blocks in zip(ks, parts):
            _store(reader, k, blocks)
    return results[0][1]["pandoc-api-version"]


def _header_texts(blocks: list, out: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(identifier, plain text) of every heading, at any depth."""
    for node in blocks if isinstance(blocks, list) else [blocks]:
        if isinstance(node, dict):
            if node.get("t") == "Header":
                out.append((node["c"][1][0], _plain(node["c"][2])))
            _header_texts(list(node.values()), out)
        elif isinstance(node, list):
            _header_texts(node, out)
    return out


def _plain(inlines: list) -> str:
    parts = []
    for i in inlines:
        if i.get("t") == "Str":
            parts.append(i["c"])
        elif i.get("t") in ("Space", "SoftBreak"):
            parts.append(" ")
        elif isinstance(i.get("c"), list):
            inner = i["c"][-1] if i["t"] in ("Emph", "Strong", "Span", "Quoted", "SmallCaps") else []
            parts.append(_plain(inner if isinstance(inner, list) else []))
    return "".join(parts)


def _reads_alone(parts: list[str], blocks: list) -> bool:
    """False when reading the chunks apart could differ from reading them together: a heading id made
    unique only across chunks, or a heading named by an implicit reference from another chunk."""
    heads = _header_texts(blocks, [])
    ids = [h for h, _ in heads if h]
    if len(ids) != len(set(ids)):
        return False
    names = {" ".join(name.split()).lower() for _, name in heads if name}
    return not any(_key(m.group(1)) in names for part in parts for m in BARE_BRACKETS.finditer(part))


def _key(text: str) -> str:
    return " ".join(re.sub(r"\\(.)", r"\1", text).split()).lower()


def _leaves(parts: list) -> list[str]:
    """Every text the plan reads: its chunks, and each split div's fences around a placeholder."""
    out = []
    for p in parts:
        if isinstance(p, str):
            out.append(p)
        else:
            out += [f"{p[0]}\n\n{CONTENT}\n\n{p[2]}", *_leaves(p[1])]
    return out


def _assemble(parts: list, reader: Reader, numbered: list[int]) -> list:
    """The blocks of a plan from the stored reading of each leaf, citations numbered on from
    numbered[0] as one reading of the whole would number them."""
    blocks = []
    for p in parts:
        if isinstance(p, str):
            leaf = json.loads(_stored(reader, reader.key(p)))
            numbered[0] = max(numbered[0], _renumber(leaf, numbered[0]))
            blocks += leaf
            continue
        shell = json.loads(_stored(reader, reader.key(f"{p[0]}\n\n{CONTENT}\n\n{p[2]}")))
        if len(shell) != 1 or shell[0].get("t") != "Div" or shell[0]["c"][1] != [{"t": "RawBlock", "c": ["html", CONTENT]}]:
            raise ValueError("a div did not read as one div")
        blocks.append({"t": "Div", "c": [shell[0]["c"][0], _assemble(p[1], reader, numbered)]})
    return blocks


def read(text: str, reader: Reader) -> dict:
    """The document as pandoc's JSON AST, equal to reading the whole text at once."""
    parts = plan(text)
    leaves = _leaves(parts)
    if len(leaves) == 1:
        return _pandoc(reader, text)
    with _LOCK:  # formats rendered side by side share one reading
        missing = {reader.key(p): p for p in leaves if _stored(reader, reader.key(p)) is None}
        try:
            version = _fill(reader, missing) if missing else None
            blocks = _assemble(parts, reader, [0])
        except ValueError:
            return _pandoc(reader, text)
    if len(leaves) > 1 and not _reads_alone(leaves, blocks):
        return _pandoc(reader, text)
    return {"pandoc-api-version": version or _api_version(reader), "meta": {}, "blocks": blocks}


def _api_version(reader: Reader) -> list:
    key = f"api\0{reader.key('')}"
    if key not in _MEMO:
        _MEMO[key] = _pandoc(reader, "")["pandoc-api-version"]
    return _MEMO[key]
