"""The fold: each event's change to its plan's summary row. Pure; the stores apply it in
batches (postgres.py, sqlite.py)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import singledispatch
from typing import Any
from uuid import UUID

from domain import events
from domain.clocks import STEPS, ClockBook
from domain.values import PlanStatus, Progress, Role
from projections.plan_summaries.rows import Grant, PlanSummary


def fold(rows: dict[UUID, PlanSummary], batch: Iterable[Any]) -> set[UUID]:
    """Apply events to the rows of their plans (missing rows are created by PlanOpened);
    returns the ids of the rows that changed."""
    changed: set[UUID] = set()
    books: dict[UUID, ClockBook] = {}
    for event in batch:
        plan_id = event.originator_id
        row = rows.get(plan_id)
        if row is None and not isinstance(event, events.PlanOpened):
            continue  # a plan whose opening this view never saw: nothing to fold into
        row = summarise(event, row)
        row.version, row.recorded_at = event.originator_version, event.timestamp
        if type(event).__name__ in STEPS:
            # The clocks by the one rule the API's clocks use (domain/clocks.py).
            if plan_id not in books:
                books[plan_id] = ClockBook.from_running(row.clocks)
            books[plan_id].fold(event)
        rows[plan_id] = row
        changed.add(plan_id)
    for plan_id, book in books.items():
        rows[plan_id].clocks, rows[plan_id].clocks_changed = book.running(), True
    return changed


@singledispatch
def summarise(event: Any, row: PlanSummary | None) -> PlanSummary:
    assert row is not None  # only an opening makes a row, and fold passes no other
    return row  # events that change nothing listed here still move version and time


@summarise.register
def plan_opened(event: events.PlanOpened, row: None) -> PlanSummary:
    actor = event.actor
    # The opener's id comes from a sealed field; a plan shredded before a rebuild reads
    # it as "", which must not become a member id.
    members = [actor.id] if actor.id else []
    lead = actor.id if actor.id and actor.role is Role.LEAD_PROFESSIONAL else None
    return PlanSummary(
        plan_id=event.originator_id,
        plan_type=event.plan_type.value,
        stage=event.stage,
        status=PlanStatus.OPEN.value,
        org=event.org,
        opened_on=event.occurred_on,
        lead_professional=lead,
        member_ids=members,
        next_review_on=event.next_review_on,
        access_changed=True,
    )


@summarise.register
def member_added(event: events.MemberAdded, row: PlanSummary) -> PlanSummary:
    if event.user_id not in row.member_ids:
        row.member_ids.append(event.user_id)
        row.access_changed = True
    return row


@summarise.register
def member_removed(event: events.MemberRemoved, row: PlanSummary) -> PlanSummary:
    if event.user_id in row.member_ids:
        row.member_ids.remove(event.user_id)
        row.access_changed = True
    return row


@summarise.register
def agency_left(event: events.AgencyLeft, row: PlanSummary) -> PlanSummary:
    if event.org in row.agency_orgs:
        row.agency_orgs.remove(event.org)
        row.access_changed = True
    return row


@summarise.register
def lead_professional_assigned(
    event: events.LeadProfessionalAssigned, row: PlanSummary
) -> PlanSummary:
    row.lead_professional = event.user_id
    return row


@summarise.register
def agency_joined(event: events.AgencyJoined, row: PlanSummary) -> PlanSummary:
    if event.org not in row.agency_orgs:
        row.agency_orgs.append(event.org)
        row.access_changed = True
    return row


@summarise.register
def target_set(event: events.TargetSet, row: PlanSummary) -> PlanSummary:
    row.open_targets += 1
    return row


@summarise.register
def target_closed(event: events.TargetClosed, row: PlanSummary) -> PlanSummary:
    row.open_targets -= 1  # only an open target can be closed
    return row


@summarise.register
def target_evaluated(event: events.TargetEvaluated, row: PlanSummary) -> PlanSummary:
    if event.progress is Progress.ACHIEVED:  # only an open target can be evaluated
        row.open_targets -= 1
    return row


@summarise.register
def review_held(event: events.ReviewHeld, row: PlanSummary) -> PlanSummary:
    row.next_review_on = event.next_review_on
    return row


@summarise.register
def review_scheduled(event: events.ReviewScheduled, row: PlanSummary) -> PlanSummary:
    row.next_review_on = event.next_review_on
    return row


@summarise.register
def stage_changed(event: events.StageChanged, row: PlanSummary) -> PlanSummary:
    row.stage = event.stage
    return row


@summarise.register
def disclosure_granted(event: events.DisclosureGranted, row: PlanSummary) -> PlanSummary:
    row.grants.append(Grant(str(event.disclosure_id), event.grantee, event.until))
    row.access_changed = True
    return row


@summarise.register
def disclosure_revoked(event: events.DisclosureRevoked, row: PlanSummary) -> PlanSummary:
    row.grants = [g for g in row.grants if g.disclosure_id != str(event.disclosure_id)]
    row.access_changed = True
    return row


@summarise.register
def plan_closed(event: events.PlanClosed, row: PlanSummary) -> PlanSummary:
    row.status, row.closed_on = PlanStatus.CLOSED.value, event.occurred_on
    return row


@summarise.register
def plan_destroyed(event: events.PlanDestroyed, row: PlanSummary) -> PlanSummary:
    # A destroyed plan keeps no trace of who could see it.
    row.status = PlanStatus.DESTROYED.value
    row.member_ids, row.agency_orgs, row.grants = [], [], []
    row.lead_professional = None
    row.access_changed = True
    return row
