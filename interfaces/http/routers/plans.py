from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from domain.actions import Action
from domain.events import ChangeStage, ClosePlan, OpenPlan
from domain.plans import Plan
from interfaces.http.answers import FastJSON, plan_body
from interfaces.http.deps import CallerDep, ConditionsDep, PlanningDep, WriterDep, authorise
from interfaces.http.schemas import (
    CloseRequest,
    History,
    Instant,
    PlanCreate,
    PlanOut,
    StageChange,
    Written,
)

router = APIRouter(prefix="/api/plans", tags=["plans"])


@router.post("", status_code=201, response_model=PlanOut)
def open_plan(
    body: PlanCreate, planning: PlanningDep, caller: CallerDep, conditions: ConditionsDep
) -> FastJSON:
    """Open a plan for a child; the caller becomes its first member."""
    result = planning.open_plan(
        body.to(OpenPlan),
        caller,
        occurred_on=body.occurred_on,
        reason=body.reason,
        conditions=conditions,
    )
    plan = planning.get_plan(result.plan_id, version=result.version)
    # The answer holds the child's name and date of birth: a read like any other, also
    # when it replays an earlier opening.
    planning.record_access(result.plan_id, caller.actor(), "POST /api/plans")
    return plan_body(
        plan, planning, status_code=201, headers={"Location": f"/api/plans/{result.plan_id}"}
    )


@router.get("/{plan_id}", response_model=PlanOut)
def read_plan(
    plan_id: UUID,
    planning: PlanningDep,
    plan: Annotated[Plan, authorise(Action.READ_PLAN)],
    as_of: Annotated[
        Instant | None, Query(description="The plan as it stood at this instant")
    ] = None,
) -> FastJSON:
    """The plan now, or exactly as it stood at a recorded instant."""
    if as_of is not None:
        plan = planning.get_plan(plan_id, as_of=_aware(as_of))
    return plan_body(plan, planning)


@router.get("/{plan_id}/history", response_model=History)
def read_history(
    plan_id: UUID,
    planning: PlanningDep,
    caller: CallerDep,
    plan: Annotated[Plan, authorise(Action.READ_HISTORY)],
    limit: Annotated[
        int | None,
        Query(ge=1, le=1000, description="At most this many events (default: all of them)"),
    ] = None,
    after: Annotated[
        int | None,
        Query(ge=0, description="Only events after this position (a page's `next`)"),
    ] = None,
) -> FastJSON:
    """Every event of the plan in order: who, in what role, when it happened, when it was
    recorded, and why. With `limit`, a page: `next` is the `after` of the page that
    follows, null at the end."""
    page = planning.history_page(plan_id, reader=caller, after=after, limit=limit)
    return FastJSON(
        {
            "items": [
                {
                    "position": e.position,
                    "type": e.type,
                    "recorded_at": e.recorded_at.isoformat(),
                    "occurred_on": e.occurred_on.isoformat(),
                    "backdated": e.backdated,
                    "actor": e.actor.model_dump(mode="json"),
                    "reason": e.reason,
                    "data": e.data,
                }
                for e in page.entries
            ],
            "next": page.next,
        }
    )


@router.post("/{plan_id}/stage", status_code=201, response_model=Written)
def change_stage(plan_id: UUID, body: StageChange, write: WriterDep) -> dict:
    """Step the plan up or down the authority's stages (event StageChanged)."""
    return write(plan_id, body.to(ChangeStage), body)


@router.post("/{plan_id}/close", status_code=201, response_model=Written)
def close_plan(plan_id: UUID, body: CloseRequest, write: WriterDep) -> dict:
    """Close (discontinue) the plan; afterwards every write to it is refused."""
    return write(plan_id, body.to(ClosePlan), body)


def _aware(instant: datetime) -> datetime:
    return instant if instant.tzinfo is not None else instant.astimezone()
