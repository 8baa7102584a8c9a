"""Plans read from the cache are shared between request threads: a later write, or
another reader catching the cache up, must never change a plan someone is reading."""

from __future__ import annotations

from tests.examples import a_child, a_lead_professional, SCHOOL
from domain.values import PlanType


def test_a_plan_being_read_is_not_changed_by_a_later_write(planning):
    lead = a_lead_professional()
    plan_id = planning.open_plan(
        plan_type=PlanType.IEP, stage="additional", child=a_child(), org=SCHOOL, actor=lead
    ).plan_id
    being_read = planning.get_plan(plan_id)

    planning.append_contribution(plan_id, kind="observation", text="Calmer today", actor=lead)
    caught_up = planning.get_plan(plan_id)

    assert (being_read.version, len(being_read.contributions)) == (1, 0)
    assert (caught_up.version, len(caught_up.contributions)) == (2, 1)


def test_a_plan_being_read_is_not_changed_by_a_command_on_it(planning):
    lead = a_lead_professional()
    plan_id = planning.open_plan(
        plan_type=PlanType.IEP, stage="additional", child=a_child(), org=SCHOOL, actor=lead
    ).plan_id
    being_read = planning.get_plan(plan_id)

    planning.record_views(plan_id, whose="child", text="I like Lego", actor=lead)

    assert being_read.views == []
    assert len(planning.get_plan(plan_id).views) == 1
