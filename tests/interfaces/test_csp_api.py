"""A CSP through the API as a council would take one: request, answer, decision, sections,
signature, statutory review, early review, notices, discontinuance; each of the
authority's decisions refused (403, nothing written) to every role but its officer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from domain.calendar import today
from tests.interfaces.api import a_member, a_plan_request, days_from_today, post
from tests.interfaces.conftest import events_of
from tests.interfaces.people import (
    AGENCY_PRACTITIONER,
    LEAD,
    OFFICER,
    PARENT,
    REVIEWER,
    YOUNG_PERSON,
    Person,
)


def ago(days: int) -> str:
    return (today() - timedelta(days=days)).isoformat()


def a_csp(client: TestClient, opened_ago: int = 400) -> str:
    plan_id = post(
        client, LEAD, "/api/plans", a_plan_request(plan_type="csp", occurred_on=ago(opened_ago))
    )["id"]
    for person in (PARENT, YOUNG_PERSON):
        post(client, LEAD, f"/api/plans/{plan_id}/members", a_member(person))
    post(
        client,
        LEAD,
        f"/api/plans/{plan_id}/agencies",
        {"org": AGENCY_PRACTITIONER.org, "name": "Speech and Language Therapy", "kind": "salt"},
    )
    return plan_id


def clocks(client: TestClient, plan_id: str, as_of: str | None = None) -> dict[str, dict]:
    query = f"?as_of={as_of}" if as_of else ""
    response = client.get(f"/api/plans/{plan_id}/clocks{query}", headers=LEAD.headers())
    assert response.status_code == 200, response.text
    return {c["name"]: c for c in response.json()["items"]}


def signed(client: TestClient, signed_ago: int = 200) -> str:
    """A CSP requested, agreed to, decided and signed, each on its own (past) day."""
    plan_id = a_csp(client)
    base = f"/api/plans/{plan_id}"
    request_id = post(
        client,
        PARENT,
        f"{base}/csp/requests",
        {"requested_by": "parent_carer", "occurred_on": ago(signed_ago + 100)},
    )["request_id"]
    post(
        client,
        OFFICER,
        f"{base}/csp/requests/{request_id}/answer",
        {
            "answer": "will_establish",
            "reason": "Complex needs",
            "occurred_on": ago(signed_ago + 90),
        },
    )
    post(
        client,
        OFFICER,
        f"{base}/csp/decision",
        {"needed": True, "reason": "s.2 met", "occurred_on": ago(signed_ago + 50)},
    )
    post(client, OFFICER, f"{base}/csp/sign", {"occurred_on": ago(signed_ago)})
    return plan_id


class TestTheStepsAndTheirClocks:
    def test_a_request_answered_decided_and_signed_runs_and_stops_its_clocks(self, client):
        plan_id = signed(client)
        found = clocks(client, plan_id)
        assert found["csp_request_answer"]["status"] == "met"
        preparation = found["csp_preparation"]
        assert (preparation["started_on"], preparation["stopped_on"], preparation["status"]) == (
            ago(290),
            ago(200),
            "met",
        )
        assert preparation["ceiling_on"] == (today() - timedelta(days=290 - 24 * 7)).isoformat()
        assert found["csp_review"]["started_on"] == ago(200)
        assert found["csp_review"]["status"] == "running"
        plan = client.get(f"/api/plans/{plan_id}", headers=LEAD.headers()).json()
        assert [(s["signed_on"], s["officer"]) for s in plan["signatures"]] == [
            (ago(200), OFFICER.name)
        ]
        history = client.get(f"/api/plans/{plan_id}/history", headers=LEAD.headers()).json()
        signing = next(e for e in history["items"] if e["type"] == "CspPrepared")
        assert signing["actor"]["role"] == "authority_officer"
        assert signing["actor"]["id"] == OFFICER.sub

    def test_the_clocks_as_they_stood_on_a_past_day(self, client):
        plan_id = signed(client)
        before_answer = clocks(client, plan_id, as_of=ago(295))
        assert set(before_answer) == {"csp_request_answer"}
        assert before_answer["csp_request_answer"]["status"] == "running"
        before_signing = clocks(client, plan_id, as_of=ago(201))
        assert before_signing["csp_preparation"]["stopped_on"] is None
        assert "csp_review" not in before_signing

    def test_a_refusal_carries_the_end_of_the_reference_window(self, client):
        plan_id = a_csp(client)
        base = f"/api/plans/{plan_id}"
        request_id = post(
            client, LEAD, f"{base}/csp/requests", {"requested_by": "school", "occurred_on": ago(30)}
        )["request_id"]
        post(
            client,
            OFFICER,
            f"{base}/csp/requests/{request_id}/answer",
            {"answer": "refused", "reason": "Needs met in school", "occurred_on": ago(4)},
        )
        refused = clocks(client, plan_id)["csp_request_answer"]
        assert refused["stopped_on"] == ago(4) and refused["reference_by"] is not None
        # Four days after the refusal the plan may not be closed: the window is open.
        response = client.post(f"{base}/close", json={"reason": "Refused"}, headers=LEAD.headers())
        assert response.status_code == 409, response.text
        assert refused["reference_by"] in response.json()["detail"]

    def test_a_delay_past_the_24_week_ceiling_is_refused(self, client):
        plan_id = a_csp(client)
        base = f"/api/plans/{plan_id}"
        post(client, LEAD, f"{base}/csp/proposal", {"occurred_on": ago(10)})
        ceiling = clocks(client, plan_id)["csp_preparation"]["ceiling_on"]
        late = client.post(
            f"{base}/csp/delays",
            json={
                "cause": "agency_advice_late",
                "new_due_on": days_from_today(24 * 7),
                "reason": "Health advice late",
            },
            headers=LEAD.headers(),
        )
        assert late.status_code == 409, late.text
        post(
            client,
            LEAD,
            f"{base}/csp/delays",
            {"cause": "agency_advice_late", "new_due_on": ceiling, "reason": "Health advice late"},
        )
        assert clocks(client, plan_id)["csp_preparation"]["due_on"] == ceiling

    def test_a_statutory_review_restarts_the_12_months_and_an_in_year_one_does_not(self, client):
        plan_id = signed(client, signed_ago=200)
        base = f"/api/plans/{plan_id}"
        review = {
            "attendees": ["Fiona MacLeod"],
            "summary": "Reviewed",
            "evaluations": [],
            "next_review_on": None,
        }
        post(client, LEAD, f"{base}/reviews", {**review, "held_on": ago(100)})
        assert clocks(client, plan_id)["csp_review"]["started_on"] == ago(200)
        no_review_begun = client.post(
            f"{base}/reviews",
            json={**review, "held_on": ago(60), "kind": "statutory"},
            headers=LEAD.headers(),
        )
        assert no_review_begun.status_code == 409
        review_id = post(client, LEAD, f"{base}/csp/reviews", {"occurred_on": ago(80)})["review_id"]
        assert review_id
        post(client, LEAD, f"{base}/reviews", {**review, "held_on": ago(60), "kind": "statutory"})
        items = client.get(f"{base}/clocks", headers=LEAD.headers()).json()["items"]
        reviews = [c for c in items if c["name"] == "csp_review"]
        assert [(c["started_on"], c["status"]) for c in reviews] == [
            (ago(200), "met"),
            (ago(60), "running"),
        ]
        completion = next(c for c in items if c["name"] == "csp_review_completion")
        assert (completion["stopped_on"], completion["status"]) == (ago(60), "met")

    def test_an_early_review_unanswered_is_a_deemed_refusal(self, client):
        plan_id = signed(client)
        base = f"/api/plans/{plan_id}"
        request_id = post(
            client,
            PARENT,
            f"{base}/early-review-requests",
            {"requested_by": "parent_carer", "occurred_on": ago(29)},
        )["request_id"]
        clock = clocks(client, plan_id)["early_review_answer"]
        assert (clock["due_on"], clock["status"], clock["deemed_refusal_on"]) == (
            ago(1),
            "deemed_refusal",
            ago(0),
        )
        answered = client.post(
            f"{base}/early-review-requests/{request_id}/answer",
            json={"answer": "granted", "reason": "Agreed"},
            headers=OFFICER.headers(),
        )
        assert answered.status_code == 201, answered.text
        assert clocks(client, plan_id)["early_review_answer"]["status"] == "missed"

    def test_an_extension_gives_12_weeks_from_the_request(self, client):
        plan_id = signed(client)
        base = f"/api/plans/{plan_id}"
        request_id = post(
            client,
            YOUNG_PERSON,
            f"{base}/early-review-requests",
            {"requested_by": "young_person", "occurred_on": ago(10)},
        )["request_id"]
        post(
            client,
            LEAD,
            f"{base}/early-review-requests/{request_id}/extension",
            {"reason": "Psychologist on leave"},
        )
        assert (
            clocks(client, plan_id)["early_review_answer"]["due_on"]
            == (today() - timedelta(days=10) + timedelta(weeks=12)).isoformat()
        )

    def test_an_answer_to_a_request_that_is_not_there_is_404(self, client):
        plan_id = a_csp(client)
        post(client, PARENT, f"/api/plans/{plan_id}/csp/requests", {"requested_by": "parent_carer"})
        response = client.post(
            f"/api/plans/{plan_id}/csp/requests/{plan_id}/answer",
            json={"answer": "refused", "reason": "x"},
            headers=OFFICER.headers(),
        )
        assert response.status_code == 404, response.text


class TestDiscontinuance:
    def test_not_before_a_review_recommends_it_nor_inside_its_window(self, client):
        plan_id = signed(client, signed_ago=300)
        base = f"/api/plans/{plan_id}"
        early = client.post(
            f"{base}/csp/discontinue", json={"reason": "Needs met"}, headers=OFFICER.headers()
        )
        assert early.status_code == 409
        post(client, LEAD, f"{base}/csp/reviews", {"occurred_on": ago(100)})
        post(
            client,
            LEAD,
            f"{base}/reviews",
            {
                "held_on": ago(90),
                "attendees": ["Fiona"],
                "summary": "Needs met",
                "evaluations": [],
                "next_review_on": None,
                "kind": "statutory",
                "recommends_discontinuance": True,
            },
        )
        inside = client.post(
            f"{base}/csp/discontinue",
            json={"reason": "Needs met", "occurred_on": ago(40)},
            headers=OFFICER.headers(),
        )
        assert inside.status_code == 409, inside.text
        post(client, OFFICER, f"{base}/csp/discontinue", {"reason": "Needs met"})
        plan = client.get(f"{base}", headers=LEAD.headers()).json()
        assert (plan["status"], plan["discontinued_on"]) == ("closed", today().isoformat())
        post(
            client,
            OFFICER,
            f"{base}/notices",
            {"kind": "discontinuance", "to": ["Morag Campbell"], "method": "letter"},
        )


class TestSectionsAndNotices:
    def test_a_section_is_recorded_read_and_amended_with_a_reason(self, client):
        plan_id = a_csp(client)
        base = f"/api/plans/{plan_id}"
        post(
            client,
            LEAD,
            f"{base}/sections/parents",
            {
                "text": "Mother has parental rights.",
                "parents": [
                    {
                        "name": "Morag Campbell",
                        "relationship": "mother",
                        "telephone": "0131 496 0000",
                    }
                ],
            },
        )
        again = client.post(
            f"{base}/sections/parents", json={"text": "Both parents."}, headers=LEAD.headers()
        )
        assert again.status_code == 409
        post(
            client,
            OFFICER,
            f"{base}/sections/parents",
            {
                "text": "Both parents.",
                "reason": "Father's details added",
                "parents": [
                    {"name": "Morag Campbell", "relationship": "mother"},
                    {"name": "Iain Campbell", "relationship": "father"},
                ],
            },
        )
        section = client.get(base, headers=LEAD.headers()).json()["sections"]["parents"]
        assert section["text"] == "Both parents."
        assert [p["relationship"] for p in section["parents"]] == ["mother", "father"]
        assert (
            section["actor"]["id"] == OFFICER.sub and section["reason"] == "Father's details added"
        )

    def test_a_section_the_plan_type_does_not_have_is_404_and_an_unknown_field_422(self, client):
        plan_id = a_csp(client)
        base = f"/api/plans/{plan_id}"
        before = events_of(client.app.state.planning, plan_id)
        missing = client.post(f"{base}/sections/h1", json={"text": "x"}, headers=LEAD.headers())
        assert missing.status_code == 404, missing.text
        wrong = client.post(
            f"{base}/sections/coordinator",
            json={"text": "x", "shoe_size": 9},
            headers=LEAD.headers(),
        )
        assert wrong.status_code == 422, wrong.text
        assert "shoe_size" in wrong.text
        assert events_of(client.app.state.planning, plan_id) == before

    def test_a_notice_shows_the_date_it_was_given(self, client):
        plan_id = signed(client)
        post(
            client,
            LEAD,
            f"/api/plans/{plan_id}/notices",
            {
                "kind": "plan_copy",
                "to": ["Morag Campbell"],
                "method": "post",
                "occurred_on": ago(199),
            },
        )
        notices = client.get(f"/api/plans/{plan_id}", headers=PARENT.headers()).json()["notices"]
        assert [(n["kind"], n["given_on"]) for n in notices] == [("plan_copy", ago(199))]

    def test_the_plan_is_handed_to_another_lead_professional(self, client):
        plan_id = a_csp(client)
        post(
            client,
            LEAD,
            f"/api/plans/{plan_id}/lead-professional",
            {"user_id": "u-lead-7", "name": "Euan Ross"},
        )
        plan = client.get(f"/api/plans/{plan_id}", headers=LEAD.headers()).json()
        assert plan["lead_professional"] == "u-lead-7"
        assert {"user_id": "u-lead-7", "role": "lead_professional", "name": "Euan Ross"} in plan[
            "members"
        ]


DECISIONS = [
    ("csp/decision", {"needed": True, "reason": "x"}),
    ("csp/sign", {}),
    ("csp/discontinue", {"reason": "x"}),
]
NOT_OFFICERS = [LEAD, AGENCY_PRACTITIONER, PARENT, YOUNG_PERSON]


@pytest.mark.parametrize("person", NOT_OFFICERS, ids=lambda p: p.role.value)
@pytest.mark.parametrize(("path", "body"), DECISIONS, ids=[d[0] for d in DECISIONS])
def test_only_an_officer_takes_the_authoritys_decisions(client, person: Person, path, body):
    plan_id = a_csp(client)
    post(client, LEAD, f"/api/plans/{plan_id}/csp/proposal", {})
    before = events_of(client.app.state.planning, plan_id)
    response = client.post(f"/api/plans/{plan_id}/{path}", json=body, headers=person.headers())
    assert response.status_code == 403, response.text
    assert events_of(client.app.state.planning, plan_id) == before


def test_an_extension_is_for_the_lead_or_the_officer(client):
    plan_id = signed(client)
    base = f"/api/plans/{plan_id}"
    early = post(client, PARENT, f"{base}/early-review-requests", {"requested_by": "parent_carer"})
    path = f"{base}/early-review-requests/{early['request_id']}/extension"
    before = events_of(client.app.state.planning, plan_id)
    for person in (PARENT, YOUNG_PERSON, AGENCY_PRACTITIONER):
        answer = client.post(path, json={"reason": "x"}, headers=person.headers())
        assert answer.status_code == 403, answer.text
    assert events_of(client.app.state.planning, plan_id) == before
    post(client, OFFICER, path, {"reason": "Psychologist on leave"})


@pytest.mark.parametrize("person", NOT_OFFICERS, ids=lambda p: p.role.value)
def test_only_an_officer_answers_requests(client, person: Person):
    plan_id = signed(client)
    base = f"/api/plans/{plan_id}"
    csp_request = post(
        client, LEAD, f"/api/plans/{a_csp(client)}/csp/requests", {"requested_by": "school"}
    )
    early = post(client, PARENT, f"{base}/early-review-requests", {"requested_by": "parent_carer"})
    before = events_of(client.app.state.planning, plan_id)
    for path, body in [
        (
            f"{base}/early-review-requests/{early['request_id']}/answer",
            {"answer": "granted", "reason": "x"},
        ),
    ]:
        assert client.post(path, json=body, headers=person.headers()).status_code == 403
    assert events_of(client.app.state.planning, plan_id) == before
    other = csp_request["plan_id"]
    refused = client.post(
        f"/api/plans/{other}/csp/requests/{csp_request['request_id']}/answer",
        json={"answer": "refused", "reason": "x"},
        headers=person.headers(),
    )
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("person", "path", "body"),
    [
        (PARENT, "csp/proposal", {}),
        (PARENT, "notices", {"kind": "plan_copy", "to": ["x"], "method": "post"}),
        (PARENT, "sections/profile", {"text": "x"}),
        (AGENCY_PRACTITIONER, "csp/reviews", {}),
        (AGENCY_PRACTITIONER, "csp/requests", {"requested_by": "agency"}),
        (YOUNG_PERSON, "lead-professional", {"user_id": "u-x", "name": "X"}),
        (PARENT, "csp/delays", {"cause": "x", "new_due_on": days_from_today(30), "reason": "x"}),
        (AGENCY_PRACTITIONER, "early-review-requests", {"requested_by": "parent_carer"}),
        (REVIEWER, "csp/reviews", {}),
    ],
    ids=lambda v: v.role.value if isinstance(v, Person) else None,
)
def test_steps_a_role_may_not_take_are_403_and_write_nothing(client, person, path, body):
    plan_id = signed(client)
    if person is REVIEWER:  # a reviewer sees the plan only while it is disclosed to them
        post(
            client,
            LEAD,
            f"/api/plans/{plan_id}/disclosures",
            {"grantee": REVIEWER.sub, "purpose": "Reference"},
        )
    before = events_of(client.app.state.planning, plan_id)
    response = client.post(f"/api/plans/{plan_id}/{path}", json=body, headers=person.headers())
    assert response.status_code == 403, response.text
    assert events_of(client.app.state.planning, plan_id) == before


def test_the_officer_sees_every_csp_but_no_other_plan(client):
    plan_id = a_csp(client)
    other = post(client, LEAD, "/api/plans", a_plan_request())["id"]
    assert client.get(f"/api/plans/{plan_id}", headers=OFFICER.headers()).status_code == 200
    assert client.get(f"/api/plans/{other}", headers=OFFICER.headers()).status_code == 404
    assert client.get(f"/api/plans/{plan_id}", headers=REVIEWER.headers()).status_code == 404
