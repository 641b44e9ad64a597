"""Quarto's post-render entry: the files published beside the report, then the link check, in the venv."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a file by Quarto's Python, not as a module

from prerender import hand_over  # noqa: E402


def main() -> int:
    return hand_over(["exodus.pipeline", "--stages", "postrender"], "post-render")


if __name__ == "__main__":
    sys.exit(main())
