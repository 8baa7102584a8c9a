"""The statutory steps whose dates start and stop the clocks that domain/clocks.py reports
(the periods are in domain/statutory.py). Each is a decision a tribunal may ask about, so
each is an event, with who, when and why."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from domain.actions import Action
from domain.events.base import Command, PlanEvent
from domain.statutory import (
    CSP_PREPARATION_CEILING_WEEKS,
    CSP_PREPARATION_WEEKS,
    EARLY_REVIEW_ANSWER_EXTENDED_WEEKS,
    EARLY_REVIEW_ANSWER_WEEKS,
    CspNeed,
    DelayCause,
    EarlyReviewAnswer,
    EhcpAssessment,
    EhcpIssue,
    Requester,
    add_weeks,
)

if TYPE_CHECKING:
    from domain.plans import Plan


class StatutoryStep(Command):
    action = Action.RECORD_STATUTORY_STEP


def _update(plan: Plan, **changes: Any) -> None:
    plan.statutory = plan.statutory.model_copy(update=changes)


# Scotland: the Co-ordinated Support Plan (Education (Additional Support for Learning)
# (Scotland) Act 2004; CSP Regulations, SSI 2005/266 as amended).


class ReceiveCspRequest(StatutoryStep):
    """A request to establish whether a CSP is needed: the authority must answer within
    8 weeks (CSP Regulations reg 4A)."""

    requested_by: Requester


class CspRequestReceived(PlanEvent, ReceiveCspRequest):
    def apply(self, plan: Plan) -> None:
        _update(plan, csp_requested_on=self.occurred_on)


class DecideCspNeed(StatutoryStep):
    """Stops the 8-week clock; 'needed' starts the 16-week preparation clock."""

    decision: CspNeed


class CspNeedDecided(PlanEvent, DecideCspNeed):
    def apply(self, plan: Plan) -> None:
        changes: dict[str, Any] = {
            "csp_need": self.decision,
            "csp_need_decided_on": self.occurred_on,
        }
        if self.decision is CspNeed.NEEDED:
            changes["csp_preparation_due_on"] = add_weeks(self.occurred_on, CSP_PREPARATION_WEEKS)
            changes["csp_preparation_ceiling_on"] = add_weeks(
                self.occurred_on, CSP_PREPARATION_CEILING_WEEKS
            )
        _update(plan, **changes)


class DelayCspPreparation(StatutoryStep):
    """A recorded exception to the 16 weeks, with the reason the family is told and a new
    date, which may never pass 24 weeks from the start."""

    new_due_on: date
    cause: DelayCause


class CspPreparationDelayed(PlanEvent, DelayCspPreparation):
    def apply(self, plan: Plan) -> None:
        _update(plan, csp_preparation_due_on=self.new_due_on)


class PrepareCsp(StatutoryStep):
    """The plan prepared, dated and signed (CSP Regulations reg 3(1)(c)): stops the
    preparation clock and starts the 12-month review clock (the Act s.10(2))."""


class CspPrepared(PlanEvent, PrepareCsp):
    def apply(self, plan: Plan) -> None:
        _update(plan, csp_prepared_on=self.occurred_on)


class StartReview(StatutoryStep):
    """A CSP review begun: it must be completed (ReviewHeld) within 12 weeks."""


class ReviewStarted(PlanEvent, StartReview):
    def apply(self, plan: Plan) -> None:
        _update(plan, review_started_on=self.occurred_on)


class RequestEarlyReview(StatutoryStep):
    """A parent's or young person's request for an early review (the Act s.10(3)-(5)):
    to be answered within 4 weeks (CSP Regulations reg 5A)."""

    requested_by: Requester


class EarlyReviewRequested(PlanEvent, RequestEarlyReview):
    def apply(self, plan: Plan) -> None:
        _update(
            plan,
            early_review_requested_on=self.occurred_on,
            early_review_due_on=add_weeks(self.occurred_on, EARLY_REVIEW_ANSWER_WEEKS),
            early_review_extended=False,
            early_review_answer=None,
        )


class ExtendEarlyReviewAnswer(StatutoryStep):
    """The authority records that 4 weeks is impractical: the answer is then due within
    12 weeks of the request (reg 5A). Only while the 4 weeks are still running."""


class EarlyReviewDeadlineExtended(PlanEvent, ExtendEarlyReviewAnswer):
    def apply(self, plan: Plan) -> None:
        requested_on = plan.statutory.early_review_requested_on or self.occurred_on
        _update(
            plan,
            early_review_extended=True,
            early_review_due_on=add_weeks(requested_on, EARLY_REVIEW_ANSWER_EXTENDED_WEEKS),
        )


class DecideEarlyReview(StatutoryStep):
    """Grant or refuse the latest early review request. An answer after the deadline is
    still recorded: the clock shows it was late (and the deemed refusal before it)."""

    decision: EarlyReviewAnswer


class EarlyReviewDecided(PlanEvent, DecideEarlyReview):
    def apply(self, plan: Plan) -> None:
        _update(plan, early_review_answer=self.decision)


# England (SEND Regulations 2014): request -> decision to assess (6 weeks) -> decision to
# issue (16 weeks) -> final plan (20 weeks), each counted from the request.


class ReceiveEhcpRequest(StatutoryStep):
    requested_by: Requester


class EhcpAssessmentRequested(PlanEvent, ReceiveEhcpRequest):
    def apply(self, plan: Plan) -> None:
        _update(plan, ehcp_requested_on=self.occurred_on)


class DecideEhcpAssessment(StatutoryStep):
    decision: EhcpAssessment


class EhcpAssessmentDecided(PlanEvent, DecideEhcpAssessment):
    def apply(self, plan: Plan) -> None:
        _update(plan, ehcp_assessment=self.decision)


class DecideEhcpIssue(StatutoryStep):
    decision: EhcpIssue


class EhcpIssueDecided(PlanEvent, DecideEhcpIssue):
    def apply(self, plan: Plan) -> None:
        _update(plan, ehcp_issue=self.decision)


class IssueEhcp(StatutoryStep):
    pass


class EhcpIssued(PlanEvent, IssueEhcp):
    def apply(self, plan: Plan) -> None:
        _update(plan, ehcp_issued_on=self.occurred_on)
