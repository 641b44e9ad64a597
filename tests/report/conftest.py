"""Fixtures shared by the reader tests: headless Chromium driven through Playwright."""
from __future__ import annotations

import pytest

from tests.render_kit import CHROMIUM_ARGS, require, require_module


@pytest.fixture(scope="module")
def browser():
    chromium = require("chromium")
    sync_api = require_module("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()
