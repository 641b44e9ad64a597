"""The expanded document read by pandoc once for every format, in top-level chunks cached by their text."""
from __future__ import annotations

import concurrent.futures
import hashlib
import json
import os
import re
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from exodus.engine import seal

# A chunk ends where the next top-level block is a fenced div or a heading: nothing before that line
# can continue into it, so pandoc reads the two halves exactly as it reads the whole.
SPLIT_BEFORE = re.compile(r"^(?::{3,}\s*\S|#{1,6}(?:\s|$))")
CODE_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
DIV_OPEN = re.compile(r"^ {0,3}:{3,}\s*\S")
DIV_CLOSE = re.compile(r"^ {0,3}:{3,}\s*$")
# Raw HTML block elements that may hold blank lines (void elements close themselves and are left out).
HTML_BLOCKS = ("address|article|aside|blockquote|body|canvas|center|details|dialog|dir|div|dl|fieldset|figure|"
               "footer|form|header|hgroup|html|iframe|main|map|menu|nav|noscript|object|ol|pre|script|section|"
               "style|table|textarea|ul|video")
HTML_OPEN = re.compile(rf"<(?:{HTML_BLOCKS})\b", re.I)
HTML_CLOSE = re.compile(rf"</(?:{HTML_BLOCKS})\s*>", re.I)
HTML_START = re.compile(rf"^ {{0,3}}<(?:{HTML_BLOCKS})\b", re.I)
# Constructs that reach across the document: reading a part alone would read them differently.
# (Notes share one counter with citations.)
GLOBAL = re.compile(r"^ {0,3}\[[^\]\n]+\]:|^\s*\(@[\w-]*\)\s|\^\[", re.M)
# [text] with no target after it: pandoc may read it as a link to the heading of that text.
BARE_BRACKETS = re.compile(r"(?<![!\]\\])\[([^\[\]\n]+)\](?![(\[{:])")
MARK = "exodus-engine-chunk-boundary"
SEPARATOR = f"<!--{MARK}-->"
CONTENT = f"<!--{MARK}-content-->"  # where a div's own chunks go
SHELL_CONTENT = json.dumps({"t": "RawBlock", "c": ["html", CONTENT]}, separators=(",", ":"))
# Outside JSON strings only: a quote inside a string is always escaped.
CITE_NUMBER = re.compile(r'"citationNoteNum":(\d+)')
READ_ARGS = ("--from", "markdown", "--to", "json")
WHOLE_OPENING = re.compile(r'\{"pandoc-api-version":(\[[0-9,]+\]),"meta":\{\},"blocks":\[')  # no metadata
# pandoc's reading grows faster than its text (a 325 kB page costs 6 times a 80 kB one): no pandoc run
# reads more than about this many characters, so a page of any size reads in linear time.
RUN_CHARS = 64_000
# A new page up to this long is read whole, once: up to here one whole reading still costs less than its chunks
# and their proof (a 75 kB evidence page: 0.46 CPU-s whole, 1.09 in chunks).
WHOLE_CHARS = 2 * RUN_CHARS
BATCHES = 2  # one run per core: chunks read at a steady rate per character, so equal lengths finish together
RECORD = 2  # the layout of a stored reading: a new layout must never read an old file
_LOCK_VERSION = threading.Lock()  # guards the tables of locks below and the version memo
_READING: dict[str, threading.Lock] = {}  # one lock per text being read: its formats share one reading
_PROVING: dict[str, threading.Lock] = {}  # one lock per plan being proved
_VERSIONS: dict[tuple, str] = {}  # (path, size, mtime, inode) of a pandoc binary -> its first --version line
_MEMO: dict[str, dict] = {}
_UNWRITABLE: set[str] = set()  # cache folders already warned about


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
        payload = f"{RECORD}\0{pandoc_identity(self.pandoc)}\0{ext}\0{chunk}"
        return hashlib.sha256(payload.encode()).hexdigest()


def pandoc_identity(pandoc: str) -> str:
    """The binary and the version it reports: a new pandoc, even one with the old path, size and date,
    never reuses a reading made by another (its JSON may differ)."""
    st = os.stat(pandoc)
    stat = (pandoc, st.st_size, st.st_mtime_ns, st.st_ino)  # an installed file is a new inode
    with _LOCK_VERSION:
        if stat not in _VERSIONS:
            done = subprocess.run([pandoc, "--version"], capture_output=True, text=True, timeout=60)
            _VERSIONS[stat] = (done.stdout.splitlines() or [""])[0]
    return f"{pandoc}\0{st.st_size}\0{st.st_mtime_ns}\0{_VERSIONS[stat]}"


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
    top-level div; never inside a code fence, div, raw HTML or LaTeX block, comment or YAML block."""
    out, current = [], []
    fence, divs, html, tex, comment, yaml, previous, closed = "", 0, 0, 0, False, False, "", False
    for line in lines:
        free = not (fence or divs or html or tex or comment or yaml)
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
            opened = html or HTML_START.match(line)
            html = max(html + len(HTML_OPEN.findall(line)) - len(HTML_CLOSE.findall(line)), 0) if opened else 0
            tex = max(tex + line.count("\\begin{") - line.count("\\end{"), 0)
            # A '---' after a blank line may open a YAML block (or be a rule): held until '---' or '...'.
            yaml = (line.rstrip() not in ("---", "...")) if yaml else (line.rstrip() == "---" and not previous.strip())
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


def _pandoc(reader: Reader, text: str, *extra: str) -> str:
    """Pandoc's reading of a text (with `extra` reader arguments, such as a metadata file), as JSON text."""
    args = [reader.pandoc, *READ_ARGS, *extra]
    if reader.image_extension:
        args.append(f"--default-image-extension={reader.image_extension}")
    done = subprocess.run(args, input=text, capture_output=True, text=True, encoding="utf-8")
    problems = [m for m in done.stderr.splitlines() if m.strip()]
    if done.returncode != 0 or problems:
        raise ParseError("\n  ".join(problems or [f"pandoc exit {done.returncode}"]))
    return done.stdout


def _is_separator(block: dict) -> bool:
    return block.get("t") == "RawBlock" and block["c"] == ["html", SEPARATOR]


def _read_batch(reader: Reader, batch: list[str]) -> tuple[list[list], list]:
    """Blocks of each chunk, read in one pandoc call with a marker between chunks; and the API version."""
    doc = json.loads(_pandoc(reader, f"\n\n{SEPARATOR}\n\n".join(batch)))
    parts: list[list] = [[]]
    for block in doc["blocks"]:
        if _is_separator(block):
            parts.append([])
        else:
            parts[-1].append(block)
    if len(parts) != len(batch) or doc.get("meta"):
        raise ValueError("chunks did not read apart")
    return parts, doc["pandoc-api-version"]


def _walk(node, kind: str, found: list) -> list:
    """Every element of one type under a node, in document order."""
    if isinstance(node, dict):
        if node.get("t") == kind:
            found.append(node)
        for v in node.values():
            _walk(v, kind, found)
    elif isinstance(node, list):
        for v in node:
            _walk(v, kind, found)
    return found


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


def record(blocks: list, api: list) -> dict:
    """What is kept of a chunk's reading: its blocks as JSON text with citations numbered from 1, as if it
    stood alone (pandoc numbers them through the document), the highest number, and its headings."""
    text = json.dumps(blocks, ensure_ascii=False, separators=(",", ":"))
    # Numbered in the JSON text, as _assemble numbers them on: walking every inline for citations cost more
    # than pandoc's reading of a page.
    numbers = [int(n) for n in CITE_NUMBER.findall(text)]
    by = min(numbers, default=1) - 1
    if by:
        text = CITE_NUMBER.sub(lambda m: f'"citationNoteNum":{int(m.group(1)) - by}', text)
    heads = [[h["c"][1][0], _plain(h["c"][2])] for h in _walk(blocks, "Header", [])] if '"t":"Header"' in text else []
    return {"blocks": text, "api": api, "cites": max(numbers, default=by) - by, "heads": heads}


def _texts(node, found: list) -> list:
    """Every text of a reading that reaches the page as markup or a link, with its kind: raw blocks and
    inlines, link and image targets, attribute names (a value is escaped on the page, a name is not)."""
    if isinstance(node, dict):
        kind, c = node.get("t"), node.get("c")
        if kind in ("RawBlock", "RawInline") and isinstance(c, list) and len(c) == 2:
            found.append(("raw", c[1]))
        elif kind in ("Link", "Image") and isinstance(c, list) and len(c) == 3 and isinstance(c[2], list) and c[2]:
            found.append((kind, c[2][0]))
        if isinstance(c, list) and c and _is_attr(c[0]):
            found.extend(("name", pair[0] if isinstance(pair, list) and pair else pair) for pair in c[0][2])
        for v in node.values():
            _texts(v, found)
    elif isinstance(node, list):
        for v in node:
            _texts(v, found)
    return found


def _is_attr(x) -> bool:
    return isinstance(x, list) and len(x) == 3 and isinstance(x[0], str) and isinstance(x[1], list) and isinstance(x[2], list)


def _written(kind: str, value, text: str, image_extension: str) -> bool:
    """The value is written in the chunk's text (an image path may lack the default extension there)."""
    if not isinstance(value, str):
        return False
    if value in text:
        return True
    stem, ext = os.path.splitext(value)
    return kind == "Image" and bool(image_extension) and ext.lstrip(".") == image_extension.lstrip(".") and stem in text


def plausible(rec, text: str, image_extension: str = "") -> bool:
    """A stored reading has the shape record() writes, and every raw markup, link target and attribute name
    it holds is written in the chunk's own text: a reading edited under build/ cannot put a script on the page."""
    if not (isinstance(rec, dict) and isinstance(rec.get("blocks"), str) and isinstance(rec.get("api"), list)
            and all(isinstance(n, int) for n in rec["api"]) and type(rec.get("cites")) is int
            and isinstance(rec.get("heads"), list)
            and all(isinstance(h, list) and len(h) == 2 and all(isinstance(x, str) for x in h) for h in rec["heads"])):
        return False
    try:
        blocks = json.loads(rec["blocks"])
    except ValueError:
        return False
    return isinstance(blocks, list) and all(_written(kind, value, text, image_extension)
                                            for kind, value in _texts(blocks, []))


def _sealed_bytes(rec: dict) -> bytes:
    """What a stored reading's seal covers: every field but the seal."""
    return json.dumps({k: v for k, v in rec.items() if k != "seal"}, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _stored(reader: Reader, key: str, text: str | None = None) -> dict | None:
    """A chunk's stored reading (checked against the chunk's text when given); a file that is unreadable,
    not sealed by this user's key under this name (seal.py), or not a plausible reading of that text counts
    as missing."""
    if key not in _MEMO and reader.cache and text is not None:
        path = reader.cache / f"{key}.json"
        try:
            rec = None if path.is_symlink() else json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if isinstance(rec, dict) and seal.opens(key, _sealed_bytes(rec), rec.get("seal")) \
                and plausible(rec, text, reader.image_extension):
            _MEMO[key] = rec
    return _MEMO.get(key)


def _store(reader: Reader, key: str, rec: dict) -> None:
    """Keep a reading in memory and, when the cache folder can be written, on disk, sealed (else one warning)."""
    _MEMO[key] = rec
    if reader.cache and str(reader.cache) not in _UNWRITABLE:
        tmp = reader.cache / f".{key}.{os.getpid()}.{threading.get_ident()}"
        try:
            reader.cache.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps({**rec, "seal": seal.seal(key, _sealed_bytes(rec))}, ensure_ascii=False),
                           encoding="utf-8")
            os.replace(tmp, reader.cache / f"{key}.json")
        except OSError as e:
            _UNWRITABLE.add(str(reader.cache))
            print(f"render: warning: the reading cache {reader.cache} cannot be written ({e.strerror or e}); "
                  "reading without it", file=sys.stderr)


def _touch(reader: Reader, keys: set[str]) -> None:
    """Mark stored readings as used now: whoever prunes the cache removes only what no build used lately."""
    for k in keys if reader.cache else ():
        try:
            os.utime(reader.cache / f"{k}.json")
        except OSError:
            pass  # kept in memory only, or removed meanwhile: nothing to mark


def batches(keys: list[str], sizes: dict[str, int], n: int) -> list[list[str]]:
    """Keys cut, in order, into at most n runs of about equal total size (each cut where the running
    total comes closest to its share)."""
    total, out, run, length = sum(sizes.values()), [], [], 0
    for k in keys:
        share = total * (len(out) + 1) / n
        if run and len(out) < n - 1 and share - length < length + sizes[k] - share:
            out.append(run)  # the share is nearer before this key than after it
            run = []
        run.append(k)
        length += sizes[k]
    return [r for r in out + [run] if r]


def runs_of(keys: list, sizes: dict) -> list[list]:
    """Keys cut, in order, into runs of about equal length: at least BATCHES (one per core), and as many more
    as keep each near RUN_CHARS characters."""
    return batches(keys, sizes, max(BATCHES, -(-sum(sizes.values()) // RUN_CHARS)))


def _fill(reader: Reader, missing: dict[str, str]) -> None:
    """Read every missing chunk, in runs of about equal length, BATCHES side by side."""
    runs = runs_of(list(missing), {k: len(t) for k, t in missing.items()})
    with concurrent.futures.ThreadPoolExecutor(max_workers=BATCHES) as pool:
        results = list(pool.map(lambda ks: _read_batch(reader, [missing[k] for k in ks]), runs))
    for ks, (parts, api) in zip(runs, results):
        for k, blocks in zip(ks, parts):
            _store(reader, k, record(blocks, api))


def _reads_alone(texts: list[str], recs: list[dict]) -> bool:
    """False when reading the chunks apart could differ from reading them together: a heading id made
    unique only across chunks, or a heading named by an implicit reference from another chunk."""
    heads = [h for rec in recs for h in rec["heads"]]
    ids = [h for h, _ in heads if h]
    if len(ids) != len(set(ids)):
        return False
    names = {" ".join(name.split()).lower() for _, name in heads if name}
    return not any(_reference_name(m.group(1)) in names for part in texts for m in BARE_BRACKETS.finditer(part))


def _reference_name(text: str) -> str:
    """Bracketed text as pandoc compares it with heading names: escapes undone, spaces collapsed, lower case."""
    return " ".join(re.sub(r"\\(.)", r"\1", text).split()).lower()


def _shell(p: tuple) -> str:
    return f"{p[0]}\n\n{CONTENT}\n\n{p[2]}"


def _leaves(parts: list) -> list[str]:
    """Every text the plan reads: its chunks, and each split div's fences around a placeholder."""
    out = []
    for p in parts:
        out += [p] if isinstance(p, str) else [_shell(p), *_leaves(p[1])]
    return out


def _assemble(parts: list, recs: dict[str, dict], numbered: list[int]) -> list[str]:
    """The JSON text of each block of a plan, joined from the stored leaves, citations numbered on from
    numbered[0] as one reading of the whole would number them."""
    out = []
    for p in parts:
        if isinstance(p, str):
            rec, by = recs[p], numbered[0]
            text = rec["blocks"][1:-1]
            if rec["cites"] and by:
                text = CITE_NUMBER.sub(lambda m, by=by: f'"citationNoteNum":{int(m.group(1)) + by}', text)
            numbered[0] += rec["cites"]
            out += [text] if text else []
            continue
        shell = recs[_shell(p)]["blocks"]
        if not (shell.startswith('[{"t":"Div","c":[') and shell.endswith(f",[{SHELL_CONTENT}]]}}]")):
            raise ValueError("a div did not read as one div")
        inner = ",".join(_assemble(p[1], recs, numbered))
        out.append(f"{shell[1:-len(SHELL_CONTENT) - 4]}{inner}]]}}")
    return out


def _shown(parts: list, blocks: list[str], recs: dict[str, dict], fmt: str) -> list[str]:
    """The top-level blocks a format shows: a conditional div it does not show is left out, decided from the
    div's attributes alone (a split div's text is never decoded; a chunk's only when it starts with a div)."""
    from exodus.engine import conditional

    out, head = [], '{"t":"Div","c":['
    # _assemble leaves out chunks that read as nothing: pair each text with the part it came from.
    made = [p for p in parts if not isinstance(p, str) or recs[p]["blocks"][1:-1]]
    if len(made) != len(blocks):
        raise ValueError("the assembled blocks do not match the plan")
    for part, text in zip(made, blocks):
        if not text.startswith(head):
            out.append(text)
        elif not isinstance(part, str):
            attr, _ = json.JSONDecoder().raw_decode(text, len(head))
            out += [] if conditional.drops(attr, fmt) else [text]
        else:  # a chunk: a div and the blocks up to the next div or heading
            read_ = json.loads(f"[{text}]")
            kept = [b for b in read_ if not conditional.dropped(b, fmt)]
            out += [text] if len(kept) == len(read_) else [json.dumps(b, ensure_ascii=False, separators=(",", ":"))
                                                            for b in kept]
    return out


def read(text: str, reader: Reader, stats: dict | None = None, verify: bool = False, fmt: str = "",
         page: str = "") -> str:
    """The document as pandoc's JSON AST (JSON text), equal to reading the whole text at once, without the
    top-level conditional divs format `fmt` does not show (when given); `stats` (if given) receives how
    many chunks there were and how many pandoc had to read.
    verify: prove it, for a plan of chunks not proved before, by reading the whole text too.
    page: the document's path, when it is a page of a project (see first_reading)."""
    from exodus.engine import conditional

    parts = plan(text)
    leaves = _leaves(parts)
    stats = {} if stats is None else stats
    stats.update(chunks=len(leaves), read=len(leaves))
    whole = (lambda doc: conditional.prune(doc, fmt)) if fmt else (lambda doc: doc)
    if len(leaves) == 1:
        return whole(_pandoc(reader, text))
    with _lock(_READING, hashlib.sha256(text.encode("utf-8")).hexdigest()):
        short_page = bool(page and reader.cache and len(text) <= WHOLE_CHARS)
        first = first_reading(text, reader, page, stats) if short_page else None
        if first is not None:
            return whole(first)
        keys = {leaf: reader.key(leaf) for leaf in leaves}
        missing = {keys[leaf]: leaf for leaf in leaves if _stored(reader, keys[leaf], leaf) is None}
        stats["read"] = len(missing)
        # A short page's first edit: no chunk of it is stored, and the whole reading that proves them is read
        # beside them (up to WHOLE_CHARS it costs about what the chunks cost, and the proof need not wait).
        beside = verify and short_page and len(missing) == len(leaves)
        whole_read = None
        try:
            if beside:
                whole_read = _fill_beside_whole(reader, missing, text)
            elif missing:
                _fill(reader, missing)
            recs = {leaf: _stored(reader, k) for leaf, k in keys.items()}
            _touch(reader, set(keys.values()) - set(missing))
            blocks = _assemble(parts, recs, [0])
        except ValueError:
            stats.update(chunks=1, read=1)
            return whole(whole_read or _pandoc(reader, text))
    if not _reads_alone(leaves, list(recs.values())):
        stats.update(chunks=1, read=1)
        return whole(whole_read or _pandoc(reader, text))
    api = next(iter(recs.values()))["api"]
    doc = _document(api, f"[{','.join(blocks)}]")
    checked = proved(text, doc, reader, [keys[leaf] for leaf in leaves], stats, parts, recs, whole_read) if verify else doc
    if checked is not doc:
        return whole(checked)  # the plan read differently whole: the whole reading it is
    try:
        shown = _shown(parts, blocks, recs, fmt) if fmt else blocks
    except ValueError:
        return whole(doc)
    return _document(api, f"[{','.join(shown)}]") if shown is not blocks else doc


def _document(api: list, blocks: str) -> str:
    """A reading's JSON text from its API version and its blocks' JSON text, spaced as conditional.prune
    writes a document (the output's key is the same whichever way a reading was made)."""
    return f'{{"pandoc-api-version":{json.dumps(api, separators=(",", ":"))},"meta":{{}},"blocks":{blocks}}}'


def first_reading(text: str, reader: Reader, page: str, stats: dict) -> str | None:
    """The reading of a page no longer than WHOLE_CHARS, read whole in one pandoc process and kept by its text,
    until the page is first edited; None once it has been (it is then read in chunks, so that each later edit
    reads only what it changed). Chunks and their proof read a new page twice, and most pages of a build are
    never edited: a new 57 kB evidence page read whole took 0.39 s, in chunks with their proof 0.73 s."""
    key = reader.key(f"{MARK}-whole\0{text}")  # never a chunk's key: no chunk holds the engine's mark
    rec = _stored(reader, key, text)
    if rec is not None:
        _touch(reader, {key})
        stats.update(chunks=1, read=0)
        return _document(rec["api"], rec["blocks"])
    mark = reader.cache / f"{hashlib.sha256(chr(0).join(['page', page]).encode()).hexdigest()}.json"
    if mark.is_file():
        _touch_path(mark)
        return None
    doc = _pandoc(reader, text)
    _write_mark(mark, "page read before")
    stats.update(chunks=1, read=1)
    # Kept as pandoc wrote it, never decoded here (a page's reading is half a megabyte of JSON): the blocks
    # after pandoc's fixed opening. A page whose text sets metadata is read whole each time.
    opening = WHOLE_OPENING.match(doc)
    if opening is None:
        return doc
    blocks = doc[opening.end() - 1:].rstrip()[:-1]
    rec = {"blocks": blocks, "api": json.loads(opening.group(1)), "heads": [],  # no chunk: never joined to others
           "cites": max(map(int, CITE_NUMBER.findall(blocks)), default=0)}
    _store(reader, key, rec)
    return _document(rec["api"], rec["blocks"])  # as a stored reading gives it: the output's key stays


def proved(text: str, doc: str, reader: Reader, keys: list[str], stats: dict, parts: list, recs: dict,
           whole_read: str | None = None) -> str:
    """The chunked reading, once shown equal to pandoc's: for a plan proved before, at once; else each
    top-level part not yet proved between its two neighbours is read with them as one text (a changed part
    costs a reading of three parts, not of the whole document). Where a window or the whole reads
    differently, the whole reading, with a warning: a cut point split a construct."""
    plan_key = hashlib.sha256(chr(0).join(["plan", *keys]).encode()).hexdigest()
    mark = reader.cache / f"{plan_key}.json" if reader.cache else None
    with _lock(_PROVING, plan_key):  # formats that share a plan (HTML and Word) prove it once
        if mark is not None and mark.is_file():
            _touch_path(mark)
            stats["verified"] = "before"
            return doc
        if whole_read is None and reader.cache and _windows_agree(text, parts, recs, reader, stats):
            _write_mark(mark)
            return doc
        proof = _prove(text, doc, reader, mark, stats, whole_read)
        if proof is doc and reader.cache:  # the whole reads as its parts: so does every joint between them
            for joint in _joint_marks(parts, reader):
                _write_mark(joint)
        return proof


def _lock(table: dict[str, threading.Lock], key: str) -> threading.Lock:
    """The one lock of `key` in `table`: documents are read side by side, each of them once."""
    with _LOCK_VERSION:
        return table.setdefault(key, threading.Lock())


def _part_text(p) -> str:
    return p if isinstance(p, str) else "\n".join([p[0], *map(_part_text, p[1]), p[2]])


def _part_key(reader: Reader, p) -> str:
    return reader.key(p) if isinstance(p, str) else hashlib.sha256("\0".join(reader.key(x) for x in _leaves([p])).encode()).hexdigest()


def _windows(unproved: list[int], n: int) -> list[tuple[int, int]]:
    """The parts on either side of each unproved joint (joint j lies before part j; joint n after the last),
    overlapping or touching windows merged: [(start, stop), ...]."""
    out: list[list[int]] = []
    for j in unproved:
        lo, hi = max(j - 1, 0), min(j + 1, n)
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]


def _bounded(windows: list[tuple[int, int]], sizes: list[int], most: int | None = None) -> list[tuple[int, int]]:
    """Windows longer than `most` characters (RUN_CHARS) cut into windows of at least two parts that overlap by one part,
    so every joint inside a long window is still inside one of its pieces (a new page is one long window)."""
    out, most = [], most or RUN_CHARS
    for lo, hi in windows:
        while hi - lo > 2 and sum(sizes[lo:hi]) > most:
            stop, length = lo + 2, sizes[lo] + sizes[lo + 1]
            while stop < hi and length + sizes[stop] <= most:
                length += sizes[stop]
                stop += 1
            out.append((lo, stop))
            lo = stop - 1
        out.append((lo, hi))
    return out


def _windows_agree(text: str, parts: list, recs: dict, reader: Reader, stats: dict) -> bool:
    """Every joint between top-level parts (and before the first and after the last) that no reading has
    proved: the parts on both sides read as one text the same as apart. A proved joint is kept under the
    keys of its two parts, so an edit re-proves only the joints of the parts it changed."""
    if "\n".join(map(_part_text, parts)) != text:
        return False  # the plan does not cut this text into these parts: the whole must prove it
    marks = _joint_marks(parts, reader)
    unproved = [j for j, m in enumerate(marks) if not m.is_file()]
    windows = _bounded(_windows(unproved, len(parts)), [len(_part_text(p)) + 1 for p in parts])
    read_ = _read_windows(reader, windows, ["\n".join(map(_part_text, parts[lo:hi])) for lo, hi in windows])
    for (lo, hi), blocks in zip(windows, read_):
        if blocks != json.loads(f"[{','.join(_assemble(parts[lo:hi], recs, [0]))}]"):
            return False
    for j in unproved:
        _write_mark(marks[j])
    stats["verified"] = f"now, {len(unproved)} of {len(marks)} joints read across"
    return True


def _joint_marks(parts: list, reader: Reader) -> list[Path]:
    """The mark of each joint between top-level parts, and before the first and after the last: kept under
    the keys of the two parts it joins."""
    keys = ["", *(_part_key(reader, p) for p in parts), ""]
    return [reader.cache / f"{hashlib.sha256(chr(0).join(['joint', a, b]).encode()).hexdigest()}.json"
            for a, b in zip(keys, keys[1:])]


def _fill_beside_whole(reader: Reader, missing: dict[str, str], text: str) -> str:
    """Read the missing chunks and, side by side with them, the whole text; returns the whole reading."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        whole = pool.submit(_pandoc, reader, text)
        _fill(reader, missing)
        return whole.result()


def _read_windows(reader: Reader, windows: list[tuple[int, int]], texts: list[str]) -> list[list]:
    """Each window's blocks. Windows are read several to a pandoc run (a process per window cost more than
    the reading), in order, up to RUN_CHARS a run and never two that share a part in one run (its heading
    would read twice); BATCHES runs side by side. A run that does not read apart is read a window at a time."""
    def run(ids: list[int]) -> list[list]:
        try:
            read_ = _read_batch(reader, [texts[i] for i in ids])[0]
            for blocks in read_:
                _cited_from_one(blocks)
            return read_
        except ValueError:
            return [json.loads(_pandoc(reader, texts[i]))["blocks"] for i in ids]

    runs: list[list[int]] = []
    for i, (lo, _) in enumerate(windows):
        if not runs or lo < windows[i - 1][1] or sum(len(texts[k]) for k in runs[-1]) + len(texts[i]) > RUN_CHARS:
            runs.append([])
        runs[-1].append(i)
    with concurrent.futures.ThreadPoolExecutor(max_workers=BATCHES) as pool:
        return [blocks for done in pool.map(run, runs) for blocks in done]


def _cited_from_one(blocks: list) -> list[dict]:
    """Number the citations of blocks read in a run (a chunk, a window) from 1 in place, as reading them
    alone numbers them (a run numbers them on; no chunk or window holds a note: plan() never cuts around
    one); returns the citations."""
    cites = [c for cite in _walk(blocks, "Cite", []) for c in cite["c"][0]]
    first = min((c["citationNoteNum"] for c in cites), default=1)
    for c in cites:
        c["citationNoteNum"] -= first - 1
    return cites


def _prove(text: str, doc: str, reader: Reader, mark: Path | None, stats: dict, whole: str | None = None) -> str:
    whole = _pandoc(reader, text) if whole is None else whole
    if json.loads(whole)["blocks"] == json.loads(doc)["blocks"]:
        stats["verified"] = "now"
        if mark is not None:
            _write_mark(mark)
        return doc
    stats["verified"] = "differed"
    print("render: the chunked reading differed from pandoc's reading of the whole document; the whole "
          "reading is used (a chunk boundary split a construct: please report it with report.qmd)", file=sys.stderr)
    return whole


def _touch_path(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:
        pass  # a read-only cache still serves


def _write_mark(path: Path, said: str = "plan proved equal to a whole reading") -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({said: True}), encoding="utf-8")
    except OSError:
        pass  # unproved next time: it is read whole again, never wrongly trusted
