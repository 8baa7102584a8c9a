"""Plan summaries: one row per plan, for lists and for reviews due and overdue.

No personal data: ids, the org, enums, dates and counts. Names are added by the HTTP
layer from the plan itself. The fold below is pure; the stores apply it in batches.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import singledispatch
from typing import Any
from uuid import UUID

from domain.plans import Plan
from domain.values import PlanStatus, Progress, Role
from projections.decoding import handled_topics
from projections.paging import Page
from projections.views import ReadModelProjection, ReadModelView


@dataclass
class Grant:
    disclosure_id: str
    grantee: str
    until: date | None


@dataclass
class PlanSummary:
    plan_id: UUID
    plan_type: str
    stage: str
    status: str
    org: str
    opened_on: date
    lead_professional: str | None = None
    member_ids: list[str] = field(default_factory=list)
    agency_orgs: list[str] = field(default_factory=list)
    grants: list[Grant] = field(default_factory=list)
    next_review_on: date | None = None
    open_targets: int = 0
    closed_on: date | None = None
    recorded_at: datetime | None = None
    version: int = 0
    access_changed: bool = field(default=False, compare=False, repr=False)
    """Set by the fold when members, agencies or disclosures changed (not stored)."""

    def disclosed_to(self, today: date) -> list[Grant]:
        return [g for g in self.grants if g.until is None or g.until >= today]

    def access(self) -> list[tuple[str, str, date | None]]:
        """(kind, value, until) rows that make the plan visible; one per value, the
        latest `until` winning (None, no end, beats any date)."""
        rows: dict[tuple[str, str], date | None] = {}
        for member_id in self.member_ids:
            rows[("member", member_id)] = None
        for org in self.agency_orgs:
            rows[("agency", org)] = None
        for grant in self.grants:
            key = ("grantee", grant.grantee)
            if key not in rows:
                rows[key] = grant.until
            elif (until := rows[key]) is not None:
                rows[key] = None if grant.until is None else max(until, grant.until)
        return [(kind, value, until) for (kind, value), until in rows.items()]

    def as_dict(self, today: date) -> dict[str, Any]:
        return {
            "plan_id": str(self.plan_id), "plan_type": self.plan_type, "stage": self.stage,
            "status": self.status, "org": self.org,
            "lead_professional": self.lead_professional, "member_ids": self.member_ids,
            "agency_orgs": self.agency_orgs,
            "disclosed_to": [{"grantee": g.grantee, "until": _iso(g.until)}
                             for g in self.disclosed_to(today)],
            "next_review_on": _iso(self.next_review_on), "open_targets": self.open_targets,
            "opened_on": _iso(self.opened_on), "closed_on": _iso(self.closed_on),
            "recorded_at": self.recorded_at.isoformat() if self.recorded_at else None,
            "version": self.version,
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# -- queries ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Visibility:
    """Whose plans a caller may list: any plan matching one of these (OR-ed). Empty means
    none, never all; `everyone` is for the system itself (rebuild checks, tests)."""

    member_id: str | None = None
    agency_orgs: tuple[str, ...] = ()
    grantees: tuple[str, ...] = ()
    org: str | None = None
    everyone: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.member_id or self.agency_orgs or self.grantees or self.org
                    or self.everyone)


@dataclass(frozen=True)
class PlanFilters:
    plan_type: str | None = None
    stage: str | None = None
    status: str | None = None
    review_due_before: date | None = None
    """On or before this date."""


class PlanSummaryView(ReadModelView):
    @abstractmethod
    def get_summary(self, plan_id: UUID) -> PlanSummary | None: ...

    @abstractmethod
    def list_plans(
        self, filters: PlanFilters, visibility: Visibility, *, today: date, limit: int = 50,
        after: str | None = None,
    ) -> Page[PlanSummary]:
        """Newest first (opened_on, then plan_id, descending)."""

    @abstractmethod
    def reviews_due(
        self, before: date, visibility: Visibility, *, today: date, overdue_only: bool = False,
        limit: int = 50, after: str | None = None,
    ) -> Page[PlanSummary]:
        """Open plans whose next review is on or before `before` (or, overdue_only,
        strictly before `today`), soonest first."""


class PlanSummaryProjection(ReadModelProjection):
    name = "plan_summaries"


# -- the fold -----------------------------------------------------------------------------


def fold(rows: dict[UUID, PlanSummary], events: Iterable[Any]) -> set[UUID]:
    """Apply events to the rows of their plans (missing rows are created by PlanOpened);
    returns the ids of the rows that changed."""
    changed: set[UUID] = set()
    for event in events:
        plan_id = event.originator_id
        row = rows.get(plan_id)
        if row is None and not isinstance(event, Plan.PlanOpened):
            continue  # a plan whose opening this view never saw: nothing to fold into
        row = summarise(event, row)
        row.version, row.recorded_at = event.originator_version, event.timestamp
        rows[plan_id] = row
        changed.add(plan_id)
    return changed


@singledispatch
def summarise(event: Any, row: PlanSummary) -> PlanSummary:
    return row  # events that change nothing listed here still move version and time


@summarise.register
def plan_opened(event: Plan.PlanOpened, row: None) -> PlanSummary:
    actor = event.actor
    # The opener's id comes from a sealed field; a plan shredded before a rebuild reads
    # it as "", which must not become a member id.
    members = [actor.id] if actor.id else []
    lead = actor.id if actor.id and actor.role is Role.LEAD_PROFESSIONAL else None
    return PlanSummary(
        plan_id=event.originator_id, plan_type=event.plan_type.value, stage=event.stage,
        status=PlanStatus.OPEN.value, org=event.org, opened_on=event.occurred_on,
        lead_professional=lead, member_ids=members, next_review_on=event.next_review_on,
        access_changed=True,
    )


@summarise.register
def member_added(event: Plan.MemberAdded, row: PlanSummary) -> PlanSummary:
    if event.user_id not in row.member_ids:
        row.member_ids.append(event.user_id)
        row.access_changed = True
    return row


@summarise.register
def member_removed(event: Plan.MemberRemoved, row: PlanSummary) -> PlanSummary:
    if event.user_id in row.member_ids:
        row.member_ids.remove(event.user_id)
        row.access_changed = True
    return row


@summarise.register
def agency_left(event: Plan.AgencyLeft, row: PlanSummary) -> PlanSummary:
    if event.org in row.agency_orgs:
        row.agency_orgs.remove(event.org)
        row.access_changed = True
    return row


@summarise.register
def lead_professional_assigned(event: Plan.LeadProfessionalAssigned, row: PlanSummary) -> PlanSummary:
    row.lead_professional = event.user_id
    return row


@summarise.register
def agency_joined(event: Plan.AgencyJoined, row: PlanSummary) -> PlanSummary:
    if event.org not in row.agency_orgs:
        row.agency_orgs.append(event.org)
        row.access_changed = True
    return row


@summarise.register
def target_set(event: Plan.TargetSet, row: PlanSummary) -> PlanSummary:
    row.open_targets += 1
    return row


@summarise.register
def target_closed(event: Plan.TargetClosed, row: PlanSummary) -> PlanSummary:
    row.open_targets -= 1  # only an open target can be closed
    return row


@summarise.register
def target_evaluated(event: Plan.TargetEvaluated, row: PlanSummary) -> PlanSummary:
    if event.progress is Progress.ACHIEVED:  # only an open target can be evaluated
        row.open_targets -= 1
    return row


@summarise.register
def review_held(event: Plan.ReviewHeld, row: PlanSummary) -> PlanSummary:
    row.next_review_on = event.next_review_on
    return row


@summarise.register
def review_scheduled(event: Plan.ReviewScheduled, row: PlanSummary) -> PlanSummary:
    row.next_review_on = event.next_review_on
    return row


@summarise.register
def stage_changed(event: Plan.StageChanged, row: PlanSummary) -> PlanSummary:
    row.stage = event.stage
    return row


@summarise.register
def disclosure_granted(event: Plan.DisclosureGranted, row: PlanSummary) -> PlanSummary:
    row.grants.append(Grant(str(event.disclosure_id), event.grantee, event.until))
    row.access_changed = True
    return row


@summarise.register
def disclosure_revoked(event: Plan.DisclosureRevoked, row: PlanSummary) -> PlanSummary:
    row.grants = [g for g in row.grants if g.disclosure_id != str(event.disclosure_id)]
    row.access_changed = True
    return row


@summarise.register
def plan_closed(event: Plan.PlanClosed, row: PlanSummary) -> PlanSummary:
    row.status, row.closed_on = PlanStatus.CLOSED.value, event.occurred_on
    return row


@summarise.register
def plan_destroyed(event: Plan.PlanDestroyed, row: PlanSummary) -> PlanSummary:
    # A destroyed plan keeps no trace of who could see it.
    row.status = PlanStatus.DESTROYED.value
    row.member_ids, row.agency_orgs, row.grants = [], [], []
    row.lead_professional = None
    row.access_changed = True
    return row


PlanSummaryView.handled_topics = handled_topics(summarise)
