from __future__ import annotations

from fastapi import APIRouter

from interfaces.http.deps import CallerDep, PlanningDep
from interfaces.http.schemas import Stages

router = APIRouter(prefix="/api/stages", tags=["stages"])


@router.get("", response_model=Stages)
def list_stages(planning: PlanningDep, caller: CallerDep) -> dict:
    """The authority's stages of staged intervention, lowest level first."""
    stages = planning.stages
    return {"authority": stages.authority, "items": [s.model_dump() for s in stages.stages]}
