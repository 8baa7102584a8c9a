from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from domain.events import EvaluateTarget, ReviseTarget, SetTarget
from interfaces.http.deps import WriterDep
from interfaces.http.schemas import EvaluationCreate, TargetCreate, TargetRevisionCreate, Written

router = APIRouter(prefix="/api/plans/{plan_id}/targets", tags=["targets"])


@router.post("", status_code=201, response_model=Written)
def set_target(plan_id: UUID, body: TargetCreate, write: WriterDep) -> dict:
    """Set a SMART short-term target under an agreed outcome (event TargetSet)."""
    return write(plan_id, body.to(SetTarget), body)


@router.post("/{target_id}/revisions", status_code=201, response_model=Written)
def revise_target(
    plan_id: UUID, target_id: UUID, body: TargetRevisionCreate, write: WriterDep
) -> dict:
    """Amend a target; the old text stays in its history (event TargetRevised)."""
    return write(plan_id, body.to(ReviseTarget, target_id=target_id), body)


@router.post("/{target_id}/evaluations", status_code=201, response_model=Written)
def evaluate_target(
    plan_id: UUID, target_id: UUID, body: EvaluationCreate, write: WriterDep
) -> dict:
    """Record progress towards an open target (event TargetEvaluated)."""
    return write(plan_id, body.to(EvaluateTarget, target_id=target_id), body)
