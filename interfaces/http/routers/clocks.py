"""GET /api/plans/{id}/clocks: statutory clocks, computed from the plan's own events."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from application.statutory import plan_clocks
from domain.actions import Action
from domain.calendar import today
from domain.plans import Plan
from interfaces.http.deps import PlanningDep, authorise
from interfaces.http.routers.read_model_schemas import Clocks
from interfaces.http.schemas import Day

router = APIRouter(prefix="/api/plans/{plan_id}", tags=["statutory clocks"])


@router.get("/clocks", response_model=Clocks)
def read_clocks(
    plan_id: UUID,
    planning: PlanningDep,
    plan: Annotated[Plan, authorise(Action.READ_CLOCKS)],
    as_of: Annotated[
        Day | None,
        Query(description="The clocks as they stood at the end of this day (default today)"),
    ] = None,
) -> dict[str, Any]:
    """Each statutory duty's clock: started, due, stopped, its status (`running`, `met`,
    `missed`, `deemed_refusal`), the rule it comes from and the events it came from; from
    the steps that had happened by `as_of` (their `occurred_on`), judged on that day."""
    day = as_of or today()
    return {"as_of": day, "items": [c.as_dict() for c in plan_clocks(planning, plan_id, day)]}
