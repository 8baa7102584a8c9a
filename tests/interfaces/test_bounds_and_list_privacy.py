"""Implausible dates are refused as invalid input, and who has access to a plan is shown to
its lead professional only."""

from __future__ import annotations

from tests.interfaces.people import LEAD, PARENT


def test_an_as_of_instant_in_year_one_is_invalid_input_not_an_error(client, plan):
    response = client.get(
        f"/api/plans/{plan.plan_id}",
        params={"as_of": "0001-01-01T00:00:00"},
        headers=LEAD.headers(),
    )
    assert response.status_code == 422


def test_a_child_cannot_be_born_tomorrow_or_in_year_one(client):
    for born in ("9999-12-31", "0001-01-01"):
        response = client.post(
            "/api/plans",
            headers=LEAD.headers(),
            json={
                "plan_type": "iep",
                "stage": "additional",
                "org": LEAD.org,
                "child": {"name": "Calum Reid", "date_of_birth": born},
            },
        )
        assert response.status_code == 422, born


def test_a_family_listing_its_plans_is_not_told_who_else_has_access(client, plan, projector):
    lead_items = client.get("/api/plans", headers=LEAD.headers()).json()["items"]
    parent_items = client.get("/api/plans", headers=PARENT.headers()).json()["items"]
    lead_view = next(i for i in lead_items if i["id"] == plan.plan_id)
    parent_view = next(i for i in parent_items if i["id"] == plan.plan_id)
    assert PARENT.sub in lead_view["member_ids"] and lead_view["disclosed_to"]
    assert parent_view["member_ids"] == [] and parent_view["disclosed_to"] == []


def test_listing_plans_is_a_read_of_each_plan_in_its_access_log(client, plan, projector):
    def parent_reads() -> list[dict]:
        log = client.get(f"/api/plans/{plan.plan_id}/access-log", headers=LEAD.headers())
        return [e for e in log.json()["items"] if e["user_id"] == PARENT.sub]

    before = len(parent_reads())
    client.get("/api/plans", headers=PARENT.headers())
    after = parent_reads()
    assert len(after) == before + 1 and after[0]["action"] == "GET /api/plans"
