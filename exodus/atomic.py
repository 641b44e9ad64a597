"""Writing files so that a reader sees the old bytes or the new ones, never half of either."""
from __future__ import annotations

import os
from pathlib import Path


def write_bytes(path: Path, data: bytes) -> Path:
    """Write data to path by an atomic rename (creating the folder)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def write_text(path: Path, text: str) -> Path:
    """Write UTF-8 text (no BOM, LF as given) atomically."""
    return write_bytes(path, text.encode("utf-8"))
