"""Plans read from the cache are shared between request threads: a later write, or
another reader catching the cache up, must never change a plan someone is reading."""

from __future__ import annotations

from uuid import uuid4

from domain.events import AppendContribution, RecordViews
from tests.examples import a_plan_in, as_caller


def test_a_plan_being_read_is_not_changed_by_a_later_write(planning):
    lead = as_caller()
    plan_id = a_plan_in(planning)
    being_read = planning.get_plan(plan_id)

    planning.change(plan_id, AppendContribution(kind="observation", text="Calmer today"), lead)
    caught_up = planning.get_plan(plan_id)

    assert (being_read.version, len(being_read.contributions)) == (1, 0)
    assert (caught_up.version, len(caught_up.contributions)) == (2, 1)


def test_a_plan_being_read_is_not_changed_by_a_command_on_it(planning):
    lead = as_caller()
    plan_id = a_plan_in(planning)
    being_read = planning.get_plan(plan_id)

    planning.change(plan_id, RecordViews(whose="child", text="I like Lego"), lead)

    assert being_read.views == []
    assert len(planning.get_plan(plan_id).views) == 1


def test_a_list_of_plans_reads_each_as_it_is_now_even_when_another_process_wrote(
    make_planning,
):
    lead = as_caller()
    here, elsewhere = make_planning(), make_planning()
    plan_ids = [a_plan_in(here) for _ in range(3)]
    here.get_plans(plan_ids)  # all three cached here
    elsewhere.change(plan_ids[1], AppendContribution(kind="observation", text="Calmer"), lead)

    plans = here.get_plans([*plan_ids, uuid4()])

    assert list(plans) == plan_ids  # in the order asked, an unknown plan left out
    assert [plans[p].version for p in plan_ids] == [1, 2, 1]
    assert len(plans[plan_ids[1]].contributions) == 1
