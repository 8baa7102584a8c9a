"""GET /api/reports/...: analysts' aggregates, as JSON or (Accept: text/csv) CSV."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response

from domain import access
from domain.calendar import today
from interfaces.http.deps import CallerDep, require
from interfaces.http.problems import not_found
from interfaces.http.read_models import ReadModelsDep, answered
from interfaces.http.routers.read_model_schemas import Report, ReportIndex
from projections.reports.view import REPORTS

router = APIRouter(prefix="/api/reports", tags=["reports"])

CSV = {200: {"content": {"text/csv": {}}, "description": "The report as JSON or CSV"}}


@router.get("", response_model=ReportIndex)
def list_reports(caller: CallerDep) -> dict[str, Any]:
    """The reports there are."""
    require(access.may_read_reports(caller), "Reports are for analysts.")
    return {
        "items": [{"name": n, "title": t, "href": f"/api/reports/{n}"} for n, t in REPORTS.items()]
    }


@router.get("/{name}", response_model=Report, responses=CSV)
def read_report(
    name: str,
    read_models: ReadModelsDep,
    caller: CallerDep,
    org: Annotated[str | None, Query(max_length=200, description="One org only")] = None,
    accept: Annotated[str | None, Header()] = None,
) -> Any:
    """Aggregates only: counts, dates, money; never a name or a date of birth."""
    require(access.may_read_reports(caller), "Reports are for analysts.")
    if name not in REPORTS:
        raise not_found("report")
    table = answered(lambda: read_models.report(name, today=today(), org=org))
    if accept and "text/csv" in accept:
        return Response(
            table.as_csv(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return table.as_json()
