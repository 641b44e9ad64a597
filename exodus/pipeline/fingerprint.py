"""Content fingerprints: the files a glob names, their digests, and the project code a module rests on."""
from __future__ import annotations

import glob
from pathlib import Path

PACKAGE = "exodus"
# A file changed this close to when it was looked at could change again within the same
# file-system clock tick (at most 10 ms on Linux) and keep its mtime: such a file is hashed.
TICK_NS = 20_000_000
COARSE_TICK_NS = 2_000_000_000  # file systems that keep whole seconds (or two) only


def file_digest(path: Path) -> str:
    import hashlib  # late: a no-op build whose files are unchanged by their stat never hashes

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def stat_of(path: Path) -> list[int]:
    """Size, modification time and inode of a file: what an edit changes."""
    st = Path(path).stat()
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


def matching(root: Path, patterns) -> list[Path]:
    """Regular files under root that any pattern names, sorted; caches skipped."""
    found = set()
    for pattern in patterns:
        for name in glob.glob(str(root / pattern), recursive=True):
            p = Path(name)
            if p.is_file() and "__pycache__" not in p.parts:
                found.add(p)
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
    return sorted(set(seen.values()))


def code_digest(root: Path, modules) -> str:
    files = code_closure(root, modules)
    return fingerprint(files, root)[:32] if files else ""
