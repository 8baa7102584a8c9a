from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path

from domain.events import AddMember, JoinAgency, LeaveAgency, RemoveMember
from interfaces.http.deps import WriterDep
from interfaces.http.schemas import AgencyCreate, MemberCreate, RemovalRequest, Written

router = APIRouter(prefix="/api/plans/{plan_id}", tags=["people"])


@router.post("/members", status_code=201, response_model=Written)
def add_member(plan_id: UUID, body: MemberCreate, write: WriterDep) -> dict:
    """Add a person to the plan (event MemberAdded)."""
    return write(plan_id, body.to(AddMember), body)


@router.post("/agencies", status_code=201, response_model=Written)
def join_agency(plan_id: UUID, body: AgencyCreate, write: WriterDep) -> dict:
    """An agency joins the plan; its practitioners may then read and contribute
    (event AgencyJoined)."""
    return write(plan_id, body.to(JoinAgency), body)


@router.post("/members/{user_id}/remove", status_code=201, response_model=Written)
def remove_member(
    plan_id: UUID,
    user_id: Annotated[str, Path(max_length=200)],
    body: RemovalRequest,
    write: WriterDep,
) -> dict:
    """Withdraw a person's access to the plan (event MemberRemoved); the history keeps
    that they were a member, and when they stopped."""
    return write(plan_id, body.to(RemoveMember, user_id=user_id), body)


@router.post("/agencies/{org}/leave", status_code=201, response_model=Written)
def leave_agency(
    plan_id: UUID,
    org: Annotated[str, Path(max_length=200)],
    body: RemovalRequest,
    write: WriterDep,
) -> dict:
    """An agency's part in the plan ends; its practitioners no longer see the plan
    (event AgencyLeft)."""
    return write(plan_id, body.to(LeaveAgency, org=org), body)
