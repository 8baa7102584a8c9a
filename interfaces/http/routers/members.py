from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Response

from domain.plans import Plan
from domain.values import Role
from interfaces.http.access import Action
from interfaces.http.answers import written
from interfaces.http.deps import CallerDep, ConditionsDep, PlanningDep, authorise
from interfaces.http.schemas import AgencyCreate, MemberCreate, RemovalRequest, Written

router = APIRouter(prefix="/api/plans/{plan_id}", tags=["people"])


@router.post("/members", status_code=201, response_model=Written)
def add_member(
    plan_id: UUID, body: MemberCreate, response: Response, planning: PlanningDep,
    caller: CallerDep, conditions: ConditionsDep,
    plan: Annotated[Plan, authorise(Action.ADD_MEMBER)],
) -> dict:
    """Add a person to the plan (event MemberAdded)."""
    return written(response, planning.add_member(
        plan_id, user_id=body.user_id, role=Role(body.role), name=body.name,
        actor=caller.actor(), occurred_on=body.occurred_on, reason=body.reason,
        conditions=conditions,
    ))


@router.post("/agencies", status_code=201, response_model=Written)
def join_agency(
    plan_id: UUID, body: AgencyCreate, response: Response, planning: PlanningDep,
    caller: CallerDep, conditions: ConditionsDep,
    plan: Annotated[Plan, authorise(Action.JOIN_AGENCY)],
) -> dict:
    """An agency joins the plan; its practitioners may then read and contribute
    (event AgencyJoined)."""
    return written(response, planning.join_agency(
        plan_id, org=body.org, name=body.name, kind=body.kind, actor=caller.actor(),
        occurred_on=body.occurred_on, reason=body.reason, conditions=conditions,
    ))


@router.post("/members/{user_id}/remove", status_code=201, response_model=Written)
def remove_member(
    plan_id: UUID, user_id: Annotated[str, Path(max_length=200)], body: RemovalRequest,
    response: Response, planning: PlanningDep, caller: CallerDep, conditions: ConditionsDep,
    plan: Annotated[Plan, authorise(Action.REMOVE_MEMBER)],
) -> dict:
    """Withdraw a person's access to the plan (event MemberRemoved); the history keeps
    that they were a member, and when they stopped."""
    return written(response, planning.remove_member(
        plan_id, user_id, actor=caller.actor(), occurred_on=body.occurred_on,
        reason=body.reason, conditions=conditions,
    ))


@router.post("/agencies/{org}/leave", status_code=201, response_model=Written)
def leave_agency(
    plan_id: UUID, org: Annotated[str, Path(max_length=200)], body: RemovalRequest,
    response: Response, planning: PlanningDep, caller: CallerDep, conditions: ConditionsDep,
    plan: Annotated[Plan, authorise(Action.LEAVE_AGENCY)],
) -> dict:
    """An agency's part in the plan ends; its practitioners no longer see the plan
    (event AgencyLeft)."""
    return written(response, planning.leave_agency(
        plan_id, org, actor=caller.actor(), occurred_on=body.occurred_on, reason=body.reason,
        conditions=conditions,
    ))
