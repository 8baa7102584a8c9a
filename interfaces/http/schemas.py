"""Request and response bodies: the API contract (../shared/API.md), separate from events.

Field names here are fixed by the contract. Requests forbid unknown fields, so a typo
is a 422 rather than silently dropped data.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from domain.calendar import today
from domain.events import Command
from domain.statutory import ReviewKind
from domain.values import (
    EmailAddress,
    FundingStream,
    PlanType,
    Progress,
    ProvisionKind,
    Wellbeing,
    Whose,
)

C = TypeVar("C", bound=Command)

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Ref = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
# Dates people enter: anything outside this range is a typing slip, and far-off years
# overflow date arithmetic further on.
Day = Annotated[date, Field(ge=date(1900, 1, 1), le=date(2199, 12, 31))]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
MemberRole = Literal["lead_professional", "practitioner", "parent_carer", "young_person"]


def _plausible_instant(instant: datetime) -> datetime:
    if not 1900 <= instant.year <= 2199:
        raise ValueError("must be between the years 1900 and 2199")
    return instant


Instant = Annotated[datetime, AfterValidator(_plausible_instant)]


def not_in_the_future(day: date) -> date:
    if day > today():
        raise ValueError("may not be in the future")
    return day


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        # PostgreSQL text cannot hold NUL: one stored in an event would stop the read
        # models' projector at that event, and every list with it.
        if _holds_nul(data):
            raise ValueError("Text may not contain NUL (U+0000) characters.")
        return data


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


class Attributed(Body):
    """When it happened and why: what every write may carry."""

    occurred_on: Day | None = Field(
        default=None,
        description="When it happened (default today); may be earlier than "
        "when it is recorded, never later than today.",
    )
    reason: Text | None = None


class WriteBody(Attributed):
    def to(self, command: type[C], **more: Any) -> C:
        """The domain command this body asks for: its fields, less when and why (those
        are the attribution, given beside it), and any taken from the path."""
        return command(**self.model_dump(exclude={"occurred_on", "reason"}), **more)


class ChildIn(Body):
    name: Name
    date_of_birth: Annotated[Day, AfterValidator(not_in_the_future)]


class PlanCreate(WriteBody):
    plan_type: PlanType
    stage: Ref = Field(description="A stage id from GET /api/stages")
    child: ChildIn
    org: Ref = Field(description="The school or service, e.g. school:st-ninians-primary")
    next_review_on: Day | None = None


class MemberCreate(WriteBody):
    user_id: Ref
    role: MemberRole
    name: Name
    email: EmailAddress | None = Field(
        None, description="Where they are told of changes to the plan (optional)"
    )


class AgencyCreate(WriteBody):
    org: Ref
    name: Name
    kind: Ref = Field(description="e.g. health, social_work, speech_and_language_therapy")


class OutcomeCreate(WriteBody):
    text: Text
    area: Short
    aspiration: Text | None = None
    wellbeing: list[Wellbeing] = Field(
        default_factory=list, max_length=8, description="SHANARRI indicators it serves"
    )

    @field_validator("wellbeing")
    @classmethod
    def _once_each(cls, given: list[Wellbeing]) -> list[Wellbeing]:
        return list(dict.fromkeys(given))


class TargetCreate(WriteBody):
    outcome_id: UUID
    text: Text
    due_on: Day
    success_criteria: Text | None = None


class TargetRevisionCreate(WriteBody):
    text: Text
    reason: Text
    due_on: Day | None = None


class ProvisionCreate(WriteBody):
    kind: ProvisionKind
    description: Text
    target_ids: list[UUID] = Field(default_factory=list, max_length=100)
    frequency: Short | None = Field(default=None, examples=["5 x 25 min per week"])
    sessions_per_week: int | None = Field(default=None, ge=0, le=100)
    minutes_per_session: int | None = Field(default=None, ge=0, le=1440)
    staff: Short | None = Field(default=None, examples=["HLTA"])
    cost: Decimal | None = Field(default=None, ge=0, le=10_000_000, decimal_places=2)
    funding: Short | None = None
    recommended_by: Short | None = Field(default=None, examples=["EP", "SALT", "OT"])
    provided_by: Ref | None = Field(
        default=None,
        description="The org that provides it: the plan's own, or a joined agency's",
    )
    replaces: UUID | None = Field(
        default=None,
        description="A provision this one amends after its evaluation; that one ends",
    )
    bespoke: bool = Field(
        default=False,
        description="Equipment specific to this child, as against what a setting normally provides",
    )
    weeks_per_year: int | None = Field(
        default=None, ge=1, le=52, description="Weeks of the year it runs (term time: 38)"
    )
    funding_stream: FundingStream | None = Field(
        default=None, description="Who pays, as a funding bid counts it; `funding` gives detail"
    )


class ProvisionImpactIn(Body):
    provision_id: UUID
    impact: Text


class DeliveryCreate(Attributed):
    """Sessions delivered in a period (and missed); it happened on period_to."""

    period_from: Day
    period_to: Annotated[Day, AfterValidator(not_in_the_future)]
    sessions_delivered: int = Field(ge=0, le=10_000)
    sessions_missed: int | None = Field(default=None, ge=0, le=10_000)
    note: Text | None = None


class EvaluationIn(Body):
    target_id: UUID
    progress: Progress
    impact: Text


class ReviewCreate(WriteBody):
    held_on: Day
    attendees: list[Name] = Field(max_length=100)
    summary: Text
    evaluations: list[EvaluationIn] = Field(max_length=200)
    next_review_on: Day | None
    kind: ReviewKind = Field(
        default=ReviewKind.IN_YEAR,
        description="`statutory` completes a CSP's review begun (POST .../csp/reviews) and "
        "restarts its 12 months; `in_year` touches no statutory clock",
    )
    recommends_discontinuance: bool = Field(
        default=False,
        description="A statutory review's conclusion that the CSP is no longer needed",
    )
    provision_impacts: list[ProvisionImpactIn] = Field(
        default_factory=list, max_length=200, description="The impact of each intervention"
    )
    occurred_on: Day | None = Field(
        default=None, description="Ignored: a review happens on held_on"
    )
    reason: Text | None = None


class EvaluationCreate(WriteBody):
    progress: Progress
    impact: Text


class StageChange(WriteBody):
    stage: Ref
    reason: Text


class ContributionCreate(WriteBody):
    kind: Ref
    text: Text


class ViewsCreate(WriteBody):
    whose: Whose
    text: Text


class CloseRequest(WriteBody):
    reason: Text


class DisclosureCreate(WriteBody):
    grantee: Ref = Field(description="A user id, or an org")
    purpose: Text
    until: Day | None = None


class RevokeRequest(WriteBody):
    reason: Text


class RemovalRequest(WriteBody):
    reason: Text


# -- responses -----------------------------------------------------------------------


class Written(BaseModel):
    """Every successful write: the plan's version after it, and what it created."""

    model_config = ConfigDict(extra="allow")

    version: int
    plan_id: UUID


class StageOut(BaseModel):
    id: str
    name: str
    level: int
    description: str = ""


class Stages(BaseModel):
    authority: str
    items: list[StageOut]


class ActorOut(BaseModel):
    id: str
    name: str
    role: str
    org: str | None


class HistoryEvent(BaseModel):
    position: int
    type: str
    recorded_at: datetime
    occurred_on: date
    backdated: bool
    actor: ActorOut
    reason: str | None
    data: dict[str, Any]


class History(BaseModel):
    items: list[HistoryEvent]
    next: int | None = Field(
        None, description="With `limit`: the `after` of the next page; null at the end"
    )


class AccessLogEntry(BaseModel):
    user_id: str
    role: str
    at: datetime
    action: str


class AccessLog(BaseModel):
    items: list[AccessLogEntry]


class MemberOut(BaseModel):
    user_id: str
    role: str
    name: str


class AgencyOut(BaseModel):
    org: str
    name: str
    kind: str
    joined_on: date


class EvaluationOut(BaseModel):
    progress: Progress
    impact: str
    review_id: UUID | None
    occurred_on: date
    by: str


class RevisionOut(BaseModel):
    text: str
    previous_text: str
    reason: str | None
    occurred_on: date
    by: str


class TargetOut(BaseModel):
    id: UUID
    outcome_id: UUID
    text: str
    due_on: date
    success_criteria: str | None
    set_on: date
    status: str
    revisions: list[RevisionOut]
    evaluations: list[EvaluationOut]


class OutcomeOut(BaseModel):
    id: UUID
    text: str
    area: str
    aspiration: str | None
    agreed_on: date
    wellbeing: list[Wellbeing] = []
    targets: list[TargetOut]


class DeliveryOut(BaseModel):
    delivered_on: date
    sessions: int
    minutes: int | None
    note: str | None
    by: str
    period_from: date | None
    missed: int | None


class ProvisionImpactOut(BaseModel):
    review_id: UUID
    impact: str
    occurred_on: date


class ProvisionOut(BaseModel):
    id: UUID
    kind: ProvisionKind
    description: str
    target_ids: list[UUID]
    frequency: str | None
    sessions_per_week: int | None
    minutes_per_session: int | None
    staff: str | None
    cost: Decimal | None
    funding: str | None
    recommended_by: str | None
    provided_by: str | None
    planned_on: date
    ended_on: date | None
    deliveries: list[DeliveryOut]
    status: Literal["active", "ended"]
    replaces: UUID | None
    bespoke: bool = False
    impacts: list[ProvisionImpactOut]
    sessions_delivered: int
    sessions_missed: int
    sessions_planned: int | None = Field(
        description="Sessions planned over the periods delivered (sessions_per_week a week)"
    )
    short_of_plan: bool = Field(
        description="Less delivered than planned: in a CSP, referable (the Act s.18(3)(d)(ia))"
    )


class ReviewOut(BaseModel):
    id: UUID
    held_on: date
    attendees: list[str]
    summary: str
    next_review_on: date | None


class ViewsOut(BaseModel):
    id: UUID
    whose: Whose
    text: str
    occurred_on: date
    recorded_by: str


class ContributionOut(BaseModel):
    id: UUID
    kind: str
    text: str
    occurred_on: date
    actor: ActorOut


class SharedCopyOut(BaseModel):
    number: int
    version: int
    recipients: list[str]
    method: str
    occurred_on: date
    sha256: str | None


class SectionOut(BaseModel):
    """The current content of a section: `text`, the section's own fields, and when and
    by whom it was recorded."""

    model_config = ConfigDict(extra="allow")

    text: str
    occurred_on: date
    recorded_at: datetime
    actor: ActorOut
    reason: str | None


class NoticeOut(BaseModel):
    id: UUID
    kind: str
    to: list[str]
    method: str
    given_on: date
    by: str


class SignatureOut(BaseModel):
    signed_on: date
    officer: str
    amended: bool


class ChildOut(BaseModel):
    name: str
    date_of_birth: date | None


class PlanOut(BaseModel):
    id: UUID
    version: int
    plan_type: PlanType
    stage: str
    stage_name: str
    status: str
    child: ChildOut
    org: str
    opened_on: date
    closed_on: date | None
    lead_professional: str | None
    members: list[MemberOut]
    agencies: list[AgencyOut]
    outcomes: list[OutcomeOut]
    provisions: list[ProvisionOut]
    reviews: list[ReviewOut]
    next_review_on: date | None
    views: list[ViewsOut]
    contributions: list[ContributionOut]
    shared_copies: list[SharedCopyOut]
    sections: dict[str, SectionOut] = Field(
        description="A statutory plan's named sections (API.md), each as it stands"
    )
    notices: list[NoticeOut]
    signatures: list[SignatureOut] = Field(description="A CSP's dated signatures (reg 3)")
    discontinued_on: date | None
    recorded_at: datetime
