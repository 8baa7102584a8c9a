"""Views, contributions, shared copies and disclosures."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.errors import DateOrderError, DisclosureNotFoundError, DisclosureNotInForceError
from domain.events import (
    AppendContribution,
    GrantDisclosure,
    RecordViews,
    RevokeDisclosure,
    SharePlan,
)
from domain.values import Whose
from tests.domain.refusals import event_types, refused
from tests.examples import a_lead_professional, a_parent, an_open_plan, by, days_ago

LEAD = a_lead_professional()


def share(plan):
    """The number of the copy shared."""
    created = plan.execute(
        SharePlan(recipients=("Morag Campbell",), method="email", sha256="ab" * 32),
        by(LEAD, days_ago(1)),
    )
    assert created["sha256"] == "ab" * 32
    return created["number"]


def grant(plan, until=None, occurred_on=None):
    disclosure_id = uuid4()
    plan.grant_disclosure(
        GrantDisclosure(
            disclosure_id=disclosure_id,
            grantee="nhs:camhs-lothian",
            purpose="Assessment",
            until=until,
        ),
        by(LEAD, occurred_on or days_ago(5)),
    )
    return disclosure_id


def revoke(plan, disclosure_id):
    plan.revoke_disclosure(
        RevokeDisclosure(disclosure_id=disclosure_id), by(LEAD, days_ago(1), "Assessment finished")
    )


def test_a_parents_views_are_recorded_as_theirs():
    plan = an_open_plan()
    plan.collect_events()
    plan.record_views(
        RecordViews(views_id=uuid4(), whose=Whose.PARENT_CARER, text="Mornings are hard"),
        by(a_parent(), days_ago(2)),
    )
    assert event_types(plan) == ["ViewsRecorded"]
    [views] = plan.views
    assert (views.whose, views.text, views.recorded_by) == (
        Whose.PARENT_CARER,
        "Mornings are hard",
        "Morag Campbell",
    )


def test_a_contribution_is_kept_with_its_author():
    plan = an_open_plan()
    plan.collect_events()
    plan.append_contribution(
        AppendContribution(
            contribution_id=uuid4(), kind="assessment_summary", text="CELF-5 screen"
        ),
        by(a_parent(), days_ago(2)),
    )
    assert event_types(plan) == ["ContributionAppended"]
    assert [(c.text, c.actor) for c in plan.contributions] == [("CELF-5 screen", a_parent())]


def test_shared_copies_are_numbered_from_one_with_the_version_they_show():
    plan = an_open_plan()
    assert [share(plan), share(plan)] == [1, 2]
    assert [(c.number, c.version) for c in plan.shared_copies] == [(1, 1), (2, 2)]
    assert event_types(plan) == ["PlanOpened", "PlanShared", "PlanShared"]


class TestDisclosure:
    def test_a_disclosure_is_in_force_until_its_last_day(self):
        plan = an_open_plan()
        disclosure_id = grant(plan, until=days_ago(0))
        assert [d.id for d in plan.disclosures_in_force(days_ago(0))] == [disclosure_id]
        assert plan.disclosures_in_force(days_ago(-1)) == []

    def test_a_disclosure_may_end_on_the_day_it_is_granted(self):
        plan = an_open_plan()
        disclosure_id = grant(plan, until=days_ago(5), occurred_on=days_ago(5))
        assert plan.disclosures[disclosure_id].until == days_ago(5)

    def test_a_disclosure_cannot_end_before_it_is_granted(self):
        plan = an_open_plan()
        with refused(plan, DateOrderError):
            grant(plan, until=days_ago(6), occurred_on=days_ago(5))

    def test_a_revoked_disclosure_is_no_longer_in_force(self):
        plan = an_open_plan()
        disclosure_id = grant(plan)
        plan.collect_events()
        revoke(plan, disclosure_id)
        assert event_types(plan) == ["DisclosureRevoked"]
        assert plan.disclosures[disclosure_id].revoked_on == days_ago(1)
        assert plan.disclosures_in_force(days_ago(0)) == []

    def test_an_unknown_disclosure_cannot_be_revoked(self):
        plan = an_open_plan()
        with refused(plan, DisclosureNotFoundError):
            revoke(plan, uuid4())

    def test_a_disclosure_cannot_be_revoked_twice(self):
        plan = an_open_plan()
        disclosure_id = grant(plan)
        revoke(plan, disclosure_id)
        with refused(plan, DisclosureNotInForceError):
            revoke(plan, disclosure_id)


@pytest.mark.parametrize("until", [None, days_ago(-30)], ids=["open-ended", "dated"])
def test_a_disclosure_granted_today_is_in_force_today(until):
    plan = an_open_plan()
    grant(plan, until=until, occurred_on=days_ago(0))
    assert len(plan.disclosures_in_force(days_ago(0))) == 1
