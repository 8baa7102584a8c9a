from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from domain.events import PlanProvision
from interfaces.http.deps import WriterDep
from interfaces.http.schemas import ProvisionCreate, Written

router = APIRouter(prefix="/api/plans/{plan_id}/provisions", tags=["provision"])


@router.post("", status_code=201, response_model=Written)
def plan_provision(plan_id: UUID, body: ProvisionCreate, write: WriterDep) -> dict:
    """Plan a strategy, intervention, equipment or curriculum change (event
    ProvisionPlanned); answers {provision_id, version}."""
    return write(plan_id, body.to(PlanProvision), body)
