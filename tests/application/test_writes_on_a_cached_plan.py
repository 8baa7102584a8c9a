"""A write decides on the plan this process has cached, without asking the store for newer
events first (Planning._load). Two applications on one store stand for two server
processes: whatever the other wrote since this one cached the plan, a write here is never
refused for it, never lost, never put out of order, and If-Match still means the version
the caller read."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.errors import PreconditionFailedError
from application.planning import Conditions
from domain.calendar import today
from domain.events import AgreeOutcome, AppendContribution, EvaluateTarget, SetTarget
from domain.values import Progress
from tests.examples import a_plan_in, as_caller

LEAD = as_caller()


@pytest.fixture
def two_processes(make_planning):
    here, there = make_planning(), make_planning()
    plan_id = a_plan_in(here)
    here.get_plan(plan_id)  # cached here at version 1
    return here, there, plan_id


def test_a_write_here_on_what_another_process_created_since_is_not_refused(two_processes):
    here, there, plan_id = two_processes
    outcome_id = there.change(plan_id, AgreeOutcome(text="Reads aloud", area="Literacy"), LEAD)
    target = SetTarget(
        outcome_id=outcome_id.created["outcome_id"],
        text="Reads a page aloud",
        due_on=today() + timedelta(days=30),
    )
    target_id = there.change(plan_id, target, LEAD).created["target_id"]

    evaluated = here.change(
        plan_id,
        EvaluateTarget(target_id=target_id, progress=Progress.ACHIEVED, impact="Did it"),
        LEAD,
    )

    assert evaluated.version == 4
    types = [e.type for e in here.history(plan_id)]
    assert types == ["PlanOpened", "OutcomeAgreed", "TargetSet", "TargetEvaluated"]


def test_writes_in_turn_from_two_processes_all_land_in_order(two_processes):
    here, there, plan_id = two_processes
    for n in range(6):
        writer = here if n % 2 else there
        writer.change(plan_id, AppendContribution(kind="note", text=f"Note {n}"), LEAD)
    texts = [e.data["text"] for e in here.history(plan_id) if e.type == "ContributionAppended"]
    assert texts == [f"Note {n}" for n in range(6)]
    assert len(there.chain(plan_id)) == 7


def test_if_match_is_the_version_the_caller_read_not_the_cached_one(two_processes):
    here, there, plan_id = two_processes
    there.change(plan_id, AppendContribution(kind="note", text="Written there"), LEAD)
    note = AppendContribution(kind="note", text="Written here")

    with pytest.raises(PreconditionFailedError):
        here.change(plan_id, note, LEAD, conditions=Conditions(expected_version=1))
    written = here.change(plan_id, note, LEAD, conditions=Conditions(expected_version=2))

    assert written.version == 3
