"""The lead professional's duties on the demo plan by keyboard alone (issue 15): every
control reached with Tab, a panel opened with Enter on its summary, text typed, each form
sent with Enter on its button; after each, the page's answer and axe-core."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Locator, Page, expect

from domain.calendar import today
from interfaces.wording import day
from tests.web.test_browser import axe, browser, check, demo_server, person, sign_in, status  # noqa: F401

PURPOSE = "Reference to the tribunal about Isla's plan"
FOCUSED = """() => {
  const e = document.activeElement;
  return e ? e.outerHTML.slice(0, 160) : 'nothing';
}"""


def tab_to(page: Page, target: Locator, limit: int = 400) -> None:
    """Press Tab until `target` has the focus; fail, saying where the focus was, if it
    never does within `limit` presses."""
    expect(target).to_have_count(1)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            expect(target).to_be_visible()
            return
    pytest.fail(
        f"{limit} presses of Tab never reached {target}: the focus is on {page.evaluate(FOCUSED)}",
        pytrace=False,
    )


def open_panel(page: Page, form: str) -> Locator:
    panel = page.locator(f"details#{form}")
    tab_to(page, panel.locator("summary"))
    page.keyboard.press("Enter")
    expect(panel).to_have_attribute("open", "")
    return panel


def type_into(page: Page, field: Locator, text: str, value: str | None = None) -> None:
    tab_to(page, field)
    page.keyboard.type(text)
    expect(field).to_have_value(text if value is None else value)


def send(page: Page, panel: Locator, button: str) -> None:
    tab_to(page, panel.get_by_role("button", name=button, exact=True))
    page.keyboard.press("Enter")


def test_the_lead_does_each_duty_by_keyboard_alone(demo_server, browser, axe):  # noqa: F811
    served, plan_id = demo_server
    on = day(today())
    # Day and month alike: typed the same whichever order the browser's date field takes.
    until = date(today().year + 1, 5, 5)
    with person(browser, axe, served.url) as page:
        sign_in(page, "Fiona MacLeod")
        page.goto(f"/plans/{plan_id}")

        # End a provision: the first still in place is chosen.
        panel = open_panel(page, "form-provision_end")
        which = panel.get_by_label("Which provision")
        tab_to(page, which)
        ended = which.evaluate("s => s.selectedOptions[0].text")
        type_into(page, panel.get_by_label("Why it ends"), "Isla no longer needs it")
        send(page, panel, "End the provision")
        expect(status(page)).to_contain_text("Provision ended")
        row = page.locator("#provision-table tbody tr", has_text=ended.rstrip("…"))
        expect(row.first).to_contain_text(f"ended {on}")
        check(page, "kbd-01-provision-ended")

        # Disclose the plan to a tribunal reviewer, until a date typed into the date field.
        panel = open_panel(page, "form-disclosure")
        # By its id: its label depends on whether a directory offers reviewers to choose.
        type_into(page, panel.locator("#disclosure-grantee"), "tribunal:asn")
        type_into(page, panel.get_by_label("For what"), PURPOSE)
        type_into(page, panel.get_by_label("Until"), until.strftime("%d%m%Y"), until.isoformat())
        send(page, panel, "Disclose the plan")
        disclosed = page.locator("#disclosures-list li", has_text=PURPOSE)
        expect(disclosed).to_contain_text(f"{PURPOSE} (from {on}, until")
        expect(disclosed).to_contain_text(day(until))
        check(page, "kbd-02-disclosed")

        # End that disclosure.
        panel = open_panel(page, "form-disclosure_revoking")
        expect(panel.get_by_label("Which")).to_contain_text(PURPOSE)
        type_into(page, panel.get_by_label("Why it ends"), "The reference was withdrawn")
        send(page, panel, "End the disclosure")
        expect(page.locator("#disclosures-list li", has_text=PURPOSE)).to_have_count(0)
        check(page, "kbd-03-disclosure-ended")

        # The printed copy: its link reached by Tab, and a PDF behind it.
        link = page.get_by_role("link", name="Print the plan as it stands (PDF)")
        tab_to(page, link)
        printed = page.request.get(link.get_attribute("href") or "")
        assert printed.status == 200, printed.status
        assert printed.headers["content-type"].startswith("application/pdf")

        # A copy given to the family.
        copies = page.locator("#shared-copies li")
        before = copies.count()
        panel = open_panel(page, "form-share")
        type_into(page, panel.get_by_label("Given to"), "Morag Campbell (mum)")
        type_into(page, panel.get_by_label("How it was given"), "by hand")
        send(page, panel, "Record the copy")
        expect(status(page)).to_contain_text("Copy recorded as given")
        expect(copies).to_have_count(before + 1)
        expect(copies.last).to_contain_text(f"given {on} by by hand to Morag Campbell (mum)")
        check(page, "kbd-04-copy-given")

        # A bundle of the record to today.
        bundles = page.locator("#issued-bundles li")
        before = bundles.count()
        panel = open_panel(page, "form-bundle")
        send(page, panel, "Issue the bundle")
        expect(status(page)).to_contain_text("Bundle issued")
        expect(bundles).to_have_count(before + 1)
        expect(bundles.last).to_contain_text(f"the record to {on}")
        expect(bundles.last).to_contain_text(f"issued {on} by Fiona MacLeod")
        check(page, "kbd-05-bundle-issued")

        # Last, close the plan: a reason is needed.
        panel = open_panel(page, "form-close")
        type_into(page, panel.get_by_label("Why it closes"), "Isla moves to the PLP")
        send(page, panel, "Close the plan")
        expect(status(page)).to_contain_text("The plan is closed")
        expect(page.locator("details.panel")).to_have_count(0)
        check(page, "kbd-06-closed")
