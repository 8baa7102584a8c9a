from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from domain.events import HoldReview
from interfaces.http.deps import WriterDep
from interfaces.http.schemas import ReviewCreate, Written

router = APIRouter(prefix="/api/plans/{plan_id}/reviews", tags=["reviews"])


@router.post("", status_code=201, response_model=Written)
def hold_review(plan_id: UUID, body: ReviewCreate, write: WriterDep) -> dict:
    """Record a review and its evaluation of each target, in one atomic append
    (ReviewHeld, then one TargetEvaluated per evaluation)."""
    return write(plan_id, body.to(HoldReview), body)
