"""In a real browser: `planledger serve` as its own process on PostgreSQL (or on the
embedded default, as a newcomer runs it), Debian's Chromium driven by Playwright, every
page checked with axe-core (no serious or critical violations) and screenshotted into
artifacts/screenshots/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from application.persistence.keys import new_master_key
from domain.calendar import today
from tests.web.browser import (
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    axe_script,
    chromium,
    clean_env,
    load_demo,
    screenshot,
    serious_accessibility_problems,
    serve,
)
from tests.web.fake_idp import FakeIdp

SECRET = "browser-test-secret-0123456789abcdefghijklmnop"
TARGET = "Ask a friend to join a game at break, twice a week"
VIEWS = "Isla talks about her Buddy every evening. Mornings are calmer since the new routine."
PHONE = {"width": 390, "height": 844}

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, timeout=60_000
        )
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def axe() -> str:
    return str(axe_script())


@pytest.fixture
def demo_server(postgres_url):
    env = clean_env(
        database_url=postgres_url,
        jwt_secret=SECRET,
        encryption_key=new_master_key(),
        web_demo_signin="true",
    )
    plan_id = load_demo(env)
    with serve(env) as served:
        yield served, plan_id


@contextmanager
def person(browser: Browser, axe: str, base_url: str, *, phone: bool = False) -> Iterator[Page]:
    """A fresh browser profile for one person; the pages' CSP stays on (axe comes in as
    an init script, which CSP does not govern), and any CSP refusal fails the test."""
    context = browser.new_context(
        base_url=base_url,
        viewport=PHONE if phone else {"width": 1200, "height": 900},
        locale="en-GB",
        timezone_id="Europe/London",
        is_mobile=phone,
        has_touch=phone,
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(path=axe)
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None
    )
    try:
        yield page
    finally:
        context.close()
    assert not refused, refused


def check(page: Page, name: str) -> None:
    """Screenshot the page, then hold it to axe-core."""
    page.wait_for_load_state("load")
    screenshot(page, name)
    problems = serious_accessibility_problems(page)
    assert not problems, f"{name}: {problems}"


def sign_in(page: Page, who: str, *, manager: bool = False) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in"))
    page.get_by_label(who).check()
    if manager:
        page.get_by_label("With manager rights").check()
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator("header")).to_contain_text(f"Signed in as {who}")


def status(page: Page):
    return page.locator("main [role=status]").first


def test_a_lead_professional_sets_a_target_reviews_it_and_finds_it_in_history_and_chart(
    demo_server, browser, axe
):
    served, plan_id = demo_server
    due = (today() + timedelta(days=60)).isoformat()
    with person(browser, axe, served.url) as page:
        page.goto("/")
        expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
        check(page, "01-sign-in")
        sign_in(page, "Fiona MacLeod", manager=True)
        expect(page.get_by_role("heading", name="My plans", level=1)).to_be_visible()
        expect(page.locator("#due")).to_contain_text("Isla Campbell")
        expect(page.locator("#due [data-clock]").first).to_contain_text("days left")
        check(page, "02-my-plans-lead")

        page.locator("#due").get_by_role("link", name="Isla Campbell").click()
        expect(page.get_by_role("heading", name="Isla Campbell's plan", level=1)).to_be_visible()
        check(page, "03-plan-lead")

        # A rule refuses the first try: the plain-words rule shows, the text stays.
        form = page.locator("#form-target")
        form.locator("summary").click()
        form.get_by_label("Outcome it works towards").select_option(index=0)
        form.get_by_label("Target", exact=True).fill(TARGET)
        form.get_by_label("Due by").fill((today() - timedelta(days=1)).isoformat())
        form.get_by_role("button", name="Set the target").click()
        expect(page.locator("#target-error")).to_contain_text(
            "The due date must be after the date it happened."
        )
        expect(page.locator(".error-summary")).to_be_visible()
        expect(form.get_by_label("Target", exact=True)).to_have_value(TARGET)
        check(page, "04-target-refused")

        form.get_by_label("Due by").fill(due)
        form.get_by_role("button", name="Set the target").click()
        expect(status(page)).to_contain_text("Target set.")
        target = page.locator(".target", has_text=TARGET)
        expect(target).to_contain_text("not evaluated yet")
        target_id = target.get_attribute("data-target-id")

        review = page.locator("#form-review")
        review.locator("summary").click()
        review.get_by_label("Who attended").fill("Fiona MacLeod (lead)\nMorag Campbell (mum)\nIsla")
        review.get_by_label("Summary of the discussion").fill("Isla asked a friend to play twice.")
        evaluation = review.locator("fieldset", has_text=TARGET)
        evaluation.get_by_label("Progress at this review").select_option("partially_achieved")
        evaluation.get_by_label("What was seen: the impact").fill("Once alone, once with a prompt.")
        review.get_by_label("Next review date").fill((today() + timedelta(days=90)).isoformat())
        review.get_by_role("button", name="Record the review").click()
        expect(status(page)).to_contain_text("Review recorded")
        expect(page.locator(f"#target-{target_id} .latest")).to_contain_text("Partly achieved")

        page.get_by_role("link", name=re.compile("^Timeline")).click()
        newest = page.locator("#timeline > li").first
        expect(newest).to_have_attribute("data-type", "TargetEvaluated")
        expect(newest).to_contain_text(TARGET)
        expect(newest).to_contain_text("Partly achieved")
        expect(newest).to_contain_text("Fiona MacLeod (Lead professional)")
        expect(page.locator('#timeline > li[data-type="ReviewHeld"]').first).to_contain_text(
            "Isla asked a friend to play twice."
        )
        expect(page.locator('#timeline > li[data-backdated="true"]').first).to_contain_text(
            "entered late"
        )
        check(page, "05-timeline")

        # The plan as it stood just after the target was set: not yet evaluated.
        set_entry = page.locator('#timeline > li[data-type="TargetSet"]', has_text=TARGET)
        set_entry.get_by_role("link", name=re.compile("the plan just after this")).click()
        expect(page.locator(".as-of")).to_contain_text("As it stood at")
        expect(page.locator(f"#target-{target_id} .latest")).to_contain_text("not evaluated yet")
        expect(page.locator("#form-target")).to_have_count(0)
        check(page, "06-plan-as-it-stood")

        page.goto(f"/plans/{plan_id}/timeline")
        page.get_by_label("Date", exact=True).fill(today().isoformat())
        page.get_by_role("button", name="Show the plan as it stood").click()
        expect(page.locator(f"#target-{target_id} .latest")).to_contain_text("Partly achieved")

        page.goto(f"/plans/{plan_id}/progress")
        row = page.locator(f'tr[data-target-id="{target_id}"]')
        cell = row.locator(f'td[data-date="{today().isoformat()}"]')
        expect(cell).to_have_text("Partly achieved")
        expect(
            page.locator(f'g.series[data-target-id="{target_id}"] [data-progress-level="1"]')
        ).to_have_count(1)
        check(page, "07-progress")

        # The manager's chart counts the review just held, on time, in this month.
        page.get_by_role("link", name="Reviews on time").click()
        month = page.locator(f'g.bar[data-month="{today():%Y-%m}"]')
        expect(month).to_have_attribute("data-on-time", "1")
        expect(
            page.locator(f'#reviews-by-month tr[data-month="{today():%Y-%m}"] td').first
        ).to_have_text("1")
        check(page, "07b-reviews-on-time")

        page.get_by_role("button", name="Sign out").click()
        expect(status(page)).to_contain_text("You have signed out.")
        page.goto(f"/plans/{plan_id}")
        expect(page).to_have_url(re.compile(r"/sign-in\?next="))


def test_a_parent_reads_the_plan_on_a_phone_and_adds_her_views(demo_server, browser, axe):
    served, _ = demo_server
    with person(browser, axe, served.url, phone=True) as page:
        sign_in(page, "Morag Campbell")
        expect(page.get_by_role("heading", name="Plans you are part of", level=1)).to_be_visible()
        check(page, "08-family-plans-phone")
        page.get_by_role("link", name="Isla Campbell").first.click()
        expect(page.get_by_role("heading", name="What we are working towards")).to_be_visible()
        expect(page.locator("#next-review")).to_contain_text("days left")
        expect(page.locator("#help-list")).to_contain_text("Lego-based social skills group")
        expect(page.get_by_text("Set a target")).to_have_count(0)
        expect(page.get_by_text("Record a review")).to_have_count(0)
        fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert fits, "the family page scrolls sideways on a phone"
        check(page, "09-family-plan-phone")

        page.get_by_label("Mine").check()
        page.get_by_label("What would you like everyone to know?").fill(VIEWS)
        page.get_by_role("button", name="Add to the plan").click()
        expect(status(page)).to_contain_text("your views have been added")
        expect(page.locator("#views-list")).to_contain_text(VIEWS)
        check(page, "10-family-views-added")


def test_a_practitioner_from_an_agency_that_has_not_joined_sees_no_plan(demo_server, browser, axe):
    served, plan_id = demo_server
    with person(browser, axe, served.url) as page:
        sign_in(page, "Tom Baird")
        expect(page.locator("#no-plans")).to_be_visible()
        expect(page.get_by_text("Isla Campbell")).to_have_count(0)
        check(page, "11-my-plans-outsider")
        answer = page.goto(f"/plans/{plan_id}")
        assert answer is not None and answer.status == 404
        expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
        expect(page.get_by_text("Isla")).to_have_count(0)
        check(page, "12-plan-outsider")


def test_a_practitioner_adds_a_contribution_and_is_offered_only_her_forms(
    demo_server, browser, axe
):
    served, _ = demo_server
    with person(browser, axe, served.url) as page:
        sign_in(page, "Priya Shah")
        page.get_by_role("link", name="Isla Campbell").first.click()
        expect(page.locator("#form-review")).to_have_count(0)
        expect(page.locator("#form-stage")).to_have_count(0)
        form = page.locator("#form-contribution")
        form.locator("summary").click()
        form.get_by_label("Kind of contribution").fill("observation")
        form.get_by_label("Contribution", exact=True).fill(
            "Followed a two-step instruction with the visual cue, unprompted."
        )
        form.get_by_role("button", name="Add the contribution").click()
        expect(status(page)).to_contain_text("Contribution added.")
        expect(page.locator("#contributions-list")).to_contain_text("two-step instruction")
        check(page, "13-plan-practitioner")


def test_a_newcomer_opens_the_printed_url_and_finds_the_demo(tmp_path, browser, axe):
    # The embedded default, exactly as README tells a newcomer: no settings at all.
    with serve(clean_env(), cwd=tmp_path) as served, person(browser, axe, served.url) as page:
        page.goto(served.printed_url())
        expect(page).to_have_url(re.compile(r"/sign-in$"))
        sign_in(page, "Fiona MacLeod")
        expect(page.get_by_role("link", name="Isla Campbell").first).to_be_visible()
        check(page, "14-newcomer-my-plans")


def test_signing_in_with_an_organisations_account_in_the_browser(postgres_url, browser, axe):
    with FakeIdp(auto_approve=False) as idp:
        env = clean_env(
            database_url=postgres_url,
            encryption_key=new_master_key(),
            oidc_issuer=idp.issuer,
            oidc_audience=idp.client_id,
            oidc_client_id=idp.client_id,
            oidc_client_secret=idp.client_secret,
            web_secret="browser-web-secret-0123456789abcdef",
        )
        load_demo(env)
        with serve(env) as served, person(browser, axe, served.url) as page:
            page.goto("/")
            expect(page.get_by_text("Who are you?")).to_have_count(0)
            check(page, "15-sign-in-organisation")
            page.get_by_role("link", name="Sign in with your organisation").click()
            expect(page.get_by_role("heading", name="Fake organisation sign-in")).to_be_visible()
            page.get_by_role("link", name="Continue as Fiona MacLeod").click()
            expect(page.locator("header")).to_contain_text("Signed in as Fiona MacLeod")
            expect(page).to_have_url(re.compile(r"/plans$"))
            expect(page.get_by_role("link", name="Isla Campbell").first).to_be_visible()
    assert idp.token_requests == 1


def test_a_csp_from_request_to_signed_plan_to_statutory_review_through_the_pages(
    demo_server, browser, axe
):
    served, _ = demo_server
    with person(browser, axe, served.url) as lead:
        sign_in(lead, "Fiona MacLeod")
        opening = lead.locator("#form-open")
        opening.locator("summary").click()
        opening.get_by_label("Child or young person's full name").fill("Rory Munro")
        opening.get_by_label("Date of birth").fill("2014-09-01")
        opening.get_by_label("Type of plan").select_option("csp")
        opening.get_by_role("button", name="Open the plan").click()
        expect(lead.get_by_role("heading", name="Rory Munro's plan", level=1)).to_be_visible()
        plan_url = lead.url.split("?")[0]

        request = lead.locator("#form-csp_request")
        request.locator("summary").click()
        request.get_by_label("Who asked").select_option("parent_carer")
        request.get_by_role("button", name="Record the request").click()
        expect(status(lead)).to_contain_text("must answer within 8 weeks")
        expect(lead.locator('[data-clock="csp_request_answer"]')).to_be_visible()
        expect(lead.locator("#form-csp_answer")).to_have_count(0)  # the officer's decision
        check(lead, "20-csp-requested-lead")

    with person(browser, axe, served.url) as officer:
        sign_in(officer, "Douglas Reid")
        expect(officer.locator("main")).to_contain_text("Rory Munro")
        officer.goto(plan_url)
        answer = officer.locator("#form-csp_answer")
        answer.locator("summary").click()
        answer.get_by_label("Answer").select_option("will_establish")
        answer.get_by_label("Reason (told to the family)").fill("Complex factors")
        answer.get_by_role("button", name="Record the answer").click()
        expect(officer.locator('[data-clock="csp_preparation"]')).to_be_visible()

        decision = officer.locator("#form-csp_decision")
        decision.locator("summary").click()
        decision.get_by_label("Is a CSP needed?").select_option("yes")
        decision.get_by_label("Reasons").fill("The four tests of s.2 are met")
        decision.get_by_role("button", name="Record the decision").click()
        expect(status(officer)).to_contain_text("Decision recorded")

        sign = officer.locator("#form-csp_sign")
        sign.locator("summary").click()
        sign.get_by_role("button", name="Sign the plan").click()
        expect(officer.locator("#csp-signed")).to_contain_text("Signed by Douglas Reid")
        expect(officer.locator('[data-clock="csp_review"]')).to_have_attribute(
            "data-status", "running"
        )
        expect(officer.locator('[data-clock="csp_preparation"]')).to_have_count(0)
        check(officer, "21-csp-signed-officer")

    with person(browser, axe, served.url) as lead:
        sign_in(lead, "Fiona MacLeod")
        lead.goto(plan_url)
        begin = lead.locator("#form-csp_review")
        begin.locator("summary").click()
        begin.get_by_role("button", name="Begin the review").click()
        expect(lead.locator('[data-clock="csp_review_completion"]')).to_be_visible()

        review = lead.locator("#form-review")
        review.locator("summary").click()
        review.get_by_label("Summary of the discussion").fill("The plan still meets Rory's needs.")
        review.get_by_label("Kind of review").select_option("statutory")
        review.get_by_role("button", name="Record the review").click()
        expect(status(lead)).to_contain_text("Review recorded")
        expect(lead.locator('[data-clock="csp_review_completion"]')).to_have_count(0)
        expect(lead.locator("#reviews")).to_contain_text("(statutory review)")
        check(lead, "22-csp-reviewed-lead")


def test_a_therapist_adds_to_the_chronology_and_the_family_reads_it_by_indicator(
    demo_server, browser, axe
):
    served, plan_id = demo_server
    with person(browser, axe, served.url) as page:
        sign_in(page, "Priya Shah")
        page.get_by_role("link", name="Isla Campbell").first.click()
        form = page.locator("#form-chronology")
        form.locator("summary").click()
        form.get_by_label("What kind of entry").select_option("strength")
        form.get_by_label("What happened").fill("Asked a question in assembly in front of P6.")
        form.get_by_label("Where the information came from").fill("SLT session notes")
        form.get_by_label("Included").check()
        form.get_by_label("Respected").check()
        form.get_by_role("button", name="Add to the chronology").click()
        expect(status(page)).to_contain_text("Added to the chronology.")
        expect(page.locator("#chronology-list")).to_contain_text("Asked a question in assembly")
        check(page, "20-chronology-practitioner")
        page.get_by_role("link", name="One agency's chronology").click()
        page.get_by_role("link", name="Speech and Language Therapy, NHS Lothian").click()
        expect(page.locator("#chronology-list")).to_contain_text("Asked a question in assembly")
        expect(page.locator("#chronology-list")).not_to_contain_text("Late on 9 of 15 mornings")
        expect(
            # Its cells: what the assessment found, outcomes, then what is going well.
            page.locator('#wellbeing-table tr[data-indicator="respected"] td').nth(2)
        ).to_have_text("2")
        check(page, "21-chronology-one-agency-and-wheel")
    with person(browser, axe, served.url, phone=True) as page:
        sign_in(page, "Morag Campbell")
        page.goto(f"/plans/{plan_id}")
        expect(page.locator("#chronology")).to_contain_text("Something going well")
        expect(page.locator("#chronology")).to_contain_text("Asked a question in assembly")
        check(page, "22-chronology-family-phone")


def test_a_review_records_each_interventions_impact_and_an_amended_one_replaces_it(
    demo_server, browser, axe
):
    served, plan_id = demo_server
    with person(browser, axe, served.url) as page:
        sign_in(page, "Fiona MacLeod")
        page.goto(f"/plans/{plan_id}")
        form = page.locator("#form-review")
        form.locator("summary").click()
        form.get_by_label("Summary of the discussion").fill("Semantics working; move to a group.")
        form.get_by_label("Colourful semantics programme").fill("Uses full sentences in class.")
        form.get_by_role("button", name="Record the review").click()
        expect(status(page)).to_contain_text("Review recorded")
        provision = page.locator("#form-provision")
        provision.locator("summary").click()
        provision.get_by_label("Kind").select_option("intervention")
        provision.get_by_label("What will be done").fill("Colourful semantics in a group of three")
        provision.get_by_label("Amends an earlier provision").select_option(
            label="Colourful semantics programme"
        )
        provision.get_by_label("Sessions a week").fill("2")
        provision.get_by_role("button", name="Plan the provision").click()
        expect(status(page)).to_contain_text("Provision planned.")
        rows = page.locator("#provision-table tbody tr")
        old = rows.filter(has_text="Uses full sentences in class.")
        expect(old).to_have_attribute("data-status", "ended")
        amended = rows.filter(has_text="in a group of three")
        expect(amended).to_contain_text("Amends “Colourful semantics programme”")
        texts = rows.all_inner_texts()
        first = next(i for i, t in enumerate(texts) if "Uses full sentences" in t)
        assert "in a group of three" in texts[first + 1]
        check(page, "23-provision-amended-after-review")


def test_a_parent_chooses_one_email_a_day_on_her_phone(demo_server, browser, axe):
    served, _ = demo_server
    with person(browser, axe, served.url, phone=True) as page:
        sign_in(page, "Morag Campbell")
        page.get_by_role("link", name="Email").click()
        expect(page.get_by_role("heading", name="Email from Planledger", level=1)).to_be_visible()
        expect(page.get_by_label("Each change as it happens")).to_be_checked()
        check(page, "40-email-choices-phone")
        page.get_by_label("One message a day").check()
        page.get_by_label("Your email address").fill("morag@family.example")
        page.get_by_role("button", name="Save").click()
        expect(status(page)).to_contain_text("one message a day")
        check(page, "41-email-choice-saved")
        page.reload()
        expect(page.get_by_label("One message a day")).to_be_checked()
        expect(page.get_by_label("Your email address")).to_have_value("morag@family.example")
        fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert fits, "the Email page scrolls sideways on a phone"
