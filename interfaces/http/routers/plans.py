from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from domain.plans import Plan
from domain.values import Child
from interfaces.http import access
from interfaces.http.access import Action
from interfaces.http.answers import FastJSON, plan_body, written
from interfaces.http.deps import CallerDep, ConditionsDep, PlanningDep, authorise, require
from interfaces.http.schemas import (
    CloseRequest, History, Instant, PlanCreate, PlanOut, StageChange, Written,
)

router = APIRouter(prefix="/api/plans", tags=["plans"])


@router.post("", status_code=201, response_model=PlanOut)
def open_plan(
    body: PlanCreate, planning: PlanningDep, caller: CallerDep, conditions: ConditionsDep
) -> FastJSON:
    """Open a plan for a child; the caller becomes its first member."""
    require(access.may_open_plans(caller), "Only a lead professional may open a plan.")
    result = planning.open_plan(
        plan_type=body.plan_type, stage=body.stage, org=body.org, actor=caller.actor(),
        child=Child(name=body.child.name, date_of_birth=body.child.date_of_birth),
        occurred_on=body.occurred_on, next_review_on=body.next_review_on,
        reason=body.reason, conditions=conditions,
    )
    plan = planning.get_plan(result.plan_id, version=result.version)
    return plan_body(
        plan, planning, status_code=201, headers={"Location": f"/api/plans/{result.plan_id}"}
    )


@router.get("/{plan_id}", response_model=PlanOut)
def read_plan(
    plan_id: UUID, planning: PlanningDep, plan: Annotated[Plan, authorise(Action.READ_PLAN)],
    as_of: Annotated[Instant | None, Query(description="The plan as it stood at this instant")] = None,
) -> FastJSON:
    """The plan now, or exactly as it stood at a recorded instant."""
    if as_of is not None:
        plan = planning.get_plan(plan_id, as_of=_aware(as_of))
    return plan_body(plan, planning)


@router.get("/{plan_id}/history", response_model=History)
def read_history(
    plan_id: UUID, planning: PlanningDep, plan: Annotated[Plan, authorise(Action.READ_HISTORY)]
) -> FastJSON:
    """Every event of the plan in order: who, in what role, when it happened, when it was
    recorded, and why."""
    return FastJSON({"items": [
        {
            "position": e.position, "type": e.type, "recorded_at": e.recorded_at.isoformat(),
            "occurred_on": e.occurred_on.isoformat(), "backdated": e.backdated,
            "actor": e.actor.model_dump(mode="json"), "reason": e.reason, "data": e.data,
        }
        for e in planning.history(plan_id)
    ]})


@router.post("/{plan_id}/stage", status_code=201, response_model=Written)
def change_stage(
    plan_id: UUID, body: StageChange, response: Response, planning: PlanningDep,
    caller: CallerDep, conditions: ConditionsDep,
    plan: Annotated[Plan, authorise(Action.CHANGE_STAGE)],
) -> dict:
    """Step the plan up or down the authority's stages (event StageChanged)."""
    return written(response, planning.change_stage(
        plan_id, stage=body.stage, actor=caller.actor(), occurred_on=body.occurred_on,
        reason=body.reason, conditions=conditions,
    ))


@router.post("/{plan_id}/close", status_code=201, response_model=Written)
def close_plan(
    plan_id: UUID, body: CloseRequest, response: Response, planning: PlanningDep,
    caller: CallerDep, conditions: ConditionsDep,
    plan: Annotated[Plan, authorise(Action.CLOSE_PLAN)],
) -> dict:
    """Close (discontinue) the plan; afterwards every write to it is refused."""
    return written(response, planning.close_plan(
        plan_id, actor=caller.actor(), occurred_on=body.occurred_on, reason=body.reason,
        conditions=conditions,
    ))


def _aware(instant: datetime) -> datetime:
    return instant if instant.tzinfo is not None else instant.astimezone()
