"""The plan as known today to have stood on a day: what happened by then, however late it
was recorded, and nothing that happened after."""

from __future__ import annotations

from uuid import uuid4

from domain.events import EvaluateTarget, SetTarget
from domain.hindsight import known_on
from domain.values import Progress
from tests.examples import a_plan_with_target, by, days_ago


def test_an_entry_made_late_is_in_the_day_it_describes_and_a_later_one_is_not():
    plan, outcome_id, target_id = a_plan_with_target()  # the target is dated 28 days ago
    later = uuid4()
    plan.set_target(
        SetTarget(target_id=later, outcome_id=outcome_id, text="Lead a game", due_on=days_ago(-9)),
        by(on=days_ago(5)),
    )
    # Recorded last, dated 20 days ago: the evaluation was typed up late.
    plan.evaluate_target(
        EvaluateTarget(target_id=target_id, progress=Progress.ACHIEVED, impact="Turns taken"),
        by(on=days_ago(20)),
    )
    found = known_on(plan.collect_events(), days_ago(10))
    assert found.plan is not None and not found.left_out
    assert set(found.plan.targets) == {target_id}
    assert [e.progress for e in found.plan.targets[target_id].evaluations] == [Progress.ACHIEVED]


def test_an_entry_resting_on_something_dated_later_is_left_out_and_said_so():
    plan, _, target_id = a_plan_with_target()
    plan.evaluate_target(
        EvaluateTarget(target_id=target_id, progress=Progress.ACHIEVED, impact="Turns taken"),
        by(on=days_ago(28)),
    )
    # Known on a day after the evaluation's date but before the target's: contradictory
    # dates cannot be placed, and the reading says what it left out.
    events = plan.collect_events()
    target_set = next(e for e in events if type(e).__name__ == "TargetSet")
    moved = [e if e is not target_set else _dated(e, days_ago(1)) for e in events]
    found = known_on(moved, days_ago(10))
    assert found.plan is not None and target_id not in found.plan.targets
    assert [type(e).__name__ for e in found.left_out] == ["TargetEvaluated"]


def test_before_the_plan_was_opened_there_is_no_plan():
    plan, _, _ = a_plan_with_target()  # opened 30 days ago
    found = known_on(plan.collect_events(), days_ago(31))
    assert found.plan is None


def _dated(event, day):
    return type(event)(**{**vars(event), "occurred_on": day})
