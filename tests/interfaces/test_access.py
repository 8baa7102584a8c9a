"""Who may do what, from the contract's "Who may do what", written out here on its own
(not imported from domain/access.py), so loosening any rule there fails a test.

For every kind of caller, every plan endpoint answers exactly: 200/201 when allowed,
403 on a plan the caller may see but may not change that way, 404 on a plan the caller
may not see at all. Allowed reads of personal data are logged; refusals write nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from domain.values import Role
from tests.interfaces.api import (
    ENDPOINTS,
    PERSONAL_READS,
    Endpoint,
    PlanRefs,
    a_disclosure,
    a_plan_request,
    a_revocation,
    days_from_today,
    now,
    post,
    problem_of,
    views,
)
from tests.interfaces.conftest import events_of
from tests.interfaces.people import (
    AGENCY_PRACTITIONER,
    ANALYST,
    LEAD,
    MEMBER_PRACTITIONER,
    OTHER_LEAD,
    OTHER_PARENT,
    OTHER_YOUNG_PERSON,
    OUTSIDE_PRACTITIONER,
    PARENT,
    REVIEWER,
    TRIBUNAL,
    YOUNG_PERSON,
    Person,
)

LP, PR, PC, YP, RV = (
    Role.LEAD_PROFESSIONAL,
    Role.PRACTITIONER,
    Role.PARENT_CARER,
    Role.YOUNG_PERSON,
    Role.REVIEWER,
)

ALLOWED_ON_A_PLAN_THEY_MAY_SEE: dict[str, set[Role]] = {
    "read plan": {LP, PR, PC, YP, RV},
    "read plan as of": {LP, PR, PC, YP, RV},
    "read history": {LP, PR, PC, YP, RV},
    "read access log": {LP},
    "add member": {LP},
    "join agency": {LP},
    "agree outcome": {LP},
    "set target": {LP, PR},
    "revise target": {LP},
    "plan provision": {LP, PR},
    "hold review": {LP},
    "evaluate target": {LP, PR},
    "change stage": {LP},
    "append contribution": {LP, PR},
    "record views": {LP, PC, YP},
    "add chronology entry": {LP, PR},
    "read chronology": {LP, PR, PC, YP, RV},
    "grant disclosure": {LP},
    "revoke disclosure": {LP},
    "close plan": {LP},
}
"""An analyst sees no plan at all, so has no row here."""


def nothing(client: TestClient, plan: PlanRefs) -> None:
    pass


def disclose(grantee: str, **fields: str) -> Callable[[TestClient, PlanRefs], str]:
    def arrange(client: TestClient, plan: PlanRefs) -> str:
        return post(
            client, LEAD, f"/api/plans/{plan.plan_id}/disclosures", a_disclosure(grantee, **fields)
        )["disclosure_id"]

    return arrange


def disclose_then_revoke(client: TestClient, plan: PlanRefs) -> None:
    disclosure_id = disclose(REVIEWER.sub)(client, plan)
    post(
        client,
        LEAD,
        f"/api/plans/{plan.plan_id}/disclosures/{disclosure_id}/revoke",
        a_revocation(),
    )


@dataclass(frozen=True)
class Situation:
    label: str
    person: Person
    sees_the_plan: bool
    arrange: Callable[[TestClient, PlanRefs], object] = nothing

    def expected(self, endpoint: Endpoint) -> tuple[int, bool, bool]:
        """(status, whether the read was logged, whether anything was written)."""
        if not self.sees_the_plan:
            status = 404
        elif self.person.role in ALLOWED_ON_A_PLAN_THEY_MAY_SEE[endpoint.name]:
            status = endpoint.success
        else:
            status = 403
        return status, status == 200 and endpoint.name in PERSONAL_READS, status == 201


SITUATIONS = (
    Situation("a lead professional who is a member", LEAD, True),
    Situation("a lead professional who is not a member", OTHER_LEAD, False),
    Situation("a practitioner who is a member", MEMBER_PRACTITIONER, True),
    Situation("a practitioner whose agency has joined", AGENCY_PRACTITIONER, True),
    Situation("a practitioner whose agency has not joined", OUTSIDE_PRACTITIONER, False),
    Situation("a parent who is a member", PARENT, True),
    Situation("a parent who is not a member", OTHER_PARENT, False),
    Situation("a young person who is a member", YOUNG_PERSON, True),
    Situation("a young person who is not a member", OTHER_YOUNG_PERSON, False),
    Situation(
        "a reviewer with a disclosure to them in force", REVIEWER, True, disclose(REVIEWER.sub)
    ),
    Situation(
        "a reviewer with a disclosure to their org in force",
        REVIEWER,
        True,
        disclose(TRIBUNAL, until=days_from_today(30)),
    ),
    Situation("a reviewer with no disclosure", REVIEWER, False),
    Situation("a reviewer whose disclosure was revoked", REVIEWER, False, disclose_then_revoke),
    Situation(
        "a reviewer whose disclosure has expired",
        REVIEWER,
        False,
        disclose(REVIEWER.sub, occurred_on=days_from_today(-10), until=days_from_today(-2)),
    ),
    Situation("an analyst", ANALYST, False),
)


def logged_reads(client: TestClient, plan: PlanRefs, person: Person) -> int:
    entries = client.app.state.planning.access_log(UUID(plan.plan_id))
    return sum(1 for e in entries if e.user_id == person.sub)


@pytest.mark.parametrize("situation", SITUATIONS, ids=lambda s: s.label)
def test_every_plan_endpoint_answers_exactly_as_the_contract_says(client, store, plan, situation):
    situation.arrange(client, plan)
    expected, actual = {}, {}
    for endpoint in ENDPOINTS:
        logged = logged_reads(client, plan, situation.person)
        written = events_of(store, plan.plan_id)
        response = endpoint.call(client, plan, situation.person)
        actual[endpoint.name] = (
            response.status_code,
            logged_reads(client, plan, situation.person) > logged,
            events_of(store, plan.plan_id) > written,
        )
        expected[endpoint.name] = situation.expected(endpoint)
        if response.status_code >= 400:
            problem_of(response)
    assert actual == expected


@pytest.mark.parametrize(
    "person",
    [LEAD, MEMBER_PRACTITIONER, PARENT, YOUNG_PERSON, REVIEWER, ANALYST],
    ids=lambda p: p.role.value,
)
def test_only_a_lead_professional_may_open_a_plan(client, person):
    response = client.post("/api/plans", json=a_plan_request(), headers=person.headers())
    assert response.status_code == (201 if person.role is LP else 403)


@pytest.mark.parametrize(
    "person",
    [LEAD, MEMBER_PRACTITIONER, PARENT, YOUNG_PERSON, REVIEWER, ANALYST],
    ids=lambda p: p.role.value,
)
def test_any_signed_in_user_may_read_the_stages(client, person):
    assert client.get("/api/stages", headers=person.headers()).status_code == 200


def test_a_young_person_may_not_record_a_parents_views(client, store, plan):
    written = events_of(store, plan.plan_id)
    response = client.post(
        f"/api/plans/{plan.plan_id}/views",
        json=views("parent_carer"),
        headers=YOUNG_PERSON.headers(),
    )
    assert (response.status_code, events_of(store, plan.plan_id)) == (403, written)


def test_every_plan_endpoint_needs_a_token(client, store, plan):
    written = events_of(store, plan.plan_id)
    responses = {e.name: e.call(client, plan, None) for e in ENDPOINTS}
    assert {name: r.status_code for name, r in responses.items()} == {
        e.name: 401 for e in ENDPOINTS
    }
    for response in responses.values():
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        problem_of(response)
    assert events_of(store, plan.plan_id) == written


@pytest.mark.parametrize(("method", "path"), [("GET", "/api/stages"), ("POST", "/api/plans")])
def test_the_other_endpoints_need_a_token_too(client, method, path):
    response = client.request(method, path, json=a_plan_request())
    assert response.status_code == 401
    problem_of(response)


@pytest.mark.parametrize("situation", SITUATIONS, ids=lambda s: s.label)
def test_the_plan_is_listed_to_exactly_those_who_may_see_it(client, plan, projector, situation):
    situation.arrange(client, plan)
    response = client.get("/api/plans", headers=situation.person.headers())
    if situation.person.role is Role.ANALYST:
        assert response.status_code == 403
    else:
        listed = {p["plan_id"] for p in response.json()["items"]}
        assert (plan.plan_id in listed) is situation.sees_the_plan


PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def bundle_reads(client: TestClient, plan: PlanRefs) -> dict[str, tuple]:
    """The plan given a document, a shared copy and an issued bundle; and every read of
    what a bundle is made of (path, query), which a reviewer may make while a disclosure
    is in force (domain/access.py: wider than API.md's one line)."""
    base = f"/api/plans/{plan.plan_id}"
    added = client.post(
        f"{base}/documents",
        files={"file": ("report.pdf", PDF, "application/pdf")},
        data={"title": "Speech and language report", "author": "Priya Shah", "kind": "report"},
        headers=LEAD.headers(),
    )
    assert added.status_code == 201, added.text
    post(client, LEAD, f"{base}/shared-copies", {"recipients": ["Morag"], "method": "email"})
    post(client, LEAD, f"{base}/bundles", {})
    return {
        "read plan": (base, {}),
        "read plan as of": (base, {"as_of": now()}),
        "read history": (f"{base}/history", {}),
        "read diff": (f"{base}/diff", {"from": "2000-01-01T00:00:00Z"}),
        "read chronology": (f"{base}/chronology", {}),
        "read clocks": (f"{base}/clocks", {}),
        "read documents": (f"{base}/documents", {}),
        "read a document": (f"{base}/documents/{added.json()['document_id']}", {}),
        "read shared copies": (f"{base}/shared-copies", {}),
        "read a shared copy": (f"{base}/shared-copies/1.pdf", {}),
        "read the bundle": (f"{base}/bundle.pdf", {}),
        "read issued bundles": (f"{base}/bundles", {}),
        "read an issued bundle": (f"{base}/bundles/1.pdf", {}),
        "read the export": (f"{base}/export", {}),
        "read access log": (f"{base}/access-log", {}),
    }


def statuses(client: TestClient, reads: dict[str, tuple]) -> dict[str, int]:
    return {
        name: client.get(path, params=query, headers=REVIEWER.headers()).status_code
        for name, (path, query) in reads.items()
    }


def test_a_reviewer_reads_all_a_bundle_holds_until_the_disclosure_is_revoked(client, plan):
    reads = bundle_reads(client, plan)
    disclosure_id = disclose(REVIEWER.sub)(client, plan)
    in_force = {name: 200 for name in reads} | {"read access log": 403}
    assert statuses(client, reads) == in_force
    post(
        client,
        LEAD,
        f"/api/plans/{plan.plan_id}/disclosures/{disclosure_id}/revoke",
        a_revocation(),
    )
    assert statuses(client, reads) == {name: 404 for name in reads}


def test_a_reviewer_reads_none_of_it_once_the_disclosure_has_expired(client, plan):
    reads = bundle_reads(client, plan)
    disclose(REVIEWER.sub, occurred_on=days_from_today(-10), until=days_from_today(-2))(
        client, plan
    )
    assert statuses(client, reads) == {name: 404 for name in reads}
