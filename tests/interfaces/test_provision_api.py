"""Provision delivered against planned, ended, replaced, and its impact at a review
(API.md, "Provision delivered, ended, replaced, and its impact")."""

from __future__ import annotations

from tests.interfaces.api import a_plan_with_target, a_provision, days_from_today, post
from tests.interfaces.conftest import events_of
from tests.interfaces.people import LEAD


def provisions(client, plan_id):
    plan = client.get(f"/api/plans/{plan_id}", headers=LEAD.headers()).json()
    return {p["id"]: p for p in plan["provisions"]}


def test_deliveries_are_counted_against_what_was_planned(client):
    refs = a_plan_with_target(client)
    base = f"/api/plans/{refs.plan_id}"
    provision_id = post(client, LEAD, f"{base}/provisions", a_provision([refs.target_id]))[
        "provision_id"
    ]
    for delivered, missed in ((5, 1), (4, None)):
        post(
            client,
            LEAD,
            f"{base}/provisions/{provision_id}/deliveries",
            {
                "period_from": days_from_today(-14),
                "period_to": days_from_today(-8),
                "sessions_delivered": delivered,
                "sessions_missed": missed,
                "note": "Two sessions lost to a trip",
            },
        )
    provision = provisions(client, refs.plan_id)[provision_id]
    assert (provision["status"], provision["sessions_delivered"], provision["sessions_missed"]) == (
        "active",
        9,
        1,
    )
    assert provision["deliveries"][0]["delivered_on"] == days_from_today(-8)


def test_a_period_that_ends_before_it_starts_is_refused(client):
    refs = a_plan_with_target(client)
    base = f"/api/plans/{refs.plan_id}"
    provision_id = post(client, LEAD, f"{base}/provisions", a_provision())["provision_id"]
    before = events_of(client.app.state.planning, refs.plan_id)
    answer = client.post(
        f"{base}/provisions/{provision_id}/deliveries",
        json={
            "period_from": days_from_today(-1),
            "period_to": days_from_today(-5),
            "sessions_delivered": 1,
        },
        headers=LEAD.headers(),
    )
    assert answer.status_code == 409, answer.text
    assert events_of(client.app.state.planning, refs.plan_id) == before


def test_a_replacement_ends_the_provision_it_amends_and_a_review_records_impact(client):
    refs = a_plan_with_target(client)
    base = f"/api/plans/{refs.plan_id}"
    old = post(client, LEAD, f"{base}/provisions", a_provision())["provision_id"]
    review = {
        "held_on": days_from_today(0),
        "attendees": ["Fiona"],
        "summary": "Reviewed",
        "evaluations": [],
        "next_review_on": None,
        "provision_impacts": [{"provision_id": old, "impact": "Little change in six weeks"}],
    }
    post(client, LEAD, f"{base}/reviews", review)
    new = post(client, LEAD, f"{base}/provisions", {**a_provision(), "replaces": old})[
        "provision_id"
    ]
    found = provisions(client, refs.plan_id)
    assert found[old]["status"] == "ended" and found[new]["status"] == "active"
    assert found[new]["replaces"] == old
    assert [i["impact"] for i in found[old]["impacts"]] == ["Little change in six weeks"]


def test_ending_needs_a_reason_and_happens_once(client):
    refs = a_plan_with_target(client)
    base = f"/api/plans/{refs.plan_id}"
    provision_id = post(client, LEAD, f"{base}/provisions", a_provision())["provision_id"]
    path = f"{base}/provisions/{provision_id}/end"
    assert client.post(path, json={}, headers=LEAD.headers()).status_code == 422
    post(client, LEAD, path, {"reason": "Target met"})
    assert provisions(client, refs.plan_id)[provision_id]["status"] == "ended"
    again = client.post(path, json={"reason": "Again"}, headers=LEAD.headers())
    assert again.status_code == 409
