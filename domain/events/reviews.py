"""Reviews: held (with the evaluation of each target, as one decision) and scheduled."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from pydantic import Field

from domain.actions import Action
from domain.base import Immutable
from domain.events.base import Command, PlanEvent
from domain.values import Personal, Progress, Review

if TYPE_CHECKING:
    from domain.plans import Plan


class Evaluated(Immutable):
    """One target's evaluation within a review."""

    target_id: UUID
    progress: Progress
    impact: str


class ReviewRecord(Immutable):
    """What a review meeting records (its event holds this; its command adds evaluations)."""

    review_id: UUID = Field(default_factory=uuid4)
    held_on: date
    attendees: Personal[tuple[str, ...]]
    summary: Personal[str]
    next_review_on: date | None = None


class HoldReview(Command, ReviewRecord):
    """A review and its evaluation of each target: ReviewHeld, then one TargetEvaluated
    per evaluation, in one append. It happened on the day it was held."""

    action = Action.HOLD_REVIEW
    creates = "review_id"
    evaluations: tuple[Evaluated, ...] = ()


class ReviewHeld(PlanEvent, ReviewRecord):
    def apply(self, plan: Plan) -> None:
        plan.reviews.append(
            Review(
                id=self.review_id,
                held_on=self.held_on,
                attendees=self.attendees,
                summary=self.summary,
                next_review_on=self.next_review_on,
            )
        )
        plan.next_review_on = self.next_review_on


class ScheduleReview(Command):
    action = Action.SCHEDULE_REVIEW
    next_review_on: date


class ReviewScheduled(PlanEvent, ScheduleReview):
    def apply(self, plan: Plan) -> None:
        plan.next_review_on = self.next_review_on
