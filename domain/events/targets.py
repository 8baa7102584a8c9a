"""Outcomes, and the SMART short-term targets set, revised, closed and evaluated under them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from pydantic import Field

from domain.actions import Action
from domain.events.base import Command, PlanEvent
from domain.values import (
    Evaluation,
    Outcome,
    Personal,
    Progress,
    Target,
    TargetRevision,
    TargetStatus,
    Wellbeing,
)

if TYPE_CHECKING:
    from domain.plans import Plan


class AgreeOutcome(Command):
    action = Action.AGREE_OUTCOME
    creates = "outcome_id"
    outcome_id: UUID = Field(default_factory=uuid4)
    text: Personal[str]
    area: Personal[str]
    aspiration: Personal[str | None] = None
    wellbeing: tuple[Wellbeing, ...] = ()
    """The SHANARRI indicators the outcome serves (GIRFEC: a plan is read by them)."""


class OutcomeAgreed(PlanEvent, AgreeOutcome):
    def apply(self, plan: Plan) -> None:
        plan.outcomes[self.outcome_id] = Outcome(
            id=self.outcome_id,
            text=self.text,
            area=self.area,
            aspiration=self.aspiration,
            agreed_on=self.occurred_on,
            wellbeing=self.wellbeing,
        )


class SetTarget(Command):
    action = Action.SET_TARGET
    creates = "target_id"
    target_id: UUID = Field(default_factory=uuid4)
    outcome_id: UUID
    text: Personal[str]
    due_on: date
    success_criteria: Personal[str | None] = None


class TargetSet(PlanEvent, SetTarget):
    def apply(self, plan: Plan) -> None:
        plan.targets[self.target_id] = Target(
            id=self.target_id,
            outcome_id=self.outcome_id,
            text=self.text,
            due_on=self.due_on,
            success_criteria=self.success_criteria,
            set_on=self.occurred_on,
        )


class ReviseTarget(Command):
    """Amend an open target; the old text stays in its history. A reason is required."""

    action = Action.REVISE_TARGET
    needs_reason = True
    target_id: UUID
    text: Personal[str]
    due_on: date | None = None


class TargetRevised(PlanEvent, ReviseTarget):
    def apply(self, plan: Plan) -> None:
        target = plan.targets[self.target_id]
        revision = TargetRevision(
            text=self.text,
            previous_text=target.text,
            reason=self.reason,
            occurred_on=self.occurred_on,
            by=self.actor.name,
        )
        plan.targets[self.target_id] = target.model_copy(
            update={
                "text": self.text,
                "due_on": self.due_on or target.due_on,
                "revisions": (*target.revisions, revision),
            }
        )


class CloseTarget(Command):
    action = Action.CLOSE_TARGET
    target_id: UUID


class TargetClosed(PlanEvent, CloseTarget):
    def apply(self, plan: Plan) -> None:
        plan.targets[self.target_id] = plan.targets[self.target_id].model_copy(
            update={"status": TargetStatus.CLOSED}
        )


class EvaluateTarget(Command):
    action = Action.EVALUATE_TARGET
    target_id: UUID
    progress: Progress
    impact: Personal[str]
    review_id: UUID | None = None


class TargetEvaluated(PlanEvent, EvaluateTarget):
    def apply(self, plan: Plan) -> None:
        target = plan.targets[self.target_id]
        evaluation = Evaluation(
            progress=self.progress,
            impact=self.impact,
            review_id=self.review_id,
            occurred_on=self.occurred_on,
            by=self.actor.name,
        )
        status = TargetStatus.ACHIEVED if self.progress is Progress.ACHIEVED else target.status
        plan.targets[self.target_id] = target.model_copy(
            update={"evaluations": (*target.evaluations, evaluation), "status": status}
        )
