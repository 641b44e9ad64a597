"""Quarto's verbatim copies of project files into _output/ (figures a PDF render copies), which no page loads."""
from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path

OUTPUT = "_output"


def copies(root: Path) -> list[Path]:
    """Regular files under _output/ that no stage declares and that repeat, byte for byte, the project
    file at the same path (as Quarto copies a document's images beside its output)."""
    from exodus.pipeline.stages import STAGES

    root, out = Path(root), Path(root) / OUTPUT
    declared = [o for s in STAGES for o in s.outputs if o.startswith(OUTPUT + "/")]
    found = []
    for path in sorted(out.rglob("*")) if out.is_dir() and not out.is_symlink() else []:
        rel = path.relative_to(root).as_posix()
        original = root / path.relative_to(out)
        if (path.is_symlink() or not path.is_file() or any(fnmatch(rel, d) for d in declared)
                or original.is_symlink() or not original.is_file()):
            continue
        if original.stat().st_size == path.stat().st_size and original.read_bytes() == path.read_bytes():
            found.append(path)
    return found


def remove(root: Path) -> list[str]:
    """Remove those copies (and the folders they leave empty); returns their paths under the root."""
    root, gone = Path(root), []
    for path in copies(root):
        path.unlink()
        gone.append(path.relative_to(root).as_posix())
        folder = path.parent
        while folder != root / OUTPUT and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    if gone:
        print(f"post-render: removed {len(gone)} file(s) Quarto copied into {OUTPUT}/ that no page loads "
              f"({', '.join(gone[:5])}{', ...' if len(gone) > 5 else ''})", flush=True)
    return gone
