"""Every row of the contract's Plans table: its success status and its fixed field names,
and a read after each write that sees the write."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.interfaces.api import (
    WRITES,
    a_closure,
    a_contribution,
    a_disclosure,
    a_member,
    a_plan_request,
    a_provision,
    a_review,
    a_revision,
    a_revocation,
    a_stage_change,
    a_target,
    an_agency,
    an_evaluation,
    an_outcome,
    days_from_today,
    open_plan,
    post,
    views,
)
from tests.interfaces.conftest import events_of
from tests.interfaces.people import CHILD_NAME, LEAD, OTHER_LEAD, OTHER_PARENT, PARENT

PLAN_FIELDS = {
    "id",
    "version",
    "plan_type",
    "stage",
    "status",
    "child",
    "org",
    "members",
    "agencies",
    "outcomes",
    "provisions",
    "reviews",
    "next_review_on",
    "views",
    "contributions",
}
EVENT_FIELDS = {"position", "type", "recorded_at", "occurred_on", "actor", "reason", "data"}


def read(client: TestClient, path: str, person=LEAD, **params: str) -> dict:
    response = client.get(path, headers=person.headers(), params=params)
    assert response.status_code == 200, response.text
    return response.json()


def history(client: TestClient, plan_id: str) -> list[dict]:
    return read(client, f"/api/plans/{plan_id}/history")["items"]


def last_event(client: TestClient, plan_id: str) -> dict:
    return history(client, plan_id)[-1]


class TestOpeningAPlan:
    def test_answers_201_with_location_etag_and_the_plan(self, client):
        response = client.post("/api/plans", json=a_plan_request(), headers=LEAD.headers())
        assert response.status_code == 201
        plan = response.json()
        assert plan.keys() >= PLAN_FIELDS
        assert response.headers["Location"] == f"/api/plans/{plan['id']}"
        assert response.headers["ETag"] == f'"{plan["version"]}"' == '"1"'
        assert plan["child"] == {"name": CHILD_NAME, "date_of_birth": "2016-03-14"}
        assert (plan["plan_type"], plan["stage"], plan["status"]) == ("iep", "additional", "open")

    def test_makes_the_opener_its_first_member(self, client):
        plan = read(client, f"/api/plans/{open_plan(client)}")
        assert plan["members"] == [
            {"user_id": LEAD.sub, "role": "lead_professional", "name": LEAD.name}
        ]

    def test_can_be_read_back_at_its_location(self, client):
        response = client.post("/api/plans", json=a_plan_request(), headers=LEAD.headers())
        plan = read(client, response.headers["Location"])
        assert plan["id"] == response.json()["id"]


class TestReadingAPlan:
    def test_answers_the_plan_with_its_version_as_etag(self, client, plan):
        response = client.get(f"/api/plans/{plan.plan_id}", headers=LEAD.headers())
        assert response.status_code == 200
        assert response.json().keys() >= PLAN_FIELDS
        assert response.headers["ETag"] == f'"{response.json()["version"]}"'

    def test_as_of_an_instant_answers_the_plan_as_it_stood_then(self, client):
        plan_id = open_plan(client)
        opened = read(client, f"/api/plans/{plan_id}")
        post(client, LEAD, f"/api/plans/{plan_id}/outcomes", an_outcome())
        then = read(client, f"/api/plans/{plan_id}", as_of=opened["recorded_at"])
        assert (then["version"], then["outcomes"]) == (1, [])
        assert read(client, f"/api/plans/{plan_id}")["version"] == 2

    def test_history_lists_every_event_in_order_with_its_attribution(self, client, plan):
        items = history(client, plan.plan_id)
        assert [e["position"] for e in items] == list(range(1, len(items) + 1))
        assert items[0]["type"] == "PlanOpened"
        assert all(e.keys() >= EVENT_FIELDS for e in items)
        assert items[0]["actor"] == {
            "id": LEAD.sub,
            "name": LEAD.name,
            "role": "lead_professional",
            "org": LEAD.org,
        }

    @pytest.mark.parametrize("person", [LEAD, PARENT], ids=["lead", "parent"])
    def test_history_in_pages_adds_up_to_the_whole_history(self, client, plan, person):
        path = f"/api/plans/{plan.plan_id}/history"
        whole = read(client, path, person)
        assert whole["next"] is None
        pages, after = [], None
        while True:
            params = {"limit": "3"} | ({"after": str(after)} if after is not None else {})
            page = read(client, path, person, **params)
            assert len(page["items"]) <= 3
            pages += page["items"]
            if (after := page["next"]) is None:
                break
        assert pages == whole["items"]

    def test_a_page_of_history_past_the_end_is_empty_and_a_limit_of_0_is_refused(
        self, client, plan
    ):
        path = f"/api/plans/{plan.plan_id}/history"
        assert read(client, path, after="100000") == {"items": [], "next": None}
        answer = client.get(path, headers=LEAD.headers(), params={"limit": "0"})
        assert answer.status_code == 422
        assert "limit" in answer.text

    def test_history_keeps_the_reason_and_the_day_it_happened(self, client, plan):
        body = {**a_contribution(), "reason": "Phone call", "occurred_on": days_from_today(-3)}
        post(client, LEAD, f"/api/plans/{plan.plan_id}/contributions", body)
        event = last_event(client, plan.plan_id)
        assert (event["reason"], event["occurred_on"]) == ("Phone call", days_from_today(-3))


class TestPeople:
    def test_adding_a_member_answers_201_and_the_member_is_on_the_plan(self, client):
        plan_id = open_plan(client)
        written = post(client, LEAD, f"/api/plans/{plan_id}/members", a_member(OTHER_PARENT))
        plan = read(client, f"/api/plans/{plan_id}")
        assert written["version"] == plan["version"] == 2
        assert a_member(OTHER_PARENT) in plan["members"]

    def test_an_agency_joins_with_the_event_agency_joined(self, client):
        plan_id = open_plan(client)
        post(client, LEAD, f"/api/plans/{plan_id}/agencies", an_agency())
        agencies = read(client, f"/api/plans/{plan_id}")["agencies"]
        assert [{k: a[k] for k in ("org", "name", "kind")} for a in agencies] == [an_agency()]
        assert last_event(client, plan_id)["type"] == "AgencyJoined"


class TestOutcomesAndTargets:
    def test_agreeing_an_outcome_answers_its_id_and_the_version(self, client):
        plan_id = open_plan(client)
        written = post(client, LEAD, f"/api/plans/{plan_id}/outcomes", an_outcome())
        assert {"outcome_id", "version"} <= written.keys()
        outcome = read(client, f"/api/plans/{plan_id}")["outcomes"][0]
        assert (outcome["id"], outcome["text"], outcome["area"], outcome["targets"]) == (
            written["outcome_id"],
            an_outcome()["text"],
            an_outcome()["area"],
            [],
        )

    def test_setting_a_target_answers_its_id_and_records_target_set(self, client, plan):
        written = post(
            client, LEAD, f"/api/plans/{plan.plan_id}/targets", a_target(plan.outcome_id)
        )
        assert {"target_id", "version"} <= written.keys()
        assert last_event(client, plan.plan_id)["type"] == "TargetSet"
        targets = read(client, f"/api/plans/{plan.plan_id}")["outcomes"][0]["targets"]
        target = next(t for t in targets if t["id"] == written["target_id"])
        assert {"id", "text", "due_on", "status", "revisions", "evaluations"} <= target.keys()

    def test_a_revision_is_appended_under_the_target_and_the_old_text_stays(self, client, plan):
        before = read(client, f"/api/plans/{plan.plan_id}")["outcomes"][0]["targets"][0]["text"]
        post(
            client,
            LEAD,
            f"/api/plans/{plan.plan_id}/targets/{plan.target_id}/revisions",
            a_revision("Take turns with three peers"),
        )
        target = read(client, f"/api/plans/{plan.plan_id}")["outcomes"][0]["targets"][0]
        assert target["text"] == "Take turns with three peers"
        assert target["revisions"][0]["previous_text"] == before
        set_event = next(e for e in history(client, plan.plan_id) if e["type"] == "TargetSet")
        assert set_event["data"]["text"] == before

    def test_evaluating_a_target_records_target_evaluated(self, client, plan):
        post(
            client,
            LEAD,
            f"/api/plans/{plan.plan_id}/targets/{plan.target_id}/evaluations",
            an_evaluation("not_achieved"),
        )
        assert last_event(client, plan.plan_id)["type"] == "TargetEvaluated"
        target = read(client, f"/api/plans/{plan.plan_id}")["outcomes"][0]["targets"][0]
        assert {"progress", "impact", "review_id", "occurred_on"} <= target["evaluations"][0].keys()
        assert target["evaluations"][0]["progress"] == "not_achieved"


class TestProvisionAndReviews:
    def test_planning_provision_answers_its_id_and_the_version(self, client, plan):
        written = post(
            client, LEAD, f"/api/plans/{plan.plan_id}/provisions", a_provision([plan.target_id])
        )
        assert {"provision_id", "version"} <= written.keys()
        provision = read(client, f"/api/plans/{plan.plan_id}")["provisions"][0]
        assert (provision["id"], provision["kind"]) == (written["provision_id"], "intervention")

    def test_a_review_is_review_held_then_one_target_evaluated_per_evaluation(self, client, plan):
        second = post(
            client, LEAD, f"/api/plans/{plan.plan_id}/targets", a_target(plan.outcome_id)
        )["target_id"]
        before = len(history(client, plan.plan_id))
        written = post(
            client, LEAD, f"/api/plans/{plan.plan_id}/reviews", a_review(plan.target_id, second)
        )
        assert {"review_id", "version"} <= written.keys()
        added = history(client, plan.plan_id)[before:]
        assert [e["type"] for e in added] == ["ReviewHeld", "TargetEvaluated", "TargetEvaluated"]
        assert [e["data"]["target_id"] for e in added[1:]] == [plan.target_id, second]
        assert {e["data"]["review_id"] for e in added} == {written["review_id"]}

    def test_a_review_sets_the_plans_next_review(self, client, plan):
        post(client, LEAD, f"/api/plans/{plan.plan_id}/reviews", a_review(plan.target_id))
        after = read(client, f"/api/plans/{plan.plan_id}")
        assert after["next_review_on"] == days_from_today(90)
        assert {"id", "held_on", "summary", "next_review_on"} <= after["reviews"][0].keys()


class TestStageContributionsAndViews:
    def test_changing_stage_records_stage_changed(self, client, plan):
        post(client, LEAD, f"/api/plans/{plan.plan_id}/stage", a_stage_change("targeted"))
        assert last_event(client, plan.plan_id)["type"] == "StageChanged"
        assert read(client, f"/api/plans/{plan.plan_id}")["stage"] == "targeted"

    def test_a_contribution_is_on_the_plan(self, client, plan):
        post(client, LEAD, f"/api/plans/{plan.plan_id}/contributions", a_contribution())
        contributions = read(client, f"/api/plans/{plan.plan_id}")["contributions"]
        assert contributions[-1]["text"] == a_contribution()["text"]

    def test_a_parents_views_are_on_the_plan(self, client, plan):
        post(client, PARENT, f"/api/plans/{plan.plan_id}/views", views("parent_carer"))
        recorded = read(client, f"/api/plans/{plan.plan_id}")["views"]
        assert [(v["whose"], v["text"]) for v in recorded] == [("parent_carer", views()["text"])]


class TestClosing:
    def test_closing_answers_201_and_the_plan_is_closed(self, client, plan):
        post(client, LEAD, f"/api/plans/{plan.plan_id}/close", a_closure())
        assert read(client, f"/api/plans/{plan.plan_id}")["status"] == "closed"

    def test_afterwards_every_write_to_the_plan_is_409_and_writes_nothing(
        self, client, store, plan
    ):
        post(client, LEAD, f"/api/plans/{plan.plan_id}/close", a_closure())
        before = events_of(store, plan.plan_id)
        statuses = {w.name: w.call(client, plan, LEAD).status_code for w in WRITES}
        assert statuses == {w.name: 409 for w in WRITES}
        assert events_of(store, plan.plan_id) == before


class TestDisclosures:
    def test_granting_answers_its_id_and_records_disclosure_granted(self, client, plan):
        written = post(
            client,
            LEAD,
            f"/api/plans/{plan.plan_id}/disclosures",
            a_disclosure("u-reviewer-1", until=days_from_today(30)),
        )
        assert {"disclosure_id", "version"} <= written.keys()
        event = last_event(client, plan.plan_id)
        assert (event["type"], event["data"]["disclosure_id"]) == (
            "DisclosureGranted",
            written["disclosure_id"],
        )

    def test_revoking_records_disclosure_revoked(self, client, plan):
        path = f"/api/plans/{plan.plan_id}/disclosures/{plan.spare_disclosure_id}/revoke"
        written = post(client, LEAD, path, a_revocation())
        event = last_event(client, plan.plan_id)
        assert (event["type"], event["position"]) == ("DisclosureRevoked", written["version"])


class TestAccessLog:
    def test_lists_who_read_the_plan_when_and_through_what(self, client, plan):
        read(client, f"/api/plans/{plan.plan_id}", PARENT)
        items = read(client, f"/api/plans/{plan.plan_id}/access-log")["items"]
        assert all(set(i) >= {"user_id", "role", "at", "action"} for i in items)
        assert {"user_id": PARENT.sub, "role": "parent_carer"}.items() <= next(
            i for i in items if i["user_id"] == PARENT.sub
        ).items()


class TestStagesAndHealth:
    def test_stages_are_listed_lowest_level_first(self, client):
        items = read(client, "/api/stages", OTHER_LEAD)["items"]
        assert all({"id", "name", "level"} <= s.keys() for s in items)
        assert [s["level"] for s in items] == sorted(s["level"] for s in items)
        assert "additional" in [s["id"] for s in items]

    @pytest.mark.parametrize("path", ["/healthz", "/readyz"])
    def test_health_checks_answer_200_without_a_token(self, client, path):
        assert client.get(path).status_code == 200


class TestListingPlans:
    def test_lists_the_plans_the_caller_may_see_with_a_next_cursor(self, client, projector):
        mine, theirs = open_plan(client), open_plan(client, OTHER_LEAD)
        listed = read(client, "/api/plans")
        assert "next" in listed
        assert [p["plan_id"] for p in listed["items"]] == [mine]
        assert theirs in {p["plan_id"] for p in read(client, "/api/plans", OTHER_LEAD)["items"]}

    @pytest.mark.parametrize(
        ("query", "matching"),
        [
            ({"plan_type": "csp"}, "csp"),
            ({"stage": "targeted"}, "targeted"),
            ({"review_due_before": days_from_today(20)}, "due"),
        ],
    )
    def test_filters_by_plan_type_stage_and_review_due(self, client, projector, query, matching):
        plans = {
            "plain": open_plan(client),
            "csp": open_plan(client, plan_type="csp"),
            "targeted": open_plan(client, stage="targeted"),
            "due": open_plan(client, next_review_on=days_from_today(10)),
        }
        listed = {p["plan_id"] for p in read(client, "/api/plans", **query)["items"]}
        assert listed == {plans[matching]}
