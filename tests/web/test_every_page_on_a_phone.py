"""Every page each person can reach, on a 390 px phone, in Chromium: none wider than the
screen, every chart's words big enough to read, every table that is wider than the screen
in a region that says it scrolls and takes the keyboard, and axe-clean; and the lead's and
the officer's on a desktop screen too.

The pages are found the way a person finds them: from where each one lands after signing
in, every link followed (one page of each kind), so a page added later is walked too."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from tests.web.browser import screenshot, serious_accessibility_problems
from tests.web.test_browser import axe, browser, demo_server, person, sign_in  # noqa: F401

PEOPLE = [
    ("Fiona MacLeod", True),
    ("Priya Shah", False),
    ("Tom Baird", False),
    ("Morag Campbell", False),
    ("Isla Campbell", False),
    ("Alasdair Grant", False),
    ("Ana Kowalski", False),
    ("Douglas Reid", False),
]
PAGES_EACH = 30
NOT_PAGES = re.compile(r"\.(pdf|csv|png|jpe?g|json)$|^/static/|^/api/|^/docs")
# The smallest chart label taken as legible on a phone, in CSS px; shrunk to fit a 390 px
# screen, the 13-unit labels of a 640-unit chart come out at 7 px.
SMALLEST_CHART_TEXT_PX = 11

# Against the screen, not window.innerWidth: a phone's browser widens its layout viewport
# to whatever overflows, so innerWidth grows with the fault it should reveal.
MEASURE = """() => {
  const screenWidth = window.screen.width, SMALLEST = SMALLEST_PX;
  const wide = document.documentElement.scrollWidth > screenWidth;
  const tiny = [...document.querySelectorAll('svg text')]
    .filter(t => t.getBoundingClientRect().width > 0)
    .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)
    .filter(px => px < SMALLEST);
  const silent = [...document.querySelectorAll('table')]
    .filter(t => t.getBoundingClientRect().width > screenWidth)
    .filter(t => {
      const region = t.closest('.table-scroll');
      return !region || region.tabIndex < 0 || !region.querySelector('.scroll-hint')
        || !/scroll/i.test(region.getAttribute('aria-label') || '');
    })
    .map(t => t.id || (t.caption && t.caption.textContent.trim()) || 'a table');
  return {wide, tiny: tiny.length, smallest: tiny.length ? Math.min(...tiny) : null, silent};
}""".replace("SMALLEST_PX", str(SMALLEST_CHART_TEXT_PX))


def kind(path: str) -> str:
    """One page of each kind: ids and numbers stand for any."""
    parts = urlsplit(path)
    shape = re.sub(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}|\d+", "N", parts.path)
    keys = sorted(q.split("=")[0] for q in parts.query.split("&") if q)
    return shape + ("?" + "&".join(keys) if keys else "")


def links(page: Page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "a[href]:not([download])", "as => as.map(a => a.getAttribute('href'))"
    )
    return [h.split("#")[0] for h in hrefs if h.startswith("/") and h.split("#")[0]]


def walk(page: Page, who: str, *, phone: bool) -> list[str]:
    """Every kind of page reachable by links from where `who` lands: what is wrong on each."""
    queue, seen, walked = [urlsplit(page.url).path], set(), []
    problems: list[str] = []
    while queue and len(walked) < PAGES_EACH:
        path = queue.pop(0)
        if kind(path) in seen or NOT_PAGES.search(urlsplit(path).path):
            continue
        seen.add(kind(path))
        answer = page.goto(path)
        assert answer is not None and answer.status < 500, f"{path}: {answer and answer.status}"
        walked.append(path)
        found = page.evaluate(MEASURE)
        if found["wide"]:
            problems.append(f"{path} is wider than the screen")
        if phone and found["tiny"]:
            problems.append(
                f"{path}: {found['tiny']} chart labels under {SMALLEST_CHART_TEXT_PX} px "
                f"(smallest {found['smallest']:.1f})"
            )
        if found["silent"]:
            problems.append(f"{path}: tables scroll with no cue: {found['silent']}")
        device = "phone" if phone else "desktop"
        screenshot(page, f"{device}-{who.split()[0].lower()}-{len(walked):02d}")
        problems += [
            f"{path}: axe: {p['help']} at {p['nodes']}"
            for p in serious_accessibility_problems(page)
        ]
        queue.extend(link for link in links(page) if kind(link) not in seen)
    assert walked, f"{who} reached no page"
    return problems


@pytest.mark.parametrize("who, manager", PEOPLE, ids=[p[0].split()[0] for p in PEOPLE])
def test_every_page_a_person_reaches_fits_a_phone(demo_server, browser, axe, who, manager):  # noqa: F811
    served, _ = demo_server
    with person(browser, axe, served.url, phone=True) as page:
        sign_in(page, who, manager=manager)
        problems = walk(page, who, phone=True)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("who, manager", [("Fiona MacLeod", True), ("Douglas Reid", False)])
def test_every_page_the_lead_and_the_officer_reach_holds_on_a_desktop(
    demo_server,  # noqa: F811
    browser,  # noqa: F811
    axe,  # noqa: F811
    who,
    manager,
):
    served, _ = demo_server
    with person(browser, axe, served.url) as page:
        sign_in(page, who, manager=manager)
        problems = walk(page, who, phone=False)
    assert not problems, "\n".join(problems)
