"""The report and its evidence pages under axe-core, and every control reached and worked by keyboard."""
from __future__ import annotations

import json
import re

import pytest

from tests.render_kit import REPO, require_module

WIDTHS = [(1280, 800), (390, 844)]
# WCAG 2.0-2.2 A and AA and axe's best practices: axe's default set plus the rules it leaves off by default
# (target-size, WCAG 2.2's 24 px targets).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                                     "best-practice"]},
               "resultTypes": ["violations"]}
BLOCKING_IMPACTS = {"serious", "critical"}
BLOCKING_RULES = {"region"}  # content outside every landmark is a failure whatever axe rates it
RESULTS = REPO / "build" / "axe"
CONTROLS = "a[href], button, input, select, textarea, summary, [tabindex]"


@pytest.fixture(scope="module")
def axe():
    return require_module("axe_playwright_python.sync_playwright").Axe()


@pytest.fixture(scope="module")
def output(built_report):
    return built_report / "_output"


def run_axe(axe, page) -> list[dict]:
    """axe-core's violations on the page as it stands (the script is injected, nothing is fetched)."""
    return axe.run(page, options=AXE_OPTIONS).response["violations"]


def blocking(found: list[dict]) -> list[dict]:
    return [v for v in found if v["impact"] in BLOCKING_IMPACTS or v["id"] in BLOCKING_RULES]


def describe(found: list[dict]) -> str:
    """One line per violation: rule id, impact, how many nodes, the first targets and axe's help text."""
    return "\n".join(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']}; first targets "
                     + ", ".join(" ".join(n["target"]) for n in v["nodes"][:3]) for v in found)


def first_figure_href(page, output) -> str:
    page.goto((output / "report.html").as_uri())
    return page.get_attribute("[data-claim]", "href")


def _report(page, output):
    page.goto((output / "report.html").as_uri())


def _report_popup(page, output):
    """A figure's popup open, as a keyboard reader meets it."""
    _report(page, output)
    page.focus("[data-claim]")
    page.wait_for_selector("[role=tooltip]:not([hidden])")


def _index(page, output):
    page.goto((output / "evidence" / "index.html").as_uri())


def _index_filtered(page, output):
    _index(page, output)
    page.select_option("#ev-source", index=1)


def _derived(page, output):
    page.goto((output / "evidence" / "derived.html").as_uri())


def _source_landed(page, output):
    """The source page of the report's first figure, landed on that figure's quoted sentence."""
    target, _, anchor = first_figure_href(page, output).partition("#")
    page.goto((output / target).as_uri() + "#src-" + anchor)
    page.wait_for_selector(".hl.landed")


STATES = {"report": _report, "report-popup": _report_popup, "index": _index, "index-filtered": _index_filtered,
          "derived": _derived, "source-landed": _source_landed}


@pytest.mark.parametrize("width,height", WIDTHS)
@pytest.mark.parametrize("state", list(STATES))
def test_axe_finds_nothing_serious(browser, axe, output, state, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    STATES[state](page, output)
    found = run_axe(axe, page)
    page.close()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{state}-{width}.json").write_text(json.dumps(
        [{"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]),
          "targets": [n["target"] for n in v["nodes"][:5]]} for v in found], indent=1), encoding="utf-8")
    bad = blocking(found)
    assert not bad, f"axe-core on {state} at {width}px:\n{describe(bad)}"


def test_the_axe_check_fails_on_what_it_guards(browser, axe):
    """A page with a picture without text, a block that scrolls out of keyboard reach, two links too small and
    too close to tell apart by touch, and text outside every landmark: each is reported, by rule id, impact
    and target."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.set_content('<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><p>outside</p><main>'
                     '<h1>t</h1><img src="data:,"><pre id="wide" style="overflow-x:auto;white-space:pre">'
                     + "x" * 400 + '</pre><p style="font-size:8px"><a href="#a">a</a><a href="#b">b</a></p></main></body></html>')
    found = blocking(run_axe(axe, page))
    page.close()
    message = describe(found)
    assert {v["id"] for v in found} >= {"image-alt", "scrollable-region-focusable", "region", "target-size"}, message
    assert "image-alt (critical" in message and "#wide" in message


def tab_walk(page, limit: int) -> list[dict]:
    """Press Tab until focus leaves the page or comes round again; what each stop is and how it shows."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate("""() => {
            const e = document.activeElement;
            if (!e || e === document.body) { return null; }
            const r = e.getBoundingClientRect(), cs = getComputedStyle(e);
            const tips = Array.from(document.querySelectorAll('.claim-tip')).filter(t => !t.hidden);
            return {key: e.dataset.kb || null, tag: e.tagName, cls: e.className,
                    popups: tips.length, own: tips.every(t => t.contains(e) || t.id === e.getAttribute('aria-describedby')),
                    shown: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
                    ring: (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none'};
        }""")
        if stop is None or (stops and stop["key"] == stops[0]["key"]):
            return stops
        stops.append(stop)
    pytest.fail(f"Tab did not leave the page within {limit} presses")


def mark_controls(page) -> dict:
    """Number every control a keyboard should reach: those on screen, and the Copy buttons inside popups."""
    return page.evaluate("""(sel) => {
        const all = Array.from(document.querySelectorAll(sel)).filter(e => e.tabIndex >= 0 && !e.disabled)
            .filter(e => e.closest('.claim-tip') || e.getClientRects().length > 0);
        all.forEach((e, i) => { e.dataset.kb = String(i); });
        return Object.fromEntries(all.map(e => [String(e.dataset.kb),
            e.tagName + (e.className ? '.' + e.className.split(' ')[0] : '') + ' ' + (e.getAttribute('href') || e.id || e.textContent.trim()).slice(0, 60)]));
    }""", CONTROLS)


@pytest.mark.parametrize("width,height", WIDTHS)
@pytest.mark.parametrize("name", ["report.html", "evidence/index.html", "source"])
def test_tab_reaches_every_control_on_screen_with_a_focus_ring(browser, output, name, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    if name == "source":
        name = first_figure_href(page, output).partition("#")[0]
    page.goto((output / name).as_uri())
    controls = mark_controls(page)
    assert controls
    stops = tab_walk(page, 3 * len(controls) + 10)
    page.close()
    reached = {s["key"] for s in stops}
    missed = [controls[k] for k in controls if k not in reached]
    assert not missed, f"{len(missed)} of {len(controls)} controls on {name} at {width}px never take focus: {missed[:10]}"
    assert [s for s in stops if s["key"] is None] == [], "focus stopped on something that is not a control"
    hidden = [controls[s["key"]] for s in stops if not s["shown"]]
    assert not hidden, f"focused but off screen on {name} at {width}px: {hidden[:10]}"
    # Focus moving on closes the popup it leaves at once: a popup never covers the next stop.
    crowded = [controls[s["key"]] for s in stops if s["popups"] > 1 or not s["own"]]
    assert not crowded, f"another figure's popup is open at {crowded[:10]}"
    ringless = [controls[s["key"]] for s in stops if not s["ring"]]
    assert not ringless, f"no focus indicator on {name} at {width}px: {ringless[:10]}"


def tab_to(page, selector: str, limit: int = 400):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


@pytest.mark.parametrize("width,height", WIDTHS)
@pytest.mark.parametrize("name", ["report.html", "evidence/index.html"])
def test_the_first_tab_stop_skips_to_the_content(browser, output, name, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto((output / name).as_uri())
    assert not page.evaluate("(() => { const r = document.querySelector('.skip-link').getBoundingClientRect();"
                             " return r.right > 0 && r.left < innerWidth; })()"), "the skip link shows before it is focused"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('.skip-link')")
    box = page.evaluate("(() => { const r = document.activeElement.getBoundingClientRect(); return [r.left, r.top]; })()")
    assert 0 <= box[0] < width and 0 <= box[1] < height, box
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert not page.evaluate("document.querySelector('nav').contains(document.activeElement)")
    page.close()


@pytest.mark.parametrize("width,height", WIDTHS)
def test_contents_popup_copy_and_figure_link_work_by_keyboard(browser, output, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto((output / "report.html").as_uri())
    tab_to(page, "nav#TOC a")
    href = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == href
    top = page.evaluate("(id) => document.getElementById(id).getBoundingClientRect().top", href[1:])
    assert 0 <= top < height / 2, (href, top)

    tab_to(page, "[data-claim]")
    figure = page.evaluate("document.activeElement.getAttribute('href')")
    tip = "#" + page.evaluate("document.activeElement.getAttribute('aria-describedby')")
    assert page.is_visible(tip)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('.tip-copy')")
    page.keyboard.press("Enter")
    # The clipboard may be refused to a file: page; then the line is selected for the reader to copy.
    page.wait_for_function("(t) => document.querySelector(t + ' .tip-copy').textContent === 'Copied'"
                           " || String(getSelection()).startsWith('Cite as:')", arg=tip, timeout=5000)
    assert page.is_visible(tip)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_function("(h) => location.href.endsWith('/' + h)", arg=figure, timeout=5000)
    context.close()


@pytest.mark.parametrize("width,height", WIDTHS)
def test_the_evidence_filter_works_by_keyboard(browser, output, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto((output / "evidence" / "index.html").as_uri())
    shown = "() => document.querySelectorAll('li:not([hidden]) > .ev-item, li:not([hidden]) .ev-item').length"
    count = re.compile(r"(\d+) of (\d+) shown")
    total = page.evaluate(shown)
    tab_to(page, "#ev-words")
    page.keyboard.type("zzzz no such words")
    assert page.evaluate(shown) == 0
    assert count.fullmatch(page.inner_text(".ev-count")).group(1) == "0"
    headings = "() => Array.from(document.querySelectorAll('h3')).filter(h => h.offsetParent !== null).length"
    assert page.evaluate(headings) == 0  # a metric's or a date's heading goes with its emptied list
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    assert page.evaluate(shown) == total and page.evaluate(headings) > 0
    for select, attr in (("#ev-source", "data-source"), ("#ev-place", "data-place")):
        tab_to(page, select, limit=5)
        page.keyboard.press("ArrowDown")
        chosen = page.evaluate(f"document.querySelector('{select}').value")
        assert chosen, f"ArrowDown did not choose an option in {select}"
        kept = page.evaluate(f"""() => Array.from(document.querySelectorAll('.ev-item'))
            .filter(e => !e.closest('li').hidden).map(e => e.getAttribute('{attr}'))""")
        assert kept and set(kept) == {chosen}, (select, chosen, kept)
        page.keyboard.press("Home")
        assert page.evaluate(f"document.querySelector('{select}').value") == ""
    page.close()
