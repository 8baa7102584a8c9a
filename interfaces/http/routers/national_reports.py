"""GET /api/reports/national/...: each report summed over every authority (tenant mode
only). Each authority's figures come from its own read models in its own store; nothing
but aggregates leaves a tenant."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response

from domain.access import may_read_national_reports
from domain.calendar import today
from interfaces.http.deps import CallerDep, require
from interfaces.http.problems import not_found
from interfaces.http.read_models import answered
from interfaces.http.routers.read_model_schemas import Report, ReportIndex
from projections.reports.national import national
from projections.reports.view import REPORTS

router = APIRouter(prefix="/api/reports/national", tags=["reports"])

CSV = {200: {"content": {"text/csv": {}}, "description": "The report as JSON or CSV"}}
REFUSED = "National reports are for analysts whose token carries the national claim."


@router.get("", response_model=ReportIndex)
def list_national_reports(caller: CallerDep) -> dict[str, Any]:
    """The reports there are, summed over every authority."""
    require(may_read_national_reports(caller), REFUSED)
    return {
        "items": [
            {"name": n, "title": f"{t} (all authorities)", "href": f"/api/reports/national/{n}"}
            for n, t in REPORTS.items()
        ]
    }


@router.get("/{name}", response_model=Report, responses=CSV)
def read_national_report(
    name: str,
    request: Request,
    caller: CallerDep,
    by_authority: Annotated[
        bool, Query(description="One row per authority and key, instead of the sum")
    ] = False,
    accept: Annotated[str | None, Header()] = None,
) -> Any:
    """Aggregates only: each authority's report, summed (shares worked out again from
    the summed counts)."""
    require(may_read_national_reports(caller), REFUSED)
    if name not in REPORTS:
        raise not_found("report")
    day = today()
    tables = {
        tenant.authority: answered(lambda tenant=tenant: tenant.read_models.report(name, today=day))
        for tenant in request.app.state.tenants
    }
    table = national(name, tables, by_authority=by_authority)
    if accept and "text/csv" in accept:
        return Response(
            table.as_csv(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="national-{name}.csv"'},
        )
    return table.as_json()
