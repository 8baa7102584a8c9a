"""What "My plans" and the managers' chart read: the plan-summary read model (projections/,
through the API's own glue in interfaces/http/read_models.py), the plans themselves for
names, and statutory clocks from domain/clocks.py (application.statutory.plan_clocks).

Which plans a caller may list is `visibility(caller)`, the API's translation of
access.can_see into read-model filters; each listed plan is then read and access.decide
asked once more, as GET /api/plans does, so nothing here decides who sees what.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from starlette.requests import Request

from application.planning import Planning
from application.statutory import plan_clocks
from domain import access
from domain.access import Action, Decision, visibility
from domain.calendar import today
from domain.clocks import ClockStatus, may_have_clocks
from domain.plans import Plan
from domain.values import Disclosure
from interfaces.http.auth import Caller
from interfaces.http.deps import planning_of
from interfaces.http.read_models import get_read_models
from interfaces.plan_text import CLOCK_WORDS
from interfaces.web.guard import PageError
from projections.engine.consistency import ReadModelBehindError
from projections.plan_summaries.rows import PlanSummary as Row
from projections.plan_summaries.view import PlanFilters

LISTED = 500  # one page of each list; "My plans" says so when there are more
DUE_WITHIN_DAYS = 28


@dataclass(frozen=True)
class Clock:
    """A date something must happen by, with the days left (negative once passed)."""

    name: str
    due_on: date
    key: str = "next_review"
    statute: str | None = None
    status: str = "running"  # domain.clocks' status, for statutory clocks
    reference_by: date | None = None
    """The last day to refer a refusal (or deemed refusal) to the tribunal."""

    @property
    def days_left(self) -> int:
        return (self.due_on - today()).days


def statutory_clocks(planning: Planning, plan: Plan) -> tuple[Clock, ...]:
    """The plan's statutory clocks still to watch: running, missed and not yet done,
    deemed refusals."""
    watched = (ClockStatus.RUNNING, ClockStatus.MISSED, ClockStatus.DEEMED_REFUSAL)
    return tuple(
        Clock(
            name=CLOCK_WORDS.get(c.name, c.name.replace("_", " ")),
            due_on=c.due_on,
            key=c.name,
            statute=c.statute,
            status=c.status.value,
            reference_by=c.reference_by,
        )
        for c in plan_clocks(planning, plan.id, today())
        if c.status in watched and not (c.status is ClockStatus.MISSED and c.stopped_on)
    )


@dataclass(frozen=True)
class PlanSummary:
    plan_id: UUID
    child_name: str
    plan_type: str
    stage: str
    stage_name: str
    stage_level: int
    status: str
    org: str
    next_review_on: date | None
    clocks: tuple[Clock, ...] = field(default=())
    overdue_targets: int = 0
    disclosed: tuple[Disclosure, ...] = ()
    """The disclosures that open the plan to this reader (a reviewer's purpose and end)."""


def summarise(plan: Plan, planning: Planning, caller: Caller) -> PlanSummary:
    stages = {s.id: s for s in planning.stages.stages}
    stage = stages.get(plan.stage)
    clocks: tuple[Clock, ...] = ()
    if plan.is_open:
        review = (Clock("Next review", plan.next_review_on),) if plan.next_review_on else ()
        shown = access.decide(
            caller, Action.READ_CLOCKS, plan
        ) is Decision.ALLOW and may_have_clocks(plan.plan_type, plan.statutory)
        clocks = review + (statutory_clocks(planning, plan) if shown else ())
    return PlanSummary(
        plan_id=plan.id,
        child_name=plan.child.name,
        plan_type=plan.plan_type.value,
        stage=plan.stage,
        stage_name=planning.stages.name_of(plan.stage),
        stage_level=stage.level if stage else 0,
        status=plan.status.value,
        org=plan.org,
        next_review_on=plan.next_review_on,
        clocks=clocks,
        overdue_targets=len(plan.overdue_targets(today())) if plan.is_open else 0,
        disclosed=tuple(access.disclosures_to(caller, plan)),
    )


@dataclass(frozen=True)
class Filters:
    plan_type: str | None = None
    stage: str | None = None
    review_due_before: date | None = None

    def keep(self, row: Row) -> bool:
        return (not self.plan_type or row.plan_type == self.plan_type) and (
            not self.stage or row.stage == self.stage
        )


@dataclass(frozen=True)
class MyPlans:
    overdue: list[PlanSummary]
    due: list[PlanSummary]
    by_stage: list[tuple[str, list[PlanSummary]]]
    total: int
    more: bool  # a list was longer than one page

    def listed(self) -> list[PlanSummary]:
        seen: dict[UUID, PlanSummary] = {}
        for s in [*self.overdue, *self.due, *(s for _, items in self.by_stage for s in items)]:
            seen.setdefault(s.plan_id, s)
        return list(seen.values())


def my_plans(request: Request, caller: Caller, filters: Filters) -> MyPlans:
    """Reviews overdue, reviews due soon (or by the filter's date), then every plan by
    stage; each a plan the caller may read."""
    planning: Planning = planning_of(request)
    if not access.may_list_plans(caller):
        return MyPlans([], [], [], 0, more=False)
    read_models, day = get_read_models(request), today()
    horizon = filters.review_due_before or day + timedelta(days=DUE_WITHIN_DAYS)
    mine = visibility(caller)
    try:
        view = read_models.summaries()
        overdue = view.reviews_due(day, mine, today=day, overdue_only=True, limit=LISTED)
        due = view.reviews_due(horizon, mine, today=day, limit=LISTED)
        every = view.list_plans(
            PlanFilters(
                plan_type=filters.plan_type,
                stage=filters.stage,
                review_due_before=filters.review_due_before,
            ),
            mine,
            today=day,
            limit=LISTED,
        )
    except ReadModelBehindError:
        raise PageError(
            503,
            "Catching up",
            "The lists are catching up with recent changes: reload the page in a moment.",
        ) from None
    listed = {
        row.plan_id for page in (overdue, due, every) for row in page.items if filters.keep(row)
    }
    plans = {
        plan_id: summarise(plan, planning, caller)
        for plan_id, plan in planning.get_plans(list(listed)).items()
        if access.decide(caller, Action.READ_PLAN, plan) is Decision.ALLOW
    }

    def readable(rows: list[Row]) -> list[PlanSummary]:
        return [plans[row.plan_id] for row in rows if row.plan_id in plans]

    overdue_plans = readable(overdue.items)
    due_plans = [
        s for s in readable(due.items) if s.next_review_on is not None and s.next_review_on >= day
    ]
    groups: dict[tuple[int, str], list[PlanSummary]] = defaultdict(list)
    everything = readable(every.items)
    for s in everything:
        groups[(s.stage_level, s.stage_name)].append(s)
    by_stage = [
        (name, sorted(items, key=lambda s: (s.status != "open", s.child_name)))
        for (_, name), items in sorted(groups.items())
    ]
    return MyPlans(
        overdue_plans,
        due_plans,
        by_stage,
        len(everything),
        more=any(page.next for page in (overdue, due, every)),
    )


def open_plans_for(request: Request, caller: Caller, name: str, born: date) -> list[UUID]:
    """The open plans this caller may read of a child with the same name (in any case and
    spacing) and date of birth: a second plan for a child is more often a slip than meant."""
    planning: Planning = planning_of(request)
    read_models, day = get_read_models(request), today()
    same = " ".join(name.split()).casefold()
    ids: list[UUID] = []
    after = None
    try:
        while True:
            page = read_models.summaries().list_plans(
                PlanFilters(), visibility(caller), today=day, limit=LISTED, after=after
            )
            ids.extend(row.plan_id for row in page.items if row.status == "open")
            if not page.next:
                break
            after = page.next
    except ReadModelBehindError:
        return []  # the warning is a help, never a reason to refuse the plan
    return [
        plan_id
        for plan_id, plan in planning.get_plans(ids).items()
        if " ".join(plan.child.name.split()).casefold() == same
        and plan.child.date_of_birth == born
        and access.decide(caller, Action.READ_PLAN, plan) is Decision.ALLOW
    ]


def plans_for_chart(request: Request, caller: Caller) -> list[UUID]:
    """The plans whose reviews a caller's chart counts: for a manager, the whole org (no
    names are shown), as the API's review lists do; otherwise the caller's own."""
    read_models, day = get_read_models(request), today()
    scope = visibility(caller, org_wide=True)
    ids: list[UUID] = []
    after = None
    try:
        while True:
            page = read_models.summaries().list_plans(
                PlanFilters(), scope, today=day, limit=LISTED, after=after
            )
            ids.extend(row.plan_id for row in page.items)
            if not page.next:
                return ids
            after = page.next
    except ReadModelBehindError:
        raise PageError(
            503,
            "Catching up",
            "The chart is catching up with recent changes: reload the page in a moment.",
        ) from None


MAPPED = 5_000  # plans on one provision map: a large secondary school's register many times


def plans_for_map(request: Request, caller: Caller) -> list[tuple[Plan, bool]]:
    """The open plans on the caller's provision map, each with whether the caller may read
    it (and so see the child's name): the plans they may read, and for a manager the rest
    of their organisation's, to be counted without names."""
    if not access.may_see_provision_map(caller):
        return []
    mine = visibility(caller, org_wide=True)
    view = get_read_models(request).summaries()
    ids: list[UUID] = []
    after: str | None = None
    try:
        while len(ids) < MAPPED:
            page = view.list_plans(
                PlanFilters(status="open"), mine, today=today(), limit=500, after=after
            )
            ids += [row.plan_id for row in page.items]
            if not page.next:
                break
            after = page.next
    except ReadModelBehindError:
        raise PageError(
            503, "Catching up", "The map is catching up with recent changes: reload in a moment."
        ) from None
    counted = access.may_see_org_reviews(caller)
    found = []
    for plan in planning_of(request).get_plans(ids).values():
        readable = access.decide(caller, Action.READ_PLAN, plan) is Decision.ALLOW
        if readable or (counted and plan.org == caller.org):
            found.append((plan, readable))
    return found
