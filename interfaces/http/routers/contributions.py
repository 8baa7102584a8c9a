from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Response

from domain.plans import Plan
from interfaces.http import access
from interfaces.http.access import Action
from interfaces.http.answers import written
from interfaces.http.deps import CallerDep, ConditionsDep, PlanningDep, authorise, require
from interfaces.http.schemas import ContributionCreate, ViewsCreate, Written

router = APIRouter(prefix="/api/plans/{plan_id}", tags=["contributions and views"])


@router.post("/contributions", status_code=201, response_model=Written)
def append_contribution(
    plan_id: UUID, body: ContributionCreate, response: Response, planning: PlanningDep,
    caller: CallerDep, conditions: ConditionsDep,
    plan: Annotated[Plan, authorise(Action.APPEND_CONTRIBUTION)],
) -> dict:
    """A practitioner's or agency's contribution to the plan (event ContributionAppended)."""
    return written(response, planning.append_contribution(
        plan_id, kind=body.kind, text=body.text, actor=caller.actor(),
        occurred_on=body.occurred_on, reason=body.reason, conditions=conditions,
    ))


@router.post("/views", status_code=201, response_model=Written)
def record_views(
    plan_id: UUID, body: ViewsCreate, response: Response, planning: PlanningDep,
    caller: CallerDep, conditions: ConditionsDep,
    plan: Annotated[Plan, authorise(Action.RECORD_VIEWS)],
) -> dict:
    """The child's or the parent's views, statutory content of the plan (event ViewsRecorded)."""
    require(access.may_record_views(caller, body.whose), "You may not record these views.")
    return written(response, planning.record_views(
        plan_id, whose=body.whose, text=body.text, actor=caller.actor(),
        occurred_on=body.occurred_on, reason=body.reason, conditions=conditions,
    ))
