from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from domain.events import AppendContribution, RecordViews
from interfaces.http.deps import WriterDep
from interfaces.http.schemas import ContributionCreate, ViewsCreate, Written

router = APIRouter(prefix="/api/plans/{plan_id}", tags=["contributions and views"])


@router.post("/contributions", status_code=201, response_model=Written)
def append_contribution(plan_id: UUID, body: ContributionCreate, write: WriterDep) -> dict:
    """A practitioner's or agency's contribution to the plan (event ContributionAppended)."""
    return write(plan_id, body.to(AppendContribution), body)


@router.post("/views", status_code=201, response_model=Written)
def record_views(plan_id: UUID, body: ViewsCreate, write: WriterDep) -> dict:
    """The child's or the parent's views, statutory content of the plan (event ViewsRecorded)."""
    return write(plan_id, body.to(RecordViews), body)
