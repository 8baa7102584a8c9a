"""A CSP's statutory steps (../shared/API.md, "CSP steps (Scotland)"). Each route builds
its domain command; who may take it is decided in domain/access.py (the authority's
decisions are an authority officer's), the order and dates in domain/plans.py."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body

from domain.events import (
    DiscontinueCsp,
    ExtendEarlyReviewAnswer,
    PrepareCsp,
    ProposeCsp,
    StartReview,
)
from interfaces.http.deps import WriterDep
from interfaces.http.schemas import Written
from interfaces.http.statutory_schemas import (
    CspDecisionCreate,
    CspDelayCreate,
    CspRequestAnswerCreate,
    CspRequestCreate,
    EarlyReviewAnswerCreate,
    EarlyReviewRequestCreate,
    LeadProfessionalCreate,
    NoticeCreate,
    ReasonedStep,
    Step,
)

router = APIRouter(prefix="/api/plans/{plan_id}", tags=["statutory steps"])

NoBody = Annotated[Step | None, Body()]


def _step(body: Step | None) -> Step:
    return body or Step()


@router.post("/csp/requests", status_code=201, response_model=Written)
def receive_csp_request(plan_id: UUID, body: CspRequestCreate, write: WriterDep) -> dict:
    """A request to establish whether a CSP is needed (the Act s.6): starts clock
    `csp_request_answer` (8 weeks, reg 4A). A family member may make it themselves."""
    return write(plan_id, body.command(), body)


@router.post("/csp/requests/{request_id}/answer", status_code=201, response_model=Written)
def answer_csp_request(
    plan_id: UUID, request_id: UUID, body: CspRequestAnswerCreate, write: WriterDep
) -> dict:
    """The authority's answer (authority officer): `will_establish` starts
    `csp_preparation`; `refused` may be referred to the tribunal within 2 months."""
    return write(plan_id, body.command(request_id), body)


@router.post("/csp/proposal", status_code=201, response_model=Written)
def propose_csp(plan_id: UUID, write: WriterDep, body: NoBody = None) -> dict:
    """The authority proposes of its own accord to establish whether a CSP is needed:
    starts `csp_preparation` (16 weeks, reg 4)."""
    return write(plan_id, ProposeCsp(), _step(body))


@router.post("/csp/delays", status_code=201, response_model=Written)
def delay_csp_preparation(plan_id: UUID, body: CspDelayCreate, write: WriterDep) -> dict:
    """A recorded exception moves `csp_preparation`'s due date; never past `ceiling_on`
    (24 weeks): a later date is 409."""
    return write(plan_id, body.command(), body)


@router.post("/csp/decision", status_code=201, response_model=Written)
def decide_csp_need(plan_id: UUID, body: CspDecisionCreate, write: WriterDep) -> dict:
    """Whether a CSP is needed (authority officer): `needed: false` stops
    `csp_preparation`, with 2 months to refer the decision."""
    return write(plan_id, body.command(), body)


@router.post("/csp/sign", status_code=201, response_model=Written)
def sign_csp(plan_id: UUID, write: WriterDep, body: NoBody = None) -> dict:
    """The plan prepared, dated and signed by the authority officer who calls this (reg
    3(1)(c)): stops `csp_preparation` and starts `csp_review`. After a statutory review,
    signs the amended plan (reg 3(2))."""
    return write(plan_id, PrepareCsp(), _step(body))


@router.post("/csp/reviews", status_code=201, response_model=Written)
def begin_review(plan_id: UUID, write: WriterDep, body: NoBody = None) -> dict:
    """A statutory review begins: starts `csp_review_completion` (12 weeks). It is
    completed by POST /reviews with `kind: statutory`."""
    return write(plan_id, StartReview(), _step(body))


@router.post("/early-review-requests", status_code=201, response_model=Written)
def request_early_review(plan_id: UUID, body: EarlyReviewRequestCreate, write: WriterDep) -> dict:
    """A family's request for an early review (the Act s.10(3)): starts
    `early_review_answer` (4 weeks; silence is a deemed refusal, reg 5A)."""
    return write(plan_id, body.command(), body)


@router.post(
    "/early-review-requests/{request_id}/extension", status_code=201, response_model=Written
)
def extend_early_review_answer(
    plan_id: UUID, request_id: UUID, body: ReasonedStep, write: WriterDep
) -> dict:
    """4 weeks is impractical: the answer becomes due 12 weeks from the request."""
    return write(plan_id, ExtendEarlyReviewAnswer(request_id=request_id), body)


@router.post("/early-review-requests/{request_id}/answer", status_code=201, response_model=Written)
def answer_early_review(
    plan_id: UUID, request_id: UUID, body: EarlyReviewAnswerCreate, write: WriterDep
) -> dict:
    """Grant or refuse (authority officer): stops `early_review_answer`."""
    return write(plan_id, body.command(request_id), body)


@router.post("/notices", status_code=201, response_model=Written)
def give_notice(plan_id: UUID, body: NoticeCreate, write: WriterDep) -> dict:
    """A notice the Act requires, as given (event NoticeGiven): the plan shows its date."""
    return write(plan_id, body.command(), body)


@router.post("/csp/discontinue", status_code=201, response_model=Written)
def discontinue_csp(plan_id: UUID, body: ReasonedStep, write: WriterDep) -> dict:
    """Discontinue the CSP (authority officer; reg 11): 409 before a statutory review has
    recommended it, or while the time to refer that decision is still running."""
    return write(plan_id, DiscontinueCsp(), body)


@router.post("/lead-professional", status_code=201, response_model=Written)
def assign_lead_professional(plan_id: UUID, body: LeadProfessionalCreate, write: WriterDep) -> dict:
    """Hand the plan to another lead professional, who becomes a member (event
    LeadProfessionalAssigned)."""
    return write(plan_id, body.command(), body)
