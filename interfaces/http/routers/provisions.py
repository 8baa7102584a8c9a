from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Response

from domain.plans import Plan
from interfaces.http.access import Action
from interfaces.http.answers import written
from interfaces.http.deps import CallerDep, ConditionsDep, PlanningDep, authorise
from interfaces.http.schemas import ProvisionCreate, Written

router = APIRouter(prefix="/api/plans/{plan_id}/provisions", tags=["provision"])


@router.post("", status_code=201, response_model=Written)
def plan_provision(
    plan_id: UUID, body: ProvisionCreate, response: Response, planning: PlanningDep,
    caller: CallerDep, conditions: ConditionsDep,
    plan: Annotated[Plan, authorise(Action.PLAN_PROVISION)],
) -> dict:
    """Plan a strategy, intervention, equipment or curriculum change (event
    ProvisionPlanned); answers {provision_id, version}."""
    return written(response, planning.plan_provision(
        plan_id, kind=body.kind, description=body.description, target_ids=body.target_ids,
        frequency=body.frequency, sessions_per_week=body.sessions_per_week,
        minutes_per_session=body.minutes_per_session, staff=body.staff, cost=body.cost,
        funding=body.funding, recommended_by=body.recommended_by, actor=caller.actor(),
        occurred_on=body.occurred_on, reason=body.reason, conditions=conditions,
    ))
