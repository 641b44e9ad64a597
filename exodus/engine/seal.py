"""Stored entries sealed with a key kept outside the project: an entry written or edited by anyone else reads as missing."""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sys
import threading
from pathlib import Path

KEY_FILE = "seal-key"  # in the user's cache folder: never under build/, never in the repository
_KEY: list[bytes] = []
_LOCK = threading.Lock()


def key_folder() -> Path:
    """Where the key lives: $XDG_CACHE_HOME/exodus-report, else ~/.cache/exodus-report."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "exodus-report"


def _key() -> bytes:
    """This user's key, made on first use (readable by the user only); a key that cannot be kept is this
    process's own, with one warning: the entries of earlier builds then all read as missing."""
    with _LOCK:
        if not _KEY:
            _KEY.append(_load_or_make())
        return _KEY[0]


def _load_or_make() -> bytes:
    path = Path("~/.cache/exodus-report") / KEY_FILE  # named in the warning when no home is known
    try:
        path = key_folder() / KEY_FILE
        if not path.is_symlink() and path.is_file():
            text = path.read_text(encoding="ascii").strip()
            if len(text) == 64 and all(c in "0123456789abcdef" for c in text):
                return bytes.fromhex(text)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        made = secrets.token_hex(32)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(made)
        os.replace(tmp, path)
        return bytes.fromhex(made)
    except (OSError, UnicodeDecodeError, RuntimeError) as e:  # RuntimeError: no home folder is known
        print(f"render: warning: the key that seals the build's caches cannot be kept in {path.parent} "
              f"({getattr(e, 'strerror', None) or e}); this build trusts no stored entry", file=sys.stderr)
        return secrets.token_bytes(32)


def seal(name: str, data: bytes) -> str:
    """The seal of an entry's bytes under its name (an entry moved to another name does not open)."""
    return hmac.new(_key(), name.encode("utf-8") + b"\0" + data, hashlib.sha256).hexdigest()


def opens(name: str, data: bytes, said) -> bool:
    """Whether `said` is the seal of these bytes under this name."""
    return isinstance(said, str) and hmac.compare_digest(said, seal(name, data))
