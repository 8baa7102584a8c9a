from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Response

from domain.plans import Evaluated, Plan
from interfaces.http.access import Action
from interfaces.http.answers import written
from interfaces.http.deps import CallerDep, ConditionsDep, PlanningDep, authorise
from interfaces.http.schemas import ReviewCreate, Written

router = APIRouter(prefix="/api/plans/{plan_id}/reviews", tags=["reviews"])


@router.post("", status_code=201, response_model=Written)
def hold_review(
    plan_id: UUID, body: ReviewCreate, response: Response, planning: PlanningDep,
    caller: CallerDep, conditions: ConditionsDep,
    plan: Annotated[Plan, authorise(Action.HOLD_REVIEW)],
) -> dict:
    """Record a review and its evaluation of each target, in one atomic append
    (ReviewHeld, then one TargetEvaluated per evaluation)."""
    return written(response, planning.hold_review(
        plan_id, held_on=body.held_on, attendees=body.attendees, summary=body.summary,
        next_review_on=body.next_review_on, actor=caller.actor(), reason=body.reason,
        evaluations=[
            Evaluated(target_id=e.target_id, progress=e.progress, impact=e.impact)
            for e in body.evaluations
        ],
        conditions=conditions,
    ))
