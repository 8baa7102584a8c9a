"""The provision map: the support in place across pupils, grouped as a school runs it (one
row per intervention, with the same kind, description, staff and funding stream, at one
school), with what it costs, how much of it was delivered and how the targets it serves
came out. The figures a SENCO brings to a funding bid: totals per school and per funding
stream.

Names are the viewer's only for the plans they may read; a manager's map of their school
also counts the plans they may not read, without naming the child
(access.may_see_provision_map; whoever calls `provision_map` says which plan is which).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

from domain.plans import Plan
from domain.values import FundingStream, Progress, Provision, ProvisionKind


@dataclass(frozen=True)
class Pupil:
    plan_id: UUID
    name: str | None
    """None where the viewer may count the plan but not read it."""
    sessions_per_week: int | None
    minutes_per_session: int | None
    cost: Decimal | None


@dataclass
class MapRow:
    org: str
    kind: ProvisionKind
    description: str
    staff: str | None
    funding_stream: FundingStream | None
    pupils: list[Pupil] = field(default_factory=list)
    sessions_delivered: int = 0
    sessions_planned: int = 0
    outcomes: dict[Progress, int] = field(default_factory=lambda: dict.fromkeys(Progress, 0))
    """The latest evaluation of each target the provision serves, across its pupils."""
    by_term: dict[str, dict[Progress, int]] = field(default_factory=dict)
    """Every evaluation of those targets since the provision began, by school term."""

    @property
    def named(self) -> list[Pupil]:
        return [p for p in self.pupils if p.name is not None]

    @property
    def unnamed(self) -> int:
        return len(self.pupils) - len(self.named)

    @property
    def cost(self) -> Decimal:
        return sum((p.cost for p in self.pupils if p.cost is not None), Decimal(0))

    @property
    def cost_per_pupil(self) -> Decimal | None:
        return (self.cost / len(self.pupils)).quantize(Decimal("0.01")) if self.cost else None

    @property
    def pupil_hours_per_week(self) -> Decimal:
        """Each pupil's sessions times minutes: the staff time if each is seen alone, an
        upper bound for a group that meets together."""
        minutes = sum(
            (p.sessions_per_week or 0) * (p.minutes_per_session or 0) for p in self.pupils
        )
        return (Decimal(minutes) / 60).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class ProvisionMap:
    rows: list[MapRow]
    by_org: dict[str, Decimal]
    by_stream: dict[FundingStream | None, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.by_org.values(), Decimal(0))

    @property
    def pupils(self) -> int:
        return len({p.plan_id for row in self.rows for p in row.pupils})


@dataclass(frozen=True)
class MapFilter:
    org: str | None = None
    kind: ProvisionKind | None = None
    funding_stream: FundingStream | None = None

    def keeps(self, plan: Plan, provision: Provision) -> bool:
        return (
            (self.org is None or plan.org == self.org)
            and (self.kind is None or provision.kind is self.kind)
            and (self.funding_stream is None or provision.funding_stream is self.funding_stream)
        )


def term_of(day: date) -> str:
    """The school term a day falls in: "2025-26 autumn" (August to December), "spring"
    (January to March: Easter moves, so the end of March stands for it), "summer" (April
    to July). Scotland's and England's school years both begin in August or September;
    the names sort in the order the terms come."""
    start = day.year if day.month >= 8 else day.year - 1
    season = "autumn" if day.month >= 8 else "spring" if day.month <= 3 else "summer"
    return f"{start}-{(start + 1) % 100:02d} {season}"


def _key(plan: Plan, p: Provision) -> tuple[str, ProvisionKind, str, str, str]:
    def same(text: str | None) -> str:
        return " ".join((text or "").casefold().split())

    stream = p.funding_stream.value if p.funding_stream else ""
    return (plan.org, p.kind, same(p.description), same(p.staff), stream)


def provision_map(
    plans: Iterable[tuple[Plan, bool]], day: date, keep: MapFilter = MapFilter()
) -> ProvisionMap:
    """The map of the provision in place on `day` in `plans`, each with whether the viewer
    may see the child's name."""
    rows: dict[tuple[str, ProvisionKind, str, str, str], MapRow] = {}
    for plan, named in plans:
        if not plan.is_open:
            continue
        for p in plan.provisions.values():
            if p.planned_on > day or (p.ended_on is not None and p.ended_on <= day):
                continue
            if not keep.keeps(plan, p):
                continue
            row = rows.setdefault(
                _key(plan, p), MapRow(plan.org, p.kind, p.description, p.staff, p.funding_stream)
            )
            row.pupils.append(
                Pupil(
                    plan.id,
                    plan.child.name if named else None,
                    p.sessions_per_week,
                    p.minutes_per_session,
                    p.cost,
                )
            )
            row.sessions_delivered += sum(d.sessions for d in p.deliveries)
            row.sessions_planned += p.sessions_planned or 0
            for target_id in p.target_ids:
                target = plan.targets.get(target_id)
                if target is not None and target.evaluations:
                    row.outcomes[target.evaluations[-1].progress] += 1
                for evaluation in target.evaluations if target is not None else ():
                    if evaluation.occurred_on >= p.planned_on:
                        term = row.by_term.setdefault(
                            term_of(evaluation.occurred_on), dict.fromkeys(Progress, 0)
                        )
                        term[evaluation.progress] += 1
    by_org: dict[str, Decimal] = defaultdict(Decimal)
    by_stream: dict[FundingStream | None, Decimal] = defaultdict(Decimal)
    for row in rows.values():
        by_org[row.org] += row.cost
        by_stream[row.funding_stream] += row.cost
    ordered = sorted(rows.values(), key=lambda r: (r.org, -r.cost, r.description.casefold()))
    return ProvisionMap(ordered, dict(by_org), dict(by_stream))
