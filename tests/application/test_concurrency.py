"""Two writers on one plan: one wins or both land, and no event is ever lost."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from application.errors import ConcurrentUpdateError, PreconditionFailedError
from application.planning import Conditions
from domain.events import AppendContribution, SharePlan
from tests.examples import a_plan_in, as_caller

LEAD = as_caller()
SHARE = SharePlan(recipients=("Morag",), method="email")


def contributions(planning, plan_id):
    return [e.data["text"] for e in planning.history(plan_id) if e.type == "ContributionAppended"]


def race(apps, plan_id, conditions):
    """Each app appends its own contribution at the same moment; returns results/errors."""
    barrier = threading.Barrier(len(apps))

    def write(n):
        barrier.wait()
        try:
            return apps[n].change(
                plan_id,
                AppendContribution(kind="note", text=f"Writer {n}"),
                LEAD,
                conditions=conditions,
            )
        except (PreconditionFailedError, ConcurrentUpdateError) as error:
            return error

    with ThreadPoolExecutor(len(apps)) as pool:
        return list(pool.map(write, range(len(apps))))


def colleague_writes_meanwhile(make_planning, colleague, plan_id, times=1):
    """A writer whose renderer for shared copies is slow, during which a colleague changes
    the plan; and the versions it rendered."""
    calls = []

    def render(plan):
        calls.append(plan.version)
        if len(calls) <= times:
            # The colleague writes as the plan's lead professional: the one member of a
            # plan just opened, who may write without adding anyone first.
            colleague.change(
                plan_id, AppendContribution(kind="note", text=f"Colleague {len(calls)}"), LEAD
            )
        return b"%PDF copy"

    return make_planning(shared_copy=render), calls


class TestWritersWhoReadTheSameVersion:
    def test_one_wins_and_the_others_are_told_the_plan_moved_on(self, make_planning):
        apps = [make_planning() for _ in range(4)]
        plan_id = a_plan_in(apps[0])
        results = race(apps, plan_id, Conditions(expected_version=1))
        winners = [r for r in results if not isinstance(r, Exception)]
        assert len(winners) == 1
        assert all(isinstance(r, PreconditionFailedError) for r in results if r not in winners)
        assert len(apps[1].history(plan_id)) == 2
        assert contributions(apps[2], plan_id) == [f"Writer {results.index(winners[0])}"]

    def test_a_write_decided_while_a_colleague_wrote_is_refused(self, make_planning):
        planning, colleague = make_planning(), make_planning()
        plan_id = a_plan_in(planning)
        planning, _ = colleague_writes_meanwhile(make_planning, colleague, plan_id)
        with pytest.raises(PreconditionFailedError) as raised:
            planning.change(plan_id, SHARE, LEAD, conditions=Conditions(expected_version=1))
        assert raised.value.current_version == 2
        assert [e.type for e in colleague.history(plan_id)] == [
            "PlanOpened",
            "ContributionAppended",
        ]


class TestWritersWhoDidNotSayWhatTheyRead:
    def test_both_writes_land(self, make_planning):
        apps = [make_planning(), make_planning()]
        plan_id = a_plan_in(apps[0])
        results = race(apps, plan_id, Conditions())
        assert sorted(r.version for r in results) == [2, 3]
        assert sorted(contributions(apps[0], plan_id)) == ["Writer 0", "Writer 1"]

    def test_a_write_decided_while_a_colleague_wrote_is_decided_again(self, make_planning):
        planning, colleague = make_planning(), make_planning()
        plan_id = a_plan_in(planning)
        planning, decided_on = colleague_writes_meanwhile(make_planning, colleague, plan_id)
        written = planning.change(plan_id, SHARE, LEAD)
        assert decided_on == [1, 2]
        assert [e.type for e in planning.history(plan_id)] == [
            "PlanOpened",
            "ContributionAppended",
            "PlanShared",
        ]
        assert planning.get_plan(plan_id).shared_copies[0].version == written.version - 1 == 2

    def test_a_writer_who_keeps_losing_gives_up_without_losing_the_others(self, make_planning):
        planning, colleague = make_planning(), make_planning()
        plan_id = a_plan_in(planning)
        planning, _ = colleague_writes_meanwhile(
            make_planning, colleague, plan_id, times=planning.max_attempts
        )
        with pytest.raises(ConcurrentUpdateError):
            planning.change(plan_id, SHARE, LEAD)
        assert contributions(planning, plan_id) == [
            f"Colleague {n}" for n in range(1, planning.max_attempts + 1)
        ]
        assert planning.get_plan(plan_id).shared_copies == []
