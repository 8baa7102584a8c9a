from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Response

from domain.plans import Plan
from interfaces.http.access import Action
from interfaces.http.answers import written
from interfaces.http.deps import CallerDep, ConditionsDep, PlanningDep, authorise
from interfaces.http.schemas import OutcomeCreate, Written

router = APIRouter(prefix="/api/plans/{plan_id}/outcomes", tags=["outcomes"])


@router.post("", status_code=201, response_model=Written)
def agree_outcome(
    plan_id: UUID, body: OutcomeCreate, response: Response, planning: PlanningDep,
    caller: CallerDep, conditions: ConditionsDep,
    plan: Annotated[Plan, authorise(Action.AGREE_OUTCOME)],
) -> dict:
    """Agree an outcome (event OutcomeAgreed); answers {outcome_id, version}."""
    return written(response, planning.agree_outcome(
        plan_id, text=body.text, area=body.area, aspiration=body.aspiration,
        actor=caller.actor(), occurred_on=body.occurred_on, reason=body.reason,
        conditions=conditions,
    ))
