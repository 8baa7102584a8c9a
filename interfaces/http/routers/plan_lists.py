"""GET /api/plans: the plans the caller may see, from the plan summaries read model."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from domain import access
from domain.access import Action, Decision, visibility
from domain.calendar import today
from domain.values import PlanStatus, PlanType
from interfaces.http.deps import CallerDep, PlanningDep, require
from interfaces.http.read_models import ReadModelsDep, answered
from interfaces.http.routers.read_model_schemas import PlanList
from projections.plan_summaries.view import PlanFilters

router = APIRouter(prefix="/api/plans", tags=["lists"])


@router.get("", response_model=PlanList)
def list_plans(
    request: Request,
    planning: PlanningDep,
    read_models: ReadModelsDep,
    caller: CallerDep,
    plan_type: PlanType | None = None,
    stage: Annotated[str | None, Query(max_length=64)] = None,
    status: PlanStatus | None = None,
    review_due_before: Annotated[date | None, Query(description="Next review on or before")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    after: Annotated[
        str | None, Query(max_length=200, description="`next` of the last page")
    ] = None,
) -> dict[str, Any]:
    """The plans visible to the caller, newest first, a page at a time (`next` is the
    cursor for the following page). Includes every write the caller made before."""
    require(access.may_list_plans(caller), "Analysts read reports, not plans.")
    filters = PlanFilters(
        plan_type=plan_type.value if plan_type else None,
        stage=stage,
        status=status.value if status else None,
        review_due_before=review_due_before,
    )
    page = answered(
        lambda: read_models.summaries().list_plans(
            filters, visibility(caller), today=today(), limit=limit, after=after
        )
    )
    items, read = [], []
    plans = planning.get_plans([row.plan_id for row in page.items])
    for row in page.items:
        # The child's name comes from the plan, not the read model; the plan's own rules
        # decide once more, and the read is logged as any read of personal data is.
        plan = plans.get(row.plan_id)
        if plan is None or access.decide(caller, Action.READ_PLAN, plan) is not Decision.ALLOW:
            continue
        read.append(row.plan_id)
        item = {**row.as_dict(today()), "id": str(row.plan_id), "child": {"name": plan.child.name}}
        if not access.may_see_who_has_access(caller):
            item.update(member_ids=[], disclosed_to=[])
        items.append(item)
    planning.record_reads(read, caller.actor(), "GET /api/plans")
    return {"items": items, "next": page.next}
