from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Response

from domain.plans import Plan
from interfaces.http.access import Action
from interfaces.http.answers import written
from interfaces.http.deps import CallerDep, ConditionsDep, PlanningDep, authorise
from interfaces.http.schemas import EvaluationCreate, TargetCreate, TargetRevisionCreate, Written

router = APIRouter(prefix="/api/plans/{plan_id}/targets", tags=["targets"])


@router.post("", status_code=201, response_model=Written)
def set_target(
    plan_id: UUID, body: TargetCreate, response: Response, planning: PlanningDep,
    caller: CallerDep, conditions: ConditionsDep,
    plan: Annotated[Plan, authorise(Action.SET_TARGET)],
) -> dict:
    """Set a SMART short-term target under an agreed outcome (event TargetSet)."""
    return written(response, planning.set_target(
        plan_id, outcome_id=body.outcome_id, text=body.text, due_on=body.due_on,
        success_criteria=body.success_criteria, actor=caller.actor(),
        occurred_on=body.occurred_on, reason=body.reason, conditions=conditions,
    ))


@router.post("/{target_id}/revisions", status_code=201, response_model=Written)
def revise_target(
    plan_id: UUID, target_id: UUID, body: TargetRevisionCreate, response: Response,
    planning: PlanningDep, caller: CallerDep, conditions: ConditionsDep,
    plan: Annotated[Plan, authorise(Action.REVISE_TARGET)],
) -> dict:
    """Amend a target; the old text stays in its history (event TargetRevised)."""
    return written(response, planning.revise_target(
        plan_id, target_id, text=body.text, due_on=body.due_on, actor=caller.actor(),
        occurred_on=body.occurred_on, reason=body.reason, conditions=conditions,
    ))


@router.post("/{target_id}/evaluations", status_code=201, response_model=Written)
def evaluate_target(
    plan_id: UUID, target_id: UUID, body: EvaluationCreate, response: Response,
    planning: PlanningDep, caller: CallerDep, conditions: ConditionsDep,
    plan: Annotated[Plan, authorise(Action.EVALUATE_TARGET)],
) -> dict:
    """Record progress towards an open target (event TargetEvaluated)."""
    return written(response, planning.evaluate_target(
        plan_id, target_id, progress=body.progress, impact=body.impact,
        actor=caller.actor(), occurred_on=body.occurred_on, reason=body.reason,
        conditions=conditions,
    ))
