"""Two authorities, two databases: nothing of one is ever answered to a caller of the other.

The caller of the other authority is the very same person (same user id, same org) as
the member who wrote the plan, so that only the routing by authority can refuse them.
"""

from __future__ import annotations

from uuid import UUID

import pytest

from interfaces.tenancy import Tenants
from tests.interfaces.api import (
    ENDPOINTS,
    Endpoint,
    a_plan_request,
    days_from_today,
    now,
    problem_of,
)
from tests.interfaces.people import (
    ANALYST,
    CHILD_NAME,
    LEAD,
    MEMBER_PRACTITIONER,
    PARENT,
    REVIEWER,
    YOUNG_PERSON,
)
from tests.tenancy.callers import headers, open_plan, post
from tests.tenancy.conftest import NORTH, SOUTH, count_rows
from tests.tenancy.plans import a_working_plan

EVIDENCE_AND_CLOCKS = (
    Endpoint("clocks", "GET", "/api/plans/{plan_id}/clocks"),
    Endpoint("shared copies", "GET", "/api/plans/{plan_id}/shared-copies"),
    Endpoint("shared copy", "GET", "/api/plans/{plan_id}/shared-copies/1.pdf"),
    Endpoint(
        "share",
        "POST",
        "/api/plans/{plan_id}/shared-copies",
        lambda r, p: {"recipients": ["Morag Campbell"], "method": "email"},
    ),
    Endpoint("diff", "GET", "/api/plans/{plan_id}/diff", query=lambda: {"from": now()}),
    Endpoint("export", "GET", "/api/plans/{plan_id}/export"),
    Endpoint(
        "bundle", "GET", "/api/plans/{plan_id}/bundle.pdf", query=lambda: {"to": days_from_today(0)}
    ),
)


def history_length(tenants: Tenants, authority: str, plan_id: str) -> int:
    tenant = tenants.get(authority)
    assert tenant is not None
    return len(tenant.planning.history(UUID(plan_id)))


def test_a_plan_is_stored_in_its_own_authoritys_database_only(client, tenant_urls):
    plan_id = open_plan(client, LEAD, NORTH)

    assert count_rows(tenant_urls[NORTH], "planning_events", plan_id) == 1
    assert count_rows(tenant_urls[NORTH], "planning_links", plan_id) == 1
    assert count_rows(tenant_urls[SOUTH], "planning_events", plan_id) == 0
    assert count_rows(tenant_urls[SOUTH], "planning_links", plan_id) == 0


@pytest.mark.parametrize(
    "person",
    [LEAD, MEMBER_PRACTITIONER, PARENT, YOUNG_PERSON, REVIEWER],
    ids=lambda p: p.role.value,
)
def test_no_endpoint_of_a_plan_answers_a_caller_of_another_authority(client, tenants, person):
    refs = a_working_plan(client, NORTH)
    # The reviewer is granted a disclosure too, so that in its own authority it could read.
    post(
        client,
        LEAD,
        NORTH,
        f"/api/plans/{refs.plan_id}/disclosures",
        {"grantee": REVIEWER.sub, "purpose": "Tribunal appeal"},
    )
    before = history_length(tenants, NORTH, refs.plan_id)
    mine = Endpoint("read plan", "GET", "/api/plans/{plan_id}")
    assert mine.call(client, refs, person, headers(person, NORTH)).status_code == 200

    for endpoint in (*ENDPOINTS, *EVIDENCE_AND_CLOCKS):
        response = endpoint.call(client, refs, person, headers(person, SOUTH))
        assert response.status_code == 404, (endpoint.name, response.text)
        assert problem_of(response)["type"] == "/problems/not-found"
        assert CHILD_NAME not in response.text

    assert history_length(tenants, NORTH, refs.plan_id) == before  # nothing was written


def test_a_caller_of_one_authority_cannot_read_the_other_even_with_its_plan_ids(client):
    north_plan = open_plan(client, LEAD, NORTH)
    south_plan = open_plan(client, LEAD, SOUTH)

    for authority, own, other in ((NORTH, north_plan, south_plan), (SOUTH, south_plan, north_plan)):
        assert client.get(f"/api/plans/{own}", headers=headers(LEAD, authority)).status_code == 200
        for path in ("", "/history", "/access-log", "/clocks", "/export"):
            answer = client.get(f"/api/plans/{other}{path}", headers=headers(LEAD, authority))
            assert answer.status_code == 404, (authority, path, answer.text)


@pytest.mark.parametrize(
    "authority", [None, "atlantis", "HIGHLAND"], ids=["no authority", "unknown", "not its spelling"]
)
def test_a_token_without_an_authority_served_here_is_refused_with_nothing_of_any(client, authority):
    plan_id = open_plan(client, LEAD, NORTH)
    post(client, LEAD, SOUTH, "/api/plans", a_plan_request())

    for method, path in (
        ("GET", "/api/plans"),
        ("GET", f"/api/plans/{plan_id}"),
        ("GET", f"/api/plans/{plan_id}/history"),
        ("GET", "/api/stages"),
        ("GET", "/api/reviews/overdue"),
        ("GET", "/api/reports"),
        ("GET", "/api/reports/plans-by-type-and-stage"),
        ("POST", "/api/plans"),
    ):
        for person in (LEAD, ANALYST):
            response = client.request(
                method,
                path,
                headers=headers(person, authority),
                json=a_plan_request() if method == "POST" else None,
            )
            assert response.status_code == 403, (method, path, response.text)
            problem = problem_of(response)
            assert problem["type"] == "/problems/unknown-authority"
            assert "authority" in problem["detail"]
            # Only the problem: nothing but the path asked for names the plan.
            assert set(problem) <= {"type", "title", "status", "detail", "instance", "request_id"}
            assert plan_id not in problem["detail"] and CHILD_NAME not in response.text


def test_without_a_token_the_answer_is_401_as_before(client):
    plan_id = open_plan(client, LEAD, NORTH)
    for path in (
        "/api/plans",
        f"/api/plans/{plan_id}",
        "/api/stages",
        "/api/reports",
        "/api/reports/national/plans-by-type-and-stage",
    ):
        response = client.get(path)
        assert response.status_code == 401, (path, response.text)
        assert problem_of(response)["type"] == "/problems/not-authenticated"


def test_lists_are_per_authority(client):
    north = {open_plan(client, LEAD, NORTH) for _ in range(2)}
    south = {open_plan(client, LEAD, SOUTH)}

    for authority, expected in ((NORTH, north), (SOUTH, south)):
        response = client.get("/api/plans", headers=headers(LEAD, authority))
        assert response.status_code == 200, response.text
        assert {item["plan_id"] for item in response.json()["items"]} == expected


def test_review_lists_are_per_authority(client):
    overdue = open_plan(
        client, LEAD, NORTH, occurred_on=days_from_today(-40), next_review_on=days_from_today(-2)
    )
    due = open_plan(
        client, LEAD, SOUTH, occurred_on=days_from_today(-40), next_review_on=days_from_today(5)
    )

    def listed(path: str, authority: str) -> set[str]:
        response = client.get(path, headers=headers(LEAD, authority))
        assert response.status_code == 200, response.text
        return {item["plan_id"] for item in response.json()["items"]}

    assert listed("/api/reviews/overdue", NORTH) == {overdue}
    assert listed("/api/reviews/overdue", SOUTH) == set()
    before = f"/api/reviews/due?before={days_from_today(30)}"
    assert listed(before, NORTH) == {overdue}
    assert listed(before, SOUTH) == {due}


def report(
    client, authority: str | None, name: str, *, national: bool = False, **params: str
) -> list[dict]:
    path = f"/api/reports/national/{name}" if national else f"/api/reports/{name}"
    response = client.get(
        path, params=params, headers=headers(ANALYST, authority, national=national)
    )
    assert response.status_code == 200, response.text
    return response.json()["items"]


def two_authorities_of_plans(client) -> None:
    """Highland: two IEPs at 'additional', one costed provision. Fife: one IEP at
    'additional', one CSP at 'enhanced' (a Fife stage), one costed provision."""
    for _ in range(2):
        open_plan(client, LEAD, NORTH)
    north = open_plan(client, LEAD, NORTH, plan_type="childs_plan", stage="targeted")
    post(
        client,
        LEAD,
        NORTH,
        f"/api/plans/{north}/provisions",
        {"kind": "intervention", "description": "Social skills group", "cost": "640.10"},
    )
    south = open_plan(client, LEAD, SOUTH)
    open_plan(client, LEAD, SOUTH, plan_type="csp", stage="enhanced")
    post(
        client,
        LEAD,
        SOUTH,
        f"/api/plans/{south}/provisions",
        {"kind": "intervention", "description": "Speech therapy", "cost": "1200.25"},
    )


def test_reports_are_per_authority(client):
    two_authorities_of_plans(client)

    assert report(client, NORTH, "plans-by-type-and-stage") == [
        {"plan_type": "childs_plan", "stage": "targeted", "open": 1, "closed": 0},
        {"plan_type": "iep", "stage": "additional", "open": 2, "closed": 0},
    ]
    assert report(client, SOUTH, "plans-by-type-and-stage") == [
        {"plan_type": "csp", "stage": "enhanced", "open": 1, "closed": 0},
        {"plan_type": "iep", "stage": "additional", "open": 1, "closed": 0},
    ]


def test_the_national_report_sums_every_authority(client):
    two_authorities_of_plans(client)

    assert report(client, None, "plans-by-type-and-stage", national=True) == [
        {"plan_type": "childs_plan", "stage": "targeted", "open": 1, "closed": 0},
        {"plan_type": "csp", "stage": "enhanced", "open": 1, "closed": 0},
        {"plan_type": "iep", "stage": "additional", "open": 3, "closed": 0},
    ]
    assert report(client, None, "provision-costs", national=True) == [
        {"kind": "intervention", "provisions": 2, "costed": 2, "total_cost": "1840.35"},
    ]
    assert report(client, None, "plans-by-type-and-stage", national=True, by_authority="true") == [
        {"authority": SOUTH, "plan_type": "csp", "stage": "enhanced", "open": 1, "closed": 0},
        {"authority": SOUTH, "plan_type": "iep", "stage": "additional", "open": 1, "closed": 0},
        {
            "authority": NORTH,
            "plan_type": "childs_plan",
            "stage": "targeted",
            "open": 1,
            "closed": 0,
        },
        {"authority": NORTH, "plan_type": "iep", "stage": "additional", "open": 2, "closed": 0},
    ]


def test_the_national_report_comes_as_csv_too(client):
    two_authorities_of_plans(client)
    response = client.get(
        "/api/reports/national/provision-costs",
        headers=headers(ANALYST, None, national=True, Accept="text/csv"),
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text == "kind,provisions,costed,total_cost\r\nintervention,2,2,1840.35\r\n"


def test_a_national_analyst_of_one_authority_also_reads_that_authoritys_own_reports(client):
    two_authorities_of_plans(client)
    own = client.get(
        "/api/reports/plans-by-type-and-stage", headers=headers(ANALYST, SOUTH, national=True)
    )
    assert own.status_code == 200
    assert sum(row["open"] for row in own.json()["items"]) == 2


def test_national_reports_are_for_analysts_with_the_national_claim_only(client):
    two_authorities_of_plans(client)
    path = "/api/reports/national/plans-by-type-and-stage"
    for person, authority, national in (
        (ANALYST, NORTH, False),
        (LEAD, NORTH, True),
        (LEAD, NORTH, False),
    ):
        response = client.get(path, headers=headers(person, authority, national=national))
        assert response.status_code == 403, response.text
        assert "national" in problem_of(response)["detail"]
    index = client.get("/api/reports/national", headers=headers(ANALYST, None, national=True))
    assert index.status_code == 200
    assert path in {item["href"] for item in index.json()["items"]}
    unknown = client.get(
        "/api/reports/national/no-such-report", headers=headers(ANALYST, None, national=True)
    )
    assert unknown.status_code == 404


def test_a_national_analyst_with_no_authority_reads_no_plans_and_no_authoritys_reports(client):
    plan_id = open_plan(client, LEAD, NORTH)
    national = headers(ANALYST, None, national=True)
    for path in (
        "/api/plans",
        f"/api/plans/{plan_id}",
        "/api/stages",
        "/api/reports/plans-by-type-and-stage",
    ):
        response = client.get(path, headers=national)
        assert response.status_code == 403, (path, response.text)
        assert problem_of(response)["type"] == "/problems/unknown-authority"


def test_each_authority_has_its_own_stages(client):
    def stages(authority: str) -> list[str]:
        response = client.get("/api/stages", headers=headers(LEAD, authority))
        assert response.status_code == 200
        return [s["id"] for s in response.json()["items"]]

    assert stages(NORTH) == ["universal", "additional", "targeted", "specialist"]
    assert stages(SOUTH) == ["universal", "additional", "extended", "enhanced", "specialist"]
    opened = client.post(
        "/api/plans", json=a_plan_request(stage="enhanced"), headers=headers(LEAD, SOUTH)
    )
    assert opened.status_code == 201, opened.text
    refused = client.post(
        "/api/plans", json=a_plan_request(stage="enhanced"), headers=headers(LEAD, NORTH)
    )
    assert refused.status_code in (409, 422), refused.text


def test_an_idempotency_key_is_the_authoritys_own(client, tenant_urls):
    body = a_plan_request()
    key = {"Idempotency-Key": "same-key-in-both"}
    north = post(client, LEAD, NORTH, "/api/plans", body, **key)["id"]
    south = post(client, LEAD, SOUTH, "/api/plans", body, **key)["id"]
    assert north != south
    assert post(client, LEAD, NORTH, "/api/plans", body, **key)["id"] == north  # replayed
    assert count_rows(tenant_urls[NORTH], "planning_events", south) == 0
    assert count_rows(tenant_urls[SOUTH], "planning_events", north) == 0


def test_ready_when_every_authoritys_database_answers(client, tenants):
    assert client.get("/readyz").status_code == 200
    tenants.get(SOUTH).planning.recorder.datastore.pool.close()
    response = client.get("/readyz")
    assert response.status_code == 503


def test_no_request_falls_back_to_the_store_of_no_authority(client, settings, tmp_path):
    open_plan(client, LEAD, NORTH)
    client.get("/api/plans", headers=headers(LEAD, None))
    assert client.app.state.planning is None
    assert not (tmp_path / "never-used.db").exists()
