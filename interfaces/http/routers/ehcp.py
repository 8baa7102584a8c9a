"""An EHC plan's statutory steps (England): the request, the decisions to assess and to
issue, the draft, the final plan, exceptions to the time limits, and the decision after
each annual review. Who may take each is decided in domain/access.py (the decisions are
an authority officer's), the order and dates in domain/plans.py, the clocks in
domain/clocks.py."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body

from domain.events import SendEhcpDraft, SendEhcpReviewReport
from interfaces.http.deps import WriterDep
from interfaces.http.schemas import Written
from interfaces.http.statutory_schemas import (
    EhcpAssessmentDecisionCreate,
    EhcpExceptionCreate,
    EhcpIssueCreate,
    EhcpIssueDecisionCreate,
    EhcpRequestCreate,
    EhcpReviewDecisionCreate,
    EhcpReviewReportCreate,
    Step,
)

router = APIRouter(prefix="/api/plans/{plan_id}/ehcp", tags=["statutory steps (EHCP)"])


@router.post("/requests", status_code=201, response_model=Written)
def receive_request(plan_id: UUID, body: EhcpRequestCreate, write: WriterDep) -> dict:
    """A request for an EHC needs assessment: starts `ehcp_assessment_decision` (6 weeks,
    reg 5(1)), `ehcp_issue_decision` (16 weeks, reg 10(1)) and `ehcp_final_plan` (20
    weeks, reg 13(2))."""
    return write(plan_id, body.command(), body)


@router.post("/assessment-decision", status_code=201, response_model=Written)
def decide_assessment(plan_id: UUID, body: EhcpAssessmentDecisionCreate, write: WriterDep) -> dict:
    """Whether to assess (authority officer); a refusal needs its reason and may be
    appealed within 2 months (`reference_by`)."""
    return write(plan_id, body.command(), body)


@router.post("/issue-decision", status_code=201, response_model=Written)
def decide_issue(plan_id: UUID, body: EhcpIssueDecisionCreate, write: WriterDep) -> dict:
    """Whether to issue a plan (authority officer). Only a decision not to is timed by
    the 16 weeks (reg 10(1)); a plan is timed by the 20."""
    return write(plan_id, body.command(), body)


@router.post("/draft", status_code=201, response_model=Written)
def send_draft(
    plan_id: UUID, write: WriterDep, body: Annotated[Step | None, Body()] = None
) -> dict:
    """The draft plan served on the family: they have 15 days, counting that day, to
    comment and ask for a school (reg 13(1)); the final plan waits for them."""
    return write(plan_id, SendEhcpDraft(), body or Step())


@router.post("/review-report", status_code=201, response_model=Written)
def send_review_report(
    plan_id: UUID, write: WriterDep, body: Annotated[EhcpReviewReportCreate | None, Body()] = None
) -> dict:
    """The annual review meeting's report sent to everyone invited, with any amendments
    it recommends: stops `ehcp_review_report` (2 weeks from the meeting, reg 20(8))."""
    given = body or EhcpReviewReportCreate()
    return write(plan_id, given.to(SendEhcpReviewReport), given)


@router.post("/exceptions", status_code=201, response_model=Written)
def record_exception(plan_id: UUID, body: EhcpExceptionCreate, write: WriterDep) -> dict:
    """A ground on which the running time limits do not apply (reg 10(4), reg 13(3)):
    those clocks are then `excepted`, not `missed`, once past due."""
    return write(plan_id, body.command(), body)


@router.post("/issue", status_code=201, response_model=Written)
def issue(
    plan_id: UUID, write: WriterDep, body: Annotated[EhcpIssueCreate | None, Body()] = None
) -> dict:
    """The final plan issued (authority officer): stops `ehcp_final_plan` and starts
    `ehcp_annual_review` (12 months, the Act s.44(1)); or, `amended`, the plan amended
    after a review, stopping `ehcp_amended_plan` (8 weeks, reg 22(3))."""
    given = body or EhcpIssueCreate()
    return write(plan_id, given.command(), given)


@router.post("/review-decision", status_code=201, response_model=Written)
def decide_after_review(plan_id: UUID, body: EhcpReviewDecisionCreate, write: WriterDep) -> dict:
    """After an annual review (`POST .../reviews` with `kind: statutory`): maintain, amend
    or cease, within 4 weeks of the meeting (reg 20(10)); `amend` starts
    `ehcp_amended_plan`; the others may be appealed within 2 months."""
    return write(plan_id, body.command(), body)
