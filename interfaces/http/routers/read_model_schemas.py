"""Response bodies of the read-model endpoints (lists, clocks, reports)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field


class ChildName(BaseModel):
    name: str


class Disclosed(BaseModel):
    grantee: str
    until: date | None


class PlanListItem(BaseModel):
    id: str
    plan_id: str
    plan_type: str
    stage: str
    status: str
    org: str
    child: ChildName
    lead_professional: str | None
    member_ids: list[str] = Field(description="Lead professionals only (empty for others)")
    agency_orgs: list[str]
    disclosed_to: list[Disclosed] = Field(description="Lead professionals only (empty for others)")
    next_review_on: date | None
    open_targets: int
    opened_on: date
    closed_on: date | None
    recorded_at: datetime | None
    version: int


class PlanList(BaseModel):
    items: list[PlanListItem]
    next: str | None


class ReviewItem(BaseModel):
    plan_id: str
    next_review_on: date | None
    due_on: date | None = Field(
        description="What falls due first: next_review_on or a statutory clock's due_on"
    )
    due: str | None = Field(description='"review", or the name of the statutory clock due')
    days_overdue: int
    plan_type: str
    stage: str
    org: str
    lead_professional: str | None


class ReviewList(BaseModel):
    items: list[ReviewItem]
    next: str | None


class ClockSource(BaseModel):
    position: int
    type: str


class ClockOut(BaseModel):
    name: str
    statute: str
    status: str
    started_on: date
    due_on: date
    stopped_on: date | None
    outcome: str | None
    ceiling_on: date | None
    deemed_refusal_on: date | None
    reference_by: date | None
    excepted: str | None = Field(
        default=None,
        description="The recorded ground on which its time limit does not apply "
        "(SEND Regulations 2014 reg 10(4)); status `excepted` once past due",
    )
    sources: list[ClockSource]


class Clocks(BaseModel):
    as_of: date
    items: list[ClockOut]


class ReportLink(BaseModel):
    name: str
    title: str
    href: str


class ReportIndex(BaseModel):
    items: list[ReportLink]


class Report(BaseModel):
    report: str
    columns: list[str]
    items: list[dict[str, Any]]
