"""Quarto's pre-render entry: run by whatever Python Quarto finds, it hands over to the project's venv.

Quarto runs a `.py` entry with QUARTO_PYTHON, else `python3` on PATH, never inside `.venv`; so this
file uses the standard library only and starts the pipeline with the virtual environment's Python.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CODE_ROOT = Path(__file__).resolve().parents[2]


def venv_python(root: Path) -> Path | None:
    """The project's own interpreter (POSIX or Windows layout), if `make setup` has made it."""
    for candidate in (root / ".venv" / "bin" / "python", root / ".venv" / "Scripts" / "python.exe"):
        if candidate.is_file():
            return candidate
    return None


def hand_over(module_args: list[str], what: str) -> int:
    """Run `python -m <module_args>` in the project's virtual environment on the project Quarto renders.

    Quarto starts scripts in the project folder; the environment is looked for there, then beside
    the code (a project whose exodus/ is linked from a checkout uses that checkout's environment).
    """
    root = Path.cwd()
    python = venv_python(root) or venv_python(CODE_ROOT)
    if python is None:
        print(f"{what}: no virtual environment at {root / '.venv'}; run `make setup` once, then render again",
              file=sys.stderr)
        return 1
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONHOME", "PYTHONPATH")}
    env["EXODUS_ROOT"] = str(root)
    return subprocess.call([str(python), "-m", *module_args], cwd=root, env=env)


def main() -> int:
    return hand_over(["exodus.pipeline", "prerender"], "pre-render")


if __name__ == "__main__":
    sys.exit(main())
