"""The rendered HTML as a reader meets it, in headless Chromium: links, tooltips, keyboard, console."""
from __future__ import annotations

import pytest

from tests.render_kit import REPO, make_project, run_render

SHOTS = REPO / "build" / "screenshots"


@pytest.fixture(scope="module", params=["fixture", "report"])
def page_html(request, tmp_path_factory):
    """The render fixture's page, rendered here; and the real report as `make report` built it."""
    if request.param == "report":
        return request.param, request.getfixturevalue("built_report") / "_output" / "report.html"
    root = make_project(tmp_path_factory.mktemp(request.param))
    done = run_render(root, "--html-only")
    assert done.returncode == 0, done.stderr[-3000:]
    return request.param, root / "_output" / "report.html"


def test_reader_experience(browser, page_html):
    name, html = page_html
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("request", lambda r: problems.append(f"network request: {r.url}") if not r.url.startswith(("file:", "data:")) else None)
    page.goto(html.as_uri())
    page.screenshot(path=str(SHOTS / f"{name}-top.png"))

    # Every figure carries a note with its quote (or what a derived figure computes) for its popup, and links
    # to its entry on an evidence page beside the report.
    figures = page.evaluate("""() => Array.from(document.querySelectorAll('[data-claim],[data-derived],[data-event]'))
        .map(el => {
          const kind = ['claim', 'derived', 'event'].find(k => el.hasAttribute('data-' + k));
          const key = kind + '-' + el.getAttribute('data-' + kind);
          const note = document.getElementById('note-' + key);
          const said = note && (note.querySelector('.claim-quote') || note.querySelector('.derived-description'));
          return {key: key, href: el.getAttribute('href'), said: !!said};
        })""")
    assert figures and all(f["said"] for f in figures), [f["key"] for f in figures if not f["said"]]
    for f in figures:
        target, _, anchor = f["href"].partition("#")
        assert target.startswith("evidence/") and anchor == f["key"], f
        assert f'id="{anchor}"' in (html.parent / target).read_text(encoding="utf-8"), f
    count = page.evaluate("document.querySelectorAll('[data-claim]').length")
    assert count > 0

    # Every in-page link lands somewhere.
    dangling = page.evaluate("""() => Array.from(document.querySelectorAll('a[href^="#"]'))
        .map(a => a.getAttribute('href').slice(1)).filter(id => id && !document.getElementById(id))""")
    assert dangling == []

    # Keyboard: tabbing onto the first claim shows its quote in a role=tooltip element.
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.hasAttribute('data-claim')"):
            break
    else:
        pytest.fail("no claim link reachable by keyboard")
    tip = page.evaluate(r"""() => {
        const el = document.activeElement;
        const tip = document.getElementById(el.getAttribute('aria-describedby'));
        const row = document.getElementById('note-claim-' + el.getAttribute('data-claim'));
        return {role: tip && tip.getAttribute('role'), hidden: tip ? tip.hidden : true,
                text: tip ? tip.textContent : '',
                quote: row.querySelector('.claim-quote').textContent.replace(/\s+/g, ' ').trim(),
                outlet: row.querySelector('.claim-outlet').textContent.replace(/\s+/g, ' ').trim()};
    }""")
    assert tip["role"] == "tooltip" and not tip["hidden"]
    assert tip["quote"] in " ".join(tip["text"].split()) and tip["outlet"] in tip["text"]
    page.screenshot(path=str(SHOTS / f"{name}-focus-tooltip.png"))
    page.keyboard.press("Escape")
    assert page.evaluate("document.getElementById(document.activeElement.getAttribute('aria-describedby')).hidden")

    # Hover shows the tooltip too; following the link lands on the entry on its evidence page.
    link = page.locator("[data-claim]").first
    link.hover()
    assert page.locator("[role=tooltip]:not([hidden])").count() == 1
    link.click()
    page.wait_for_load_state()
    assert page.evaluate("location.hash").startswith("#claim-")
    assert "/evidence/" in page.evaluate("location.pathname")
    assert page.evaluate("document.querySelector(':target .claim-quote') !== null")
    page.screenshot(path=str(SHOTS / f"{name}-appendix-entry.png"))
    assert page.evaluate("window.__pwned === undefined")
    page.close()
    assert problems == []


@pytest.mark.parametrize("width,height", [(1280, 800), (390, 844)])
def test_first_screen_shows_title_date_and_bottom_line(browser, page_html, width, height):
    name, html = page_html
    if name != "report":
        pytest.skip("the render fixture has no date or bottom line; the report has both")
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(html.as_uri())
    page.screenshot(path=str(SHOTS / f"{name}-first-screen-{width}.png"))
    tops = page.evaluate("""() => Object.fromEntries(['h1.title', '.date', '.bottom-line'].map(s => {
        const el = document.querySelector(s);
        return [s, el ? el.getBoundingClientRect().top : null]; }))""")
    assert None not in tops.values(), tops
    # The bottom line starts on the first screen with room for its first lines, contents or not.
    assert tops[".bottom-line"] < height - 200, tops
    page.close()


def test_landmarks_and_the_copy_button_by_keyboard(browser, page_html):
    name, html = page_html
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(html.as_uri())
    assert page.evaluate("document.querySelectorAll('main').length") == 1
    assert page.evaluate("document.querySelector('main').contains(document.querySelector('[data-claim]'))")
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.hasAttribute('data-claim')"):
            break
    else:
        pytest.fail("no claim link reachable by keyboard")
    tip_id = page.evaluate("document.activeElement.getAttribute('aria-describedby')")
    page.keyboard.press("Tab")
    # The next stop is the open popup's Copy button, and it stays open while focused there.
    assert page.evaluate("document.activeElement.className") == "tip-copy"
    assert page.evaluate(f"!document.getElementById('{tip_id}').hidden")
    page.keyboard.press("Tab")
    page.wait_for_timeout(400)
    assert page.evaluate(f"document.getElementById('{tip_id}').hidden")
    page.close()


def test_a_landing_marks_its_own_quote_whole_and_no_other(browser, page_html):
    """Several figures may share a sentence (their anchors stack): each landing marks its own quote."""
    name, html = page_html
    page = browser.new_page(viewport={"width": 390, "height": 844})
    pages = sorted((html.parent / "evidence").glob("*.html"))
    stacked = None
    for evidence_page in pages:
        page.goto(evidence_page.as_uri())
        stacked = page.evaluate("""() => { const a = Array.from(document.querySelectorAll('[id^="src-"]'))
            .find(el => el.nextElementSibling && el.nextElementSibling.id.startsWith('src-'));
            return a ? a.id : null; }""")
        if stacked:
            break
    if stacked is None:
        pytest.skip(f"no two quotes start at one place in the {name} pages")
    page.goto(evidence_page.as_uri() + "#" + stacked)
    page.wait_for_timeout(200)
    state = page.evaluate("""(id) => {
        const mine = Array.from(document.querySelectorAll('.hl[data-q]')).filter(e => e.dataset.q.split(' ').includes(id));
        const others = Array.from(document.querySelectorAll('.hl[data-q]')).filter(e => !mine.includes(e));
        const bg = e => getComputedStyle(e).backgroundColor;
        const top = mine[0].getBoundingClientRect().top;
        return {mine: mine.length, landed: mine.filter(e => e.classList.contains('landed')).length,
                strays: others.filter(e => e.classList.contains('landed') || bg(e) === bg(mine[0])).length,
                top: top, height: innerHeight};
    }""", stacked)
    assert state["mine"] > 0 and state["landed"] == state["mine"], state
    assert state["strays"] == 0, state  # distinct from every other quoted sentence
    assert state["height"] * 0.2 < state["top"] < state["height"] * 0.6, state  # context above it
    page.screenshot(path=str(SHOTS / f"{name}-landed-390.png"))
    page.close()


def test_the_evidence_index_finds_a_figure_by_source_place_and_words(browser, page_html):
    name, html = page_html
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto((html.parent / "evidence" / "index.html").as_uri())
    items = page.locator(".ev-item")
    total = items.count()
    assert total > 0 and page.locator(".evidence-filter").is_visible()
    first_source = page.evaluate("document.querySelector('.ev-item').dataset.source")
    page.select_option("#ev-source", first_source)
    shown = page.evaluate("Array.from(document.querySelectorAll('.ev-item')).filter(e => !e.closest('li').hidden)"
                          ".map(e => e.dataset.source)")
    assert shown and set(shown) == {first_source}
    page.select_option("#ev-source", "")
    page.fill("#ev-words", "zzzz no such words")
    assert page.evaluate("document.querySelectorAll('li:not([hidden]) > .ev-item, li:not([hidden]) .ev-item').length") == 0
    page.fill("#ev-words", "")
    page.screenshot(path=str(SHOTS / f"{name}-evidence-index.png"))
    # Every source page is listed and each item links to an entry on it.
    hrefs = page.evaluate("Array.from(document.querySelectorAll('.ev-item a')).map(a => a.getAttribute('href'))")
    assert all(h.split("#")[0].endswith(".html") and "#" in h for h in hrefs)
    page.close()
