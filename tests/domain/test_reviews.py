"""Holding and scheduling reviews."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.errors import (
    DateOrderError,
    DuplicateEvaluationError,
    OccurredInFutureError,
    TargetClosedError,
    TargetNotFoundError,
)
from domain.events import CloseTarget, Evaluated, HoldReview, ScheduleReview, SetTarget
from domain.values import Progress, TargetStatus
from tests.domain.refusals import event_types, refused
from tests.examples import a_full_plan, a_lead_professional, by, days_ago, tomorrow

LEAD = a_lead_professional()


def evaluated(target_id, progress=Progress.PARTIALLY_ACHIEVED):
    return Evaluated(target_id=target_id, progress=progress, impact="Plays with one peer")


def hold_review(plan, evaluations=(), held_on=None, next_review_on=None):
    review_id = uuid4()
    plan.hold_review(
        HoldReview(
            review_id=review_id,
            held_on=held_on or days_ago(1),
            attendees=("Fiona MacLeod", "Morag Campbell"),
            summary="Good progress",
            next_review_on=next_review_on,
            evaluations=tuple(evaluations),
        ),
        by(LEAD),
    )
    return review_id


class TestHoldingAReview:
    def test_a_review_is_recorded_then_one_evaluation_per_target(self):
        full = a_full_plan()
        plan = full.plan
        second = uuid4()
        plan.set_target(
            SetTarget(
                target_id=second,
                outcome_id=full.outcome_id,
                text="Queue calmly",
                due_on=days_ago(-10),
            ),
            by(LEAD, days_ago(2)),
        )
        plan.collect_events()
        review_id = hold_review(
            plan, [evaluated(full.target_id), evaluated(second, Progress.ACHIEVED)]
        )
        held, first_evaluation, second_evaluation = plan.collect_events()
        assert type(held).__name__ == "ReviewHeld"
        assert [
            (type(e).__name__, e.target_id, e.review_id, e.occurred_on)
            for e in (first_evaluation, second_evaluation)
        ] == [
            ("TargetEvaluated", full.target_id, review_id, days_ago(1)),
            ("TargetEvaluated", second, review_id, days_ago(1)),
        ]
        assert plan.targets[second].status is TargetStatus.ACHIEVED
        assert plan.reviews[-1].id == review_id

    def test_a_review_sets_the_next_review_date(self):
        plan = a_full_plan().plan
        hold_review(plan, next_review_on=days_ago(-40))
        assert plan.next_review_on == days_ago(-40)

    @pytest.mark.parametrize("days_after", [0, -1], ids=["same day", "day before"])
    def test_the_next_review_must_fall_after_the_review(self, days_after):
        plan = a_full_plan().plan
        with refused(plan, DateOrderError):
            hold_review(plan, held_on=days_ago(5), next_review_on=days_ago(5 - days_after))

    def test_a_review_cannot_be_held_tomorrow(self):
        plan = a_full_plan().plan
        with refused(plan, OccurredInFutureError) as raised:
            hold_review(plan, held_on=tomorrow())
        assert "held_on" in str(raised.value)

    def test_a_target_is_evaluated_at_most_once_in_a_review(self):
        full = a_full_plan()
        with refused(full.plan, DuplicateEvaluationError):
            hold_review(full.plan, [evaluated(full.target_id), evaluated(full.target_id)])

    def test_a_review_cannot_evaluate_a_target_the_plan_does_not_have(self):
        full = a_full_plan()
        with refused(full.plan, TargetNotFoundError):
            hold_review(full.plan, [evaluated(full.target_id), evaluated(uuid4())])

    def test_a_review_cannot_evaluate_an_achieved_target(self):
        full = a_full_plan()
        with refused(full.plan, TargetClosedError):
            hold_review(full.plan, [evaluated(full.target_id), evaluated(full.achieved_target_id)])

    def test_a_review_cannot_evaluate_a_closed_target(self):
        full = a_full_plan()
        full.plan.close_target(CloseTarget(target_id=full.target_id), by(LEAD, days_ago(2)))
        with refused(full.plan, TargetClosedError):
            hold_review(full.plan, [evaluated(full.target_id)])


class TestSchedulingAReview:
    def test_scheduling_a_review_sets_the_next_review_date(self):
        plan = a_full_plan().plan
        plan.collect_events()
        plan.schedule_review(ScheduleReview(next_review_on=days_ago(-7)), by(LEAD, days_ago(0)))
        assert event_types(plan) == ["ReviewScheduled"]
        assert plan.next_review_on == days_ago(-7)

    @pytest.mark.parametrize("days_after", [0, -1], ids=["same day", "day before"])
    def test_a_review_must_be_scheduled_after_the_day_it_is_scheduled(self, days_after):
        plan = a_full_plan().plan
        with refused(plan, DateOrderError):
            plan.schedule_review(
                ScheduleReview(next_review_on=days_ago(3 - days_after)), by(LEAD, days_ago(3))
            )
