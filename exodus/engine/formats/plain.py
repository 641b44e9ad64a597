"""The hooks of a format that adds nothing of its own to the metadata, the template or an output's key."""
from __future__ import annotations

from pathlib import Path


def metadata(opts: dict, meta: dict, citeproc: bool) -> dict:
    return meta


def variables(meta: dict, citeproc: bool) -> list[str]:
    return []


def key_inputs(proj) -> tuple[list[Path], list[str]]:
    """Nothing beyond what every format's output rests on."""
    return [], []
