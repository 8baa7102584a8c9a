"""The fold: the per-plan state and the facts the reports count, from each event. Pure;
the stores apply it in batches (postgres.py, sqlite.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import singledispatch
from typing import Any
from uuid import UUID

from domain import events
from domain.statutory import completes_statutory_review, review_due_on
from domain.values import PlanStatus, PlanType, weeks_in


@dataclass
class PlanFacts:
    """The per-plan state the fold needs (stored, one row per plan)."""

    plan_id: UUID
    org: str
    plan_type: str
    stage: str
    status: str
    opened_on: date
    closed_on: date | None = None
    reviews_held: int = 0
    review_seqs: dict[str, int] = field(default_factory=dict)
    review_clock: bool = False
    """True while the statutory 12-month review clock applies (a CSP in force)."""
    pending_due_on: date | None = None
    """When the next review falls due, while the clock applies."""

    @property
    def review_begun(self) -> bool:
        """A statutory review has begun and is not completed (kept in review_seqs, whose
        other keys are review ids, so that the stored row needs no column of its own)."""
        return BEGUN in self.review_seqs

    def begin_review(self, begun: bool) -> None:
        if begun:
            self.review_seqs[BEGUN] = 0
        else:
            self.review_seqs.pop(BEGUN, None)


BEGUN = "statutory_review_begun"


@dataclass(frozen=True)
class ReviewCycle:
    seq: int
    due_on: date | None
    held_on: date | None
    closed_on: date | None


@dataclass
class Facts:
    """What one batch changes: plan states and keyed fact rows to upsert or delete."""

    plans: dict[UUID, PlanFacts]
    changed: set[UUID] = field(default_factory=set)
    cycles: dict[tuple[UUID, int], ReviewCycle | None] = field(default_factory=dict)
    """None deletes the cycle (a provisional one that never applied)."""
    provisions: dict[tuple[UUID, UUID], tuple[str, Decimal | None, date]] = field(
        default_factory=dict
    )
    terms: dict[tuple[UUID, UUID], tuple[str | None, Decimal | None, int | None]] = field(
        default_factory=dict
    )
    """Per provision: its funding stream, cost and sessions a week (a table of its own, so
    that a store made before it gains it by CREATE ... IF NOT EXISTS)."""
    deliveries: dict[tuple[UUID, int], tuple[UUID, int, int, int, date]] = field(
        default_factory=dict
    )
    """Per delivery recorded: the provision, sessions delivered and missed, the weeks of
    its period and the day."""
    evaluations: dict[tuple[UUID, int], tuple[int, str, date]] = field(default_factory=dict)
    stage_changes: dict[tuple[UUID, int], tuple[str, str, date]] = field(default_factory=dict)

    def pending(self, plan: PlanFacts, closed_on: date | None = None) -> None:
        key = (plan.plan_id, plan.reviews_held + 1)
        self.cycles[key] = ReviewCycle(key[1], plan.pending_due_on, None, closed_on)


def fold(facts: Facts, batch: Iterable[Any]) -> Facts:
    for event in batch:
        plan = facts.plans.get(event.originator_id)
        if plan is None and not isinstance(event, events.PlanOpened):
            continue
        count(event, plan, facts)
        facts.changed.add(event.originator_id)
    return facts


@singledispatch
def count(event: Any, plan: PlanFacts | None, facts: Facts) -> None:
    """Most events change nothing that is counted."""


@count.register
def plan_opened(event: events.PlanOpened, plan: None, facts: Facts) -> None:
    opened = PlanFacts(
        plan_id=event.originator_id,
        org=event.org,
        plan_type=event.plan_type.value,
        stage=event.stage,
        status=PlanStatus.OPEN.value,
        opened_on=event.occurred_on,
    )
    facts.plans[opened.plan_id] = opened


# A CSP's review clock, by the rules of domain/clocks.py: it starts when the plan is
# signed, and only a statutory review completes a cycle and restarts the 12 months.


@count.register
def csp_prepared(event: events.CspPrepared, plan: PlanFacts, facts: Facts) -> None:
    if event.amended:
        return  # the amended plan signed after a review: the clock runs on
    plan.review_clock, plan.pending_due_on = True, review_due_on(event.occurred_on)
    facts.pending(plan)


@count.register
def review_started(event: events.ReviewStarted, plan: PlanFacts, facts: Facts) -> None:
    plan.begin_review(True)


@count.register
def review_held(event: events.ReviewHeld, plan: PlanFacts, facts: Facts) -> None:
    seq = plan.reviews_held + 1
    if plan.plan_type == PlanType.CSP.value:
        if not completes_statutory_review(event.kind, plan.review_begun):
            # An in-year meeting is not a review of the CSP (the Act s.10): no cycle
            # ends; its evaluations count with the cycle under way.
            plan.review_seqs[str(event.review_id)] = seq
            return
        plan.begin_review(False)
    due_on = plan.pending_due_on if plan.review_clock else None
    facts.cycles[(plan.plan_id, seq)] = ReviewCycle(seq, due_on, event.held_on, None)
    plan.reviews_held, plan.review_seqs[str(event.review_id)] = seq, seq
    if plan.review_clock:  # the next 12 months run from this review's completion
        plan.pending_due_on = review_due_on(event.held_on)
        facts.pending(plan)


@count.register
def target_evaluated(event: events.TargetEvaluated, plan: PlanFacts, facts: Facts) -> None:
    seq = plan.review_seqs.get(str(event.review_id)) if event.review_id else None
    if seq is not None:
        facts.evaluations[(plan.plan_id, event.originator_version)] = (
            seq,
            event.progress.value,
            event.occurred_on,
        )


@count.register
def provision_planned(event: events.ProvisionPlanned, plan: PlanFacts, facts: Facts) -> None:
    facts.provisions[(plan.plan_id, event.provision_id)] = (
        event.kind.value,
        event.cost,
        event.occurred_on,
    )
    facts.terms[(plan.plan_id, event.provision_id)] = (
        None if event.funding_stream is None else event.funding_stream.value,
        event.cost,
        event.sessions_per_week,
    )


@count.register
def provision_delivered(event: events.ProvisionDelivered, plan: PlanFacts, facts: Facts) -> None:
    facts.deliveries[(plan.plan_id, event.originator_version)] = (
        event.provision_id,
        event.sessions,
        event.sessions_missed or 0,
        weeks_in(event.period_from, event.occurred_on),
        event.occurred_on,
    )


@count.register
def stage_changed(event: events.StageChanged, plan: PlanFacts, facts: Facts) -> None:
    facts.stage_changes[(plan.plan_id, event.originator_version)] = (
        event.previous_stage,
        event.stage,
        event.occurred_on,
    )
    plan.stage = event.stage


@count.register
def plan_closed(event: events.PlanClosed, plan: PlanFacts, facts: Facts) -> None:
    plan.status, plan.closed_on = PlanStatus.CLOSED.value, event.occurred_on
    if plan.review_clock:
        facts.pending(plan, closed_on=event.occurred_on)
        plan.review_clock = False


@count.register
def plan_destroyed(event: events.PlanDestroyed, plan: PlanFacts, facts: Facts) -> None:
    plan.status = PlanStatus.DESTROYED.value
