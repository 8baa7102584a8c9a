"""The analysts' reports on pages: each report's table, in words, for the analyst's own
authority or one school or service, and its CSV. The same read models as the API
(GET /api/reports): aggregates only, never a name or a date of birth."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from domain import access
from domain.calendar import today
from interfaces.http.read_models import get_read_models
from interfaces.plan_text import FUNDING_STREAMS
from interfaces.web import wording
from interfaces.web.guard import PageError, forbidden, signed_in
from interfaces.web.rendering import render
from projections.engine.consistency import ReadModelBehindError
from projections.reports.table import Table
from projections.reports.view import REPORTS

router = APIRouter(include_in_schema=False)

COLUMNS = {
    "plan_type": "Plan",
    "stage": "Stage",
    "open": "Open",
    "closed": "Closed",
    "org": "School or service",
    "year": "Year due",
    "held_on_time": "Held on time",
    "held_late": "Held late",
    "not_held": "Not held",
    "percent_on_time": "% on time",
    "kind": "Kind of provision",
    "funding_stream": "Funding stream",
    "provisions": "Provisions",
    "costed": "With a cost",
    "total_cost": "Cost a year (£)",
    "sessions_planned": "Sessions planned",
    "sessions_delivered": "Delivered",
    "sessions_missed": "Missed",
    "review_number": "Review",
    "achieved": "Achieved",
    "partially_achieved": "Partly achieved",
    "not_achieved": "Not achieved",
    "evaluations": "Targets evaluated",
    "stage_changes": "Stage changes",
    "plans": "Plans",
}

VALUES: dict[str, dict[str, str]] = {
    "plan_type": wording.PLAN_TYPES,
    "kind": wording.PROVISION_KINDS,
    "funding_stream": {**FUNDING_STREAMS, "not_given": "Not stated"},
}
"""The words for the codes a report's rows hold."""


def _readable(name: str) -> None:
    if name not in REPORTS:
        raise PageError(404, "Not found", "There is no such report.")


def _table(request: Request, name: str, org: str | None) -> Table:
    caller = signed_in(request)
    if not access.may_read_reports(caller):
        raise forbidden("Reports are for analysts.")
    _readable(name)
    try:
        return get_read_models(request).report(name, today=today(), org=org or None)
    except ReadModelBehindError:
        raise PageError(
            503, "Catching up", "The reports are catching up: reload the page in a moment."
        ) from None


@router.get("/reports")
def reports(request: Request) -> Response:
    caller = signed_in(request)
    if not access.may_read_reports(caller):
        raise forbidden("Reports are for analysts.")
    return render(
        request,
        "reports.html",
        {"caller": caller, "reports": REPORTS, "name": None, "title": None, "table": None},
    )


@router.get("/reports/{name}.csv")
def report_csv(request: Request, name: str, org: str | None = None) -> Response:
    table = _table(request, name, org)
    return Response(
        table.as_csv(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@router.get("/reports/{name}")
def report(request: Request, name: str, org: str | None = None) -> Response:
    table = _table(request, name, org)
    rows: list[list[Any]] = [
        [VALUES.get(column, {}).get(str(value), value) for column, value in item.items()]
        for item in table.items()
    ]
    return render(
        request,
        "reports.html",
        {
            "caller": signed_in(request),
            "reports": REPORTS,
            "name": name,
            "title": REPORTS[name],
            "org": org or "",
            "table": {"columns": [COLUMNS.get(c, c) for c in table.columns], "rows": rows},
        },
    )
