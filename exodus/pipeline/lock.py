"""A build lock that works on every OS: a second build started at once waits, then sees the first's result."""
from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt


def _acquire(fh) -> None:
    if fcntl is not None:
        fcntl.flock(fh, fcntl.LOCK_EX)
        return
    while True:
        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_LOCK, 1)
            return
        except OSError:  # LK_LOCK gives up after ten seconds; keep waiting
            time.sleep(0.1)


def _release(fh) -> None:
    if fcntl is not None:
        fcntl.flock(fh, fcntl.LOCK_UN)
    else:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)


@contextlib.contextmanager
def build_lock(folder: Path):
    """Hold the folder's lock for the duration of the block."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a+b") as fh:
        if os.fstat(fh.fileno()).st_size == 0:
            fh.write(b"\0")  # msvcrt locks a byte range: there must be a byte
            fh.flush()
        _acquire(fh)
        try:
            yield
        finally:
            _release(fh)
