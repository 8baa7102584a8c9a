"""A lead professional can withdraw access: a removed member, or the practitioners of an
agency that has left, no longer see the plan at all."""

from __future__ import annotations

import pytest

from tests.examples import SALT
from tests.interfaces.people import AGENCY_PRACTITIONER, LEAD, MEMBER_PRACTITIONER, PARENT

WITHDRAWAL = {"reason": "Court order"}


def test_a_removed_parent_no_longer_sees_the_plan(client, plan):
    url = f"/api/plans/{plan.plan_id}"
    assert client.get(url, headers=PARENT.headers()).status_code == 200
    removed = client.post(
        f"{url}/members/{PARENT.sub}/remove", json=WITHDRAWAL, headers=LEAD.headers()
    )
    assert removed.status_code == 201
    assert client.get(url, headers=PARENT.headers()).status_code == 404
    history = client.get(f"{url}/history", headers=LEAD.headers()).json()["items"]
    assert history[-1]["type"] == "MemberRemoved"
    assert history[-1]["reason"] == "Court order"


def test_an_agency_that_left_takes_its_practitioners_access_with_it(client, plan):
    url = f"/api/plans/{plan.plan_id}"
    assert client.get(url, headers=AGENCY_PRACTITIONER.headers()).status_code == 200
    left = client.post(f"{url}/agencies/{SALT}/leave", json=WITHDRAWAL, headers=LEAD.headers())
    assert left.status_code == 201
    assert client.get(url, headers=AGENCY_PRACTITIONER.headers()).status_code == 404


@pytest.mark.parametrize("person", [PARENT, MEMBER_PRACTITIONER])
def test_only_the_lead_professional_withdraws_access(client, plan, person):
    url = f"/api/plans/{plan.plan_id}"
    assert (
        client.post(
            f"{url}/members/{PARENT.sub}/remove", json=WITHDRAWAL, headers=person.headers()
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"{url}/agencies/{SALT}/leave", json=WITHDRAWAL, headers=person.headers()
        ).status_code
        == 403
    )


def test_removing_someone_who_is_not_a_member_is_refused_by_the_plan(client, plan):
    response = client.post(
        f"/api/plans/{plan.plan_id}/members/u-nobody/remove",
        json=WITHDRAWAL,
        headers=LEAD.headers(),
    )
    assert response.status_code == 409
