"""An EHC plan's steps on its page: each a form for the role that may take it, the
family's 15 days on the draft kept, and the clocks on the page."""

from __future__ import annotations

from datetime import date, timedelta

from domain.access import Caller
from domain.events import (
    AddMember,
    DecideEhcpAssessment,
    DecideEhcpIssue,
    IssueEhcp,
    OpenPlan,
    ReceiveEhcpRequest,
    SendEhcpDraft,
)
from domain.statutory import EhcpAssessment, EhcpIssue, Requester
from domain.values import Child, PlanType, Role
from interfaces.demo import DEMO_USERS, SCHOOL
from tests.web.pages import csrf_token, forms_on, sign_in


def ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


def an_ehcp(site):
    return site.planning.open_plan(
        OpenPlan(
            plan_type=PlanType.EHCP,
            stage="additional",
            org=SCHOOL,
            child=Child(name="Oliver Hughes", date_of_birth=date(2015, 5, 2)),
        ),
        Caller.of(DEMO_USERS["lead"]),
        occurred_on=date.today() - timedelta(days=200),
    ).plan_id


def step(client, plan_id, path, **fields):
    page = client.get(f"/plans/{plan_id}").text
    answer = client.post(
        f"/plans/{plan_id}/{path}", data={"csrf_token": csrf_token(page), **fields}
    )
    return answer


def test_an_officer_takes_an_ehcp_from_request_to_final_plan_on_its_page(site):
    plan_id = an_ehcp(site)
    with site.client() as client:
        sign_in(client, "lead")
        assert (
            step(
                client, plan_id, "ehcp/requests", requested_by="parent_carer", occurred_on=ago(150)
            ).status_code
            == 303
        )
        assert "ehcp_assessment" not in forms_on(client.get(f"/plans/{plan_id}").text).panels
    with site.client() as client:
        sign_in(client, "officer")
        for path, fields in (
            ("ehcp/assessment-decision", {"assess": "yes", "occurred_on": ago(120)}),
            ("ehcp/issue-decision", {"issue": "yes", "occurred_on": ago(60)}),
            ("ehcp/draft", {"occurred_on": ago(5)}),
        ):
            answer = step(client, plan_id, path, **fields)
            assert answer.status_code == 303, (path, answer.text[:500])
        early = step(client, plan_id, "ehcp/issue", amended="no")
        assert early.status_code == 409
        assert "to comment on the draft" in early.text
        page = client.get(f"/plans/{plan_id}").text
    assert 'data-clock="ehcp_final_plan"' in page
    assert "the family may comment until" in page


def test_the_school_sends_the_annual_review_report_from_the_page_within_its_2_weeks(site):
    plan_id = an_ehcp(site)
    officer, lead = Caller.of(DEMO_USERS["officer"]), Caller.of(DEMO_USERS["lead"])
    for command, who, days in (
        (ReceiveEhcpRequest(requested_by=Requester.PARENT_CARER), lead, 190),
        (DecideEhcpAssessment(decision=EhcpAssessment.ASSESS), officer, 160),
        (DecideEhcpIssue(decision=EhcpIssue.ISSUE), officer, 100),
        (SendEhcpDraft(), officer, 90),
        (IssueEhcp(), officer, 60),
    ):
        site.planning.change(plan_id, command, who, occurred_on=date.today() - timedelta(days))
    with site.client() as client:
        sign_in(client, "lead")
        held = step(
            client,
            plan_id,
            "reviews",
            held_on=ago(5),
            attendees="Fiona MacLeod\nMorag Campbell",
            summary="Annual review",
            kind="statutory",
        )
        assert held.status_code == 303, held.text[:500]
        page = client.get(f"/plans/{plan_id}").text
        assert "ehcp_review_report" in forms_on(page).panels
        assert 'data-clock="ehcp_review_report"' in page
        sent = step(client, plan_id, "ehcp/review-report", recommendations="Add OT to section F")
        assert sent.status_code == 303, sent.text[:500]
        page = client.get(sent.headers["location"]).text
        timeline = client.get(f"/plans/{plan_id}/timeline").text
    assert "ehcp_review_report" not in forms_on(page).panels
    assert "Sent the annual review meeting" in timeline


def test_section_f_provision_not_quantified_is_flagged_on_the_page(site):
    plan_id = an_ehcp(site)
    with site.client() as client:
        sign_in(client, "lead")
        for description, weeks in (("Speech and language therapy", ""), ("Touch typing", "38")):
            answer = step(
                client,
                plan_id,
                "provisions",
                kind="intervention",
                description=description,
                sessions_per_week="2",
                minutes_per_session="30",
                weeks_per_year=weeks,
                staff="SALT",
                funding_stream="high_needs_top_up",
            )
            assert answer.status_code == 303, answer.text[:500]
        page = client.get(f"/plans/{plan_id}").text
    notice = page[page.index('id="provision-unquantified"') :]
    notice = notice[: notice.index("</p>")]
    assert "Speech and language therapy" in notice and "Touch typing" not in notice
    assert "38.0 hours a year" in page
    assert "High needs top-up from the council" in page


def test_the_family_reads_where_the_ehcp_stands_and_their_rights_and_may_ask_to_assess(site):
    plan_id = an_ehcp(site)
    lead = Caller.of(DEMO_USERS["lead"])
    site.planning.change(
        plan_id,
        AddMember(user_id=DEMO_USERS["parent"].id, role=Role.PARENT_CARER, name="Mum"),
        lead,
    )
    with site.client() as client:
        sign_in(client, "parent")
        page = client.get(f"/plans/{plan_id}").text
        assert "Your rights" in page and "within 6 weeks" in page
        assert "ehcp_request" in forms_on(page).panels
        asked = step(client, plan_id, "ehcp/requests", requested_by="parent_carer")
        assert asked.status_code == 303, asked.text[:500]
    officer = Caller.of(DEMO_USERS["officer"])
    site.planning.change(
        plan_id,
        DecideEhcpAssessment(decision=EhcpAssessment.DECLINE),
        officer,
        reason="Needs can be met from the school's resources",
    )
    with site.client() as client:
        sign_in(client, "parent")
        page = client.get(f"/plans/{plan_id}").text
    assert "The council decided not to assess." in page
    assert "You can appeal the latest decision until" in page  # 2 months from today
    assert "ehcp_request" not in forms_on(page).panels
