"""Opening a plan."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import DateOrderError, InvalidMemberRoleError, OccurredInFutureError
from domain.plans import Plan
from domain.values import Actor, Child, PlanStatus, Role
from tests.domain.refusals import event_types
from tests.examples import (
    SCHOOL,
    a_child,
    a_lead_professional,
    a_practitioner,
    a_reviewer,
    an_analyst,
    an_open_plan,
    an_opening,
    by,
    days_ago,
    tomorrow,
)


def open_plan(actor=None, occurred_on=None, **overrides):
    """The example opening, with any of its fields overridden, by `actor` on the day."""
    command = an_opening().model_copy(update=overrides)
    return Plan.open(command, by(actor or a_lead_professional(), occurred_on or days_ago(30)))


def test_opening_a_plan_records_the_child_stage_and_who_opened_it():
    plan = an_open_plan()
    [opened] = plan.collect_events()
    assert type(opened) is Plan.PlanOpened
    assert (opened.child, opened.stage, opened.org) == (a_child(), "additional", SCHOOL)
    assert (opened.actor, opened.occurred_on) == (a_lead_professional(), days_ago(30))
    assert (plan.status, plan.opened_on) == (PlanStatus.OPEN, days_ago(30))


def test_a_lead_professional_who_opens_a_plan_is_its_first_member_and_its_lead():
    plan = an_open_plan()
    assert plan.members["u-lead-1"].role is Role.LEAD_PROFESSIONAL
    assert plan.lead_professional == "u-lead-1"


def test_a_practitioner_who_opens_a_plan_is_a_member_but_not_its_lead():
    plan = an_open_plan(actor=a_practitioner())
    assert plan.members["u-salt-1"].role is Role.PRACTITIONER
    assert plan.lead_professional is None


def test_a_plan_can_be_opened_today_with_a_first_review_tomorrow():
    plan = open_plan(occurred_on=days_ago(0), next_review_on=tomorrow())
    assert event_types(plan) == ["PlanOpened"]
    assert plan.next_review_on == tomorrow()


def test_a_plan_cannot_be_opened_tomorrow():
    with pytest.raises(OccurredInFutureError):
        open_plan(occurred_on=tomorrow())


@pytest.mark.parametrize(
    "actor",
    [a_reviewer(), an_analyst(), Actor(id="sys", name="Retention", role=Role.SYSTEM)],
    ids=lambda a: a.role.value,
)
def test_only_someone_who_can_be_a_member_can_open_a_plan(actor):
    with pytest.raises(InvalidMemberRoleError):
        open_plan(actor=actor)


@pytest.mark.parametrize("days_after", [0, -1], ids=["same day", "day before"])
def test_the_first_review_must_fall_after_the_day_the_plan_is_opened(days_after):
    with pytest.raises(DateOrderError):
        open_plan(occurred_on=days_ago(30), next_review_on=days_ago(30 - days_after))


@pytest.mark.parametrize(
    "born_on", [tomorrow(), date(tomorrow().year + 1, 1, 1)], ids=["tomorrow", "next year"]
)
def test_a_plan_cannot_be_opened_for_a_child_born_in_the_future(born_on):
    with pytest.raises(OccurredInFutureError) as raised:
        open_plan(child=Child(name="Isla Campbell", date_of_birth=born_on))
    assert "date_of_birth" in str(raised.value)


@pytest.mark.parametrize("born_on", [days_ago(0), date(2016, 3, 14)], ids=["today", "2016"])
def test_a_plan_can_be_opened_today_for_a_child_born_today_or_before(born_on):
    plan = open_plan(
        child=Child(name="Isla Campbell", date_of_birth=born_on), occurred_on=days_ago(0)
    )
    assert plan.child.date_of_birth == born_on
