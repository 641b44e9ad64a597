"""The fonts the PDF names, copied from the pinned packages into the project's font folder (typst's font-paths)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

FOLDER = "_fonts"  # _quarto.yml names it under the typst format's font-paths; the engine passes exactly it
HEADER = "assets/report-header.typ"
# Families typst carries inside its own binary (Quarto's typst too): named by the header, never copied.
TYPST_EMBEDDED = frozenset({"Libertinus Serif", "New Computer Modern", "New Computer Modern Math", "DejaVu Sans Mono"})


def bundled_folders() -> list[Path]:
    """Font folders that ship inside pinned packages, found without importing them.

    matplotlib: DejaVu Serif/Sans (Bitstream Vera licence, LICENSE_DEJAVU beside them);
    manimgx-fonts: Noto Sans, Hebrew, Symbols and Emoji (SIL OFL 1.1, in its dist-info).
    """
    from importlib.util import find_spec
    return [Path(find_spec("matplotlib").submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf",
            Path(find_spec("manimgx_fonts").submodule_search_locations[0])]


def named_families(header: str) -> list[str]:
    """Every family a `font: (...)` or `font: "..."` of the typst header names, in order, once each."""
    groups = re.findall(r'font:\s*(\([^)]*\)|"[^"]*")', header)
    return list(dict.fromkeys(n for g in groups for n in re.findall(r'"([^"]+)"', g)))


def files_for(families: list[str], folders: list[Path]) -> list[Path]:
    """The font files of the named families; a family neither bundled nor inside typst is an error naming it."""
    from fontTools.ttLib import TTFont

    found: dict[str, list[Path]] = {}
    for folder in folders:
        for f in sorted(folder.glob("*.ttf")):
            found.setdefault(TTFont(f, lazy=True)["name"].getBestFamilyName(), []).append(f)
    missing = [f for f in families if f not in found and f not in TYPST_EMBEDDED]
    if missing:
        raise ValueError(f"{HEADER}: font famil{'y' if len(missing) == 1 else 'ies'} {', '.join(map(repr, missing))} "
                         f"ship{'s' if len(missing) == 1 else ''} in no pinned package (looked in "
                         f"{', '.join(map(str, folders))}) nor inside typst")
    return [f for family in families for f in found.get(family, [])]


def safe_name(path: Path) -> str:
    """A file name with no glob characters ("NotoSans[wght].ttf" -> "NotoSans-wght.ttf")."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", path.stem).strip("-") + path.suffix


def copy_fonts(header: str, dest: Path) -> list[Path]:
    """Copy exactly the header's fonts into dest; returns the files written."""
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for src in files_for(named_families(header), bundled_folders()):
        target = dest / safe_name(src)
        shutil.copyfile(src, target)
        written.append(target)
    return written
