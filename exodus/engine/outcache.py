"""Finished outputs kept under a digest of everything that makes them: an unchanged document is not written or compiled again."""
from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

from exodus.engine import seal

RECORD = 2  # the layout of an entry: a new layout must never reuse an old one


def digest(document: str, args: list[str], folders: list[Path], files: list[Path], extra: list[str]) -> str:
    """A key over the document text, the writer's arguments, the bytes of every file in `folders` (the
    resources a document may load: figures, assets, the bibliography) and of `files` (filters, the engine's
    own code), and `extra` (tool versions, font folders)."""
    h = hashlib.sha256(f"record {RECORD}\0".encode())
    for part in (document, *args, *extra):
        h.update(part.encode("utf-8") + b"\0")
    listed = sorted({p for folder in folders if folder.is_dir() for p in folder.rglob("*") if p.is_file()}
                    | {p for p in files if p.is_file()})
    for p in listed:
        h.update(str(p).encode("utf-8") + b"\0" + _file_digest(p))
    return h.hexdigest()


_DIGESTS: dict[tuple, bytes] = {}  # (path, size, mtime, inode) -> its bytes' digest, during one render


def one_render() -> None:
    """Forget every file digest: a render starts from the files as they are (nothing writes them during it)."""
    _DIGESTS.clear()


def _file_digest(p: Path) -> bytes:
    """A file's SHA-256, read once per render: every page's key names the engine's code and the same
    figures, and a render of 500 pages hashed them 500 times."""
    st = p.stat()
    stat = (str(p), st.st_size, st.st_mtime_ns, st.st_ino)
    if stat not in _DIGESTS:
        _DIGESTS[stat] = hashlib.sha256(p.read_bytes()).digest()
    return _DIGESTS[stat]


SEAL = ".seal"  # in each entry: its files' seal under this user's key (exodus/engine/seal.py)


def _contents(names: list[str], data: list[bytes]) -> bytes:
    """What an entry's seal covers: each file's name and the digest of its bytes, in the order of the names."""
    return b"".join(n.encode("utf-8") + b"\0" + hashlib.sha256(d).digest() for n, d in sorted(zip(names, data)))


def fetch(cache: Path | None, key: str, names: list[str], dest: Path) -> bool:
    """Copy a stored entry's files into dest/ (and mark the entry used); False when any is missing or not
    of the shape store() writes (a folder of regular files, never links; a PDF that starts as one), or when
    the entry is not sealed by this user's key: a finished page goes to the reader as it is."""
    entry = cache / key if cache else None
    if entry is None or entry.is_symlink() or not entry.is_dir() or not all(_sound(entry / n) for n in [*names, SEAL]):
        return False
    data = [(entry / n).read_bytes() for n in names]
    if not seal.opens(key, _contents(names, data), (entry / SEAL).read_text(encoding="utf-8", errors="replace")):
        return False
    for n, d in zip(names, data):
        (dest / n).write_bytes(d)
    try:
        os.utime(entry)  # the build's prune removes entries no build has used for a while
    except OSError:
        pass  # a cache that cannot be written: the entry is still good to use
    return True


# How each kind of output starts: an entry whose file does not is not used.
MAGIC = {".pdf": (b"%PDF-",), ".docx": (b"PK\x03\x04",), ".html": (b"<!DOCTYPE html", b"<html")}


def _sound(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    starts = MAGIC.get(path.suffix)
    if starts:
        with path.open("rb") as fh:
            return fh.read(16).startswith(starts)
    return True


def listed(cache: Path | None, key: str) -> list[str]:
    """The names of a stored entry's files (none when there is no such entry)."""
    entry = cache / key if cache else None
    if entry is None or entry.is_symlink() or not entry.is_dir():
        return []
    return sorted(p.name for p in entry.iterdir() if p.name != SEAL)


def store(cache: Path | None, key: str, files: list[Path]) -> None:
    """Keep files under the key, the entry appearing whole or not at all (a concurrent build may race)."""
    if cache is None:
        return
    try:
        cache.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".entry-", dir=cache))
        data = [f.read_bytes() for f in files]
        for f, d in zip(files, data):
            (tmp / f.name).write_bytes(d)
        (tmp / SEAL).write_text(seal.seal(key, _contents([f.name for f in files], data)), encoding="utf-8")
    except OSError as e:
        print(f"render: warning: the output cache {cache} cannot be written ({e.strerror or e}); not kept",
              file=sys.stderr)
        return
    try:
        os.rename(tmp, cache / key)
    except OSError:  # stored already by another build: theirs has the same bytes
        shutil.rmtree(tmp, ignore_errors=True)
