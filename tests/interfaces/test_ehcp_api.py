"""An EHC plan's steps through the API: request, decisions, draft, final plan, exceptions
and the decision after an annual review, each with the clock the regulation sets, and the
authority's decisions an officer's alone."""

from __future__ import annotations

from datetime import timedelta

from domain.calendar import today
from tests.interfaces.api import a_plan_request, post
from tests.interfaces.conftest import events_of
from tests.interfaces.people import LEAD, OFFICER


def ago(days: int) -> str:
    return (today() - timedelta(days=days)).isoformat()


def an_ehcp(client, opened_ago: int = 300) -> str:
    body = a_plan_request(plan_type="ehcp", occurred_on=ago(opened_ago))
    return post(client, LEAD, "/api/plans", body)["id"]


def clocks(client, plan_id):
    answer = client.get(f"/api/plans/{plan_id}/clocks", headers=LEAD.headers())
    assert answer.status_code == 200, answer.text
    return {c["name"]: c for c in answer.json()["items"]}


def through_the_final_plan(client, plan_id):
    base = f"/api/plans/{plan_id}/ehcp"
    post(
        client, LEAD, f"{base}/requests", {"requested_by": "parent_carer", "occurred_on": ago(200)}
    )
    post(client, OFFICER, f"{base}/assessment-decision", {"assess": True, "occurred_on": ago(170)})
    post(client, OFFICER, f"{base}/issue-decision", {"issue": True, "occurred_on": ago(100)})
    post(client, OFFICER, f"{base}/draft", {"occurred_on": ago(90)})
    post(client, OFFICER, f"{base}/issue", {"occurred_on": ago(70)})


def test_the_steps_to_a_final_plan_and_their_clocks(client):
    plan_id = an_ehcp(client)
    through_the_final_plan(client, plan_id)
    found = clocks(client, plan_id)
    assert found["ehcp_assessment_decision"]["status"] == "met"
    assert found["ehcp_final_plan"]["status"] == "met"  # 130 days: within 20 weeks
    assert found["ehcp_draft_representations"]["status"] == "met"
    assert "ehcp_issue_decision" not in found  # a decision to issue is not timed so
    assert found["ehcp_annual_review"]["status"] == "running"


def test_the_final_plan_before_the_familys_15_days_is_refused(client):
    plan_id = an_ehcp(client)
    base = f"/api/plans/{plan_id}/ehcp"
    post(client, LEAD, f"{base}/requests", {"requested_by": "school", "occurred_on": ago(100)})
    post(client, OFFICER, f"{base}/assessment-decision", {"assess": True, "occurred_on": ago(90)})
    post(client, OFFICER, f"{base}/issue-decision", {"issue": True, "occurred_on": ago(20)})
    post(client, OFFICER, f"{base}/draft", {"occurred_on": ago(10)})
    before = events_of(client.app.state.planning, plan_id)
    early = client.post(f"{base}/issue", json={}, headers=OFFICER.headers())
    assert early.status_code == 409, early.text
    assert "to comment on the draft" in early.json()["detail"]
    assert events_of(client.app.state.planning, plan_id) == before


def test_a_refusal_to_assess_needs_its_reason_and_opens_an_appeal_window(client):
    plan_id = an_ehcp(client)
    base = f"/api/plans/{plan_id}/ehcp"
    post(client, LEAD, f"{base}/requests", {"requested_by": "parent_carer", "occurred_on": ago(30)})
    bare = client.post(
        f"{base}/assessment-decision", json={"assess": False}, headers=OFFICER.headers()
    )
    assert bare.status_code == 422, bare.text
    post(
        client,
        OFFICER,
        f"{base}/assessment-decision",
        {"assess": False, "reason": "Needs met from the school's resources"},
    )
    clock = clocks(client, plan_id)["ehcp_assessment_decision"]
    assert clock["outcome"] == "decline" and clock["reference_by"]


def test_only_an_officer_takes_the_authoritys_decisions(client):
    plan_id = an_ehcp(client)
    base = f"/api/plans/{plan_id}/ehcp"
    post(client, LEAD, f"{base}/requests", {"requested_by": "parent_carer", "occurred_on": ago(30)})
    answer = client.post(
        f"{base}/assessment-decision", json={"assess": True}, headers=LEAD.headers()
    )
    assert answer.status_code == 403, answer.text


def test_an_exception_and_the_decision_after_an_annual_review(client):
    plan_id = an_ehcp(client, opened_ago=700)
    base = f"/api/plans/{plan_id}/ehcp"
    post(
        client, LEAD, f"{base}/requests", {"requested_by": "parent_carer", "occurred_on": ago(600)}
    )
    post(
        client,
        OFFICER,
        f"{base}/exceptions",
        {"ground": "absent_from_area", "reason": "Abroad for 6 weeks", "occurred_on": ago(590)},
    )
    post(client, OFFICER, f"{base}/assessment-decision", {"assess": True, "occurred_on": ago(500)})
    found = clocks(client, plan_id)
    assert found["ehcp_assessment_decision"]["status"] == "excepted"
    assert found["ehcp_assessment_decision"]["excepted"] == "absent_from_area"
    post(client, OFFICER, f"{base}/issue-decision", {"issue": True, "occurred_on": ago(460)})
    post(client, OFFICER, f"{base}/draft", {"occurred_on": ago(450)})
    post(client, OFFICER, f"{base}/issue", {"occurred_on": ago(430)})
    review = {
        "held_on": ago(80),
        "attendees": ["Fiona MacLeod"],
        "summary": "Annual review",
        "evaluations": [],
        "next_review_on": None,
        "kind": "statutory",
    }
    post(client, LEAD, f"/api/plans/{plan_id}/reviews", review)
    assert clocks(client, plan_id)["ehcp_review_decision"]["status"] == "missed"  # 80 days
    post(
        client,
        OFFICER,
        f"{base}/review-decision",
        {"decision": "amend", "reason": "Section F to add OT", "occurred_on": ago(40)},
    )
    assert clocks(client, plan_id)["ehcp_amended_plan"]["status"] == "running"
    post(client, OFFICER, f"{base}/issue", {"amended": True, "occurred_on": ago(20)})
    assert clocks(client, plan_id)["ehcp_amended_plan"]["status"] == "met"


def test_the_review_meetings_report_stops_its_2_weeks_once_per_meeting(client):
    plan_id = an_ehcp(client, opened_ago=700)
    through_the_final_plan(client, plan_id)
    review = {
        "held_on": ago(10),
        "attendees": ["Fiona MacLeod"],
        "summary": "Annual review",
        "evaluations": [],
        "next_review_on": None,
        "kind": "statutory",
    }
    post(client, LEAD, f"/api/plans/{plan_id}/reviews", review)
    running = clocks(client, plan_id)["ehcp_review_report"]
    assert (running["status"], running["due_on"]) == ("running", ago(-4))
    path = f"/api/plans/{plan_id}/ehcp/review-report"
    post(client, LEAD, path, {"recommendations": "Add OT to section F", "occurred_on": ago(3)})
    sent = clocks(client, plan_id)["ehcp_review_report"]
    assert (sent["status"], sent["stopped_on"]) == ("met", ago(3))
    again = client.post(path, json={}, headers=LEAD.headers())
    assert again.status_code == 409, again.text
    history = client.get(f"/api/plans/{plan_id}/history", headers=LEAD.headers()).json()
    assert "EhcpReviewReportSent" in [e["type"] for e in history["items"]]


def test_provision_is_quantified_over_the_year_with_its_funding_stream(client):
    plan_id = an_ehcp(client)
    body = {
        "kind": "intervention",
        "description": "Occupational therapy",
        "sessions_per_week": 1,
        "minutes_per_session": 45,
        "weeks_per_year": 38,
        "staff": "OT",
        "funding_stream": "health",
    }
    post(client, LEAD, f"/api/plans/{plan_id}/provisions", body)
    plan = client.get(f"/api/plans/{plan_id}", headers=LEAD.headers()).json()
    (provision,) = plan["provisions"]
    assert (provision["hours_per_year"], provision["quantified"]) == ("28.5", True)
    assert provision["funding_stream"] == "health"
    bad = client.post(
        f"/api/plans/{plan_id}/provisions",
        json={**body, "weeks_per_year": 53},
        headers=LEAD.headers(),
    )
    assert bad.status_code == 422
