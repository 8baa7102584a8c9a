from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from domain.events import AgreeOutcome
from interfaces.http.deps import WriterDep
from interfaces.http.schemas import OutcomeCreate, Written

router = APIRouter(prefix="/api/plans/{plan_id}/outcomes", tags=["outcomes"])


@router.post("", status_code=201, response_model=Written)
def agree_outcome(plan_id: UUID, body: OutcomeCreate, write: WriterDep) -> dict:
    """Agree an outcome (event OutcomeAgreed); answers {outcome_id, version}."""
    return write(plan_id, body.to(AgreeOutcome), body)
