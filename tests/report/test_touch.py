"""The figure popup on a touch screen: a tap shows it (with a citation to copy), a second tap follows."""
from __future__ import annotations

import pytest

from tests.render_kit import CHROMIUM_ARGS, make_project, require, require_module, run_render


@pytest.fixture(scope="module")
def html(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("touch"))
    done = run_render(root, "--html-only")
    assert done.returncode == 0, done.stderr[-3000:]
    return root / "_output" / "report.html"


@pytest.fixture(scope="module")
def phone(html):
    chromium = require("chromium")
    sync_api = require_module("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True,
                                      device_scale_factor=2)
        page = context.new_page()
        page.goto(html.as_uri())
        yield page
        browser.close()


def _tip(page, link):
    return page.locator("#" + link.get_attribute("aria-describedby"))


def test_first_tap_shows_popup_second_tap_follows_link(phone):
    link = phone.locator("a[data-claim]").first
    target = link.get_attribute("href")
    link.scroll_into_view_if_needed()
    link.tap()
    tip = _tip(phone, link)
    assert tip.is_visible()
    assert phone.evaluate("location.hash") == ""  # the first tap did not navigate
    assert "Cite as:" in tip.inner_text() and tip.locator("button.tip-copy").is_visible()
    link.tap()
    # The second tap follows the link: to the figure's entry on its evidence page.
    phone.wait_for_function("h => location.href.endsWith('/' + h)", arg=target, timeout=5000)


def test_copy_button_copies_the_citation_line(phone, html):
    phone.goto(html.as_uri())
    link = phone.locator("a[data-claim]").first
    link.scroll_into_view_if_needed()
    link.tap()
    tip = _tip(phone, link)
    expected = tip.locator(".tip-cite").inner_text()
    assert expected.startswith("Cite as:")
    tip.locator("button.tip-copy").tap()
    assert tip.is_visible()  # tapping Copy keeps the popup open
    # The clipboard needs a permission a file: page may lack; then the line is selected instead.
    phone.wait_for_function("() => document.querySelector('.tip-copy') && ("
                            "Array.from(document.querySelectorAll('.tip-copy')).some(b => b.textContent === 'Copied')"
                            " || String(window.getSelection()).startsWith('Cite as:'))", timeout=5000)


def test_tap_elsewhere_closes_the_popup(phone, html):
    phone.goto(html.as_uri())
    link = phone.locator("a[data-claim]").first
    link.scroll_into_view_if_needed()
    link.tap()
    tip = _tip(phone, link)
    assert tip.is_visible()
    phone.locator("h1").first.tap()
    assert tip.is_hidden()
