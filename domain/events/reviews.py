"""Reviews: held (with the evaluation of each target, as one decision) and scheduled."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from pydantic import Field

from domain.actions import Action
from domain.base import Immutable
from domain.events.base import Command, PlanEvent
from domain.statutory import ReviewKind, completes_statutory_review
from domain.values import Personal, PlanType, Progress, ProvisionImpact, Review

if TYPE_CHECKING:
    from domain.plans import Plan


class ProvisionImpactGiven(Immutable):
    """One provision's impact as a review found it."""

    provision_id: UUID
    impact: str


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
    per evaluation, in one append. It happened on the day it was held. A CSP's
    `statutory` review completes the review begun (StartReview); an `in_year` meeting
    touches no statutory clock."""

    action = Action.HOLD_REVIEW
    creates = "review_id"
    kind: ReviewKind = ReviewKind.IN_YEAR
    recommends_discontinuance: bool = False
    """A statutory review's conclusion that a CSP is no longer needed (reg 11(1))."""
    evaluations: tuple[Evaluated, ...] = ()
    provision_impacts: tuple[ProvisionImpactGiven, ...] = ()


class ReviewHeld(PlanEvent, ReviewRecord):
    kind: ReviewKind | None = None  # None: recorded before reviews had a kind
    recommends_discontinuance: bool = False
    provision_impacts: Personal[tuple[ProvisionImpactGiven, ...]] = ()

    def apply(self, plan: Plan) -> None:
        for given in self.provision_impacts:
            provision = plan.provisions[given.provision_id]
            impact = ProvisionImpact(
                review_id=self.review_id, impact=given.impact, occurred_on=self.held_on
            )
            plan.provisions[given.provision_id] = provision.model_copy(
                update={"impacts": (*provision.impacts, impact)}
            )
        state = plan.statutory
        if self.kind is ReviewKind.STATUTORY and plan.plan_type is PlanType.EHCP:
            # An EHC plan's annual review meeting: the authority's decision follows.
            plan.statutory = state.model_copy(
                update={"ehcp_review_held_on": self.held_on, "ehcp_review_report_due": True}
            )
        elif completes_statutory_review(self.kind, state.review_begun):
            recommended = self.held_on if self.recommends_discontinuance else None
            plan.statutory = state.model_copy(
                update={
                    "review_begun": False,
                    "last_statutory_review_on": self.held_on,
                    "discontinuance_recommended_on": recommended,
                }
            )
        plan.reviews.append(
            Review(
                id=self.review_id,
                held_on=self.held_on,
                attendees=self.attendees,
                summary=self.summary,
                next_review_on=self.next_review_on,
                kind=self.kind.value if self.kind else None,
            )
        )
        plan.next_review_on = self.next_review_on


class ScheduleReview(Command):
    action = Action.SCHEDULE_REVIEW
    next_review_on: date


class ReviewScheduled(PlanEvent, ScheduleReview):
    def apply(self, plan: Plan) -> None:
        plan.next_review_on = self.next_review_on
