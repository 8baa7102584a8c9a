"""A plan written through the API in one authority, with something of each kind on it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.interfaces.api import (
    PlanRefs,
    a_disclosure,
    a_member,
    a_target,
    an_agency,
    an_outcome,
)
from tests.interfaces.people import LEAD, MEMBER_PRACTITIONER, PARENT, YOUNG_PERSON
from tests.tenancy.callers import open_plan, post


def a_working_plan(client: TestClient, authority: str, **fields: str) -> PlanRefs:
    """As tests/interfaces/api.a_working_plan, in `authority`'s store."""
    plan_id = open_plan(client, LEAD, authority, **fields)
    base = f"/api/plans/{plan_id}"
    outcome_id = post(client, LEAD, authority, f"{base}/outcomes", an_outcome())["outcome_id"]
    target_id = post(client, LEAD, authority, f"{base}/targets", a_target(outcome_id))["target_id"]
    for person in (PARENT, YOUNG_PERSON, MEMBER_PRACTITIONER):
        post(client, LEAD, authority, f"{base}/members", a_member(person))
    post(client, LEAD, authority, f"{base}/agencies", an_agency())
    spare = post(client, LEAD, authority, f"{base}/disclosures", a_disclosure("nhs:camhs-lothian"))
    return PlanRefs(plan_id, outcome_id, target_id, spare["disclosure_id"])
