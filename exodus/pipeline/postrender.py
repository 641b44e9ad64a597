"""Quarto's post-render entry: the link check over the rendered HTML, in the project's venv."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a file by Quarto's Python, not as a module

from prerender import hand_over  # noqa: E402


def main() -> int:
    return hand_over(["exodus.report.links"], "post-render")


if __name__ == "__main__":
    sys.exit(main())
