"""The chronology (API.md, "Chronology"): entries from named sources, read in the order
things happened, one agency's or all merged, and kept from the family where marked so, in
every way of reading the plan."""

from __future__ import annotations

from tests.interfaces.api import (
    a_working_plan,
    an_entry,
    an_outcome,
    days_from_today,
    post,
)
from tests.interfaces.conftest import events_of
from tests.interfaces.people import AGENCY_PRACTITIONER, LEAD, PARENT, SALT, YOUNG_PERSON


def chronology(client, plan_id, person=LEAD, **params):
    answer = client.get(f"/api/plans/{plan_id}/chronology", headers=person.headers(), params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def test_entries_read_in_the_order_they_happened_then_the_order_recorded(client):
    plan_id = a_working_plan(client).plan_id
    base = f"/api/plans/{plan_id}/chronology"
    later = post(client, LEAD, base, an_entry(occurred_on=days_from_today(-3), text="Later"))
    first = post(client, LEAD, base, an_entry(occurred_on=days_from_today(-10), text="First"))
    same_day = post(client, LEAD, base, an_entry(occurred_on=days_from_today(-3), text="Same"))
    items = chronology(client, plan_id)
    assert [i["entry_id"] for i in items] == [
        first["entry_id"],
        later["entry_id"],
        same_day["entry_id"],
    ]
    assert {"entry_id", "occurred_on", "source", "kind", "text", "recorded_at", "actor"} <= set(
        items[0]
    )
    assert items[0]["actor"]["name"] == LEAD.name
    assert items[0]["wellbeing"] == ["included", "achieving"]
    assert items[0]["action"] == "Home visit arranged"


def test_a_period_and_an_uncertain_date_are_kept_as_given(client):
    plan_id = a_working_plan(client).plan_id
    body = an_entry(
        period_from=days_from_today(-60), period_to=days_from_today(-40), date_uncertain=True
    )
    del body["occurred_on"]
    post(client, LEAD, f"/api/plans/{plan_id}/chronology", body)
    (item,) = chronology(client, plan_id)
    assert (item["occurred_on"], item["period_from"], item["period_to"]) == (
        days_from_today(-60),
        days_from_today(-60),
        days_from_today(-40),
    )
    assert item["date_uncertain"] is True


def test_a_source_is_required_and_a_bad_entry_writes_nothing(client):
    plan_id = a_working_plan(client).plan_id
    before = events_of(client.app.state.planning, plan_id)
    for bad in (
        {k: v for k, v in an_entry().items() if k != "source"},
        an_entry(kind="rumour"),
        an_entry(wellbeing=["happy"]),
        an_entry(period_from=days_from_today(-5)),
        an_entry(period_from=days_from_today(-5), period_to=days_from_today(-1)),
    ):
        answer = client.post(f"/api/plans/{plan_id}/chronology", json=bad, headers=LEAD.headers())
        assert answer.status_code == 422, (bad, answer.text)
    ended_first = an_entry(period_from=days_from_today(-1), period_to=days_from_today(-5))
    del ended_first["occurred_on"]
    answer = client.post(
        f"/api/plans/{plan_id}/chronology", json=ended_first, headers=LEAD.headers()
    )
    assert answer.status_code == 409, answer.text
    assert events_of(client.app.state.planning, plan_id) == before


def test_one_agency_s_entries_alone_or_every_agency_s_merged(client):
    plan_id = a_working_plan(client).plan_id
    base = f"/api/plans/{plan_id}/chronology"
    post(client, AGENCY_PRACTITIONER, base, an_entry(source="SLT session notes", kind="strength"))
    post(client, LEAD, base, an_entry())
    salt_only = chronology(client, plan_id, agency=SALT)
    assert [(i["source"], i["agency"]) for i in salt_only] == [("SLT session notes", SALT)]
    assert salt_only[0]["agency_name"] != SALT  # the agency's name, not its id
    assert len(chronology(client, plan_id)) == 2


def test_an_agency_not_on_the_plan_is_refused(client):
    plan_id = a_working_plan(client).plan_id
    answer = client.post(
        f"/api/plans/{plan_id}/chronology",
        json=an_entry(agency="police:scotland"),
        headers=LEAD.headers(),
    )
    assert answer.status_code == 409, answer.text


def test_an_entry_kept_from_the_family_is_kept_from_them_in_every_reading(client):
    plan_id = a_working_plan(client).plan_id
    base = f"/api/plans/{plan_id}"
    post(client, LEAD, f"{base}/chronology", an_entry(text="Shared with the family"))
    post(
        client,
        LEAD,
        f"{base}/chronology",
        an_entry(text="Reported by a neighbour", family_may_see=False),
    )
    assert len(chronology(client, plan_id)) == 2
    for family in (PARENT, YOUNG_PERSON):
        assert [i["text"] for i in chronology(client, plan_id, family)] == [
            "Shared with the family"
        ]
        for path in ("/history", "/export"):
            answer = client.get(base + path, headers=family.headers())
            assert answer.status_code == 200, answer.text
            assert "Reported by a neighbour" not in answer.text
            assert "Shared with the family" in answer.text
    lead_history = client.get(f"{base}/history", headers=LEAD.headers()).text
    assert "Reported by a neighbour" in lead_history


def test_outcomes_carry_their_wellbeing_indicators(client):
    plan_id = a_working_plan(client).plan_id
    body = {**an_outcome(), "wellbeing": ["healthy", "active", "healthy"]}
    outcome_id = post(client, LEAD, f"/api/plans/{plan_id}/outcomes", body)["outcome_id"]
    plan = client.get(f"/api/plans/{plan_id}", headers=LEAD.headers()).json()
    (outcome,) = [o for o in plan["outcomes"] if o["id"] == outcome_id]
    assert outcome["wellbeing"] == ["healthy", "active"]
