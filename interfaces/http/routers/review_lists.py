"""GET /api/reviews/due and /api/reviews/overdue, from the plan summaries read model.

No names here: a manager's list covers plans of the whole org that they may not open."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from domain import access
from domain.access import visibility
from domain.calendar import today
from interfaces.http.deps import CallerDep, require
from interfaces.http.read_models import ReadModelsDep, answered
from interfaces.http.routers.read_model_schemas import ReviewList
from projections.engine.paging import Page
from projections.plan_summaries.rows import PlanSummary

router = APIRouter(prefix="/api/reviews", tags=["lists"])

Limit = Annotated[int, Query(ge=1, le=500)]
After = Annotated[str | None, Query(max_length=200, description="`next` of the last page")]


@router.get("/due", response_model=ReviewList)
def reviews_due(
    read_models: ReadModelsDep,
    caller: CallerDep,
    before: Annotated[date, Query(description="Due on or before this date")],
    limit: Limit = 50,
    after: After = None,
) -> dict[str, Any]:
    """Open plans visible to the caller (or, for a manager, in their org) with a review,
    or a statutory clock still running, due on or before `before`, soonest first."""
    require(access.may_list_plans(caller), "Analysts read reports, not plans.")
    page = answered(
        lambda: read_models.summaries().reviews_due(
            before, visibility(caller, org_wide=True), today=today(), limit=limit, after=after
        )
    )
    return _reviews(page)


@router.get("/overdue", response_model=ReviewList)
def reviews_overdue(
    read_models: ReadModelsDep,
    caller: CallerDep,
    limit: Limit = 50,
    after: After = None,
) -> dict[str, Any]:
    """Open plans whose next review date, or a statutory clock still running, has passed
    (a deemed refusal included), most overdue first."""
    require(access.may_list_plans(caller), "Analysts read reports, not plans.")
    day = today()
    page = answered(
        lambda: read_models.summaries().reviews_due(
            day,
            visibility(caller, org_wide=True),
            today=day,
            overdue_only=True,
            limit=limit,
            after=after,
        )
    )
    return _reviews(page)


def _reviews(page: Page[PlanSummary]) -> dict[str, Any]:
    day = today()
    return {
        "items": [
            {
                "plan_id": str(s.plan_id),
                "next_review_on": s.next_review_on.isoformat() if s.next_review_on else None,
                "due_on": s.due_on.isoformat() if s.due_on else None,
                "due": s.due,
                "days_overdue": max((day - s.due_on).days, 0) if s.due_on else 0,
                "plan_type": s.plan_type,
                "stage": s.stage,
                "org": s.org,
                "lead_professional": s.lead_professional,
            }
            for s in page.items
        ],
        "next": page.next,
    }
