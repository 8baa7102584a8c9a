"""The pages people read: my plans, a plan (now or as it stood), its timeline, its progress,
and the managers' chart of reviews on time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import uuid4

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from application.errors import PlanNotFoundError
from domain import access
from domain.actions import Action
from domain.calendar import UK, local_date
from domain.values import PlanType
from interfaces import wording
from interfaces.http.deps import planning_of
from interfaces.plan_text import chronology_as_dicts
from interfaces.web import charts, queries
from interfaces.web.guard import (
    PageError,
    endpoint,
    forbidden,
    load_plan,
    parse_plan_id,
    record_read,
    signed_in,
)
from interfaces.web.plan_view import NOTICES, org_options, render_plan
from interfaces.web.rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/plans")
def my_plans(
    request: Request,
    plan_type: str | None = None,
    stage: str | None = None,
    review_due_before: str | None = None,
) -> Response:
    caller = signed_in(request)
    if not access.may_list_plans(caller) and access.may_read_reports(caller):
        return RedirectResponse("/reports", status_code=303)  # an analyst's own landing page
    return my_plans_page(
        request,
        caller,
        {"plan_type": plan_type, "stage": stage, "review_due_before": review_due_before},
    )


def my_plans_page(
    request: Request,
    caller: Any,
    query: dict[str, str | None],
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    planning = planning_of(request)
    due_before, bad_date = _date_or_none(query.get("review_due_before"))
    filters = queries.Filters(
        plan_type=query.get("plan_type") or None,
        stage=query.get("stage") or None,
        review_due_before=due_before,
    )
    mine = queries.my_plans(request, caller, filters)
    # The lists show children's names: each plan listed is a read of its personal data.
    planning.record_reads([s.plan_id for s in mine.listed()], caller.actor(), endpoint(request))
    return render(
        request,
        "my_plans.html",
        {
            "caller": caller,
            "mine": mine,
            "filters": filters,
            "bad_date": bad_date,
            "stages": planning.stages.stages,
            "plan_types": [t.value for t in PlanType],
            "plan_type_options": [(t.value, wording.PLAN_TYPES[t.value]) for t in PlanType],
            "stage_options": [(s.id, s.name) for s in planning.stages.stages],
            "may_open": access.may_open_plans(caller),
            "errors": errors or {},
            "values": values or {},
            "form_key": lambda: uuid4().hex,
        },
        status_code,
    )


@router.get("/plans/{plan_id}")
def plan_page(
    request: Request,
    plan_id: str,
    as_of: str | None = None,
    on: str | None = None,
    view: str | None = None,
    done: str | None = None,
) -> Response:
    caller = signed_in(request)
    if view == "on" and as_of:  # the timeline's form: one date, and which reading of it
        on, as_of = as_of, None
    planning = planning_of(request)
    pid = parse_plan_id(plan_id)
    current = load_plan(planning, caller, pid, Action.READ_PLAN)
    shown, instant, left_out, notice = current, None, None, NOTICES.get(done or "")
    if as_of:
        instant = _instant(as_of)
        try:
            shown = planning.get_plan(pid, as_of=instant)
        except PlanNotFoundError:
            # Nothing recorded by then: never a dead end, the other reading of that day.
            first = planning.history_page(pid, caller, limit=1).entries[0]  # its opening
            on = local_date(instant).isoformat()
            notice = (
                f"Nothing of this plan had been recorded by {wording.instant(instant)}: it "
                f"was first recorded on {wording.instant(first.recorded_at)}. Here is the "
                "plan as we know today it stood that day, from what was entered later."
            )
    if on:
        instant = _instant(on[:10])
        try:
            known = planning.get_plan_known_on(pid, local_date(instant))
        except PlanNotFoundError:
            raise PageError(
                404,
                "Not opened yet",
                f"This plan was opened on {wording.day(current.opened_on)}, after "
                f"{wording.day(local_date(instant))}: there was no plan on that day.",
            ) from None
        assert known.plan is not None
        shown, left_out = known.plan, known.left_out
    record_read(request, planning, caller, pid, Action.READ_PLAN)
    return render_plan(
        request,
        planning,
        caller,
        shown,
        current,
        as_of=instant,
        left_out=left_out,
        notice=notice,
    )


TIMELINE_PAGE = 100
"""Entries per page of the timeline: a page reads and decodes only its own events, so it
costs the same at 5,000 events as at 100 (bench/long_plans.py)."""


@router.get("/plans/{plan_id}/timeline")
def timeline(request: Request, plan_id: str, before: str | None = None) -> Response:
    caller = signed_in(request)
    planning = planning_of(request)
    pid = parse_plan_id(plan_id)
    plan = load_plan(planning, caller, pid, Action.READ_HISTORY)
    start = int(before) if before and before.isdigit() and int(before) > 1 else plan.version + 1
    page = planning.history_page(pid, reader=caller, before=start, limit=TIMELINE_PAGE)
    entries = page.entries
    record_read(request, planning, caller, pid, Action.READ_HISTORY)
    return render(
        request,
        "timeline.html",
        {
            "caller": caller,
            "plan": plan,
            "plan_id": str(pid),
            "child_name": plan.child.name,
            "entries": [(e, wording.describe(e, plan, planning.stages)) for e in entries],
            "newer": start <= plan.version,
            "older": page.next,
            "first_shown": start - 1,
            "last_shown": page.next or 1,
        },
    )


@router.get("/plans/{plan_id}/progress")
def progress(request: Request, plan_id: str) -> Response:
    caller = signed_in(request)
    planning = planning_of(request)
    pid = parse_plan_id(plan_id)
    plan = load_plan(planning, caller, pid, Action.READ_PLAN)
    record_read(request, planning, caller, pid, Action.READ_PLAN)
    return render(
        request,
        "progress.html",
        {
            "caller": caller,
            "plan_id": str(pid),
            "child_name": plan.child.name,
            "charts": charts.outcome_charts(plan),
            "geometry": charts,
        },
    )


@router.get("/plans/{plan_id}/chronology")
def chronology(request: Request, plan_id: str, agency: str | None = None) -> Response:
    caller = signed_in(request)
    planning = planning_of(request)
    pid = parse_plan_id(plan_id)
    plan = load_plan(planning, caller, pid, Action.READ_PLAN)
    orgs = org_options(plan)
    chosen = agency if agency in dict(orgs) else None
    entries = access.chronology_for(caller, plan, chosen)
    record_read(request, planning, caller, pid, Action.READ_PLAN)
    return render(
        request,
        "chronology.html",
        {
            "caller": caller,
            "plan_id": str(pid),
            "child_name": plan.child.name,
            "chronology": chronology_as_dicts(plan, entries),
            "wheel": charts.wellbeing_wheel(plan, entries),
            "geometry": charts,
            "org_options": orgs,
            "agency": chosen,
            "agency_name": dict(orgs).get(chosen or ""),
        },
    )


@router.get("/reviews/on-time")
def reviews_on_time(request: Request) -> Response:
    caller = signed_in(request)
    if not access.may_list_plans(caller):
        raise forbidden("Analysts read reports, not plans.")
    planning = planning_of(request)
    # Only dates are read into the chart (no names), so nothing goes to access logs here.
    plans = planning.review_dates(queries.plans_for_chart(request, caller))
    bars = charts.reviews_by_month(list(plans.values()))
    shapes, ticks = charts.bar_geometry(bars)
    return render(
        request,
        "reviews_on_time.html",
        {
            "caller": caller,
            "bars": bars,
            "shapes": shapes,
            "ticks": ticks,
            "geometry": charts,
            "plan_count": len(plans),
        },
    )


def _date_or_none(raw: str | None) -> tuple[date | None, bool]:
    if not raw:
        return None, False
    try:
        return date.fromisoformat(raw), False
    except ValueError:
        return None, True


def _instant(raw: str) -> datetime:
    """A date means the end of that day in the UK; an ISO instant means itself. Years
    outside 1900-2199 are typing slips, as the API says (and the edges of the calendar
    overflow any arithmetic on them)."""
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            midnight = datetime.combine(day + timedelta(days=1), time.min, UK)
            moment = midnight - timedelta(microseconds=1)
        else:
            moment = datetime.fromisoformat(raw.replace(" ", "+"))
            moment = moment if moment.tzinfo else moment.replace(tzinfo=UK)
        if not 1900 <= moment.year <= 2199:
            raise ValueError(raw)
        moment.astimezone(UK)
    except (ValueError, OverflowError):
        raise PageError(400, "Not a date", "Give the date as shown in the date box.") from None
    return moment
