"""What a pipeline stage is handed: the root it works in, its code digest and what earlier stages left in memory."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class StageError(Exception):
    """A stage cannot produce its outputs; the message says where and why."""


@dataclass
class Context:
    """One run of the pipeline over one root (the real tree or a staging copy)."""

    root: Path
    memo: dict = field(default_factory=dict)
    code_digest: str = ""
    cache: Path | None = None
