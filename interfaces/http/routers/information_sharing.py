"""The record of information shared about the child (GIRFEC Practice Guidance 4 §12):
what, with whom, why, on what lawful basis, the views expressed, what was withheld."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, Field

from domain import access
from domain.actions import Action
from domain.events import RecordInformationSharing
from domain.plans import Plan
from domain.values import LawfulBasis
from interfaces.http.deps import CallerDep, WriterDep, authorise
from interfaces.http.schemas import ActorOut, Short, Text, WriteBody, Written
from interfaces.plan_text import sharing_as_dicts

router = APIRouter(prefix="/api/plans/{plan_id}", tags=["information sharing"])


class SharingCreate(WriteBody):
    """`occurred_on` is the day it was shared, `reason` why (both required in practice:
    the reason always). In an emergency, share first and record it afterwards."""

    information: Text = Field(description="What was shared")
    shared_with: Short = Field(description="The person or service it went to, with their role")
    lawful_basis: LawfulBasis = Field(description="UK GDPR Art 6(1)")
    necessary_because: Text = Field(description="Why it was necessary and proportionate")
    child_views: Text | None = Field(default=None, description="The child's views on sharing")
    family_views: Text | None = Field(default=None, description="The family's views")
    withheld: Text | None = Field(default=None, description="What was not shared, and why")
    emergency: bool = Field(default=False, description="Shared in an emergency, recorded after")
    family_informed: bool = Field(
        default=True,
        description="false: the family was not told, and the record is kept from them",
    )
    not_informed_because: Text | None = Field(
        default=None, description="Required when family_informed is false"
    )


class SharingItem(BaseModel):
    sharing_id: UUID
    occurred_on: str
    information: str
    shared_with: str
    lawful_basis: LawfulBasis
    necessary_because: str
    reason: str
    child_views: str | None
    family_views: str | None
    withheld: str | None
    emergency: bool
    family_informed: bool
    not_informed_because: str | None
    recorded_at: str
    actor: ActorOut


class Sharing(BaseModel):
    items: list[SharingItem]


@router.post("/information-sharing", status_code=201, response_model=Written)
def record_information_sharing(plan_id: UUID, body: SharingCreate, write: WriterDep) -> dict:
    """Information about the child shared outside the plan (event InformationShared);
    `{sharing_id, version}`. A reason is required."""
    return write(plan_id, body.to(RecordInformationSharing), body)


@router.get("/information-sharing", response_model=Sharing)
def read_information_sharing(
    plan: Annotated[Plan, authorise(Action.READ_PLAN)], caller: CallerDep
) -> dict[str, Any]:
    """Every sharing this reader may read, in the order it happened; a family reads the
    sharing they were told of."""
    return {"items": sharing_as_dicts(access.sharing_for(caller, plan))}
