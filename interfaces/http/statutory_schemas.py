"""Request bodies of the statutory steps, sections and notices (../shared/API.md, "Added
in 2026-12"): field names fixed by the contract, each mapped onto its domain command."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator

from domain.events import (
    AnswerCspRequest,
    AssignLeadProfessional,
    DecideCspNeed,
    DecideEarlyReview,
    DecideEhcpAssessment,
    DecideEhcpIssue,
    DecideEhcpReview,
    DelayCspPreparation,
    GiveNotice,
    IssueEhcp,
    ReceiveCspRequest,
    ReceiveEhcpRequest,
    RecordEhcpException,
    RequestEarlyReview,
)
from domain.statutory import (
    CspNeed,
    CspRequestAnswer,
    EarlyReviewAnswer,
    EhcpAssessment,
    EhcpExceptionGround,
    EhcpIssue,
    EhcpReviewDecision,
    NoticeKind,
    Requester,
)
from interfaces.http.schemas import Attributed, Day, Name, Ref, Short, Text, WriteBody

CspRequester = Literal["parent_carer", "young_person", "child", "school", "agency"]


class Step(WriteBody):
    """A step with no fields of its own: a proposal, a signature, a review begun."""


class EhcpReviewReportCreate(WriteBody):
    recommendations: Text | None = Field(
        default=None, description="The amendments to the plan the meeting recommends"
    )


class ReasonedStep(WriteBody):
    reason: Text


class CspRequestCreate(WriteBody):
    requested_by: CspRequester

    def command(self) -> ReceiveCspRequest:
        return ReceiveCspRequest(requested_by=Requester(self.requested_by))


class CspRequestAnswerCreate(WriteBody):
    answer: CspRequestAnswer
    reason: Text

    def command(self, request_id: object) -> AnswerCspRequest:
        return AnswerCspRequest(request_id=request_id, answer=self.answer)


class CspDelayCreate(WriteBody):
    cause: Short = Field(
        examples=["agency_advice_late", "school_closed", "family_unavailable"],
        description="The exception to the 16 weeks (reg 4(2)); told to the family",
    )
    new_due_on: Day
    reason: Text

    def command(self) -> DelayCspPreparation:
        return DelayCspPreparation(cause=self.cause, new_due_on=self.new_due_on)


class CspDecisionCreate(WriteBody):
    needed: bool
    reason: Text

    def command(self) -> DecideCspNeed:
        return DecideCspNeed(decision=CspNeed.NEEDED if self.needed else CspNeed.NOT_NEEDED)


class EarlyReviewRequestCreate(WriteBody):
    requested_by: Literal["parent_carer", "young_person", "child"] = Field(
        description="The Act s.10(3): the parent, the young person, or a child aged 12+"
    )

    def command(self) -> RequestEarlyReview:
        return RequestEarlyReview(requested_by=Requester(self.requested_by))


class EarlyReviewAnswerCreate(WriteBody):
    answer: EarlyReviewAnswer
    reason: Text

    def command(self, request_id: object) -> DecideEarlyReview:
        return DecideEarlyReview(request_id=request_id, decision=self.answer)


class NoticeCreate(Attributed):
    kind: NoticeKind
    to: list[Name] = Field(min_length=1, max_length=20)
    method: Short = Field(examples=["letter", "email", "in person"])
    by_email: bool = Field(
        default=False,
        description=(
            "Planledger emails the notice to each of the family with an address, whatever"
            " they chose to receive, and records on the notice each message the mail"
            " server accepted (its Message-ID and when)."
        ),
    )

    def command(self) -> GiveNotice:
        return GiveNotice(
            kind=self.kind, to=tuple(self.to), method=self.method, by_email=self.by_email
        )


class LeadProfessionalCreate(WriteBody):
    user_id: Ref
    name: Name

    def command(self) -> AssignLeadProfessional:
        return AssignLeadProfessional(user_id=self.user_id, name=self.name)


# -- an EHC plan's steps (England) ------------------------------------------------------------

EhcpRequester = Literal["parent_carer", "young_person", "school", "agency"]


class EhcpRequestCreate(WriteBody):
    """A request for an EHC needs assessment (Children and Families Act 2014 s.36(1))."""

    requested_by: EhcpRequester

    def command(self) -> ReceiveEhcpRequest:
        return ReceiveEhcpRequest(requested_by=Requester(self.requested_by))


class _Declinable(WriteBody):
    reason: Text | None = None

    @model_validator(mode="after")
    def _reason_for_a_refusal(self) -> Self:
        # A refusal carries the family's right of appeal, and its reasons (reg 5(3), 10(3)).
        if not self.agreed() and not self.reason:
            raise ValueError("A refusal needs its reason.")
        return self

    def agreed(self) -> bool:
        raise NotImplementedError


class EhcpAssessmentDecisionCreate(_Declinable):
    assess: bool

    def agreed(self) -> bool:
        return self.assess

    def command(self) -> DecideEhcpAssessment:
        return DecideEhcpAssessment(
            decision=EhcpAssessment.ASSESS if self.assess else EhcpAssessment.DECLINE
        )


class EhcpIssueDecisionCreate(_Declinable):
    issue: bool

    def agreed(self) -> bool:
        return self.issue

    def command(self) -> DecideEhcpIssue:
        return DecideEhcpIssue(decision=EhcpIssue.ISSUE if self.issue else EhcpIssue.DECLINE)


class EhcpExceptionCreate(WriteBody):
    ground: EhcpExceptionGround
    reason: Text

    def command(self) -> RecordEhcpException:
        return RecordEhcpException(ground=self.ground)


class EhcpIssueCreate(WriteBody):
    amended: bool = Field(
        default=False, description="The plan amended after an annual review (reg 22)"
    )

    def command(self) -> IssueEhcp:
        return IssueEhcp(amended=self.amended)


class EhcpReviewDecisionCreate(WriteBody):
    decision: EhcpReviewDecision
    reason: Text

    def command(self) -> DecideEhcpReview:
        return DecideEhcpReview(decision=self.decision)
