"""The record of information shared (GIRFEC Practice Guidance 4 §12): what, with whom,
why, the lawful basis, the views expressed; an emergency sharing recorded afterwards; a
sharing the family was not told of kept from them in every reading."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.interfaces.api import a_working_plan, days_from_today, post
from tests.interfaces.conftest import events_of
from tests.interfaces.people import AGENCY_PRACTITIONER, LEAD, PARENT, YOUNG_PERSON


def a_sharing(**fields: Any) -> dict[str, Any]:
    return {
        "occurred_on": days_from_today(-2),
        "reason": "New school needs to plan her transition",
        "information": "The current plan and the SLT report of March",
        "shared_with": "Mr Aitken, depute head, Leith Academy",
        "lawful_basis": "public_task",
        "necessary_because": "Support must be in place on her first day",
        "child_views": "Happy for the new school to know",
        "family_views": "Mum agreed, and asked that the medical letter is not sent",
        "withheld": "The GP letter: not needed for the transition",
        **fields,
    }


def sharing(client, plan_id, person=LEAD):
    answer = client.get(f"/api/plans/{plan_id}/information-sharing", headers=person.headers())
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def test_a_sharing_is_recorded_with_everything_guidance_4_asks_for(client):
    plan_id = a_working_plan(client).plan_id
    written = post(
        client, AGENCY_PRACTITIONER, f"/api/plans/{plan_id}/information-sharing", a_sharing()
    )
    (item,) = sharing(client, plan_id)
    assert item["sharing_id"] == written["sharing_id"]
    assert item["shared_with"] == "Mr Aitken, depute head, Leith Academy"
    assert item["lawful_basis"] == "public_task"
    assert item["reason"] == "New school needs to plan her transition"
    assert item["withheld"].startswith("The GP letter")
    assert item["occurred_on"] == days_from_today(-2)
    assert item["actor"]["name"] == AGENCY_PRACTITIONER.name


def test_an_emergency_sharing_is_recorded_after_it_happened_and_never_on_consent(client):
    plan_id = a_working_plan(client).plan_id
    path = f"/api/plans/{plan_id}/information-sharing"
    emergency = a_sharing(
        emergency=True,
        lawful_basis="vital_interests",
        occurred_on=days_from_today(-1),
        child_views=None,
        family_views=None,
    )
    post(client, LEAD, path, emergency)
    (item,) = sharing(client, plan_id)
    assert item["emergency"] is True
    assert item["recorded_at"][:10] > item["occurred_on"]
    before = events_of(client.app.state.planning, plan_id)
    answer = client.post(
        path, json={**emergency, "lawful_basis": "consent"}, headers=LEAD.headers()
    )
    assert answer.status_code == 422, answer.text
    assert "lawful basis" in answer.json()["detail"]
    assert events_of(client.app.state.planning, plan_id) == before


def test_bad_records_are_refused_and_write_nothing(client):
    plan_id = a_working_plan(client).plan_id
    path = f"/api/plans/{plan_id}/information-sharing"
    before = events_of(client.app.state.planning, plan_id)
    for bad in (
        a_sharing(reason=None),
        a_sharing(lawful_basis="because"),
        {k: v for k, v in a_sharing().items() if k != "shared_with"},
        a_sharing(family_informed=False),
        a_sharing(occurred_on=days_from_today(3)),
    ):
        answer = client.post(path, json=bad, headers=LEAD.headers())
        assert answer.status_code in (409, 422), (bad, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
    assert events_of(client.app.state.planning, plan_id) == before


def test_the_family_may_not_record_a_sharing(client):
    plan_id = a_working_plan(client).plan_id
    answer = client.post(
        f"/api/plans/{plan_id}/information-sharing", json=a_sharing(), headers=PARENT.headers()
    )
    assert answer.status_code == 403, answer.text


def test_a_sharing_the_family_was_not_told_of_is_kept_from_them_everywhere(client):
    plan_id = a_working_plan(client).plan_id
    path = f"/api/plans/{plan_id}/information-sharing"
    post(client, LEAD, path, a_sharing(shared_with="Leith Academy"))
    post(
        client,
        LEAD,
        path,
        a_sharing(
            shared_with="Police Scotland child protection unit",
            family_informed=False,
            not_informed_because="Telling them could place her at risk of harm",
        ),
    )
    assert len(sharing(client, plan_id)) == 2
    for family in (PARENT, YOUNG_PERSON):
        assert [i["shared_with"] for i in sharing(client, plan_id, family)] == ["Leith Academy"]
        until = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        for reading in ("/history", "/export", f"/diff?from=2000-01-01T00:00:00Z&to={until}"):
            answer = client.get(f"/api/plans/{plan_id}{reading}", headers=family.headers())
            assert answer.status_code == 200, (reading, answer.text)
            assert "Police Scotland" not in answer.text, reading
    assert (
        "Police Scotland"
        in client.get(f"/api/plans/{plan_id}/history", headers=LEAD.headers()).text
    )


def test_the_diff_names_the_sharing_as_a_part_of_its_own(client):
    plan_id = a_working_plan(client).plan_id
    since = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    post(client, LEAD, f"/api/plans/{plan_id}/information-sharing", a_sharing())
    until = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    answer = client.get(
        f"/api/plans/{plan_id}/diff", params={"from": since, "to": until}, headers=LEAD.headers()
    )
    assert answer.status_code == 200, answer.text
    assert "information_sharing" in answer.text
    assert "New school needs to plan her transition" in answer.text
