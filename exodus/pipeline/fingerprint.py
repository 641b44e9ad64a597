"""Content fingerprints: the files a glob names, their digests, and the project code a module rests on."""
from __future__ import annotations

import os
import re
from pathlib import Path

PACKAGE = "exodus"
# A file changed this close to when it was looked at could change again within the same
# file-system clock tick (at most 10 ms on Linux) and keep its mtime: such a file is hashed.
TICK_NS = 20_000_000
COARSE_TICK_NS = 2_000_000_000  # file systems that keep whole seconds (or two) only


def file_digest(path: Path) -> str:
    """Digest of a file's bytes; of a symbolic link, of where it points (a link is never followed)."""
    import hashlib  # late: a no-op build whose files are unchanged by their stat never hashes

    path = Path(path)
    if path.is_symlink():
        return hashlib.sha256(b"link:" + os.fsencode(os.readlink(path))).hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stat_of(path: Path) -> list[int]:
    """Size, modification time and inode of a file (of a link itself, not what it names): what an edit changes."""
    st = Path(path).lstat()
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def stats(files: list[Path], root: Path) -> dict[str, list[int]]:
    """stat_of each file, by relative name."""
    return {str(p.relative_to(root)): stat_of(p) for p in files}


def settled(stat: list[int], at_ns: int) -> bool:
    """True when a file's recorded stat was taken clearly after its last change (not 'racily clean'):
    any later edit then gives it a new mtime, so an unchanged stat means unchanged bytes."""
    mtime = stat[1]
    tick = COARSE_TICK_NS if mtime % 1_000_000_000 == 0 else TICK_NS
    return mtime < at_ns - tick


def _segment(part: str) -> str:
    """Regex of one glob segment: '*' and '?' stay inside it, and a wildcard never matches a hidden name."""
    body = "".join("[^/]*" if c == "*" else "[^/]" if c == "?" else re.escape(c) for c in part)
    return ("(?!\\.)" if part[:1] in ("*", "?") else "") + body


def _regex(pattern: str) -> re.Pattern:
    """A glob with '**' (any number of folders, hidden ones excluded) as one regex over relative paths."""
    out = []
    for part in pattern.split("/"):
        out.append("(?:[^/.][^/]*/)*" if part == "**" else _segment(part) + "/")
    return re.compile("".join(out)[:-1] if not pattern.endswith("**") else "".join(out) + "[^/.][^/]*")


def _walk(top: Path, depth: int | None):
    """Every regular file and every link under top, never entering a linked folder (a link to a parent
    would make the walk endless); hidden folders and __pycache__ are skipped."""
    for here, folders, files in os.walk(top, followlinks=False):
        level = len(Path(here).relative_to(top).parts)
        for name in files:
            path = Path(here, name)
            if path.is_symlink() or path.is_file():  # not a FIFO or a socket: reading one would block
                yield path
        for name in folders:
            if os.path.islink(os.path.join(here, name)):
                yield Path(here, name)
        folders[:] = [] if depth is not None and level + 1 >= depth else [
            f for f in folders if not f.startswith(".") and f != "__pycache__" and not os.path.islink(os.path.join(here, f))]


def matching(root: Path, patterns) -> list[Path]:
    """Regular files and symbolic links (not followed) under root that any pattern names, sorted; caches skipped.

    A link is listed as itself, so that validation can refuse it by name; a linked folder is never walked."""
    found = set()
    for pattern in patterns:
        parts = pattern.split("/")
        fixed = next((i for i, part in enumerate(parts) if set(part) & set("*?[")), len(parts))
        top = Path(root, *parts[:fixed])
        linked = next((Path(root, *parts[:i]) for i in range(1, fixed + 1) if Path(root, *parts[:i]).is_symlink()), None)
        if linked is not None:  # data/ itself a link: listed for validation to refuse, never walked
            if parts[fixed:fixed + 1] == ["**"]:
                found.add(linked)
            continue
        if fixed == len(parts):
            if top.is_file():
                found.add(top)
            continue
        depth = None if "**" in parts[fixed:] else len(parts) - fixed
        regex = _regex(pattern)
        found.update(p for p in _walk(top, depth) if regex.fullmatch(p.relative_to(root).as_posix()))
    return sorted(found)


def fingerprint(files: list[Path], root: Path, extra: str = "") -> str:
    """One digest over the relative names and contents of files (and any extra text)."""
    import hashlib

    h = hashlib.sha256(extra.encode())
    for p in files:
        h.update(str(p.relative_to(root)).encode() + b"\0" + file_digest(p).encode() + b"\n")
    return h.hexdigest()


def _module_file(root: Path, module: str) -> Path | None:
    base = root / Path(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(path: Path) -> set[str]:
    """Project modules a file imports, at any depth of the file (late imports included)."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == PACKAGE}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == PACKAGE:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def code_closure(root: Path, modules) -> list[Path]:
    """Every project source file the modules import, transitively: their code digest cannot miss one."""
    seen: dict[str, Path] = {}
    todo = list(modules)
    while todo:
        module = todo.pop()
        path = _module_file(root, module)
        if path is None or module in seen:
            continue
        seen[module] = path
        todo += sorted(_imports(path) - set(seen))
    return sorted(set(seen.values()) | _data_beside(seen.values()))


def _data_beside(files) -> set[Path]:
    """Data files a module reads from beside itself (Path(__file__).with_name("hedges.csv")): its wording
    tables are code too, so a change to one changes the digest."""
    found = set()
    for path in files:
        for name in re.findall(r'with_name\("([A-Za-z0-9_.-]+)"\)', path.read_text(encoding="utf-8")):
            if (path.parent / name).is_file():
                found.add(path.parent / name)
    return found


def code_digest(root: Path, modules) -> str:
    files = code_closure(root, modules)
    return fingerprint(files, root)[:32] if files else ""
