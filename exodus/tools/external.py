"""External programs the tools and the tests use, each found on PATH under the names it ships as."""
from __future__ import annotations

import shutil

# Debian ships chromium, Ubuntu's snap chromium-browser, Google's build google-chrome.
NAMES = {"chromium": ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")}


def find(tool: str) -> str | None:
    """Path of a program on PATH under any of its names, or None."""
    return next((p for p in map(shutil.which, NAMES.get(tool, (tool,))) if p), None)
