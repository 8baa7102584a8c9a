"""Outcomes and targets: setting, revising, closing and evaluating."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.errors import (
    DateOrderError,
    OutcomeNotFoundError,
    TargetClosedError,
    TargetNotFoundError,
)
from domain.events import CloseTarget, EvaluateTarget, ReviseTarget, SetTarget
from domain.values import Progress, TargetStatus
from tests.domain.refusals import event_types, refused
from tests.examples import a_lead_professional, a_plan_with_target, by, days_ago

LEAD = a_lead_professional()


def set_target(plan, outcome_id, due_on=None, occurred_on=None):
    target_id = uuid4()
    plan.set_target(
        SetTarget(
            target_id=target_id,
            outcome_id=outcome_id,
            text="Line up calmly",
            due_on=due_on or days_ago(-30),
            success_criteria="4 days in 5",
        ),
        by(LEAD, occurred_on or days_ago(2)),
    )
    return target_id


def evaluate(plan, target_id, progress=Progress.PARTIALLY_ACHIEVED):
    plan.evaluate_target(
        EvaluateTarget(target_id=target_id, progress=progress, impact="Better mornings"),
        by(LEAD, days_ago(1)),
    )


def close(plan, target_id):
    plan.close_target(CloseTarget(target_id=target_id), by(LEAD, days_ago(1)))


def revise(plan, target_id, due_on=None):
    plan.revise_target(
        ReviseTarget(target_id=target_id, text="Line up calmly with a friend", due_on=due_on),
        by(LEAD, days_ago(1), "Too hard"),
    )


class TestSettingATarget:
    def test_a_target_is_set_under_an_agreed_outcome_and_starts_open(self):
        plan, outcome_id, _ = a_plan_with_target()
        plan.collect_events()
        target_id = set_target(plan, outcome_id)
        [target_set] = plan.collect_events()
        assert (type(target_set).__name__, target_set.target_id, target_set.outcome_id) == (
            "TargetSet",
            target_id,
            outcome_id,
        )
        target = plan.targets[target_id]
        assert (target.status, target.set_on, target.due_on) == (
            TargetStatus.OPEN,
            days_ago(2),
            days_ago(-30),
        )

    def test_a_target_must_belong_to_an_agreed_outcome(self):
        plan, _, _ = a_plan_with_target()
        with refused(plan, OutcomeNotFoundError):
            set_target(plan, uuid4())

    def test_a_target_cannot_be_due_before_it_was_set(self):
        plan, outcome_id, _ = a_plan_with_target()
        with refused(plan, DateOrderError):
            set_target(plan, outcome_id, due_on=days_ago(3), occurred_on=days_ago(2))

    def test_a_target_may_be_due_on_the_day_it_is_set(self):
        plan, outcome_id, _ = a_plan_with_target()
        target_id = set_target(plan, outcome_id, due_on=days_ago(2), occurred_on=days_ago(2))
        assert plan.targets[target_id].due_on == days_ago(2)


class TestRevisingATarget:
    def test_a_revision_keeps_the_old_text_beside_the_new(self):
        plan, _, target_id = a_plan_with_target()
        plan.collect_events()
        revise(plan, target_id)
        [revised] = plan.collect_events()
        assert (type(revised).__name__, revised.text) == (
            "TargetRevised",
            "Line up calmly with a friend",
        )
        target = plan.targets[target_id]
        assert target.text == "Line up calmly with a friend"
        [revision] = target.revisions
        assert (revision.previous_text, revision.reason, revision.by) == (
            "Take turns in a board game with two peers",
            "Too hard",
            LEAD.name,
        )

    def test_each_revision_is_kept_in_order(self):
        plan, _, target_id = a_plan_with_target()
        revise(plan, target_id)
        plan.revise_target(
            ReviseTarget(target_id=target_id, text="Third wording"),
            by(LEAD, days_ago(0), "Clearer wording"),
        )
        assert [r.previous_text for r in plan.targets[target_id].revisions] == [
            "Take turns in a board game with two peers",
            "Line up calmly with a friend",
        ]

    def test_a_revision_may_move_the_due_date_or_keep_it(self):
        plan, _, target_id = a_plan_with_target()
        due_on = plan.targets[target_id].due_on
        revise(plan, target_id)
        assert plan.targets[target_id].due_on == due_on
        revise(plan, target_id, due_on=days_ago(-90))
        assert plan.targets[target_id].due_on == days_ago(-90)

    def test_a_revised_target_cannot_be_due_before_the_revision(self):
        plan, _, target_id = a_plan_with_target()
        with refused(plan, DateOrderError):
            revise(plan, target_id, due_on=days_ago(2))

    def test_an_unknown_target_cannot_be_revised(self):
        plan, _, _ = a_plan_with_target()
        with refused(plan, TargetNotFoundError):
            revise(plan, uuid4())

    @pytest.mark.parametrize(
        "finish",
        [close, lambda p, t: evaluate(p, t, Progress.ACHIEVED)],
        ids=["closed", "achieved"],
    )
    def test_a_target_no_longer_open_cannot_be_revised(self, finish):
        plan, _, target_id = a_plan_with_target()
        finish(plan, target_id)
        with refused(plan, TargetClosedError):
            revise(plan, target_id)


class TestClosingATarget:
    def test_a_closed_target_is_no_longer_open(self):
        plan, _, target_id = a_plan_with_target()
        plan.collect_events()
        close(plan, target_id)
        assert event_types(plan) == ["TargetClosed"]
        assert plan.targets[target_id].status is TargetStatus.CLOSED
        assert plan.open_targets() == []

    def test_a_target_cannot_be_closed_twice(self):
        plan, _, target_id = a_plan_with_target()
        close(plan, target_id)
        with refused(plan, TargetClosedError):
            close(plan, target_id)

    def test_an_unknown_target_cannot_be_closed(self):
        plan, _, _ = a_plan_with_target()
        with refused(plan, TargetNotFoundError):
            close(plan, uuid4())


class TestEvaluatingATarget:
    def test_an_evaluation_of_achieved_marks_the_target_achieved(self):
        plan, _, target_id = a_plan_with_target()
        plan.collect_events()
        evaluate(plan, target_id, Progress.ACHIEVED)
        [evaluated] = plan.collect_events()
        assert (type(evaluated).__name__, evaluated.progress) == (
            "TargetEvaluated",
            Progress.ACHIEVED,
        )
        target = plan.targets[target_id]
        assert target.status is TargetStatus.ACHIEVED
        assert [e.impact for e in target.evaluations] == ["Better mornings"]

    @pytest.mark.parametrize("progress", [Progress.PARTIALLY_ACHIEVED, Progress.NOT_ACHIEVED])
    def test_an_evaluation_short_of_achieved_leaves_the_target_open(self, progress):
        plan, _, target_id = a_plan_with_target()
        evaluate(plan, target_id, progress)
        target = plan.targets[target_id]
        assert (target.status, [e.progress for e in target.evaluations]) == (
            TargetStatus.OPEN,
            [progress],
        )

    def test_an_unknown_target_cannot_be_evaluated(self):
        plan, _, _ = a_plan_with_target()
        with refused(plan, TargetNotFoundError):
            evaluate(plan, uuid4())

    @pytest.mark.parametrize(
        "finish",
        [close, lambda p, t: evaluate(p, t, Progress.ACHIEVED)],
        ids=["closed", "achieved"],
    )
    def test_a_target_no_longer_open_cannot_be_evaluated(self, finish):
        plan, _, target_id = a_plan_with_target()
        finish(plan, target_id)
        with refused(plan, TargetClosedError):
            evaluate(plan, target_id)
