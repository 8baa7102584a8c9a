"""The statutory steps whose dates start and stop the clocks that domain/clocks.py reports
(the periods are in domain/statutory.py). Each is a decision a tribunal may ask about, so
each is an event, with who, when and why."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any
from uuid import UUID, uuid4

from pydantic import Field, StringConstraints

from domain.actions import Action
from domain.events.base import Command, PlanEvent
from domain.events.lifecycle import PlanClosed
from domain.statutory import (
    CSP_PREPARATION_CEILING_WEEKS,
    CSP_PREPARATION_WEEKS,
    EARLY_REVIEW_ANSWER_EXTENDED_WEEKS,
    EARLY_REVIEW_ANSWER_WEEKS,
    CspNeed,
    CspRequestAnswer,
    EarlyReviewAnswer,
    EhcpAssessment,
    EhcpExceptionGround,
    EhcpIssue,
    EhcpReviewDecision,
    NoticeKind,
    Requester,
    Signature,
    add_weeks,
)
from domain.values import Notice, NoticeEmail, Personal

if TYPE_CHECKING:
    from domain.plans import Plan


class StatutoryStep(Command):
    action = Action.RECORD_STATUTORY_STEP


class StatutoryDecision(Command):
    """A decision of the authority: taken by an authorised officer (domain/access.py),
    who is recorded as its actor, and never without its reason."""

    action = Action.TAKE_STATUTORY_DECISION
    needs_reason = True


def _update(plan: Plan, **changes: Any) -> None:
    plan.statutory = plan.statutory.model_copy(update=changes)


def _start_preparation(plan: Plan, day: date) -> None:
    # reg 4(1): the 16 weeks run from the proposal to establish whether a CSP is needed,
    # or from the authority's agreeing to a request to do so.
    _update(
        plan,
        csp_preparation_started_on=day,
        csp_preparation_due_on=add_weeks(day, CSP_PREPARATION_WEEKS),
        csp_preparation_ceiling_on=add_weeks(day, CSP_PREPARATION_CEILING_WEEKS),
    )


# Scotland: the Co-ordinated Support Plan (Education (Additional Support for Learning)
# (Scotland) Act 2004; CSP Regulations, SSI 2005/266 as amended).


class ReceiveCspRequest(Command):
    """A request to establish whether a CSP is needed (the Act s.6(2)(c)): the authority
    must answer within 8 weeks (CSP Regulations reg 4A)."""

    action = Action.MAKE_STATUTORY_REQUEST
    creates = "request_id"
    request_id: UUID = Field(default_factory=uuid4)
    requested_by: Requester


class CspRequestReceived(PlanEvent, ReceiveCspRequest):
    request_id: UUID | None = None  # type: ignore[assignment]  # None: stored before ids

    def apply(self, plan: Plan) -> None:
        _update(plan, csp_requested_on=self.occurred_on, csp_request_id=self.request_id)


class AnswerCspRequest(StatutoryDecision):
    """The answer to a request: the authority will establish whether a CSP is needed,
    which starts the 16 weeks, or refuses, which the family may refer (s.18(3)(e))."""

    request_id: UUID | None = None
    answer: CspRequestAnswer


class CspRequestAnswered(PlanEvent, AnswerCspRequest):
    def apply(self, plan: Plan) -> None:
        _update(plan, csp_request_answer=self.answer, csp_request_answered_on=self.occurred_on)
        if self.answer is CspRequestAnswer.WILL_ESTABLISH:
            _start_preparation(plan, self.occurred_on)


class ProposeCsp(StatutoryStep):
    """The authority proposes, of its own accord, to establish whether a CSP is needed:
    the 16 weeks start (reg 4(1)); the family is told first (s.11(2)(a))."""


class CspProposed(PlanEvent, ProposeCsp):
    def apply(self, plan: Plan) -> None:
        _start_preparation(plan, self.occurred_on)


class DecideCspNeed(StatutoryDecision):
    """Whether a CSP is needed: 'not needed' ends the process (and may be referred, with
    its 2 months); 'needed' leaves the 16 weeks running until the plan is signed."""

    decision: CspNeed


class CspNeedDecided(PlanEvent, DecideCspNeed):
    def apply(self, plan: Plan) -> None:
        if plan.statutory.csp_preparation_started_on is None and self.decision is CspNeed.NEEDED:
            # Recorded by an earlier release, whose 16 weeks ran from this decision.
            _start_preparation(plan, self.occurred_on)
        _update(plan, csp_need=self.decision, csp_need_decided_on=self.occurred_on)


class DelayCspPreparation(StatutoryStep):
    """A recorded exception to the 16 weeks (reg 4(2)), with its cause and the reason the
    family is told, and a new date, which may never pass 24 weeks from the start."""

    needs_reason = True
    new_due_on: date
    cause: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class CspPreparationDelayed(PlanEvent, DelayCspPreparation):
    def apply(self, plan: Plan) -> None:
        _update(plan, csp_preparation_due_on=self.new_due_on)


class PrepareCsp(StatutoryDecision):
    """The plan prepared, dated and signed by an authorised officer (CSP Regulations
    reg 3(1)(c)): stops the 16 weeks and starts the 12-month review clock (the Act
    s.10(2)). After a statutory review, the amended plan is signed again (reg 3(2))."""

    needs_reason = False


class CspPrepared(PlanEvent, PrepareCsp):
    amended: bool = False
    """Signed as amended after a review; the first signature is the plan's preparation."""

    def apply(self, plan: Plan) -> None:
        signature = Signature(
            signed_on=self.occurred_on, officer=self.actor.name, amended=self.amended
        )
        changes: dict[str, Any] = {"signed": (*plan.statutory.signed, signature)}
        if not self.amended:
            changes["csp_prepared_on"] = self.occurred_on
        _update(plan, **changes)


class StartReview(StatutoryStep):
    """A statutory review of the CSP begun (the Act s.10): to be completed within 12
    weeks by a review recorded as `statutory`."""

    creates = "review_id"
    review_id: UUID = Field(default_factory=uuid4)


class ReviewStarted(PlanEvent, StartReview):
    review_id: UUID | None = None  # type: ignore[assignment]  # None: stored before ids

    def apply(self, plan: Plan) -> None:
        _update(
            plan, review_id=self.review_id, review_started_on=self.occurred_on, review_begun=True
        )


class RequestEarlyReview(Command):
    """A request for an early review (the Act s.10(3)-(5)): to be answered within
    4 weeks (CSP Regulations reg 5A)."""

    action = Action.MAKE_STATUTORY_REQUEST
    creates = "request_id"
    request_id: UUID = Field(default_factory=uuid4)
    requested_by: Requester


class EarlyReviewRequested(PlanEvent, RequestEarlyReview):
    request_id: UUID | None = None  # type: ignore[assignment]  # None: stored before ids

    def apply(self, plan: Plan) -> None:
        _update(
            plan,
            early_review_request_id=self.request_id,
            early_review_requested_on=self.occurred_on,
            early_review_due_on=add_weeks(self.occurred_on, EARLY_REVIEW_ANSWER_WEEKS),
            early_review_extended=False,
            early_review_answer=None,
        )


class ExtendEarlyReviewAnswer(StatutoryStep):
    """The authority records that 4 weeks is impractical: the answer is then due within
    12 weeks of the request (reg 5A). Only while the 4 weeks are still running."""

    needs_reason = True
    request_id: UUID | None = None


class EarlyReviewDeadlineExtended(PlanEvent, ExtendEarlyReviewAnswer):
    def apply(self, plan: Plan) -> None:
        requested_on = plan.statutory.early_review_requested_on or self.occurred_on
        _update(
            plan,
            early_review_extended=True,
            early_review_due_on=add_weeks(requested_on, EARLY_REVIEW_ANSWER_EXTENDED_WEEKS),
        )


class DecideEarlyReview(StatutoryDecision):
    """Grant or refuse the early review request. An answer after the deadline is still
    recorded: the clock shows it was late (and the deemed refusal before it)."""

    request_id: UUID | None = None
    decision: EarlyReviewAnswer


class EarlyReviewDecided(PlanEvent, DecideEarlyReview):
    def apply(self, plan: Plan) -> None:
        _update(plan, early_review_answer=self.decision, early_review_answered_on=self.occurred_on)


class DiscontinueCsp(StatutoryDecision):
    """The CSP discontinued after a review that recommended it, once the time to refer
    that decision has passed; the date is noted on the plan (SSI 2005/518 reg 11(2)-(3)).
    The plan is then kept for 5 years and destroyed (application/retention.py)."""


class CspDiscontinued(PlanClosed, DiscontinueCsp):
    """A closing of the plan (so whatever follows closed plans follows it: the lists,
    the reports, retention), which also notes the date of discontinuance."""

    def apply(self, plan: Plan) -> None:
        super().apply(plan)
        _update(plan, discontinued_on=self.occurred_on)


class GiveNotice(Command):
    """A notice the Act requires, as given: to whom, how and on what day (s.11; reg 11).
    A tribunal asks for the date each was given."""

    action = Action.GIVE_NOTICE
    creates = "notice_id"
    notice_id: UUID = Field(default_factory=uuid4)
    kind: NoticeKind
    to: Personal[tuple[Annotated[str, StringConstraints(min_length=1, max_length=200)], ...]]
    method: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    by_email: bool = False
    """Planledger emails the notice itself to each of the family it holds an address for,
    whatever they chose to receive, and records each message the mail server accepted."""


class NoticeGiven(PlanEvent, GiveNotice):
    def apply(self, plan: Plan) -> None:
        plan.notices.append(
            Notice(
                id=self.notice_id,
                kind=self.kind.value,
                to=self.to,
                method=self.method,
                given_on=self.occurred_on,
                by=self.actor.name,
                by_email=self.by_email,
            )
        )


class RecordNoticeEmailed(Command):
    """The mail server accepted a notice emailed to one of the family: recorded by the
    mail sender, never by a person."""

    action = Action.RECORD_NOTICE_EMAILED
    notice_id: UUID
    recipient: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    message_id: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    accepted_at: datetime


class NoticeEmailed(PlanEvent, RecordNoticeEmailed):
    def apply(self, plan: Plan) -> None:
        sent = NoticeEmail(
            to=plan.members[self.recipient].name,
            message_id=self.message_id,
            accepted_at=self.accepted_at,
        )
        plan.notices = [
            n.model_copy(update={"emailed": (*n.emailed, sent)}) if n.id == self.notice_id else n
            for n in plan.notices
        ]


# England (SEND Regulations 2014): request -> decision to assess (6 weeks) -> decision to
# issue (16 weeks) -> final plan (20 weeks), each counted from the request.


class ReceiveEhcpRequest(Command):
    action = Action.MAKE_STATUTORY_REQUEST
    requested_by: Requester


class EhcpAssessmentRequested(PlanEvent, ReceiveEhcpRequest):
    def apply(self, plan: Plan) -> None:
        _update(plan, ehcp_requested_on=self.occurred_on)


class DecideEhcpAssessment(StatutoryDecision):
    needs_reason = False
    decision: EhcpAssessment


class EhcpAssessmentDecided(PlanEvent, DecideEhcpAssessment):
    def apply(self, plan: Plan) -> None:
        _update(plan, ehcp_assessment=self.decision)


class DecideEhcpIssue(StatutoryDecision):
    needs_reason = False
    decision: EhcpIssue


class EhcpIssueDecided(PlanEvent, DecideEhcpIssue):
    def apply(self, plan: Plan) -> None:
        _update(plan, ehcp_issue=self.decision)


class SendEhcpDraft(StatutoryStep):
    """The draft plan served on the family, with at least 15 days to comment on it and
    to ask for a school to be named (SEND Regulations 2014 reg 13(1))."""


class EhcpDraftSent(PlanEvent, SendEhcpDraft):
    def apply(self, plan: Plan) -> None:
        _update(plan, ehcp_draft_sent_on=self.occurred_on)


class SendEhcpReviewReport(StatutoryStep):
    """The annual review meeting's report, sent to everyone invited to it (SEND
    Regulations 2014 reg 20(8)), with the amendments it recommends, if any."""

    recommendations: Personal[str | None] = None


class EhcpReviewReportSent(PlanEvent, SendEhcpReviewReport):
    def apply(self, plan: Plan) -> None:
        _update(plan, ehcp_review_report_due=False)


class RecordEhcpException(StatutoryStep):
    """A time limit that could not be kept, and why (reg 10(4), reg 13(3)): the running
    clocks are then judged as excepted, not missed, and the reason is required."""

    needs_reason = True
    ground: EhcpExceptionGround


class EhcpTimescaleExcepted(PlanEvent, RecordEhcpException):
    pass


class IssueEhcp(StatutoryDecision):
    needs_reason = False
    amended: bool = False
    """The plan amended after an annual review (reg 22), not the first final plan."""


class EhcpIssued(PlanEvent, IssueEhcp):
    def apply(self, plan: Plan) -> None:
        if self.amended:
            _update(plan, ehcp_amendment_due=False)
        else:
            _update(plan, ehcp_issued_on=self.occurred_on)


class DecideEhcpReview(StatutoryDecision):
    """After an annual review: maintain, amend or cease (reg 20(10)); with its reason,
    which the family's notice of their right of appeal gives."""

    decision: EhcpReviewDecision


class EhcpReviewDecided(PlanEvent, DecideEhcpReview):
    def apply(self, plan: Plan) -> None:
        _update(
            plan,
            ehcp_review_held_on=None,
            ehcp_amendment_due=self.decision is EhcpReviewDecision.AMEND,
        )
