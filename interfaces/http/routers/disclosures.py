from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter

from domain.actions import Action
from domain.events import GrantDisclosure, RevokeDisclosure
from domain.plans import Plan
from interfaces.http.deps import PlanningDep, WriterDep, authorise
from interfaces.http.schemas import AccessLog, DisclosureCreate, RevokeRequest, Written

router = APIRouter(prefix="/api/plans/{plan_id}", tags=["disclosure and access"])


@router.post("/disclosures", status_code=201, response_model=Written)
def grant_disclosure(plan_id: UUID, body: DisclosureCreate, write: WriterDep) -> dict:
    """Disclose the plan's history to a reviewer (a user or an org) for a stated purpose
    (event DisclosureGranted); answers {disclosure_id, version}."""
    return write(plan_id, body.to(GrantDisclosure), body)


@router.post("/disclosures/{disclosure_id}/revoke", status_code=201, response_model=Written)
def revoke_disclosure(
    plan_id: UUID, disclosure_id: UUID, body: RevokeRequest, write: WriterDep
) -> dict:
    """End a disclosure (event DisclosureRevoked)."""
    return write(plan_id, body.to(RevokeDisclosure, disclosure_id=disclosure_id), body)


@router.get("/access-log", response_model=AccessLog)
def read_access_log(
    plan_id: UUID,
    planning: PlanningDep,
    plan: Annotated[Plan, authorise(Action.READ_ACCESS_LOG)],
) -> dict:
    """Who read this plan's personal data, when, and through which endpoint (newest first)."""
    return {
        "items": [
            {"user_id": e.user_id, "role": e.role, "at": e.at, "action": e.action}
            for e in planning.access_log(plan_id)
        ]
    }
