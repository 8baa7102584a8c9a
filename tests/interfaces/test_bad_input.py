"""Bad requests get the problem the contract names, safe to show, and write nothing."""

from __future__ import annotations

import time
from uuid import uuid4

import jwt
import pytest

from tests.interfaces.api import (
    ENDPOINTS,
    PlanRefs,
    a_contribution,
    a_disclosure,
    a_plan_request,
    a_provision,
    a_review,
    a_revision,
    a_revocation,
    a_stage_change,
    a_target,
    an_evaluation,
    an_outcome,
    assert_safe_error,
    days_from_today,
    views,
)
from tests.interfaces.people import CHILD_NAME, LEAD, SECRET


@pytest.fixture
def plan(plan_with_target):
    """No more is needed here than a plan with a target."""
    return plan_with_target


def events_anywhere(store) -> int:
    return store.recorder.max_notification_id() or 0


@pytest.fixture
def refuses(client, store):
    """Sends a request and checks it was refused with `status`, safely, writing nothing."""

    def send(status: int, method: str, path: str, headers: dict | None = None, **kwargs):
        before = events_anywhere(store)
        response = client.request(method, path, headers=headers or LEAD.headers(), **kwargs)
        assert response.status_code == status, response.text
        assert_safe_error(response)
        assert events_anywhere(store) == before
        return response

    return send


def without(body: dict, field: str) -> dict:
    return {k: v for k, v in body.items() if k != field}


MALFORMED = {
    "JSON that does not parse": ("/outcomes", {"content": b'{"text": "Play", '}),
    "JSON that is not UTF-8": ("/outcomes", {"content": b'{"text": "\xff\xfe", "area": "x"}'}),
    "JSON that is not an object": ("/outcomes", {"json": ["Play", "Social"]}),
    "no body at all": ("/outcomes", {}),
    "a body that is not JSON": (
        "/outcomes",
        {"content": b"text=Play", "headers": {"Content-Type": "text/plain"}},
    ),
    "a number for a text": ("/outcomes", {"json": {"text": 5, "area": "Social"}}),
    "a list for a text": ("/outcomes", {"json": {"text": "Play", "area": ["Social"]}}),
    "a NUL character in a text": ("/outcomes", {"json": {"text": "Play\u0000", "area": "x"}}),
    "a NUL character in a list": ("/reviews", {"json": {**a_review(), "attendees": ["\u0000"]}}),
    "an empty text": ("/outcomes", {"json": {"text": "", "area": "Social"}}),
    "an unknown field": ("/outcomes", {"json": {**an_outcome(), "colour": "blue"}}),
    "a missing required field": ("/outcomes", {"json": without(an_outcome(), "area")}),
    "a date that is not a date": (
        "/targets",
        {"json": {**a_target(str(uuid4())), "due_on": "next Tuesday"}},
    ),
    "an outcome id that is not a uuid": ("/targets", {"json": a_target("outcome-1")}),
    "an unknown provision kind": ("/provisions", {"json": {**a_provision(), "kind": "magic"}}),
    "a negative cost": ("/provisions", {"json": {**a_provision(), "cost": "-5"}}),
    "an unknown progress": (
        "/targets/{target_id}/evaluations",
        {"json": an_evaluation("brilliant")},
    ),
    "an unknown whose": ("/views", {"json": views("grandparent")}),
    "an unknown member role": (
        "/members",
        {"json": {"user_id": "u-9", "role": "analyst", "name": "Ana"}},
    ),
    "review attendees that are not a list": (
        "/reviews",
        {"json": {**a_review(), "attendees": "Fiona and Morag"}},
    ),
    "a disclosure with no purpose": (
        "/disclosures",
        {"json": without(a_disclosure("u-reviewer-1"), "purpose")},
    ),
    "an occurred_on that is not a date": (
        "/contributions",
        {"json": {**a_contribution(), "occurred_on": "yesterday"}},
    ),
}


@pytest.mark.parametrize("case", MALFORMED, ids=str)
def test_malformed_input_is_422(refuses, plan, case):
    path, kwargs = MALFORMED[case]
    headers = {**LEAD.headers(), **kwargs.pop("headers", {})} if "headers" in kwargs else None
    url = f"/api/plans/{plan.plan_id}" + path.format(target_id=plan.target_id)
    refuses(422, "POST", url, headers=headers, **dict(kwargs))


PLAN_BODIES = {
    "an unknown plan type": {**a_plan_request(), "plan_type": "nhs_plan"},
    "a child with no date of birth": {**a_plan_request(), "child": {"name": CHILD_NAME}},
    "a child's name where the child should be": {**a_plan_request(), "child": CHILD_NAME},
    "a child with a date of birth that is not a date": {
        **a_plan_request(),
        "child": {"name": CHILD_NAME, "date_of_birth": "14/03/2016"},
    },
    "a child with an unknown field": {
        **a_plan_request(),
        "child": {"name": CHILD_NAME, "date_of_birth": "2016-03-14", "nhs_number": "943 476 5919"},
    },
    "no org": without(a_plan_request(), "org"),
    "an org with a NUL character": {**a_plan_request(), "org": "school:\u0000"},
}


@pytest.mark.parametrize("case", PLAN_BODIES, ids=str)
def test_a_malformed_plan_is_422_and_never_echoes_the_child(refuses, case):
    response = refuses(422, "POST", "/api/plans", json=PLAN_BODIES[case])
    assert response.json()["type"] == "/problems/invalid-input"


@pytest.mark.parametrize("query", [{"stage": "\u0000"}, {"stage": "level\u00002"}])
def test_a_nul_character_in_a_list_query_is_422(client, projector, query):
    response = client.get("/api/plans", params=query, headers=LEAD.headers())
    assert response.status_code == 422
    assert_safe_error(response)


class TestTooLarge:
    def test_a_body_over_the_limit_is_413(self, refuses, plan, settings):
        body = {**a_contribution(), "text": "x" * (settings.max_body_bytes + 1)}
        refuses(413, "POST", f"/api/plans/{plan.plan_id}/contributions", json=body)

    def test_a_streamed_body_over_the_limit_is_413(self, refuses, plan, settings):
        chunks = (b"x" * 65536 for _ in range(settings.max_body_bytes // 65536 + 2))
        refuses(
            413,
            "POST",
            f"/api/plans/{plan.plan_id}/contributions",
            content=chunks,
            headers={**LEAD.headers(), "Content-Type": "application/json"},
        )


def test_every_endpoint_answers_404_for_an_unknown_plan(client, store, plan):
    unknown = PlanRefs(str(uuid4()), plan.outcome_id, plan.target_id, str(uuid4()))
    before = events_anywhere(store)
    responses = {e.name: e.call(client, unknown, LEAD) for e in ENDPOINTS}
    assert {name: r.status_code for name, r in responses.items()} == {
        e.name: 404 for e in ENDPOINTS
    }
    for response in responses.values():
        assert_safe_error(response)
    assert events_anywhere(store) == before


REFUSED_BY_A_RULE = {
    "revising an unknown target": ("/targets/{unknown}/revisions", a_revision()),
    "evaluating an unknown target": ("/targets/{unknown}/evaluations", an_evaluation()),
    "a review evaluating an unknown target": ("/reviews", a_review(str(uuid4()))),
    "a target under an unknown outcome": ("/targets", a_target(str(uuid4()))),
    "provision for an unknown target": ("/provisions", a_provision([str(uuid4())])),
    "revoking an unknown disclosure": ("/disclosures/{unknown}/revoke", a_revocation()),
    "an unknown stage": ("/stage", a_stage_change("level-9")),
    "the stage the plan is already at": ("/stage", a_stage_change("additional")),
    "something that happened tomorrow": (
        "/contributions",
        {**a_contribution(), "occurred_on": days_from_today(1)},
    ),
    "a review whose next review is before it": (
        "/reviews",
        {**a_review(), "next_review_on": days_from_today(-1)},
    ),
}


@pytest.mark.parametrize("case", REFUSED_BY_A_RULE, ids=str)
def test_a_command_a_rule_refuses_is_409(refuses, plan, case):
    path, body = REFUSED_BY_A_RULE[case]
    url = f"/api/plans/{plan.plan_id}" + path.format(unknown=uuid4())
    assert refuses(409, "POST", url, json=body).json()["type"] == "/problems/rule-refused"


def test_an_evaluation_of_a_target_already_achieved_is_409(client, refuses, plan):
    url = f"/api/plans/{plan.plan_id}/targets/{plan.target_id}/evaluations"
    assert client.post(url, json=an_evaluation("achieved"), headers=LEAD.headers()).is_success
    refuses(409, "POST", url, json=an_evaluation())


def claims(**changes) -> dict:
    now = int(time.time())
    base = {
        "sub": LEAD.sub,
        "name": LEAD.name,
        "role": "lead_professional",
        "org": LEAD.org,
        "iat": now,
        "exp": now + 600,
    }
    return {k: v for k, v in {**base, **changes}.items() if v is not None}


BAD_TOKENS = {
    "an expired token": jwt.encode(claims(exp=int(time.time()) - 60), SECRET, "HS256"),
    "a token signed with another secret": jwt.encode(claims(), "x" * 48, "HS256"),
    "an unsigned token (alg none)": jwt.encode(claims(), None, "none"),
    "a token signed with HS512": jwt.encode(claims(), SECRET, "HS512"),
    "a token with no subject": jwt.encode(claims(sub=None), SECRET, "HS256"),
    "a token with no role": jwt.encode(claims(role=None), SECRET, "HS256"),
    "a token with no expiry": jwt.encode(claims(exp=None), SECRET, "HS256"),
    "a token with an unknown role": jwt.encode(claims(role="admin"), SECRET, "HS256"),
    "a token with the system role": jwt.encode(claims(role="system"), SECRET, "HS256"),
    "a token that is not a JWT": "not-a-jwt",
    "a token whose signature was changed": LEAD.token()[:-4] + "AAAA",
}


@pytest.mark.parametrize("case", BAD_TOKENS, ids=str)
def test_a_bad_token_is_401(refuses, plan, case):
    headers = {"Authorization": f"Bearer {BAD_TOKENS[case]}"}
    response = refuses(
        401,
        "POST",
        f"/api/plans/{plan.plan_id}/contributions",
        headers=headers,
        json=a_contribution(),
    )
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_token_in_another_scheme_is_401(refuses, plan):
    headers = {"Authorization": f"Basic {LEAD.token()}"}
    refuses(401, "GET", f"/api/plans/{plan.plan_id}", headers=headers)
