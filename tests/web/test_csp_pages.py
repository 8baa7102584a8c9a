"""A CSP's pages: the officer's list of the authority's CSPs, each step a form for the
roles that may take it, the parts of the Schedule's form, the notices, and the family's
dates and rights in plain words."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from eventsourcing.utils import get_topic

from domain.access import Caller
from domain.events import AddMember, PlanOpened
from domain.values import Role
from interfaces.demo import DEMO_USERS
from interfaces.mail import SMTPTransport
from projections.engine.reading import ReadModels
from projections.outbox.sender import MailSettings, send_pending
from tests.web.pages import csrf_token, event_count, forms_on, sign_in

MORAG_MAIL = "morag@family.example"


def demo_csps(site) -> dict[str, UUID]:
    """The demo's CSPs by the child's name."""
    found = {}
    planning = site.planning
    for n in planning.recorder.select_notifications(
        start=1, limit=10_000, topics=[get_topic(PlanOpened)]
    ):
        opened = planning.mapper.to_domain_event(n)
        if opened.plan_type.value == "csp":
            found[opened.child.name] = opened.originator_id
    return found


def post_form(client, plan_id, path, **fields):
    page = client.get(f"/plans/{plan_id}").text
    return client.post(f"/plans/{plan_id}/{path}", data={"csrf_token": csrf_token(page), **fields})


def test_the_officer_sees_the_authoritys_csps_with_what_is_due(site):
    with site.client() as client:
        sign_in(client, "officer")
        mine = client.get("/plans").text
    assert "Calum Reid" in mine and "Ava Stewart" in mine
    assert "Isla Campbell" not in mine  # an IEP the officer is not a member of
    assert 'data-clock="csp_review"' in mine  # Calum's first statutory review is due
    assert 'data-clock="csp_preparation"' in mine  # Ava's 16 weeks are running


def test_each_step_is_a_form_only_for_the_roles_that_may_take_it(site):
    ava = demo_csps(site)["Ava Stewart"]
    with site.client() as client:
        sign_in(client, "officer")
        officer_forms = forms_on(client.get(f"/plans/{ava}").text).panels
    with site.client() as client:
        sign_in(client, "lead")
        lead_forms = forms_on(client.get(f"/plans/{ava}").text).panels
    assert "csp_decision" in officer_forms and "csp_decision" not in lead_forms
    assert "csp_delay" in officer_forms and "csp_delay" in lead_forms
    assert "csp_sign" not in officer_forms  # need is not decided yet


def test_a_csp_page_is_laid_out_as_the_schedule(site):
    calum = demo_csps(site)["Calum Reid"]
    with site.client() as client:
        sign_in(client, "lead")
        page = client.get(f"/plans/{calum}").text
    parts = [
        'data-section="child_details"',
        'data-section="parents"',
        'data-section="profile"',
        'data-section="factors"',
        'data-section="nominated_school"',
        'data-section="coordinator"',
        'data-section="contact_officer"',
        'data-section="review_timetable"',
    ]
    places = [page.index(p) for p in parts]
    assert places == sorted(places)
    assert "Kirsty Reid" in page and "Signed by Douglas Reid" in page
    assert 'data-notice="plan_copy"' in page
    assert "csp_review" in forms_on(page).panels  # the lead may begin the statutory review


def test_the_officer_decides_and_signs_through_the_pages(site):
    ava = demo_csps(site)["Ava Stewart"]
    with site.client() as client:
        sign_in(client, "officer")
        decided = post_form(
            client, ava, "csp/decision", needed="yes", reason="The four tests of s.2 are met"
        )
        assert decided.status_code == 303, decided.text
        assert "csp_sign" in forms_on(client.get(f"/plans/{ava}").text).panels
        signed = post_form(client, ava, "csp/sign")
        assert signed.status_code == 303, signed.text
        page = client.get(f"/plans/{ava}").text
    assert "Signed by Douglas Reid" in page
    assert 'data-clock="csp_review" data-status="running"' in page


def test_a_lead_posting_a_decision_is_refused_and_nothing_is_written(site):
    ava = demo_csps(site)["Ava Stewart"]
    before = event_count(site.planning, ava)
    with site.client() as client:
        sign_in(client, "lead")
        token = csrf_token(client.get(f"/plans/{ava}").text)
        answer = client.post(
            f"/plans/{ava}/csp/decision",
            data={"csrf_token": token, "needed": "yes", "reason": "x"},
        )
    assert answer.status_code == 403
    assert event_count(site.planning, ava) == before


def test_a_section_amended_needs_its_reason_and_the_page_says_so(site):
    calum = demo_csps(site)["Calum Reid"]
    before = event_count(site.planning, calum)
    with site.client() as client:
        sign_in(client, "lead")
        refused = post_form(client, calum, "sections", name="profile", text="Loves the pool")
        assert refused.status_code == 409
        assert "reason" in refused.text.lower()
        assert event_count(site.planning, calum) == before
        saved = post_form(
            client,
            calum,
            "sections",
            name="profile",
            text="Loves the pool and now swims for the school.",
            reason="Amended after the statutory review",
        )
        assert saved.status_code == 303, saved.text
        page = client.get(f"/plans/{calum}").text
    assert "now swims for the school" in page
    assert "Amended after the statutory review" in page


def test_a_notice_is_recorded_with_its_date(site):
    calum = demo_csps(site)["Calum Reid"]
    with site.client() as client:
        sign_in(client, "lead")
        answer = post_form(
            client,
            calum,
            "notices",
            kind="review_proposal",
            to="Kirsty Reid (mum)",
            method="letter",
        )
        assert answer.status_code == 303, answer.text
        page = client.get(f"/plans/{calum}").text
    assert 'data-notice="review_proposal"' in page
    # The demo gave the copy, not word to those providing the support: still owed.
    assert 'data-owed="providers_informed"' in page and 'data-owed="plan_copy"' not in page


def test_the_family_sees_when_they_were_told_things_and_their_rights(site):
    calum = demo_csps(site)["Calum Reid"]
    site.planning.change(
        calum,
        AddMember(user_id="u-morag", role=Role.PARENT_CARER, name="Morag Campbell"),
        Caller.of(DEMO_USERS["lead"]),
    )
    with site.client() as client:
        sign_in(client, "parent")
        page = client.get(f"/plans/{calum}").text
        asked = post_form(client, calum, "early-review-requests", requested_by="parent_carer")
        assert asked.status_code == 303, asked.text
        after = client.get(f"/plans/{calum}").text
    assert 'data-notice="plan_copy"' in page and "Given a copy of the plan" in page
    assert "Health and Education Chamber" in page
    assert "must answer within 4 weeks" in page
    assert "early_review_request" in forms_on(page).panels
    assert "early_review_request" not in forms_on(after).panels  # asked: now pending
    assert "csp_decision" not in forms_on(page).panels


def test_a_notice_emailed_from_the_page_shows_when_the_mail_server_took_it(site, inbox):
    calum = demo_csps(site)["Calum Reid"]
    site.planning.change(
        calum,
        AddMember(
            user_id="u-morag", role=Role.PARENT_CARER, name="Morag Campbell", email=MORAG_MAIL
        ),
        Caller.of(DEMO_USERS["lead"]),
    )
    with site.client() as client:
        sign_in(client, "officer")
        answer = post_form(
            client,
            calum,
            "notices",
            kind="review_proposal",
            to="Morag Campbell",
            method="email",
            by_email="yes",
        )
        assert answer.status_code == 303, answer.text
        waiting = client.get(f"/plans/{calum}").text
        settings = MailSettings(sender="pl@council.example", base_url="https://pl.example")
        with SMTPTransport(inbox.url) as smtp:
            send_pending(
                site.planning,
                ReadModels(site.planning).outbox(),
                smtp,
                settings,
                now=lambda: datetime.now(UTC),
            )
        served = client.get(f"/plans/{calum}").text
    with site.client() as client:
        sign_in(client, "parent")
        family = client.get(f"/plans/{calum}").text
    assert "To be emailed: not yet accepted by a mail server" in waiting
    (message,) = [m for m in inbox.to(MORAG_MAIL) if "Notice from" in m["Subject"]]
    message_id = message["Message-ID"].strip().replace("<", "&lt;").replace(">", "&gt;")
    assert "Emailed to Morag Campbell: accepted by the mail server at" in served
    assert message_id in served
    assert "emailed to Morag Campbell" in family
