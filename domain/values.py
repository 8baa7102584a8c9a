"""Value objects of a support plan. Frozen, so a change is always a new value in a new event."""

from __future__ import annotations

import types
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin
from uuid import UUID

from pydantic import Field, StringConstraints

from domain.base import Immutable
from domain.calendar import today

T = TypeVar("T")


class PersonalData:
    """Marks an event field as personal data: sealed at rest when a key is configured,
    and destroyed with the plan's key when its retention period ends."""

    def __repr__(self) -> str:
        return "PersonalData()"


PERSONAL = PersonalData()
Personal = Annotated[T, PERSONAL]

Text = Annotated[str, Field(min_length=1, max_length=20_000)]


class Role(StrEnum):
    LEAD_PROFESSIONAL = "lead_professional"
    AUTHORITY_OFFICER = "authority_officer"
    """An officer of the education authority: takes its statutory decisions."""
    PRACTITIONER = "practitioner"
    PARENT_CARER = "parent_carer"
    YOUNG_PERSON = "young_person"
    REVIEWER = "reviewer"
    ANALYST = "analyst"
    # An automated process acting under the authority's policy (e.g. statutory
    # destruction). Never granted to a person by a token.
    SYSTEM = "system"


MEMBER_ROLES = frozenset(
    {
        Role.LEAD_PROFESSIONAL,
        Role.PRACTITIONER,
        Role.PARENT_CARER,
        Role.YOUNG_PERSON,
        Role.AUTHORITY_OFFICER,
    }
)
FAMILY_ROLES = frozenset({Role.PARENT_CARER, Role.YOUNG_PERSON})


class PlanType(StrEnum):
    PLP = "plp"
    IEP = "iep"
    CSP = "csp"
    CHILDS_PLAN = "childs_plan"
    SEN_SUPPORT = "sen_support"
    EHCP = "ehcp"


class PlanStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    DESTROYED = "destroyed"


class TargetStatus(StrEnum):
    OPEN = "open"
    ACHIEVED = "achieved"
    CLOSED = "closed"


class Progress(StrEnum):
    ACHIEVED = "achieved"
    PARTIALLY_ACHIEVED = "partially_achieved"
    NOT_ACHIEVED = "not_achieved"


class ProvisionKind(StrEnum):
    STRATEGY = "strategy"
    INTERVENTION = "intervention"
    EQUIPMENT = "equipment"
    CURRICULUM = "curriculum"


class FundingStream(StrEnum):
    """Who pays for a provision, in the terms a funding bid or a top-up claim counts it:
    England's notional SEN budget (elements 1-2) and the high needs top-up (element 3),
    the pupil premium, Scotland's authority ASN budget, health and social care."""

    SCHOOL_BUDGET = "school_budget"
    HIGH_NEEDS_TOP_UP = "high_needs_top_up"
    PUPIL_PREMIUM = "pupil_premium"
    AUTHORITY_ASN = "authority_asn"
    HEALTH = "health"
    SOCIAL_CARE = "social_care"
    OTHER = "other"


class Wellbeing(StrEnum):
    """The eight SHANARRI wellbeing indicators of GIRFEC (Children and Young People
    (Scotland) Act 2014 s.96(2)): the words a Child's Plan is read by."""

    SAFE = "safe"
    HEALTHY = "healthy"
    ACHIEVING = "achieving"
    NURTURED = "nurtured"
    ACTIVE = "active"
    RESPECTED = "respected"
    RESPONSIBLE = "responsible"
    INCLUDED = "included"


class ChronologyKind(StrEnum):
    STRENGTH = "strength"
    CONCERN = "concern"
    EVENT = "event"


class LawfulBasis(StrEnum):
    """The six lawful bases of UK GDPR Art 6(1), one of which every sharing needs (GIRFEC
    Practice Guidance 4 §10)."""

    CONSENT = "consent"
    CONTRACT = "contract"
    LEGAL_OBLIGATION = "legal_obligation"
    VITAL_INTERESTS = "vital_interests"
    PUBLIC_TASK = "public_task"
    LEGITIMATE_INTERESTS = "legitimate_interests"


class Whose(StrEnum):
    CHILD = "child"
    PARENT_CARER = "parent_carer"


class Actor(Immutable):
    """Who did something: recorded on every event, because 9.5 events carry no metadata."""

    id: str
    name: str
    role: Role
    org: str | None = None


class Attribution(Immutable):
    """Who did something, when it happened and why: given once to every command and
    recorded on every event (9.5 events carry no metadata). When it was recorded is the
    event's own timestamp."""

    actor: Personal[Actor]
    occurred_on: date = Field(default_factory=today)
    reason: Personal[str | None] = None

    @property
    def gave_reason(self) -> bool:
        return bool(self.reason and self.reason.strip())


class Child(Immutable):
    name: str
    date_of_birth: date | None
    """None only once the plan's personal data has been destroyed."""


EMAIL_ADDRESS = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
"""An address mail can be sent to: something@somewhere.tld (RFC 5321's full grammar is the
mail server's to judge; this catches the slips of typing)."""

EmailAddress = Annotated[str, StringConstraints(pattern=EMAIL_ADDRESS, max_length=254)]

TELEPHONE = r"^\+?[0-9][0-9 ()-]{5,29}$"
"""A number as people write one down: digits, spaces, brackets and dashes, maybe a +."""


class PupilNumberKind(StrEnum):
    """Which number the school's MIS knows the pupil by."""

    SCN = "scn"
    """The Scottish Candidate Number: nine digits, for life, in SEEMiS."""
    UPN = "upn"
    """England's Unique Pupil Number: a letter and twelve characters (SIMS, Arbor)."""
    CANDIDATE = "candidate"
    """An exam candidate number, where the export gives no UPN."""


class PupilContact(Immutable):
    """A parent or carer as the MIS lists them: who they are to the pupil, and how to reach them."""

    name: str = Field(min_length=1, max_length=200)
    relationship: str = Field(min_length=1, max_length=100)
    email: EmailAddress | None = None
    phone: Annotated[str, StringConstraints(pattern=TELEPHONE, max_length=30)] | None = None


PupilNumber = Annotated[str, Field(min_length=1, max_length=20)]
ClassName = Annotated[str, Field(max_length=40)]
YearGroup = Annotated[str, Field(max_length=20)]
AsnFlag = Annotated[str, Field(min_length=1, max_length=200)]
AsnFlags = Annotated[tuple[AsnFlag, ...], Field(max_length=20)]
"""The ASN or SEN status and needs, as the MIS gives them (SEEMiS "Y", SIMS "K", "ASD")."""
Contacts = Annotated[tuple[PupilContact, ...], Field(max_length=6)]
Source = Annotated[str, Field(min_length=1, max_length=100)]
"""Where the details came from, e.g. "SEEMiS export"."""


class PupilDetails(Immutable):
    """The pupil as the school's MIS holds them, recorded by an import (domain/pupil_import.py)."""

    pupil_number: PupilNumber
    number_kind: PupilNumberKind
    class_name: ClassName | None = None
    year_group: YearGroup | None = None
    asn_flags: AsnFlags = ()
    contacts: Contacts = ()
    source: Source


class Member(Immutable):
    user_id: str
    role: Role
    name: str
    email: str | None = None
    """Where they are told of changes (domain/notifications.py); kept off the plan's body."""


class Agency(Immutable):
    org: str
    name: str
    kind: str
    joined_on: date


class TargetRevision(Immutable):
    text: str
    previous_text: str
    reason: str | None
    occurred_on: date
    by: str


class Evaluation(Immutable):
    progress: Progress
    impact: str
    review_id: UUID | None
    occurred_on: date
    by: str


class Target(Immutable):
    id: UUID
    outcome_id: UUID
    text: str
    due_on: date
    success_criteria: str | None
    set_on: date
    status: TargetStatus = TargetStatus.OPEN
    revisions: tuple[TargetRevision, ...] = ()
    evaluations: tuple[Evaluation, ...] = ()


class Outcome(Immutable):
    id: UUID
    text: str
    area: str
    aspiration: str | None
    agreed_on: date
    wellbeing: tuple[Wellbeing, ...] = ()


class Delivery(Immutable):
    delivered_on: date
    sessions: int
    minutes: int | None
    note: str | None
    by: str
    period_from: date | None = None
    """The period the sessions were delivered in (to delivered_on); None: a single day."""
    missed: int | None = None

    @property
    def weeks(self) -> int:
        return weeks_in(self.period_from, self.delivered_on)


def weeks_in(period_from: date | None, to: date) -> int:
    """The weeks or part weeks of a period of delivery, by which a weekly figure of
    sessions is planned: a Monday-to-Friday period is one school week, a single day one."""
    return -(-((to - (period_from or to)).days + 1) // 7)


class ProvisionImpact(Immutable):
    """What a review found a provision did (the SEN Support plan's "impact at review")."""

    review_id: UUID
    impact: str
    occurred_on: date


class Provision(Immutable):
    id: UUID
    kind: ProvisionKind
    description: str
    target_ids: tuple[UUID, ...] = ()
    frequency: str | None = None
    sessions_per_week: int | None = None
    minutes_per_session: int | None = None
    staff: str | None = None
    cost: Decimal | None = None
    funding: str | None = None
    recommended_by: str | None = None
    provided_by: str | None = None
    planned_on: date
    ended_on: date | None = None
    deliveries: tuple[Delivery, ...] = ()
    replaces: UUID | None = None
    """The provision this one amends, "on a new row underneath" it; that one ended."""
    impacts: tuple[ProvisionImpact, ...] = ()
    bespoke: bool = False
    weeks_per_year: int | None = None
    funding_stream: FundingStream | None = None

    @property
    def hours_per_year(self) -> Decimal | None:
        """The provision quantified, as an EHC plan's section F must be."""
        if not (self.sessions_per_week and self.minutes_per_session and self.weeks_per_year):
            return None
        minutes = self.sessions_per_week * self.minutes_per_session * self.weeks_per_year
        return (Decimal(minutes) / 60).quantize(Decimal("0.1"))

    @property
    def quantified(self) -> bool:
        """How much, how often and by whom: "detailed and specific and ... normally
        quantified, for example, in terms of the type, hours and frequency of support and
        level of expertise" (SEND Code of Practice 9.69)."""
        return self.hours_per_year is not None and bool(self.staff or self.provided_by)

    @property
    def status(self) -> str:
        return "ended" if self.ended_on is not None else "active"

    @property
    def sessions_planned(self) -> int | None:
        """The sessions the plan promised over the periods deliveries were recorded for:
        sessions_per_week for each week or part week (weeks_in); None when the plan gives
        no weekly figure."""
        if not self.sessions_per_week:
            return None
        return sum(self.sessions_per_week * d.weeks for d in self.deliveries)

    @property
    def short_of_plan(self) -> bool:
        """Less delivered than planned (or, with no weekly figure, sessions missed): in a
        CSP, support not provided as the plan says, which the family may refer to the
        tribunal (Education (Additional Support for Learning) (Scotland) Act 2004
        s.18(3)(d)(ia))."""
        delivered = sum(d.sessions for d in self.deliveries)
        planned = self.sessions_planned
        if planned is not None:
            return delivered < planned
        return any(d.missed for d in self.deliveries)


class Review(Immutable):
    id: UUID
    held_on: date
    attendees: tuple[str, ...]
    summary: str
    next_review_on: date | None
    kind: str | None = None
    """`statutory` or `in_year`; None when recorded before reviews had a kind."""


class Views(Immutable):
    id: UUID
    whose: Whose
    text: str
    occurred_on: date
    recorded_by: str


class Contribution(Immutable):
    id: UUID
    kind: str
    text: str
    occurred_on: date
    actor: Actor


class ChronologyEntry(Immutable):
    """Something significant in the child's life, as one source told it: a day (or a
    period, to period_to), what it was, its impact and what was done."""

    id: UUID
    occurred_on: date
    period_to: date | None
    date_uncertain: bool
    source: str
    kind: ChronologyKind
    text: str
    impact: str | None
    action: str | None
    wellbeing: tuple[Wellbeing, ...]
    agency: str | None
    """The org it came from (the plan's own or a joined agency's): a single-agency view."""
    family_may_see: bool
    recorded_at: datetime
    actor: Actor


class SharingRecord(Immutable):
    """A decision to share information about the child, as GIRFEC Practice Guidance 4 §12
    says it "should always be recorded": what was shared and with whom, why, the views
    expressed, the lawful basis, why it was necessary and proportionate, what was not
    shared and why, and, where the family was not told, why not."""

    id: UUID
    occurred_on: date
    """When it was shared: before recorded_at for a sharing in an emergency (§5)."""
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
    recorded_at: datetime
    actor: Actor


class Disclosure(Immutable):
    id: UUID
    grantee: str
    purpose: str
    granted_on: date
    until: date | None
    revoked_on: date | None = None

    def in_force_on(self, day: date) -> bool:
        if self.revoked_on is not None:
            return False
        return self.until is None or day <= self.until


class SharedCopy(Immutable):
    number: int
    version: int
    recipients: tuple[str, ...]
    method: str
    occurred_on: date
    sha256: str | None


class Document(Immutable):
    """A document kept with the plan; its file is sealed beside the events."""

    id: UUID
    title: str
    author: str
    kind: str
    media_type: str
    sha256: str
    bytes: int
    occurred_on: date
    added_by: str


class IssuedBundle(Immutable):
    number: int
    to: date
    cutoff: datetime
    """The recorded instant of the bundle's last event: its record and access log end here."""
    sha256: str
    pages: int
    issued_on: date
    by: str
    builds_on: int | None = None
    """The bundle whose pages are this one's first parts; None for a bundle on its own."""
    parts: int = 1


class NoticeEmail(Immutable):
    """A notice emailed by Planledger, as the mail server accepted it: the proof of
    service a tribunal asks for is to whom, when and under which Message-ID."""

    to: str
    message_id: str
    accepted_at: datetime


class Notice(Immutable):
    """A notice the law requires, as given: its kind, to whom, how and when."""

    id: UUID
    kind: str
    to: tuple[str, ...]
    method: str
    given_on: date
    by: str
    by_email: bool = False
    emailed: tuple[NoticeEmail, ...] = ()


class Section(Immutable):
    """The current content of a named section of a statutory plan (domain/sections.py)."""

    name: str
    text: str
    details: dict[str, Any]
    occurred_on: date
    recorded_at: datetime
    actor: Actor
    reason: str | None


DESTROYED = "[destroyed]"


def destroyed_value(annotation: Any) -> Any:
    """What a personal field reads as once its plan's key has been destroyed."""
    if annotation is Child:
        return Child(name=DESTROYED, date_of_birth=None)
    if annotation is Actor:
        return Actor(id="", name=DESTROYED, role=Role.SYSTEM)
    if annotation is str:
        return DESTROYED
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType) and type(None) in get_args(annotation):
        return None
    if origin is tuple:
        return ()
    if origin is dict:
        return {}
    msg = f"No destroyed form is defined for personal data of type {annotation!r}"
    raise TypeError(msg)
