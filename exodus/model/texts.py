"""A curation file that maps each name to one text (YAML), read and checked for that shape."""
from __future__ import annotations

from pathlib import Path

import yaml


def load(path: Path, noun: str) -> dict[str, str]:
    """The file's mapping; a ValueError naming the file when it is not one text per `noun`."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"{Path(path).name}: expected one text per {noun}")
    return data
