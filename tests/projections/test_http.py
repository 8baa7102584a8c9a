"""The read-model endpoints, in-process, on SQLite and PostgreSQL (with a projector
running beside the app on PostgreSQL, as docker-compose runs one)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from domain.access import Caller
from domain.events import PrepareCsp, RequestEarlyReview
from domain.statutory import Requester
from domain.values import PlanType, Role
from interfaces.http.app import create_app
from interfaces.http.auth import issue_token
from interfaces.settings import Settings
from projections.engine.runtime import Projector
from projections.reports.view import REPORTS
from tests.examples import an_officer
from tests.projections.scenario import BIRTHDAY, CHILD_NAME, SCHOOL, ago

SECRET = "planledger-projection-tests-0123456789-abcdefghijklmnop"


def headers(
    sub: str, role: Role, org: str | None = None, *, manager: bool = False, **extra: str
) -> dict[str, str]:
    token = issue_token(
        SECRET, sub=sub, name=sub.title(), role=role, org=org, ttl_seconds=600, manager=manager
    )
    return {"Authorization": f"Bearer {token}", **extra}


LEAD = headers("u-lead", Role.LEAD_PROFESSIONAL, SCHOOL)
OTHER_LEAD = headers("u-other", Role.LEAD_PROFESSIONAL, SCHOOL)
MANAGER = headers("u-head", Role.LEAD_PROFESSIONAL, SCHOOL, manager=True)
PARENT = headers("u-parent", Role.PARENT_CARER)
ANALYST = headers("u-analyst", Role.ANALYST, "council:edinburgh")


@pytest.fixture
def settings(database_url, master_key) -> Settings:
    return Settings(
        database_url=database_url,
        jwt_secret=SECRET,
        encryption_key=master_key,
        read_wait_seconds=5.0,
    )


@pytest.fixture
def client(settings, database_url):
    with TestClient(create_app(settings)) as client:
        projector = None
        if database_url.startswith("postgresql"):  # SQLite reads catch up by themselves
            projector = Projector(settings.planning_env(), poll_seconds=0.1).start()
        try:
            yield client
        finally:
            if projector is not None:
                projector.stop()


def open_plan(client, plan_type="iep", who=LEAD, **fields) -> str:
    body = {
        "plan_type": plan_type,
        "stage": "additional",
        "org": SCHOOL,
        "child": {"name": CHILD_NAME, "date_of_birth": BIRTHDAY.isoformat()},
        **fields,
    }
    answer = client.post("/api/plans", json=body, headers=who)
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


class TestPlanList:
    def test_a_lead_lists_their_plans_with_the_childs_name_straight_after_writing(self, client):
        plan_id = open_plan(client)
        answer = client.get("/api/plans", headers=LEAD)
        assert answer.status_code == 200
        [item] = answer.json()["items"]
        assert (item["plan_id"], item["child"]["name"], item["member_ids"]) == (
            plan_id,
            CHILD_NAME,
            ["u-lead"],
        )
        assert answer.json()["next"] is None

    def test_nobody_else_sees_them(self, client):
        open_plan(client)
        assert client.get("/api/plans", headers=OTHER_LEAD).json()["items"] == []
        assert client.get("/api/plans", headers=MANAGER).json()["items"] == []

    def test_filters_and_pages(self, client):
        ids = [open_plan(client, plan_type=t) for t in ("iep", "csp", "iep")]
        iep = client.get("/api/plans", params={"plan_type": "iep"}, headers=LEAD).json()
        assert {i["plan_id"] for i in iep["items"]} == {ids[0], ids[2]}
        first = client.get("/api/plans", params={"limit": 2}, headers=LEAD).json()
        second = client.get(
            "/api/plans", params={"limit": 2, "after": first["next"]}, headers=LEAD
        ).json()
        listed = [i["plan_id"] for i in first["items"] + second["items"]]
        assert sorted(listed) == sorted(ids) and second["next"] is None

    def test_a_bad_cursor_is_a_422_problem(self, client):
        answer = client.get("/api/plans", params={"after": "xyz"}, headers=LEAD)
        assert answer.status_code == 422
        assert answer.headers["content-type"] == "application/problem+json"

    def test_analysts_may_not_list_plans(self, client):
        assert client.get("/api/plans", headers=ANALYST).status_code == 403


class TestReviewLists:
    def test_due_and_overdue(self, client):
        overdue = open_plan(
            client, occurred_on=ago(100).isoformat(), next_review_on=ago(3).isoformat()
        )
        due = open_plan(client, next_review_on=ago(-20).isoformat())
        before = ago(-30).isoformat()
        listed = client.get("/api/reviews/due", params={"before": before}, headers=LEAD).json()
        assert [i["plan_id"] for i in listed["items"]] == [overdue, due]
        late = client.get("/api/reviews/overdue", headers=LEAD).json()["items"]
        assert [(i["plan_id"], i["days_overdue"]) for i in late] == [(overdue, 3)]

    def test_a_manager_sees_the_whole_orgs_list_without_names(self, client):
        plan_id = open_plan(client, next_review_on=ago(-5).isoformat())
        answer = client.get(
            "/api/reviews/due", params={"before": ago(-10).isoformat()}, headers=MANAGER
        )
        assert [i["plan_id"] for i in answer.json()["items"]] == [plan_id]
        assert CHILD_NAME not in answer.text
        assert (
            client.get(
                "/api/reviews/due", params={"before": ago(-10).isoformat()}, headers=OTHER_LEAD
            ).json()["items"]
            == []
        )


class TestClocks:
    def test_a_members_sees_the_clocks_with_their_sources(self, client):
        plan_id = open_plan(client, plan_type="csp", occurred_on="2024-01-08")
        client.post(
            f"/api/plans/{plan_id}/members",
            headers=LEAD,
            json={"user_id": "u-parent", "role": "parent_carer", "name": "Parent"},
        )
        client.app.state.planning.change(
            UUID(plan_id),
            PrepareCsp(),
            Caller.of(an_officer()),
            occurred_on=date(2024, 1, 8),
        )
        client.app.state.planning.change(
            UUID(plan_id),
            RequestEarlyReview(requested_by=Requester.PARENT_CARER),
            _lead(),
            occurred_on=date(2024, 5, 1),
        )
        answer = client.get(f"/api/plans/{plan_id}/clocks", headers=PARENT)
        assert answer.status_code == 200, answer.text
        clocks = {c["name"]: c for c in answer.json()["items"]}
        early = clocks["early_review_answer"]
        assert (early["status"], early["due_on"], early["reference_by"]) == (
            "deemed_refusal",
            "2024-05-29",
            "2024-07-30",
        )
        assert [s["type"] for s in early["sources"]] == ["EarlyReviewRequested"]
        assert clocks["csp_review"]["started_on"] == "2024-01-08"  # signed that day

    def test_a_stranger_gets_a_404(self, client):
        plan_id = open_plan(client)
        assert client.get(f"/api/plans/{plan_id}/clocks", headers=OTHER_LEAD).status_code == 404


class TestReports:
    def test_json_and_csv_with_no_name_or_date_of_birth(self, client):
        open_plan(client, plan_type="csp")
        index = client.get("/api/reports", headers=ANALYST).json()["items"]
        assert len(index) == len(REPORTS)
        for link in index:
            as_json = client.get(link["href"], headers=ANALYST)
            as_csv = client.get(link["href"], headers={**ANALYST, "Accept": "text/csv"})
            assert as_json.status_code == as_csv.status_code == 200
            assert as_csv.headers["content-type"].startswith("text/csv")
            assert as_csv.text.splitlines()[0] == ",".join(as_json.json()["columns"])
            for text in (as_json.text, as_csv.text):
                assert CHILD_NAME not in text and BIRTHDAY.isoformat() not in text
        rows = client.get("/api/reports/plans-by-type-and-stage", headers=ANALYST).json()
        assert rows["items"] == [
            {"plan_type": "csp", "stage": "additional", "open": 1, "closed": 0}
        ]

    def test_only_analysts_and_only_known_reports(self, client):
        assert client.get("/api/reports/csp-reviews", headers=LEAD).status_code == 403
        assert client.get("/api/reports/names", headers=ANALYST).status_code == 404


def test_without_a_projector_a_read_catches_up_by_itself(postgres_url, master_key):
    settings = Settings(database_url=postgres_url, jwt_secret=SECRET, encryption_key=master_key)
    with TestClient(create_app(settings)) as client:  # and no projector
        plan_id = open_plan(client)
        answer = client.get("/api/plans", headers=LEAD)
    assert [i["plan_id"] for i in answer.json()["items"]] == [plan_id]


def test_a_read_model_that_cannot_catch_up_in_time_answers_503_with_retry_after(
    database_url, master_key
):
    settings = Settings(
        database_url=database_url,
        jwt_secret=SECRET,
        encryption_key=master_key,
        read_wait_seconds=0.000_001,
    )
    with TestClient(create_app(settings)) as client:  # no projector, and no time to catch up
        open_plan(client)
        answer = client.get("/api/plans", headers=LEAD)
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "1"
    assert answer.json()["status"] == 503


def _lead() -> Caller:
    return Caller(sub="u-lead", name="Lead", role=Role.LEAD_PROFESSIONAL, org=SCHOOL)


assert PlanType.CSP.value == "csp"
