"""Requests to the API as a client makes them: bodies, the plan endpoints, and a plan
written through the API with something of each kind on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import astuple, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from fastapi.testclient import TestClient
from httpx import Response

from domain.calendar import today
from domain.values import Role
from tests.examples import SALT, SCHOOL
from tests.interfaces.people import (
    CHILD_NAME,
    LEAD,
    MEMBER_PRACTITIONER,
    PARENT,
    YOUNG_PERSON,
    Person,
)

Body = dict[str, Any]


def days_from_today(n: int) -> str:
    return (today() + timedelta(days=n)).isoformat()


def now() -> str:
    return datetime.now(UTC).isoformat()


# -- bodies ---------------------------------------------------------------------------


def a_plan_request(child_name: str = CHILD_NAME, **fields: Any) -> Body:
    return {
        "plan_type": "iep",
        "stage": "additional",
        "org": SCHOOL,
        "child": {"name": child_name, "date_of_birth": "2016-03-14"},
        **fields,
    }


def a_member(person: Person) -> Body:
    return {"user_id": person.sub, "role": person.role.value, "name": person.name}


def an_agency(org: str = SALT) -> Body:
    return {"org": org, "name": "Speech and Language Therapy", "kind": "salt"}


def an_outcome() -> Body:
    return {
        "text": "I will play with my friends at break",
        "area": "Social and emotional",
        "aspiration": "To have good friends",
    }


def a_target(outcome_id: str) -> Body:
    return {
        "outcome_id": outcome_id,
        "text": "Take turns in a board game with two peers",
        "due_on": days_from_today(60),
        "success_criteria": "Three sessions in a row",
    }


def a_revision(text: str = "Take turns in a board game with three peers") -> Body:
    return {"text": text, "reason": "Two peers is now easy for her"}


def a_provision(target_ids: list[str] | None = None) -> Body:
    return {
        "kind": "intervention",
        "description": "Lego-based social skills group",
        "target_ids": target_ids or [],
        "frequency": "2 x 30 min per week",
        "staff": "PSA",
        "cost": "640.00",
        "recommended_by": "EP",
    }


def an_evaluation(progress: str = "partially_achieved") -> Body:
    return {"progress": progress, "impact": "Waits for her turn with an adult nearby"}


def a_review(*target_ids: str) -> Body:
    return {
        "held_on": days_from_today(0),
        "attendees": ["Fiona MacLeod", "Morag Campbell"],
        "summary": "A good term",
        "next_review_on": days_from_today(90),
        "evaluations": [
            {
                "target_id": t,
                "progress": "partially_achieved",
                "impact": "Taking turns with support",
            }
            for t in target_ids
        ],
    }


def a_stage_change(stage: str = "targeted") -> Body:
    return {"stage": stage, "reason": "Health and social work are now involved"}


def a_contribution() -> Body:
    return {"kind": "assessment_summary", "text": "Receptive language below age expectations"}


def an_entry(**fields: Any) -> Body:
    return {
        "occurred_on": days_from_today(-30),
        "source": "Class teacher",
        "kind": "concern",
        "text": "Absent for five days; no contact from home",
        "impact": "Missed the start of the reading group",
        "action": "Home visit arranged",
        "wellbeing": ["included", "achieving"],
        **fields,
    }


def views(whose: str = "child") -> Body:
    return {"whose": whose, "text": "Break time is too loud"}


def a_disclosure(grantee: str, until: str | None = None, occurred_on: str | None = None) -> Body:
    body: Body = {"grantee": grantee, "purpose": "Tribunal appeal"}
    if until:
        body["until"] = until
    if occurred_on:
        body["occurred_on"] = occurred_on
    return body


def a_revocation() -> Body:
    return {"reason": "The appeal was withdrawn"}


def a_closure() -> Body:
    return {"reason": "Moved to secondary school"}


# -- a plan written through the API ---------------------------------------------------


@dataclass(frozen=True)
class PlanRefs:
    plan_id: str
    outcome_id: str
    target_id: str
    spare_disclosure_id: str | None


def post(client: TestClient, person: Person, path: str, body: Body, **headers: str) -> Body:
    response = client.post(path, json=body, headers=person.headers(**headers))
    assert response.status_code == 201, response.text
    return response.json()


def open_plan(client: TestClient, lead: Person = LEAD, **fields: Any) -> str:
    return post(client, lead, "/api/plans", a_plan_request(**fields))["id"]


def a_plan_with_target(client: TestClient, lead: Person = LEAD) -> PlanRefs:
    """An open plan with an outcome and a target under it."""
    plan_id = open_plan(client, lead)
    base = f"/api/plans/{plan_id}"
    outcome_id = post(client, lead, f"{base}/outcomes", an_outcome())["outcome_id"]
    target_id = post(client, lead, f"{base}/targets", a_target(outcome_id))["target_id"]
    return PlanRefs(plan_id, outcome_id, target_id, spare_disclosure_id=None)


def a_working_plan(client: TestClient, lead: Person = LEAD) -> PlanRefs:
    """An open plan with an outcome, a target, a parent, a young person, a practitioner,
    an agency (speech and language therapy) and a disclosure to someone else."""
    plan_id, outcome_id, target_id, _ = astuple(a_plan_with_target(client, lead))
    base = f"/api/plans/{plan_id}"
    for person in (PARENT, YOUNG_PERSON, MEMBER_PRACTITIONER):
        post(client, lead, f"{base}/members", a_member(person))
    post(client, lead, f"{base}/agencies", an_agency(SALT))
    spare = post(client, lead, f"{base}/disclosures", a_disclosure("nhs:camhs-lothian"))
    return PlanRefs(plan_id, outcome_id, target_id, spare["disclosure_id"])


# -- every endpoint about one plan ----------------------------------------------------


def _whose_views(person: Person | None) -> str:
    """Each family role records its own views; professionals record the child's."""
    return "parent_carer" if person and person.role is Role.PARENT_CARER else "child"


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    body: Callable[[PlanRefs, Person | None], Body] | None = None
    query: Callable[[], dict[str, str]] | None = None

    @property
    def is_write(self) -> bool:
        return self.method == "POST"

    @property
    def success(self) -> int:
        return 201 if self.is_write else 200

    def url(self, refs: PlanRefs) -> str:
        return self.path.format(
            plan_id=refs.plan_id,
            target_id=refs.target_id,
            disclosure_id=refs.spare_disclosure_id,
        )

    def call(
        self,
        client: TestClient,
        refs: PlanRefs,
        person: Person | None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        if headers is None:
            headers = person.headers() if person else {}
        return client.request(
            self.method,
            self.url(refs),
            headers=headers,
            json=self.body(refs, person) if self.body else None,
            params=self.query() if self.query else None,
        )


PLAN = "/api/plans/{plan_id}"
ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("read plan", "GET", PLAN),
    Endpoint("read plan as of", "GET", PLAN, query=lambda: {"as_of": now()}),
    Endpoint("read history", "GET", PLAN + "/history"),
    Endpoint("read access log", "GET", PLAN + "/access-log"),
    Endpoint(
        "add member",
        "POST",
        PLAN + "/members",
        lambda r, p: {
            "user_id": f"u-{uuid4().hex[:8]}",
            "role": "parent_carer",
            "name": "Jean Thomson",
        },
    ),
    Endpoint(
        "join agency", "POST", PLAN + "/agencies", lambda r, p: an_agency(f"nhs:{uuid4().hex[:8]}")
    ),
    Endpoint("agree outcome", "POST", PLAN + "/outcomes", lambda r, p: an_outcome()),
    Endpoint("set target", "POST", PLAN + "/targets", lambda r, p: a_target(r.outcome_id)),
    Endpoint(
        "revise target", "POST", PLAN + "/targets/{target_id}/revisions", lambda r, p: a_revision()
    ),
    Endpoint(
        "plan provision", "POST", PLAN + "/provisions", lambda r, p: a_provision([r.target_id])
    ),
    Endpoint("hold review", "POST", PLAN + "/reviews", lambda r, p: a_review(r.target_id)),
    Endpoint(
        "evaluate target",
        "POST",
        PLAN + "/targets/{target_id}/evaluations",
        lambda r, p: an_evaluation(),
    ),
    Endpoint("change stage", "POST", PLAN + "/stage", lambda r, p: a_stage_change()),
    Endpoint("append contribution", "POST", PLAN + "/contributions", lambda r, p: a_contribution()),
    Endpoint("record views", "POST", PLAN + "/views", lambda r, p: views(_whose_views(p))),
    Endpoint("add chronology entry", "POST", PLAN + "/chronology", lambda r, p: an_entry()),
    Endpoint("read chronology", "GET", PLAN + "/chronology"),
    Endpoint(
        "grant disclosure",
        "POST",
        PLAN + "/disclosures",
        lambda r, p: a_disclosure(f"u-{uuid4().hex[:8]}"),
    ),
    Endpoint(
        "revoke disclosure",
        "POST",
        PLAN + "/disclosures/{disclosure_id}/revoke",
        lambda r, p: a_revocation(),
    ),
    Endpoint("close plan", "POST", PLAN + "/close", lambda r, p: a_closure()),
)
"""In an order every allowed call can follow: reads, writes, then revoking and closing."""

WRITES = tuple(e for e in ENDPOINTS if e.is_write)
PERSONAL_READS = frozenset(
    {"read plan", "read plan as of", "read history", "read access log", "read chronology"}
)


def problem_of(response: Response) -> Body:
    """The problem details of an error response, checked for their required members."""
    assert response.headers["content-type"] == "application/problem+json", response.headers
    problem = response.json()
    assert {"type", "title", "status", "detail"} <= problem.keys(), problem
    assert problem["status"] == response.status_code
    return problem


def assert_safe_error(response: Response) -> None:
    """An error names no child and shows no code."""
    problem_of(response)
    for leak in (CHILD_NAME, "Traceback", 'File "', ".py"):
        assert leak not in response.text, response.text
