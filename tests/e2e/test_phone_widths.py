"""On a 390 px phone no main page scrolls sideways, whatever the data (long
names in several scripts, several rows): tables stack their rows or scroll in
their own box rather than squeeze their words, and the actions a visitor came
for stay within the screen's width."""

import pytest

from tests.e2e.busy_league import build_busy_league

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

TOO_WIDE = """[...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
    .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
        + (e.className ? '.' + String(e.className).split(' ').join('.') : ''))"""

# An action is reachable when it is laid out and lies entirely between the
# screen's edges (an action in a box scrolled sideways lies past the right one).
UNREACHABLE = """els => els.filter(e => {
    const r = e.getBoundingClientRect();
    return r.width === 0 || r.left < 0 || r.right > window.innerWidth + 0.5;
}).map(e => e.outerHTML.slice(0, 80))"""

# A table squeezed into the screen instead of stacking its rows or scrolling
# in its own box breaks its words letter by letter: a cell narrower than its
# longest word (or than 8em, for an e-mail or a file name, which may break).
SQUEEZED = """() => [...document.querySelectorAll('main td, main th')].filter(cell => {
    const text = cell.innerText.trim();
    const head = cell.closest('thead');
    if (!text || !cell.getClientRects().length) return false;
    // A heading row hidden on phones is read by screen readers only.
    if (head && head.getBoundingClientRect().width <= 1) return false;
    const style = getComputedStyle(cell);
    const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const probe = document.createElement('div');
    probe.style.cssText = 'position:absolute;visibility:hidden;width:min-content;'
        + 'overflow-wrap:normal;word-break:normal;font:' + style.font;
    probe.innerHTML = cell.innerHTML;
    document.body.appendChild(probe);
    const longestWord = probe.getBoundingClientRect().width;
    probe.remove();
    return room + 1 < Math.min(longestWord, 8 * parseFloat(style.fontSize));
}).slice(0, 5).map(cell => cell.innerText.trim().slice(0, 20))"""


def _problems(page, main_page) -> list[str]:
    page.goto(main_page.path)
    problems = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        problems.append(f"{width} px wide, past: {page.evaluate(TOO_WIDE)}")
    if squeezed := page.evaluate(SQUEEZED):
        problems.append(f"table cells squeezed letter by letter: {squeezed}")
    for selector in main_page.actions:
        actions = page.locator(selector)
        if actions.count() == 0:
            problems.append(f"no {selector}")
        elif unreachable := actions.evaluate_all(UNREACHABLE):
            problems.append(f"{selector} out of reach: {unreachable}")
    return problems


def test_main_pages_fit_a_390_pixel_wide_phone(page_in, live_server):
    league = build_busy_league()
    signed_in = page_in(user=league.viewer)
    anonymous = page_in()
    for page in (signed_in, anonymous):
        page.set_viewport_size(PHONE)

    failures = {}
    for main_page in league.pages:
        page = signed_in if main_page.signed_in else anonymous
        if problems := _problems(page, main_page):
            failures[f"{main_page.name} ({main_page.path})"] = problems
    assert not failures, failures
