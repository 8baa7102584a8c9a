"""Statutory retention: destroying the personal data of plans whose retention has ended.

A discontinued CSP is kept for 5 years and then destroyed (SSI 2005/518 reg 11); other
plan types follow the authority's own schedule, so the period is set per plan type, and a
type with no period is never destroyed automatically. Destruction is crypto-shredding:
1. the PlanDestroyed tombstone is appended (its actor sealed with the plan's key);
2. the plan's snapshots are deleted (each holds the whole plan);
3. the plan's data key is destroyed, so every sealed field becomes unreadable;
4. cached copies of the key and of the plan are dropped in this process.
The events, their digests and the hash chain stay, so the history still verifies and
shows that nothing else changed. A run that stopped between 1 and 3 is finished by the
next run (the plan reads as destroyed while its key still exists).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

from eventsourcing.utils import get_topic

from application.persistence.snapshots import delete_snapshots
from application.planning import Planning
from domain import events
from domain.access import Caller
from domain.calendar import today
from domain.events import DestroyPlan
from domain.plans import Plan
from domain.values import Actor, PlanStatus, PlanType, Role

DEFAULT_RETENTION_YEARS: dict[PlanType, int] = {PlanType.CSP: 5}
RETENTION_ACTOR = Actor(id="system:retention", name="Retention schedule", role=Role.SYSTEM)
_TOPICS = tuple(
    get_topic(e) for e in (events.PlanClosed, events.CspDiscontinued, events.PlanDestroyed)
)


class NothingToShredError(Exception):
    def __init__(self) -> None:
        super().__init__(
            "No master key is configured (PLANLEDGER_ENCRYPTION_KEY): personal data is "
            "stored in plain form, so there is no key to destroy. Refusing to run."
        )


class FutureRunError(ValueError):
    def __init__(self) -> None:
        super().__init__(
            "A run as of a future date would destroy records before their retention ends; "
            "use --dry-run to preview one."
        )


class Outcome(StrEnum):
    DESTROYED = "destroyed"
    WOULD_DESTROY = "would destroy"
    FINISHED = "finished an interrupted destruction"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class RetentionPolicy:
    years: Mapping[PlanType, int]

    @classmethod
    def from_settings(cls, years: Mapping[str, int] | None) -> RetentionPolicy:
        if years is None:
            return cls(DEFAULT_RETENTION_YEARS)
        return cls({PlanType(k): int(v) for k, v in years.items()})

    def ends_on(self, plan: Plan) -> date | None:
        """The last day of retention: N years after discontinuance, or None if kept."""
        years = self.years.get(plan.plan_type)
        if years is None or plan.closed_on is None:
            return None
        return _add_years(plan.closed_on, years)


@dataclass(frozen=True)
class Decision:
    plan_id: UUID
    plan_type: str
    closed_on: date | None
    retention_ends_on: date | None
    outcome: Outcome
    note: str = ""


def run_retention(
    planning: Planning,
    policy: RetentionPolicy,
    *,
    as_of: date | None = None,
    dry_run: bool = False,
) -> list[Decision]:
    """Destroy (or, dry, list) every plan whose retention ended before `as_of`."""
    if planning.mapper.keyring is None:
        raise NothingToShredError
    as_of = as_of or today()
    if as_of > today() and not dry_run:
        raise FutureRunError
    return [
        d
        for plan_id in _closed_plans(planning)
        if (d := _decide(planning, policy, plan_id, as_of, dry_run))
    ]


def destroy_personal_data(planning: Planning, plan_id: UUID, reason: str) -> None:
    """Tombstone, then shred (see the module's docstring for the order and why)."""
    plan = planning.get_plan(plan_id)
    if plan.status is not PlanStatus.DESTROYED:
        planning.change(plan_id, DestroyPlan(), Caller.of(RETENTION_ACTOR), reason=reason)
    shred(planning, plan_id)


def shred(planning: Planning, plan_id: UUID) -> None:
    if planning.snapshots is not None:
        delete_snapshots(planning.snapshots.recorder, plan_id)
    planning.records.destroy_key(plan_id)
    if planning.mapper.keyring is not None:
        planning.mapper.keyring.forget(plan_id)
    cache = planning.repository.cache
    if cache is not None:
        with suppress(KeyError):  # not cached in this process
            cache.get(plan_id, evict=True)


def _decide(
    planning: Planning, policy: RetentionPolicy, plan_id: UUID, as_of: date, dry_run: bool
) -> Decision | None:
    stored_key = planning.records.select_wrapped_key(plan_id)
    plan = planning.get_plan(plan_id)
    ends_on = policy.ends_on(plan)

    def decision(outcome: Outcome, note: str = "") -> Decision:
        return Decision(plan_id, plan.plan_type.value, plan.closed_on, ends_on, outcome, note)

    if plan.status is PlanStatus.DESTROYED:
        if stored_key is None or stored_key.wrapped is None:
            return None  # done before
        if not dry_run:
            shred(planning, plan_id)
        return decision(Outcome.FINISHED)
    if plan.status is not PlanStatus.CLOSED or ends_on is None or ends_on >= as_of:
        return None
    if stored_key is None:
        return decision(Outcome.SKIPPED, "stored in plain form (no plan key): cannot be shredded")
    if dry_run:
        return decision(Outcome.WOULD_DESTROY)
    years = policy.years[plan.plan_type]
    reason = (
        f"Retention ended on {ends_on.isoformat()}: {years} years after the plan was "
        f"discontinued on {plan.closed_on.isoformat() if plan.closed_on else '?'} "
        f"(retention schedule for {plan.plan_type.value})."
    )
    destroy_personal_data(planning, plan_id, reason)
    return decision(Outcome.DESTROYED)


def _closed_plans(planning: Planning, batch: int = 500) -> Iterator[UUID]:
    """Each plan that was ever closed or destroyed, once, from the application's log."""
    seen: set[UUID] = set()
    start = 1
    while True:
        notifications = planning.recorder.select_notifications(
            start=start, limit=batch, topics=_TOPICS
        )
        for notification in notifications:
            plan_id = UUID(str(notification.originator_id))
            if plan_id not in seen:
                seen.add(plan_id)
                yield plan_id
        if len(notifications) < batch:
            return
        start = notifications[-1].id + 1


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
